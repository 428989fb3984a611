"""The cohort report: one self-contained HTML file (inline CSS and SVG, no scripts, no network).

A section per module, headed by its title and version: a table of its learners (each
learner's attempt that counts, the latest finished one or else the latest: finished or
not, score, time taken, how often sure, how often contrary; an attempt in progress after
it is shown beside it, never in its place) linking to each learner's answers, each with
its stage's title and date; then a part per cohort, so that every count, chart and mean
is one module's and one cohort's.
A cohort's part shows each decision's prompt and options as the saves recorded them, the
cohort's answers beside the review's verdicts (in words, never by colour alone), who was
sure and contrary, the written answers, and the findings most often missed. An
answer that was not judged (a written question with nothing to compare it
with, or a poll) is counted as recorded, never as a verdict. Only the attempt that counts
(`Record.counted`) is counted anywhere: one attempt per learner and module. Format 2 adds:
the module's order (named by its `order_label`) beside the cohort's orders (rank
decisions), how many chose what was done at the time, and, where trainees ticked the
concepts their written answer covered, their ticks against the phrases' suggestions.

This module counts; the template `templates/report.html.j2` writes the HTML, with
Jinja2's autoescaping on: every value is escaped wherever it lands (text, attributes,
inline SVG) and nothing is marked safe, so no value from a save can be forgotten.
Names and answers are data. Class names are fixed words chosen here (a verdict this
module does not know gets the neutral `bar-none`), never text from a save; ids and the
links to them are made from positions (`m1`, `m1-c2`, `m1-l3`), never from a name.

A cohort is never held: `report_parts` reads the records module by module in the order of
the learner table (`report_order`), counts each as it comes, and keeps what is shown per
learner (the table's rows, each learner's answers, the written answers, the names of those
sure and contrary) in a spool on disk, read back as the template writes it.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import marshal
import pickle
import re
import statistics
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

import jinja2
import markupsafe

from trainer.cohort.records import Record, Spool, plural, ticks_decided
from trainer.engine import ORDER_LABEL, VERDICT_WORDS, Answer, Module
from trainer.engine.scoring import kendall_score
from trainer.saves.format import FindingInfo
from trainer.terminal import escaped

SIGNS = {"aligned": "✓", "partial": "~", "contrary": "✗"}
VERDICTS_ORDER = ("aligned", "partial", "contrary")
BAR_CLASSES = {verdict: f"bar-{verdict}" for verdict in VERDICTS_ORDER}
"""The class of a verdict's bar; any other verdict gets `NEUTRAL_BAR`."""
NEUTRAL_BAR = "bar-none"
SCORE_BAR = "bar-score"
BAR_WIDTH = 320
"""The length in pixels of a bar for the whole."""
NOT_JUDGED_WORDS = "Recorded, not judged"
"""How an answer with no verdict is counted: never as contrary."""
POLL_WORDS = "no verdict (a poll)"
"""How an option of a poll (a choice whose options carry no verdict) is labelled."""
HAPPENED_WORDS = "what was done at the time"
NBSP = "\u00a0"
"""Between a number and its unit ("2 of 3", "5 min"), so a narrow column never splits them."""
HISTOGRAM_LABELS = ("0–19%", "20–39%", "40–59%", "60–79%", "80–100%")
TEMPLATE = "report.html.j2"

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters no report shows raw: control characters (a browser shows nothing for them, a
terminal reading the file obeys them) and the bidi embeddings, overrides and isolates that
would reorder the report's own words around a value. Each is shown as its escape (`\\x1b`)."""


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
        _add_stats(by_decision, record, 0, None)
    return _finish_stats(by_decision, module_for)


