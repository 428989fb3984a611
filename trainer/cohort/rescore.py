"""Scores worked out again from the answers, where the module they answered is at hand.

A save records each answer's verdict and score, and each attempt's module score, as the app
worked them out; but anyone who can write a shared saves folder can change them (a rank
answer in the reverse of the module's order, saved with `score = 1.0`). The cohort commands
therefore judge each answer again with the engine, wherever they find the module (by id,
where `trainer play` would) and the decision is as the answer recorded it (the same kind,
options, texts and verdicts, order and scoring: a module edited since is not used to judge
answers given before). An answer that cannot be judged again keeps what its save says.

Where a stored verdict or score disagrees with what the answer earns, the recomputed one is
used, and the command says so in one line per save. An attempt's module score is then the
mean the engine takes over the path (`PlayThrough.module_score`), where every answer of the
attempt was judged again (a quick mean first, the path only when that disagrees); else it
stays as saved.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import msgspec

from trainer.engine import NOT_JUDGED, Answer, Decision, Module
from trainer.errors import AnswerError
from trainer.saves import Attempt, SaveFile

ModuleFinder = Callable[[str], Module | None]
"""A module by id, or None where it is not found (or cannot be read)."""


@dataclasses.dataclass(frozen=True)
class Rescored:
    """A save with its scores worked out again, and how many stored ones disagreed."""

    save: SaveFile
    disagreed: int = 0


def recorded_options(decision: Decision) -> tuple[tuple[str, str, str], ...]:
    """A decision's options as an answer records them: (id, text, verdict)."""
    return tuple((o.id, o.text, o.verdict or NOT_JUDGED) for o in decision.options)


def unchanged(answer: Answer, decision: Decision) -> bool:
    """Whether the decision is as the answer recorded it, so that judging the answer again
    against it is fair: its kind, options (ids, texts, verdicts), order, scoring and, for a
    written answer, its concepts."""
    if answer.kind != decision.kind or answer.scored != decision.scored:
        return False
    if answer.options != recorded_options(decision):
        return False
    if answer.panel_order != decision.panel_order:
        return False
    if decision.kind != "text":
        return True
    if answer.scoring != decision.scoring:
        return False
    concepts = {c.id for c in decision.rubric}
    return set(answer.concepts_matched) | set(answer.concepts_missed) <= concepts and all(
        c in concepts for c in answer.concepts_claimed
    )


class Rescorer:
    """Judges answers again, keeping each result by what decides it (most answers in a
    cohort are choices many others made too)."""

    def __init__(self, modules: ModuleFinder) -> None:
        self.modules = modules
        self._judged: dict[tuple[object, ...], tuple[str, float | None] | None] = {}

    def rescore(self, save: SaveFile) -> Rescored:
        """The save with every answer it can judge again judged so, and each attempt's
        module score worked out again where an answer's changed or it disagrees."""
        module = self.modules(save.module.id)
        if module is None:
            return Rescored(save)
        disagreed = 0
        attempts: list[Attempt] = []
        for attempt in save.attempts:
            rescored, count = self._attempt(module, attempt)
            attempts.append(rescored)
            disagreed += count
        if not disagreed:
            return Rescored(save)
        return Rescored(msgspec.structs.replace(save, attempts=attempts), disagreed)

    def _attempt(self, module: Module, attempt: Attempt) -> tuple[Attempt, int]:
        """The attempt judged again, and how many of its stored scores disagreed."""
        disagreed = 0
        answers: list[Answer] = []
        every = True  # whether every answer was judged again
        for answer in attempt.answers:
            judged = self.judge(module, answer)
            every = every and judged is not None
            if judged is not None and not _same(judged, (answer.verdict, answer.score)):
                answer = dataclasses.replace(answer, verdict=judged[0], score=judged[1])
                disagreed += 1
            answers.append(answer)
        # A mean over an answer not judged again would carry its stored score into it.
        score = _module_score(module, attempt, answers) if every else attempt.score
        if not _same_score(score, attempt.score):
            disagreed += 1
        if answers != attempt.answers or not _same_score(score, attempt.score):
            attempt = msgspec.structs.replace(attempt, answers=answers, score=score)
        return attempt, disagreed

    def judge(self, module: Module, answer: Answer) -> tuple[str, float | None] | None:
        """The verdict and score the answer earns against the module, or None where it
        cannot be judged again (the decision is gone or changed, or the answer does not fit
        it)."""
        found = module.decision(answer.decision_id)
        if found is None:
            return None
        decision = found[1]
        key = _what_decides(module, decision, answer)
        if key in self._judged:
            return self._judged[key]
        result = _judged(module, decision, answer) if unchanged(answer, decision) else None
        if len(self._judged) > 100_000:  # a cohort of written answers: keep memory bounded
            self._judged.clear()
        self._judged[key] = result
        return result


def _claimed(decision: Decision, answer: Answer) -> tuple[str, ...] | None:
    """The concepts the trainee ticked, where their ticks decide; else None."""
    return answer.concepts_claimed if decision.claims_concepts else None


def _what_decides(module: Module, decision: Decision, answer: Answer) -> tuple[object, ...]:
    """Everything an answer's verdict and score depend on: answers alike in all of it are
    judged once."""
    phrases = decision.kind == "text" and decision.scoring == "phrases"
    return (
        module.id,
        id(module),
        answer.decision_id,
        answer.kind,
        answer.scored,
        answer.scoring,
        answer.options,
        answer.panel_order,
        answer.choice,
        _claimed(decision, answer),
        answer.text if phrases else None,
        answer.concepts_matched + ("|",) + answer.concepts_missed,
    )


def _judged(module: Module, decision: Decision, answer: Answer) -> tuple[str, float | None] | None:
    """The engine's verdict and score for the answer; None where it does not fit the decision
    (left as saved)."""
    from trainer.engine.scoring import assess

    concepts_ticked = _claimed(decision, answer)
    try:
        assessment = assess(
            module, decision, answer.choice, answer.text, answer.reason, concepts_ticked
        )
    except AnswerError:
        return None
    return (assessment.verdict or NOT_JUDGED, assessment.score)


def _module_score(module: Module, attempt: Attempt, answers: list[Answer]) -> float | None:
    """The attempt's module score from its answers: the mean of those that count; where
    that is not what the save says, the engine's rule over the path (which leaves out an
    answer to a decision off the path, or gone from the module)."""
    scores = [a.score for a in answers if a.counts and a.score is not None]
    quick = sum(scores) / len(scores) if scores else None
    if _same_score(quick, attempt.score) and answers == attempt.answers:
        return attempt.score
    from trainer.engine.playthrough import PlayThrough

    try:
        pt = PlayThrough(module, answers, attempt.stages_done, attempt.feedback_seen)
        return pt.module_score
    except (AnswerError, KeyError, TypeError, ValueError):
        return attempt.score


def _same(judged: tuple[str, float | None], stored: tuple[str, float | None]) -> bool:
    return judged[0] == stored[0] and _same_score(judged[1], stored[1])


def _same_score(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
