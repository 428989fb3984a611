"""The saves folder: learner folders, opening a module's save under a lock, recording answers.

    <saves>/<learner-id>/learner.toml        who owns the folder
    <saves>/<learner-id>/<module-id>.toml    the save (see docs/save-format.md)

The learner id is the slug of the name (`trainer.saves.learner_ids`); the name itself is
never used as a path. Finding and claiming learner folders is `trainer.saves.learner_folders`.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import msgspec

from trainer.engine.clock import Clock, format_time, utc_now
from trainer.errors import SaveError
from trainer.saves.atomic import (
    MoveAsideError,
    atomic_write,
    move_aside,
    refuse_link,
    remove_stale_temps,
)
from trainer.saves.attempt import Attempt
from trainer.saves.format import LearnerInfo, ModuleInfo, SaveFile
from trainer.saves.learner_folders import LearnerFolders
from trainer.saves.learner_ids import learner_slug
from trainer.saves.lock import SaveLock, SaveLockedError
from trainer.saves.remembered import remember_sign_in, remembered_sign_in
from trainer.saves.scan import read_save
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


class SaveStore:
    """A saves folder."""

    def __init__(self, root: str | Path, clock: Clock = utc_now) -> None:
        self.root = Path(root)
        self.clock = clock

    def learner(self, name: str, cohort: str | None = None) -> LearnerInfo:
        """Find or claim the folder for this name, recording the cohort given
        (`trainer.saves.learner_folders`).

        Raises:
            SaveError: the folder could not be created or claimed, or whose it is cannot be
                told; the message says which, plainly.
        """
        return LearnerFolders(self.root, self.clock).learner(name, cohort)

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
        before = msgspec.structs.replace(attempt)
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