def _add_stats(
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
        _merge_options(stats, answer)
        stats.answers += 1
        if answer.seconds is not None:
            stats.seconds.append(answer.seconds)
        stats.chosen.update(answer.choice)
        if answer.happened is not None:
            stats.happened = stats.happened or answer.happened
            stats.marked += 1
            stats.chose_happened += bool(answer.chose_what_happened)
        if answer.kind == "rank":
            stats.panel_order = stats.panel_order or answer.panel_order
            stats.orders[answer.choice] += 1
            for position, option_id in enumerate(answer.choice, start=1):
                placed = stats.places[option_id]
                placed[0] += position
                placed[1] += 1
                placed[2] += position == 1
        if answer.kind == "text" and answer.judged:
            stats.written += 1
            stats.compared.add(answer)
            stats.any_ticks = stats.any_ticks or ticks_decided(answer)
        if answer.kind == "text" and answer.text:
            stats.texts.append((record.learner_name, place, answer.text))
        if not answer.judged:
            stats.not_judged += 1
            continue
        if answer.score is not None and stats.kind == "rank":
            stats.scores.append(answer.score)
        stats.verdicts[answer.verdict] += 1
        if answer.verdict == "contrary" and (answer.confidence or 0) >= 4:
            stats.sure_contrary.append(record.learner_name)


def _finish_stats(
    by_decision: dict[tuple[str, str], DecisionStats],
    module_for: Callable[[str], Module | None],
) -> list[DecisionStats]:
    for stats in by_decision.values():
        module = module_for(stats.module_id)
        if stats.written and (_claims_concepts(module, stats.decision_id) or stats.any_ticks):
            stats.ticks = stats.compared
    return sorted(by_decision.values(), key=lambda item: _place(item, module_for))


class TextPool:
    """The spool a report keeps its rows in, and the texts waiting to be sorted in all the
    `SortedTexts` that use it: when `LIMIT` wait, each is sorted and written to the spool."""

    LIMIT = 8192

    def __init__(self, spool: Spool) -> None:
        self.spool = spool
        self.waiting = 0
        self.lists: list[SortedTexts] = []

    def added(self) -> None:
        self.waiting += 1
        if self.waiting >= self.LIMIT:
            for texts in self.lists:
                texts.spill()
            self.waiting = 0


class SortedTexts:
    """Texts read back sorted (as `sorted` sorts them), held in a `TextPool`'s spool in
    sorted runs rather than in memory: a cohort's names of those sure and contrary grew with
    the cohort. Iterate as often as needed."""

    BLOCK = 256
    """Texts written (and read back) at a time."""

    def __init__(self, pool: TextPool) -> None:
        self._pool = pool
        self._waiting: list[str] = []
        self._runs: list[array[int]] = []
        self._count = 0
        pool.lists.append(self)

    def append(self, text: str) -> None:
        self._waiting.append(text)
        self._count += 1
        self._pool.added()

    def spill(self) -> None:
        if not self._waiting:
            return
        self._waiting.sort()
        spool, block = self._pool.spool, self.BLOCK
        self._runs.append(
            array(
                "q",
                (
                    spool.append(marshal.dumps(self._waiting[start : start + block]))
                    for start in range(0, len(self._waiting), block)
                ),
            )
        )
        self._waiting = []

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        runs = [self._read(run) for run in self._runs]
        return heapq.merge(sorted(self._waiting), *runs)

    def _read(self, run: array[int]) -> Iterator[str]:
        for number in run:
            yield from marshal.loads(self._pool.spool[number])


class Rows:
    """Items (pickled) kept in a spool rather than in memory, read back in the order added."""

    def __init__(self, spool: Spool) -> None:
        self._spool = spool
        self._numbers = array("q")

    def append(self, item: Any) -> None:
        self._numbers.append(self._spool.append(pickle.dumps(item, pickle.HIGHEST_PROTOCOL)))

    def __len__(self) -> int:
        return len(self._numbers)

    def __iter__(self) -> Iterator[Any]:
        for number in self._numbers:
            yield pickle.loads(self._spool[number])


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


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: the count it stands for, its length in pixels, and its class."""

    count: int
    length: int
    css: str


@dataclass(frozen=True)
class BarRow:
    """A labelled bar; `note` (an option's verdict in words) follows the label in brackets."""

    label: str
    bar: Bar
    note: str | None = None


@dataclass(frozen=True)
class RankRow:
    """One option of a rank decision, in the panel's order."""

    place: int
    text: str
    happened: bool
    mean: str
    first: int
    placed: int


@dataclass(frozen=True)
class OrderRow:
    """One order the cohort gave, as option texts, with how many gave it and its score."""

    steps: tuple[str, ...]
    count: int
    score: str


@dataclass(frozen=True)
class RankView:
    label: str
    """Whose order the ranks are, as the module names it (`order_label`; the default where
    the module is not found): never "the review panel's" unless the module says so."""
    rows: list[RankRow]
    orders: list[OrderRow]
    others: int
    """Orders given beyond the five shown."""
    scores: list[BarRow]


@dataclass(frozen=True)
class CalibrationRow:
    label: str
    ticked: int
    suggested: int
    ticked_only: int
    suggested_only: int


@dataclass(frozen=True)
class CalibrationView:
    answers: int
    agreed: int
    total: int
    rows: list[CalibrationRow]


@dataclass(frozen=True)
class WrittenRow:
    """A written answer in a decision's section: whose (with a link to their answers), what."""

    name: str
    anchor: str
    text: str


@dataclass(frozen=True)
class DecisionView:
    prompt: str
    module_id: str
    decision_id: str
    stage: str
    """The stage's title where the module is found, else the stage id the saves recorded."""
    date: str | None
    """The stage's date as the trainee saw it, where the module gives one."""
    answers: int
    bars: list[BarRow]
    rank: RankView | None
    not_judged: int
    not_judged_why: str
    happened: str | None
    """The text of the option marked as what was done at the time (not for rank decisions)."""
    chose_happened: int
    marked: int
    calibration: CalibrationView | None
    sure_contrary: Sequence[str] | SortedTexts
    written: Iterable[WrittenRow]
    """The written answers, to read (empty with `--no-text`, or for a choice)."""
    timing: str | None = None
    """The median time the answers took, in words; None when none was recorded."""


@dataclass(frozen=True)
class ConfidenceRow:
    level: int
    counts: list[int]
    """Answers at this level with each verdict, in `VERDICTS_ORDER`."""


@dataclass(frozen=True)
class MissedRow:
    """A finding missed; `cited` is None where neither the saves nor a module know it."""

    count: int
    text: str
    cited: str | None


@dataclass(frozen=True)
class LearnerRow:
    """A learner's line in a module's table: the attempt that counts (and any attempt in
    progress after it), with links to its answers."""

    anchor: str
    name: str
    cohort: str
    attempts: int
    finished: str
    in_progress: str
    """The attempt in progress after the one that counts, in words; empty if none."""
    score: str
    time_taken: str
    sure: str
    """Answers given with a confidence of 4 or 5, of those that asked for one."""
    contrary: str
    """Judged answers contrary to the review, of those judged."""
    sure_contrary: int


@dataclass(frozen=True)
class AnswerView:
    """One answer in a learner's list: the stage it was given in, what was asked and said."""

    stage: str
    date: str | None
    prompt: str
    kind: str
    chosen: list[str]
    """The options chosen (a rank decision: every option, in the learner's order)."""
    text: str | None
    """A written answer; None where there is none or it is left out (`left_out`)."""
    left_out: bool
    verdict: str
    confidence: int | None
    reflection: str | None
    answered_at: str


@dataclass(frozen=True)
class LearnerAnswers:
    anchor: str
    name: str
    cohort: str
    summary: str
    answers: list[AnswerView]


@dataclass(frozen=True)
class CohortView:
    """One cohort's answers to one module: every count, chart and mean here is theirs alone."""

    anchor: str
    name: str
    learners: int
    started: int
    finished: int
    restarted: int
    """Learners counted by a finished attempt who have started another."""
    mean: int | None
    scores: list[BarRow]
    decisions: list[DecisionView]
    confidence: list[ConfidenceRow]
    missed: list[MissedRow]
    key_items: list[KeyView] = field(default_factory=list)
    """Each case-file item the module marks key: answers with it opened first, and without."""


@dataclass(frozen=True)
class ModuleView:
    anchor: str
    title: str
    versions: str
    learners: Iterable[LearnerRow]
    """Read from a spool as the template writes them."""
    cohorts: list[CohortView]
    answers: Iterable[LearnerAnswers]


def duration_words(seconds: float) -> str:
    """A duration as a person says it: "42 seconds", "2 minutes 5 seconds", "1 hour 3 minutes"."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{plural(hours, 'hour')} {plural(minutes, 'minute')}"
    if minutes:
        return f"{plural(minutes, 'minute')} {plural(secs, 'second')}"
    return plural(secs, "second")


def timing_words(seconds: Sequence[float], answers: int) -> str | None:
    """The median time to answer, and of how many answers (older saves recorded none)."""
    if not seconds:
        return None
    median = statistics.median(seconds)
    timed = len(seconds)
    of = "" if timed == answers else f" ({timed} of {plural(answers, 'answer')} timed)"
    return f"Median time to answer: {duration_words(median)}{of}"


def bar_class(verdict: str) -> str:
    """The fixed class name for a verdict's bar: a verdict from a save never becomes markup."""
    return BAR_CLASSES.get(verdict, NEUTRAL_BAR)


def _bar(count: int, total: int, css: str) -> Bar:
    return Bar(count, 0 if total == 0 else round(BAR_WIDTH * count / total), css)


def _histogram(scores: Iterable[float]) -> list[BarRow]:
    buckets = [0] * len(HISTOGRAM_LABELS)
    for score in scores:
        buckets[_bucket(score)] += 1
    return _histogram_of(buckets)


def _bucket(score: float) -> int:
    return min(int(score * 5), 4)


def _histogram_of(buckets: list[int]) -> list[BarRow]:
    most = max(buckets) or 1
    return [
        BarRow(label, _bar(count, most, SCORE_BAR))
        for label, count in zip(HISTOGRAM_LABELS, buckets, strict=True)
    ]


def _shown(value: Any) -> Any:
    """Every value the template writes passes here before it is escaped. (A macro's output,
    already escaped, is Markup: nothing here makes Markup from data.)"""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return CONTROLS.sub(lambda match: escaped(match.group()), value)
    return value


@cache
def environment() -> jinja2.Environment:
    """The templates, autoescaped whatever their names, failing on any undefined name."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("trainer.cohort", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_shown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        NOT_JUDGED_WORDS=NOT_JUDGED_WORDS,
        HAPPENED_WORDS=HAPPENED_WORDS,
        BAR_WIDTH=BAR_WIDTH,
        plural=plural,
    )
    return env


def report_html(
    records: list[Record],
    title: str,
    generated_at: str,
    module_for: Callable[[str], Module | None] = lambda module_id: None,
    *,
    no_text: bool = False,
) -> str:
    """The whole report as one HTML document: a section per module, and in each the learners'
    table, a part per cohort (its completion, scores, decisions, confidence and findings
    missed, never mixed with another cohort's or module's), and each learner's answers.
    `no_text` leaves out written answers and reasons."""
    learners = len({r.learner_id for r in records})
    ordered = sorted(records, key=report_order)
    return "".join(
        report_parts(ordered, title, generated_at, module_for, no_text=no_text, learners=learners)
    )


def report_order(record: Record) -> tuple[Any, ...]:
    """The order `report_parts` reads records in: by module, then as its learner table lists
    them (by cohort, no cohort last, then name)."""
    return (
        record.save.module.id,
        *_cohort_key(record.cohort),
        record.learner_name.casefold(),
        record.learner_id,
    )


def report_parts(
    records: Iterable[Record],
    title: str,
    generated_at: str,
    module_for: Callable[[str], Module | None] = lambda module_id: None,
    *,
    no_text: bool = False,
    learners: int,
) -> Iterator[str]:
    """The report (as `report_html`) in parts, from records in `report_order`, read once and
    counted as they come: each learner's row and answers, and the written answers, are kept
    in a spool until written, so a cohort of any size takes about the same memory.
    `learners`: how many learners the records are of."""
    spool = Spool()
    try:
        pool = TextPool(spool)
        parts = [
            _ModuleParts.read(group, module_for, pool, no_text) for _, group in _by_module(records)
        ]
        parts.sort(key=lambda part: (part.title.casefold(), part.module_id))
        modules = [
            part.view(f"m{number}", module_for, no_text)
            for number, part in enumerate(parts, start=1)
        ]
        yield from (
            environment()
            .get_template(TEMPLATE)
            .generate(
                title=title,
                generated_at=generated_at,
                saves=sum(part.saves for part in parts),
                learners=learners,
                modules=modules,
                no_text=no_text,
                verdict_heads=[f"{SIGNS[v]} {VERDICT_WORDS[v]}" for v in VERDICTS_ORDER],
            )
        )
    finally:
        spool.close()


def _by_module(records: Iterable[Record]) -> Iterator[tuple[str, Iterator[Record]]]:
    return itertools.groupby(records, key=lambda record: record.save.module.id)


def _title(records: list[Record]) -> str:
    """A module's title as most of its saves recorded it."""
    return Counter(r.save.module.title for r in records).most_common(1)[0][0]


def _versions(counts: Counter[str]) -> str:
    """`version 2.0.0`, or `versions 1.0.0 (1 save) and 2.0.0 (3 saves)` where saves differ."""
    if len(counts) == 1:
        return f"version {next(iter(counts))}"
    parts = [f"{version} ({plural(n, 'save')})" for version, n in sorted(counts.items())]
    return "versions " + ", ".join(parts[:-1]) + " and " + parts[-1]


def _cohort_key(name: str) -> tuple[bool, str, str]:
    return (not name, name.casefold(), name)  # no cohort last


class _Placed:
    """A module's learner rows or answers, kept in a spool, each given its anchor (from its
    place in the learner table) as it is read back."""

    def __init__(self, rows: Rows, anchor: str, which: int) -> None:
        self._rows, self._anchor, self._which = rows, anchor, which

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Any]:
        for place, item in enumerate(self._rows, start=1):
            yield dataclasses.replace(item[self._which], anchor=f"{self._anchor}-l{place}")


class _Written:
    """A decision's written answers, kept in a spool, each with a link to whose it is."""

    def __init__(self, texts: Rows | list[tuple[str, int, str]], anchor: str) -> None:
        self._texts, self._anchor = texts, anchor

    def __len__(self) -> int:
        return len(self._texts)

    def __iter__(self) -> Iterator[WrittenRow]:
        for name, place, text in self._texts:
            yield WrittenRow(name, f"{self._anchor}-l{place}" if place else "", text)


@dataclass
class _KeyTally:
    """How a cohort answered the decisions a key case-file item bears on: at or after the
    stage it comes in (on each trainee's path), with it opened first or not."""

    kind: str
    title: str
    from_stage: str | None
    """The stage it comes in at, where the module is found; None: every decision counts."""
    opened: Counter[str] = field(default_factory=Counter)
    """Verdicts of the judged answers given after opening it (and "" for all answers)."""
    not_opened: Counter[str] = field(default_factory=Counter)
    """Verdicts of the judged answers given without having opened it (and "" for all)."""


def _key_items(module: Module | None) -> dict[tuple[str, str], _KeyTally]:
    """The items the module marks key: documents and chronology entries."""
    if module is None:
        return {}
    items: dict[tuple[str, str], _KeyTally] = {}
    for document in module.documents:
        if document.key:
            items[("document", document.id)] = _KeyTally(
                "document", document.title, document.from_stage
            )
    for entry in module.chronology:
        if entry.key:
            items[("chronology", entry.id)] = _KeyTally(
                "chronology", f"{entry.shown_date}, {entry.agency}: {entry.event}", entry.from_stage
            )
    return items


def _count_key_items(
    tallies: dict[tuple[str, str], _KeyTally], record: Record, module: Module | None
) -> None:
    """Add a record's counted attempt to each key item's tally. An item the saves mark key
    that the module (not found, or changed) does not is counted over every decision."""
    attempt = record.counted
    opened_at = {(item.kind, item.id): item for item in attempt.opened}
    for item in attempt.opened:
        if item.key and (item.kind, item.id) not in tallies:
            tallies[(item.kind, item.id)] = _KeyTally(item.kind, item.title, None)
    for key, tally in tallies.items():
        first = opened_at.get(key)
        start = module.stage_number(tally.from_stage) if module and tally.from_stage else 0
        for index, answer in enumerate(attempt.answers):
            if start and module is not None and module.stage_number(answer.stage_id) < start:
                continue
            counts = (
                tally.opened
                if first is not None and first.answers_so_far <= index
                else tally.not_opened
            )
            counts[""] += 1
            if answer.judged:
                counts[answer.verdict] += 1


@dataclass(frozen=True)
class KeyRow:
    label: str
    answers: int
    counts: list[int]
    """Aligned, partial, contrary."""


@dataclass(frozen=True)
class KeyView:
    """One key item: how those who had opened it before deciding answered, beside the rest."""

    kind: str
    title: str
    since: str
    rows: list[KeyRow]
    summary: str


def _key_views(
    tallies: dict[tuple[str, str], _KeyTally], module: Module | None
) -> list[KeyView]:
    views = []
    for tally in tallies.values():
        rows = [
            KeyRow(label, counts[""], [counts[v] for v in ("aligned", "partial", "contrary")])
            for label, counts in (
                ("Had opened it before deciding", tally.opened),
                ("Had not opened it", tally.not_opened),
            )
        ]
        if tally.from_stage is not None:
            title, _ = _stage(module, tally.from_stage)
            since = f"decisions from the stage {title} on"
        else:
            since = "every decision (the module file was not found to say where it comes in)"
        views.append(
            KeyView(
                "document" if tally.kind in ("document", "evidence") else "chronology entry",
                tally.title,
                since,
                rows,
                _key_summary(rows),
            )
        )
    return views


def _key_summary(rows: list[KeyRow]) -> str:
    """The comparison in a sentence: the share aligned among the judged answers each way."""
    parts = []
    for row, who in zip(rows, ("after opening it", "without opening it"), strict=True):
        judged = sum(row.counts)
        if judged:
            share = round(100 * row.counts[0] / judged)
            parts.append(f"{share}% of the judged answers given {who} were aligned")
        else:
            parts.append(f"no judged answers were given {who}")
    return "; ".join(parts).capitalize() + "."


@dataclass
class _CohortParts:
    """One cohort's answers to one module, counted as its records are read."""

    name: str
    learners: int = 0
    last_learner: str | None = None
    started: int = 0
    finished: int = 0
    restarted: int = 0
    total: float = 0.0
    scored: int = 0
    buckets: list[int] = field(default_factory=lambda: [0] * len(HISTOGRAM_LABELS))
    stats: dict[tuple[str, str], DecisionStats] = field(default_factory=dict)
    grid: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    missed: Counter[tuple[str, str]] = field(default_factory=Counter)
    recorded: dict[tuple[str, str], FindingInfo] = field(default_factory=dict)
    keys: dict[tuple[str, str], _KeyTally] | None = None
    """Each key case-file item's tally; made from the module at the first record."""
    module: Module | None = None

    def add(self, record: Record, place: int, pool: TextPool) -> None:
        if record.learner_id != self.last_learner:
            self.learners += 1
            self.last_learner = record.learner_id
        attempt = record.counted
        self.started += 1
        if attempt.finished:
            self.finished += 1
            self.restarted += record.in_progress is not None
            if attempt.score is not None:
                self.total += attempt.score
                self.scored += 1
                self.buckets[_bucket(attempt.score)] += 1
        _add_stats(self.stats, record, place, pool)
        _count_confidence(self.grid, record)
        _count_missed(self.missed, self.recorded, record)
        if self.keys is None:
            self.keys = _key_items(self.module)
        _count_key_items(self.keys, record, self.module)

    def view(
        self,
        anchor: str,
        module_anchor: str,
        module_for: Callable[[str], Module | None],
        no_text: bool,
    ) -> CohortView:
        return CohortView(
            anchor=anchor,
            name=self.name,
            learners=self.learners,
            started=self.started,
            finished=self.finished,
            restarted=self.restarted,
            mean=round(100 * self.total / self.scored) if self.scored else None,
            scores=_histogram_of(self.buckets),
            decisions=[
                _decision(item, module_for, module_anchor, no_text)
                for item in _finish_stats(self.stats, module_for)
            ],
            confidence=_confidence(self.grid),
            missed=_missed(self.missed, self.recorded, module_for),
            key_items=_key_views(self.keys or {}, self.module),
        )


@dataclass
class _ModuleParts:
    """One module's records, counted as they are read (in `report_order`)."""

    module_id: str
    titles: dict[str, list[Any]]
    """Each title the saves recorded: how many, and the least learner id of those."""
    versions: Counter[str]
    learners: Rows
    cohorts: list[_CohortParts]

    @classmethod
    def read(
        cls,
        records: Iterable[Record],
        module_for: Callable[[str], Module | None],
        pool: TextPool,
        no_text: bool,
    ) -> _ModuleParts:
        parts: _ModuleParts | None = None
        for place, record in enumerate(records, start=1):
            if parts is None:
                parts = cls(record.save.module.id, {}, Counter(), Rows(pool.spool), [])
                module = module_for(parts.module_id)
            title = parts.titles.setdefault(record.save.module.title, [0, record.learner_id])
            title[0] += 1
            title[1] = min(title[1], record.learner_id)
            parts.versions[record.save.module.version] += 1
            parts.learners.append(
                (_learner_row("", record), _learner_answers("", record, module, no_text))
            )
            if not parts.cohorts or parts.cohorts[-1].name != record.cohort:
                parts.cohorts.append(_CohortParts(record.cohort, module=module))
            parts.cohorts[-1].add(record, place, pool)
        assert parts is not None  # a group has a record
        return parts

    @property
    def title(self) -> str:
        """The module's title as most of its saves recorded it (of titles as common, the
        one first in learner order)."""
        return min(self.titles.items(), key=lambda item: (-item[1][0], item[1][1]))[0]

    @property
    def saves(self) -> int:
        return len(self.learners)

    def view(
        self, anchor: str, module_for: Callable[[str], Module | None], no_text: bool
    ) -> ModuleView:
        return ModuleView(
            anchor=anchor,
            title=self.title,
            versions=_versions(self.versions),
            learners=_Placed(self.learners, anchor, 0),
            cohorts=[
                cohort.view(f"{anchor}-c{n}", anchor, module_for, no_text)
                for n, cohort in enumerate(self.cohorts, start=1)
            ],
            answers=_Placed(self.learners, anchor, 1),
        )


def _stage(module: Module | None, stage_id: str) -> tuple[str, str | None]:
    """A stage's title and date where the module holds it; else its id, said as such."""
    stage = module.stage(stage_id) if module is not None else None
    if stage is None:
        return f"stage {stage_id}", None
    return stage.title, stage.shown_date


def _time(stamp: str | None) -> str:
    """A recorded time as a tutor reads it: `2026-10-01 09:05 UTC`."""
    return f"{stamp.replace('T', ' ')[:16]} UTC" if stamp else "–"


def _duration(start: str, end: str | None) -> str:
    """How long an attempt took from start to finish, breaks included; `–` if unfinished."""
    if not end:
        return "–"
    try:
        seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    except ValueError:
        return "–"
    if seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes}{NBSP}min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}{NBSP}h {minutes}{NBSP}min"
    days, hours = divmod(hours, 24)
    return f"{plural(days, 'day').replace(' ', NBSP)} {hours}{NBSP}h"


