"""The facilitator's hold on a room: a file in the shared saves folder, per cohort and module.

    <saves>/.room/<module-id>--<cohort>.hold      stage = "april-2007"

A trainee's app that reaches the held stage waits, saying that the facilitator
will open it next, and goes on by itself once the file is gone. The file is
written atomically and read by every app, so this works on a shared drive and
under `trainer serve` alike. The suffix is not `.toml`, so no command takes a
hold for a save.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import tomli
import tomli_w

from trainer.saves.atomic import atomic_write
from trainer.saves.store import learner_slug

ROOM_FOLDER = ".room"


def hold_path(root: Path, module_id: str, cohort: str | None) -> Path:
    """Where the hold for this cohort and module lives."""
    group = learner_slug(cohort) if cohort else "no-cohort"
    return Path(root) / ROOM_FOLDER / f"{module_id}--{group}.hold"


def read_hold(root: Path, module_id: str, cohort: str | None) -> str | None:
    """The stage id the room is held at, or None (no hold, or a hold that cannot be read)."""
    path = hold_path(root, module_id, cohort)
    try:
        if not path.is_file() or path.is_symlink():
            return None
        data = tomli.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError):
        return None
    stage = data.get("stage")
    return stage if isinstance(stage, str) and stage else None


def hold(root: Path, module_id: str, cohort: str | None, stage_id: str) -> Path:
    """Hold the room at a stage (replacing any earlier hold).

    Raises:
        SaveError: the hold file could not be written.
    """
    path = hold_path(root, module_id, cohort)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = tomli_w.dumps({"stage": stage_id, "cohort": cohort or ""})
    atomic_write(path, text, keep_backup=False)
    return path


def release(root: Path, module_id: str, cohort: str | None) -> None:
    """Release the room (no error if it was not held)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(hold_path(root, module_id, cohort))
