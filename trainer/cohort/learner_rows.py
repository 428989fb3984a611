"""The report's learner table and each learner's answers: the attempt that counts, in a
tutor's words, and each answer's review as the HTML page says it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from trainer.cohort.records import Record, plural
from trainer.cohort.report_views import NBSP, AnswerView, LearnerAnswers, LearnerRow, stage_shown
from trainer.engine import Answer, Module
from trainer.review.answer_review import AnswerReview


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


def learner_row(anchor: str, record: Record) -> LearnerRow:
    """A learner's line in the module's table: the attempt that counts, in a tutor's words."""
    attempt = record.counted
    counts = _Counts(attempt.answers)
    total = max(record.save.module.decisions, len(attempt.answers))
    return LearnerRow(
        anchor=anchor,
        name=record.learner_name,
        cohort=record.cohort or "–",
        attempts=len(record.save.attempts),
        finished=_finished(record, total),
        in_progress=_in_progress(record),
        score=_score(record) or "–",
        time_taken=_duration(attempt.started_at, attempt.finished_at),
        sure=_of(len(counts.sure), len(counts.asked)),
        contrary=_of(len(counts.contrary), len(counts.judged)),
        sure_contrary=_both(counts.contrary, counts.sure),
    )


class _Counts:
    """An attempt's answers that asked how sure, were sure (4 or 5), were judged, and were
    contrary to the review."""

    def __init__(self, answers: Sequence[Answer]) -> None:
        self.asked = [a for a in answers if a.confidence is not None]
        self.judged = [a for a in answers if a.judged]

    @property
    def sure(self) -> list[Answer]:
        """The answers given with a confidence of 4 or 5."""
        return [a for a in self.asked if a.confidence is not None and a.confidence >= 4]

    @property
    def contrary(self) -> list[Answer]:
        """The judged answers contrary to the review."""
        return [a for a in self.judged if a.verdict == "contrary"]


def _both(contrary: list[Answer], sure: list[Answer]) -> int:
    """How many answers were both contrary and sure."""
    return sum(1 for a in contrary if a in sure)


def _of(count: int, whole: int) -> str:
    """ "2 of 5", or "–" where there is no whole to count in."""
    return f"{count}{NBSP}of{NBSP}{whole}" if whole else "–"


def _score(record: Record) -> str:
    """The finished attempt's score, "72%"; empty where unfinished or not scored."""
    attempt = record.counted
    if attempt.finished and attempt.score is not None:
        return f"{round(100 * attempt.score)}%"
    return ""


def learner_answers(
    anchor: str, record: Record, module: Module | None, no_text: bool
) -> LearnerAnswers:
    """A learner's answers in the attempt that counts, each reviewed as the page says it."""
    attempt = record.counted
    parts = [
        f"attempt {attempt.number} of {len(record.save.attempts)}",
        f"started {_time(attempt.started_at)}",
        f"finished {_time(attempt.finished_at)}" if attempt.finished else "not finished",
    ]
    if _score(record):
        parts.append(f"score {_score(record)}")
    if record.in_progress is not None:
        parts.append(_in_progress(record))
    return LearnerAnswers(
        anchor=anchor,
        name=record.learner_name,
        cohort=record.cohort,
        summary=" · ".join(parts),
        answers=[_answer(AnswerReview(answer), module, no_text) for answer in attempt.answers],
    )


def _answer(review: AnswerReview, module: Module | None, no_text: bool) -> AnswerView:
    """One answer: where and what was asked, what was answered, and its verdict."""
    answer = review.answer
    assert answer is not None
    stage, date = stage_shown(module, answer.stage_id)
    written = answer.kind == "text"
    return AnswerView(
        stage=stage,
        date=date,
        prompt=answer.prompt,
        kind=answer.kind,
        chosen=list(answer.choice_texts or answer.choice),
        text=None if no_text or not written else review.written,
        left_out=no_text and written,
        verdict=review.verdict_said,
        confidence=answer.confidence,
        reason=None if no_text else answer.reason,
        answered_at=_time(answer.answered_at),
    )