def _in_progress(record: Record) -> str:
    """`attempt 2 in progress: 3 of 15 answered`, or empty."""
    later = record.in_progress
    if later is None:
        return ""
    answered = len(later.answers)
    total = max(record.save.module.decisions, answered)
    return f"attempt {later.number} in progress: {answered}{NBSP}of{NBSP}{total} answered"


def _finished(record: Record, total: int) -> str:
    """`yes`; `yes (attempt 1)` where another attempt is in progress; or how far it got."""
    attempt = record.counted
    if not attempt.finished:
        return f"no: {len(attempt.answers)}{NBSP}of{NBSP}{total} answered"
    return "yes" if record.in_progress is None else f"yes (attempt{NBSP}{attempt.number})"


def _learner_row(anchor: str, record: Record) -> LearnerRow:
    attempt = record.counted
    answers = attempt.answers
    asked = [a for a in answers if a.confidence is not None]
    judged = [a for a in answers if a.judged]
    sure = [a for a in asked if a.confidence is not None and a.confidence >= 4]
    contrary = [a for a in judged if a.verdict == "contrary"]
    total = max(record.save.module.decisions, len(answers))
    return LearnerRow(
        anchor=anchor,
        name=record.learner_name,
        cohort=record.cohort or "–",
        attempts=len(record.save.attempts),
        finished=_finished(record, total),
        in_progress=_in_progress(record),
        score=f"{round(100 * attempt.score)}%"
        if attempt.finished and attempt.score is not None
        else "–",
        time_taken=_duration(attempt.started_at, attempt.finished_at),
        sure=f"{len(sure)}{NBSP}of{NBSP}{len(asked)}" if asked else "–",
        contrary=f"{len(contrary)}{NBSP}of{NBSP}{len(judged)}" if judged else "–",
        sure_contrary=sum(1 for a in contrary if a in sure),
    )


