"""Every test runs with its own home and user folders, and without the shell's TRAINER_* settings.

No test reads or writes the real `~/.local/share/trainer` or `~/.config/trainer`
(saves, modules, the remembered sign-in, the push outbox), and a TRAINER_SAVES,
TRAINER_MODULES or TRAINER_DEBUG set in the shell that runs the tests changes
nothing. `trainer.paths` asks platformdirs, which on Linux and the BSDs follows
the XDG_* variables; HOME is set too, for macOS and anything that falls back to
`~`. Subprocesses inherit the same environment.

The folders are made with tmp_path_factory rather than inside the test's
tmp_path, so a test that checks its tmp_path is left untouched still can. A test
that sets one of these variables itself wins: its monkeypatch runs after this.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

USER_FOLDERS = {
    "HOME": "home",
    "XDG_DATA_HOME": "data",
    "XDG_CONFIG_HOME": "config",
    "XDG_CACHE_HOME": "cache",
    "XDG_STATE_HOME": "state",
}
UNSET = ("TRAINER_SAVES", "TRAINER_MODULES", "TRAINER_DEBUG", "TRAINER_SERVED", "TRAINER_PUSH_DEADLINE")


def isolate(monkeypatch: pytest.MonkeyPatch, base: Path) -> Path:
    """Point the user folders at new folders under `base`; unset the TRAINER_* variables."""
    for variable, name in USER_FOLDERS.items():
        folder = base / name
        folder.mkdir()
        monkeypatch.setenv(variable, str(folder))
    for variable in UNSET:
        monkeypatch.delenv(variable, raising=False)
    return base


@pytest.fixture(scope="session", autouse=True)
def session_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The same for session- and module-scoped fixtures, which are set up before any test's."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield isolate(monkeypatch, tmp_path_factory.mktemp("session-user"))


@pytest.fixture(autouse=True)
def user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own home and XDG folders (HOME is `<result>/home`, and so on)."""
    return isolate(monkeypatch, tmp_path_factory.mktemp("user"))
