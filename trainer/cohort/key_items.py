"""The report's key case-file items: how a cohort answered the decisions each item bears on,
with it opened first or not."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from trainer.cohort.records import Record
from trainer.cohort.report_views import KeyRow, KeyView, stage_shown
from trainer.engine import Module
from trainer.saves import Attempt


@dataclass
class KeyTally:
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


def key_items(module: Module | None) -> dict[tuple[str, str], KeyTally]:
    """The items the module marks key: documents and chronology entries."""
    if module is None:
        return {}
    items: dict[tuple[str, str], KeyTally] = {}
    for document in module.documents:
        if document.key:
            items[("document", document.id)] = KeyTally(
                "document", document.title, document.from_stage
            )
    for entry in module.chronology:
        if entry.key:
            items[("chronology", entry.id)] = KeyTally(
                "chronology", f"{entry.shown_date}, {entry.agency}: {entry.event}", entry.from_stage
            )
    return items


def count_key_items(
    tallies: dict[tuple[str, str], KeyTally], record: Record, module: Module | None
) -> None:
    """Add a record's counted attempt to each key item's tally. An item the saves mark key
    that the module (not found, or changed) does not is counted over every decision."""
    attempt = record.counted
    opened_at = {(item.kind, item.id): item for item in attempt.opened}
    for item in attempt.opened:
        if item.key and (item.kind, item.id) not in tallies:
            tallies[(item.kind, item.id)] = KeyTally(item.kind, item.title, None)
    for key, tally in tallies.items():
        first = opened_at.get(key)
        _count(tally, attempt, None if first is None else first.answers_so_far, module)


def _count(
    tally: KeyTally, attempt: Attempt, opened_after: int | None, module: Module | None
) -> None:
    """Count into `tally` an attempt's answers at or after the item's stage, by whether the
    item was opened first (`opened_after`: the answers given before it was; None: never)."""
    start = module.stage_number(tally.from_stage) if module and tally.from_stage else 0
    for index, answer in enumerate(attempt.answers):
        if start and module is not None and module.stage_number(answer.stage_id) < start:
            continue
        opened = opened_after is not None and opened_after <= index
        counts = tally.opened if opened else tally.not_opened
        counts[""] += 1
        if answer.judged:
            counts[answer.verdict] += 1


def key_views(
    tallies: dict[tuple[str, str], KeyTally], module: Module | None
) -> list[KeyView]:
    """Each key item's tally as the page shows it."""
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
            title, _ = stage_shown(module, tally.from_stage)
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
