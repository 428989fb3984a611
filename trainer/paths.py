"""Where things live: the one caller of platformdirs. Tests point these at temporary folders.

Saves: `--saves DIR`, else `TRAINER_SAVES`, else the user's data folder.
Modules: `--modules DIR`, then `TRAINER_MODULES`, then the user's data folder, then the
modules shipped with the package.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "trainer"


def data_dir() -> Path:
    """The user's data folder for the app (not created here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user's config folder for the app (not created here)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The user's cache folder for the app: what can be made again (not created here)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """The file that remembers the sign-in (name and cohort)."""
    return config_dir() / "config.toml"


def saves_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The saves folder: the argument, else TRAINER_SAVES, else the user's data folder."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("TRAINER_SAVES")
    if env:
        return Path(env).expanduser()
    return data_dir() / "saves"


def file_in_the_way(folder: Path) -> Path | None:
    """The file (or other non-folder) standing where `folder`, or a folder above it, should
    be, if any: then `folder` cannot be made, and saying so beats "File exists"."""
    for place in (folder, *folder.parents):
        try:
            if place.exists():
                return None if place.is_dir() else place
        except OSError:
            return None
    return None


def not_a_folder_message(folder: Path, blocker: Path) -> str:
    """Why the saves cannot go in `folder`: "X is not a folder", or, where a file stands
    higher up, "X cannot be a folder, since Y is a file"; then what names the folder."""
    if blocker == folder:
        why = f"{folder} is not a folder"
    else:
        why = f"{folder} cannot be a folder, since {blocker} is a file"
    return f"{why}; --saves (or TRAINER_SAVES) names the folder that holds the saves"


def debriefs_dir() -> Path:
    """Where a trainee's debriefs saved as Markdown go: their own documents folder.

    Not the saves folder, which a cohort may share.
    """
    return Path(platformdirs.user_documents_dir()) / "trainer"


def outbox_dir() -> Path:
    """Where statements not yet accepted by an LRS wait for the next push."""
    return data_dir() / "outbox"


def shipped_modules_dir() -> Path:
    """The modules shipped with the package (in a wheel) or in the source tree (editable)."""
    package = Path(__file__).resolve().parent
    inside = package / "_modules"
    if inside.is_dir():
        return inside
    return package.parent / "modules"


def module_dirs(override: str | os.PathLike[str] | None = None) -> list[Path]:
    """Folders searched for modules, first match wins."""
    dirs: list[Path] = []
    if override:
        dirs.append(Path(override).expanduser())
    env = os.environ.get("TRAINER_MODULES")
    if env:
        dirs.extend(Path(part).expanduser() for part in env.split(os.pathsep) if part)
    dirs.append(data_dir() / "modules")
    dirs.append(shipped_modules_dir())
    return dirs
