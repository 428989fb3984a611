"""Hostile text in saves through every cohort command: nothing in a save can add markup to the
report, nor drive the facilitator's terminal through progress, exports or warnings.

The saves carry markup for every context of the report (text, attributes, SVG), escape
sequences that set the terminal's title (OSC 0) and clipboard (OSC 52), a C1 CSI, bidi
overrides and isolates, NUL and invisible characters (see `ATTACKS`)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.cohort.conftest import ATTACK, ATTACKS, TUTORIAL
from tests.records import replace
from trainer.cli import main
from trainer.cohort.records import Options, Record, read_records
from trainer.cohort.report_page import report_html
from trainer.content import load_module

UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unsafe_in(text: str, allowed: str = "\n") -> set[str]:
    """The control, format and separator characters in `text`, but those allowed."""
    return {c for c in text if c not in allowed and unicodedata.category(c) in UNSAFE}


def assert_terminal_safe(text: str, allowed: str = "\n") -> None:
    found = unsafe_in(text, allowed)
    assert not found, f"raw {sorted(f'U+{ord(c):04X}' for c in found)} in output"


# -- the report ------------------------------------------------------------------------------

TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "p", "section",
    "table", "tr", "th", "td", "span", "strong", "svg", "rect", "text", "a", "ol", "ul", "li",
}  # fmt: skip
CLASSES = {
    "muted", "small", "muted small", "decision", "cohort", "learner",
    "bar-aligned", "bar-partial", "bar-contrary", "bar-score", "bar-none",
    "grid stack", "head", "lead", "number", "bars", "rank", "orders", "calibration",
    "confidence", "missed", "answers", "written", "written-list", "key-items",
}  # fmt: skip
NUMERIC = {"width", "height", "x", "y", "font-size"}
FIXED = {
    "lang": {"en-GB"},
    "charset": {"utf-8"},
    "name": {"viewport"},
    "content": {"width=device-width, initial-scale=1"},
    "role": {"img"},
    "aria-label": {"answers"},
    "viewbox": {"0 0 380 26"},
    "data-label": {
        "Module", "Cohort", "Learners", "Finished", "Mean score", "Learner", "Attempts",
        "Score", "Time taken", "Sure", "Contrary", "Sure and contrary",
    },
}  # fmt: skip
ANCHOR = re.compile(r"m[0-9]+(?:-[cl][0-9]+)?")
"""An id, made from positions (a module, a cohort in it, a learner in it): never a save's text."""
TAG = re.compile(r"<!doctype html>|</?[a-z0-9]+(?: [a-zA-Z-]+=(?:\"[^\"<>]*\"|'[^'<>]*'))*>")
"""A tag as the template writes one: every attribute value quoted, with no quote, < or > in it."""


class Parsed(HTMLParser):
    """Every tag with its attributes, and the text, entities decoded."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def check_report(html: str) -> str:
    """Assert the report holds only the template's own markup; return its text."""
    assert "<script" not in html.lower()
    assert "http://" not in html and "https://" not in html and "url(" not in html
    for tag in re.findall(r"<[^>]*>", html):
        assert TAG.fullmatch(tag), f"a tag the template does not write: {tag[:120]!r}"
    parsed = Parsed(html)
    ids: list[str] = []
    links: list[str] = []
    for tag, attributes in parsed.tags:
        assert tag in TAGS, tag
        for name, value in attributes:
            assert value is not None, (tag, name)
            if name == "class":
                assert value in CLASSES, value
            elif name in NUMERIC:
                assert value.isdigit(), (name, value)
            elif name == "id":
                assert ANCHOR.fullmatch(value), value
                ids.append(value)
            elif name == "href":
                assert tag == "a" and value.startswith("#"), (tag, value)
                links.append(value[1:])
            else:
                assert value in FIXED.get(name, ()), (name, value)
    assert len(ids) == len(set(ids)), "an id written twice"
    assert set(links) <= set(ids), "a link to nothing in the report"
    # A browser shows no control character, and a terminal reading the file obeys them; bidi
    # controls would reorder the report's own words around a value.
    assert not {c for c in html if unicodedata.category(c) == "Cc" and c != "\n"}
    assert not BIDI_CONTROLS & set(html)
    return "".join(parsed.text)


