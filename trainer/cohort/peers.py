"""How a trainee's cohort answered a decision, from the saves folder being played in.

Shown only after the trainee's own answer is saved, with names never shown, and
nothing at all until at least `MIN_PEERS` others have answered: a share of two
people would name them. Also what the facilitator's seminar screen shows of a
decision, with names (it is the facilitator's room).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from trainer.engine import Answer, Decision
from trainer.errors import TrainerError
from trainer.saves import SaveFile, module_save_paths, read_save

MIN_PEERS = 3
"""Fewer others than this and nothing is shown."""


@dataclass(frozen=True)
class OptionTally:
    """One option (or, for a written answer, one concept) and how the others answered it."""

    id: str
    text: str
    count: int
    """How many chose it (or ticked the concept); for a rank decision, how many placed it."""
    share: float
    """count / answered."""
    verdict: str | None = None
    rank: int | None = None
    """A rank decision: the review panel's place for it."""
    mean_position: float | None = None
    """A rank decision: its average place in the others' orders (1 = first)."""


@dataclass(frozen=True)
class DecisionTally:
    """How a group answered one decision."""

    decision: Decision
    answered: int
    options: tuple[OptionTally, ...] = ()
    sure_and_contrary: int = 0
    """How many were sure (4 or 5) and contrary to the review."""
    verdicts: dict[str, int] = field(default_factory=dict)


def cohort_saves(root: Path, module_id: str, cohort: str | None) -> list[SaveFile]:
    """Every readable save of this module by learners of this cohort (None: no cohort)."""
    return list(iter_cohort_saves(root, module_id, cohort))


def iter_cohort_saves(root: Path, module_id: str, cohort: str | None) -> Iterator[SaveFile]:
    """`cohort_saves`, one at a time: a cohort's tally holds an answer per save, not the
    saves."""
    for path in module_save_paths(root, module_id):  # never through a link
        try:
            save = read_save(path)
        except TrainerError:  # missing, or unreadable: skipped here; the commands name it
            continue
        if save.module.id == module_id and (save.learner.cohort or None) == (cohort or None):
            yield save


def latest_answer(save: SaveFile, decision_id: str) -> Answer | None:
    """The learner's answer to a decision in their most recent attempt that answered it.

    Peers and the seminar show the room as it is now, so each learner counts once, by the
    answer they gave last: a learner who starts again and answers the decision anew is
    counted by that answer, and until the new attempt reaches the decision, by the answer
    of the attempt before (starting again never takes a learner out of the room's view).
    The report, a record of what was finished, counts the latest finished attempt instead.
    """
    for attempt in reversed(save.attempts):
        for answer in attempt.answers:
            if answer.decision_id == decision_id:
                return answer
    return None


def tally(decision: Decision, answers: Iterable[Answer]) -> DecisionTally:
    """How these answers spread over the decision's options (or concepts)."""
    answers = list(answers)
    answered = len(answers)
    verdicts = Counter(a.verdict for a in answers if a.judged)
    sure_contrary = sum(1 for a in answers if a.verdict == "contrary" and (a.confidence or 0) >= 4)
    if not answered:
        return DecisionTally(decision, 0)
    spread = _SPREADS.get(decision.kind, _choices)
    options = tuple(spread(decision, answers))
    return DecisionTally(decision, answered, options, sure_contrary, dict(verdicts))


def _concepts(decision: Decision, answers: list[Answer]) -> Iterator[OptionTally]:
    """A written decision: how many ticked each concept (or had it suggested, unticked)."""
    concepts_ticked = Counter(c for a in answers for c in (a.concepts_claimed or a.concepts_matched))
    for concept in decision.rubric:
        count = concepts_ticked[concept.id]
        yield OptionTally(concept.id, concept.label, count, count / len(answers))


def _places(decision: Decision, answers: list[Answer]) -> Iterator[OptionTally]:
    """A rank decision: how many placed each option, and its average place."""
    for option in decision.options:
        places = [a.choice.index(option.id) + 1 for a in answers if option.id in a.choice]
        mean = sum(places) / len(places) if places else None
        yield OptionTally(
            option.id,
            option.text,
            len(places),
            len(places) / len(answers),
            rank=option.rank,
            mean_position=mean,
        )


def _choices(decision: Decision, answers: list[Answer]) -> Iterator[OptionTally]:
    """A choice: how many chose each option, beside its verdict."""
    chosen = Counter(option_id for a in answers for option_id in a.choice)
    for option in decision.options:
        count = chosen[option.id]
        yield OptionTally(option.id, option.text, count, count / len(answers), option.verdict)


_SPREADS = {"text": _concepts, "rank": _places}
"""How each kind's answers spread; a choice (single or multiple) by `_choices`."""


def peer_tally(
    root: Path, module_id: str, decision: Decision, cohort: str | None, learner_id: str | None
) -> DecisionTally:
    """How the trainee's cohort answered, leaving the trainee out. The caller shows the
    options only when `answered >= MIN_PEERS`."""
    answers = []
    for save in iter_cohort_saves(root, module_id, cohort):
        if save.learner.id == learner_id:
            continue
        answer = latest_answer(save, decision.id)
        if answer is not None:
            answers.append(answer)
    return tally(decision, answers)
