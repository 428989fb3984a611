"""Atomic file writes, guarded reads and the one-app-per-save lock.

A write goes to a new temporary file in the same folder (a random name, created
exclusively, never through a link), is flushed and fsynced, and is renamed over
the target; then the folder is fsynced so the rename itself survives a power
cut. The previous version is kept as `.bak`. A symbolic link where the file
goes is refused, never written through: in a shared saves folder a link could
point anywhere.

A read refuses anything but a regular file before opening it: a named pipe in
place of a save would block the read forever, and a device may never end.
Every failure here is a SaveError whose message names the file and the reason.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import socket
import stat
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.errors import SaveError

if TYPE_CHECKING:
    from filelock import FileLock

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_LINK_NOFOLLOW = os.link in os.supports_follow_symlinks
STALE_TEMP_SECONDS = 10 * 60
"""A temporary file this old is left over from a write that never finished, whoever made it."""


class NotAFileError(OSError):
    """Something other than a regular file (a named pipe, socket, device, folder or symbolic
    link) where a file should be. An OSError, so that callers which treat an unreadable file as
    absent treat this one the same way."""

    def __init__(self, path: Path, mode: int) -> None:
        reason = f"{_kind(mode)}, not a regular file"
        super().__init__(reason)
        self.strerror = reason
        self.filename = str(path)
        self.mode = mode

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


class FileTooLargeError(OSError):
    """A file longer than its reader accepts; `size` is its length in bytes."""

    def __init__(self, path: Path, size: int) -> None:
        reason = f"{size} bytes is too large"
        super().__init__(reason)
        self.strerror = reason
        self.filename = str(path)
        self.size = size

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "something else"


def kind_of(path: Path) -> str | None:
    """What stands at a path, without following a link: None for a regular file or nothing,
    else "a symbolic link", "a named pipe", "a folder", ...

    Raises:
        OSError: the path could not be examined (no permission, ...).
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    return None if stat.S_ISREG(mode) else _kind(mode)


