"""A file named as the saves folder: every command says it is not a folder, in one line,
rather than that it could not be created ("File exists") or that there is no folder there."""

from __future__ import annotations

import pytest

from trainer.cli import main
from trainer.tui.factory import build_app

MESSAGE = "is not a folder; --saves (or TRAINER_SAVES) names the folder that holds the saves"


@pytest.fixture
def a_file(tmp_path):
    path = tmp_path / "afile"
    path.write_text("not a folder\n")
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["progress"],
        ["export", "--format", "csv"],
        ["report", "-o", "r.html"],
        ["play", "tutorial-riverside", "--learner", "Sam"],
    ],
)
def test_every_command_says_the_saves_folder_is_not_a_folder(argv, a_file, capsys, monkeypatch):
    monkeypatch.chdir(a_file.parent)
    assert main([*argv, "--saves", str(a_file)]) == 1
    err = capsys.readouterr().err
    assert err == f"trainer: {a_file} {MESSAGE}\n"
    assert a_file.read_text() == "not a folder\n"


def test_a_file_above_the_folder_is_named(a_file, capsys):
    assert main(["play", "tutorial-riverside", "--learner", "Sam", "--saves", str(a_file / "sub")]) == 1
    err = capsys.readouterr().err
    assert f"{a_file / 'sub'} cannot be a folder, since {a_file} is a file;" in err


def test_the_app_names_it_too(a_file):
    from trainer.errors import SaveError

    with pytest.raises(SaveError, match="is not a folder"):
        build_app(saves=a_file, learner="Sam")


def test_a_missing_folder_is_still_no_saves_folder(tmp_path, capsys):
    assert main(["progress", "--saves", str(tmp_path / "none")]) == 1
    assert capsys.readouterr().err == f"trainer: no saves folder at {tmp_path / 'none'}\n"
