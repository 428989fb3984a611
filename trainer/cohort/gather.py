"""Gathering a cohort's saves: the folders given, each once; the saves in them, in the order
the cohort commands read them; and, of a learner's save of a module found more than once,
the copy that counts and why the other is skipped; the keys walked so that each counts once,
and the pseudonyms learners are known by when anonymised."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import os
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.cohort.spooling import Sorter, Spool
from trainer.errors import SaveError, TrainerError
from trainer.sanitise import safe
from trainer.saves import SaveFile, read_save
from trainer.saves.scan import is_dir_entry, is_save_name

if TYPE_CHECKING:
    from trainer.cohort.records import Options, Record


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


PSEUDONYM_KEY = b"trainer pseudonym v1"
"""Fixed, so pseudonyms are stable across runs and machines: they hide ids, not secure them."""


def pseudonym(learner_id: str) -> str:
    """A stable pseudonym for a learner id: `learner-` and ten hex digits."""
    digest = hmac.new(PSEUDONYM_KEY, learner_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"learner-{digest[:10]}"


def count_once(
    keys: Sorter,
    paths: Spool,
    options: Options,
    notes: list[tuple[int, int, str]],
    reorder: bool,
) -> tuple[array[int], int]:
    """Walk the sorted keys: each save once (of copies, the one `one_of` keeps). Returns the
    numbers kept, in the order they are written (by their texts, then the first copy read),
    and how many learners there are (distinct ids as shown: pseudonyms when anonymised)."""
    kept = array("q")
    reordered = Sorter()
    learners = _Learners(options.anonymise)
    for ids, group in itertools.groupby(keys, key=lambda key: key[0]):
        copies = list(group)
        numbers = [number for _, number, _ in copies]
        survivor = numbers[0] if len(numbers) == 1 else one_copy(numbers, paths, notes)
        if survivor is None:
            continue
        if reorder:
            shown = next(texts for _, number, texts in copies if number == survivor)
            reordered.add((shown, numbers[0], survivor))
        else:
            kept.append(survivor)
        learners.add(ids[0])
    if reorder:
        kept.extend(survivor for _, _, survivor in reordered)
    return kept, learners.count


class _Learners:
    """Counts the learners of the records kept, by id as shown: their pseudonyms (sorted on
    disk, as a pseudonym's order is not its id's) where anonymised."""

    def __init__(self, anonymise: bool) -> None:
        self._aliases = Sorter() if anonymise else None
        self._count = 0
        self._previous: str | None = None

    def add(self, learner_id: str) -> None:
        """A record kept, of this learner (records come grouped by learner id)."""
        if self._aliases is not None:
            self._aliases.add(pseudonym(learner_id))
        elif learner_id != self._previous:
            self._count += 1
        self._previous = learner_id

    @property
    def count(self) -> int:
        """How many learners (once every record is added: it reads the pseudonyms once)."""
        if self._aliases is None:
            return self._count
        return sum(1 for _ in itertools.groupby(self._aliases))
