"""Exports from saves alone: golden files, exact CSV columns, filters, pseudonyms, no-text."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.lrs.conftest import RALPH_PYTHON, need_ralph
from trainer.cli import main
from trainer.cohort.exporters import CSV_COLUMNS

GOLDEN = Path(__file__).parent / "golden"


def export(capsys, cohort, *args) -> tuple[int, str, str]:
    status = main(["export", "--saves", str(cohort), *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    assert text.encode("utf-8") == path.read_bytes(), f"differs from {path} (UPDATE_GOLDEN=1)"


@pytest.mark.parametrize("fmt", ["csv", "json", "xapi"])
def test_golden(capsys, cohort, fmt):
    status, out, err = export(capsys, cohort, "--format", fmt, "--all-attempts")
    assert status == 0
    assert "skipped" in err and "broken/tutorial-riverside.toml" in err
    check_golden(f"all-attempts.{fmt}", out)


@pytest.mark.parametrize("fmt", ["csv", "json", "xapi"])
def test_the_same_saves_give_the_same_bytes(capsys, cohort, tmp_path, fmt):
    first = tmp_path / f"a.{fmt}"
    second = tmp_path / f"b.{fmt}"
    assert export(capsys, cohort, "--format", fmt, "-o", str(first))[0] == 0
    assert export(capsys, cohort, "--format", fmt, "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_columns_and_one_row_per_answered_decision(capsys, cohort):
    _, out, _ = export(capsys, cohort, "--format", "csv")
    header = next(csv.reader(io.StringIO(out)))
    assert header == CSV_COLUMNS
    table = rows(out)
    # the attempts that count: Sam's second (4 answers), the unfinished one (1), Zoë's (4)
    assert len(table) == 9
    sam = [r for r in table if r["learner_id"] == "sam-okafor"]
    assert [r["attempt"] for r in sam] == ["2"] * 4
    visitor = next(r for r in sam if r["decision_id"] == "the-visitor")
    assert visitor["response"] == "ask-name;checks;see-ruby-awake"
    assert visitor["response_text"].count(";") == 2
    assert (
        visitor["verdict"] == "aligned" and visitor["score"] == "1" and visitor["confidence"] == "5"
    )
    written = next(r for r in sam if r["decision_id"] == "differently")
    assert written["concepts_matched"] == "identify;challenge;child"
    assert written["answered_at"].endswith("Z")


def test_seconds_and_what_was_opened_before_each_answer_come_last(capsys, cohort):
    _, out, _ = export(capsys, cohort, "--format", "csv")
    header = next(csv.reader(io.StringIO(out)))
    assert header[:19][-1] == "happened"  # the columns before keep their places
    assert header[19:] == ["seconds", "documents_opened"]
    sam = [r for r in rows(out) if r["learner_id"] == "sam-okafor"]
    # Opened (kind:id) while the visitor was on the screen: before that answer and each later one.
    assert [(r["decision_id"], r["documents_opened"]) for r in sam] == [
        ("first-response", ""),
        ("the-visitor", "document:medical-report;chronology:first-bruise"),
        ("how-it-feels", "document:medical-report;chronology:first-bruise"),
        ("differently", "document:medical-report;chronology:first-bruise"),
    ]
    assert {r["seconds"] for r in sam} == {"122"}
    _, out, _ = export(capsys, cohort, "--format", "json")
    (attempt,) = json.loads(out)["learners"][0]["modules"][0]["attempts"]
    answers = attempt["answers"]
    assert [a["documents_opened"] for a in answers][:2] == [
        [], ["document:medical-report", "chronology:first-bruise"]
    ]
    assert answers[0]["seconds"] == 122.0


def test_answers_from_saves_before_seconds_were_kept_leave_them_empty(capsys, cohort):
    path = cohort / "zoe-o-brien" / "tutorial-riverside.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("seconds = ")),
        encoding="utf-8",
    )
    _, out, _ = export(capsys, cohort, "--format", "csv")
    assert {r["seconds"] for r in rows(out) if r["learner_id"] == "zoe-o-brien"} == {""}
    _, out, _ = export(capsys, cohort, "--format", "xapi")
    zoe = [s for s in json.loads(out) if s["actor"]["account"]["name"] == "zoe-o-brien"]
    assert zoe and not any("duration" in s.get("result", {}) for s in zoe)


def test_formula_injection_is_neutralised(capsys, cohort):
    _, out, _ = export(capsys, cohort, "--format", "csv")
    table = rows(out)
    written = next(r for r in table if r["decision_id"] == "differently")
    assert written["response"].startswith("'=HYPERLINK")
    reflections = {r["reflection"] for r in table}
    assert "'+1 not yet mobile" in reflections and "'-" in reflections
    for row in table:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_filters_and_all_attempts(capsys, cohort):
    _, out, _ = export(capsys, cohort, "--format", "csv", "--cohort", "spring")
    assert {r["learner_id"] for r in rows(out)} == {"zoe-o-brien"}
    _, out, _ = export(capsys, cohort, "--format", "csv", "--module", "nothing-like-it")
    assert rows(out) == []
    _, out, _ = export(capsys, cohort, "--format", "csv", "--all-attempts")
    sam = [r for r in rows(out) if r["learner_id"] == "sam-okafor"]
    assert [r["attempt"] for r in sam] == ["1"] * 5 + ["2"] * 4


def test_anonymise_gives_stable_pseudonyms_in_every_format(capsys, cohort):
    for fmt in ("csv", "json", "xapi"):
        _, out, _ = export(capsys, cohort, "--format", fmt, "--anonymise")
        assert "Sam Okafor" not in out and "sam-okafor" not in out and "Zoë" not in out
        assert "learner-" in out
    _, first, _ = export(capsys, cohort, "--format", "csv", "--anonymise")
    _, second, _ = export(capsys, cohort, "--format", "csv", "--anonymise")
    assert first == second
    ids = {r["learner_id"] for r in rows(first)}
    assert len(ids) == 3 and all(i.startswith("learner-") for i in ids)


def test_no_text_leaves_out_written_answers_and_reasons(capsys, cohort):
    for fmt in ("csv", "json", "xapi"):
        _, out, _ = export(capsys, cohort, "--format", fmt, "--no-text")
        assert "HYPERLINK" not in out and "not yet mobile" not in out and "Be kinder" not in out


def test_a_written_answer_is_in_the_text_column_too(capsys, cohort):
    # response_text always holds the words: the options' texts, or what was written.
    _, out, _ = export(capsys, cohort, "--format", "csv", "--all-attempts")
    written = [r for r in rows(out) if r["kind"] == "text"]
    assert written and all(r["response_text"] == r["response"] != "" for r in written)
    assert "Be kinder." in {r["response_text"] for r in written}
    _, out, _ = export(capsys, cohort, "--format", "csv", "--all-attempts", "--no-text")
    written = [r for r in rows(out) if r["kind"] == "text"]
    assert written and all(r["response"] == r["response_text"] == "" for r in written)


def test_json_has_format_and_version_and_nests_by_learner(capsys, cohort):
    _, out, _ = export(capsys, cohort, "--format", "json", "--all-attempts")
    data = json.loads(out)
    assert data["format"] == "trainer-export" and data["version"] == 1
    sam = next(learner for learner in data["learners"] if learner["id"] == "sam-okafor")
    assert [a["number"] for a in sam["modules"][0]["attempts"]] == [1, 2]


def test_a_missing_saves_folder_is_one_line(capsys, tmp_path):
    status = main(["export", "--format", "csv", "--saves", str(tmp_path / "none")])
    err = capsys.readouterr().err
    assert status == 1 and err.strip() == f"trainer: no saves folder at {tmp_path / 'none'}"


def test_every_statement_is_valid_for_ralphs_xapi_models(capsys, cohort):
    need_ralph()
    _, out, _ = export(capsys, cohort, "--format", "xapi", "--all-attempts")
    statements = json.loads(out)
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    assert verbs.count("initialized") == 4 and verbs.count("completed") == 3
    result = subprocess.run(
        [str(RALPH_PYTHON), str(Path(__file__).parents[1] / "lrs" / "validate_statements.py")],
        input=out,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == f"{len(statements)} valid"


def test_statement_shape(capsys, cohort):
    _, out, _ = export(capsys, cohort, "--format", "xapi")
    statements = json.loads(out)
    answered = [s for s in statements if s["verb"]["id"].endswith("/answered")]
    choice = next(s for s in answered if s["object"]["id"].endswith("/the-visitor"))
    definition = choice["object"]["definition"]
    assert definition["interactionType"] == "choice"
    assert definition["correctResponsesPattern"] == ["ask-name[,]checks[,]see-ruby-awake"]
    assert choice["result"]["response"] == "ask-name[,]checks[,]see-ruby-awake"
    assert choice["result"]["score"]["scaled"] == 1
    assert choice["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": "https://trainer.invalid", "name": "sam-okafor"},
    }
    assert choice["context"]["registration"] == "00000000-0000-4000-8000-000000000002"
    assert choice["context"]["contextActivities"]["grouping"][0]["definition"]["name"] == {
        "en-GB": "autumn"
    }
    single = next(s for s in answered if s["object"]["id"].endswith("/first-response"))
    assert single["object"]["definition"]["correctResponsesPattern"] == ["strategy-and-medical"]
    text = next(s for s in answered if s["object"]["id"].endswith("/differently"))
    assert text["object"]["definition"]["interactionType"] == "long-fill-in"
    assert "correctResponsesPattern" not in text["object"]["definition"]
    assert all(
        "version" not in s and "stored" not in s and "authority" not in s for s in statements
    )
    assert len({s["id"] for s in statements}) == len(statements)


def test_progress_table(capsys, cohort):
    assert main(["progress", "--saves", str(cohort)]) == 0
    out = capsys.readouterr()
    assert "Sam Okafor" in out.out and "<script>alert(1)</script>" in out.out
    assert "skipped" in out.err


def test_report_is_self_contained_and_escapes_what_saves_hold(capsys, cohort, tmp_path):
    target = tmp_path / "report.html"
    assert main(["report", "--saves", str(cohort), "-o", str(target)]) == 0
    html = target.read_text()
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "http://" not in html and "https://" not in html
    assert "Contrary to the review" in html and "<svg" in html
    assert "What should happen next?" in html
    assert (
        "Sure (4 or 5) and contrary to the review:</strong> 1 (&lt;script&gt;alert(1)&lt;/script&gt;)"
        in html
    )


# -- answers that were not judged ----------------------------------------------------------


def test_a_not_judged_answer_has_no_verdict_and_no_score_in_csv(capsys, not_judged):
    _, out, _ = export(capsys, not_judged, "--format", "csv")
    written = [r for r in rows(out) if r["decision_id"] == "differently"]
    assert [r["learner_id"] for r in written] == ["noor-haddad", "old-save"]
    for row in written:
        assert row["verdict"] == "" and row["score"] == ""
        assert row["response"] == "I would be kinder to the mother." and row["confidence"] == "5"
    polls = [r for r in rows(out) if r["decision_id"] == "how-it-feels"]
    assert polls and all(r["verdict"] == "" and r["score"] == "" for r in polls)
    judged = [r for r in rows(out) if r["decision_id"] not in ("differently", "how-it-feels")]
    assert judged and all(r["verdict"] == "aligned" and r["score"] == "1" for r in judged)


def test_a_not_judged_answer_has_no_verdict_and_no_score_in_json(capsys, not_judged):
    _, out, _ = export(capsys, not_judged, "--format", "json")
    for learner in json.loads(out)["learners"]:
        attempt = learner["modules"][0]["attempts"][0]
        written = next(a for a in attempt["answers"] if a["decision_id"] == "differently")
        assert written["verdict"] is None and written["score"] is None
        assert written["scored"] is False and written["concepts_missed"] == []
        assert attempt["score"] == 1  # the mean of the judged, scored answers


def test_a_not_judged_answer_has_no_score_and_no_verdict_in_xapi(capsys, not_judged):
    _, out, _ = export(capsys, not_judged, "--format", "xapi")
    statements = json.loads(out)
    written = [s for s in statements if s["object"]["id"].endswith("/decisions/differently")]
    assert len(written) == 2
    for statement in written:
        result = statement["result"]
        assert "score" not in result and result["response"] == "I would be kinder to the mother."
        extensions = result["extensions"]
        assert not any(key.endswith("/verdict") for key in extensions)
        assert extensions["https://trainer.invalid/xapi/extensions/scored"] is False
        assert extensions["https://trainer.invalid/xapi/extensions/confidence"] == 5
    polls = [s for s in statements if s["object"]["id"].endswith("/decisions/how-it-feels")]
    assert polls and all("score" not in s["result"] for s in polls)
    judged = [
        s
        for s in statements
        if s["verb"]["id"].endswith("/answered") and s not in written and s not in polls
    ]
    assert judged and all(s["result"]["score"]["scaled"] == 1 for s in judged)


def test_statements_with_a_not_judged_answer_are_valid_for_ralphs_xapi_models(capsys, not_judged):
    need_ralph()
    _, out, _ = export(capsys, not_judged, "--format", "xapi")
    result = subprocess.run(
        [str(RALPH_PYTHON), str(Path(__file__).parents[1] / "lrs" / "validate_statements.py")],
        input=out,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_report_counts_a_not_judged_answer_as_recorded_never_contrary(not_judged, tmp_path):
    from trainer.cohort.records import Options, read_records
    from trainer.cohort.report_page import build_stats, report_html

    records, _ = read_records(not_judged, Options())
    written = next(s for s in build_stats(records) if s.decision_id == "differently")
    assert written.answers == 2 and written.not_judged == 2
    assert sum(written.verdicts.values()) == 0 and written.sure_contrary == []

    target = tmp_path / "report.html"
    assert main(["report", "--saves", str(not_judged), "-o", str(target)]) == 0
    html = target.read_text()
    section = html.split("What would you do differently")[1].split("</section>")[0]
    assert "Recorded, not judged" in section and "2 of 2 answers have no verdict" in section
    assert "Contrary to the review" not in section and "Sure (4 or 5)" not in html
    # Sure (5 of 5) about a written answer with no verdict: not in the contrary column.
    grid = report_html(records, "t", "now").split("Confidence against verdict")[1]
    five = grid.split("<th>5 of 5</th>")[1].split("</tr>")[0]
    assert five == "<td>2</td><td>0</td><td>0</td>"  # the two sure, aligned choices
