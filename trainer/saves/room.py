"""The facilitator's hold on a room: a file in the shared saves folder, per cohort and module.

    <saves>/.room/<module-id>--<cohort>.hold

    stage = "april-2007"
    cohort = "room1"
    renewed = 2026-12-07T14:47:18Z
    held_by = "lab-pc-3:4711:9f2c01ab"

A trainee's app that reaches the held stage waits, saying that the facilitator
will open it next, and goes on by itself once the hold is gone. The file is
written atomically and read by every app, so this works on a shared drive and
under `trainer serve` alike. The suffix is not `.toml`, so no command takes a
hold for a save.

A hold lives only while its seminar does. The seminar rewrites the file every
few seconds with the time (`renewed`), and removes it when it quits; a seminar
that crashed, was killed or lost its machine cannot remove it, so a hold not
renewed for `HOLD_LAPSES_AFTER` (a minute) counts as released. Two further
rules keep a stale file from holding anyone:

- A file without `renewed` (written before holds lapsed, by a seminar that never
  released on quitting) counts as released: no seminar of this version writes
  one, so nothing live is lost.
- A time more than `HOLD_LAPSES_AFTER` ahead of the reader's clock (a machine's
  clock set wrong, on a shared drive) counts as released too, so a hold outlives
  its seminar by at most twice that whatever the clocks say. Machines whose
  clocks differ by more than a minute therefore do not see each other's holds:
  the room is never stuck, though it may not wait.

`held_by` names the seminar that wrote the hold (host, process, a random part), so
a seminar renews and releases only its own hold: a second seminar on the same
room, or one restarted after a crash, does not take over or lift another's hold
unless the facilitator presses `h` or `r` there.
"""

from __future__ import annotations

import errno
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import tomli
import tomli_w

from trainer.engine.clock import utc_now
from trainer.errors import SaveError
from trainer.saves.atomic import atomic_write
from trainer.saves.guarded import kind_of, read_regular_file
from trainer.saves.learner_ids import learner_slug

ROOM_FOLDER = ".room"
HOLD_LAPSES_AFTER = timedelta(seconds=60)
"""A hold not renewed for this long counts as released (and one stamped this far ahead)."""
MAX_HOLD_BYTES = 4096
"""A hold file is a few lines; anything longer is not one."""


@dataclass(frozen=True)
class Hold:
    """A hold as its file says: the stage, when it was last renewed, and who holds it."""

    stage: str
    renewed: datetime | None
    """None for a file from before holds lapsed (it counts as released)."""
    held_by: str = ""

    def live(self, now: datetime) -> bool:
        """Whether the hold still holds at `now`: renewed within the last minute, and not
        stamped more than a minute ahead (see the module)."""
        if self.renewed is None:
            return False
        age = now - self.renewed
        return -HOLD_LAPSES_AFTER <= age <= HOLD_LAPSES_AFTER


