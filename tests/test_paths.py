"""Tests never see the user's real folders: tests/conftest.py points them at temporary ones.

`trainer.paths` is the one caller of platformdirs, which on Linux follows the
XDG_* variables; these tests show that it lands inside the folders conftest.py
made, and that settings in the shell running the tests do not reach them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from trainer import paths
from trainer.content import list_modules

ROOT = Path(__file__).resolve().parents[1]
OUTSIDER = "outsider-module"


def test_user_folders_are_the_tests_own(user_folders, tmp_path_factory):
    assert user_folders.is_relative_to(tmp_path_factory.getbasetemp())
    assert paths.data_dir() == user_folders / "data" / "trainer"
    assert paths.config_file() == user_folders / "config" / "trainer" / "config.toml"
    assert paths.saves_dir() == user_folders / "data" / "trainer" / "saves"
    assert paths.outbox_dir() == user_folders / "data" / "trainer" / "outbox"
    assert paths.module_dirs() == [
        user_folders / "data" / "trainer" / "modules",
        paths.shipped_modules_dir(),
    ]
    assert Path.home() == user_folders / "home"


def test_a_test_may_still_point_them_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "mine"))
    monkeypatch.setenv("TRAINER_SAVES", str(tmp_path / "saves"))
    assert paths.data_dir() == tmp_path / "mine" / "trainer"
    assert paths.saves_dir() == tmp_path / "saves"


def test_only_the_shipped_modules_are_found():
    """Also run by the test below, in a pytest started with extra module folders set."""
    assert "TRAINER_MODULES" not in os.environ and "TRAINER_SAVES" not in os.environ
    entries, broken = list_modules()
    assert entries and not broken
    assert {entry.path.parent for entry in entries} == {paths.shipped_modules_dir()}


def outsider_module(folder: Path) -> Path:
    text = (paths.shipped_modules_dir() / "tutorial-riverside.toml").read_text(encoding="utf-8")
    folder.mkdir(parents=True)
    path = folder / f"{OUTSIDER}.toml"
    path.write_text(text.replace('id = "tutorial-riverside"', f'id = "{OUTSIDER}"', 1))
    return path


def test_settings_in_the_shell_running_the_tests_do_not_reach_them(tmp_path, monkeypatch):
    outer = tmp_path / "outer"
    home = outer / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(outer / "data"),
        "XDG_CONFIG_HOME": str(outer / "config"),
        "TRAINER_MODULES": str(outer / "modules"),
        "TRAINER_SAVES": str(outer / "saves"),
    }
    for folder in [
        outer / "modules",
        outer / "data" / "trainer" / "modules",
        home / ".local" / "share" / "trainer" / "modules",
    ]:
        outsider_module(folder)
    # Those modules are there to be found: with that environment, the app sees them.
    monkeypatch.setenv("TRAINER_MODULES", env["TRAINER_MODULES"])
    assert OUTSIDER in {entry.id for entry in list_modules()[0]}

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            f"{Path(__file__).resolve()}::test_only_the_shipped_modules_are_found",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            f"--basetemp={tmp_path / 'inner'}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 passed" in result.stdout
