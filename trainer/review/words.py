"""The words an answer's review is said in, wherever it is shown: verdicts with their signs,
how sure, a score, whose order. Each is written here once."""

from __future__ import annotations

from trainer.engine import VERDICT_WORDS, Answer, ConceptResult, Decision

VERDICT_SIGNS = {"aligned": "✓", "partial": "~", "contrary": "✗"}
"""The sign beside each verdict's words: meaning never rests on colour alone."""

NOT_JUDGED_WORDS = "Recorded, not judged"
"""Said of an answer that was not compared with the review, in place of a verdict (never
counted as contrary)."""

CONFIDENCE_WORDS = {
    1: "not at all sure",
    2: "not very sure",
    3: "fairly sure",
    4: "quite sure",
    5: "very sure",
}
"""How each confidence level is said, 1 to 5."""


def verdict_said(verdict: str) -> str:
    """ "✓ Aligned with the review": a verdict in words, after its sign ("?" and the verdict
    itself for one the trainer does not know)."""
    return f"{VERDICT_SIGNS.get(verdict, '?')} {VERDICT_WORDS.get(verdict, verdict)}"


def answer_verdict_said(answer: Answer) -> str:
    """An answer's verdict as `verdict_said` says it, or "– Recorded, not judged"."""
    return verdict_said(answer.verdict) if answer.judged else f"– {NOT_JUDGED_WORDS}"


def percent(score: float | None) -> str:
    """A score in words: "72%" or "not scored"."""
    return "not scored" if score is None else f"{round(score * 100)}%"


def order_name(decision: Decision) -> str:
    """Whose order a rank decision's is, to begin a line: the module's `order_label`
    ("This module's suggested order" unless it says otherwise)."""
    label = decision.order_label.strip()
    return label[:1].upper() + label[1:]


def suggestion_words(result: ConceptResult) -> str:
    """What a concept the phrases suggested says beside its tick: a suggestion the trainee
    left unticked is said to be one, so it never reads as if their answer covered it."""
    if result.ticked:
        return "suggested from your words"
    return "suggested from your words, not ticked"
