"""The saves folder: learner folders, opening a module's save under a lock, recording answers.

    <saves>/<learner-id>/learner.toml        who owns the folder
    <saves>/<learner-id>/<module-id>.toml    the save (see docs/save-format.md)

The learner id is the slug of the name; the name itself is never used as a path.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import stat
import time
import unicodedata
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import tomli
import tomli_w

from trainer import paths
from trainer.engine.clock import format_time, utc_now
from trainer.errors import SaveError
from trainer.saves.atomic import (
    MoveAsideError,
    NotAFileError,
    SaveLock,
    SaveLockedError,
    atomic_write,
    create_new,
    fsync_dir,
    hard_link,
    move_aside,
    read_regular_file,
    refuse_link,
    remove_stale_temps,
    write_temp,
)
from trainer.saves.format import BOM, Attempt, LearnerInfo, ModuleInfo, SaveFile, read_save
from trainer.saves.signin import remember_sign_in, remembered_sign_in
from trainer.saves.writer import SaveWriter

if TYPE_CHECKING:
    from trainer.engine import Module, PlayThrough

__all__ = [
    "ModuleSave",
    "SaveLockedError",
    "SaveStore",
    "learner_slug",
    "remember_sign_in",
    "remembered_sign_in",
]

Clock = Callable[[], datetime]
MAX_NAME = 200
"""Longest learner name kept; the slug is shorter still."""
MAX_SMALL_FILE = 64 * 1024
"""learner.toml and the sign-in config hold a name and a cohort: anything longer is not one."""
LEARNER_FILE = "learner.toml"
"""Who owns a learner folder; created once, exclusively, by the first sign-in."""
FRESH_SECONDS = 1.0
"""An unreadable learner.toml younger than this may be another app's, being written where the
folder has no hard links: it is read again until it is older, before it counts as damaged."""
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in range(10)
}


def learner_slug(name: str) -> str:
    """The learner id for a name: lower-case ASCII letters, digits, `-`; 64 characters at most.

    Letters are transliterated (python-slugify with text-unidecode, named so that an installed
    Unidecode cannot change anyone's id): "Łukasz Żółw" is `lukasz-zolw`, "Дмитрий Волков"
    `dmitrii-volkov`, "王小明" `wang-xiao-ming`. A name is text, not HTML: `&amp;` is not
    read as an entity."""
    slug = _ascii_slug(name) if name.isascii() else _library_slug(name)
    if not slug:
        return "learner"
    if slug in _WINDOWS_RESERVED:  # a folder Windows cannot create
        return f"{slug}-learner"
    return slug


def _library_slug(name: str) -> str:
    """python-slugify's slug of a name, as learner ids are made."""
    # python-slugify is slow to import (a pattern of every HTML entity name is
    # compiled): paid when a name that is not plain ASCII is first made a folder name.
    from slugify import slugify

    return slugify(
        name,
        entities=False,
        decimal=False,
        hexadecimal=False,
        max_length=64,
        backend="text-unidecode",
    ).strip("-")


def _ascii_slug(name: str) -> str:
    """`_library_slug` of a plain ASCII name, without importing python-slugify: for ASCII
    text its legacy pipeline comes down to these steps (quotes to `-`, lower case, commas
    between digits dropped, other characters to `-`, then 64 characters at most). Most names
    typed at the sign-in are ASCII, and the first frame of a new learner's play comes
    sooner (docs/performance.md); tests/saves/test_learner_ids.py checks the two agree on
    generated names."""
    text = re.sub(r"'+", "-", name).lower()
    text = re.sub(r"(?<=\d),(?=\d)", "", text)
    text = re.sub(r"[^-a-z0-9]+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-")
    return text[:64].strip("-")


def _slug_before_transliteration(name: str) -> str:
    """The learner id this name was given before ids were transliterated: letters with no
    ASCII base dropped ("Łukasz Żółw" was `ukasz-zow`, a Cyrillic name `learner`)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64].strip("-")
    if not slug:
        return "learner"
    return f"{slug}-learner" if slug in _WINDOWS_RESERVED else slug


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def clean_name(name: str) -> str:
    """A learner name as it is kept: printable, trimmed, not absurdly long.

    Raises:
        SaveError: nothing is left of the name.
    """
    printable = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    cleaned = " ".join(printable.split())[:MAX_NAME]
    if not cleaned:
        raise SaveError("a learner name is needed")
    return cleaned


class SaveStore:
    """A saves folder."""

    def __init__(self, root: str | Path, clock: Clock = utc_now) -> None:
        self.root = Path(root)
        self.clock = clock

    def learner(self, name: str, cohort: str | None = None) -> LearnerInfo:
        """Find or claim the folder for this name, recording the cohort given.

        A folder is claimed by creating its learner.toml exclusively (a hard link of a
        finished file, which fails if the name exists), so two first sign-ins at once agree:
        the same name twice gets one folder, two names with one slug get two. A folder whose
        learner.toml is missing or unreadable is given back to the learner its saves name.

        Raises:
            SaveError: the folder could not be created or claimed; a symbolic link is where a
                learner folder or learner.toml goes; or a folder has no readable learner.toml
                and nothing in it says whose it is. The message says which, plainly.
        """
        name = clean_name(name)
        cohort = " ".join(cohort.split())[:MAX_NAME] if cohort else None
        base = learner_slug(name)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            blocker = paths.file_in_the_way(self.root)
            if blocker is not None:
                raise SaveError(paths.not_a_folder_message(self.root, blocker)) from None
            raise SaveError(f"could not create {self.root} ({error.strerror})") from None
        kept = self._folder_before_transliteration(name, base)
        if kept is not None:
            folder_id, owner = kept
            info = LearnerInfo(folder_id, owner.name, cohort)
            if owner != info:
                atomic_write(self.root / folder_id / LEARNER_FILE, _learner_text(info), False)
            return info
        for number in range(1, 10_000):
            candidate = base if number == 1 else f"{base[:60]}-{number}"
            owner = self._owner(candidate, LearnerInfo(candidate, name, cohort))
            if not _same_name(owner.name, name):
                continue
            info = LearnerInfo(candidate, owner.name, cohort)
            if owner != info:
                atomic_write(self.root / candidate / LEARNER_FILE, _learner_text(info), False)
            return info
        raise SaveError(f"too many learners called {name!r} in {self.root}")

    def _folder_before_transliteration(
        self, name: str, base: str
    ) -> tuple[str, LearnerInfo] | None:
        """The folder this name was given before ids were transliterated, and its owner, if
        its learner.toml names this learner: the old id, or the old id with `-2`, `-3`, ...
        Only read: a folder that cannot be read here is left to the usual rule."""
        old = _slug_before_transliteration(name)
        if old == base:
            return None
        try:
            entries = os.listdir(self.root)
        except OSError:
            return None
        numbered = re.compile(rf"{re.escape(old[:60])}-([0-9]+)")
        folders: list[tuple[int, str]] = []
        for entry in entries:
            match = numbered.fullmatch(entry)
            if entry == old or match:
                folders.append((int(match.group(1)) if match else 1, entry))
        for _, entry in sorted(folders):
            try:
                if not stat.S_ISDIR(os.lstat(self.root / entry).st_mode):
                    continue  # a link or a file where a learner folder would be
                owner = _read_owner(self.root / entry / LEARNER_FILE)
            except (OSError, SaveError, _Damaged):
                continue
            if owner is not None and _same_name(owner.name, name):
                return entry, owner
        return None

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
                    continue
                new = _owner_from_saves(folder, f"its {LEARNER_FILE} {damaged.reason}")
                if not damaged.still_there(path):
                    continue  # another app replaced it meanwhile: read theirs
                try:
                    move_aside(path, "unreadable", self.clock())
                except FileNotFoundError:  # another app moved it first
                    continue
                except MoveAsideError as failed:
                    raise SaveError(
                        f"{path} could not be read ({damaged.reason}) nor moved aside "
                        f"({failed.why}); it is unchanged"
                    ) from None
                _create_owner(path, new or claimant)
                continue  # read back what is there now: ours, or another app's
            if owner is not None:
                return owner
            new = _owner_from_saves(folder, f"it has no {LEARNER_FILE}")
            _create_owner(path, new or claimant)  # if another app was first, theirs is read
        raise SaveError(f"could not claim {folder}: its {LEARNER_FILE} keeps changing")

    def save_path(self, learner: LearnerInfo, module_id: str) -> Path:
        """Where this learner's save for a module lives."""
        return self.root / learner.id / f"{module_id}.toml"

    def progress(self, learner: LearnerInfo, module_id: str) -> Attempt | None:
        """The last attempt on a module, read without locking; None if none or unreadable."""
        try:
            return read_save(self.save_path(learner, module_id)).last_attempt
        except SaveError:
            return None

    def open(self, learner: LearnerInfo, module: Module) -> ModuleSave:
        """Open a module's save for playing: take the lock, then read (or start) the save.

        Raises:
            SaveLockedError: another app has this save open.
        """
        path = self.save_path(learner, module.id)
        refuse_link(path.parent, ", not a learner folder")
        lock = SaveLock(path.with_name(path.name + ".lock"))
        lock.acquire(f"{module.title!r} for {learner.name}")
        try:
            refuse_link(path, ", not a save")
            remove_stale_temps(path)  # left by a write that was killed; none is under way now
            return ModuleSave(self, path, lock, learner, module)
        except BaseException:
            lock.release()
            raise


class ModuleSave:
    """One learner's save for one module, open for playing (holds the lock)."""

    def __init__(
        self, store: SaveStore, path: Path, lock: SaveLock, learner: LearnerInfo, module: Module
    ) -> None:
        self.store = store
        self.path = path
        self.module = module
        self._lock = lock
        self._writer = SaveWriter()
        self.notice: str | None = None
        self.save = self._load(learner)

    def _load(self, learner: LearnerInfo) -> SaveFile:
        fresh = SaveFile(learner, ModuleInfo.of(self.module))
        if not os.path.lexists(self.path):
            return fresh
        try:
            save = read_save(self.path)
            if save.module.id != self.module.id:
                raise SaveError(f"it belongs to module {save.module.id!r}")
        except SaveError as error:
            reason = str(error).removeprefix(f"{self.path}: ")
            try:
                moved = move_aside(self.path, "unreadable", self.store.clock())
            except MoveAsideError as failed:
                raise SaveError(
                    f"the save {self.path} could not be read ({reason}) nor moved aside "
                    f"({failed.why}); it is unchanged"
                ) from None
            restored = self._restore_backup(learner)
            if restored is not None:
                self.notice = (
                    f"Your save for this module could not be read ({reason}). It has been kept "
                    f"as {moved.name}, and the copy made before your last answer was restored: "
                    "that last answer may need to be given again."
                )
                return restored
            self.notice = (
                f"Your save for this module could not be read ({reason}). It has been kept "
                f"as {moved.name}, and a fresh attempt starts now."
            )
            return fresh
        save.learner = learner
        save.module = ModuleInfo.of(self.module)
        return save

    def _restore_backup(self, learner: LearnerInfo) -> SaveFile | None:
        backup = self.path.with_name(self.path.name + ".bak")
        try:
            save = read_save(backup)
        except SaveError:
            return None
        if save.module.id != self.module.id:
            return None
        save.learner = learner
        save.module = ModuleInfo.of(self.module)
        self._write(save)
        return save

    @property
    def attempt(self) -> Attempt:
        """The current (last) attempt, started if there is none."""
        if not self.save.attempts:
            self._start_attempt()
        return self.save.attempts[-1]

    def playthrough(self) -> PlayThrough:
        """The current attempt's play-through over the module as it is now."""
        return self.attempt.playthrough(self.module, self.store.clock)

    def new_attempt(self) -> PlayThrough:
        """Start a new attempt (earlier ones are kept) and return its play-through."""
        self._start_attempt()
        return self.playthrough()

    def _start_attempt(self) -> None:
        attempt = Attempt(
            number=len(self.save.attempts) + 1,
            registration=str(uuid.uuid4()),
            started_at=format_time(self.store.clock()),
        )
        first = self.module.stages[0].id if self.module.stages else "end"
        attempt.position = first
        self.save.attempts.append(attempt)
        try:
            self._write(self.save)
        except SaveError:
            self.save.attempts.pop()
            raise

    def record(self, playthrough: PlayThrough) -> None:
        """Write the play-through's answers and position into the save, atomically.

        Raises:
            SaveError: the save could not be written; the file on disk is unchanged.
        """
        attempt = self.attempt
        # A copy to put back: `update_from` gives the attempt new lists, never changes its own.
        before = dataclasses.replace(attempt)
        attempt.update_from(playthrough, format_time(self.store.clock()))
        try:
            self._write(self.save)
        except SaveError:
            self.save.attempts[-1] = before
            raise

    def _write(self, save: SaveFile) -> None:
        atomic_write(self.path, self._writer.text(save))

    def close(self) -> None:
        """Release the lock (safe to call twice)."""
        self._lock.release()

    def __enter__(self) -> ModuleSave:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


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
    seen = _lstat(path)
    try:
        data = tomli.loads(raw.decode("utf-8").removeprefix(BOM))
        name, cohort = data["name"], data.get("cohort")
        learner_id = data.get("id", path.parent.name)
        if not isinstance(name, str) or not name.strip():
            raise _Damaged("has no name", seen)
        if not isinstance(learner_id, str) or not (cohort is None or isinstance(cohort, str)):
            raise _Damaged("has a value of the wrong type", seen)
        return LearnerInfo(learner_id, name, cohort)
    except UnicodeDecodeError:
        raise _Damaged("is not UTF-8 text", seen) from None
    except tomli.TOMLDecodeError:
        raise _Damaged("is not valid TOML", seen) from None
    except RecursionError:
        raise _Damaged("is not valid TOML", seen) from None
    except KeyError:
        raise _Damaged("has no name", seen) from None


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
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        raise SaveError(f"could not read the folder {folder} ({error.strerror})") from None
    saves: list[SaveFile] = []
    unknown: list[str] = []
    for name in names:
        if name.startswith(".") or name.startswith(LEARNER_FILE) or name.endswith(".lock"):
            continue
        if name.endswith((".toml", ".toml.bak")):
            try:
                saves.append(read_save(folder / name))
                continue
            except SaveError:
                pass
        unknown.append(name)
    left_alone = (
        f"so {folder} was left alone: ask whoever looks after the saves folder to restore its "
        f"{LEARNER_FILE}"
    )
    if saves:
        first = saves[0].learner
        if any(
            s.learner.id != folder.name or not _same_name(s.learner.name, first.name) for s in saves
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
