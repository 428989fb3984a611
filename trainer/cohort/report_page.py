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

This module is the page: it reads the records, module by module and cohort by cohort, and
hands the template `templates/report.html.j2` plain values (`report_views`) to write. The
counting is in `report_stats` (each decision) and `key_items` (the case file's key items);
`report_rows` and `learner_rows` turn the counts into what the page shows, and each answer's
review is said as `trainer.review` works it out. The template writes the HTML with
Jinja2's autoescaping on: every value is escaped wherever it lands (text, attributes,
inline SVG) and nothing is marked safe, so no value from a save can be forgotten.
Names and answers are data. Class names are fixed words chosen in `report_views` (a verdict
it does not know gets the neutral `bar-none`), never text from a save; ids and the
links to them are made from positions (`m1`, `m1-c2`, `m1-l3`), never from a name.

A cohort is never held: `report_parts` reads the records module by module in the order of
the learner table (`report_order`), counts each as it comes, and keeps what is shown per
learner (the table's rows, each learner's answers, the written answers, the names of those
sure and contrary) in a spool on disk, read back as the template writes it.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2
import markupsafe

from trainer.cohort.key_items import KeyTally, count_key_items, key_items, key_views
from trainer.cohort.learner_rows import learner_answers, learner_row
from trainer.cohort.records import Record, Spool, plural
from trainer.cohort.report_rows import (
    bucket,
    confidence_rows,
    count_confidence,
    count_missed,
    decision_view,
    duration_words,
    histogram_of,
    missed_rows,
    timing_words,
)
from trainer.cohort.report_stats import DecisionStats, add_stats, build_stats, finish_stats
from trainer.cohort.report_views import (
    BAR_WIDTH,
    HAPPENED_WORDS,
    HISTOGRAM_LABELS,
    VERDICTS_ORDER,
    CohortView,
    ModuleView,
)
from trainer.cohort.spooling import Rows, SortedTexts, TextPool
from trainer.engine import Module
from trainer.review.words import NOT_JUDGED_WORDS, verdict_said
from trainer.sanitise import escaped
from trainer.saves.format import FindingInfo

__all__ = [  # what the report command and the tests use
    "SortedTexts",
    "TextPool",
    "build_stats",
    "duration_words",
    "report_html",
    "report_order",
    "report_parts",
    "timing_words",
]

TEMPLATE = "report.html.j2"

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters no report shows raw: control characters (a browser shows nothing for them, a
terminal reading the file obeys them) and the bidi embeddings, overrides and isolates that
would reorder the report's own words around a value. Each is shown as its escape (`\\x1b`)."""


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
                verdict_heads=[verdict_said(v) for v in VERDICTS_ORDER],
            )
        )
    finally:
        spool.close()


def _by_module(records: Iterable[Record]) -> Iterator[tuple[str, Iterator[Record]]]:
    return itertools.groupby(records, key=lambda record: record.save.module.id)


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
    keys: dict[tuple[str, str], KeyTally] | None = None
    """Each key case-file item's tally; made from the module at the first record."""
    module: Module | None = None

    def add(self, record: Record, place: int, pool: TextPool) -> None:
        """Count one record (at `place` in the learner table)."""
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
                self.buckets[bucket(attempt.score)] += 1
        add_stats(self.stats, record, place, pool)
        count_confidence(self.grid, record)
        count_missed(self.missed, self.recorded, record)
        if self.keys is None:
            self.keys = key_items(self.module)
        count_key_items(self.keys, record, self.module)

    def view(
        self,
        anchor: str,
        module_anchor: str,
        module_for: Callable[[str], Module | None],
        no_text: bool,
    ) -> CohortView:
        """The cohort's part of the page."""
        return CohortView(
            anchor=anchor,
            name=self.name,
            learners=self.learners,
            started=self.started,
            finished=self.finished,
            restarted=self.restarted,
            mean=round(100 * self.total / self.scored) if self.scored else None,
            scores=histogram_of(self.buckets),
            decisions=[
                decision_view(item, module_for, module_anchor, no_text)
                for item in finish_stats(self.stats, module_for)
            ],
            confidence=confidence_rows(self.grid),
            missed=missed_rows(self.missed, self.recorded, module_for),
            key_items=key_views(self.keys or {}, self.module),
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
        """Count one module's records (all of them, in `report_order`)."""
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
                (learner_row("", record), learner_answers("", record, module, no_text))
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
        """How many saves (learners' records) the module has."""
        return len(self.learners)

    def view(
        self, anchor: str, module_for: Callable[[str], Module | None], no_text: bool
    ) -> ModuleView:
        """The module's section of the page."""
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
