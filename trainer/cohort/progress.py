"""Where a cohort stands: one row per learner, module and attempt."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.cohort.records import Record


@dataclass(frozen=True)
class ProgressRow:
    """One attempt's progress."""

    learner: str
    cohort: str
    module: str
    attempt: int
    answered: int
    total: int
    score: float | None
    finished: bool
    last_activity: str


def progress_rows(records: list[Record]) -> list[ProgressRow]:
    """A row for each selected attempt. Total: the decisions on the path once finished."""
    rows = []
    for record in records:
        for attempt in record.attempts:
            times = [attempt.started_at, *(a.answered_at for a in attempt.answers)]
            if attempt.finished_at:
                times.append(attempt.finished_at)
            answered = len(attempt.answers)
            total = answered if attempt.finished else max(record.save.module.decisions, answered)
            rows.append(
                ProgressRow(
                    learner=record.learner_name,
                    cohort=record.cohort,
                    module=record.save.module.id,
                    attempt=attempt.number,
                    answered=answered,
                    total=total,
                    score=attempt.score,
                    finished=attempt.finished,
                    last_activity=max(t for t in times if t),
                )
            )
    return rows
