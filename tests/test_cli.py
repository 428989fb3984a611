"""The command line as a user meets it: installed entry point, one-line errors, exit codes."""

import shutil
import subprocess
import sys
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