def test_the_report_shows_hostile_saves_as_text(hostile, tmp_path, capsys):
    target = tmp_path / "report.html"
    assert main(["report", "--saves", str(hostile), "-o", str(target)]) == 0
    err = capsys.readouterr().err
    assert_terminal_safe(err)
    assert "skipped" in err and "\\x1b]0;pwned\\x07.toml" in err
    html = target.read_text(encoding="utf-8")
    text = check_report(html)
    # What the saves say is all there, as text: markup as written, controls as escapes.
    for attack in ("script", "attribute", "svg"):
        assert ATTACKS[attack] in text
    assert "\\x1b]0;pwned\\x07" in text and "\\x1b]52;c;cm0gLXJmIH4=\\x07" in text
    assert "\\u202eevil\\u202c \\u2066isolated\\u2069" in text and "a\\x00b" in text
    assert "Sure (4 or 5) and contrary to the review: 1 (Mallory <script>alert(1)" in text
    assert "What should happen next? <script>alert(1)</script>" in text  # a prompt
    assert "para <script>" in text  # a finding's locator, in the findings missed


def hostile_verdicts(records: list[Record]) -> list[Record]:
    """The records with every option's verdict replaced by markup for a class attribute, and
    one answer's verdict too (a save the reader would refuse, made in memory)."""
    verdict = 'x"/><script>alert(1)</script><rect class="'
    out = []
    for record in records:
        attempts = []
        for attempt in record.attempts:
            answers = [
                replace(
                    answer,
                    options=tuple((oid, text, verdict) for oid, text, _ in answer.options),
                    verdict=verdict if answer.judged else answer.verdict,
                    decision_id=f"{answer.decision_id} {ATTACK}",
                )
                for answer in attempt.answers
            ]
            attempts.append(replace(attempt, answers=answers))
        out.append(replace(record, attempts=tuple(attempts)))
    return out


def test_a_verdict_never_reaches_a_class_name(hostile):
    records, _ = read_records(hostile, Options())
    html = report_html(hostile_verdicts(records), f"Cohort report: {ATTACK}", ATTACK)
    text = check_report(html)
    assert 'class="bar-none"' in html and "bar-x" not in html
    assert '? x"/><script>alert(1)</script><rect class="' in text  # said in words, as text
    assert "Cohort report: <script>" in text


@pytest.mark.parametrize("module", [True, False])
def test_the_report_of_an_ordinary_cohort_parses_as_the_templates_markup(cohort, module):
    """The checker itself: an ordinary report passes it (with and without the module)."""
    records, _ = read_records(cohort, Options(all_attempts=True))
    loaded = load_module(TUTORIAL)
    html = report_html(records, "Cohort report", "now", lambda _: loaded if module else None)
    text = check_report(html)
    assert "Hold a strategy discussion today" in text


def test_the_template_marks_nothing_safe():
    template = Path(__file__).parents[2] / "trainer" / "cohort" / "templates" / "report.html.j2"
    source = template.read_text(encoding="utf-8")
    assert "safe" not in re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    assert "autoescape" not in source  # never turned off in a block
    assert "<script" not in source and "http" not in source


# -- progress and warnings ------------------------------------------------------------------


def test_progress_shows_hostile_names_and_cohorts_escaped(hostile, capsys):
    assert main(["progress", "--saves", str(hostile)]) == 0
    out, err = capsys.readouterr()
    assert_terminal_safe(out)
    assert_terminal_safe(err)
    assert "Mallory <script>" in out and "\\x1b]0;pwned\\x07" in out
    assert "\\u202eevil" in out and "a\\x00b" in out and "zero\\u200bwidth" in out
    assert err.count("skipped") == 1 and "\\x1b]0;pwned\\x07.toml" in err