def read_regular_file(path: Path, max_bytes: int, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file, refusing anything else without reading from it.

    The path is checked with stat before it is opened, so a named pipe, socket, device or
    folder is never opened for reading; it is opened with O_NONBLOCK and checked again on the
    open descriptor, so one swapped in between the two steps cannot block either. With
    `follow_symlinks=False` a symbolic link is refused too (and never opened through).

    Raises:
        NotAFileError: the path is not a regular file.
        FileTooLargeError: the file is longer than `max_bytes`.
        OSError: it could not be read (missing, no permission, ...).
    """
    mode = (os.stat if follow_symlinks else os.lstat)(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotAFileError(path, mode)
    flags = os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY | (0 if follow_symlinks else _NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_symlinks:  # swapped for a link meanwhile
            raise NotAFileError(path, stat.S_IFLNK) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFileError(path, info.st_mode)
        if info.st_size > max_bytes:
            raise FileTooLargeError(path, info.st_size)
        chunks: list[bytes] = []
        length = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            length += len(chunk)
            if length > max_bytes:  # it grew while being read
                raise FileTooLargeError(path, length)
        return b"".join(chunks)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in this folder durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NONBLOCK)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _explain(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a symbolic link is in its place"
    return error.strerror or type(error).__name__


def temp_path(path: Path, tag: str = "") -> Path:
    """A fresh temporary name beside `path`: `.<name><tag>.<pid>.<random>.tmp`.

    The process id says who made it (so one left by a write that was killed can be told
    from one being written); the random part means no name can be planted in advance. It
    comes from `os.urandom`, as `secrets.token_hex` takes it: `secrets` would bring the
    system's crypto library into every app process (one per browser under `trainer serve`).
    """
    return path.with_name(f".{path.name}{tag}.{os.getpid()}.{os.urandom(8).hex()}.tmp")


def create_new(path: Path, data: bytes, sync: bool = True) -> None:
    """Write a new file that did not exist, never through a link or into a named pipe.

    Raises:
        FileExistsError: something (a file, a link, a pipe) is already at `path`.
        OSError: it could not be written; a partly written file is removed.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _NONBLOCK | _CLOEXEC | _BINARY
    fd = os.open(path, flags, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def write_temp(path: Path, data: bytes, tag: str = "") -> Path:
    """Write `data` to a new temporary file beside `path`, flushed and fsynced."""
    for _ in range(5):
        tmp = temp_path(path, tag)
        try:
            create_new(tmp, data)
        except FileExistsError:  # a 64-bit random name taken: try another
            continue
        return tmp
    raise FileExistsError(errno.EEXIST, "could not find a free temporary name", str(path))


def hard_link(source: Path, target: Path) -> None:
    """Give `source` a second name, `target`, never following a link at `source`.

    Raises:
        FileExistsError: something is already at `target`.
        OSError: the folder has no hard links (FAT, some network folders), or no permission.
    """
    if _LINK_NOFOLLOW:
        os.link(source, target, follow_symlinks=False)
    else:  # pragma: no cover - Windows, where a hard link is never made through a link
        os.link(source, target)


def refuse_link(path: Path, what: str = "") -> None:
    """Raise SaveError if a symbolic link stands at `path`: the app never writes through one.

    Raises:
        SaveError: `path` is a symbolic link.
    """
    if os.path.islink(path):
        raise SaveError(
            f"{path} is a symbolic link{what}; the app does not follow links in a saves folder, "
            "so it was left alone (remove it, or ask whoever looks after the folder)"
        )


def atomic_write(path: Path, text: str, keep_backup: bool = True) -> None:
    """Replace `path` with `text` so that a crash leaves the old or the new file, never half.

    Raises:
        SaveError: the file could not be written, or a symbolic link is in its place; the
            previous version is untouched.
    """
    path = Path(path)
    folder = path.parent
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        refuse_link(path)
        tmp = write_temp(path, text.encode("utf-8"))
        if keep_backup and os.path.lexists(path):
            _backup(path)
        os.replace(tmp, path)
        tmp = None
        fsync_dir(folder)
    except OSError as error:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise SaveError(
            f"could not write {path} ({_explain(error)}); the previous version is unchanged"
        ) from None


def _backup(path: Path) -> None:
    """Keep the current file as `.bak`, replacing the older backup atomically.

    The current file is hard-linked (never followed through a link) to a new temporary name,
    or copied where a folder has no hard links, then renamed over the backup.
    """
    backup = path.with_name(path.name + ".bak")
    staging = temp_path(path, ".bak")
    try:
        hard_link(path, staging)
    except OSError:  # no hard links here (some network or FAT folders): copy instead
        data = read_regular_file(path, 1 << 30, follow_symlinks=False)
        staging = write_temp(path, data, ".bak")
    try:
        os.replace(staging, backup)
    except BaseException:
        with contextlib.suppress(OSError):
            staging.unlink()
        raise


def _temp_pattern(path: Path) -> re.Pattern[str]:
    """The names of temporary files a write of `path` makes (and older versions made)."""
    return re.compile(re.escape(f".{path.name}") + r"(?:\.bak)?\.(\d+)(?:\.[0-9a-f]{1,64})?\.tmp")


def remove_stale_temps(path: Path, now: float | None = None) -> list[Path]:
    """Remove temporary files left beside `path` by writes of it that never finished.

    Only this file's own temporary files, and only those whose process no longer runs on
    this machine (or is this one: call it when no write of `path` is under way) or that are
    older than STALE_TEMP_SECONDS. Files are unlinked, never opened, so a link or a pipe
    planted under such a name goes the same way. Returns what was removed.
    """
    pattern = _temp_pattern(path)
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        names = os.listdir(path.parent)
    except OSError:
        return removed
    for name in names:
        match = pattern.fullmatch(name)
        if match is None:
            continue
        candidate = path.parent / name
        try:
            info = os.lstat(candidate)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            continue
        pid = int(match.group(1))
        if pid == os.getpid() or not _running(pid) or now - info.st_mtime > STALE_TEMP_SECONDS:
            with contextlib.suppress(OSError):
                os.unlink(candidate)
                removed.append(candidate)
    return removed


def _running(pid: int) -> bool:
    """Whether a process with this id runs on this machine; True where that cannot be told."""
    if sys.platform == "win32" or pid <= 0:  # os.kill(pid, 0) is no probe on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it runs, as somebody else
        return True
    return True


class MoveAsideError(SaveError):
    """A file could not be moved aside; `why` is the plain reason."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"could not move {path} aside ({why}); it is unchanged")
        self.why = why


def move_aside(path: Path, reason: str, now: datetime) -> Path:
    """Rename an unreadable file with a timestamp beside it; never overwrite anything.

    The file is renamed, never opened, so a named pipe or device is moved like any file.

    Raises:
        FileNotFoundError: nothing is at `path` any more (somebody moved it first).
        MoveAsideError: it could not be renamed (a read-only folder); it is left where it was.
    """
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    counter = 1
    while os.path.lexists(target):
        counter += 1
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{counter}")
    try:
        os.replace(path, target)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise MoveAsideError(path, _explain(error)) from None
    fsync_dir(path.parent)
    return target


class SaveLockedError(SaveError):
    """The save is open in another app."""


class SaveLock:
    """A lock file beside a save, held while one app has the module open.

    The lock is filelock's: an `flock` on POSIX and a `LockFileEx` byte lock on Windows,
    both dropped by the system when the holding process dies, so a lock left by a process
    that no longer runs is simply taken over, on every platform. The holder writes its
    process id, machine and time into the file, so a second app can say who has it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock: FileLock | None = None

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
            raise SaveError(f"could not create {self.path.parent} ({_explain(error)})") from None
        try:
            kind = kind_of(self.path)
        except OSError as error:
            raise self._cannot_open(_explain(error)) from None
        if kind is not None:
            raise self._cannot_open(f"{kind} is in its place")
        # filelock is slow to import (docs/performance.md): only an app that opens a save pays
        # it, not the preview, the sign-in or the commands that only read.
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
            reason = f"{kind} is in its place" if kind else _explain(error)
            raise self._cannot_open(reason) from None
        self._lock = lock

    def _write_holder(self, fd: int) -> None:
        """filelock's on_acquired: say who holds the lock, in the locked file itself.

        Not synced to disk: another app reads it only while this one holds the lock, from
        the system's cache, and after a crash the lock is free whatever the file says (an
        fsync here was a wait on the disk before every learner's first frame)."""
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, _holder_text().encode())
        except OSError as error:
            raise SaveError(
                f"could not write the save lock {self.path} ({_explain(error)})"
            ) from None

    def _cannot_open(self, reason: str) -> SaveError:
        return SaveError(f"could not open the save lock {self.path} ({reason})")

    def release(self) -> None:
        """Let go of the lock (safe to call twice). On POSIX the file stays, unlocked, so
        that an app waiting on it and one arriving later lock the same file."""
        if self._lock is None:
            return
        with contextlib.suppress(OSError, RuntimeError):
            self._lock.release(force=True)
        self._lock = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
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
