"""The report's decision views made from the counts (`trainer.cohort.report_stats`): each
decision's bars, rank and calibration, the score histogram, confidence against verdict, and
the findings most often missed."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence

from trainer.cohort.records import Record, plural
from trainer.cohort.report_stats import Calibration, DecisionStats
from trainer.cohort.report_views import (
    BAR_CLASSES,
    BAR_WIDTH,
    HAPPENED_WORDS,
    HISTOGRAM_LABELS,
    NEUTRAL_BAR,
    POLL_WORDS,
    SCORE_BAR,
    VERDICTS_ORDER,
    Bar,
    BarRow,
    CalibrationRow,
    CalibrationView,
    ConfidenceRow,
    DecisionView,
    MissedRow,
    OrderRow,
    RankRow,
    RankView,
    WrittenRow,
    stage_shown,
)
from trainer.cohort.spooling import Rows, SortedTexts
from trainer.engine import ORDER_LABEL, Decision, Module
from trainer.engine.scoring import kendall_score
from trainer.review.citation import cite
from trainer.review.words import NOT_JUDGED_WORDS, verdict_said
from trainer.saves.format import FindingInfo


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
        buckets[bucket(score)] += 1
    return histogram_of(buckets)


def bucket(score: float) -> int:
    """The histogram bar a score falls in: 0–19% is 0, 80–100% is 4."""
    return min(int(score * 5), 4)


def histogram_of(buckets: list[int]) -> list[BarRow]:
    """The score histogram's bars, each as long as its count against the most."""
    most = max(buckets) or 1
    return [
        BarRow(label, _bar(count, most, SCORE_BAR))
        for label, count in zip(HISTOGRAM_LABELS, buckets, strict=True)
    ]


class WrittenAnswers:
    """A decision's written answers, kept in a spool, each with a link to whose it is."""

    def __init__(self, texts: Rows | list[tuple[str, int, str]], anchor: str) -> None:
        self._texts, self._anchor = texts, anchor

    def __len__(self) -> int:
        return len(self._texts)

    def __iter__(self) -> Iterator[WrittenRow]:
        for name, place, text in self._texts:
            yield WrittenRow(name, f"{self._anchor}-l{place}" if place else "", text)


def decision_view(
    item: DecisionStats,
    module_for: Callable[[str], Module | None],
    module_anchor: str = "",
    no_text: bool = False,
) -> DecisionView:
    """One decision's part of a cohort's section: its answers counted, in charts and words."""
    module = module_for(item.module_id)
    decision = _decision_of(module, item.decision_id)
    if decision is not None:  # options nobody chose, from the module
        known = {o[0] for o in item.options}
        item.options.extend(
            (option.id, option.text, option.verdict or "")
            for option in decision.options
            if option.id not in known
        )
    stage, date = stage_shown(module, item.stage_id)
    return DecisionView(
        prompt=item.prompt,
        module_id=item.module_id,
        decision_id=item.decision_id,
        stage=stage,
        date=date,
        answers=item.answers,
        bars=_option_bars(item) if item.kind in CHOICES else _verdict_bars(item),
        rank=_rank(item, decision.order_label if decision else ORDER_LABEL)
        if item.kind == "rank"
        else None,
        not_judged=item.not_judged,
        not_judged_why=NOT_JUDGED_WHY[item.kind in CHOICES],
        happened=_happened(item),
        chose_happened=item.chose_happened,
        marked=item.marked,
        calibration=_calibration(item.ticks, module, item.decision_id),
        sure_contrary=_sorted(item.sure_contrary),
        written=[] if no_text else WrittenAnswers(item.texts, module_anchor),
        timing=timing_words(item.seconds, item.answers),
    )


CHOICES = ("single", "multiple")
"""The kinds whose answers are charted option by option (a poll's too)."""

NOT_JUDGED_WHY = {
    True: "the question is a poll: its options carry no verdict",
    False: "the question has nothing in the review to be compared with",
}
"""Why a decision's answers have no verdict: a choice is a poll, else nothing to compare."""


