"""The genogram (format 3): people placed in generations and the lines between them, the
standard symbols, and the same people and relations as plain sentences.

Pure, like the rest of the engine (no Rich, no Textual): the app draws `draw_genogram`'s lines
(`genogram_text`) of the layout `layout_genogram` makes (`genogram_layout`) beside the list
`person_text` and `relation_text` give; the plain mode and the Markdown debrief use the list
alone, so nothing depends on the drawing.

Symbols: □ male, ○ female, ◇ sex not known; the subject child doubled (▣ ◎ ◈); after the
symbol, "?" for a person whose identity is not known, "†" for one who has died and "⌂" for
one who lives in the household. Partners are joined by a dashed line (┄), former partners by
one crossed twice (┄//┄), friends by a dotted one (···). Relations the drawing cannot show
as a line (a carer, a partner who is not beside the other) are listed under it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from trainer.engine.model import Person, Relation

SYMBOLS = {"female": "○", "male": "□", "unknown": "◇"}
CHILD_SYMBOLS = {"female": "◎", "male": "▣", "unknown": "◈"}
UNIDENTIFIED = "?"
DECEASED = "†"
HOUSEHOLD = "⌂"
NAME_WIDTH = 14
"""Names longer than this are shortened in the drawing (the list gives them whole)."""
SIDE_KINDS = ("partner", "ex-partner", "friend")
"""Relations drawn as a line between two people side by side in a generation."""
_SEX_WORDS = {"female": "female", "male": "male", "unknown": "sex not known"}
_RELATION_WORDS = {
    "parent": "{a} is a parent of {b}",
    "carer": "{a} cares for {b}",
    "partner": "{a} and {b} are partners",
    "ex-partner": "{a} and {b} are former partners",
    "sibling": "{a} and {b} are siblings",
    "friend": "{a} and {b} are friends",
}


# -- the plain list -------------------------------------------------------------------


def person_facts(person: Person) -> list[str]:
    """What the symbol of a person says, in words: sex, birth, death, child, household."""
    facts = [_SEX_WORDS.get(person.sex, _SEX_WORDS["unknown"])]
    if person.born is not None:
        facts.append(f"born {person.born}")
    if person.deceased:
        facts.append("died")
    if person.child:
        facts.append("the child")
    if not person.identified:
        facts.append("identity not known")
    if person.household:
        facts.append("lives in the household")
    return facts


def person_text(person: Person) -> str:
    """A person as one line of the plain list: the label, then the facts in brackets."""
    return f"{person.label} ({'; '.join(person_facts(person))})"


def relation_text(relation: Relation, names: Mapping[str, str]) -> str:
    """A relation as one line of the plain list ("Ms A is a parent of Peter: note")."""
    words = _RELATION_WORDS.get(relation.kind, "{a} and {b}: " + relation.kind)
    first = names.get(relation.from_person, relation.from_person)
    second = names.get(relation.to_person, relation.to_person)
    text = words.format(a=first, b=second)
    return f"{text}: {relation.note}" if relation.note else text


def symbol(person: Person) -> str:
    """The person's symbol and marks, as drawn ("□?⌂")."""
    shapes = CHILD_SYMBOLS if person.child else SYMBOLS
    marks = (
        (UNIDENTIFIED if not person.identified else "")
        + (DECEASED if person.deceased else "")
        + (HOUSEHOLD if person.household else "")
    )
    return shapes.get(person.sex, shapes["unknown"]) + marks


# -- the layout -----------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    """A person in the drawing: their generation (0 at the top) and the column of the
    symbol."""

    person: Person
    generation: int
    column: int

    @property
    def token(self) -> str:
        return symbol(self.person)

    @property
    def name(self) -> str:
        name = self.person.name
        return name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1].rstrip() + "…"

    @property
    def name_start(self) -> int:
        return self.column - (len(self.name) - 1) // 2

    @property
    def left(self) -> int:
        return min(self.column, self.name_start)

    @property
    def right(self) -> int:
        return max(self.column + len(self.token), self.name_start + len(self.name)) - 1


@dataclass(frozen=True)
class Family:
    """Children under one bar, hanging from their parents (none for siblings whose parents
    are not in the case file)."""

    parents: tuple[str, ...]
    children: tuple[str, ...]


@dataclass(frozen=True)
class Genogram:
    """People placed in generations, and the lines between them."""

    rows: tuple[tuple[Placed, ...], ...]
    """Each generation, top first, left to right."""
    side_links: tuple[tuple[str, str, str], ...] = ()
    """(left person, right person, kind): partners, former partners or friends side by side."""
    families: tuple[Family, ...] = ()
    not_drawn: tuple[Relation, ...] = ()
    """Relations no line shows (listed under the drawing)."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Each person's name, for the relations listed."""

    def placed(self, person_id: str) -> Placed | None:
        """Where a person is drawn, or None."""
        for row in self.rows:
            for placed in row:
                if placed.person.id == person_id:
                    return placed
        return None


def parents_joined(family: Family, linked: set[tuple[str, str]]) -> bool:
    """Whether the family's two parents are joined by a line (their children hang from its
    middle); `linked` holds the (left, right) pairs of the side links."""
    if len(family.parents) != 2:
        return False
    a, b = family.parents
    return (a, b) in linked or (b, a) in linked
