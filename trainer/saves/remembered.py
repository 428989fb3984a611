"""The sign-in remembered for next time: the name and cohort, in the user's config file.

Apart from the store so that the sign-in screen, the first thing `trainer` shows, reads it
without importing the save format and the engine.
"""

from __future__ import annotations

import contextlib
import unicodedata
from typing import Any

from trainer import paths
from trainer.errors import SaveError
from trainer.saves.guarded import read_regular_file

MAX_CONFIG_FILE = 64 * 1024


def remembered_sign_in() -> tuple[str, str | None] | None:
    """The name and cohort last signed in with, from the user's config file."""
    try:
        text = read_regular_file(paths.config_file(), MAX_CONFIG_FILE).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    # The parser is imported once there is a file to parse: a trainee's first sign-in has
    # none, and its import (and memory) came before the first frame.
    import tomli

    try:
        data = tomli.loads(text)
    except (tomli.TOMLDecodeError, RecursionError):
        return None
    name = data.get("name")
    cohort = data.get("cohort")
    if not isinstance(name, str) or not (name := _printable(name)):
        return None
    cohort = _printable(cohort) if isinstance(cohort, str) else None
    return name, cohort or None


def _printable(text: str) -> str:
    """A remembered name or cohort as the sign-in's field shows it: without control, format
    or other invisible characters (a name is kept without them anyway: `learner_ids.clean_name`),
    which a text field would send to the terminal as they are."""
    return " ".join("".join(ch for ch in text if unicodedata.category(ch)[0] != "C").split())


def remember_sign_in(name: str, cohort: str | None) -> None:
    """Remember the sign-in for next time; a config folder that cannot be written is no loss."""
    import tomli_w

    from trainer.saves.atomic import atomic_write

    data: dict[str, Any] = {"name": name}
    if cohort:
        data["cohort"] = cohort
    with contextlib.suppress(SaveError):
        atomic_write(paths.config_file(), tomli_w.dumps(data), keep_backup=False)
