"""The one-app-per-save lock: a lock file beside a save, saying who holds it."""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.errors import SaveError
from trainer.saves.guarded import explain, kind_of, kind_of_mode, read_regular_file

if TYPE_CHECKING:
    from filelock import FileLock

try:
    import fcntl
except ImportError:  # Windows: filelock's byte-range lock
    fcntl = None  # type: ignore[assignment]

_CONTENDED = frozenset({errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK})
"""What `flock` answers when another process holds the lock (some file systems say EACCES)."""
_OPEN_FLAGS = (
    os.O_RDWR
    | os.O_CREAT
    | getattr(os, "O_NONBLOCK", 0)  # a named pipe swapped in cannot block the open
    | getattr(os, "O_NOFOLLOW", 0)  # nor a link lead the write elsewhere
    | getattr(os, "O_CLOEXEC", 0)
)


class SaveLockedError(SaveError):
    """The save is open in another app."""


class SaveLock:
    """A lock file beside a save, held while one app has the module open.

    The lock is an `flock` on POSIX and a `LockFileEx` byte lock on Windows, both dropped by
    the system when the holding process dies, so a lock left by a process that no longer
    runs is simply taken over, on every platform. The holder writes its process id, machine
    and time into the file, so a second app can say who has it.

    On POSIX the lock is taken here, with one `flock` call on the file opened without
    following a link; on Windows, filelock takes it. filelock does the same `flock` on POSIX
    (given a callback to write the holder, it keeps no lock file of its own where a file
    system has no `flock`: that is an error either way), but importing it was the largest
    part of what a new learner's first frame spent beyond the preview's, in time and in
    memory (docs/performance.md, "Figures behind the code"). Both take the same `flock` on
    the same file: each sees the other's.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock: FileLock | None = None
        self._fd: int | None = None

    def acquire(self, what: str) -> None:
        """Take the lock at once or raise SaveLockedError saying plainly where it is held.

        Raises:
            SaveLockedError: another app holds the lock.
            SaveError: the lock file could not be created or written (a read-only folder,
                a full disk) or something other than a file (a link, a pipe, a folder) is in
                its place.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SaveError(f"could not create {self.path.parent} ({explain(error)})") from None
        try:
            kind = kind_of(self.path)
        except OSError as error:
            raise self._cannot_open(explain(error)) from None
        if kind is not None:
            raise self._cannot_open(f"{kind} is in its place")
        if fcntl is not None:
            self._flock(what)
            return
        # Windows: filelock's lock (slow to import, and needed by none of the commands that
        # only read).
        from filelock import FileLock, Timeout

        lock = FileLock(
            self.path,
            thread_local=False,  # the app may open a save in one thread and close it in another
            on_acquired=self._write_holder,
        )
        try:
            lock.acquire(blocking=False)
        except Timeout:
            raise SaveLockedError(
                f"{what} is open elsewhere{_read_holder(self.path)}; close it there first"
            ) from None
        except OSError as error:
            try:
                kind = kind_of(self.path)
            except OSError:
                kind = None
            reason = f"{kind} is in its place" if kind else explain(error)
            raise self._cannot_open(reason) from None
        self._lock = lock

    def _flock(self, what: str) -> None:
        """Take the lock with `flock`.

        Raises:
            SaveLockedError: another app holds the lock.
            SaveError: the file could not be opened or written, or is not a regular file.
        """
        assert fcntl is not None
        try:
            fd = os.open(self.path, _OPEN_FLAGS, 0o644)
        except OSError as error:
            raise self._cannot_open(explain(error)) from None
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):  # swapped in since `kind_of` looked
                raise self._cannot_open(f"{kind_of_mode(mode)} is in its place")
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno in _CONTENDED:
                    raise SaveLockedError(
                        f"{what} is open elsewhere{_read_holder(self.path)}; close it there first"
                    ) from None
                raise self._cannot_open(explain(error)) from None
            self._write_holder(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)  # closing it lets go of the lock, where it was taken
            raise
        self._fd = fd

    def _write_holder(self, fd: int) -> None:
        """Say who holds the lock, in the locked file itself (filelock's on_acquired, too).

        Not synced to disk: another app reads it only while this one holds the lock, from
        the system's cache, and after a crash the lock is free whatever the file says (an
        fsync here was a wait on the disk before every learner's first frame)."""
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, _holder_text().encode())
        except OSError as error:
            raise SaveError(
                f"could not write the save lock {self.path} ({explain(error)})"
            ) from None

    def _cannot_open(self, reason: str) -> SaveError:
        return SaveError(f"could not open the save lock {self.path} ({reason})")

    def release(self) -> None:
        """Let go of the lock (safe to call twice). On POSIX the file stays, unlocked, so
        that an app waiting on it and one arriving later lock the same file."""
        if self._fd is not None:
            assert fcntl is not None
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
        if self._lock is None:
            return
        with contextlib.suppress(OSError, RuntimeError):
            self._lock.release(force=True)
        self._lock = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        if self._fd is not None:
            return True
        return self._lock is not None and self._lock.is_locked


def _holder_text() -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"pid = {os.getpid()}\nhost = {socket.gethostname()!r}\nsince = {now!r}\n"


def _holder(path: Path) -> tuple[int | None, str | None]:
    """The process id and machine recorded in a lock file (None where it does not say)."""
    pid: int | None = None
    host: str | None = None
    try:
        text = read_regular_file(path, 4096, follow_symlinks=False).decode("utf-8", "replace")
    except OSError:  # Windows: the holder's lock covers the bytes being read
        return None, None
    for line in text.splitlines():
        key, _, value = line.partition("=")
        value = value.strip().strip("'\"")
        if key.strip() == "pid" and value.isdigit() and len(value) < 12:
            pid = int(value)
        elif key.strip() == "host" and value.isprintable() and 0 < len(value) <= 64:
            host = value
    return pid, host


def _read_holder(path: Path) -> str:
    pid, host = _holder(path)
    if pid is None:
        return ""
    if host is not None and host != socket.gethostname():
        return f" (process {pid} on {host})"
    return f" (process {pid})"