def _verdict_words(answer: Answer) -> str:
    if not answer.judged:
        return f"– {NOT_JUDGED_WORDS}"
    if answer.verdict in SIGNS:
        return f"{SIGNS[answer.verdict]} {VERDICT_WORDS[answer.verdict]}"
    return f"? {answer.verdict}"


def _learner_answers(
    anchor: str, record: Record, module: Module | None, no_text: bool
) -> LearnerAnswers:
    attempt = record.counted
    parts = [
        f"attempt {attempt.number} of {len(record.save.attempts)}",
        f"started {_time(attempt.started_at)}",
        f"finished {_time(attempt.finished_at)}" if attempt.finished else "not finished",
    ]
    if attempt.finished and attempt.score is not None:
        parts.append(f"score {round(100 * attempt.score)}%")
    if record.in_progress is not None:
        parts.append(_in_progress(record))
    answers = []
    for answer in attempt.answers:
        stage, date = _stage(module, answer.stage_id)
        written = answer.kind == "text"
        answers.append(
            AnswerView(
                stage=stage,
                date=date,
                prompt=answer.prompt,
                kind=answer.kind,
                chosen=list(answer.choice_texts or answer.choice),
                text=None if no_text or not written else answer.text or "",
                left_out=no_text and written,
                verdict=_verdict_words(answer),
                confidence=answer.confidence,
                reflection=None if no_text else answer.reflection,
                answered_at=_time(answer.answered_at),
            )
        )
    return LearnerAnswers(
        anchor=anchor,
        name=record.learner_name,
        cohort=record.cohort,
        summary=" · ".join(parts),
        answers=answers,
    )


