"""The app's texts (`trainer.texts`) as the app draws them: lists, quotations and citations
with hanging indents (`trainer.tui.hanging`), so a wrapped line stays under its item at any
width. The words are composed in `trainer.texts`, which plain mode prints as they are.
"""

from __future__ import annotations

from trainer.review.words import CONFIDENCE_WORDS, VERDICT_SIGNS
from trainer.texts import feedback, pages
from trainer.texts.feedback import VERDICT_STYLES, VOICE_NAMES, heading, score_text, verdict_text
from trainer.texts.pages import HELP_KEYS, HELP_SAVING, PREVIEW_KEYS, help_text, stage_header
from trainer.tui.hanging import hanging_output

__all__ = [
    "CONFIDENCE_WORDS",
    "HELP_KEYS",
    "HELP_SAVING",
    "PREVIEW_KEYS",
    "VERDICT_SIGNS",
    "VERDICT_STYLES",
    "VOICE_NAMES",
    "feedback_text",
    "finding_text",
    "findings_by_voice",
    "glossary_text",
    "heading",
    "help_text",
    "outcome_text",
    "peers_text",
    "review_text",
    "score_text",
    "stage_header",
    "timeline_text",
    "verdict_text",
]

finding_text = hanging_output(feedback.finding_text)
findings_by_voice = hanging_output(feedback.findings_by_voice)
feedback_text = hanging_output(feedback.feedback_text)
review_text = hanging_output(feedback.review_text)
outcome_text = hanging_output(pages.outcome_text)
timeline_text = hanging_output(pages.timeline_text)
glossary_text = hanging_output(pages.glossary_text)
peers_text = hanging_output(pages.peers_text)
