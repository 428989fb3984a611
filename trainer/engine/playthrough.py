"""A play-through: where a trainee is in a module, what they may do next, and what they answered.

The state is the list of answers and of stages moved past; everything else
(the path, the current stage, the score) is worked out from it, so a save
holds only facts and a module edited since still resumes where its ids exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from trainer.engine.model import END, Decision, Module, Stage
from trainer.engine.scoring import Assessment, assess
from trainer.errors import AnswerError

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time in UTC (the default clock)."""
    return datetime.now(UTC)


def format_time(moment: datetime) -> str:
    """ISO 8601 UTC with milliseconds and `Z`, the one form every record uses."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class Answer:
    """One recorded answer: what was asked, what was answered, and how it compared."""

    stage_id: str
    decision_id: str
    prompt: str
    kind: str
    choice: tuple[str, ...] = ()
    choice_texts: tuple[str, ...] = ()
    text: str | None = None
    reflection: str | None = None
    confidence: int | None = None
    verdict: str = "contrary"
    score: float = 0.0
    scored: bool = True
    concepts_matched: tuple[str, ...] = ()
    concepts_missed: tuple[str, ...] = ()
    answered_at: str = ""
    options: tuple[tuple[str, str, str], ...] = ()
    """Every option the decision offered, as (id, text, verdict): exports need no module."""
    findings: tuple[str, ...] = ()
    """Ids of the findings shown with the feedback."""
    missed_findings: tuple[str, ...] = ()
    """Ids of findings behind aligned options left out, or behind concepts missed."""

    def to_data(self) -> dict[str, Any]:
        """Plain data for a save file (no None values: TOML has no null)."""
        data: dict[str, Any] = {
            "stage": self.stage_id,
            "decision": self.decision_id,
            "prompt": self.prompt,
            "kind": self.kind,
            "choice": list(self.choice),
            "choice_texts": list(self.choice_texts),
            "verdict": self.verdict,
            "score": self.score,
            "scored": self.scored,
            "concepts_matched": list(self.concepts_matched),
            "concepts_missed": list(self.concepts_missed),
            "answered_at": self.answered_at,
            "options": [{"id": i, "text": t, "verdict": v} for i, t, v in self.options],
            "findings": list(self.findings),
            "missed_findings": list(self.missed_findings),
        }
        if self.text is not None:
            data["text"] = self.text
        if self.reflection is not None:
            data["reflection"] = self.reflection
        if self.confidence is not None:
            data["confidence"] = self.confidence
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Answer:
        """Read an answer back from plain data; KeyError/TypeError/ValueError if malformed."""
        confidence = data.get("confidence")
        text = data.get("text")
        reflection = data.get("reflection")
        answer = cls(
            stage_id=_str(data["stage"]),
            decision_id=_str(data["decision"]),
            prompt=_str(data.get("prompt", "")),
            kind=_str(data["kind"]),
            choice=_strs(data.get("choice", [])),
            choice_texts=_strs(data.get("choice_texts", [])),
            text=None if text is None else _str(text),
            reflection=None if reflection is None else _str(reflection),
            confidence=None if confidence is None else _int(confidence),
            verdict=_str(data["verdict"]),
            score=_float(data["score"]),
            scored=_bool(data.get("scored", True)),
            concepts_matched=_strs(data.get("concepts_matched", [])),
            concepts_missed=_strs(data.get("concepts_missed", [])),
            answered_at=_str(data.get("answered_at", "")),
            options=tuple(
                (_str(o["id"]), _str(o["text"]), _str(o["verdict"]))
                for o in _check_list(data.get("options", []))
            ),
            findings=_strs(data.get("findings", [])),
            missed_findings=_strs(data.get("missed_findings", [])),
        )
        return answer


def _check_list(value: Any) -> list[Any] | tuple[Any, ...]:
    if not isinstance(value, list | tuple):
        raise TypeError(f"expected a list, found {type(value).__name__}")
    return value


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(_str(x) for x in _check_list(value))


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, found {type(value).__name__}")
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, found {type(value).__name__}")
    return float(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, found {type(value).__name__}")
    return value


def _missed_findings(decision: Decision, assessment: Assessment) -> tuple[str, ...]:
    """Findings the answer did not reach: behind aligned options left out, or concepts missed."""
    if decision.kind == "text":
        ids = [r.concept.finding for r in assessment.concepts if not r.matched]
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


@dataclass
class PlayThrough:
    """One attempt at a module: answers so far, and everything that follows from them."""

    module: Module
    answers: list[Answer] = field(default_factory=list)
    stages_done: list[str] = field(default_factory=list)
    clock: Clock = utc_now

    # -- where the trainee is -------------------------------------------------

    def answer_for(self, decision_id: str) -> Answer | None:
        """The recorded answer to a decision, or None."""
        for answer in self.answers:
            if answer.decision_id == decision_id:
                return answer
        return None

    def _stage_complete(self, stage: Stage) -> bool:
        return all(self.answer_for(d.id) is not None for d in stage.decisions)

    def _walk(self) -> Iterator[Stage]:
        """The stages on the path so far, ending with the current one (if any)."""
        stage: Stage | None = self.module.stages[0] if self.module.stages else None
        seen: set[str] = set()
        while stage is not None and stage.id not in seen:
            seen.add(stage.id)
            yield stage
            if not (stage.id in self.stages_done and self._stage_complete(stage)):
                return
            following = self.next_stage_id(stage)
            stage = None if following == END else self.module.stage(following)

    @property
    def path(self) -> list[Stage]:
        """Stages visited so far, in order, the current one last."""
        return list(self._walk())

    @property
    def current_stage(self) -> Stage | None:
        """The stage the trainee is at, or None once the module is finished."""
        path = self.path
        if not path:
            return None
        last = path[-1]
        if last.id in self.stages_done and self._stage_complete(last):
            return None
        return last

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
        """The decision to answer now, or None when the stage's outcome is due."""
        pending = self.pending_decisions
        return pending[0] if pending else None

    @property
    def stage_index(self) -> int:
        """The current stage's position in the module's file order (for a timeline)."""
        stage = self.current_stage
        return self.module.stages.index(stage) if stage else len(self.module.stages)

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
        index = self.module.stages.index(stage)
        if index + 1 < len(self.module.stages):
            return self.module.stages[index + 1].id
        return END

    # -- acting ---------------------------------------------------------------

    def preview(
        self,
        decision_id: str,
        choice: Sequence[str] = (),
        text: str | None = None,
        reflection: str | None = None,
    ) -> Assessment:
        """Assess an answer without recording it."""
        decision = self._expect(decision_id)
        return assess(self.module, decision, choice, text, reflection)

    def answer(
        self,
        decision_id: str,
        choice: Sequence[str] = (),
        text: str | None = None,
        confidence: int | None = None,
        reflection: str | None = None,
    ) -> Assessment:
        """Record the answer to the decision due now and return how it compares with the review.

        Raises:
            AnswerError: not the decision due now, or an answer that does not fit it.
        """
        decision = self._expect(decision_id)
        if confidence is not None and not 1 <= confidence <= 5:
            raise AnswerError("confidence is a whole number from 1 to 5")
        if decision.ask_confidence and confidence is None:
            raise AnswerError(f"decision {decision_id!r} asks how sure you are (1 to 5)")
        assessment = assess(self.module, decision, choice, text, reflection)
        stage = self.current_stage
        assert stage is not None  # _expect found a pending decision
        chosen = [o for o in decision.options if o.id in choice]
        self.answers.append(
            Answer(
                stage_id=stage.id,
                decision_id=decision.id,
                prompt=decision.prompt,
                kind=decision.kind,
                choice=tuple(o.id for o in chosen),
                choice_texts=tuple(o.text for o in chosen),
                text=text,
                reflection=reflection if decision.reflection else None,
                confidence=confidence,
                verdict=assessment.verdict,
                score=assessment.score,
                scored=decision.scored,
                concepts_matched=assessment.concepts_matched,
                concepts_missed=assessment.concepts_missed,
                answered_at=format_time(self.clock()),
                options=tuple((o.id, o.text, o.verdict) for o in decision.options),
                findings=tuple(linked.finding.id for linked in assessment.findings),
                missed_findings=_missed_findings(decision, assessment),
            )
        )
        return assessment

    def _expect(self, decision_id: str) -> Decision:
        due = self.next_decision
        if due is None:
            raise AnswerError("no decision is due now")
        if due.id != decision_id:
            raise AnswerError(f"the decision due now is {due.id!r}, not {decision_id!r}")
        return due

    def continue_(self) -> Stage | None:
        """Move past the current stage once its decisions are answered; the next stage, or None."""
        stage = self.current_stage
        if stage is None:
            raise AnswerError("the module is finished")
        if not self._stage_complete(stage):
            raise AnswerError(f"stage {stage.id!r} still has decisions to answer")
        if stage.id not in self.stages_done:
            self.stages_done.append(stage.id)
        return self.current_stage

    # -- results --------------------------------------------------------------

    def assessment_for(self, decision_id: str) -> Assessment | None:
        """Re-assess a recorded answer against the module as it is now."""
        answer = self.answer_for(decision_id)
        found = self.module.decision(decision_id)
        if answer is None or found is None:
            return None
        decision = found[1]
        try:
            return assess(self.module, decision, answer.choice, answer.text, answer.reflection)
        except AnswerError:
            return None  # the module changed under the answer: the save still holds it

    def review(self) -> list[ReviewRow]:
        """Every decision on the path taken, with its answer and assessment."""
        rows = []
        for stage in self.path:
            for decision in stage.decisions:
                rows.append(
                    ReviewRow(
                        stage,
                        decision,
                        self.answer_for(decision.id),
                        self.assessment_for(decision.id),
                    )
                )
        return rows

    @property
    def module_score(self) -> float | None:
        """Mean score of the scored decisions answered on the path, or None if there are none."""
        scores = [
            row.answer.score
            for row in self.review()
            if row.answer is not None and row.answer.scored
        ]
        return sum(scores) / len(scores) if scores else None

    # -- state ----------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Plain data for a save: the answers (also those to decisions since removed)."""
        return {
            "stages_done": list(self.stages_done),
            "answers": [answer.to_data() for answer in self.answers],
        }

    @classmethod
    def from_state(
        cls, module: Module, state: Mapping[str, Any], clock: Clock = utc_now
    ) -> PlayThrough:
        """Rebuild a play-through from `to_state()` data.

        Raises KeyError, TypeError or ValueError when the data is malformed.
        """
        stages_done = list(_strs(state.get("stages_done", [])))
        answers = [Answer.from_data(a) for a in _check_list(state.get("answers", []))]
        return cls(module, answers, stages_done, clock)
