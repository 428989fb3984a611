"""The genogram's layout: people placed in generations, each generation in an order that keeps
partners together and children under their parents (columns: `genogram_columns`).

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
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from trainer.engine.genogram import SIDE_KINDS, Family, Genogram, Placed
from trainer.engine.genogram_columns import columns_of
from trainer.engine.model import Person, Relation


def layout_genogram(people: Sequence[Person], relations: Sequence[Relation]) -> Genogram:
    """Place people in generations and columns (people in the order the module lists them;
    relations naming someone not among them are left out)."""
    by_id = {person.id: person for person in people}  # a person stated again: the latest
    people = [by_id[i] for i in dict.fromkeys(person.id for person in people)]
    order = {person.id: index for index, person in enumerate(people)}
    usable = [r for r in relations if _usable(r, order)]
    generation = _generations(people, usable)
    families, not_drawn = _families(people, usable, generation, order)
    side, across = _side(usable, generation)
    rows = _order_rows(people, generation, side, families, order)
    side_links, apart = _side_links(rows, side)
    not_drawn = _in_order([*not_drawn, *across, *apart], usable)
    columns = columns_of(rows, by_id, side_links, families)
    return Genogram(
        tuple(tuple(Placed(by_id[i], g, columns[i]) for i in row) for g, row in enumerate(rows)),
        tuple(side_links),
        tuple(families),
        tuple(not_drawn),
        {person.id: person.name for person in people},
    )


def _in_order(relations: Sequence[Relation], given: Sequence[Relation]) -> list[Relation]:
    """Relations in the order they were given."""
    position = {id(relation): index for index, relation in enumerate(given)}
    return sorted(relations, key=lambda relation: position[id(relation)])


def _usable(relation: Relation, order: Mapping[str, int]) -> bool:
    """Whether a relation joins two different people of the case file."""
    a, b = relation.from_person, relation.to_person
    return a in order and b in order and a != b


def _side(
    relations: Sequence[Relation], generation: Mapping[str, int]
) -> tuple[list[Relation], list[Relation]]:
    """The relations drawn side by side (partners, former partners, friends) whose two people
    are of one generation, and those across generations (listed, not drawn)."""
    side: list[Relation] = []
    across: list[Relation] = []
    for relation in relations:
        if relation.kind in SIDE_KINDS:
            same = generation[relation.from_person] == generation[relation.to_person]
            (side if same else across).append(relation)
    return side, across


# -- generations ----------------------------------------------------------------------


def _generations(people: Sequence[Person], relations: Sequence[Relation]) -> dict[str, int]:
    """Each person's generation: a parent one above, a partner, former partner, friend or
    sibling in the same one (a carer in none). Each group of related people starts at 0; a
    group all of one generation (a man whose relation to anyone is not yet known) stands
    beside the child's parents."""
    steps = _steps(people, relations)
    generation: dict[str, int] = {}
    groups = [
        _spread(person.id, steps, generation) for person in people if person.id not in generation
    ]
    child = next((p.id for p in people if p.child), None)
    if child is not None:
        _beside_parents(child, groups, generation)
    top = min(generation.values(), default=0)
    return {i: g - top for i, g in generation.items()}


def _beside_parents(child: str, groups: Sequence[list[str]], generation: dict[str, int]) -> None:
    """Each group all of one generation, other than the child's, moved to stand beside the
    child's parents."""
    for group in groups:
        if child not in group and all(generation[i] == 0 for i in group):
            generation.update(dict.fromkeys(group, generation[child] - 1))


def _steps(
    people: Sequence[Person], relations: Sequence[Relation]
) -> dict[str, list[tuple[str, int]]]:
    """For each person, the people related to them and how many generations down each is."""
    steps: dict[str, list[tuple[str, int]]] = {person.id: [] for person in people}
    for relation in relations:
        if relation.kind == "carer":
            continue  # a carer may be of any generation: only listed, never placed by it
        down = 1 if relation.kind == "parent" else 0
        steps[relation.from_person].append((relation.to_person, down))
        steps[relation.to_person].append((relation.from_person, -down))
    return steps


def _spread(
    start: str, steps: Mapping[str, list[tuple[str, int]]], generation: dict[str, int]
) -> list[str]:
    """The group of people related to `start`, each given a generation in `generation`
    (the group's top at 0): the first path to a person sets it; others are ignored."""
    generation[start] = 0
    group, todo = [start], deque([start])
    while todo:
        current = todo.popleft()
        for other, down in steps[current]:
            if other not in generation:
                generation[other] = generation[current] + down
                group.append(other)
                todo.append(other)
    top = min(generation[i] for i in group)
    for i in group:
        generation[i] -= top
    return group


