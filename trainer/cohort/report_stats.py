"""The cohort report's statistics: each decision's answers counted, one record at a time,
as the report's page reads them (`trainer.cohort.report_page`)."""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from trainer.cohort.records import Record, ticks_decided
from trainer.cohort.spooling import Rows, SortedTexts, TextPool
from trainer.engine import Answer, Module


@dataclass
class DecisionStats:
    """The cohort's answers to one decision."""

    decision_id: str
    module_id: str
    prompt: str
    kind: str
    stage_id: str = ""
    """The stage the decision was first answered in, as the saves recorded it."""
    options: list[tuple[str, str, str]] = field(default_factory=list)
    chosen: Counter[str] = field(default_factory=Counter)
    verdicts: Counter[str] = field(default_factory=Counter)
    sure_contrary: list[str] | SortedTexts = field(default_factory=list)
    """The names of those sure and contrary (read back sorted where a `SortedTexts`)."""
    answers: int = 0
    not_judged: int = 0
    """Answers recorded without a verdict: counted in `answers`, not in `verdicts`."""
    scores: array[float] = field(default_factory=lambda: array("d"))
    """A rank decision: the scores of its judged answers."""
    panel_order: tuple[str, ...] = ()
    """A rank decision: the review panel's order, as the saves recorded it."""
    places: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    """A rank decision: each option's places in the cohort's orders, as the sum of its
    places (1 = first), how often it was placed, and how often first."""
    orders: Counter[tuple[str, ...]] = field(default_factory=Counter)
    """A rank decision: each order given, and by how many."""
    happened: str | None = None
    """The option marked as what was done at the time, if the decision marks one."""
    chose_happened: int = 0
    """Answers that included what was done at the time."""
    marked: int = 0
    """Answers to the decision while it marked what was done at the time."""
    written: int = 0
    """The judged written answers."""
    ticks: Calibration | None = None
    """A written decision compared by the trainee's ticks: ticks against suggestions."""
    texts: Rows | list[tuple[str, int, str]] = field(default_factory=list)
    """Every written answer (judged or not): whose (name, and place in the module's learner
    table, from 1; 0 if not known) and what."""
    compared: Calibration = field(default_factory=lambda: Calibration())
    """The judged written answers' ticks against suggestions, whether or not they decide."""
    any_ticks: bool = False
    """Whether any judged written answer shows it was compared by the trainee's ticks."""
    seconds: array[float] = field(default_factory=lambda: array("d"))
    """How long each answer took, where the save recorded it (not in older saves)."""

    def add(self, answer: Answer, name: str, place: int) -> None:
        """Count one answer, by the learner `name` (at `place` in the learner table)."""
        _merge_options(self, answer)
        self.answers += 1
        if answer.seconds is not None:
            self.seconds.append(answer.seconds)
        self.chosen.update(answer.choice)
        if answer.happened is not None:
            self._add_happened(answer)
        if answer.kind == "rank":
            self._add_order(answer)
        if answer.kind == "text":
            self._add_written(answer, name, place)
        if answer.judged:
            self._add_verdict(answer, name)
        else:
            self.not_judged += 1

    def _add_verdict(self, answer: Answer, name: str) -> None:
        """A judged answer: its verdict, its score (rank), and the name if sure and contrary."""
        if answer.score is not None and self.kind == "rank":
            self.scores.append(answer.score)
        self.verdicts[answer.verdict] += 1
        if answer.verdict == "contrary" and (answer.confidence or 0) >= 4:
            self.sure_contrary.append(name)

    def _add_happened(self, answer: Answer) -> None:
        """An answer to the decision while it marked what was done at the time."""
        self.happened = self.happened or answer.happened
        self.marked += 1
        self.chose_happened += bool(answer.chose_what_happened)

    def _add_order(self, answer: Answer) -> None:
        """A rank answer: its order, and each option's place in it."""
        self.panel_order = self.panel_order or answer.panel_order
        self.orders[answer.choice] += 1
        for position, option_id in enumerate(answer.choice, start=1):
            placed = self.places[option_id]
            placed[0] += position
            placed[1] += 1
            placed[2] += position == 1

    def _add_written(self, answer: Answer, name: str, place: int) -> None:
        """A written answer: its ticks against suggestions where judged, and its text."""
        if answer.judged:
            self.written += 1
            self.compared.add(answer)
            self.any_ticks = self.any_ticks or ticks_decided(answer)
        if answer.text:
            self.texts.append((name, place, answer.text))


