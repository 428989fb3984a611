"""The genogram drawn as text: the layout's people, the lines between them and a key.

Box-drawing lines are kept as the directions each cell joins (up, down, left, right) and
merged where two lines meet, so a bar meeting a drop reads "┴" and a child under a drop
"│"; text (symbols, names, partners' lines) is written over them. Pure: no Rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from trainer.engine.genogram import (
    CHILD_SYMBOLS,
    DECEASED,
    HOUSEHOLD,
    SYMBOLS,
    UNIDENTIFIED,
    Family,
    Genogram,
    Placed,
    parents_joined,
    relation_text,
)
from trainer.engine.model import Person

_LINK_FILL = {"partner": "┄", "ex-partner": "┄", "friend": "·"}
_UP, _DOWN, _LEFT, _RIGHT = 1, 2, 4, 8
_BOX = {
    _UP: "│",
    _DOWN: "│",
    _UP | _DOWN: "│",
    _LEFT: "─",
    _RIGHT: "─",
    _LEFT | _RIGHT: "─",
    _DOWN | _RIGHT: "┌",
    _DOWN | _LEFT: "┐",
    _UP | _RIGHT: "└",
    _UP | _LEFT: "┘",
    _DOWN | _LEFT | _RIGHT: "┬",
    _UP | _LEFT | _RIGHT: "┴",
    _UP | _DOWN | _RIGHT: "├",
    _UP | _DOWN | _LEFT: "┤",
    _UP | _DOWN | _LEFT | _RIGHT: "┼",
}


class _Canvas:
    """Lines of text with box-drawing lines merged where they meet."""

    def __init__(self) -> None:
        self.text: dict[tuple[int, int], str] = {}
        self.lines: dict[tuple[int, int], int] = {}

    def put(self, y: int, x: int, text: str) -> None:
        for offset, char in enumerate(text):
            self.text[y, x + offset] = char

    def free(self, y: int, x: int) -> bool:
        return (y, x) not in self.text

    def vertical(self, x: int, top: int, bottom: int) -> None:
        """A line from `top` down to `bottom`; its ends join what `join` says they meet."""
        for y in range(top, bottom + 1):
            self.lines[y, x] = self.lines.get((y, x), 0) | (
                (_UP if y > top else 0) | (_DOWN if y < bottom else 0)
            )

    def horizontal(self, y: int, left: int, right: int) -> None:
        for x in range(left, right + 1):
            self.lines[y, x] = self.lines.get((y, x), 0) | (
                (_LEFT if x > left else 0) | (_RIGHT if x < right else 0)
            )

    def join(self, y: int, x: int, directions: int) -> None:
        self.lines[y, x] = self.lines.get((y, x), 0) | directions

    def render(self, height: int) -> list[str]:
        cells = dict(self.text)
        for (y, x), directions in self.lines.items():
            if directions and (y, x) not in cells:
                cells[y, x] = _BOX[directions]
        rows: list[list[str]] = [[] for _ in range(height)]
        for (y, x), char in sorted(cells.items()):
            row = rows[y]
            row.extend(" " * (x - len(row)))
            row.append(char)
        return ["".join(row).rstrip() for row in rows]


def draw_genogram(genogram: Genogram) -> list[str]:
    """The genogram as lines of text (no trailing spaces), then a key to the symbols used and
    the relations no line shows."""
    canvas = _Canvas()
    where = {p.person.id: p for row in genogram.rows for p in row}
    top = _people(canvas, genogram, where)
    for a, b, kind in genogram.side_links:
        _side_line(canvas, where[a], where[b], kind, top[where[a].generation])
    for family in genogram.families:
        _family_lines(canvas, genogram, family, where, top)
    height = top[-1] + 2 if top else 0
    return canvas.render(height) + _key(genogram)


def _people(canvas: _Canvas, genogram: Genogram, where: Mapping[str, Placed]) -> list[int]:
    """Each generation's symbols and names put on the canvas, with room above it for the bars
    its families hang from; the line of each generation's symbols."""
    linked = {(a, b) for a, b, _ in genogram.side_links}
    y = 0
    top: list[int] = []
    for g, row in enumerate(genogram.rows):
        lanes = _lanes(genogram.families, where, linked, g)
        if g == 0 and lanes:
            y += max(lanes.values()) + 1  # siblings of the top generation under a bar
        elif g > 0:
            y += 1 + (max(lanes.values()) + 1 if lanes else 0)
        top.append(y)
        for placed in row:
            canvas.put(y, placed.column, placed.token)
            canvas.put(y + 1, placed.name_start, placed.name)
        y += 2
    return top


