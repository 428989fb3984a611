"""Where a cohort stands: one row per learner and module, for the attempt that counts (the
latest finished, else the latest: see `records`) with an attempt in progress after it beside
it; and, for a terminal too narrow for the table, the same rows as a record per learner over
several lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from trainer.cohort.records import Record
from trainer.saves import Attempt

INDENT = "    "
"""How far a learner's attempts are indented under their name."""


@dataclass(frozen=True)
class ProgressRow:
    """A learner's progress on a module: the attempt that counts, and any in progress after it."""

    learner: str
    cohort: str
    module: str
    attempt: int
    answered: int
    total: int
    score: float | None
    finished: bool
    last_activity: str
    """Of both attempts."""
    learner_id: str = ""
    in_progress: int = 0
    """The number of the attempt in progress after the one that counts; 0 if none."""
    in_progress_answered: int = 0
    in_progress_total: int = 0

    def in_progress_words(self) -> str:
        """`attempt 2 in progress, answered 3/15`, or empty."""
        if not self.in_progress:
            return ""
        answered = f"{self.in_progress_answered}/{self.in_progress_total}"
        return f"attempt {self.in_progress} in progress, answered {answered}"


def progress_rows(records: Iterable[Record]) -> list[ProgressRow]:
    """A row for each record. Total: the decisions on the path once finished."""
    return [row for record in records for row in record_rows(record)]


def record_rows(record: Record) -> list[ProgressRow]:
    """One record's row: the attempt that counts, with the attempt in progress after it."""
    counted, later = record.counted, record.in_progress
    answered, total = _answered(record, counted)
    later_answered, later_total = _answered(record, later) if later else (0, 0)
    return [
        ProgressRow(
            learner=record.learner_name,
            cohort=record.cohort,
            module=record.save.module.id,
            attempt=counted.number,
            answered=answered,
            total=total,
            score=counted.score,
            finished=counted.finished,
            last_activity=max(_last_activity(counted), _last_activity(later) if later else ""),
            learner_id=record.learner_id,
            in_progress=later.number if later else 0,
            in_progress_answered=later_answered,
            in_progress_total=later_total,
        )
    ]


def _answered(record: Record, attempt: Attempt) -> tuple[int, int]:
    """Decisions answered, and of how many: those on the path once finished."""
    answered = len(attempt.answers)
    return answered, answered if attempt.finished else max(record.save.module.decisions, answered)


def _last_activity(attempt: Attempt) -> str:
    times = [attempt.started_at, *(a.answered_at for a in attempt.answers)]
    if attempt.finished_at:
        times.append(attempt.finished_at)
    return max(t for t in times if t)


def progress_records(
    rows: Iterable[ProgressRow],
    width: int,
    shown: Callable[[str], str],
    cell_width: Callable[[str], int] = len,
) -> list[str]:
    """The rows as a record per learner (see `iter_progress_records`)."""
    return list(iter_progress_records(rows, width, shown, cell_width))


def iter_progress_records(
    rows: Iterable[ProgressRow],
    width: int,
    shown: Callable[[str], str],
    cell_width: Callable[[str], int] = len,
) -> Iterator[str]:
    """The rows as a record per learner, for a terminal of `width` columns: the learner's name
    and cohort, then a line (or more) per module, indented. Lines wrap between
    fields, and a field too long for a line wraps at its spaces: no name, cohort or id is
    ever cut, and a word longer than the line is left whole for the terminal to wrap.

    `shown` makes each value safe to print; `cell_width` measures it in terminal columns (a
    Chinese character takes two)."""
    previous: tuple[str, str, str] | None = None
    for row in rows:
        learner = (row.learner_id, row.learner, row.cohort)
        if learner != previous:
            previous = learner
            yield ""
            cohort = f"cohort {row.cohort}" if row.cohort else "no cohort"
            yield from wrap([shown(row.learner), shown(cohort)], width, "", "  ", cell_width)
        score = "score " + (f"{round(100 * row.score)}%" if row.score is not None else "-")
        fields = [
            shown(row.module),
            f"attempt {row.attempt}",
            f"answered {row.answered}/{row.total}",
            score,
            "finished" if row.finished else "not finished",
            *([row.in_progress_words()] if row.in_progress else []),
            f"last activity {row.last_activity.replace('T', ' ')[:16]} UTC",
        ]
        yield from wrap(fields, width, INDENT, INDENT + "  ", cell_width)


def wrap(
    fields: list[str],
    width: int,
    first: str = "",
    rest: str = "  ",
    cell_width: Callable[[str], int] = len,
) -> list[str]:
    """Fields joined by two spaces, wrapped to `width` between fields; a field longer than a
    line on its own is wrapped between its words, never inside one."""
    units: list[tuple[str, str]] = []  # (separator before it, text)
    for field in fields:
        if cell_width(rest + field) <= width:
            units.append(("  ", field))
        else:
            units += [("  " if i == 0 else " ", word) for i, word in enumerate(field.split(" "))]
    lines: list[str] = []
    line = ""
    for separator, text in units:
        if not line:
            line = (rest if lines else first) + text
        elif cell_width(line + separator + text) <= width:
            line += separator + text
        else:
            lines.append(line)
            line = rest + text
    if line:
        lines.append(line)
    return lines
