"""A play-through: where a trainee is in a module, what they face next, and what they answered.

The shape is ink's `Story`: `facing()` says what the trainee faces (a stage to
read, a decision at one of its steps, feedback, an outcome, the end), and each
move (`read`, `choose`, `rate`, `give_reason`, `back`, `proceed`) returns a
new play-through, leaving this one as it was. A player that saves adopts the
new play-through only once it is on disk, so a failed write leaves nothing to
undo.

The saved state is the answers, the stages moved past and the feedback moved
past; everything else (the path, the current stage, the score) is worked out
from it, so a save holds only facts and a module edited since still resumes
where its ids exist. Of what is being answered but not yet confirmed (the
draft), only the text typed is saved (`kept_draft`: a written answer, a reason),
and never as an answer; a choice not yet confirmed is not kept, and whether the
current stage has been read is not saved. The case-file items opened are saved as
facts too (`open_items`, `trainer.engine.opened`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from trainer.engine.answer import (
    MAX_DRAFT_CHARS,
    NOT_JUDGED,
    Answer,
    KeptDraft,
    _check_list,
    _strs,
)
from trainer.engine.clock import Clock, format_time, utc_now
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
from trainer.errors import AnswerError

if TYPE_CHECKING:
    from trainer.engine.casefile import CaseFile
    from trainer.engine.opened import OpenedItem
    from trainer.engine.scoring import Assessment

# The scoring is imported where an answer is first judged: a learner's first screen is a
# notice, and creating its classes delayed that first frame (docs/performance.md).

__all__ = ["Answer", "Clock", "PlayThrough", "ReviewRow", "format_time", "utc_now"]


def _missed_findings(decision: Decision, assessment: Assessment) -> tuple[str, ...]:
    """Findings the answer did not reach: behind aligned options left out, or concepts missed."""
    if not assessment.judged:
        return ()
    if decision.kind == "text":
        ids = [r.concept.finding for r in assessment.concepts if not r.covered]
    elif decision.kind == "rank":
        return ()
    else:
        chosen = {c.option.id for c in assessment.chosen}
        ids = [
            f
            for o in decision.options
            if o.verdict == "aligned" and o.id not in chosen
            for f in o.findings
        ]
    return tuple(dict.fromkeys(f for f in ids if f is not None))


@dataclass(frozen=True)
class ReviewRow:
    """One decision on the path taken, for the debrief and the path review."""

    stage: Stage
    decision: Decision
    answer: Answer | None
    assessment: Assessment | None


@dataclass(frozen=True)
class PlayThrough:
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

    def _with(self, **changes: Any) -> PlayThrough:
        """This play-through after a move. A move only ever adds (an answer, a stage or a
        feedback moved past), so what was worked out from the old lists (the path walked so
        far, the answers by decision, the feedback seen) is carried on and extended, not
        worked out again from the start: a move costs the same at the end of a long module
        as at its start."""
        moved = dataclasses.replace(self, **changes)
        known, carried = self.__dict__, moved.__dict__
        answers, old_answers = moved.answers, self.answers
        grown_answers = answers[: len(old_answers)] == old_answers
        if grown_answers and "_answers_by_decision" in known:
            found = dict(known["_answers_by_decision"])
            for answer in answers[len(old_answers) :]:
                found.setdefault(answer.decision_id, answer)
            carried["_answers_by_decision"] = found
        done, old_done = moved.stages_done, self.stages_done
        if grown_answers and done[: len(old_done)] == old_done:
            # What this one carried and never worked out holds for the new one too.
            walked = known.get("_walked", known.get("_walk_from"))
            if walked is not None:
                carried["_walk_from"] = walked
                if "_counted" in known:
                    carried["_counted_from"] = (known["_counted"], len(walked[0]))
                elif "_counted_from" in known:
                    carried["_counted_from"] = known["_counted_from"]
        seen, old_seen = moved.feedback_seen or (), self.feedback_seen or ()
        if seen[: len(old_seen)] == old_seen and "_feedback_seen_ids" in known:
            carried["_feedback_seen_ids"] = known["_feedback_seen_ids"].union(
                seen[len(old_seen) :]
            )
        return moved

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

    def _stage_complete(self, stage: Stage) -> bool:
        return all(d.id in self._answers_by_decision for d in stage.decisions)

    @cached_property
    def _walked(self) -> tuple[tuple[Stage, ...], Stage | None, frozenset[str]]:
        """The stages on the path so far, the current one (None once finished), and the ids
        of the stages on the path.

        A play-through made by a move from one whose path was known walks on from where
        that one stood (`_with`): answers and stages moved past are only ever added, so
        every stage behind the current one stays behind it, as it was.
        """
        before = self.__dict__.pop("_walk_from", None)
        path: tuple[Stage, ...] = ()
        stage: Stage | None = self.module.stages[0] if self.module.stages else None
        ids: frozenset[str] = frozenset()
        if before is not None:
            path, stage, ids = before
            if stage is None:
                return path, None, ids  # finished stays finished: nothing follows the end
            path, ids = path[:-1], ids - {stage.id}  # the current stage may be done now
        done = self.stages_done if before is not None else set(self.stages_done)
        walked: list[Stage] = []
        seen: set[str] = set()
        while stage is not None and stage.id not in ids and stage.id not in seen:
            seen.add(stage.id)
            walked.append(stage)
            if not (stage.id in done and self._stage_complete(stage)):
                return (*path, *walked), stage, ids.union(seen)
            following = self.next_stage_id(stage)
            stage = None if following == END else self.module.stage(following)
        return (*path, *walked), None, ids.union(seen)

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
        seen = self._feedback_seen_ids
        for decision in stage.decisions:
            answer = self.answer_for(decision.id)
            if answer is not None and decision.id not in seen:
                return Feedback(stage, decision, answer, self.assessment_for(decision.id))
        pending = [d for d in stage.decisions if self.answer_for(d.id) is None]
        if self.opened != stage.id and (pending or not stage.decisions):
            return Reading(stage, len(pending))
        if not pending:
            return Outcome(stage)
        decision = pending[0]
        draft = self.draft
        if draft is None or draft.decision_id != decision.id:
            draft = Draft(decision.id)
        number = stage.decisions.index(decision) + 1
        suggested: tuple[str, ...] = ()
        if draft.step is Step.CLAIM:
            from trainer.engine.scoring import match_rubric

            found = match_rubric(self.module, decision.rubric, draft.text or "")
            suggested = tuple(r.concept.id for r in found if r.matched)
        return Deciding(
            stage,
            decision,
            draft.step,
            draft,
            number,
            len(stage.decisions),
            suggested,
            self.shown_options(decision),
        )

    # -- moves ----------------------------------------------------------------

    def read(self) -> PlayThrough:
        """Move on from a stage's narrative: to its decision, its outcome, or the next stage."""
        facing = self.facing()
        if not isinstance(facing, Reading):
            raise AnswerError("there is no stage to read now")
        stage = facing.stage
        if stage.decisions or _has_outcome(stage):
            return self._with(opened=stage.id)
        return self._stage_done(stage)

    def choose(self, choice: Sequence[str] = (), text: str | None = None) -> PlayThrough:
        """Give the choice (option ids) or the written answer for the decision due.

        Raises:
            AnswerError: not at a choice, or an answer that does not fit the decision.
        """
        deciding = self._deciding(Step.CHOICE)
        decision = deciding.decision
        if decision.kind == "text":
            if text is None or not text.strip():
                raise AnswerError("write an answer first")
        elif decision.kind == "single" and not choice:
            raise AnswerError("choose an option first")
        elif decision.kind == "multiple" and not choice:
            raise AnswerError("choose at least one option first")
        elif decision.kind == "rank" and len(choice) != len(decision.options):
            raise AnswerError(f"put all {len(decision.options)} options in order first")
        from trainer.engine.scoring import assess

        assess(self.module, decision, choice, text)  # refuses what does not fit
        if decision.kind == "rank":
            ordered = tuple(choice)  # the trainee's order is the answer
        else:  # as they were shown, until the answer records them in the file's order
            ordered = tuple(o.id for o in deciding.options if o.id in choice)
        previous = deciding.draft
        # Ticks given for an earlier version of a written answer do not carry over to a new one.
        claimed = previous.claimed if text == previous.text else None
        draft = dataclasses.replace(previous, choice=ordered, text=text, claimed=claimed)
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

    def claim(self, concepts: Sequence[str]) -> PlayThrough:
        """Tick the concepts the written answer covered (none is an answer too)."""
        deciding = self._deciding(Step.CLAIM)
        known = {c.id for c in deciding.decision.rubric}
        unknown = [c for c in concepts if c not in known]
        if unknown:
            raise AnswerError(f"there is no concept {unknown[0]!r} here")
        ticked = tuple(c.id for c in deciding.decision.rubric if c.id in concepts)
        return self._advance(deciding, dataclasses.replace(deciding.draft, claimed=ticked))

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
            return self._with(draft=draft, opened=None)
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
        text = draft.text if decision.kind == "text" else None
        reason = draft.reason if decision.asks_reason else None
        text = text[:MAX_DRAFT_CHARS] if text and text.strip() else None
        reason = reason[:MAX_DRAFT_CHARS] if reason and reason.strip() else None
        # The seconds banked when the app was left (`left`); the running count is not kept,
        # so that writes while the decision is on the screen do not each change the save.
        seconds = round(draft.elapsed, 1) if draft.elapsed else None
        if text is None and reason is None and seconds is None:
            return None
        return KeptDraft(decision.id, text, reason, seconds)

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
            if moved._stage_complete(stage) and not _has_outcome(stage):
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
        claimed: Sequence[str] | None = None,
    ) -> PlayThrough:
        """Answer the decision due in one go, step by step, as a scripted player does.

        `claimed` is what to tick at a claim step; None ticks just what is suggested.

        From the stage's narrative or the decision's first step, through each step
        the decision takes; the result faces the answer's feedback.

        Raises:
            AnswerError: no decision is due, a step's value is missing, or it does not fit.
        """
        pt = self
        if isinstance(pt.facing(), Reading):
            pt = pt.read()
        facing = pt.facing()
        if not isinstance(facing, Deciding):
            raise AnswerError("no decision is due now")
        pt = pt.choose(choice, text)
        for step in facing.remaining[1:]:
            if step is Step.CONFIDENCE:
                if confidence is None:
                    raise AnswerError(f"decision {facing.decision.id!r} asks how sure you are")
                pt = pt.rate(confidence)
            elif step is Step.REASON:
                pt = pt.give_reason(reason or "")
            elif step is Step.CLAIM:
                due = pt.facing()
                assert isinstance(due, Deciding)
                pt = pt.claim(due.suggested if claimed is None else claimed)
        return pt

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
        decision = deciding.decision
        text = draft.text if decision.kind == "text" else None
        reason = draft.reason if decision.asks_reason else None
        from trainer.engine.scoring import assess

        assessment = assess(self.module, decision, draft.choice, text, reason, draft.claimed)
        by_id = {o.id: o for o in decision.options}
        chosen = (
            [by_id[i] for i in draft.choice]
            if decision.kind == "rank"
            else [o for o in decision.options if o.id in draft.choice]
        )
        happened = decision.happened
        now = self.clock()  # one moment for when it was confirmed and the seconds to it
        answer = Answer(
            stage_id=deciding.stage.id,
            decision_id=decision.id,
            prompt=decision.prompt,
            kind=decision.kind,
            choice=tuple(o.id for o in chosen),
            choice_texts=tuple(o.text for o in chosen),
            text=text,
            reflection=reason,
            confidence=draft.confidence,
            verdict=assessment.verdict or NOT_JUDGED,
            score=assessment.score,
            scored=decision.scored,
            concepts_matched=assessment.concepts_matched,
            concepts_missed=assessment.concepts_missed,
            answered_at=format_time(now),
            options=tuple((o.id, o.text, o.verdict or NOT_JUDGED) for o in decision.options),
            findings=tuple(linked.finding.id for linked in assessment.findings),
            missed_findings=_missed_findings(decision, assessment),
            concepts_claimed=assessment.concepts_claimed,
            panel_order=decision.panel_order,
            happened=happened.id if happened is not None else None,
            scoring=decision.scoring if decision.kind == "text" else None,
            shown_order=tuple(o.id for o in deciding.options),
            seconds=draft.seconds(now),
        )
        return self._with(answers=(*self.answers, answer), draft=None, opened=deciding.stage.id)

    def _stage_done(self, stage: Stage) -> PlayThrough:
        done = tuple(self.stages_done)
        if stage.id not in done:
            done = (*done, stage.id)
        return self._with(stages_done=done, opened=None, draft=None)

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
                answer.reflection,
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
    def _counted(self) -> tuple[tuple[Answer, ...], int]:
        """The answers on the path that count, in its order, and how many of them are the
        last stage's. Carried on from the play-through a move was made from, as the path
        is (`_with`): the stages before its last are the same, so only the rest is looked at.
        """
        path = self._walked[0]
        counted: list[Answer] = []
        start = 0
        before = self.__dict__.pop("_counted_from", None)
        if before is not None:
            (old_counted, old_last), old_length = before
            if old_length:
                counted = list(old_counted[: len(old_counted) - old_last])
                start = old_length - 1
        by_decision = self._answers_by_decision
        last = 0
        for stage in path[start:]:
            last = 0
            for decision in stage.decisions:
                answer = by_decision.get(decision.id)
                if answer is not None and answer.counts:
                    counted.append(answer)
                    last += 1
        return tuple(counted), last

    @property
    def module_score(self) -> float | None:
        """Mean score of the judged, scored answers on the path, or None if there are none."""
        scores = [a.score for a in self._counted[0] if a.score is not None]
        return sum(scores) / len(scores) if scores else None

    # -- state ----------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """The play-through as plain data: the answers (also those to decisions since
        removed), the text typed for the answer being given and the case-file items opened, if
        any. The app's saves do not use it (`saves.format.Attempt` copies a play-through and
        rebuilds one); tests do."""
        state: dict[str, Any] = {
            "stages_done": list(self.stages_done),
            "feedback_seen": list(self.feedback_seen or ()),
            "answers": [answer.to_data() for answer in self.answers],
        }
        kept = self.kept_draft
        if kept is not None:
            state["draft"] = kept.to_data()
        if self.items_opened:
            state["opened"] = [item.to_data() for item in self.items_opened]
        return state

    @classmethod
    def from_state(
        cls,
        module: Module,
        state: Mapping[str, Any],
        clock: Clock = utc_now,
        seed: str | None = None,
    ) -> PlayThrough:
        """Rebuild a play-through from `to_state()` data (`seed` is the attempt's registration,
        which the save keeps beside the state).

        Raises KeyError, TypeError or ValueError when the data is malformed.
        """
        stages_done = _strs(state.get("stages_done", []))
        answers = [Answer.from_data(a) for a in _check_list(state.get("answers", []))]
        seen = state.get("feedback_seen")
        kept = state.get("draft")
        draft = None if kept is None else Draft.resumed(KeptDraft.from_data(kept))
        feedback_seen = None if seen is None else _strs(seen)
        from trainer.engine.opened import OpenedItem

        opened = [OpenedItem.from_data(item) for item in _check_list(state.get("opened", []))]
        return cls(
            module,
            answers,
            stages_done,
            feedback_seen,
            clock,
            draft,
            seed=seed,
            items_opened=opened,
        )


def _typed_into(deciding: Deciding, text: str) -> Draft:
    """The draft with `text` typed into the field of its step: the written answer, or the
    reason. Ticks given for another version of a written answer are dropped."""
    draft = deciding.draft
    if deciding.step is Step.CHOICE and deciding.decision.kind == "text":
        claimed = draft.claimed if text == draft.text else None
        return dataclasses.replace(draft, text=text, claimed=claimed)
    if deciding.step is Step.REASON:
        return dataclasses.replace(draft, reason=text)
    raise AnswerError(f"there is nothing to type at the {deciding.step.value} step")


def _has_outcome(stage: Stage) -> bool:
    return bool(stage.outcome or stage.outcome_findings)
