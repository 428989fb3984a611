"""Reading a save part by part: a failure says where in the save it is, outermost first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from trainer.engine.fields import shown

MAX_COUNT = 1_000_000
"""The most attempts, or decisions in a module, a save may record: more is not a save."""
_T = TypeVar("_T")


class Unreadable(Exception):
    """A value that does not read: `where` it is (outermost first) and the plain reason."""

    def __init__(self, where: list[str], reason: str) -> None:
        super().__init__(reason)
        self.where = where
        self.reason = reason

    def __str__(self) -> str:
        return ", ".join(self.where) + ": " + self.reason if self.where else self.reason


def within(where: str, read: Callable[[Any], _T], value: Any) -> _T:
    """Read a value, saying where in the save a failure is."""
    try:
        return read(value)
    except Unreadable as error:
        raise Unreadable([where, *error.where], error.reason) from None
    except KeyError as error:
        raise Unreadable([where], f"the key {shown(error.args[0])} is missing") from None
    except (TypeError, ValueError) as error:
        raise Unreadable([where], str(error)) from None
