"""`--saves` given more than once: every cohort command (progress, export, report, push) reads
the folders as one; a folder given twice, or a save found twice, counts once."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.cohort.conftest import LEARNERS, write_two_modules
from tests.lrs.fake_lrs import FakeLRS
from trainer.cli import main
from trainer.cohort.records import Options, read_records
from trainer.saves import read_save

AUTUMN = [name for name, (cohort, _) in LEARNERS.items() if cohort == "autumn"]
SPRING = [name for name, (cohort, _) in LEARNERS.items() if cohort == "spring"]


@pytest.fixture
def split(tmp_path) -> tuple[Path, Path]:
    """The autumn cohort's saves in one folder, the spring cohort's in another."""
    return (
        write_two_modules(tmp_path / "autumn", AUTUMN),
        write_two_modules(tmp_path / "spring", SPRING),
    )


@pytest.fixture
def lrs():
    server = FakeLRS()
    yield server
    server.close()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def csv_learners(text: str) -> set[str]:
    return {row["learner_name"] for row in csv.DictReader(io.StringIO(text))}


def test_export_reads_both_folders(capsys, split):
    autumn, spring = split
    status, out, _ = run(capsys, "export", "--format", "csv", "--saves", str(autumn), "--saves", str(spring))
    assert status == 0 and csv_learners(out) == set(LEARNERS)
    status, out, _ = run(capsys, "export", "--format", "csv", "--saves", str(spring))
    assert status == 0 and csv_learners(out) == set(SPRING)  # one folder alone: its own


def test_a_saves_folder_before_the_command_is_read_with_those_after(capsys, split):
    autumn, spring = split
    status, out, _ = run(capsys, "--saves", str(autumn), "export", "--format", "json", "--saves", str(spring))
    assert status == 0
    assert {learner["name"] for learner in json.loads(out)["learners"]} == set(LEARNERS)


def test_progress_reads_both_folders(capsys, split, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    autumn, spring = split
    status, out, _ = run(capsys, "progress", "--saves", str(autumn), "--saves", str(spring))
    assert status == 0 and f"Progress in {autumn}, {spring}" in " ".join(out.split())
    for name in LEARNERS:
        assert name in out


def test_report_reads_both_folders(capsys, split, tmp_path):
    autumn, spring = split
    target = tmp_path / "r.html"
    status, _, err = run(capsys, "report", "--saves", str(autumn), "--saves", str(spring), "-o", str(target))
    assert status == 0 and err == f"Wrote {target} (11 saves).\n"
    html = target.read_text(encoding="utf-8")
    assert html.count(">Cohort autumn <span") == 2 and html.count(">Cohort spring <span") == 2


def test_push_reads_both_folders(capsys, split, lrs, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    autumn, spring = split
    status, out, err = run(capsys, "push", "--lrs", lrs.url, "--saves", str(autumn), "--saves", str(spring))
    assert status == 0, err
    actors = {s["actor"]["account"]["name"] for s in lrs.stored}
    ids = {read_save(path).learner.id for folder in split for path in folder.glob("*/*.toml")}
    assert actors == ids and len(ids) == len(LEARNERS)
    assert f"sent {len(lrs.stored)}," in out


def test_a_folder_given_twice_is_read_once(capsys, split):
    autumn, _ = split
    status, twice, _ = run(capsys, "export", "--format", "csv", "--saves", str(autumn), "--saves", f"{autumn}/.")
    status_once, once, _ = run(capsys, "export", "--format", "csv", "--saves", str(autumn))
    assert status == status_once == 0 and twice == once


def test_without_saves_the_environment_gives_the_folder(capsys, split, monkeypatch):
    autumn, _ = split
    monkeypatch.setenv("TRAINER_SAVES", str(autumn))
    status, out, _ = run(capsys, "export", "--format", "csv")
    assert status == 0 and csv_learners(out) == set(AUTUMN)


def test_a_missing_folder_among_several_is_one_line(capsys, split, tmp_path):
    autumn, _ = split
    status, out, err = run(capsys, "progress", "--saves", str(autumn), "--saves", str(tmp_path / "none"))
    assert status == 1 and out == "" and err == f"trainer: no saves folder at {tmp_path / 'none'}\n"


# -- a save found in two folders -------------------------------------------------------------


def copy_learner(source: Path, target: Path, learner_id: str) -> Path:
    shutil.copytree(source / learner_id, target / learner_id)
    return target / learner_id


def test_the_same_save_in_two_folders_counts_once(tmp_path, split):
    autumn, spring = split
    copy_learner(autumn, spring, "sam-okafor")
    records, warnings = read_records([autumn, spring], Options())
    sams = [r for r in records if r.learner_id == "sam-okafor"]
    assert len(sams) == 2 and {r.save.module.id for r in sams} == {"tutorial-riverside", "format2-sample"}
    assert warnings == []  # the same file twice: nothing lost, nothing to say


def test_of_two_copies_the_one_with_later_answers_counts(tmp_path, split):
    autumn, spring = split
    older = copy_learner(autumn, spring, "sam-okafor") / "tutorial-riverside.toml"
    newer = write_two_modules(tmp_path / "again", ["Sam Okafor"]) / "sam-okafor" / "tutorial-riverside.toml"
    text = newer.read_text(encoding="utf-8").replace("2026-11-02T09:04", "2026-11-09T09:04")
    (autumn / "sam-okafor" / "tutorial-riverside.toml").write_text(text, encoding="utf-8")
    records, warnings = read_records([spring, autumn], Options())
    (sam,) = [r for r in records if r.learner_id == "sam-okafor" and r.save.module.id == "tutorial-riverside"]
    assert sam.path == autumn / "sam-okafor" / "tutorial-riverside.toml"
    assert warnings == [
        f"skipped {older}: {sam.path} holds the same learner's save of tutorial-riverside, with later answers"
    ]


def test_two_learners_with_one_id_in_two_folders_are_not_merged(tmp_path, split):
    autumn, spring = split
    other = spring / "sam-okafor" / "tutorial-riverside.toml"
    other.parent.mkdir()
    source = autumn / "sam-okafor" / "tutorial-riverside.toml"
    other.write_text(source.read_text(encoding="utf-8").replace('name = "Sam Okafor"', 'name = "Sam Okafor-Reid"'), encoding="utf-8")
    records, warnings = read_records([autumn, spring], Options())
    names = {r.learner_name for r in records if r.learner_id == "sam-okafor"}
    assert names == {"Sam Okafor"}
    assert warnings == [
        f"skipped {other}: its learner id sam-okafor is Sam Okafor's in {source} (another name); read that folder on its own"
    ]