def _sorted(names: list[str] | SortedTexts) -> Sequence[str] | SortedTexts:
    """Names in order (a `SortedTexts` reads back sorted)."""
    return names if isinstance(names, SortedTexts) else sorted(names)


def _decision_of(module: Module | None, decision_id: str) -> Decision | None:
    found = module.decision(decision_id) if module is not None else None
    return found[1] if found is not None else None


def _happened(item: DecisionStats) -> str | None:
    """The text of the option marked as what was done at the time (not for rank decisions)."""
    if item.happened is None or item.kind == "rank":
        return None
    return _option_text(item, item.happened)


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
        BarRow(verdict_said(v), _bar(item.verdicts[v], total, bar_class(v)))
        for v in (VERDICTS_ORDER if judged else ())
    ]
    if item.not_judged:
        rows.append(BarRow(f"– {NOT_JUDGED_WORDS}", _bar(item.not_judged, total, NEUTRAL_BAR)))
    return rows


def _option_bars(item: DecisionStats) -> list[BarRow]:
    """How many chose each option, beside the review's verdict on it (a poll has none)."""
    rows = []
    for oid, text, verdict in item.options:
        said = verdict_said(verdict) if verdict else f"– {POLL_WORDS}"
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


def _calibration(
    ticks: Calibration | None, module: Module | None, decision_id: str
) -> CalibrationView | None:
    """Ticked against suggested: how the trainees' own judgement of what their written answer
    covered compares with what the rubric's phrases found in it (None: not compared so)."""
    if ticks is None:
        return None
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


def count_confidence(grid: dict[int, Counter[str]], record: Record) -> None:
    """Add a record's judged answers with a confidence to the grid (level, verdict)."""
    for answer in record.counted.answers:
        if answer.confidence is not None and answer.judged:
            grid[answer.confidence][answer.verdict] += 1


def confidence_rows(grid: dict[int, Counter[str]]) -> list[ConfidenceRow]:
    """Judged answers by confidence (5 to 1) and verdict; empty if none recorded one."""
    if not grid:
        return []
    return [
        ConfidenceRow(level, [grid[level][v] for v in VERDICTS_ORDER]) for level in range(5, 0, -1)
    ]


def count_missed(
    counts: Counter[tuple[str, str]], recorded: dict[tuple[str, str], FindingInfo], record: Record
) -> None:
    """Add a record's missed findings to the counts, keeping how the save recorded each."""
    for answer in record.counted.answers:
        for finding_id in answer.missed_findings:
            key = (record.save.module.id, finding_id)
            counts[key] += 1
            if key not in recorded:
                info = record.save.module.finding(finding_id)
                if info is not None:
                    recorded[key] = info


def missed_rows(
    counts: Counter[tuple[str, str]],
    recorded: dict[tuple[str, str], FindingInfo],
    module_for: Callable[[str], Module | None],
) -> list[MissedRow]:
    """The findings most often missed, each with its source and locator: as the saves recorded
    them, else from the module where found, else the finding's id alone."""
    rows = []
    for key, count in counts.most_common(10):
        info = recorded.get(key) or _from_module(key, module_for)
        if info is None:
            rows.append(MissedRow(count, key[1], None))
        else:
            rows.append(MissedRow(count, info.text or key[1], cite(*_cited(info))))
    return rows


def _cited(info: FindingInfo) -> tuple[str, str, str]:
    """A recorded finding's source, locator and who said it, as `cite` takes them."""
    return info.source, info.locator, info.said_by


def _from_module(
    key: tuple[str, str], module_for: Callable[[str], Module | None]
) -> FindingInfo | None:
    """A finding the saves did not record, from its module where found."""
    module_id, finding_id = key
    module = module_for(module_id)
    finding = module.finding(finding_id) if module else None
    if finding is None or module is None:
        return None
    return FindingInfo.of(finding, module.source(finding.source))
