"""The genogram's columns: each generation packed left to right, children centred under their
parents where there is room, then parents moved over their children."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from trainer.engine.genogram import Family, Placed, parents_joined
from trainer.engine.model import Person

_GAP = 2
"""Columns between two people who are not joined by a line."""
_LINK_MIN = 4
"""The shortest line between two joined people (room for an ex-partner's "//")."""


def columns_of(
    rows: Sequence[Sequence[str]],
    by_id: Mapping[str, Person],
    side_links: Sequence[tuple[str, str, str]],
    families: Sequence[Family],
) -> dict[str, int]:
    """Each person's column: rows packed left to right, children centred under their
    parents where there is room, then parents over their children."""
    columns = _Columns(by_id, side_links, families)
    for row in rows:
        columns.pack(row)
    for row in reversed(rows[:-1]):
        columns.over_children(row)
    return columns.column


class _Columns:
    """The columns of the people placed so far, and the room each needs."""

    def __init__(
        self,
        by_id: Mapping[str, Person],
        side_links: Sequence[tuple[str, str, str]],
        families: Sequence[Family],
    ) -> None:
        self.by_id = by_id
        self.linked = {(a, b) for a, b, _ in side_links}
        self.dropping = {f.parents for f in families if parents_joined(f, self.linked)}
        self.parents_of = {c: f.parents for f in families for c in f.children if f.parents}
        self.children_of: dict[str, list[str]] = {}
        for child, parents in self.parents_of.items():
            for parent in parents:
                self.children_of.setdefault(parent, []).append(child)
        self.column: dict[str, int] = {}

    def at(self, i: str, column: int | None = None) -> Placed:
        """Person `i` at their column (or at `column`)."""
        return Placed(self.by_id[i], 0, self.column[i] if column is None else column)

    def earliest(self, previous: str | None, i: str) -> int:
        """The first column `i` can stand at, right of `previous`."""
        if previous is None:
            return -self.at(i, 0).left
        before = self.at(previous)
        x = before.right + _GAP + 1 - self.at(i, 0).left
        if (previous, i) in self.linked:
            x = max(x, before.column + len(before.token) + 2 + _LINK_MIN)
        if (previous, i) in self.dropping or (i, previous) in self.dropping:
            # The middle of the line between two parents stays a space clear of both names.
            while not before.right + 1 < (before.column + x) // 2 < self.at(i, x).left - 1:
                x += 1
        return x

    def pack(self, row: Sequence[str]) -> None:
        """Place a row left to right, each child no further left than its parents' middle."""
        previous: str | None = None
        for i in row:
            x = self.earliest(previous, i)
            wanted = [self.column[p] for p in self.parents_of.get(i, ()) if p in self.column]
            if wanted:
                x = max(x, sum(wanted) // len(wanted))
            self.column[i] = x
            previous = i

    def over_children(self, row: Sequence[str]) -> None:
        """Move parents right, over their children's middle, where the row leaves room (from
        the right, so each may take the room the one after it left)."""
        limit: int | None = None
        for i in reversed(row):
            below = [self.column[c] for c in self.children_of.get(i, ())]
            if below:
                shift = (min(below) + max(below)) // 2 - self.column[i]
                if limit is not None:
                    shift = min(shift, limit - self.at(i).right - _GAP - 1)
                if shift > 0 and not _breaks_links(i, row, self.linked):
                    self.column[i] += shift
            limit = self.at(i).left


def _breaks_links(person: str, row: Sequence[str], linked: set[tuple[str, str]]) -> bool:
    """Whether `person` is joined by a line to the next person (moving them alone would
    stretch the line; a couple is moved by its children's centre from the right end)."""
    index = row.index(person)
    return index + 1 < len(row) and (person, row[index + 1]) in linked
