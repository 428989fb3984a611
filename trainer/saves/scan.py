"""Saves on disk: one save file read with its checks, and every save under a saves folder
found and read."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from trainer.errors import SaveError
from trainer.saves.format import MAX_SAVE_BYTES, SaveFile
from trainer.saves.guarded import FileTooLargeError, read_regular_file


def read_save(path: str | Path) -> SaveFile:
    """Read one save file; anything but a regular file (a named pipe, a folder, a symbolic
    link) is refused unread. A UTF-8 byte-order mark at the start is read past.

    Raises:
        SaveError: the file cannot be read or is not a save this version understands;
            the message names the file.
    """
    path = Path(path)
    try:
        text = read_regular_file(path, MAX_SAVE_BYTES, follow_symlinks=False).decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError(f"{path}: not a text file (not UTF-8)") from None
    except FileTooLargeError as error:
        raise SaveError(f"{path}: {error.size} bytes is too large for a save file") from None
    except OSError as error:
        raise SaveError(f"{path}: {error.strerror or error}") from None
    try:
        return SaveFile.loads(text)
    except SaveError as error:
        raise SaveError(f"{path}: {error}") from None


def is_save_name(name: str) -> bool:
    """Whether a file of this name in a learner folder (or loose in a saves folder) is a save."""
    return name.endswith(".toml") and name != "learner.toml" and not name.startswith(".")


def save_paths(root: str | Path) -> list[Path]:
    """Every save file under a saves folder (`<root>/<learner>/<module>.toml`), sorted.

    A folder of loose save files (collected from trainees' machines) works too:
    `*.toml` directly in `root` are included. Whatever stands where a save would be is
    listed, whatever it is (a named pipe, a device, a symbolic link, a folder), so that
    `iter_saves` can name it as skipped; a symbolic link to a learner folder is listed
    itself, never followed. Hidden names (temporary files, `.room`) are left out.
    """
    root = Path(root)
    if not root.is_dir():
        return []
    found: list[Path] = []
    for entry in _scan(root):
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            found += [Path(sub.path) for sub in _scan(Path(entry.path)) if is_save_name(sub.name)]
        elif is_save_name(entry.name) or (entry.is_symlink() and is_dir_entry(entry)):
            found.append(Path(entry.path))
    return sorted(found)


def module_save_paths(root: str | Path, module_id: str) -> list[Path]:
    """Where each learner's save of one module would be (`<root>/<learner>/<module>.toml`),
    sorted, for the learner folders that are folders: a symbolic link in a learner folder's
    place is never followed (a save's own link is refused as it is read). Whether each is
    there, and a save, is for the reader to find."""
    name = f"{module_id}.toml"
    return sorted(
        Path(entry.path) / name
        for entry in _scan(Path(root))
        if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
    )


def is_dir_entry(entry: os.DirEntry[str]) -> bool:
    """Whether a folder entry is a folder, or leads to one (False if that cannot be told)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


def iter_saves(root: str | Path) -> Iterator[tuple[Path, SaveFile | SaveError]]:
    """Each save under a folder, read, or the error that says why it could not be (a named
    pipe, device or link in a save's place is not opened: its error says what it is)."""
    return read_saves(save_paths(root))


def read_saves(paths: Iterable[Path]) -> Iterator[tuple[Path, SaveFile | SaveError]]:
    """Each of `paths` (as `save_paths` lists them) read, or the error that says why not."""
    for path in paths:
        yield path, read_listed(path)


def read_listed(path: Path) -> SaveFile | SaveError:
    """A path `save_paths` lists, read, or the error that says why not: a symbolic link
    in a learner folder's place is named, not followed."""
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode) and not path.name.endswith(".toml"):
            return SaveError(
                f"{path}: a symbolic link, not a learner folder; links in a saves folder "
                "are not followed"
            )
    except OSError:
        pass
    try:
        return read_save(path)
    except SaveError as error:
        return error
