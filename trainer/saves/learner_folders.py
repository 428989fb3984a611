"""Learner folders in a saves folder: found or claimed for a name, and their owner read, or
repaired from their saves when their learner.toml is missing or damaged.

    <saves>/<learner-id>/learner.toml        who owns the folder

A folder is claimed by creating its learner.toml exclusively (a hard link of a finished
file, which fails if the name exists), so two first sign-ins at once agree: the same name
twice gets one folder, two names with one slug get two.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from pathlib import Path
from typing import Any

import tomli_w

from trainer import paths
from trainer.engine.clock import Clock
from trainer.errors import SaveError
from trainer.saves.atomic import (
    MoveAsideError,
    atomic_write,
    create_new,
    fsync_dir,
    hard_link,
    move_aside,
    refuse_link,
    remove_stale_temps,
    write_temp,
)
from trainer.saves.format import BOM, LearnerInfo, SaveFile
from trainer.saves.guarded import NotAFileError, read_regular_file
from trainer.saves.learner_ids import (
    MAX_NAME,
    clean_name,
    learner_slug,
    same_name,
    slug_before_transliteration,
)
from trainer.saves.scan import read_save

MAX_SMALL_FILE = 64 * 1024
"""learner.toml and the sign-in config hold a name and a cohort: anything longer is not one."""
LEARNER_FILE = "learner.toml"
"""Who owns a learner folder; created once, exclusively, by the first sign-in."""
FRESH_SECONDS = 1.0
"""An unreadable learner.toml younger than this may be another app's, being written where the
folder has no hard links: it is read again until it is older, before it counts as damaged."""


class LearnerFolders:
    """The learner folders of one saves folder."""

    def __init__(self, root: Path, clock: Clock) -> None:
        self.root = root
        self.clock = clock

    def learner(self, name: str, cohort: str | None = None) -> LearnerInfo:
        """Find or claim the folder for this name, recording the cohort given (see the
        module); a folder whose learner.toml is missing or unreadable is given back to the
        learner its saves name.

        Raises:
            SaveError: the folder could not be created or claimed; a symbolic link is where a
                learner folder or learner.toml goes; or a folder has no readable learner.toml
                and nothing in it says whose it is. The message says which, plainly.
        """
        name = clean_name(name)
        cohort = " ".join(cohort.split())[:MAX_NAME] if cohort else None
        base = learner_slug(name)
        self._make_root()
        kept = self._folder_before_transliteration(name, base)
        if kept is not None:
            folder_id, owner = kept
            return self._with_cohort(folder_id, owner, cohort)
        for number in range(1, 10_000):
            candidate = base if number == 1 else f"{base[:60]}-{number}"
            owner = self._owner(candidate, LearnerInfo(candidate, name, cohort))
            if same_name(owner.name, name):
                return self._with_cohort(candidate, owner, cohort)
        raise SaveError(f"too many learners called {name!r} in {self.root}")

    def _make_root(self) -> None:
        """Create the saves folder if it is not there, saying plainly if a file is in the way."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            blocker = paths.file_in_the_way(self.root)
            if blocker is not None:
                raise SaveError(paths.not_a_folder_message(self.root, blocker)) from None
            raise SaveError(f"could not create {self.root} ({error.strerror})") from None

    def _with_cohort(self, folder_id: str, owner: LearnerInfo, cohort: str | None) -> LearnerInfo:
        """The folder's learner with the cohort given, recorded in its learner.toml if new."""
        info = LearnerInfo(folder_id, owner.name, cohort)
        if owner != info:
            atomic_write(self.root / folder_id / LEARNER_FILE, _learner_text(info), False)
        return info

    def _folder_before_transliteration(
        self, name: str, base: str
    ) -> tuple[str, LearnerInfo] | None:
        """The folder this name was given before ids were transliterated, and its owner, if
        its learner.toml names this learner: the old id, or the old id with `-2`, `-3`, ...
        Only read: a folder that cannot be read here is left to the usual rule."""
        old = slug_before_transliteration(name)
        if old == base:
            return None
        for entry in self._numbered_folders(old):
            try:
                if not stat.S_ISDIR(os.lstat(self.root / entry).st_mode):
                    continue  # a link or a file where a learner folder would be
                owner = _read_owner(self.root / entry / LEARNER_FILE)
            except (OSError, SaveError, _Damaged):
                continue
            if owner is not None and same_name(owner.name, name):
                return entry, owner
        return None

    def _numbered_folders(self, base: str) -> list[str]:
        """The names in the saves folder that are `base`, or `base` numbered (`-2`, `-3`, ...),
        in the order of their numbers; none if the folder cannot be listed."""
        try:
            entries = os.listdir(self.root)
        except OSError:
            return []
        numbered = re.compile(rf"{re.escape(base[:60])}-([0-9]+)")
        folders: list[tuple[int, str]] = []
        for entry in entries:
            match = numbered.fullmatch(entry)
            if entry == base or match:
                folders.append((int(match.group(1)) if match else 1, entry))
        return [entry for _, entry in sorted(folders)]

    def _owner(self, folder_id: str, claimant: LearnerInfo) -> LearnerInfo:
        """Who owns this learner folder: as its learner.toml says, or as its saves say once
        learner.toml is repaired from them, or the claimant once it has claimed it."""
        folder = self.root / folder_id
        _make_learner_folder(folder)
        path = folder / LEARNER_FILE
        remove_stale_temps(path)
        started = time.monotonic()
        for _ in range(1000):
            try:
                owner = _read_owner(path)
            except _Damaged as damaged:
                if damaged.fresh and time.monotonic() - started < FRESH_SECONDS:
                    time.sleep(0.05)  # perhaps another app's, still being written
                else:
                    self._replace_damaged(path, damaged, claimant)
                continue  # read what is there now: ours, or another app's
            if owner is not None:
                return owner
            new = _owner_from_saves(folder, f"it has no {LEARNER_FILE}")
            owner = new or claimant
            if _create_owner(path, owner):
                # Made whole by this call (`_create_owner`), so it says what was written: a
                # new learner's first frame need not parse it back. If another app was
                # first, theirs is read at the next turn.
                return owner
        raise SaveError(f"could not claim {folder}: its {LEARNER_FILE} keeps changing")

    def _replace_damaged(self, path: Path, damaged: _Damaged, claimant: LearnerInfo) -> None:
        """Move a damaged learner.toml aside and make it again, for the learner the folder's
        saves name (or the claimant); nothing if another app replaced or moved it first.

        Raises:
            SaveError: it could not be moved aside; or whose the folder is cannot be told.
        """
        new = _owner_from_saves(path.parent, f"its {LEARNER_FILE} {damaged.reason}")
        if not damaged.still_there(path):
            return  # another app replaced it meanwhile: theirs is read next
        try:
            move_aside(path, "unreadable", self.clock())
        except FileNotFoundError:  # another app moved it first
            return
        except MoveAsideError as failed:
            raise SaveError(
                f"{path} could not be read ({damaged.reason}) nor moved aside "
                f"({failed.why}); it is unchanged"
            ) from None
        _create_owner(path, new or claimant)


