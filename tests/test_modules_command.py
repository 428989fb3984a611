"""`trainer modules`: a table where it fits the terminal, else a record per module (as
`trainer progress` gives a record per learner)."""

from __future__ import annotations

import shutil

from trainer.cli import main
from trainer.paths import shipped_modules_dir


def listing(capsys, monkeypatch, tmp_path, columns: str | None) -> list[str]:
    folder = tmp_path / "m"
    folder.mkdir(exist_ok=True)
    for name in ("tutorial-riverside.toml", "peter-connelly-haringey.toml"):
        shutil.copy(shipped_modules_dir() / name, folder)
    monkeypatch.setenv("TRAINER_MODULES", str(folder))
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert main(["modules"]) == 0
    return capsys.readouterr().out.splitlines()


def test_at_80_columns_each_module_is_a_record_that_fits(capsys, monkeypatch, tmp_path):
    lines = listing(capsys, monkeypatch, tmp_path, "80")
    assert lines[:2] == [
        "peter-connelly-haringey  version 2.2.0  17 decisions",
        "    Peter Connelly, Haringey 2006-07",
    ]
    assert lines[2].startswith("    ") and lines[2].endswith("peter-connelly-haringey.toml")
    assert lines[3] == "" and lines[4].startswith("tutorial-riverside  version ")
    for line in lines:
        # Only a path longer than the line is left whole, for the terminal to wrap.
        assert len(line) <= 80 or line.strip().endswith(".toml")


def test_a_record_wraps_a_long_title_between_words(capsys, monkeypatch, tmp_path):
    lines = listing(capsys, monkeypatch, tmp_path, "30")
    title = [line for line in lines if "Tutorial" in line or "(fictional)" in line]
    assert title[0] == "    Tutorial: the Riverside" and title[-1].endswith("(fictional)")
    assert all(line.startswith("    ") for line in title)


def test_where_the_table_fits_or_goes_to_a_pipe_it_is_a_table(capsys, monkeypatch, tmp_path):
    for columns in ("300", None):
        lines = listing(capsys, monkeypatch, tmp_path, columns)
        assert lines[0].split() == ["ID", "TITLE", "VERSION", "DECISIONS", "PATH"]
        row = next(line for line in lines if line.startswith("peter-connelly-haringey "))
        assert row.split()[1:3] == ["Peter", "Connelly,"]