# -- families -------------------------------------------------------------------------


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
    families = [Family(key, tuple(children)) for key, children in grouped.items()]
    bars, unshown = _sibling_bars(siblings, grouped, order)
    return families + bars, not_drawn + unshown


def _sibling_bars(
    siblings: Sequence[Relation],
    grouped: Mapping[tuple[str, ...], list[str]],
    order: Mapping[str, int],
) -> tuple[list[Family], list[Relation]]:
    """Siblings without parents in the case file share a bar; siblings with parents share
    theirs, and a sibling line the families do not show is listed (the second list)."""
    family_of = {child: key for key, children in grouped.items() for child in children}
    alone: dict[str, set[str]] = {}
    unshown: list[Relation] = []
    for relation in siblings:
        a, b = relation.from_person, relation.to_person
        if a in family_of or b in family_of:
            if family_of.get(a) != family_of.get(b):
                unshown.append(relation)
            continue
        merged = alone.get(a, {a}) | alone.get(b, {b})
        for member in merged:
            alone[member] = merged
    bars: list[Family] = []
    seen: set[int] = set()
    for members in alone.values():
        if id(members) not in seen:
            seen.add(id(members))
            bars.append(Family((), tuple(sorted(members, key=order.__getitem__))))
    return bars, unshown


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


# -- the order within each generation ---------------------------------------------------


@dataclass
class _Ties:
    """Who stands beside whom: the people joined by a line (or parents of one child, or
    siblings under one bar), what joins each pair, and each child's parents."""

    together: dict[str, list[str]]
    kinds: dict[frozenset[str], str] = field(default_factory=dict)
    parents_of: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def join(self, a: str, b: str) -> None:
        if b not in self.together[a]:
            self.together[a].append(b)
            self.together[b].append(a)


def _ties(people: Sequence[Person], side: Sequence[Relation], families: Sequence[Family]) -> _Ties:
    """Who stands beside whom, from the side relations and the families."""
    ties = _Ties({person.id: [] for person in people})
    for relation in side:
        ties.join(relation.from_person, relation.to_person)
        ties.kinds[relation.pair] = relation.kind
    for family in families:
        for a, b in zip(family.parents, family.parents[1:], strict=False):
            ties.join(a, b)
            ties.kinds.setdefault(frozenset((a, b)), "co-parent")
        if not family.parents:
            for a, b in zip(family.children, family.children[1:], strict=False):
                ties.join(a, b)
        for child in family.children:
            ties.parents_of[child] = family.parents
    return ties


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
    ties = _ties(people, side, families)
    sexes = {person.id: person.sex for person in people}
    ordered: list[list[str]] = []
    for row in rows:
        above = {i: n for n, i in enumerate(ordered[-1])} if ordered else {}
        groups = _groups(row, ties, order, sexes)

        def under(group: list[str], above: dict[str, int] = above) -> tuple[float, int]:
            return (_under(group, above, ties.parents_of), min(map(order.__getitem__, group)))

        ordered.append([i for group in sorted(groups, key=under) for i in group])
    return ordered


def _under(
    group: Sequence[str], above: Mapping[str, int], parents_of: Mapping[str, tuple[str, ...]]
) -> float:
    """Where a group stands under the row above: the leftmost middle of its members' parents
    (infinity for a group with no parents there)."""
    places = [
        sum(above[p] for p in parents_of[i]) / len(parents_of[i])
        for i in group
        if parents_of.get(i) and all(p in above for p in parents_of[i])
    ]
    return min(places) if places else float("inf")


def _groups(
    row: Sequence[str], ties: _Ties, order: Mapping[str, int], sexes: Mapping[str, str]
) -> list[list[str]]:
    """The row's people in groups joined by lines, each group in a chain (`_chain`)."""
    in_row = set(row)
    placed: set[str] = set()
    groups: list[list[str]] = []
    for start in row:
        if start not in placed:
            members = _joined(start, ties.together, in_row)
            placed |= members
            chain = _chain(members, ties.together, order)
            groups.append(_oriented(chain, ties.kinds, sexes, order))
    return groups


def _joined(start: str, together: Mapping[str, list[str]], in_row: set[str]) -> set[str]:
    """The people of the row joined to `start`, through others of the row."""
    members, todo = {start}, [start]
    while todo:
        for other in together[todo.pop()]:
            if other in in_row and other not in members:
                members.add(other)
                todo.append(other)
    return members


def _chain(
    members: set[str], together: Mapping[str, list[str]], order: Mapping[str, int]
) -> list[str]:
    """A group in a chain: it starts at an end (someone joined to one other) and walks on,
    so a mother with a former partner and a new one stands between them."""

    def degree(i: str) -> tuple[int, int]:
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
    return chain


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
