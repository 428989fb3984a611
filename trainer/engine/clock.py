"""The engine's clock and the one form every recorded time takes.

Apart from the play-through, so that the saves can stamp and parse times without importing
the play-through and its step types before a new learner's first frame (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]

__all__ = ["Clock", "format_time", "utc_now"]


def utc_now() -> datetime:
    """The current time in UTC (the default clock)."""
    return datetime.now(UTC)


def format_time(moment: datetime) -> str:
    """ISO 8601 UTC with milliseconds and `Z`, the one form every record uses."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
