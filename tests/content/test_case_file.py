"""The shipped modules' case files (format 3), played stage by stage on every path: nothing in
them before its time, the man nobody identified left unidentified, and the Peter Connelly
module's documents honest about being reconstructions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.content.shipped import SHIPPED, shipped_ids
from tests.content.test_walker import walk
from trainer.content import load_module
from trainer.content.dates import is_later, mentioned_dates, parse_date
from trainer.engine import CaseFile, Module, case_file_at

CASE = next(p for p in SHIPPED if Path(p).stem == "peter-connelly-haringey")


def every_stage(module: Module) -> Iterator[tuple[list[str], CaseFile]]:
    """The case file at each stage of each path, once per distinct path prefix."""
    seen: set[tuple[str, ...]] = set()
    for path in walk(module):
        for end in range(1, len(path) + 1):
            prefix = tuple(path[:end])
            if prefix not in seen:
                seen.add(prefix)
                yield list(prefix), case_file_at(module, prefix)


def texts(case_file: CaseFile) -> Iterator[tuple[str, str]]:
    """Every text the case file shows, with where it is from."""
    for known in case_file.chronology:
        yield f"chronology {known.entry.id}", known.entry.event
        if known.entry.date_label:
            yield f"chronology {known.entry.id} date_label", known.entry.date_label
    for person in case_file.people:
        yield f"person {person.person.id}", person.person.label
    for relation in case_file.relations:
        if relation.relation.note:
            where = f"relation {relation.relation.from_person}-{relation.relation.to_person}"
            yield where, relation.relation.note
    for document in case_file.documents:
        yield f"document {document.document.id}", document.document.title
        yield f"document {document.document.id} text", document.document.text


@pytest.mark.parametrize("path", SHIPPED, ids=shipped_ids())
def test_no_stage_holds_anything_dated_after_it(path):
    module = load_module(path)
    if module.format < 3:
        pytest.skip("no case file before format 3")
    checked = 0
    for stages, case_file in every_stage(module):
        stage = case_file.stage
        assert stage is not None and stage.date, stages
        when = parse_date(stage.date)
        assert when is not None
        for known in case_file.chronology:
            entry_date = parse_date(known.entry.date)
            assert entry_date is not None and not is_later(entry_date, when), (
                f"{stage.id}: {known.entry.id} is dated {known.entry.date}"
            )
            checked += 1
        for known in case_file.documents:
            if known.document.date:
                document_date = parse_date(known.document.date)
                assert document_date is not None and not is_later(document_date, when), (
                    f"{stage.id}: {known.document.id} is dated {known.document.date}"
                )
        for where, text in texts(case_file):
            for mentioned, written in mentioned_dates(text):
                assert not is_later(mentioned, when), f"{stage.id}: {where} mentions {written!r}"
    assert checked, "the case file holds a chronology"


# ------------------------------------------------------------------ Peter Connelly


@pytest.fixture(scope="module")
def module() -> Module:
    return load_module(CASE)


def test_the_case_module_has_a_full_case_file(module):
    assert module.format == 3
    assert len(module.chronology) >= 15
    assert len(module.documents) >= 4
    sources = {source.id for source in module.sources}
    for entry in module.chronology:
        assert entry.agency and entry.source in sources, entry.id
    # The stages' documents of format 2 moved into the case file: none is shown twice.
    assert not any(stage.evidence for stage in module.stages)


def test_every_document_is_a_reconstruction_from_a_named_source(module):
    sources = {source.id for source in module.sources}
    for document in module.documents:
        assert document.reconstructed, document.id
        assert document.source in sources, document.id
        assert document.agency and document.kind, document.id
        # The heading the screens give reconstructions says it once; the text need not.
        assert "not the original" not in document.text, document.id


def test_what_the_reviews_say_mattered_is_marked_key(module):
    key_documents = {d.id for d in module.documents if d.key}
    assert {
        "hospital-referral",  # the December opinion: an adult had inflicted the injuries
        "legal-view-december",  # the threshold met; proceedings should have been issued
        "june-examination",  # the medical evidence the July lawyer did not have
        "clinic-appointment",  # the final paediatric assessment, framed as developmental
    } <= key_documents
    assert key_documents < {d.id for d in module.documents}, "key picks out, it does not mark all"
    key_entries = {e.id for e in module.chronology if e.key}
    assert {"male-friend-recorded", "father-report", "next-of-kin"} <= key_entries


def test_the_male_friend_is_unidentified_until_the_reviews_name_him(module):
    checked = 0
    for stages, case_file in every_stage(module):
        man = case_file.person("mr-h")
        assert man is not None, f"the hospital recorded him in December: {stages[-1]}"
        if stages[-1] == "looking-back":
            # After Peter's death: what the reviews and the trial found.
            assert man.identified and man.household and man.name == "Mr H"
        else:
            assert not man.identified and not man.household, stages[-1]
            assert "Mr H" not in man.label and "not been established" in man.label
            checked += 1
    assert checked >= 11


def test_each_entry_enters_when_a_practitioner_had_it(module):
    def first_stage(entry_id: str) -> str:
        return next(e.from_stage for e in module.chronology if e.id == entry_id)

    # The conference's decision and the legal view come after the conference, not at it.
    assert first_stage("conference") == "return-home"
    assert first_stage("legal-view") == "return-home"
    decision = next(d for d in module.documents if d.id == "conference-decision")
    assert decision.from_stage == "return-home"
    # What nobody in the case had until afterwards: the GP's unshared record, the man
    # moving in, the last week.
    for entry_id in ("gp-october", "boyfriend-moves-in", "gp-july", "no-charge", "peter-dies"):
        assert first_stage(entry_id) == "looking-back", entry_id
    # The clinic's staffing history is in no record the social worker had.
    for document in module.documents:
        assert "consultant" not in document.text and "locum doctor" not in document.text


def test_the_household_is_shown_as_professionals_understood_it(module):
    path = [s.id for s in module.stages if s.id != "gp-consultation"]
    at = {stage_id: case_file_at(module, path[: i + 1]) for i, stage_id in enumerate(path)}
    household = {
        stage_id: {k.person.id for k in case_file.people if k.person.household}
        for stage_id, case_file in at.items()
    }
    assert household["hospital-referral"] == {"ms-a", "peter", "siblings"}
    assert "peter" not in household["initial-conference"], "with the family friend"
    assert household["spring-2007"] == {"ms-a", "peter", "siblings"}
    assert household["looking-back"] == {"ms-a", "peter", "siblings", "mr-h", "mr-h-brother"}
    relation = {
        stage_id: next(
            k.relation.kind for k in case_file.relations if k.relation.pair == {"ms-a", "mr-h"}
        )
        for stage_id, case_file in at.items()
    }
    assert {relation[s] for s in path[:-1]} == {"friend"}
    assert relation["looking-back"] == "partner"