@dataclass
class Calibration:
    """Per concept, the trainee's ticks against the rubric phrases' suggestions."""

    answers: int = 0
    concepts: list[str] = field(default_factory=list)
    ticked: Counter[str] = field(default_factory=Counter)
    suggested: Counter[str] = field(default_factory=Counter)
    ticked_only: Counter[str] = field(default_factory=Counter)
    """Ticked, though the phrases did not suggest it."""
    suggested_only: Counter[str] = field(default_factory=Counter)
    """Suggested by the phrases, left unticked."""

    def add(self, answer: Answer) -> None:
        """Count one judged written answer's ticks against its suggestions."""
        self.answers += 1
        ticked, suggested = set(answer.concepts_claimed), set(answer.concepts_matched)
        for concept in (
            *answer.concepts_claimed,
            *answer.concepts_matched,
            *answer.concepts_missed,
        ):
            if concept not in self.concepts:
                self.concepts.append(concept)
        self.ticked.update(ticked)
        self.suggested.update(suggested)
        self.ticked_only.update(ticked - suggested)
        self.suggested_only.update(suggested - ticked)

    @property
    def agreed(self) -> int:
        """Concept judgements where the tick and the suggestion agreed."""
        disagreed = sum(self.ticked_only.values()) + sum(self.suggested_only.values())
        return self.answers * len(self.concepts) - disagreed


def _merge_options(stats: DecisionStats, answer: Answer) -> None:
    known = {option_id for option_id, _, _ in stats.options}
    for option in answer.options:
        if option[0] not in known:
            stats.options.append(option)


def build_stats(
    records: list[Record],
    module_for: Callable[[str], Module | None] = lambda module_id: None,
) -> list[DecisionStats]:
    """Per decision, in the order first met.

    A written decision is compared by the trainee's ticks where the module (if found) says
    so, or where any answer shows it (see `ticks_decided`); then every judged answer to it
    counts in its calibration, an answer with nothing ticked and nothing suggested too.
    """
    by_decision: dict[tuple[str, str], DecisionStats] = {}
    for record in records:
        add_stats(by_decision, record, 0, None)
    return finish_stats(by_decision, module_for)


def add_stats(
    by_decision: dict[tuple[str, str], DecisionStats],
    record: Record,
    place: int,
    rows: TextPool | None,
) -> None:
    """Count the answers of one record's attempt that counts in `by_decision`; its written
    answers and the names of those sure and contrary are kept in `rows` (a spool) where
    given, else in memory."""
    for answer in record.counted.answers:
        key = (record.save.module.id, answer.decision_id)
        stats = by_decision.get(key)
        if stats is None:
            stats = by_decision[key] = DecisionStats(
                answer.decision_id, key[0], answer.prompt, answer.kind, answer.stage_id
            )
            if rows is not None:
                stats.texts = Rows(rows.spool)
                stats.sure_contrary = SortedTexts(rows)
        stats.add(answer, record.learner_name, place)


def finish_stats(
    by_decision: dict[tuple[str, str], DecisionStats],
    module_for: Callable[[str], Module | None],
) -> list[DecisionStats]:
    """The decisions counted, in module order; a written decision compared by ticks given its
    calibration (`build_stats`)."""
    for stats in by_decision.values():
        module = module_for(stats.module_id)
        if stats.written and (_claims_concepts(module, stats.decision_id) or stats.any_ticks):
            stats.ticks = stats.compared
    return sorted(by_decision.values(), key=lambda item: _place(item, module_for))


def _place(item: DecisionStats, module_for: Callable[[str], Module | None]) -> tuple[int, int]:
    """Where a decision comes in its module (stage, then decision); those the module does not
    hold (or a module not found) keep the order first met, after those it does."""
    module = module_for(item.module_id)
    found = module.decision(item.decision_id) if module is not None else None
    if module is None or found is None:
        return (1 << 30, 0)
    stage, decision = found
    return (module.stage_number(stage.id), stage.decisions.index(decision))


def _claims_concepts(module: Module | None, decision_id: str) -> bool:
    found = module.decision(decision_id) if module is not None else None
    return found is not None and found[1].claims_concepts


# -- what the template shows: plain values, counted here ----------------------------------