def _decision(
    item: DecisionStats,
    module_for: Callable[[str], Module | None],
    module_anchor: str = "",
    no_text: bool = False,
) -> DecisionView:
    module = module_for(item.module_id)
    if module is not None:
        found = module.decision(item.decision_id)
        if found is not None:  # options nobody chose, from the module
            for option in found[1].options:
                if option.id not in {o[0] for o in item.options}:
                    item.options.append((option.id, option.text, option.verdict or ""))
    if item.kind == "rank":
        found = module.decision(item.decision_id) if module is not None else None
        rank: RankView | None = _rank(item, found[1].order_label if found else ORDER_LABEL)
        bars = _verdict_bars(item)
    else:
        rank = None
        bars = _verdict_bars(item) if item.kind == "text" else _option_bars(item)
    stage, date = _stage(module, item.stage_id)
    return DecisionView(
        prompt=item.prompt,
        module_id=item.module_id,
        decision_id=item.decision_id,
        stage=stage,
        date=date,
        answers=item.answers,
        bars=bars,
        rank=rank,
        not_judged=item.not_judged,
        not_judged_why=(
            "the question is a poll: its options carry no verdict"
            if item.kind in ("single", "multiple")
            else "the question has nothing in the review to be compared with"
        ),
        happened=(
            _option_text(item, item.happened)
            if item.happened is not None and item.kind != "rank"
            else None
        ),
        chose_happened=item.chose_happened,
        marked=item.marked,
        calibration=(
            _calibration(item.ticks, module, item.decision_id) if item.ticks is not None else None
        ),
        sure_contrary=(
            item.sure_contrary
            if isinstance(item.sure_contrary, SortedTexts)
            else sorted(item.sure_contrary)
        ),
        written=[] if no_text else _Written(item.texts, module_anchor),
        timing=timing_words(item.seconds, item.answers),
    )


