"""An answer as a play-through takes it: what a choice must be to be taken, and the `Answer`
recorded from a confirmed draft, with the findings it did not reach."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from trainer.engine.answer import NOT_JUDGED, Answer
from trainer.engine.clock import format_time
from trainer.engine.facing import Deciding, Draft
from trainer.engine.model import Decision, Module, Option
from trainer.errors import AnswerError

if TYPE_CHECKING:
    from trainer.engine.scoring import Assessment

# The scoring is imported where an answer is first judged: a learner's first screen is a
# notice, and creating its classes delayed that first frame (docs/performance.md).

_NOTHING_CHOSEN = {
    "single": "choose an option first",
    "multiple": "choose at least one option first",
}


def check_choice(
    module: Module, decision: Decision, choice: Sequence[str], text: str | None
) -> None:
    """Refuse a choice (option ids) or a written answer that does not fit the decision.

    Raises:
        AnswerError: nothing chosen or written, a rank not placing every option, or an
            option the decision does not offer.
    """
    if decision.kind == "text":
        if text is None or not text.strip():
            raise AnswerError("write an answer first")
    elif not choice and decision.kind in _NOTHING_CHOSEN:
        raise AnswerError(_NOTHING_CHOSEN[decision.kind])
    elif decision.kind == "rank" and len(choice) != len(decision.options):
        raise AnswerError(f"put all {len(decision.options)} options in order first")
    from trainer.engine.scoring import assess

    assess(module, decision, choice, text)  # refuses what does not fit


def recorded(module: Module, deciding: Deciding, draft: Draft, now: datetime) -> Answer:
    """The answer a confirmed draft records, assessed against the module, at `now` (one moment
    for when it was confirmed and the seconds counted up to it)."""
    decision = deciding.decision
    text = draft.text if decision.kind == "text" else None
    reason = draft.reason if decision.asks_reason else None
    from trainer.engine.scoring import assess

    assessment = assess(module, decision, draft.choice, text, reason, draft.concepts_ticked)
    chosen = _chosen(decision, draft.choice)
    happened = decision.happened
    return Answer(
        stage_id=deciding.stage.id,
        decision_id=decision.id,
        prompt=decision.prompt,
        kind=decision.kind,
        choice=tuple(o.id for o in chosen),
        choice_texts=tuple(o.text for o in chosen),
        text=text,
        reason=reason,
        confidence=draft.confidence,
        verdict=assessment.verdict or NOT_JUDGED,
        score=assessment.score,
        scored=decision.scored,
        concepts_matched=assessment.concepts_matched,
        concepts_missed=assessment.concepts_missed,
        answered_at=format_time(now),
        options=_offered(decision),
        findings=tuple(linked.finding.id for linked in assessment.findings),
        missed_findings=missed_findings(decision, assessment),
        concepts_claimed=assessment.concepts_claimed,
        panel_order=decision.panel_order,
        happened=happened.id if happened is not None else None,
        scoring=decision.scoring if decision.kind == "text" else None,
        shown_order=tuple(o.id for o in deciding.options),
        seconds=draft.seconds(now),
    )


def _chosen(decision: Decision, choice: Sequence[str]) -> list[Option]:
    """The options chosen: a rank's in the trainee's order, any other's in the file's."""
    if decision.kind == "rank":
        by_id = {o.id: o for o in decision.options}
        return [by_id[i] for i in choice]
    return [o for o in decision.options if o.id in choice]


def _offered(decision: Decision) -> tuple[tuple[str, str, str], ...]:
    """Every option the decision offered, as (id, text, verdict): exports need no module."""
    return tuple((o.id, o.text, o.verdict or NOT_JUDGED) for o in decision.options)


def missed_findings(decision: Decision, assessment: Assessment) -> tuple[str, ...]:
    """Findings the answer did not reach: behind aligned options left out, or concepts missed
    (none for a rank, whose every option is placed, or for an answer not judged)."""
    if not assessment.judged or decision.kind == "rank":
        return ()
    if decision.kind == "text":
        missed = [r.concept.finding for r in assessment.concepts if not r.covered]
        return tuple(dict.fromkeys(f for f in missed if f is not None))
    return tuple(dict.fromkeys(_left_out(decision, assessment)))


def _left_out(decision: Decision, assessment: Assessment) -> list[str]:
    """The findings behind the aligned options a choice left out."""
    chosen = {c.option.id for c in assessment.chosen}
    return [
        f
        for o in decision.options
        if o.verdict == "aligned" and o.id not in chosen
        for f in o.findings
    ]
