"""Gathering a cohort's saves: the folders given, each once; the saves in them, in the order
the cohort commands read them; and, of a learner's save of a module found more than once,
the copy that counts and why the other is skipped."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.cohort.spooling import Sorter, Spool
from trainer.errors import SaveError, TrainerError
from trainer.sanitise import safe
from trainer.saves import SaveFile, read_save
from trainer.saves.scan import is_dir_entry, is_save_name

if TYPE_CHECKING:
    from trainer.cohort.records import Record


def saves_folders(roots: str | Path | Sequence[str | Path]) -> list[Path]:
    """The saves folders given, each once (by where it really is), in the order given.

    Raises:
        TrainerError: one does not exist.
    """
    given = [roots] if isinstance(roots, str | Path) else list(roots)
    folders: list[Path] = []
    seen: set[Path] = set()
    for root in map(Path, given):
        if not root.is_dir():
            raise TrainerError(f"no saves folder at {root}")
        where = root.resolve()
        if where not in seen:
            seen.add(where)
            folders.append(root)
    return folders


def save_paths_of(root: Path) -> Iterator[Path]:
    """`saves.save_paths(root)`, one at a time: a learner folder's saves, sorted by name, in
    the place of the folder among the loose saves (`*.toml`) beside it, sorted by name (as
    sorted paths come). Hidden names are left out; a symbolic link to a folder is listed
    itself, never followed."""
    for name, is_folder in _entries(root):
        if is_folder:
            yield from _folder_saves(root / name)
        else:
            yield root / name


def _entries(root: Path) -> Sorter:
    """The learner folders (True) and loose saves (False) in a saves folder, by name."""
    entries = Sorter()
    try:
        with os.scandir(root) as scan:
            for entry in scan:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    entries.add((entry.name, True))
                elif is_save_name(entry.name) or (entry.is_symlink() and is_dir_entry(entry)):
                    entries.add((entry.name, False))
    except OSError:
        return Sorter()  # an unreadable folder lists nothing, not what was read of it
    return entries


def _folder_saves(folder: Path) -> list[Path]:
    """A learner folder's saves, sorted by name (none where it cannot be read)."""
    try:
        with os.scandir(folder) as scan:
            names = sorted(entry.name for entry in scan if is_save_name(entry.name))
    except OSError:
        return []
    return [folder / name for name in names]


def one_copy(numbers: list[int], paths: Spool, notes: list[tuple[int, int, str]]) -> int | None:
    """Of the records of one save found more than once (numbers in the order read), the one
    that counts: each copy is read again, and `one_of` decides as copies are met."""
    found: Record | None = None
    kept = None
    for number in numbers:
        path = Path(os.fsdecode(paths[number]))
        try:
            record = _record(path, read_save(path))
        except SaveError as error:  # changed since it was first read
            notes.append((number, 1, safe(f"skipped {error}")))
            continue
        if found is None:
            found, kept = record, number
            continue
        winner, why = one_of(found, record)
        if why:
            notes.append((number, 1, safe(why)))
        if winner is record:
            found, kept = record, number
    return kept


def one_of(first: Record, second: Record) -> tuple[Record, str | None]:
    """Which of two saves with one learner id and module counts, and why the other is skipped
    (None when the two hold the same attempts: one file copied, nothing lost)."""
    a, b = first.save, second.save
    if " ".join(a.learner.name.casefold().split()) != " ".join(b.learner.name.casefold().split()):
        return first, (
            f"skipped {second.path}: its learner id {b.learner.id} is {a.learner.name}'s in "
            f"{first.path} (another name); read that folder on its own"
        )
    if a.to_data()["attempts"] == b.to_data()["attempts"]:
        return first, None
    kept, other = (second, first) if _last_activity(b) > _last_activity(a) else (first, second)
    return kept, (
        f"skipped {other.path}: {kept.path} holds the same learner's save of "
        f"{kept.save.module.id}, with later answers"
    )


def _last_activity(save: SaveFile) -> str:
    times = [""]
    for attempt in save.attempts:
        times += [attempt.started_at, attempt.finished_at or ""]
        times += [answer.answered_at for answer in attempt.answers]
    return max(times)




def _record(path: Path, save: SaveFile) -> Record:
    from trainer.cohort.records import Record

    return Record(path, save, ())