def _lanes(
    families: Iterable[Family],
    where: Mapping[str, Placed],
    linked: set[tuple[str, str]],
    g: int,
) -> dict[int, int]:
    """The bars above generation `g`, each given a line (a lane) of its own where two
    would overlap: family index -> lane."""
    spans = []
    for index, family in enumerate(families):
        children = [where[c] for c in family.children]
        if not children or children[0].generation != g:
            continue
        xs = [c.column for c in children] + _drops(family, where, linked)
        spans.append((min(xs), max(xs), index))
    lanes: dict[int, int] = {}
    ends: list[int] = []
    for left, right, index in sorted(spans):
        for lane, end in enumerate(ends):
            if end + 1 < left:
                ends[lane] = right
                lanes[index] = lane
                break
        else:
            lanes[index] = len(ends)
            ends.append(right)
    return lanes


def _drops(family: Family, where: Mapping[str, Placed], linked: set[tuple[str, str]]) -> list[int]:
    """The columns a family's line comes down from: the middle of the line joining its two
    parents, else each parent."""
    if parents_joined(family, linked):
        a, b = (where[p].column for p in family.parents)
        return [(a + b) // 2]
    return [where[p].column for p in family.parents]


def _side_line(canvas: _Canvas, a: Placed, b: Placed, kind: str, y: int) -> None:
    start = a.column + len(a.token) + 1
    end = b.column - 2
    fill = _LINK_FILL.get(kind, "┄")
    canvas.put(y, start, fill * (end - start + 1))
    if kind == "ex-partner":
        # The two strokes keep clear of the middle, where the children's line may drop.
        middle = (a.column + b.column) // 2
        at = start + 1 if start + 2 < middle else middle + 1
        canvas.put(y, at if at + 1 <= end else start, "//")


def _family_lines(
    canvas: _Canvas,
    genogram: Genogram,
    family: Family,
    where: Mapping[str, Placed],
    top: Sequence[int],
) -> None:
    """A family's drops from its parents, its bar, and a line down to each child."""
    children = [where[c] for c in family.children]
    g = children[0].generation
    linked = {(a, b) for a, b, _ in genogram.side_links}
    lanes = _lanes(genogram.families, where, linked, g)
    count = max(lanes.values()) + 1
    bar = top[g] - count + lanes[genogram.families.index(family)]
    drops = _drops(family, where, linked)
    if family.parents:
        line = top[g - 1]
        if parents_joined(family, linked):
            # From the line joining the parents, through the gap between their names.
            canvas.put(line, drops[0], "┬")
            canvas.vertical(drops[0], line + 1, bar)
        else:
            for x in drops:
                canvas.vertical(x, line + 2, bar)
    xs = drops + [c.column for c in children]
    canvas.horizontal(bar, min(xs), max(xs))
    for child in children:
        canvas.vertical(child.column, bar, top[g] - 1)
        canvas.join(bar, child.column, _DOWN)
        canvas.join(top[g] - 1, child.column, _DOWN)  # on into the symbol below
    for x in drops:
        canvas.join(bar, x, _UP)


def _key(genogram: Genogram) -> list[str]:
    """The symbols and lines used, in words, and the relations no line shows."""
    people = [p.person for row in genogram.rows for p in row]
    kinds = {kind for _, _, kind in genogram.side_links}
    used = [*_shapes_used(people), *_marks_used(people)]
    used += [words for kind, words in _LINE_WORDS if kind in kinds]
    lines = _wrap("Key: " + "   ".join(used)) if used else []
    for relation in genogram.not_drawn:
        lines.append("Not drawn: " + relation_text(relation, genogram.names))
    return ["", *lines] if lines else []


_SHAPE_WORDS = (("male", "male"), ("female", "female"), ("unknown", "sex not known"))
_LINE_WORDS = (
    ("partner", "┄ partners"),
    ("ex-partner", "┄//┄ former partners"),
    ("friend", "··· friends"),
)


def _shapes_used(people: Sequence[Person]) -> list[str]:
    """The shapes drawn, in words: the adults' by sex, then the child's."""
    used = [
        f"{SYMBOLS[sex]} {word}"
        for sex, word in _SHAPE_WORDS
        if any(p.sex == sex and not p.child for p in people)
    ]
    children = {CHILD_SYMBOLS.get(p.sex, CHILD_SYMBOLS["unknown"]) for p in people if p.child}
    if children:
        used.append(f"{''.join(sorted(children))} the child")
    return used


def _marks_used(people: Sequence[Person]) -> list[str]:
    """The marks drawn after a symbol, in words."""
    marks = (
        (any(not p.identified for p in people), f"{UNIDENTIFIED} identity not known"),
        (any(p.deceased for p in people), f"{DECEASED} died"),
        (any(p.household for p in people), f"{HOUSEHOLD} lives in the household"),
    )
    return [mark for present, mark in marks if present]


def _wrap(text: str, width: int = 78) -> list[str]:
    lines: list[str] = []
    for part in text.split("   "):
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += "   " + part
        else:
            lines.append(part if not lines else "     " + part)
    return lines
