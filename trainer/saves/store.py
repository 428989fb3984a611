"""The saves folder: learner folders, opening a module's save under a lock, recording answers.

    <saves>/<learner-id>/learner.toml        who owns the folder
    <saves>/<learner-id>/<module-id>.toml    the save (see docs/save-format.md)

The learner id is the slug of the name; the name itself is never used as a path.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
import unicodedata
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import tomli_w

from trainer import paths
from trainer.engine import Module, PlayThrough
from trainer.engine.playthrough import format_time, utc_now
from trainer.errors import SaveError
from trainer.saves.atomic import (
    MoveAsideError,
    SaveLock,
    SaveLockedError,
    atomic_write,
    move_aside,
    read_regular_file,
)
from trainer.saves.format import Attempt, LearnerInfo, ModuleInfo, SaveFile, read_save

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
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in range(10)
}


def learner_slug(name: str) -> str:
    """The learner id for a name: lower-case ASCII letters, digits, `-`; 64 characters at most."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64].strip("-")
    if not slug:
        return "learner"
    if slug in _WINDOWS_RESERVED:  # a folder Windows cannot create
        return f"{slug}-learner"
    return slug


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
        """Find or claim the folder for this name, recording the cohort given."""
        name = clean_name(name)
        cohort = " ".join(cohort.split())[:MAX_NAME] if cohort else None
        base = learner_slug(name)
        for number in range(1, 10_000):
            candidate = base if number == 1 else f"{base[:60]}-{number}"
            folder = self.root / candidate
            owner = _folder_owner(folder)
            if owner is None:
                try:
                    folder.mkdir(parents=True)
                except FileExistsError:
                    owner = _folder_owner(folder)
                    if owner is None and not _empty_folder(folder):
                        continue  # somebody else's files, with no owner record: leave them be
                except OSError as error:
                    raise SaveError(f"could not create {folder} ({error.strerror})") from None
            if owner is not None and not _same_name(owner.name, name):
                continue
            info = LearnerInfo(candidate, owner.name if owner else name, cohort)
            if owner != info:
                atomic_write(folder / "learner.toml", _learner_text(info), keep_backup=False)
            return info
        raise SaveError(f"too many learners called {name!r} in {self.root}")

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
        lock = SaveLock(path.with_name(path.name + ".lock"))
        lock.acquire(f"{module.title!r} for {learner.name}")
        try:
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
        self.notice: str | None = None
        self.save = self._load(learner)

    def _load(self, learner: LearnerInfo) -> SaveFile:
        fresh = SaveFile(learner, ModuleInfo.of(self.module))
        if not self.path.exists():
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
        before = attempt.to_data()
        attempt.update_from(playthrough, format_time(self.store.clock()))
        try:
            self._write(self.save)
        except SaveError:
            self.save.attempts[-1] = Attempt.from_data(before)
            raise

    def _write(self, save: SaveFile) -> None:
        atomic_write(self.path, save.dumps())

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


def _empty_folder(folder: Path) -> bool:
    try:
        return folder.is_dir() and not any(folder.iterdir())
    except OSError:
        return False


def _folder_owner(folder: Path) -> LearnerInfo | None:
    """Who a learner folder belongs to, from its learner.toml (None if absent or unreadable)."""
    try:
        text = read_regular_file(folder / "learner.toml", MAX_SMALL_FILE).decode("utf-8")
        data = tomllib.loads(text)
        cohort = data.get("cohort")
        return LearnerInfo(
            str(data["id"]), str(data["name"]), None if cohort is None else str(cohort)
        )
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
        return None


def _learner_text(info: LearnerInfo) -> str:
    data: dict[str, Any] = {"id": info.id, "name": info.name}
    if info.cohort:
        data["cohort"] = info.cohort
    return tomli_w.dumps(data)


def remembered_sign_in() -> tuple[str, str | None] | None:
    """The name and cohort last signed in with, from the user's config file."""
    try:
        text = read_regular_file(paths.config_file(), MAX_SMALL_FILE).decode("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    name = data.get("name")
    cohort = data.get("cohort")
    if not isinstance(name, str) or not name.strip():
        return None
    return name, cohort if isinstance(cohort, str) and cohort else None


def remember_sign_in(name: str, cohort: str | None) -> None:
    """Remember the sign-in for next time; a config folder that cannot be written is no loss."""
    data: dict[str, Any] = {"name": name}
    if cohort:
        data["cohort"] = cohort
    with contextlib.suppress(SaveError):
        atomic_write(paths.config_file(), tomli_w.dumps(data), keep_backup=False)
