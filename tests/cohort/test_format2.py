"""Format 2 in the records: a rank decision, a poll, what was done at the time, and written
answers compared by the trainee's ticks, in the saves, CSV, JSON, xAPI and the report."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import tomllib
from html import escape
from pathlib import Path

import pytest
import tomli_w

from tests.cohort.conftest import FORMAT2, HOSTILE, PANEL
from tests.lrs.conftest import RALPH_PYTHON, need_ralph
from trainer.cli import main
from trainer.cohort.exporters import CSV_COLUMNS
from trainer.cohort.records import Options, read_records
from trainer.cohort.report_page import build_stats, report_html
from trainer.content import load_module
from trainer.saves import read_save

EXT = "https://trainer.invalid/xapi/extensions"
VALIDATE = Path(__file__).parents[1] / "lrs" / "validate_statements.py"


def export(capsys, saves, *args) -> str:
    assert main(["export", "--saves", str(saves), *args]) == 0
    return capsys.readouterr().out


def rows(text: str) -> dict[tuple[str, str], dict[str, str]]:
    """The CSV rows by learner and decision."""
    return {(r["learner_id"], r["decision_id"]): r for r in csv.DictReader(io.StringIO(text))}


# -- saves --------------------------------------------------------------------------------


def test_a_format2_save_records_what_the_exports_need(format2):
    save = read_save(format2 / "ben-hale" / "format2-sample.toml")
    answers = {a.decision_id: a for a in save.attempts[0].answers}
    rank = answers["priorities"]
    assert rank.choice == tuple(PANEL[::-1]) and rank.panel_order == tuple(PANEL)
    assert answers["first"].happened == "letter" and answers["first"].chose_what_happened
    assert answers["priorities"].happened is None
    written = answers["differently"]
    assert written.concepts_matched == ("alone",) and written.concepts_claimed == ()
    assert written.verdict == "contrary" and written.score == 0
    assert answers["comfort"].verdict == "" and answers["comfort"].score is None
    # The module's findings with their sources and locators, so exports can cite them.
    finding = save.module.finding("charity-view")
    assert finding is not None
    assert (
        finding.source == "A children's charity, 15 March 2031, “Statement on the Hollins review”"
    )
    assert (finding.locator, finding.voice, finding.said_by) == (
        "second paragraph",
        "comment",
        "a children's charity",
    )


def test_a_save_with_its_findings_round_trips_and_an_older_one_reads_without(format2):
    path = format2 / "ada-price" / "format2-sample.toml"
    save = read_save(path)
    assert type(save).loads(save.dumps()) == save
    text = path.read_text(encoding="utf-8")
    older = text[: text.index("[[module.findings]]")] + text[text.index("[[attempts]]") :]
    path.write_text(older, encoding="utf-8")
    assert read_save(path).module.findings == ()


# -- CSV ----------------------------------------------------------------------------------


def test_csv_appends_concepts_claimed_and_happened_after_the_existing_columns(capsys, format2):
    out = export(capsys, format2, "--format", "csv")
    header = next(csv.reader(io.StringIO(out)))
    assert header == CSV_COLUMNS
    assert header[16:19] == ["answered_at", "concepts_claimed", "happened"]
    assert header[:17][-2:] == ["concepts_matched", "answered_at"]


def test_csv_rank_response_is_the_trainees_order(capsys, format2):
    table = rows(export(capsys, format2, "--format", "csv"))
    ben = table[("ben-hale", "priorities")]
    assert ben["kind"] == "rank"
    assert ben["response"] == "letter-home;records;strategy;see-alone"
    assert ben["response_text"] == (
        "Send a letter home.;Check the records of every agency.;"
        "Hold a strategy discussion with the police.;See Mia on her own."
    )
    assert (ben["verdict"], ben["score"]) == ("contrary", "0")
    ada = table[("ada-price", "priorities")]
    assert ada["response"] == ";".join(PANEL) and (ada["verdict"], ada["score"]) == ("aligned", "1")
    hostile = table[("a-hostile", "priorities")]
    assert (hostile["verdict"], hostile["score"]) == ("partial", "0.6667")


def test_csv_self_compared_answers_record_ticks_beside_suggestions(capsys, format2):
    table = rows(export(capsys, format2, "--format", "csv"))
    ada, ben, hostile = (
        table[(who, "differently")] for who in ("ada-price", "ben-hale", "a-hostile")
    )
    assert (ada["concepts_matched"], ada["concepts_claimed"], ada["score"]) == (
        "alone;sooner",
        "alone;sooner",
        "1",
    )
    # "I believed her, so I would not see her alone": the phrase matched, the trainee unticked.
    assert (ben["concepts_matched"], ben["concepts_claimed"], ben["verdict"]) == (
        "alone",
        "",
        "contrary",
    )
    assert (hostile["concepts_matched"], hostile["concepts_claimed"]) == ("sooner", "alone;sooner")


def test_csv_poll_and_not_judged_answers_have_no_verdict_and_no_score(capsys, format2):
    table = rows(export(capsys, format2, "--format", "csv"))
    for who in ("ada-price", "ben-hale", "a-hostile"):
        for decision in ("comfort", "notes"):
            row = table[(who, decision)]
            assert (row["verdict"], row["score"], row["happened"]) == ("", "", "")
    assert table[("ada-price", "comfort")]["response"] == "comfortable"


def test_csv_happened_is_yes_no_or_empty(capsys, format2):
    table = rows(export(capsys, format2, "--format", "csv"))
    assert table[("ben-hale", "first")]["happened"] == "yes"
    assert table[("ada-price", "first")]["happened"] == "no"
    assert table[("ada-price", "meeting")]["happened"] == "yes"  # among the options chosen
    assert table[("ben-hale", "meeting")]["happened"] == "no"
    assert table[("ada-price", "priorities")]["happened"] == ""  # the decision marks none
    assert table[("ada-price", "differently")]["happened"] == ""


def test_csv_cells_never_start_a_formula(capsys, format2):
    out = export(capsys, format2, "--format", "csv")
    table = rows(out)
    assert table[("ben-hale", "notes")]["response"] == "'=SUM(1)"
    assert table[("a-hostile", "notes")]["response"] == "'@risk"
    for row in table.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_new_columns_are_protected_from_formulas_too(capsys, format2):
    path = format2 / "ada-price" / "format2-sample.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    written = next(a for a in data["attempts"][0]["answers"] if a["decision"] == "differently")
    written["concepts_claimed"] = ["=alone", "sooner"]
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    row = rows(export(capsys, format2, "--format", "csv"))[("ada-price", "differently")]
    assert row["concepts_claimed"] == "'=alone;sooner"


# -- JSON ---------------------------------------------------------------------------------


def _answers(data: dict, learner: str) -> dict[str, dict]:
    found = next(x for x in data["learners"] if x["id"] == learner)
    return {a["decision_id"]: a for a in found["modules"][0]["attempts"][0]["answers"]}


def test_json_records_the_panels_order_ticks_and_what_happened(capsys, format2):
    data = json.loads(export(capsys, format2, "--format", "json"))
    ben = _answers(data, "ben-hale")
    assert ben["priorities"]["response"] == PANEL[::-1]
    assert ben["priorities"]["panel_order"] == PANEL
    assert ben["priorities"]["verdict"] == "contrary" and ben["priorities"]["score"] == 0
    assert ben["first"]["happened"] == "letter" and ben["first"]["chose_what_happened"] is True
    assert ben["meeting"]["happened"] == "see-at-school"
    assert ben["meeting"]["chose_what_happened"] is False
    assert (
        ben["priorities"]["happened"] is None and ben["priorities"]["chose_what_happened"] is None
    )
    assert ben["differently"]["concepts_matched"] == ["alone"]
    assert ben["differently"]["concepts_claimed"] == []
    assert ben["first"]["panel_order"] is None
    poll = ben["comfort"]
    assert poll["verdict"] is None and poll["score"] is None and poll["scored"] is False


def test_json_cites_each_finding_with_its_source_and_locator(capsys, format2):
    data = json.loads(export(capsys, format2, "--format", "json"))
    ben = next(x for x in data["learners"] if x["id"] == "ben-hale")["modules"][0]
    findings = {f["id"]: f for f in ben["findings"]}
    assert set(findings) == {"see-the-child", "charity-view", "reported-delay"}
    assert findings["see-the-child"] == {
        "id": "see-the-child",
        "text": "The child was not seen alone at any visit.",
        "voice": "review",
        "said_by": None,
        "source": "Northvale Safeguarding Partnership, 2031-03, "
        "“Learning review of the Hollins family”",
        "locator": "paragraph 4.2",
    }
    assert findings["charity-view"]["said_by"] == "a children's charity"


def test_json_cites_findings_by_id_alone_where_an_older_save_has_no_sources(capsys, format2):
    path = format2 / "ben-hale" / "format2-sample.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text[: text.index("[[module.findings]]")] + text[text.index("[[attempts]]") :],
        encoding="utf-8",
    )
    data = json.loads(export(capsys, format2, "--format", "json"))
    ben = next(x for x in data["learners"] if x["id"] == "ben-hale")["modules"][0]
    assert ben["findings"][0] == {
        "id": ben["findings"][0]["id"],
        "text": None,
        "voice": None,
        "said_by": None,
        "source": None,
        "locator": None,
    }


# -- xAPI ---------------------------------------------------------------------------------


def _statements(capsys, format2, *args) -> list[dict]:
    return json.loads(export(capsys, format2, "--format", "xapi", *args))


def _answered(statements: list[dict], learner: str, decision: str) -> dict:
    return next(
        s
        for s in statements
        if s["actor"]["account"]["name"] == learner
        and s["object"]["id"].endswith(f"/decisions/{decision}")
    )


def test_xapi_rank_is_a_sequencing_interaction_against_the_panels_order(capsys, format2):
    statements = _statements(capsys, format2)
    ben = _answered(statements, "ben-hale", "priorities")
    definition = ben["object"]["definition"]
    assert definition["interactionType"] == "sequencing"
    assert [c["id"] for c in definition["choices"]] == PANEL  # the module's order
    assert definition["choices"][0]["description"] == {"en-GB": "See Mia on her own."}
    assert definition["correctResponsesPattern"] == ["[,]".join(PANEL)]
    assert ben["result"]["response"] == "[,]".join(PANEL[::-1])
    assert ben["result"]["score"] == {"scaled": 0}
    assert ben["result"]["extensions"][f"{EXT}/verdict"] == "contrary"
    hostile = _answered(statements, "a-hostile", "priorities")
    assert hostile["result"]["score"] == {"scaled": 0.6667}
    assert hostile["result"]["response"] == "records[,]see-alone[,]strategy[,]letter-home"


def test_xapi_poll_has_choices_but_no_correct_response_score_or_verdict(capsys, format2):
    poll = _answered(_statements(capsys, format2), "ada-price", "comfort")
    definition = poll["object"]["definition"]
    assert definition["interactionType"] == "choice"
    assert [c["id"] for c in definition["choices"]] == ["comfortable", "uneasy"]
    assert "correctResponsesPattern" not in definition
    assert "score" not in poll["result"] and poll["result"]["response"] == "comfortable"
    assert not any(key.endswith("/verdict") for key in poll["result"]["extensions"])


def test_xapi_records_ticks_beside_suggestions_and_what_happened(capsys, format2):
    statements = _statements(capsys, format2)
    ben = _answered(statements, "ben-hale", "differently")["result"]["extensions"]
    assert ben[f"{EXT}/concepts-claimed"] == [] and ben[f"{EXT}/concepts-suggested"] == ["alone"]
    hostile = _answered(statements, "a-hostile", "differently")["result"]["extensions"]
    assert hostile[f"{EXT}/concepts-claimed"] == ["alone", "sooner"]
    assert hostile[f"{EXT}/concepts-suggested"] == ["sooner"]
    notes = _answered(statements, "ben-hale", "notes")["result"]["extensions"]
    assert not any("concepts" in key for key in notes)
    assert _answered(statements, "ben-hale", "first")["result"]["extensions"][
        f"{EXT}/chose-what-happened"
    ]
    assert not _answered(statements, "ada-price", "first")["result"]["extensions"][
        f"{EXT}/chose-what-happened"
    ]
    rank = _answered(statements, "ada-price", "priorities")["result"]["extensions"]
    assert f"{EXT}/chose-what-happened" not in rank


def test_xapi_format2_statements_are_valid_for_ralphs_xapi_models(capsys, format2):
    need_ralph()
    out = export(capsys, format2, "--format", "xapi")
    statements = json.loads(out)
    assert len(statements) == 3 * (1 + 6 + 1)  # initialized, six answers, completed
    result = subprocess.run(
        [str(RALPH_PYTHON), str(VALIDATE)], input=out, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == f"{len(statements)} valid"


def test_xapi_format2_statements_are_built_again_byte_for_byte(capsys, format2):
    first = export(capsys, format2, "--format", "xapi")
    assert export(capsys, format2, "--format", "xapi") == first


def test_no_text_leaves_out_written_answers_in_format2_too(capsys, format2):
    for fmt in ("csv", "json", "xapi"):
        out = export(capsys, format2, "--format", fmt, "--no-text")
        assert "believed her" not in out and "SUM(1)" not in out and "act sooner" not in out


# -- the report ---------------------------------------------------------------------------


def _report(format2, module: bool = True) -> str:
    records, _ = read_records(format2, Options())
    loaded = load_module(FORMAT2)
    return report_html(records, "t", "now", (lambda _: loaded) if module else (lambda _: None))


def _section(html: str, prompt: str) -> str:
    return html.split(f"<h4>{prompt}</h4>")[1].split("</section>")[0]


def test_report_shows_the_modules_order_beside_the_cohorts(format2):
    section = _section(_report(format2), "Put these in order of priority.")
    panel = section.split("</table>")[0]
    # The place in the module's order, option, the cohort's mean place, how many put it first.
    assert "<tr><td>1</td><td>See Mia on her own.</td><td>2.3</td><td>1 of 3</td></tr>" in panel
    assert "<tr><td>4</td><td>Send a letter home.</td><td>3.0</td><td>1 of 3</td></tr>" in panel
    assert panel.index("See Mia on her own.") < panel.index("Send a letter home.")
    orders = section.split("The cohort's orders")[1]
    assert "See Mia on her own. → Hold a strategy discussion with the police." in orders
    assert "<td>1</td><td>100%</td>" in orders and "<td>1</td><td>0%</td>" in orders
    assert "<td>1</td><td>67%</td>" in orders
    # The order is named as the module names it: by default, never the review panel's.
    assert "<th>Place in this module&#39;s suggested order</th>" in section
    assert "Scores against this module&#39;s suggested order" in section
    assert "panel" not in section.casefold()
    for words in ("Aligned with the review", "Partly aligned", "Contrary to the review"):
        assert words in section


def test_report_counts_who_chose_what_was_done_at_the_time(format2):
    html = _report(format2)
    first = _section(html, "What do you do first?")
    assert (
        "<strong>Chose what was done at the time</strong> "
        "(Write to the family and offer a meeting.): 2 of 3"
    ) in first
    assert "Contrary to the review; what was done at the time" in first
    meeting = _section(html, "At the meeting, which of these would you press for?")
    assert "(Arrange for Mia to be seen on her own at school.): 1 of 3" in meeting
    assert "what was done at the time" not in _section(html, "Put these in order of priority.")


def test_report_says_a_polls_options_have_no_verdict_in_words(format2):
    html = _report(format2)
    poll = html.split("comfortable?</h4>")[1].split("</section>")[0]
    assert poll.count("no verdict (a poll)") == 2
    assert "Contrary" not in poll and "Aligned" not in poll
    assert "3 of 3 answers have no verdict, as the question is a poll" in poll


def test_report_shows_ticks_against_suggestions(format2):
    section = _section(_report(format2), "What would you do differently?")
    assert "Ticked against suggested</strong> (3 answers compared by the trainee" in section
    assert "ticks and suggestions agreed on 4 of 6 concepts" in section
    # Concept, ticked, suggested, ticked not suggested, suggested left unticked.
    assert (
        "<tr><td>See the child alone</td><td>2</td><td>2</td><td>1</td><td>1</td></tr>" in section
    )
    assert "<tr><td>Act sooner</td><td>2</td><td>2</td><td>0</td><td>0</td></tr>" in section
    notes = _section(_report(format2), "Anything you want to note for yourself?")
    assert "Ticked against suggested" not in notes


def test_report_from_saves_alone_names_concepts_by_id_and_still_cites_findings(format2):
    html = _report(format2, module=False)
    section = _section(html, "What would you do differently?")
    assert "<tr><td>alone</td><td>2</td><td>2</td><td>1</td><td>1</td></tr>" in section
    missed = html.split("Findings most often missed")[1]
    assert "A charity said staff were under great pressure." in missed
    assert (
        "a children&#39;s charity, in A children&#39;s charity, 15 March 2031, "
        "“Statement on the Hollins review”, second paragraph"
    ) in missed
    assert "The Northvale Courier, 14 March 2031" in missed and "paragraph 6" in missed


def test_report_escapes_hostile_text_from_format2_saves(format2, tmp_path):
    target = tmp_path / "report.html"
    assert (
        main(
            ["report", "--saves", str(format2), "--modules", str(FORMAT2.parent), "-o", str(target)]
        )
        == 0
    )
    html = target.read_text(encoding="utf-8")
    assert "<script" not in html and "<b>" not in html
    escaped = "&lt;script&gt;alert(2)&lt;/script&gt; &amp; &lt;b&gt;"
    assert escape(HOSTILE) == escaped
    assert f"{escaped} records" in html  # a rank option's text
    assert f"<h4>{escaped} comfortable?</h4>" in html  # a poll's prompt
    assert f"{escaped} paragraph" in html  # a finding's locator
    assert f"Sure (4 or 5) and contrary to the review:</strong> 2 ({escaped}, Ben Hale)" in html
    assert "See the child alone" in html  # the module was found through --modules
    assert "http://" not in html and "https://" not in html


def test_build_stats_for_format2(format2):
    records, _ = read_records(format2, Options())
    stats = {s.decision_id: s for s in build_stats(records)}
    rank = stats["priorities"]
    assert rank.panel_order == tuple(PANEL) and sum(rank.orders.values()) == 3
    assert sorted(rank.scores) == pytest.approx([0, 2 / 3, 1])
    assert stats["comfort"].not_judged == 3 and not stats["comfort"].verdicts
    assert (stats["first"].happened, stats["first"].chose_happened, stats["first"].marked) == (
        "letter",
        2,
        3,
    )
    ticks = stats["differently"].ticks
    assert ticks is not None and ticks.answers == 3 and ticks.concepts == ["alone", "sooner"]
    assert stats["notes"].ticks is None and stats["first"].ticks is None
