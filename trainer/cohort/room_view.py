"""The room as the facilitator's seminar sees it: a cohort's saves of one module, the hold
file, and how many learners are at each stage.

`RoomReader` looks at the saves folder again and again, re-reading only the saves that
changed (a stat per save otherwise), so that a lecture hall's folder can be looked at every
few seconds; each look says whether anything changed since the last (`version`), so that
nothing unchanged is drawn again. It touches no screen: the seminar runs it in a thread.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from trainer.engine import Module
from trainer.errors import TrainerError
from trainer.saves import SaveFile, module_save_paths, read_save
from trainer.saves.room import Hold, HoldWatch


@dataclass
class _Seen:
    mtime_ns: int
    save: SaveFile | None


@dataclass(frozen=True)
class RoomReading:
    """What one look at the saves folder found: the cohort's saves, the hold file, and a
    problem in words if the folder could not be read (the saves are then the last found)."""

    saves: tuple[SaveFile, ...] = ()
    hold: Hold | None = None
    problem: str | None = None
    version: int = 0
    """Goes up whenever anything above differs from the look before: the same version is
    the same room, and nothing on screen needs drawing again."""


class RoomReader:
    """Reads a cohort's saves of one module, re-reading only the files that changed. Used
    from one thread at a time (the seminar's worker); it touches no widget."""

    def __init__(self, root: Path, module: Module, cohort: str | None) -> None:
        self.root = Path(root)
        self.module = module
        self.cohort = cohort
        self._hold = HoldWatch(self.root, module.id, cohort)
        self._seen: dict[Path, _Seen] = {}
        self._saves: tuple[SaveFile, ...] = ()
        self._last: tuple[object, ...] | None = None
        self._version = 0

    def read(self) -> RoomReading:
        """The room now; never raises: a problem is said in `problem`."""
        hold = self._hold.hold()
        problem = None
        try:
            if self.root.is_dir():
                self._saves = tuple(self.saves())
            else:
                problem = f"The saves folder is gone: {self.root}"
        except OSError as error:
            problem = f"Could not read {self.root} ({error.strerror or type(error).__name__})."
        files = tuple((path, seen.mtime_ns) for path, seen in self._seen.items())
        signature = (files, hold, problem)
        if signature != self._last:
            self._last = signature
            self._version += 1
        return RoomReading(self._saves, hold, problem, self._version)

    def saves(self) -> list[SaveFile]:
        """The cohort's saves of this module (an unreadable save is left out)."""
        found: dict[Path, _Seen] = {}
        for path in module_save_paths(self.root, self.module.id):  # never through a link
            seen = self._look(path)
            if seen is not None:
                found[path] = seen
        self._seen = found
        return [s.save for s in found.values() if s.save is not None and self._in_room(s.save)]

    def _look(self, path: Path) -> _Seen | None:
        """The save at `path`: as last read if its modification time is the same, else read
        again; None if there is no file there now."""
        try:
            mtime = os.lstat(path).st_mtime_ns
        except OSError:
            return None
        seen = self._seen.get(path)
        if seen is not None and seen.mtime_ns == mtime:
            return seen
        try:
            return _Seen(mtime, read_save(path))
        except TrainerError:  # the progress command names it; here it is left out
            return _Seen(mtime, None)

    def _in_room(self, save: SaveFile) -> bool:
        """Whether a save is of this module and this room's cohort."""
        return save.module.id == self.module.id and (save.learner.cohort or None) == (
            self.cohort or None
        )


@dataclass
class Headcount:
    """How many learners are where: at each stage (by id), finished, not started."""

    at: dict[str, int] = field(default_factory=dict)
    finished: int = 0
    not_started: int = 0

    @classmethod
    def of(cls, saves: tuple[SaveFile, ...]) -> Headcount:
        """Count each learner once, by their latest attempt."""
        count = cls()
        for save in saves:
            attempt = save.last_attempt
            if attempt is None:
                count.not_started += 1
            elif attempt.finished:
                count.finished += 1
            else:
                count.at[attempt.position] = count.at.get(attempt.position, 0) + 1
        return count