def _option_text(item: DecisionStats, option_id: str) -> str:
    for known, text, _ in item.options:
        if known == option_id:
            return text
    return option_id


def _verdict_bars(item: DecisionStats) -> list[BarRow]:
    """How many answers got each verdict, and how many were recorded without one."""
    judged = item.answers - item.not_judged
    total = max(item.answers, 1)
    rows = [
        BarRow(f"{SIGNS[v]} {VERDICT_WORDS[v]}", _bar(item.verdicts[v], total, bar_class(v)))
        for v in (VERDICTS_ORDER if judged else ())
    ]
    if item.not_judged:
        rows.append(BarRow(f"– {NOT_JUDGED_WORDS}", _bar(item.not_judged, total, NEUTRAL_BAR)))
    return rows


def _option_bars(item: DecisionStats) -> list[BarRow]:
    """How many chose each option, beside the review's verdict on it (a poll has none)."""
    rows = []
    for oid, text, verdict in item.options:
        said = (
            f"{SIGNS[verdict]} {VERDICT_WORDS[verdict]}"
            if verdict in SIGNS
            else f"– {POLL_WORDS}"
            if not verdict
            else f"? {verdict}"
        )
        if oid == item.happened:
            said += f"; {HAPPENED_WORDS}"
        bar = _bar(item.chosen[oid], max(item.answers, 1), bar_class(verdict))
        rows.append(BarRow(text, bar, said))
    return rows


