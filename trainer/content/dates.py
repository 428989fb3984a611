"""ISO dates as format 2 writes them (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`), how two compare, and the
dates a text mentions.

A date keeps its precision: `2007-04` is a month, not the first of April. Two
dates compare at the coarser of their precisions, so `2007-04` is neither before
nor after `2007-04-10`.
"""

from __future__ import annotations

import datetime
import functools
import re

IsoDate = tuple[int, ...]
"""(year,), (year, month) or (year, month, day)."""

_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def parse_date(text: str) -> IsoDate | None:
    """The date `text` names, or None when it is not an ISO date of a real day, month or year."""
    match = _PATTERN.fullmatch(text)
    if match is None:
        return None
    # Written out rather than by a loop over the groups: a large module has thousands of dates.
    written_year, written_month, written_day = match.groups()
    year = int(written_year)
    month = day = 1
    parts: IsoDate
    if written_month is None:
        parts = (year,)
    else:
        month = int(written_month)
        if written_day is None:
            parts = (year, month)
        else:
            day = int(written_day)
            parts = (year, month, day)
    try:
        datetime.date(year, month, day)
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


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


_FOUR_DIGITS = re.compile(r"[0-9]{4}")


@functools.cache
def _mention() -> re.Pattern[str]:
    """A date written in a text: an ISO date, a day and month and year ("3 August 2007",
    "3rd Aug 2007"), a month and year, or a year from 1800 to 2099 standing alone (not part
    of a number, an amount or a reference such as "2011/345"). Compiled when first needed:
    only a case file's texts are searched."""
    return re.compile(
        r"(?<![\w£$€.,/-])(?:"
        r"(?P<iso>[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)"
        r"|(?:(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?\s+)?(?P<month>"
        + "|".join(sorted(_MONTHS, key=len, reverse=True))
        + r")\.?,?\s+(?P<year>[0-9]{4})"
        r"|(?P<alone>(?:1[89]|20)[0-9]{2})"
        r")(?![\w/-]|[.,][0-9])",
        re.IGNORECASE,
    )


def mentioned_dates(text: str) -> list[tuple[IsoDate, str]]:
    """The dates a plain text mentions, each parsed and as written ("August 2007" is a
    month): what the hindsight check compares with the date of the stage it is shown at."""
    found: list[tuple[IsoDate, str]] = []
    # Every date the pattern finds has four digits in a row: a text without them (as most
    # are) is passed over by one quick search rather than the pattern tried at each place.
    if _FOUR_DIGITS.search(text) is None:
        return found
    for match in _mention().finditer(text):
        if match["iso"]:
            parsed = parse_date(match["iso"])
        elif match["month"]:
            month = _MONTHS[match["month"].casefold()]
            iso = f"{match['year']}-{month:02d}"
            parsed = parse_date(f"{iso}-{int(match['day']):02d}" if match["day"] else iso)
        else:
            parsed = parse_date(match["alone"])
        if parsed is not None:
            found.append((parsed, match.group()))
    return found
