"""A play-through: a trainee's attempt at a module, and the moves that take it on.

The shape is ink's `Story`: `facing()` says what the trainee faces (a stage to
read, a decision at one of its steps, feedback, an outcome, the end), and each
move (`finish_reading`, `choose`, `rate`, `give_reason`, `tick_concepts`, `back`, `proceed`) returns a
new play-through, leaving this one as it was. A player that saves adopts the
new play-through only once it is on disk, so a failed write leaves nothing to
undo. What a play-through holds and works out from it, and what of it is saved, is its
`Position` (`trainer.engine.position`); this module adds the moves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from trainer.engine.answer import Answer
from trainer.engine.answering import check_choice, recorded
from trainer.engine.clock import Clock, format_time, utc_now
from trainer.engine.facing import Deciding, Draft, Feedback, Finished, Outcome, Reading, Step
from trainer.engine.model import Decision, Stage
from trainer.engine.position import Position, ReviewRow
from trainer.engine.walk import carry
from trainer.errors import AnswerError

__all__ = ["Answer", "Clock", "PlayThrough", "ReviewRow", "format_time", "utc_now"]


@dataclass(frozen=True)
class PlayThrough(Position):
    """One attempt at a module, with the moves that take it on: each returns a new
    play-through."""

    def _with(self, **changes: Any) -> PlayThrough:
        """This play-through after a move, carrying on what was worked out from the lists a
        move only adds to (`trainer.engine.walk.carry`)."""
        moved = dataclasses.replace(self, **changes)
        carry(self, moved)
        return moved

    # -- moves ----------------------------------------------------------------

    def finish_reading(self) -> PlayThrough:
        """Move on from a stage's narrative: to its decision, its outcome, or the next stage."""
        facing = self.facing()
        if not isinstance(facing, Reading):
            raise AnswerError("there is no stage to read now")
        stage = facing.stage
        if stage.decisions or _has_outcome(stage):
            return self._with(read_past=stage.id)
        return self._stage_done(stage)

    def choose(self, choice: Sequence[str] = (), text: str | None = None) -> PlayThrough:
        """Give the choice (option ids) or the written answer for the decision due.

        Raises:
            AnswerError: not at a choice, or an answer that does not fit the decision.
        """
        deciding = self._deciding(Step.CHOICE)
        decision = deciding.decision
        check_choice(self.module, decision, choice, text)
        if decision.kind == "rank":
            ordered = tuple(choice)  # the trainee's order is the answer
        else:  # as they were shown, until the answer records them in the file's order
            ordered = tuple(o.id for o in deciding.options if o.id in choice)
        previous = deciding.draft
        # Ticks given for an earlier version of a written answer do not carry over to a new one.
        concepts_ticked = previous.concepts_ticked if text == previous.text else None
        draft = dataclasses.replace(previous, choice=ordered, text=text, concepts_ticked=concepts_ticked)
        return self._advance(deciding, draft)

    def rate(self, confidence: int) -> PlayThrough:
        """Say how sure the trainee is, 1 to 5."""
        deciding = self._deciding(Step.CONFIDENCE)
        if isinstance(confidence, bool) or not 1 <= confidence <= 5:
            raise AnswerError("confidence is a whole number from 1 to 5")
        return self._advance(deciding, dataclasses.replace(deciding.draft, confidence=confidence))

    def give_reason(self, reason: str) -> PlayThrough:
        """Give the one-line reason; it cannot be empty."""
        deciding = self._deciding(Step.REASON)
        reason = " ".join(reason.split())
        if not reason:
            raise AnswerError("a reason is needed: type one line")
        return self._advance(deciding, dataclasses.replace(deciding.draft, reason=reason))

    def tick_concepts(self, concepts: Sequence[str]) -> PlayThrough:
        """Tick the concepts the written answer covered (none is an answer too)."""
        deciding = self._deciding(Step.TICK)
        known = {c.id for c in deciding.decision.rubric}
        unknown = [c for c in concepts if c not in known]
        if unknown:
            raise AnswerError(f"there is no concept {unknown[0]!r} here")
        ticked = tuple(c.id for c in deciding.decision.rubric if c.id in concepts)
        return self._advance(deciding, dataclasses.replace(deciding.draft, concepts_ticked=ticked))

    def back(self, unconfirmed: Sequence[str] = (), typed: str | None = None) -> PlayThrough:
        """Go back one step of the answer being given (from the choice, to the stage).

        Args:
            unconfirmed: going back from the choice, the options highlighted or ticked but
                not confirmed, so they are still there when the trainee comes back.
            typed: the text in the step's field (a written answer, a reason), not yet
                confirmed: it is kept, and is there again when the trainee comes back.
        """
        facing = self.facing()
        if not isinstance(facing, Deciding):
            raise AnswerError("there is no step to go back to")
        draft = facing.draft if typed is None else _typed_into(facing, typed)
        steps = facing.steps
        index = steps.index(facing.step)
        if index == 0:
            known = {o.id for o in facing.decision.options}
            kept = tuple(o for o in unconfirmed if o in known)
            draft = dataclasses.replace(draft, choice=kept) if kept else draft
            return self._with(draft=draft, read_past=None)
        draft = dataclasses.replace(draft, step=steps[index - 1])
        return self._with(draft=draft)

    def open_items(self, items: Iterable[tuple[str, str]]) -> PlayThrough:
        """Record case-file items ((kind, id) pairs) as opened now, at the current stage:
        each only the first time in the attempt (see `trainer.engine.opened` for what
        counts as opened). Nothing else changes; with nothing new, this play-through.

        Raises:
            AnswerError: an item not in the case file at this stage, or of an unknown kind.
        """
        from trainer.engine.opened import newly_opened

        try:
            new = newly_opened(
                self.items_opened,
                self.case_file(),
                items,
                format_time(self.clock()),
                len(self.answers),
            )
        except ValueError as error:
            raise AnswerError(str(error)) from None
        if not new:
            return self
        return self._with(items_opened=(*self.items_opened, *new))

    def open_item(self, kind: str, item_id: str) -> PlayThrough:
        """Record one case-file item as opened (see `open_items`)."""
        return self.open_items([(kind, item_id)])

    def typed(self, text: str) -> PlayThrough:
        """Keep the text in the field of the step due (a written answer, a reason) as typed so
        far, not confirmed: going back, or quitting, does not lose it.

        Raises:
            AnswerError: no decision is due, or its step has no text to type.
        """
        facing = self.facing()
        if not isinstance(facing, Deciding):
            raise AnswerError("no decision is due now")
        return self._with(draft=_typed_into(facing, text))

    def shown(self) -> PlayThrough:
        """The decision due is on the screen: its seconds count from now (from its first
        showing, or on from those counted before the app was last left). Anything else, or
        a decision already being counted: this play-through."""
        facing = self.facing()
        if not isinstance(facing, Deciding) or facing.draft.shown_at is not None:
            return self
        return self._with(draft=dataclasses.replace(facing.draft, shown_at=self.clock()))

    def left(self) -> PlayThrough:
        """The app is being left (quit, or the module closed): the seconds of the decision
        being counted are banked in the draft, which the save keeps (`kept_draft`), and the
        time until it is shown again is not counted. Nothing counted: this play-through."""
        draft = self.draft
        if draft is None or draft.shown_at is None:
            return self
        seconds = draft.seconds(self.clock()) or 0.0
        return self._with(draft=dataclasses.replace(draft, elapsed=seconds, shown_at=None))

    def proceed(self) -> PlayThrough:
        """Move on from feedback or from a stage's outcome."""
        facing = self.facing()
        if isinstance(facing, Feedback):
            seen = (*(self.feedback_seen or ()), facing.decision.id)
            moved = self._with(feedback_seen=seen)
            stage = facing.stage
            if moved.stage_complete(stage) and not _has_outcome(stage):
                after = moved.facing()
                if isinstance(after, Outcome):
                    return moved._stage_done(stage)
            return moved
        if isinstance(facing, Outcome):
            return self._stage_done(facing.stage)
        if isinstance(facing, Finished):
            raise AnswerError("the module is finished")
        raise AnswerError("there is no feedback or outcome to move on from")

    def respond(
        self,
        choice: Sequence[str] = (),
        text: str | None = None,
        confidence: int | None = None,
        reason: str | None = None,
        concepts_ticked: Sequence[str] | None = None,
    ) -> PlayThrough:
        """Answer the decision due in one go, step by step, as a scripted player does.

        `concepts_ticked` is what to tick at a claim step; None ticks just what is suggested.

        From the stage's narrative or the decision's first step, through each step
        the decision takes; the result faces the answer's feedback.

        Raises:
            AnswerError: no decision is due, a step's value is missing, or it does not fit.
        """
        pt = self
        if isinstance(pt.facing(), Reading):
            pt = pt.finish_reading()
        facing = pt.facing()
        if not isinstance(facing, Deciding):
            raise AnswerError("no decision is due now")
        pt = pt.choose(choice, text)
        for step in facing.remaining[1:]:
            pt = pt._give(step, facing.decision, confidence, reason, concepts_ticked)
        return pt

    def _give(
        self,
        step: Step,
        decision: Decision,
        confidence: int | None,
        reason: str | None,
        concepts_ticked: Sequence[str] | None,
    ) -> PlayThrough:
        """One step after the choice, as `respond` gives it."""
        if step is Step.CONFIDENCE:
            if confidence is None:
                raise AnswerError(f"decision {decision.id!r} asks how sure you are")
            return self.rate(confidence)
        if step is Step.REASON:
            return self.give_reason(reason or "")
        due = self.facing()
        assert isinstance(due, Deciding)
        return self.tick_concepts(due.suggested if concepts_ticked is None else concepts_ticked)

    def _deciding(self, step: Step) -> Deciding:
        facing = self.facing()
        if not isinstance(facing, Deciding):
            raise AnswerError("no decision is due now")
        if facing.step is not step:
            raise AnswerError(f"the step due is {facing.step.value}, not {step.value}")
        return facing

    def _advance(self, deciding: Deciding, draft: Draft) -> PlayThrough:
        """The draft at the next step, or, after the last step, the answer recorded."""
        remaining = deciding.remaining
        if len(remaining) > 1:
            return self._with(draft=dataclasses.replace(draft, step=remaining[1]))
        return self._record(deciding, draft)

    def _record(self, deciding: Deciding, draft: Draft) -> PlayThrough:
        answer = recorded(self.module, deciding, draft, self.clock())
        return self._with(answers=(*self.answers, answer), draft=None, read_past=deciding.stage.id)

    def _stage_done(self, stage: Stage) -> PlayThrough:
        done = tuple(self.stages_done)
        if stage.id not in done:
            done = (*done, stage.id)
        return self._with(stages_done=done, read_past=None, draft=None)


def _typed_into(deciding: Deciding, text: str) -> Draft:
    """The draft with `text` typed into the field of its step: the written answer, or the
    reason. Ticks given for another version of a written answer are dropped."""
    draft = deciding.draft
    if deciding.step is Step.CHOICE and deciding.decision.kind == "text":
        concepts_ticked = draft.concepts_ticked if text == draft.text else None
        return dataclasses.replace(draft, text=text, concepts_ticked=concepts_ticked)
    if deciding.step is Step.REASON:
        return dataclasses.replace(draft, reason=text)
    raise AnswerError(f"there is nothing to type at the {deciding.step.value} step")


def _has_outcome(stage: Stage) -> bool:
    return bool(stage.outcome or stage.outcome_findings)