def _rank(item: DecisionStats, label: str = ORDER_LABEL) -> RankView:
    """The module's order beside the cohort's: each option's mean place, the orders given,
    and how close they came (Kendall score: 1 is the module's order, 0 its reverse)."""
    panel = item.panel_order or tuple(oid for oid, _, _ in item.options)
    rows = []
    for place, option_id in enumerate(panel, start=1):
        total, placed, first = item.places.get(option_id, (0, 0, 0))
        rows.append(
            RankRow(
                place=place,
                text=_option_text(item, option_id),
                happened=option_id == item.happened,
                mean=f"{total / placed:.1f}" if placed else "–",
                first=first,
                placed=placed,
            )
        )
    orders = []
    for order, count in item.orders.most_common(5):
        fits = sorted(order) == sorted(panel)
        score = f"{round(100 * kendall_score(order, panel))}%" if fits else "–"
        orders.append(OrderRow(tuple(_option_text(item, oid) for oid in order), count, score))
    return RankView(
        label.strip(), rows, orders, max(len(item.orders) - 5, 0), _histogram(item.scores)
    )


def _calibration(ticks: Calibration, module: Module | None, decision_id: str) -> CalibrationView:
    """Ticked against suggested: how the trainees' own judgement of what their written answer
    covered compares with what the rubric's phrases found in it."""
    labels: dict[str, str] = {}
    found = module.decision(decision_id) if module is not None else None
    if found is not None:
        labels = {concept.id: concept.label for concept in found[1].rubric}
    return CalibrationView(
        answers=ticks.answers,
        agreed=ticks.agreed,
        total=ticks.answers * len(ticks.concepts),
        rows=[
            CalibrationRow(
                labels.get(concept, concept),
                ticks.ticked[concept],
                ticks.suggested[concept],
                ticks.ticked_only[concept],
                ticks.suggested_only[concept],
            )
            for concept in ticks.concepts
        ],
    )