class _Damaged(Exception):
    """learner.toml is there but cannot be read: why, and the file as it was when read."""

    def __init__(self, reason: str, seen: os.stat_result | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.seen = seen

    @property
    def fresh(self) -> bool:
        """Whether it was written a moment ago (perhaps it is being written now)."""
        return self.seen is not None and time.time() - self.seen.st_mtime < FRESH_SECONDS

    def still_there(self, path: Path) -> bool:
        """Whether the same file is still at `path` (nobody has replaced it since)."""
        try:
            return self.seen is not None and os.path.samestat(os.lstat(path), self.seen)
        except OSError:
            return False


def _make_learner_folder(folder: Path) -> None:
    """Create a learner folder if it is not there; refuse anything but a folder in its place."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except OSError as error:
        raise SaveError(f"could not create {folder} ({error.strerror})") from None
    refuse_link(folder, ", not a learner folder")
    try:
        mode = os.lstat(folder).st_mode
    except OSError as error:
        raise SaveError(f"could not open {folder} ({error.strerror})") from None
    if not stat.S_ISDIR(mode):
        raise SaveError(f"{folder} is not a folder, so it cannot be a learner's; it was left alone")


def _read_owner(path: Path) -> LearnerInfo | None:
    """Who a learner folder belongs to, from its learner.toml; None if there is none.

    Raises:
        _Damaged: it is there but is not a learner.toml (not TOML, no name, a named pipe).
        SaveError: it could not be read (no permission), or it is a symbolic link.
    """
    try:
        raw = read_regular_file(path, MAX_SMALL_FILE, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except NotAFileError as error:
        if stat.S_ISLNK(error.mode):
            refuse_link(path)
        raise _Damaged(f"is {error.strerror}", _lstat(path)) from None
    except OSError as error:
        raise SaveError(f"could not read {path} ({error.strerror or error})") from None
    return _owner_in(raw, path.parent.name, _lstat(path))


def _owner_in(raw: bytes, folder_id: str, seen: os.stat_result | None) -> LearnerInfo:
    """The learner a learner.toml's bytes name (its id is the folder's where it gives none).

    Raises:
        _Damaged: they are not a learner.toml (not UTF-8, not TOML, no name, a wrong type).
    """
    # Imported where a learner.toml is read: a new learner's folder is written, not read.
    import tomli

    try:
        data = tomli.loads(raw.decode("utf-8").removeprefix(BOM))
    except UnicodeDecodeError:
        raise _Damaged("is not UTF-8 text", seen) from None
    except (tomli.TOMLDecodeError, RecursionError):
        raise _Damaged("is not valid TOML", seen) from None
    name, cohort = data.get("name"), data.get("cohort")
    learner_id = data.get("id", folder_id)
    if not isinstance(name, str) or not name.strip():
        raise _Damaged("has no name", seen)
    if not isinstance(learner_id, str) or not (cohort is None or isinstance(cohort, str)):
        raise _Damaged("has a value of the wrong type", seen)
    return LearnerInfo(learner_id, name, cohort)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _owner_from_saves(folder: Path, why: str) -> LearnerInfo | None:
    """The learner a folder's saves (and their backups) name, to repair its learner.toml.

    None if the folder holds nothing but hidden files, locks and earlier learner.toml files
    moved aside: it is anybody's to claim.

    Raises:
        SaveError: its saves name more than one learner (or another folder's), or it holds
            files that say nothing (saves that cannot be read, other files): whose it is
            cannot be told, so it is left alone and the message says so.
    """
    saves, unknown = _folder_contents(folder)
    left_alone = (
        f"so {folder} was left alone: ask whoever looks after the saves folder to restore its "
        f"{LEARNER_FILE}"
    )
    if saves:
        first = saves[0].learner
        if any(
            s.learner.id != folder.name or not same_name(s.learner.name, first.name) for s in saves
        ):
            raise SaveError(
                f"{folder}: {why}, and its saves do not agree on whose it is; {left_alone}"
            )
        newest = max(saves, key=_last_activity)
        return LearnerInfo(folder.name, newest.learner.name, newest.learner.cohort)
    if unknown:
        listed = ", ".join(repr(n) for n in unknown[:3]) + (", ..." if len(unknown) > 3 else "")
        raise SaveError(
            f"{folder}: {why}, and nothing in it says whose it is ({listed}); {left_alone}"
        )
    return None


def _folder_contents(folder: Path) -> tuple[list[SaveFile], list[str]]:
    """A learner folder's saves and backups that read, and the names of every other file
    (hidden files, locks and learner.toml files, current or moved aside, left out).

    Raises:
        SaveError: the folder cannot be listed.
    """
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        raise SaveError(f"could not read the folder {folder} ({error.strerror})") from None
    saves: list[SaveFile] = []
    unknown: list[str] = []
    for name in names:
        if name.startswith((".", LEARNER_FILE)) or name.endswith(".lock"):
            continue
        save = _save_or_none(folder / name) if name.endswith((".toml", ".toml.bak")) else None
        if save is None:
            unknown.append(name)
        else:
            saves.append(save)
    return saves, unknown


def _save_or_none(path: Path) -> SaveFile | None:
    """The save at `path`, or None if it does not read as one."""
    try:
        return read_save(path)
    except SaveError:
        return None


def _last_activity(save: SaveFile) -> str:
    times = [""]
    for attempt in save.attempts:
        times += [attempt.started_at, attempt.finished_at or ""]
        times += [answer.answered_at for answer in attempt.answers]
    return max(times)


def _create_owner(path: Path, info: LearnerInfo) -> bool:
    """Create learner.toml if nobody has: True if this call made it, False if it was there.

    The file is written whole under a temporary name and hard-linked into place, which fails
    if anything (a file, a link) has the name, so it is never seen half-written. Where a
    folder has no hard links, it is created exclusively and written instead.

    Raises:
        SaveError: it could not be written.
    """
    data = _learner_text(info).encode("utf-8")
    try:
        tmp = write_temp(path, data)
    except OSError as error:
        raise SaveError(f"could not write {path} ({error.strerror or error})") from None
    try:
        try:
            hard_link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here (FAT, some network folders)
            try:
                create_new(path, data)
            except FileExistsError:
                return False
            except OSError as error:
                raise SaveError(f"could not write {path} ({error.strerror or error})") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    fsync_dir(path.parent)
    return True


def _learner_text(info: LearnerInfo) -> str:
    data: dict[str, Any] = {"id": info.id, "name": info.name}
    if info.cohort:
        data["cohort"] = info.cohort
    return tomli_w.dumps(data)
