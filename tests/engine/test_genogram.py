"""The genogram: generations and order, the drawing against golden text for a few families,
and the plain list of the same people and relations.

Update the golden drawings with UPDATE_GOLDEN=1 after a deliberate change, and read them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.content import load_module
from trainer.engine import (
    Person,
    Relation,
    case_file_at,
    draw_genogram,
    layout_genogram,
    person_text,
    relation_text,
)
from trainer.engine.genogram import symbol

GOLDEN = Path(__file__).parent / "golden"
S = "s"  # every entry's stage: the layout does not look at it


def family(
    *people: Person, relations: tuple[Relation, ...] = ()
) -> tuple[list[Person], list[Relation]]:
    return list(people), list(relations)


FAMILIES = {
    # The tutorial's household: the father not involved, and a man nobody has identified.
    "unknown-person": family(
        Person("mother", "Ms Brook: Ruby's mother", S, "female", household=True),
        Person("ruby", "Ruby: four months old", S, "female", 2024, child=True, household=True),
        Person("father", "Mr Ash: Ruby's father; not involved", S, "male"),
        Person(
            "visitor",
            "The visitor: a man on the stairs; name not known",
            S,
            "male",
            identified=False,
            household=True,
        ),
        relations=(
            Relation("mother", "ruby", "parent", S),
            Relation("father", "ruby", "parent", S),
            Relation("mother", "father", "ex-partner", S),
            Relation("mother", "visitor", "friend", S),
        ),
    ),
    # Three generations: a grandmother who has died, her former partner, two daughters.
    "deceased": family(
        Person("nan", "Mrs Kerr: maternal grandmother", S, "female", deceased=True),
        Person("grandad", "Mr Kerr: maternal grandfather", S, "male"),
        Person("mother", "Ms Kerr: the mother", S, "female", household=True),
        Person("aunt", "Ms J Kerr: the mother's sister", S, "female"),
        Person("sam", "Sam: the baby", S, "male", 2020, child=True, household=True),
        relations=(
            Relation("nan", "grandad", "ex-partner", S),
            Relation("nan", "mother", "parent", S),
            Relation("grandad", "mother", "parent", S),
            Relation("nan", "aunt", "parent", S),
            Relation("grandad", "aunt", "parent", S),
            Relation("mother", "sam", "parent", S),
        ),
    ),
    # Two households: the child's (mother, her partner) and the father's (his partner, their son).
    "two-households": family(
        Person("mother", "Ms A: the mother", S, "female", household=True),
        Person("child", "P: the child", S, "unknown", child=True, household=True),
        Person("partner", "Mr B: the mother's partner", S, "male", household=True),
        Person("father", "Mr C: the father", S, "male"),
        Person("stepmother", "Ms D: Mr C's partner", S, "female"),
        Person("half", "E: P's half-brother", S, "male", 2019),
        relations=(
            Relation("mother", "child", "parent", S),
            Relation("father", "child", "parent", S),
            Relation("mother", "father", "ex-partner", S),
            Relation("mother", "partner", "partner", S),
            Relation("father", "stepmother", "partner", S),
            Relation("father", "half", "parent", S),
            Relation("stepmother", "half", "parent", S),
        ),
    ),
    # Siblings whose parents are not in the case file, and a childminder (a carer: listed).
    "siblings-and-a-carer": family(
        Person("amy", "Amy: 9", S, "female"),
        Person("ben", "Ben: 6", S, "male"),
        Person("cal", "Cal: 2", S, "unknown", child=True),
        Person("minder", "Mrs Grey: childminder", S, "female"),
        relations=(
            Relation("amy", "ben", "sibling", S),
            Relation("ben", "cal", "sibling", S),
            Relation("minder", "cal", "carer", S, "three days a week"),
        ),
    ),
}


def drawing(name: str) -> str:
    people, relations = FAMILIES[name]
    return "\n".join(draw_genogram(layout_genogram(people, relations))) + "\n"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"genogram-{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"differs from {path} (UPDATE_GOLDEN=1)"


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_the_drawing_is_golden(name):
    check_golden(name, drawing(name))


def test_the_sample_module_at_its_end_is_golden():
    module = load_module(Path(__file__).parents[1] / "fixtures" / "format3.toml")
    case_file = case_file_at(module, ["referral", "second-call", "home", "review"])
    people = [k.person for k in case_file.people]
    relations = [k.relation for k in case_file.relations]
    check_golden(
        "format3-sample", "\n".join(draw_genogram(layout_genogram(people, relations))) + "\n"
    )


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_the_drawing_fits_80_columns_and_names_everyone(name):
    text = drawing(name)
    lines = text.splitlines()
    assert all(len(line) <= 80 and line == line.rstrip() for line in lines)
    people, _ = FAMILIES[name]
    for person in people:
        assert person.name in text or person.name[:10] in text, person.name
        assert symbol(person) in text
    assert drawing(name) == text, "the same drawing every time"


def test_generations_put_parents_above_and_partners_beside():
    people, relations = FAMILIES["deceased"]
    genogram = layout_genogram(people, relations)
    rows = [[p.person.id for p in row] for row in genogram.rows]
    assert rows == [["grandad", "nan"], ["mother", "aunt"], ["sam"]], "the man on the left"
    people, relations = FAMILIES["two-households"]
    rows = [[p.person.id for p in row] for row in layout_genogram(people, relations).rows]
    assert rows[0] == ["partner", "mother", "father", "stepmother"], "a mother between her partners"
    assert rows[1] == ["child", "half"]


def test_someone_related_to_no_one_yet_stands_beside_the_parents():
    people = [
        Person("mother", "Ms A", S, "female"),
        Person("child", "P", S, "male", child=True),
        Person("man", "A man", S, "male", identified=False),
    ]
    rows = layout_genogram(people, [Relation("mother", "child", "parent", S)]).rows
    assert [[p.person.id for p in row] for row in rows] == [["mother", "man"], ["child"]]


def test_relations_no_line_shows_are_listed_under_the_drawing():
    text = drawing("siblings-and-a-carer")
    assert "Not drawn: Mrs Grey cares for Cal: three days a week" in text
    people, relations = FAMILIES["siblings-and-a-carer"]
    (not_drawn,) = layout_genogram(people, relations).not_drawn
    assert not_drawn.kind == "carer"


def test_a_person_stated_twice_is_drawn_once_as_stated_last():
    people = [Person("man", "A man", S, "male", identified=False), Person("man", "Mr D", S, "male")]
    (row,) = layout_genogram(people, []).rows
    assert [p.person.name for p in row] == ["Mr D"]


def test_an_empty_genogram_draws_nothing():
    assert draw_genogram(layout_genogram([], [])) == []


def test_symbols():
    assert symbol(Person("a", "A", S, "male")) == "□"
    assert symbol(Person("a", "A", S, "female", child=True)) == "◎"
    assert symbol(Person("a", "A", S)) == "◇"
    assert (
        symbol(Person("a", "A", S, "male", identified=False, deceased=True, household=True))
        == "□?†⌂"
    )


def test_the_plain_list_says_in_words_what_the_symbols_show():
    people, relations = FAMILIES["unknown-person"]
    names = {p.id: p.name for p in people}
    assert [person_text(p) for p in people] == [
        "Ms Brook: Ruby's mother (female; lives in the household)",
        "Ruby: four months old (female; born 2024; the child; lives in the household)",
        "Mr Ash: Ruby's father; not involved (male)",
        "The visitor: a man on the stairs; name not known (male; identity not known; lives in the household)",
    ]
    assert [relation_text(r, names) for r in relations] == [
        "Ms Brook is a parent of Ruby",
        "Mr Ash is a parent of Ruby",
        "Ms Brook and Mr Ash are former partners",
        "Ms Brook and The visitor are friends",
    ]
    assert person_text(Person("x", "Nan", S, deceased=True)) == "Nan (sex not known; died)"


def test_a_person_without_a_colon_in_the_label_is_named_by_the_whole_label():
    assert Person("x", "Ruby Brook, four months", S).name == "Ruby Brook, four months"
    assert Person("x", "Mr H: Ms A's friend: no surname", S).name == "Mr H"
    assert Person("x", ": odd", S).name == ": odd"


def test_people_keep_their_sides_as_the_case_file_grows():
    # A former partner on the left and the man on the left of a couple: the father stays left
    # of the mother when the visitor joins her on the right.
    people, relations = FAMILIES["unknown-person"]
    before = layout_genogram(people[:3], relations[:3]).rows[0]
    after = layout_genogram(people, relations).rows[0]
    assert [p.person.id for p in before] == ["father", "mother"]
    assert [p.person.id for p in after] == ["father", "mother", "visitor"]


_IDS = ["a", "b", "c", "d", "e", "f", "g"]
_people = st.lists(
    st.builds(
        Person,
        st.sampled_from(_IDS),
        st.sampled_from(["Ms A: mother", "Mr B", "A very long name indeed: x", "C"]),
        st.just(S),
        st.sampled_from(["female", "male", "unknown", "other"]),
        st.none() | st.integers(1900, 2030),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.booleans(),
    ),
    max_size=7,
)
_relations = st.lists(
    st.builds(
        Relation,
        st.sampled_from(_IDS),
        st.sampled_from(_IDS),
        st.sampled_from(["parent", "partner", "ex-partner", "sibling", "friend", "carer", "x"]),
        st.just(S),
        st.none() | st.just("a note"),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(_people, _relations)
def test_any_family_is_laid_out_and_drawn(people, relations):
    # Whatever the people and relations (cycles, conflicts, unknown kinds, people missing),
    # everyone is placed once, the drawing has no trailing spaces, and every relation
    # between two people placed is a line, a family, or listed as not drawn.
    genogram = layout_genogram(people, relations)
    placed = [p.person.id for row in genogram.rows for p in row]
    assert sorted(placed) == sorted({p.id for p in people})
    lines = draw_genogram(genogram)
    assert all(line == line.rstrip() for line in lines)
    columns = [p.column for row in genogram.rows for p in row]
    assert all(column >= 0 for column in columns)
    for row in genogram.rows:
        for left, right in zip(row, row[1:], strict=False):
            assert left.right < right.left, "neighbours never overlap"
    drawn = {frozenset((a, b)) for a, b, _ in genogram.side_links}
    for family in genogram.families:
        drawn |= {frozenset((p, c)) for p in family.parents for c in family.children}
        drawn |= {frozenset((c, d)) for c in family.children for d in family.children}
    listed = {id(r) for r in genogram.not_drawn}
    for relation in relations:
        if {relation.from_person, relation.to_person} <= set(placed) and relation.pair != {
            relation.from_person
        }:
            assert relation.pair in drawn or id(relation) in listed, relation
