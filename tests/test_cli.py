"""The command line as a user meets it: installed entry point, one-line errors, exit codes."""

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer import __version__
from trainer.cli import main

TRAINER = shutil.which("trainer", path=str(Path(sys.executable).parent))


def test_version_from_the_installed_entry_point():
    assert TRAINER, "the trainer command is installed beside this Python"
    result = subprocess.run([TRAINER, "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"trainer {__version__}"


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("trainer ")


@pytest.mark.parametrize(
    "argv",
    [["no-such-command"], ["export"], ["export", "--format", "pdf"], ["--bogus"], ["play"]],
)
def test_usage_errors_are_one_line_and_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


# -- play with a saves folder that cannot be written, or a named pipe in it -----

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_SKIP = "running as root, which ignores folder permissions (the os.open variant covers it)"
MODULE_ID = "tutorial-riverside"

READ_ONLY = """
import errno, os, sys
real_open = os.open
def refusing_open(path, flags, *args, **kwargs):
    if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))
    return real_open(path, flags, *args, **kwargs)
def refusing_replace(src, dst, *args, **kwargs):
    raise PermissionError(errno.EACCES, "Permission denied", str(src))
if "open" in sys.argv[1]:
    os.open = refusing_open
if "replace" in sys.argv[1]:
    os.replace = refusing_replace
from trainer.cli import main
sys.exit(main(sys.argv[2:]))
"""


def signed_in_before(saves: Path) -> Path:
    """A saves folder where Sam has signed in before, so signing in again writes nothing."""
    folder = saves / "sam"
    folder.mkdir(parents=True)
    (folder / "learner.toml").write_text('id = "sam"\nname = "Sam"\n', encoding="utf-8")
    return folder


def play_argv(saves: Path) -> list[str]:
    return ["play", MODULE_ID, "--learner", "Sam", "--saves", str(saves)]


def run_trainer(argv: list[str]) -> subprocess.CompletedProcess[str]:
    assert TRAINER
    return subprocess.run(
        [TRAINER, *argv], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
    )


def run_read_only(what: str, argv: list[str]) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh process where creating, writing or renaming files fails."""
    return subprocess.run(
        [sys.executable, "-c", READ_ONLY, what, *argv],
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )


def one_plain_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("trainer: ")
    return lines[0]


@contextlib.contextmanager
def read_only_folders(*folders: Path) -> Iterator[None]:
    for folder in folders:
        folder.chmod(0o555)
    try:
        yield
    finally:
        for folder in folders:
            folder.chmod(0o755)


@pytest.mark.skipif(ROOT_USER, reason=ROOT_SKIP)
def test_play_with_a_read_only_saves_folder_is_one_plain_line(tmp_path):
    saves = tmp_path / "saves"
    folder = signed_in_before(saves)
    with read_only_folders(saves, folder):
        line = one_plain_line(run_trainer(play_argv(saves)))
    lock = folder / f"{MODULE_ID}.toml.lock"
    assert line == f"trainer: could not open the save lock {lock} (Permission denied)"


@pytest.mark.skipif(ROOT_USER, reason=ROOT_SKIP)
def test_play_for_a_new_learner_in_a_read_only_saves_folder_is_one_plain_line(tmp_path):
    saves = tmp_path / "saves"
    saves.mkdir()
    with read_only_folders(saves):
        line = one_plain_line(run_trainer(play_argv(saves)))
    assert line == f"trainer: could not create {saves / 'sam'} (Permission denied)"


def test_play_where_nothing_can_be_written_is_one_plain_line(tmp_path):
    saves = tmp_path / "saves"
    folder = signed_in_before(saves)
    line = one_plain_line(run_read_only("open", play_argv(saves)))
    lock = folder / f"{MODULE_ID}.toml.lock"
    assert line == f"trainer: could not open the save lock {lock} (Permission denied)"


def test_play_with_a_named_pipe_in_place_of_the_lock_is_one_plain_line(tmp_path):
    saves = tmp_path / "saves"
    lock = signed_in_before(saves) / f"{MODULE_ID}.toml.lock"
    os.mkfifo(lock)
    line = one_plain_line(run_trainer(play_argv(saves)))
    assert line == f"trainer: could not open the save lock {lock} (a named pipe is in its place)"


def test_play_with_a_named_pipe_in_place_of_the_save_it_cannot_move_is_one_plain_line(tmp_path):
    saves = tmp_path / "saves"
    save = signed_in_before(saves) / f"{MODULE_ID}.toml"
    os.mkfifo(save)
    line = one_plain_line(run_read_only("replace", play_argv(saves)))
    assert line == (
        f"trainer: the save {save} could not be read (a named pipe, not a regular file) "
        "nor moved aside (Permission denied); it is unchanged"
    )
