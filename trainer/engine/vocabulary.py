"""The words a module's values are drawn from: verdicts, kinds of decision, scorings,
voices, kinds of source, person and document, and the rule of which decisions are judged.

The model (`trainer.engine.model`) names each of these too; they live here, apart from its
classes, so that checking a module file (`trainer.content`) needs none of those.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Verdict = Literal["aligned", "partial", "contrary"]
DecisionKind = Literal["single", "multiple", "text", "rank"]
Scoring = Literal["self", "phrases", "none"]

VERDICTS: tuple[Verdict, ...] = ("aligned", "partial", "contrary")
DECISION_KINDS: tuple[DecisionKind, ...] = ("single", "multiple", "text", "rank")
"""Every kind of decision; `rank` is format 2's."""
SCORINGS: tuple[Scoring, ...] = ("self", "phrases", "none")
"""How a written answer is compared (format 2): the trainee's ticks, phrases, or not at all."""
SOURCE_KINDS = ("review", "inquiry", "press", "commentary", "guidance")
"""What a source is (format 2)."""
VOICES = ("review", "review-reported", "inquiry", "comment")
"""Whose words a finding is (format 2), in the order feedback groups them."""
VOICE_HEADINGS: dict[str, str] = {
    "review": "What the review found",
    "review-reported": "The review, as reported",
    "inquiry": "Other official findings",
    "comment": "Comment",
}
"""The heading each voice is shown under; a comment is never under the review's heading."""
ORDER_LABEL = "this module's suggested order"
"""Whose order a rank decision's is, where the module does not say (`order_label`): never
the review's unless a source sets such an order out."""
RANK_ALIGNED = 0.8
"""A rank answer this close to the panel's order (or closer) is aligned."""
RANK_CONTRARY = 0.5
"""A rank answer below this is contrary; between the two, partly aligned."""
END = "end"
"""The `next` value that finishes the module."""
SEXES = ("female", "male", "unknown")
"""A person's sex in the genogram (format 3); `unknown` is drawn as a diamond."""
RELATION_KINDS = ("parent", "partner", "ex-partner", "sibling", "friend", "carer")
"""How two people of the genogram are related (format 3): `parent` and `carer` read from the
first person to the second ("A is a parent of B"), the others both ways."""
DOCUMENT_KINDS = (
    "referral",
    "record",
    "minutes",
    "report",
    "letter",
    "plan",
    "assessment",
    "other",
)
"""What an agency document in the case file is (format 3)."""


def decision_judged(kind: str, verdicts: Iterable[object], scoring: str, has_rubric: bool) -> bool:
    """Whether an answer to a decision of this kind is compared with the review: the rule of
    `Decision.judged`, which the validator follows on a module's tables as they are read.

    Args:
        verdicts: the options' verdicts, None where an option has none (read only for a
            single or multiple decision).
        scoring: how a written answer is compared (`scoring`, or its format's default).
    """
    if kind == "text":
        return scoring != "none" and has_rubric
    if kind == "rank":
        return True
    return any(verdict is not None for verdict in verdicts)
