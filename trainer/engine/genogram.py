"""The genogram (format 3): the family and the household, laid out in generations and drawn as
text with the standard symbols, and the same people and relations as plain sentences.

Pure, like the rest of the engine (no Rich, no Textual): the app draws `draw_genogram`'s lines
(`genogram_text`) beside the list `person_text` and `relation_text` give; the plain mode and
the Markdown debrief use the list alone, so nothing depends on the drawing.

Why a layout of our own. General graph layouts (grandalf's Sugiyama layers, Graphviz's dot,
netext's graph view for Textual) put nodes in layers and route edges between them, but a
genogram is not a general graph: partners stand side by side joined by a line, their
children hang from the middle of that line under one bar, and the man beside the mother is
the point. A layered layout knows none of that and draws a couple as two parents of each
child. A case needs three generations and a dozen people at most, for which three passes
are enough: generations from the parent links; an order within each generation that keeps
partners together and children under their parents; columns that leave room for the names
and the lines. It needs no dependency (grandalf is unmaintained; netext needs Textual, which
the engine may not import) and gives the same drawing every time, which golden tests check.

Symbols: □ male, ○ female, ◇ sex not known; the subject child doubled (▣ ◎ ◈); after the
symbol, "?" for a person whose identity is not known, "†" for one who has died and "⌂" for
one who lives in the household. Partners are joined by a dashed line (┄), former partners by
one crossed twice (┄//┄), friends by a dotted one (···). Relations the drawing cannot show
as a line (a carer, a partner who is not beside the other) are listed under it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
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
_GAP = 2
"""Columns between two people who are not joined by a line."""
_LINK_MIN = 4
"""The shortest line between two joined people (room for an ex-partner's "//")."""
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


def layout_genogram(people: Sequence[Person], relations: Sequence[Relation]) -> Genogram:
    """Place people in generations and columns (people in the order the module lists them;
    relations naming someone not among them are left out)."""
    by_id = {person.id: person for person in people}  # a person stated again: the latest
    people = [by_id[i] for i in dict.fromkeys(person.id for person in people)]
    order = {person.id: index for index, person in enumerate(people)}
    usable = [
        r
        for r in relations
        if r.from_person in order and r.to_person in order and r.from_person != r.to_person
    ]
    generation = _generations(people, usable)
    families, not_drawn = _families(people, usable, generation, order)
    side: list[Relation] = []
    for relation in usable:
        if relation.kind in SIDE_KINDS:
            same = generation[relation.from_person] == generation[relation.to_person]
            (side if same else not_drawn).append(relation)
    rows = _order_rows(people, generation, side, families, order)
    side_links, apart = _side_links(rows, side)
    position = {id(relation): index for index, relation in enumerate(usable)}
    not_drawn = sorted([*not_drawn, *apart], key=lambda relation: position[id(relation)])
    columns = _columns(rows, by_id, side_links, families)
    placed_rows = tuple(
        tuple(Placed(by_id[i], g, columns[i]) for i in row) for g, row in enumerate(rows)
    )
    return Genogram(
        placed_rows,
        tuple(side_links),
        tuple(families),
        tuple(not_drawn),
        {person.id: person.name for person in people},
    )


def _generations(people: Sequence[Person], relations: Sequence[Relation]) -> dict[str, int]:
    """Each person's generation: a parent one above, a partner, former partner, friend or
    sibling in the same one (a carer in none). Each group of related people starts at 0; a
    group all of one generation (a man whose relation to anyone is not yet known) stands
    beside the child's parents."""
    steps: dict[str, list[tuple[str, int]]] = {person.id: [] for person in people}
    for relation in relations:
        if relation.kind == "carer":
            continue  # a carer may be of any generation: only listed, never placed by it
        down = 1 if relation.kind == "parent" else 0
        steps[relation.from_person].append((relation.to_person, down))
        steps[relation.to_person].append((relation.from_person, -down))
    generation: dict[str, int] = {}
    groups: list[list[str]] = []
    for person in people:
        if person.id in generation:
            continue
        generation[person.id] = 0
        group, todo = [person.id], deque([person.id])
        while todo:  # the first path to a person sets their generation; others are ignored
            current = todo.popleft()
            for other, down in steps[current]:
                if other not in generation:
                    generation[other] = generation[current] + down
                    group.append(other)
                    todo.append(other)
        top = min(generation[i] for i in group)
        for i in group:
            generation[i] -= top
        groups.append(group)
    child = next((p.id for p in people if p.child), None)
    if child is not None:
        for group in groups:
            if child not in group and all(generation[i] == 0 for i in group):
                for i in group:
                    generation[i] = generation[child] - 1
    top = min(generation.values(), default=0)
    return {i: g - top for i, g in generation.items()}


def _families(
    people: Sequence[Person],
    relations: Sequence[Relation],
    generation: Mapping[str, int],
    order: Mapping[str, int],
) -> tuple[list[Family], list[Relation]]:
    """Children grouped under their parents (a parent one generation up), and siblings whose
    parents are unknown under a bar of their own; the relations no family line shows."""
    parents: dict[str, list[str]] = {}
    not_drawn: list[Relation] = []
    siblings: list[Relation] = []
    for relation in relations:
        a, b = relation.from_person, relation.to_person
        if relation.kind == "parent" and generation[b] == generation[a] + 1:
            parents.setdefault(b, []).append(a)
        elif relation.kind == "sibling" and generation[a] == generation[b]:
            siblings.append(relation)
        elif relation.kind not in SIDE_KINDS:
            not_drawn.append(relation)
    grouped: dict[tuple[str, ...], list[str]] = {}
    for person in people:
        if person.id in parents:
            key = tuple(sorted(set(parents[person.id]), key=order.__getitem__))
            grouped.setdefault(key, []).append(person.id)
    # Siblings without parents in the case file share a bar; siblings with parents share
    # theirs, and a sibling line the families do not show is listed.
    family_of = {child: key for key, children in grouped.items() for child in children}
    alone: dict[str, set[str]] = {}
    for relation in siblings:
        a, b = relation.from_person, relation.to_person
        if a in family_of or b in family_of:
            if family_of.get(a) != family_of.get(b):
                not_drawn.append(relation)
            continue
        merged = alone.get(a, {a}) | alone.get(b, {b})
        for member in merged:
            alone[member] = merged
    families = [Family(key, tuple(children)) for key, children in grouped.items()]
    seen: set[int] = set()
    for members in alone.values():
        if id(members) not in seen:
            seen.add(id(members))
            families.append(Family((), tuple(sorted(members, key=order.__getitem__))))
    return families, not_drawn


def _order_rows(
    people: Sequence[Person],
    generation: Mapping[str, int],
    side: Sequence[Relation],
    families: Sequence[Family],
    order: Mapping[str, int],
) -> list[list[str]]:
    """Each generation's people, left to right: people joined by a line (or parents of one
    child) together, each group under the parents of its members, else in the module's
    order."""
    rows: list[list[str]] = [[] for _ in range(max(generation.values(), default=-1) + 1)]
    for person in people:
        rows[generation[person.id]].append(person.id)
    together: dict[str, list[str]] = {person.id: [] for person in people}

    def join(a: str, b: str) -> None:
        if b not in together[a]:
            together[a].append(b)
            together[b].append(a)

    kinds: dict[frozenset[str], str] = {}
    for relation in side:
        join(relation.from_person, relation.to_person)
        kinds[relation.pair] = relation.kind
    sexes = {person.id: person.sex for person in people}
    parents_of: dict[str, tuple[str, ...]] = {}
    for family in families:
        for a, b in zip(family.parents, family.parents[1:], strict=False):
            join(a, b)
            kinds.setdefault(frozenset((a, b)), "co-parent")
        for a, b in zip(family.children, family.children[1:], strict=False):
            if not family.parents:
                join(a, b)
        for child in family.children:
            parents_of[child] = family.parents
    ordered: list[list[str]] = []
    for row in rows:
        above = {i: n for n, i in enumerate(ordered[-1])} if ordered else {}
        groups = _groups(row, together, order, kinds, sexes)

        def under(group: list[str], above: dict[str, int] = above) -> tuple[float, int]:
            places = [
                sum(above[p] for p in parents_of[i]) / len(parents_of[i])
                for i in group
                if parents_of.get(i) and all(p in above for p in parents_of[i])
            ]
            return (min(places) if places else float("inf"), min(map(order.__getitem__, group)))

        ordered.append([i for group in sorted(groups, key=under) for i in group])
    return ordered


def _groups(
    row: Sequence[str],
    together: Mapping[str, list[str]],
    order: Mapping[str, int],
    kinds: Mapping[frozenset[str], str],
    sexes: Mapping[str, str],
) -> list[list[str]]:
    """The row's people in groups joined by lines, each group in a chain: it starts at an end
    (someone joined to one other) and walks on, so a mother with a former partner and a new
    one stands between them."""
    in_row = set(row)
    placed: set[str] = set()
    groups: list[list[str]] = []
    for start in row:
        if start in placed:
            continue
        members, todo = {start}, [start]
        while todo:
            for other in together[todo.pop()]:
                if other in in_row and other not in members:
                    members.add(other)
                    todo.append(other)

        def degree(i: str, members: set[str] = members) -> tuple[int, int]:
            return (sum(o in members for o in together[i]), order[i])

        chain: list[str] = []
        left = set(members)
        current: str | None = min(left, key=degree)
        while current is not None:
            chain.append(current)
            left.discard(current)
            following = [o for o in together[current] if o in left]
            if following:
                current = min(following, key=order.__getitem__)
            else:
                current = min(left, key=degree) if left else None
        placed |= members
        groups.append(_oriented(chain, kinds, sexes, order))
    return groups


def _oriented(
    chain: list[str],
    kinds: Mapping[frozenset[str], str],
    sexes: Mapping[str, str],
    order: Mapping[str, int],
) -> list[str]:
    """The chain read the way genograms are drawn, so that it keeps its sides as people join
    it: a former partner on the left, and in a couple the man on the left; else (siblings)
    the person the module lists first."""

    def weight(line: list[str]) -> tuple[int, list[int]]:
        score = 0
        for index, (a, b) in enumerate(zip(line, line[1:], strict=False)):
            if kinds.get(frozenset((a, b))) == "ex-partner":
                score += 2 * (len(line) - 1 - index)
            if frozenset((a, b)) in kinds and (sexes.get(a), sexes.get(b)) == ("male", "female"):
                score += 1
        return (-score, [order[i] for i in line])

    return min(chain, chain[::-1], key=weight)


def _side_links(
    rows: Sequence[Sequence[str]], side: Sequence[Relation]
) -> tuple[list[tuple[str, str, str]], list[Relation]]:
    """The lines between neighbours, and the side relations whose people are not neighbours
    (or whose two people have a line already)."""
    neighbours = {(a, b): (a, b) for row in rows for a, b in zip(row, row[1:], strict=False)}
    neighbours.update({(b, a): (a, b) for a, b in list(neighbours.values())})
    links: dict[tuple[str, str], tuple[str, str, str]] = {}
    apart: list[Relation] = []
    for relation in side:
        pair = neighbours.get((relation.from_person, relation.to_person))
        if pair is None:
            apart.append(relation)
            continue
        # One line per pair: the relation given last is the one in force (a case file holds
        # one relation per pair; a bare layout may be given more).
        links[pair] = (*pair, relation.kind)
    return list(links.values()), apart


def _columns(
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


def parents_joined(family: Family, linked: set[tuple[str, str]]) -> bool:
    """Whether the family's two parents are joined by a line (their children hang from its
    middle); `linked` holds the (left, right) pairs of the side links."""
    if len(family.parents) != 2:
        return False
    a, b = family.parents
    return (a, b) in linked or (b, a) in linked


def _breaks_links(person: str, row: Sequence[str], linked: set[tuple[str, str]]) -> bool:
    """Whether `person` is joined by a line to the next person (moving them alone would
    stretch the line; a couple is moved by its children's centre from the right end)."""
    index = row.index(person)
    return index + 1 < len(row) and (person, row[index + 1]) in linked
