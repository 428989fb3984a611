"""`trainer progress` at 80 columns with long names in Latin, Polish, Cyrillic, Greek, Arabic
and Chinese scripts: a record per learner over several lines, wrapped, never a name or an id
cut; the table where it fits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.cohort.conftest import LEARNERS
from trainer.cli import main
from trainer.cohort.standing import ProgressRow, progress_records

TRAINER = str(Path(sys.executable).with_name("trainer"))
MODULE_IDS = ("tutorial-riverside", "format2-sample")


def progress(capsys, monkeypatch, saves: Path, columns: int) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(["progress", "--saves", str(saves)]) == 0
    return capsys.readouterr().out


def test_at_80_columns_each_learner_is_a_record_over_several_lines(capsys, monkeypatch, two_modules):
    out = progress(capsys, monkeypatch, two_modules, 80)
    lines = out.splitlines()
    assert "┃" not in out and "…" not in out  # no table, nothing cut short
    assert all(cell_len(line) <= 80 for line in lines), [line for line in lines if cell_len(line) > 80]
    for name, (cohort, played) in LEARNERS.items():
        (heading,) = [line for line in lines if line.startswith(name)]
        assert heading == f"{name}  cohort {cohort}"  # the whole name on one line
        attempts = lines[lines.index(heading) + 1 :][: 2 * len(played)]
        assert sorted(line.split()[0] for line in attempts if not line.startswith("      ")) == sorted(
            {"tutorial": "tutorial-riverside", "format2": "format2-sample"}[m] for m in played
        )
    for module_id in MODULE_IDS:
        assert any(line.strip().startswith(f"{module_id}  attempt 1") for line in lines)
    assert "not finished" in out and "last activity 2026-11-" in out


def test_the_installed_command_at_80_columns(two_modules):
    """As a facilitator's terminal runs it: COLUMNS=80, UTF-8."""
    result = subprocess.run(
        [TRAINER, "progress", "--saves", str(two_modules)],
        capture_output=True,
        env={"COLUMNS": "80", "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    assert all(cell_len(line) <= 80 for line in out.splitlines())
    for name in LEARNERS:
        assert f"\n{name}  cohort " in out


@pytest.mark.parametrize("columns", [40, 60])
def test_narrower_still_names_wrap_between_words_never_inside_one(capsys, monkeypatch, two_modules, columns):
    out = progress(capsys, monkeypatch, two_modules, columns)
    lines = out.splitlines()
    records = lines[lines.index("") :]  # after the title, which names a long folder
    assert all(cell_len(line) <= columns for line in records)
    words = {word for line in lines for word in line.split()}
    for name in LEARNERS:
        assert set(name.split()) <= words  # each word of each name whole
    assert set(MODULE_IDS) <= words


def test_wide_enough_the_table_is_kept(capsys, monkeypatch, two_modules):
    out = progress(capsys, monkeypatch, two_modules, 160)
    assert "┃ Learner" in out and "Last activity (UTC)" in out
    assert all(cell_len(line) <= 160 for line in out.splitlines())
    for name in LEARNERS:
        assert name in out


def test_a_pipe_without_columns_gets_whole_rows(capsys, monkeypatch, two_modules):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert main(["progress", "--saves", str(two_modules)]) == 0
    out = capsys.readouterr().out
    assert "┃ Learner" in out
    for name in LEARNERS:
        assert any(name in line for line in out.splitlines())


def row(name: str, module: str = "tutorial-riverside") -> ProgressRow:
    return ProgressRow(name, "autumn", module, 1, 2, 5, 0.5, False, "2026-11-02T09:04:00.000Z", "x")


def test_a_word_longer_than_the_line_is_left_whole():
    long = "Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessen"
    lines = progress_records([row(f"Anna {long}", module="m" * 90)], 40, str)
    assert "  " + long in lines and "    " + "m" * 90 in lines
    assert lines[1] == "Anna" and lines[3] == "  cohort autumn"


def test_chinese_characters_count_two_columns():
    name = "欧阳司马慕容上官诸葛明" * 3
    lines = progress_records([row(name)], 70, str, cell_len)
    assert lines[1] == name and lines[2] == "  cohort autumn"  # 66 columns, then the cohort
    assert progress_records([row(name)], 70, str)[1] == f"{name}  cohort autumn"  # by len: 47
