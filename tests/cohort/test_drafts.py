"""Drafts are never answers: text a trainee typed and had not confirmed, kept in their save,
changes nothing that the cohort commands, the report, xAPI or peers give."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cohort.conftest import write_cohort
from trainer.cli import main
from trainer.cohort.peers import peer_tally
from trainer.content import load_module
from trainer.engine.answer import KeptDraft
from trainer.paths import shipped_modules_dir
from trainer.saves import read_save
from trainer.saves.scan import iter_saves

TUTORIAL = load_module(shipped_modules_dir() / "tutorial-riverside.toml")
STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


def add_drafts(folder: Path) -> int:
    """Give every attempt of every readable save a draft, as the app writes one: for a
    decision answered, one not answered, and one the module does not have. Returns how many."""
    added = 0
    for path, save in list(iter_saves(folder)):
        if isinstance(save, Exception):
            continue
        for index, attempt in enumerate(save.attempts):
            decision = ["visit-note", "first-response", "gone-since"][index % 3]
            attempt.draft = KeptDraft(
                decision, text="=HYPERLINK(\"x\") DRAFT-TEXT\nunconfirmed", reason="+ DRAFT-REASON"
            )
            added += 1
        path.write_text(save.dumps(), encoding="utf-8")
        assert all(a.draft is not None for a in read_save(path).attempts)
    return added


def outputs(capsys, folder: Path, tmp_path: Path) -> dict[str, str]:
    """What each cohort command gives for a saves folder."""
    got: dict[str, str] = {}
    for fmt in ("csv", "json", "xapi"):
        assert main(["export", "--saves", str(folder), "--format", fmt, "--all-attempts"]) == 0
        got[fmt] = capsys.readouterr().out
    assert main(["progress", "--saves", str(folder)]) == 0
    got["progress"] = capsys.readouterr().out
    report = tmp_path / "report.html"
    assert main(["report", "--saves", str(folder), "-o", str(report)]) == 0
    capsys.readouterr()
    got["report"] = STAMP.sub("(time)", report.read_text(encoding="utf-8"))
    return got


def test_exports_progress_and_the_report_ignore_drafts(capsys, tmp_path):
    folder = write_cohort(tmp_path / "saves")
    before = outputs(capsys, folder, tmp_path)
    assert add_drafts(folder) >= 4
    after = outputs(capsys, folder, tmp_path)
    for name in before:
        assert after[name] == before[name], name
        assert "DRAFT-" not in after[name], name


@pytest.mark.parametrize("decision_id", ["visit-note", "first-response"])
def test_peers_ignore_drafts(tmp_path, decision_id):
    folder = write_cohort(tmp_path / "saves")
    decision = TUTORIAL.decision(decision_id)[1]
    before = peer_tally(folder, TUTORIAL.id, decision, "autumn", "nobody")
    add_drafts(folder)
    assert peer_tally(folder, TUTORIAL.id, decision, "autumn", "nobody") == before
