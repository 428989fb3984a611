"""What the cohort report's template shows: plain values, counted and worded beforehand, and
the fixed words and class names its charts use."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.cohort.spooling import SortedTexts
    from trainer.engine import Module

VERDICTS_ORDER = ("aligned", "partial", "contrary")
BAR_CLASSES = {verdict: f"bar-{verdict}" for verdict in VERDICTS_ORDER}
"""The class of a verdict's bar; any other verdict gets `NEUTRAL_BAR`."""
NEUTRAL_BAR = "bar-none"
SCORE_BAR = "bar-score"
BAR_WIDTH = 320
"""The length in pixels of a bar for the whole."""
POLL_WORDS = "no verdict (a poll)"
"""How an option of a poll (a choice whose options carry no verdict) is labelled."""
HAPPENED_WORDS = "what was done at the time"
NBSP = "\u00a0"
"""Between a number and its unit ("2 of 3", "5 min"), so a narrow column never splits them."""
HISTOGRAM_LABELS = ("0–19%", "20–39%", "40–59%", "60–79%", "80–100%")


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
    """A rank decision: the module's order beside the cohort's."""

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
    """One concept: how often ticked, suggested, and each without the other."""

    label: str
    ticked: int
    suggested: int
    ticked_only: int
    suggested_only: int


@dataclass(frozen=True)
class CalibrationView:
    """Ticked against suggested, for a written decision compared by the trainees' ticks."""

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
    """One decision in a cohort's part: its answers counted, in charts and words."""

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
    """Judged answers at one level of confidence, by verdict."""

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
    reason: str | None
    answered_at: str


@dataclass(frozen=True)
class LearnerAnswers:
    """A learner's answers in the attempt that counts."""

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
    """A module's section: its learners, a part per cohort, and each learner's answers."""

    anchor: str
    title: str
    versions: str
    learners: Iterable[LearnerRow]
    """Read from a spool as the template writes them."""
    cohorts: list[CohortView]
    answers: Iterable[LearnerAnswers]


@dataclass(frozen=True)
class KeyRow:
    """Answers given with a key item opened first (or not), by verdict."""

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


def stage_shown(module: Module | None, stage_id: str) -> tuple[str, str | None]:
    """A stage's title and date where the module holds it; else its id, said as such."""
    stage = module.stage(stage_id) if module is not None else None
    if stage is None:
        return f"stage {stage_id}", None
    return stage.title, stage.shown_date
