"""Where a play-through stands: the facts it holds and everything worked out from them.

A `Position` is what ink keeps in its `StoryState`: the answers, the stages and the feedback
moved past, the draft of the answer being given, the case-file items opened. From these it
works out the path, the current stage, what the trainee faces (`facing()`), each answer's
assessment and the module score. `PlayThrough` (`trainer.engine.playthrough`) is a
`Position` with the moves.

The saved state is the answers, the stages moved past and the feedback moved
past; everything else (the path, the current stage, the score) is worked out
from it, so a save holds only facts and a module edited since still resumes
where its ids exist. Of what is being answered but not yet confirmed (the
draft), only the text typed is saved (`kept_draft`: a written answer, a reason),
and never as an answer; a choice not yet confirmed is not kept, and whether the
current stage has been read is not saved. The case-file items opened are saved as
facts too (`PlayThrough.open_items`, `trainer.engine.opened`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from trainer.engine.answer import MAX_DRAFT_CHARS, Answer, KeptDraft
from trainer.engine.clock import Clock, utc_now
from trainer.engine.facing import (
    Deciding,
    Draft,
    Facing,
    Feedback,
    Finished,
    Outcome,
    Reading,
    Step,
)
from trainer.engine.model import END, Decision, Module, Option, Stage
from trainer.engine.order import shown_options
from trainer.engine.walk import Counted, Walked, count, walk
from trainer.errors import AnswerError

if TYPE_CHECKING:
    from trainer.engine.casefile import CaseFile
    from trainer.engine.opened import OpenedItem
    from trainer.engine.scoring import Assessment

# The scoring is imported where an answer is first judged: a learner's first screen is a
# notice, and creating its classes delayed that first frame (docs/performance.md).


@dataclass(frozen=True)
class ReviewRow:
    """One decision on the path taken, for the debrief and the path review."""

    stage: Stage
    decision: Decision
    answer: Answer | None
    assessment: Assessment | None


@dataclass(frozen=True)
class Position:
    """One attempt at a module: answers so far, and everything that follows from them."""

    module: Module
    answers: Sequence[Answer] = ()
    stages_done: Sequence[str] = ()
    feedback_seen: Sequence[str] | None = None
    """Decisions whose feedback the trainee has moved past; None: all answered ones."""
    clock: Clock = field(default=utc_now, compare=False)
    draft: Draft | None = None
    """The answer being given, not yet confirmed (a save keeps its text: `kept_draft`)."""
    opened: str | None = None
    """The stage whose narrative the trainee has read past (never saved)."""
    seed: str | None = None
    """What the order options are shown in is drawn from: the attempt's registration. None
    shows every decision's options in the file's order (the facilitator preview)."""
    items_opened: Sequence[OpenedItem] = ()
    """The case-file items opened in this attempt, each as first opened, in that order."""

    def __post_init__(self) -> None:
        answers = tuple(self.answers)
        seen = self.feedback_seen
        object.__setattr__(self, "answers", answers)
        object.__setattr__(self, "stages_done", tuple(self.stages_done))
        object.__setattr__(self, "items_opened", tuple(self.items_opened))
        object.__setattr__(
            self,
            "feedback_seen",
            tuple(a.decision_id for a in answers) if seen is None else tuple(seen),
        )

    # -- where the trainee is -------------------------------------------------

    @cached_property
    def _answers_by_decision(self) -> dict[str, Answer]:
        found: dict[str, Answer] = {}
        for answer in self.answers:
            found.setdefault(answer.decision_id, answer)
        return found

    @cached_property
    def _feedback_seen_ids(self) -> frozenset[str]:
        return frozenset(self.feedback_seen or ())

    def answer_for(self, decision_id: str) -> Answer | None:
        """The recorded answer to a decision, or None."""
        return self._answers_by_decision.get(decision_id)

    def stage_complete(self, stage: Stage) -> bool:
        """Whether every decision of a stage has a recorded answer."""
        return all(d.id in self._answers_by_decision for d in stage.decisions)

    @cached_property
    def _walked(self) -> Walked:
        """The stages on the path so far, the current one (None once finished), and the ids
        of the stages on the path (`trainer.engine.walk.walk`)."""
        return walk(self, self.__dict__.pop("_walk_from", None))

    @property
    def path(self) -> list[Stage]:
        """Stages visited so far, in order, the current one last."""
        return list(self._walked[0])

    @property
    def current_stage(self) -> Stage | None:
        """The stage the trainee is at, or None once the module is finished."""
        return self._walked[1]

    @property
    def finished(self) -> bool:
        """Whether the module has been played to its end."""
        return self.current_stage is None

    @property
    def pending_decisions(self) -> list[Decision]:
        """The current stage's decisions still to answer, in order."""
        stage = self.current_stage
        if stage is None:
            return []
        return [d for d in stage.decisions if self.answer_for(d.id) is None]

    @property
    def next_decision(self) -> Decision | None:
        """The decision to answer now, or None when none is due."""
        pending = self.pending_decisions
        return pending[0] if pending else None

    def case_file(self) -> CaseFile:
        """What is in the case file now: at the current stage, on the path taken to it (at
        the end, as at the last stage played). The rule is `casefile.case_file_at`."""
        return self._case_file

    @cached_property
    def _case_file(self) -> CaseFile:
        from trainer.engine.casefile import case_file_at

        return case_file_at(self.module, [stage.id for stage in self._walked[0]])

    def shown_options(self, decision: Decision) -> tuple[Option, ...]:
        """A decision's options in the order this attempt shows them (`trainer.engine.order`)."""
        return shown_options(decision, self.seed)

    def next_stage_id(self, stage: Stage) -> str:
        """Where the module goes after a stage, following the brief's branching rule."""
        for decision in reversed(stage.decisions):
            answer = self.answer_for(decision.id)
            if answer is None:
                continue
            for option in decision.options:
                if option.id in answer.choice and option.next:
                    return option.next
        if stage.next:
            return stage.next
        following = self.module.stage_after(stage.id)
        return following.id if following is not None else END

    def facing(self) -> Facing:
        """What the trainee faces now."""
        stage = self.current_stage
        if stage is None:
            return Finished()
        feedback = self._feedback_due(stage)
        if feedback is not None:
            return feedback
        pending = [d for d in stage.decisions if self.answer_for(d.id) is None]
        if self.opened != stage.id and (pending or not stage.decisions):
            return Reading(stage, len(pending))
        if not pending:
            return Outcome(stage)
        return self._decision_due(stage, pending[0])

    def _feedback_due(self, stage: Stage) -> Feedback | None:
        """The feedback on the stage's first answer not yet moved past, if any."""
        seen = self._feedback_seen_ids
        for decision in stage.decisions:
            answer = self.answer_for(decision.id)
            if answer is not None and decision.id not in seen:
                return Feedback(stage, decision, answer, self.assessment_for(decision.id))
        return None

    def _decision_due(self, stage: Stage, decision: Decision) -> Deciding:
        """The decision to answer, at the step its draft has reached."""
        draft = self.draft
        if draft is None or draft.decision_id != decision.id:
            draft = Draft(decision.id)
        suggested: tuple[str, ...] = ()
        if draft.step is Step.TICK:
            from trainer.engine.scoring import match_rubric

            found = match_rubric(self.module, decision.rubric, draft.text or "")
            suggested = tuple(r.concept.id for r in found if r.matched)
        return Deciding(
            stage,
            decision,
            draft.step,
            draft,
            stage.decisions.index(decision) + 1,
            len(stage.decisions),
            suggested,
            self.shown_options(decision),
        )

    @property
    def kept_draft(self) -> KeptDraft | None:
        """What a save keeps of the answer being given: its text typed and not yet recorded
        (a written answer, even one submitted whose ticks are still to come; a reason), or
        None. Choices are never kept: on resume the decision is asked again, its text back
        in place.
        """
        draft = self.draft
        decision = self.next_decision
        if draft is None or decision is None or draft.decision_id != decision.id:
            return None
        text = _kept(draft.text) if decision.kind == "text" else None
        reason = _kept(draft.reason) if decision.asks_reason else None
        # The seconds banked when the app was left (`left`); the running count is not kept,
        # so that writes while the decision is on the screen do not each change the save.
        seconds = round(draft.elapsed, 1) if draft.elapsed else None
        if text is None and reason is None and seconds is None:
            return None
        return KeptDraft(decision.id, text, reason, seconds)

    # -- results --------------------------------------------------------------

    def assessment_for(self, decision_id: str) -> Assessment | None:
        """Re-assess a recorded answer against the module as it is now."""
        answer = self.answer_for(decision_id)
        found = self.module.decision(decision_id)
        if answer is None or found is None:
            return None
        decision = found[1]
        from trainer.engine.scoring import assess

        try:
            return assess(
                self.module,
                decision,
                answer.choice,
                answer.text,
                answer.reason,
                answer.concepts_claimed if decision.claims_concepts else None,
            )
        except AnswerError:
            return None  # the module changed under the answer: the save still holds it

    def review(self) -> list[ReviewRow]:
        """Every decision on the path taken, with its answer and assessment."""
        return [
            ReviewRow(stage, d, self.answer_for(d.id), self.assessment_for(d.id))
            for stage in self.path
            for d in stage.decisions
        ]

    @property
    def counted_answers(self) -> list[Answer]:
        """The answers on the path that count towards the module score."""
        return list(self._counted[0])

    @cached_property
    def _counted(self) -> Counted:
        """The answers on the path that count, in its order, and how many of them are the
        last stage's; carried on from the play-through a move was made from, as the path is
        (`trainer.engine.walk.count`)."""
        path = self._walked[0]
        return count(path, self._answers_by_decision, self.__dict__.pop("_counted_from", None))

    @property
    def module_score(self) -> float | None:
        """Mean score of the judged, scored answers on the path, or None if there are none."""
        scores = [a.score for a in self._counted[0] if a.score is not None]
        return sum(scores) / len(scores) if scores else None


def _kept(typed: str | None) -> str | None:
    """Typed text as a save keeps it: None when blank, and no longer than it may hold."""
    return typed[:MAX_DRAFT_CHARS] if typed and typed.strip() else None
