"""Plain data read back with every value checked: `Fields`, the reader of one table of a save,
and the words its messages use (`describe`, `shown`).

The save format in `trainer.saves` reads its tables with it, and so do the readers of the
engine's own records (`Answer.from_data`, `KeptDraft.from_data`, `OpenedItem.from_data`),
which is why it lives below both: the engine may not import the saves.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

UTC_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z", re.ASCII)
"""A time as `format_time` writes it (milliseconds and `Z`); other fractions of a second pass."""
_MISSING: Any = object()


def is_utc_time(value: str) -> bool:
    """Whether a text is an ISO 8601 UTC time like `2026-11-25T09:00:01.000Z` that exists."""
    if not UTC_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value[:-1])
    except ValueError:  # the 31st of November, hour 25, ...
        return False
    return True


def shown(value: Any) -> str:
    """A value as a message quotes it: on one line, and short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) >= 10**15:
        return f"a number of {len(str(abs(value)))} digits"
    if isinstance(value, float | int):
        return repr(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    return describe(value)


def describe(value: Any) -> str:
    """What kind of value this is, in words (for messages)."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, datetime | date | time):
        return "a TOML date or time (times are kept as text)"
    return type(value).__name__


class Fields:
    """One table of a save, read key by key: each value's type and range are checked, and a
    failure is a KeyError, TypeError or ValueError whose message names the key."""

    def __init__(self, data: Any) -> None:
        if not isinstance(data, Mapping):
            raise TypeError(f"it should be a table, not {describe(data)}")
        self.data: Mapping[str, Any] = data

    def _get(self, key: str, default: Any) -> Any:
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            raise KeyError(key)
        return default

    def _wrong(self, key: str, wanted: str, value: Any) -> TypeError:
        return TypeError(f"{key} should be {wanted}, not {describe(value)}")

    def text(self, key: str, default: Any = _MISSING) -> str:
        """A text value (required unless a default is given)."""
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self._wrong(key, "text", value)
        return value

    def optional_text(self, key: str) -> str | None:
        """A text value, or None when the key is absent."""
        return None if key not in self.data else self.text(key)

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of texts; absent is empty."""
        value = self._get(key, [])
        if not isinstance(value, list | tuple):
            raise self._wrong(key, "a list of text", value)
        for item in value:
            if not isinstance(item, str):
                raise TypeError(f"{key} should be a list of text, but holds {describe(item)}")
        return tuple(value)

    def tables(self, key: str) -> list[Any]:
        """A list of tables (checked by the caller, item by item); absent is empty."""
        value = self._get(key, [])
        if not isinstance(value, list | tuple):
            raise self._wrong(key, "a list of tables", value)
        return list(value)

    def flag(self, key: str, default: Any = _MISSING) -> bool:
        """true or false."""
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self._wrong(key, "true or false", value)
        return value

    def whole(self, key: str, low: int, high: int, default: Any = _MISSING) -> Any:
        """A whole number from `low` to `high`; the default (which may be None) if absent."""
        value = self._get(key, default)
        if value is None and default is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(key, "a whole number", value)
        if not low <= value <= high:
            wanted = f"a whole number from {low} to {high}"
            raise ValueError(f"{key} is {shown(value)}; it must be {wanted}")
        return value

    def number(self, key: str, low: float, high: float) -> float | None:
        """A finite number from `low` to `high`, or None when the key is absent."""
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(key, "a number", value)
        wanted = f"a number from {low:g} to {high:g}"
        if isinstance(value, int) and abs(value) > 10**15:  # float() could overflow
            raise ValueError(f"{key} is {shown(value)}; it must be {wanted}")
        number = float(value)
        if not (math.isfinite(number) and low <= number <= high):
            raise ValueError(f"{key} is {shown(value)}; it must be {wanted}")
        return number

    def one_of(self, key: str, allowed: Sequence[str], default: Any = _MISSING) -> Any:
        """One of the allowed texts; the default (which may be None) if absent."""
        value = self._get(key, default)
        if value is None and default is None:
            return None
        if not isinstance(value, str):
            raise self._wrong(key, "text", value)
        if value not in allowed:
            words = [repr(a) if a else "empty" for a in allowed]
            listed = ", ".join(words[:-1]) + " or " + words[-1]
            raise ValueError(f"{key} is {shown(value)}; it must be {listed}")
        return value

    def time(self, key: str, required: bool = False) -> str | None:
        """A UTC time as `format_time` writes it; None when absent and not required."""
        if key not in self.data and not required:
            return None
        value = self.text(key)
        if not is_utc_time(value):
            raise ValueError(
                f"{key} is {shown(value)}; it must be a UTC time like 2026-11-25T09:00:01.000Z"
            )
        return value
