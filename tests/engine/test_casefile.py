"""What is in the case file at a stage (format 3): known at each stage of each path, growing,
restated, marked new, in date order, filtered by agency; and the play-through's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.records import replace
from trainer.content import load_module
from trainer.engine import (
    CaseFile,
    ChronologyEntry,
    Deciding,
    Feedback,
    Module,
    Person,
    PlayThrough,
    Relation,
    Stage,
    case_file_at,
)
from trainer.engine.autoplay import Response, play

SAMPLE = load_module(Path(__file__).parents[1] / "fixtures" / "format3.toml")
"""Paths: referral -> home -> review ("visit"), or referral -> second-call -> home -> review."""
DIRECT = ["referral", "home", "review"]
ROUND = ["referral", "second-call", "home", "review"]


def ids(case_file: CaseFile) -> dict[str, list[str]]:
    return {
        "chronology": [k.entry.id for k in case_file.chronology],
        "people": [k.person.id for k in case_file.people],
        "relations": [
            f"{k.relation.from_person}-{k.relation.kind}-{k.relation.to_person}"
            for k in case_file.relations
        ],
        "documents": [k.document.id for k in case_file.documents],
        "evidence": [k.id for k in case_file.evidence],
    }


def new(case_file: CaseFile) -> set[str]:
    """The ids of everything marked new."""
    return (
        {k.entry.id for k in case_file.chronology if k.new}
        | {k.person.id for k in case_file.people if k.new}
        | {f"{k.relation.from_person}-{k.relation.to_person}" for k in case_file.relations if k.new}
        | {k.document.id for k in case_file.documents if k.new}
        | {k.id for k in case_file.evidence if k.new}
    )


BEFORE_HOME = {
    "chronology": ["birth", "gp-check", "call"],
    "people": ["mother", "sam", "father", "grandmother"],
    "relations": [
        "mother-parent-sam",
        "father-parent-sam",
        "mother-ex-partner-father",
        "grandmother-parent-mother",
    ],
    "documents": ["gp-record", "referral-letter"],
    "evidence": ["referral.evidence.1"],
}


def test_at_the_first_stage_only_what_it_brings_and_nothing_marked_new():
    case_file = case_file_at(SAMPLE, ["referral"])
    assert case_file.stage is not None and case_file.stage.id == "referral"
    assert ids(case_file) == BEFORE_HOME
    assert new(case_file) == set() and case_file.new_count == 0


def test_the_case_file_grows_at_the_next_stage_and_marks_what_is_new():
    case_file = case_file_at(SAMPLE, ["referral", "home"])
    assert ids(case_file) == {
        # Date order: 2021-03 (a month) comes before 2021-03-02 (a day of it).
        "chronology": ["birth", "gp-check", "strategy", "call", "visit"],
        "people": [*BEFORE_HOME["people"], "man"],
        "relations": [*BEFORE_HOME["relations"], "mother-friend-man"],
        "documents": ["gp-record", "referral-letter", "medical"],
        "evidence": ["referral.evidence.1"],
    }
    assert new(case_file) == {"strategy", "visit", "man", "mother-man", "medical"}
    assert case_file.new_count == 5
    man = case_file.people[-1]
    assert not man.person.identified and not man.restated and man.new


def test_a_stage_a_branch_skipped_adds_nothing_to_that_path():
    direct = case_file_at(SAMPLE, DIRECT[:2])
    round_ = case_file_at(SAMPLE, ROUND[:3])
    assert "second-bruise" not in ids(direct)["chronology"]
    assert "second-note" not in ids(direct)["documents"]
    assert ids(round_)["chronology"] == [
        "birth",
        "gp-check",
        "strategy",
        "call",
        "second-bruise",
        "visit",
    ]
    assert ids(round_)["documents"] == ["gp-record", "referral-letter", "second-note", "medical"]
    # At home, the second call's entries are no longer new: they came at the stage before.
    assert "second-bruise" not in new(round_) and "strategy" in new(round_)
    at_second_call = case_file_at(SAMPLE, ROUND[:2])
    assert new(at_second_call) == {"second-bruise", "second-note"}


def test_entries_stay_on_every_later_stage_of_every_path():
    for path in (DIRECT, ROUND):
        seen: set[str] = set()
        for end in range(1, len(path) + 1):
            case_file = case_file_at(SAMPLE, path[:end])
            found = ids(case_file)
            # A relation stated again is the same relation (a friend who is a partner).
            found["relations"] = ["-".join(sorted(k.relation.pair)) for k in case_file.relations]
            now = {i for group in found.values() for i in group}
            assert seen <= now, f"{path[:end]} lost {seen - now}"
            seen = now


def test_nothing_is_in_the_case_file_before_its_stage():
    for path in (DIRECT, ROUND):
        for end in range(1, len(path) + 1):
            reached = set(path[:end])
            case_file = case_file_at(SAMPLE, path[:end])
            entries = [
                *(k.entry for k in case_file.chronology),
                *(k.person for k in case_file.people),
                *(k.relation for k in case_file.relations),
                *(k.document for k in case_file.documents),
            ]
            assert all(entry.from_stage in reached for entry in entries)
            assert {k.stage.id for k in case_file.evidence} <= reached


def test_a_person_stated_again_replaces_the_earlier_statement_from_its_stage():
    at_home = case_file_at(SAMPLE, DIRECT[:2])
    at_review = case_file_at(SAMPLE, DIRECT)
    assert at_home.person("man").label.startswith("A man: seen leaving")
    man = next(k for k in at_review.people if k.person.id == "man")
    assert man.person.label.startswith("Mr Dale") and man.person.identified
    assert man.restated and man.new
    assert [p.label for p in man.earlier] == [at_home.person("man").label]
    # The relation is stated again too: a friend turns out to be a partner.
    relation = next(k for k in at_review.relations if k.relation.pair == {"mother", "man"})
    assert relation.relation.kind == "partner" and relation.new
    assert [r.kind for r in relation.earlier] == ["friend"]
    assert len(at_review.people) == 5, "one person, stated twice"


def test_filtering_the_chronology_and_documents_by_agency():
    case_file = case_file_at(SAMPLE, ROUND)
    assert case_file.agencies == ("children's social care", "GP", "health visiting", "hospital")
    visiting = case_file.chronology_of("health visiting")
    assert [k.entry.id for k in visiting] == ["call", "second-bruise"]
    assert [k.document.id for k in case_file.documents_of("hospital")] == ["medical"]
    assert case_file.chronology_of(None) == case_file.chronology
    assert case_file.chronology_of("police") == ()


def test_an_empty_path_and_stages_the_module_no_longer_has():
    assert case_file_at(SAMPLE, []) == CaseFile(None)
    assert CaseFile(None).empty
    # A save made before an edit may name a stage that is gone: it adds nothing.
    assert ids(case_file_at(SAMPLE, ["referral", "gone", "home"])) == ids(
        case_file_at(SAMPLE, ["referral", "home"])
    )


def test_a_relation_naming_someone_not_yet_known_is_not_shown():
    # The validator reports this (E312); the rule keeps to it whatever the file says.
    module = replace(
        SAMPLE,
        relations=(*SAMPLE.relations, Relation("sam", "man", "sibling", "referral")),
    )
    pairs = [k.relation.pair for k in case_file_at(module, ["referral"]).relations]
    assert frozenset({"sam", "man"}) not in pairs
    pairs = [k.relation.pair for k in case_file_at(module, DIRECT[:2]).relations]
    assert frozenset({"sam", "man"}) in pairs


def test_a_format_2_module_has_only_its_stages_evidence():
    module = load_module(Path(__file__).parents[1] / "fixtures" / "format2.toml")
    stage = module.stages[0]
    case_file = case_file_at(module, [stage.id])
    assert not case_file.chronology and not case_file.people and not case_file.documents
    assert [k.evidence for k in case_file.evidence] == list(stage.evidence)


def test_the_play_through_holds_the_case_file_of_its_path():
    pt = PlayThrough(SAMPLE)
    assert pt.case_file() == case_file_at(SAMPLE, ["referral"])
    pt = pt.finish_reading()
    assert isinstance(pt.facing(), Deciding)
    # A draft answer does not change the case file, and the case file does not change it.
    assert pt.case_file() == case_file_at(SAMPLE, ["referral"])
    pt = pt.respond(["advice"])
    assert isinstance(pt.facing(), Feedback)
    assert pt.case_file() == case_file_at(SAMPLE, ["referral"])
    pt = play(pt.proceed(), lambda deciding: None)
    assert [s.id for s in pt.path] == ROUND[:3]
    assert pt.case_file() == case_file_at(SAMPLE, ROUND[:3])
    plan = {"the-man": Response(["ask", "check"])}
    pt = play(pt, lambda deciding: plan.get(deciding.decision.id))
    assert pt.finished and pt.case_file() == case_file_at(SAMPLE, ROUND)


def _module(chronology=(), people=(), relations=(), stages=("a", "b", "c")) -> Module:
    return Module(
        format=3,
        id="m",
        title="M",
        version="1",
        summary="S",
        stages=tuple(Stage(s, s.upper(), "N.") for s in stages),
        chronology=tuple(chronology),
        people=tuple(people),
        relations=tuple(relations),
    )


def test_entries_of_one_date_keep_the_file_order():
    entries = [
        ChronologyEntry("x", "2007-04", "police", "X.", "a"),
        ChronologyEntry("y", "2007", "police", "Y.", "b"),
        ChronologyEntry("z", "2007-04", "GP", "Z.", "a"),
        ChronologyEntry("w", "2006-12-31", "GP", "W.", "c"),
    ]
    case_file = case_file_at(_module(entries), ["a", "b", "c"])
    assert [k.entry.id for k in case_file.chronology] == ["w", "y", "x", "z"]


@pytest.mark.parametrize("path", [["a", "b", "c"], ["a", "c"]])
def test_the_latest_statement_on_the_path_is_the_one_in_force(path):
    people = [Person("p", "First", "a"), Person("p", "Second", "b"), Person("p", "Third", "c")]
    (known,) = case_file_at(_module(people=people), path).people
    assert known.person.label == "Third"
    assert [p.label for p in known.earlier] == ["First", "Second"][: len(path) - 1]


def test_the_rule_reads_each_entry_once():
    # 20,000 entries across 2,000 stages: worked out in well under a second.
    import time

    stages = [f"s{n}" for n in range(2000)]
    entries = [
        ChronologyEntry(f"e{n}", f"20{n % 30:02d}", "police", "E.", stages[n % 2000])
        for n in range(20_000)
    ]
    module = _module(entries, stages=stages)
    started = time.perf_counter()
    case_file = case_file_at(module, stages)
    assert time.perf_counter() - started < 2
    assert len(case_file.chronology) == 20_000