def seminar_id() -> str:
    """A name for one seminar process, to tell its hold from another seminar's."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def hold_path(root: Path, module_id: str, cohort: str | None) -> Path:
    """Where the hold for this cohort and module lives."""
    group = learner_slug(cohort) if cohort else "no-cohort"
    return Path(root) / ROOM_FOLDER / f"{module_id}--{group}.hold"


def read_hold_file(root: Path, module_id: str, cohort: str | None) -> Hold | None:
    """The hold file as written, live or lapsed; None if there is none or it cannot be read
    (a folder, a link or a named pipe in its place, a link in the room folder's place, over
    `MAX_HOLD_BYTES`, not TOML, no stage)."""
    path = hold_path(root, module_id, cohort)
    try:
        if os.path.islink(path.parent):  # never read through a link in a saves folder
            return None
        raw = read_regular_file(path, MAX_HOLD_BYTES, follow_symlinks=False)
        data = tomli.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError):
        return None
    stage = data.get("stage")
    if not isinstance(stage, str) or not stage:
        return None
    renewed = data.get("renewed")
    # A time without an offset could be anyone's local time: as good as none.
    if not isinstance(renewed, datetime) or renewed.tzinfo is None:
        renewed = None
    held_by = data.get("held_by")
    return Hold(stage, renewed, held_by if isinstance(held_by, str) else "")


def read_hold(
    root: Path, module_id: str, cohort: str | None, now: datetime | None = None
) -> str | None:
    """The stage id the room is held at, or None: no hold, one that cannot be read, or one
    not renewed within `HOLD_LAPSES_AFTER` of `now` (the current time unless given)."""
    found = read_hold_file(root, module_id, cohort)
    if found is None or not found.live(utc_now() if now is None else now):
        return None
    return found.stage


class HoldWatch:
    """One room's hold as a trainee's app (or the seminar) sees it, looked at again and again
    (every second while the app waits at a held stage).

    Each look is a stat of the hold file; the file is read (at most `MAX_HOLD_BYTES`) only
    when it is another file, or changed, since the last look: a hold is always replaced
    whole (`atomic_write`), so an unchanged stat is the same hold. Whether that hold still
    holds is asked anew at each look, as holds lapse with time alone. Safe to use from two
    threads: at worst both read the file.
    """

    def __init__(self, root: Path, module_id: str, cohort: str | None) -> None:
        self.root = Path(root)
        self.module_id = module_id
        self.cohort = cohort
        self.path = hold_path(self.root, module_id, cohort)
        self._seen: tuple[tuple[int, ...] | None, Hold | None] = (None, None)
        self.reads = 0
        """How many times the file was read (the tests count them)."""

    def stage(self, now: datetime | None = None) -> str | None:
        """The stage the room is held at now, or None (as `read_hold` says)."""
        found = self.hold()
        if found is None or not found.live(utc_now() if now is None else now):
            return None
        return found.stage

    def hold(self) -> Hold | None:
        """The hold file as written, live or lapsed (as `read_hold_file` says), read again
        only if its stat changed since the last look."""
        try:
            info = os.lstat(self.path)
            mark: tuple[int, ...] | None = (
                info.st_ino,
                info.st_dev,
                info.st_size,
                info.st_mtime_ns,
                info.st_ctime_ns,
                info.st_mode,
            )
        except OSError:  # no hold file, or no room folder: no hold
            mark = None
        seen_mark, found = self._seen
        if mark is None:
            found = None
        elif mark != seen_mark:
            found = read_hold_file(self.root, self.module_id, self.cohort)
            self.reads += 1
        self._seen = (mark, found)
        return found


def hold(
    root: Path,
    module_id: str,
    cohort: str | None,
    stage_id: str,
    *,
    held_by: str = "",
    now: datetime | None = None,
) -> Path:
    """Hold the room at a stage, renewed `now` (replacing any earlier hold, whoever's).

    Raises:
        SaveError: the hold file could not be written; the message says why in a line.
    """
    path = hold_path(root, module_id, cohort)
    moment = (utc_now() if now is None else now).astimezone(UTC).replace(microsecond=0)
    record = {"stage": stage_id, "cohort": cohort or "", "renewed": moment, "held_by": held_by}
    _refuse_link_folder(path.parent)
    _refuse_other_things(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _failed("could not make", path.parent, error) from None
    _refuse_link_folder(path.parent)  # one put there since: the write would go through it
    atomic_write(path, tomli_w.dumps(record), keep_backup=False)
    return path


def renew(
    root: Path, module_id: str, cohort: str | None, held_by: str, now: datetime | None = None
) -> Hold | None:
    """Write the time again into this seminar's hold; None (and nothing written) if the room
    is no longer held by it (released, or held since by another seminar). The file is read,
    then replaced: a release elsewhere in the same instant can be undone, as two presses of
    `h` and `r` at once can end either way.

    Raises:
        SaveError: the hold file could not be written.
    """
    found = read_hold_file(root, module_id, cohort)
    if found is None or found.held_by != held_by:
        return None
    hold(root, module_id, cohort, found.stage, held_by=held_by, now=now)
    return read_hold_file(root, module_id, cohort)


def release(root: Path, module_id: str, cohort: str | None, held_by: str | None = None) -> bool:
    """Release the room; with `held_by`, only if that seminar's hold is the one there (a hold
    another seminar made since is left alone). Whether a hold file was removed.

    Raises:
        SaveError: something other than a file is in the hold's place, or it could not be
            removed.
    """
    path = hold_path(root, module_id, cohort)
    _refuse_link_folder(path.parent)
    _refuse_other_things(path)
    if held_by is not None:
        found = read_hold_file(root, module_id, cohort)
        if found is None or found.held_by != held_by:
            return False
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    except OSError as error:
        raise _failed("could not remove", path, error) from None
    return True


def _refuse_link_folder(folder: Path) -> None:
    """A link where the room folder goes is never written or removed through: it could point
    anywhere (the docs promise links in a saves folder are never followed)."""
    if os.path.islink(folder):
        raise SaveError(
            f"{folder} is a symbolic link, not a folder; links in a saves folder are not "
            "followed: remove it to hold the room"
        )


def _refuse_other_things(path: Path) -> None:
    """A folder, link or pipe where the hold file goes is never written over or removed."""
    try:
        kind = kind_of(path)
    except OSError as error:
        raise _failed("could not look at", path, error) from None
    if kind is not None:
        raise SaveError(f"{path} is {kind}, not a hold file; remove it to hold the room")


def _failed(doing: str, path: Path, error: OSError) -> SaveError:
    """Why a file operation in the room folder failed, in a line: a file where a folder
    should be (the `.room` folder, or the saves folder) is said as that alone."""
    if error.errno in (errno.ENOTDIR, errno.EEXIST):
        parent = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), None)
        if parent is not None:
            return SaveError(f"{parent} is a file, not a folder")
    return SaveError(f"{doing} {path} ({error.strerror or type(error).__name__})")


class SeminarHold:
    """One seminar's own hold on a room: made, renewed and released by that seminar only.

    `stage` is the stage it holds, or None. A hold released or taken over elsewhere is
    noticed at the next `renew`, which then writes nothing.
    """

    def __init__(
        self,
        root: Path,
        module_id: str,
        cohort: str | None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.root = Path(root)
        self.module_id = module_id
        self.cohort = cohort
        self.clock = clock
        self.held_by = seminar_id()
        self.stage: str | None = None

    def hold(self, stage_id: str) -> None:
        """Hold the room at a stage (replacing any hold there, this seminar's or another's).

        Raises:
            SaveError: the hold file could not be written.
        """
        now = self.clock()
        hold(self.root, self.module_id, self.cohort, stage_id, held_by=self.held_by, now=now)
        self.stage = stage_id

    def renew(self) -> bool:
        """Stamp this seminar's hold with the time again; False (and no longer holding) if it
        is no longer there to renew.

        Raises:
            SaveError: the hold file could not be written; it is still this seminar's, and
                lapses unless a later renewal succeeds.
        """
        if self.stage is None:
            return False
        if renew(self.root, self.module_id, self.cohort, self.held_by, self.clock()) is None:
            self.stage = None
            return False
        return True

    def release(self) -> bool:
        """Release the room, whoever holds it. Whether a hold file was removed.

        Raises:
            SaveError: it could not be removed.
        """
        self.stage = None
        return release(self.root, self.module_id, self.cohort)

    def let_go(self) -> str | None:
        """Release this seminar's own hold, if it has one (a hold made since by another
        seminar is left); the stage it held, or None. Called as the seminar ends.

        Raises:
            SaveError: it could not be removed (it lapses within `HOLD_LAPSES_AFTER`).
        """
        stage, self.stage = self.stage, None
        if stage is None:
            return None
        return stage if release(self.root, self.module_id, self.cohort, self.held_by) else None
