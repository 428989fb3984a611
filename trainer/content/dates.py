"""ISO dates as format 2 writes them (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`), and how two compare.

A date keeps its precision: `2007-04` is a month, not the first of April. Two
dates compare at the coarser of their precisions, so `2007-04` is neither before
nor after `2007-04-10`.
"""

from __future__ import annotations

import datetime
import re

IsoDate = tuple[int, ...]
"""(year,), (year, month) or (year, month, day)."""

_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def parse_date(text: str) -> IsoDate | None:
    """The date `text` names, or None when it is not an ISO date of a real day, month or year."""
    match = _PATTERN.fullmatch(text)
    if match is None:
        return None
    parts = tuple(int(part) for part in match.groups() if part is not None)
    try:
        datetime.date(parts[0], *(parts[1:] + (1, 1)[len(parts) - 1 :]))
    except ValueError:
        return None
    return parts


def is_later(date: IsoDate, than: IsoDate) -> bool:
    """Whether `date` is later than `than`, compared at the coarser of their precisions."""
    shared = min(len(date), len(than))
    return date[:shared] > than[:shared]


def earliest_key(date: IsoDate) -> tuple[int, ...]:
    """A sort key putting dates in order of their first day, the coarser first on a tie."""
    return date + (1,) * (3 - len(date)) + (len(date),)
