"""Stored scores are not taken on trust: where the module is found and a decision is as the
answer recorded it, the cohort commands judge the answer again, use what it earns, and say
in a line which save's stored scores disagreed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import tomli
import tomli_w

from tests.cohort.conftest import FORMAT2, write_format2_cohort
from trainer.cli import main
from trainer.cohort.records import Options, read_records
from trainer.cohort.rescore import Rescorer
from trainer.content import load_module

MODULES = str(FORMAT2.parent)
"""Where the format 2 module is found by id."""


def edit(path: Path, change) -> None:
    data = tomli.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")


def answer_of(data: dict, decision: str) -> dict:
    return next(a for a in data["attempts"][0]["answers"] if a["decision"] == decision)


@pytest.fixture
def tampered(tmp_path) -> Path:
    """Ben Hale ranked the options in the reverse of the module's order (a score of 0), and
    his save was edited to say 1.0 and aligned, his module score with it."""
    folder = write_format2_cohort(tmp_path / "saves")

    def change(data: dict) -> None:
        rank = answer_of(data, "priorities")
        assert rank["score"] == 0.0 and rank["verdict"] == "contrary"
        rank.update(score=1.0, verdict="aligned")
        data["attempts"][0]["score"] = 1.0

    edit(folder / "ben-hale" / "format2-sample.toml", change)
    return folder


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_export_uses_the_score_the_answer_earns_and_says_so(capsys, tampered):
    status, out, err = run(
        capsys, "--modules", MODULES, "export", "--format", "csv", "--saves", str(tampered)
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    rank = next(
        r for r in rows if r["learner_id"] == "ben-hale" and r["decision_id"] == "priorities"
    )
    assert (rank["verdict"], float(rank["score"])) == ("contrary", 0.0)
    path = tampered / "ben-hale" / "format2-sample.toml"
    assert err.splitlines() == [
        f"trainer: {path}: 2 stored scores disagreed with the answers and the module; "
        "the scores the answers earn are used"
    ]


def test_progress_and_json_show_the_module_score_worked_out_again(capsys, tampered):
    status, out, err = run(
        capsys, "--modules", MODULES, "export", "--format", "json", "--saves", str(tampered)
    )
    data = json.loads(out)
    ben = next(learner for learner in data["learners"] if learner["id"] == "ben-hale")
    attempt = ben["modules"][0]["attempts"][0]
    assert attempt["score"] < 1.0
    status, out, err = run(capsys, "--modules", MODULES, "progress", "--saves", str(tampered))
    assert status == 0 and "2 stored scores disagreed" in err
    ben_line = next(line for line in out.splitlines() if "Ben Hale" in line)
    assert "100%" not in ben_line


def test_the_report_counts_the_answer_as_what_it_earns(capsys, tampered, tmp_path):
    target = tmp_path / "report.html"
    status, _, err = run(
        capsys,
        "--modules",
        MODULES,
        "report",
        "--saves",
        str(tampered),
        "-o",
        str(target),
    )
    assert status == 0 and "2 stored scores disagreed" in err
    untampered = write_format2_cohort(tmp_path / "clean")
    clean = tmp_path / "clean.html"
    assert main(["--modules", MODULES, "report", "--saves", str(untampered), "-o", str(clean)]) == 0
    capsys.readouterr()
    # The same report as from the saves before they were edited (but for its time stamp).
    strip = lambda html: html.split("</header>", 1)[-1]  # noqa: E731
    assert strip(target.read_text(encoding="utf-8")) == strip(clean.read_text(encoding="utf-8"))


def test_without_the_module_the_stored_scores_are_shown_as_saved(capsys, tampered, tmp_path):
    empty = tmp_path / "no-modules"
    empty.mkdir()
    status, out, err = run(
        capsys,
        "--modules",
        str(empty),
        "export",
        "--format",
        "csv",
        "--saves",
        str(tampered),
    )
    assert status == 0 and "disagreed" not in err
    rows = list(csv.DictReader(io.StringIO(out)))
    rank = next(
        r for r in rows if r["learner_id"] == "ben-hale" and r["decision_id"] == "priorities"
    )
    assert (rank["verdict"], float(rank["score"])) == ("aligned", 1.0)


def test_a_decision_changed_since_the_answer_is_not_used_to_judge_it(tmp_path):
    """An answer recorded against other option texts or verdicts (the module edited since)
    keeps what its save says: the module as it is now is not what was answered."""
    folder = write_format2_cohort(tmp_path / "saves")

    def change(data: dict) -> None:
        rank = answer_of(data, "priorities")
        rank.update(score=1.0, verdict="aligned")
        rank["options"][0]["text"] = "Something the module no longer says"

    edit(folder / "ben-hale" / "format2-sample.toml", change)
    module = load_module(FORMAT2)
    records, warnings = read_records(folder, Options(modules=lambda _: module))
    ben = next(r for r in records if r.learner_id == "ben-hale")
    rank = next(a for a in ben.counted.answers if a.decision_id == "priorities")
    assert (rank.verdict, rank.score) == ("aligned", 1.0)
    assert warnings == [] or all("ben-hale" not in w for w in warnings)


def test_untouched_saves_are_judged_the_same_and_nothing_is_said(tmp_path):
    folder = write_format2_cohort(tmp_path / "saves")
    module = load_module(FORMAT2)
    as_saved, _ = read_records(folder, Options())
    judged, warnings = read_records(folder, Options(modules=lambda _: module))
    assert warnings == []
    assert [r.save for r in judged] == [r.save for r in as_saved]


def test_a_module_score_alone_edited_is_worked_out_again(tmp_path):
    folder = write_format2_cohort(tmp_path / "saves")
    edit(
        folder / "ada-price" / "format2-sample.toml",
        lambda data: data["attempts"][0].update(score=0.0),
    )
    module = load_module(FORMAT2)
    records, warnings = read_records(folder, Options(modules=lambda _: module))
    ada = next(r for r in records if r.learner_id == "ada-price")
    as_saved, _ = read_records(write_format2_cohort(tmp_path / "clean"), Options())
    clean = next(r for r in as_saved if r.learner_id == "ada-price")
    assert ada.counted.score == clean.counted.score and clean.counted.score > 0
    assert len(warnings) == 1 and "1 stored score disagreed" in warnings[0]


def test_a_module_id_that_is_a_path_finds_nothing(capsys, tmp_path):
    """A save's module id is looked up as an id only: one naming a file is never read."""
    from argparse import Namespace

    from trainer.commands._folders import module_finder

    find = module_finder(Namespace(modules=MODULES))
    assert find("format2-sample") is not None
    assert find(str(FORMAT2)) is None and find("../fixtures/format2") is None
    assert (
        Rescorer(find)
        .rescore(read_records(write_format2_cohort(tmp_path / "s"), Options())[0][0].save)
        .disagreed
        == 0
    )
