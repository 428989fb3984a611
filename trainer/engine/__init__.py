"""The engine: the module model, scoring and a play-through. Pure: no Textual, no Rich, no files.

A player asks `PlayThrough.facing()` what the trainee faces, shows it, and
sends back the trainee's move; each move returns a new play-through.

Each name is imported from its own module when first asked for: the module reader needs
the model, not the play-through, and the app's first screen neither. Without a bytecode
cache every module imported is also compiled, at every start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.lazy import lazy_names

if TYPE_CHECKING:
    from trainer.engine.answer import NOT_JUDGED, Answer
    from trainer.engine.clock import format_time, utc_now
    from trainer.engine.facing import (
        Deciding,
        Draft,
        Facing,
        Feedback,
        Finished,
        Outcome,
        Reading,
        Step,
        steps_of,
    )
    from trainer.engine.model import (
        DECISION_KINDS,
        END,
        ORDER_LABEL,
        SCORINGS,
        SOURCE_KINDS,
        VERDICT_WORDS,
        VERDICTS,
        VOICE_HEADINGS,
        VOICES,
        Debrief,
        Decision,
        Evidence,
        Finding,
        GlossaryEntry,
        Module,
        Option,
        RubricConcept,
        Source,
        Stage,
    )
    from trainer.engine.playthrough import PlayThrough, ReviewRow
    from trainer.engine.scoring import (
        Assessment,
        ChosenOption,
        ConceptResult,
        LinkedFinding,
        assess,
        match_phrase,
        normalise,
        verdict_for_score,
    )
    from trainer.engine.seen import (
        findings_shown_before,
        findings_shown_with,
        glossary_seen,
        skipped_before,
    )

__all__ = [
    "DECISION_KINDS",
    "END",
    "NOT_JUDGED",
    "ORDER_LABEL",
    "SCORINGS",
    "SOURCE_KINDS",
    "VOICES",
    "VOICE_HEADINGS",
    "VERDICTS",
    "VERDICT_WORDS",
    "Answer",
    "Assessment",
    "ChosenOption",
    "ConceptResult",
    "Debrief",
    "Deciding",
    "Decision",
    "Draft",
    "Evidence",
    "Facing",
    "Feedback",
    "Finding",
    "Finished",
    "GlossaryEntry",
    "LinkedFinding",
    "Module",
    "Option",
    "Outcome",
    "PlayThrough",
    "Reading",
    "ReviewRow",
    "RubricConcept",
    "Source",
    "Stage",
    "Step",
    "assess",
    "findings_shown_before",
    "findings_shown_with",
    "format_time",
    "glossary_seen",
    "match_phrase",
    "normalise",
    "skipped_before",
    "steps_of",
    "utc_now",
    "verdict_for_score",
]

_HOMES = {
    "NOT_JUDGED": "answer",
    "Answer": "answer",
    "Deciding": "facing",
    "Draft": "facing",
    "Facing": "facing",
    "Feedback": "facing",
    "Finished": "facing",
    "Outcome": "facing",
    "Reading": "facing",
    "Step": "facing",
    "steps_of": "facing",
    "DECISION_KINDS": "model",
    "END": "model",
    "ORDER_LABEL": "model",
    "SCORINGS": "model",
    "SOURCE_KINDS": "model",
    "VERDICT_WORDS": "model",
    "VERDICTS": "model",
    "VOICE_HEADINGS": "model",
    "VOICES": "model",
    "Debrief": "model",
    "Decision": "model",
    "Evidence": "model",
    "Finding": "model",
    "GlossaryEntry": "model",
    "Module": "model",
    "Option": "model",
    "RubricConcept": "model",
    "Source": "model",
    "Stage": "model",
    "PlayThrough": "playthrough",
    "ReviewRow": "playthrough",
    "findings_shown_before": "seen",
    "findings_shown_with": "seen",
    "glossary_seen": "seen",
    "skipped_before": "seen",
    "format_time": "clock",
    "utc_now": "clock",
    "Assessment": "scoring",
    "ChosenOption": "scoring",
    "ConceptResult": "scoring",
    "LinkedFinding": "scoring",
    "assess": "scoring",
    "match_phrase": "scoring",
    "normalise": "scoring",
    "verdict_for_score": "scoring",
}
"""The module each name lives in."""


__getattr__ = lazy_names(__name__, _HOMES)
