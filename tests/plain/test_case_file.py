"""The case file in plain mode (`c`): what is known at the stage, never more, as plain lists.

The chronology in date order (or one agency's), the people and how they are related as
sentences (the genogram's plain list, no drawing), the documents to read by number, items
new at this stage marked in words. Enter goes back to the question being asked.
"""

from __future__ import annotations

from tests.plain.scripts import aligned, counted_script, fresh, run, save_data, save_path
from trainer.content import load_module
from trainer.engine import Document
from trainer.engine.casefile import CaseFile, KnownDocument
from trainer.paths import shipped_modules_dir
from trainer.plain import case_texts

TUTORIAL = shipped_modules_dir() / "tutorial-riverside.toml"


def lines_to(nth_stage: int) -> list[str]:
    """The aligned script up to the nth stage's text being shown (its Enter not yet typed)."""
    full = counted_script(fresh(load_module(TUTORIAL)), aligned)
    stages = [i for i, (_, _, role) in enumerate(full) if role == "stage"]
    return [line for line, _, _ in full[: stages[nth_stage - 1]]]


def said(out: str) -> str:
    return " ".join(out.split())


def test_the_case_file_at_the_first_stage_holds_only_what_is_known_then(tmp_path):
    status, out = run(TUTORIAL, [*lines_to(1), "c", "d1", "a2", "a", "zz", "", ""], tmp_path)
    assert status == 0
    text = said(out)
    assert "Case file, as at stage 1 of 4: A bruise at the clinic" in text
    assert "Chronology: 3 entries, in date order" in text
    assert "- October 2024, midwifery: Ruby born at full term." in text
    assert "Ms Brook is a parent of Ruby" in text
    assert "Ruby: four months old (female; born 2024; the child; lives in the household)" in text
    assert "Document 1: GP record: eight-week check record, GP, 2024-12" in text
    assert "Chronology of health visiting: 2 entries" in text
    assert "Not understood: 'zz'; press Enter to go back to where you were." in text
    # Nothing from a later stage, and nothing marked new at the first stage.
    assert "Man on stairs" not in text and "Paediatrician" not in text and "(new)" not in text
    # Enter left the case file for the stage's own question, asked again.
    after = text.rsplit("to go back (h for help; c for the case file; q saves and quits).", 1)[1]
    assert "Press Enter to go on to the decision" in after


def test_at_a_later_stage_what_came_in_is_marked_new(tmp_path):
    # The aligned answer to the first decision skips the second call: the home visit is next.
    status, out = run(TUTORIAL, [*lines_to(2), "", "c"], tmp_path)
    assert status == 0
    text = said(out.split("Case file, as at", 1)[1])
    assert text.startswith("stage 3 of 4: A visit to the flat")
    assert "second bruise" not in text  # only on the path through the second call
    assert "Man on stairs: Ms Brook says he is a friend" in text
    assert "(male; identity not known) (new)" in text
    assert "Paediatrician's report (summary) (report, hospital, 2025-02) (new)" in text
    assert "Ms Brook and Man on stairs are friends: as Ms Brook describes him (new)" in text
    assert "Items marked (new) came in at this stage." in text


def test_a_reconstructed_document_says_so_above_its_text():
    document = Document(
        "minutes", "Strategy meeting minutes", "What was agreed.", "s1", kind="minutes",
        agency="police", date="2007-04", reconstructed=True,
    )
    case = CaseFile(None, documents=(KnownDocument(document, False),))
    text = case_texts.case_document_text(case, 0)
    assert text.splitlines()[:3] == [
        "Document 1: Strategy meeting minutes",
        "minutes, police, 2007-04",
        "Reconstructed from the published accounts",
    ]
    assert "(minutes, police, 2007-04, reconstructed)" in case_texts.case_file_text(
        load_module(TUTORIAL), case
    )


def opened(saves) -> list[tuple[str, str, int]]:
    """What the save records as opened in the attempt: kind, id, answers by then."""
    data = save_data(save_path(saves, load_module(TUTORIAL).id))
    return [(o["kind"], o["id"], o["answers_so_far"]) for o in data["attempts"][0].get("opened", [])]


def test_what_is_read_in_the_case_file_is_recorded_as_the_app_records_it(tmp_path):
    case = fresh(load_module(TUTORIAL)).finish_reading().case_file()
    status, _ = run(TUTORIAL, [*lines_to(1), "c", "a2", "d1", "", ""], tmp_path)
    assert status == 0
    # The whole chronology and the people were printed, so each is opened, once; the one
    # document read is opened; the agency's part printed again adds nothing.
    expected = [("chronology", k.entry.id, 0) for k in case.chronology]
    expected += [("person", k.person.id, 0) for k in case.people]
    first = case.documents[0].document.id if case.documents else case.evidence[0].id
    kind = "document" if case.documents else "evidence"
    assert opened(tmp_path) == [*expected, (kind, first, 0)]


def test_a_stage_document_read_from_the_stage_is_opened(tmp_path):
    stage = load_module(TUTORIAL).stages[0]
    assert stage.evidence
    status, _ = run(TUTORIAL, [*lines_to(1), "1", "", ""], tmp_path)
    assert status == 0
    assert opened(tmp_path) == [("evidence", f"{stage.id}.evidence.1", 0)]