def _count_confidence(grid: dict[int, Counter[str]], record: Record) -> None:
    for answer in record.counted.answers:
        if answer.confidence is not None and answer.judged:
            grid[answer.confidence][answer.verdict] += 1


def _confidence(grid: dict[int, Counter[str]]) -> list[ConfidenceRow]:
    """Judged answers by confidence (5 to 1) and verdict; empty if none recorded one."""
    if not grid:
        return []
    return [
        ConfidenceRow(level, [grid[level][v] for v in VERDICTS_ORDER]) for level in range(5, 0, -1)
    ]


def _count_missed(
    counts: Counter[tuple[str, str]], recorded: dict[tuple[str, str], FindingInfo], record: Record
) -> None:
    for answer in record.counted.answers:
        for finding_id in answer.missed_findings:
            key = (record.save.module.id, finding_id)
            counts[key] += 1
            if key not in recorded:
                info = record.save.module.finding(finding_id)
                if info is not None:
                    recorded[key] = info


def _missed(
    counts: Counter[tuple[str, str]],
    recorded: dict[tuple[str, str], FindingInfo],
    module_for: Callable[[str], Module | None],
) -> list[MissedRow]:
    """The findings most often missed, each with its source and locator: as the saves recorded
    them, else from the module where found, else the finding's id alone."""
    rows = []
    for key, count in counts.most_common(10):
        module_id, finding_id = key
        info = recorded.get(key)
        if info is None:
            module = module_for(module_id)
            finding = module.finding(finding_id) if module else None
            if finding is not None and module is not None:
                info = FindingInfo.of(finding, module.source(finding.source))
        if info is None:
            rows.append(MissedRow(count, finding_id, None))
            continue
        cited = ", ".join(part for part in (info.source, info.locator) if part)
        if info.said_by:
            cited = f"{info.said_by}, in {cited}"
        rows.append(MissedRow(count, info.text or finding_id, cited))
    return rows