@pytest.mark.parametrize("command", ["progress", "report", "export"])
def test_every_skipped_warning_names_the_file_escaped(hostile, tmp_path, capsys, command):
    extra = {
        "report": ["-o", str(tmp_path / "r.html")],
        "export": ["--format", "csv", "-o", str(tmp_path / "e.csv")],
    }.get(command, [])
    assert main([command, "--saves", str(hostile), *extra]) == 0
    err = capsys.readouterr().err
    assert_terminal_safe(err)
    (line,) = [line for line in err.splitlines() if line.startswith("trainer: skipped ")]
    assert "\\x1b]0;pwned\\x07.toml" in line


# -- exports ---------------------------------------------------------------------------------


def export(capsys, folder: Path, fmt: str, output: Path | None) -> str:
    argv = ["export", "--saves", str(folder), "--format", fmt]
    assert main([*argv, "-o", str(output)] if output else argv) == 0
    out, err = capsys.readouterr()
    assert_terminal_safe(err)
    if output is None:
        return out
    assert out == ""
    return output.read_bytes().decode("utf-8")


@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "file"])
def test_csv_cells_carry_no_raw_control_and_keep_the_formula_guard(
    hostile, tmp_path, capsys, to_file
):
    text = export(capsys, hostile, "csv", tmp_path / "a.csv" if to_file else None)
    assert "\x1b" not in text and "\x00" not in text and "\x9b" not in text
    assert_terminal_safe(text.replace("\r\n", "\n"))  # CRLF ends the rows, as RFC 4180 says
    rows = list(csv.DictReader(io.StringIO(text)))
    mallory = [r for r in rows if r["learner_id"] == "mallory"]
    assert mallory
    for row in rows:
        for value in row.values():
            assert_terminal_safe(value, allowed="\n\t")
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    name = mallory[0]["learner_name"]
    assert name.startswith("Mallory <script>") and "\\x1b]0;pwned\\x07" in name
    assert "\\u202eevil\\u202c" in name and "a\\x00b" in name and "\\U000e0041" in name
    written = next(r for r in mallory if r["decision_id"] == "visit-note")
    assert written["response"].startswith("'=cmd <script>")
    assert written["response"].endswith("\nsecond line")  # a written answer keeps its lines


@pytest.mark.parametrize("fmt", ["json", "xapi"])
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "file"])
def test_json_and_xapi_escape_controls_and_read_back_the_same(
    hostile, tmp_path, capsys, fmt, to_file
):
    text = export(capsys, hostile, fmt, tmp_path / f"a.{fmt}" if to_file else None)
    assert_terminal_safe(text)
    assert "\\u001b]0;pwned\\u0007" in text and "\\u202eevil" in text and "\\u009b" in text
    data = json.loads(text)
    found = json.dumps(data, ensure_ascii=False)
    # The same text for a JSON reader: every attack, byte for byte.
    assert json.dumps(f"Mallory {ATTACK}", ensure_ascii=False) in found or fmt == "xapi"
    assert json.dumps(f"autumn {ATTACK}", ensure_ascii=False) in found
    if fmt == "json":
        mallory = next(learner for learner in data["learners"] if learner["id"] == "mallory")
        assert mallory["name"] == f"Mallory {ATTACK}"
        assert mallory["modules"][0]["title"] == f"Riverside {ATTACK}"


def test_the_learner_table_and_answers_show_hostile_text_linked_by_position(hostile, tmp_path):
    target = tmp_path / "report.html"
    assert main(["report", "--saves", str(hostile), "-o", str(target)]) == 0
    html = target.read_text(encoding="utf-8")
    text = check_report(html)
    # Sam's cohort "autumn" sorts before Mallory's "autumn <script>...": Mallory is m1-l2,
    # linked from the learner table and from the written answers.
    assert re.findall(r'<a href="#(m1-l[0-9]+)">Mallory &lt;script&gt;', html) == ["m1-l2"] * 2
    assert '<h4 id="m1-l2">Mallory &lt;script&gt;' in html  # the learner's answers
    assert "cohort autumn <script>alert(1)</script>" in text  # a cohort, as text
    assert "Reason: <script>alert(1)</script>" in text  # a reason, as text
    assert "=cmd <script>alert(1)</script>" in text  # a written answer, as text
    assert "Cohort autumn <script>alert(1)</script>" in text  # a cohort's heading
