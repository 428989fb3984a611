"""Atomic file writes, guarded reads and the one-app-per-save lock.

A write goes to a temporary file in the same folder, is flushed and fsynced,
and is renamed over the target; then the folder is fsynced so the rename
itself survives a power cut. The previous version is kept as `.bak`.

A read refuses anything but a regular file before opening it: a named pipe in
place of a save would block the read forever, and a device may never end.
Every failure here is a SaveError whose message names the file and the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import stat
from datetime import UTC, datetime
from pathlib import Path

from trainer.errors import SaveError

try:  # POSIX: an advisory lock the kernel releases when the holder dies
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class NotAFileError(OSError):
    """Something other than a regular file (a named pipe, socket, device or folder) where a
    file should be. An OSError, so that callers which treat an unreadable file as absent
    treat this one the same way."""

    def __init__(self, path: Path, mode: int) -> None:
        reason = f"{_kind(mode)}, not a regular file"
        super().__init__(reason)
        self.strerror = reason
        self.filename = str(path)

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
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "something else"


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, refusing anything else without reading from it.

    The path is checked with stat before it is opened, so a named pipe, socket, device or
    folder is never opened for reading; it is opened with O_NONBLOCK and checked again on the
    open descriptor, so one swapped in between the two steps cannot block either.

    Raises:
        NotAFileError: the path is not a regular file.
        FileTooLargeError: the file is longer than `max_bytes`.
        OSError: it could not be read (missing, no permission, ...).
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotAFileError(path, mode)
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
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
    return error.strerror or type(error).__name__


def atomic_write(path: Path, text: str, keep_backup: bool = True) -> None:
    """Replace `path` with `text` so that a crash leaves the old or the new file, never half.

    Raises:
        SaveError: the file could not be written; the previous version is untouched.
    """
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8", newline="\n", opener=_open_nonblocking) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_backup and path.exists():
            _backup(path)
        os.replace(tmp, path)
        fsync_dir(folder)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise SaveError(
            f"could not write {path} ({_explain(error)}); the previous version is unchanged"
        ) from None


def _open_nonblocking(path: str, flags: int) -> int:
    """open()'s opener: a named pipe planted where the temporary file goes fails, not blocks."""
    return os.open(path, flags | _NONBLOCK, 0o666)


def _backup(path: Path) -> None:
    """Keep the current file as `.bak`, replacing the older backup atomically."""
    backup = path.with_name(path.name + ".bak")
    staging = path.with_name(f".{path.name}.bak.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    try:
        os.link(path, staging)
    except OSError:  # no hard links here (some network or FAT folders): copy instead
        shutil.copy2(path, staging)
    os.replace(staging, backup)


class MoveAsideError(SaveError):
    """A file could not be moved aside; `why` is the plain reason."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"could not move {path} aside ({why}); it is unchanged")
        self.why = why


def move_aside(path: Path, reason: str, now: datetime) -> Path:
    """Rename an unreadable file with a timestamp beside it; never overwrite anything.

    The file is renamed, never opened, so a named pipe or device is moved like any file.

    Raises:
        MoveAsideError: it could not be renamed (a read-only folder); it is left where it was.
    """
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    counter = 1
    while target.exists() or target.is_symlink():
        counter += 1
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{counter}")
    try:
        os.replace(path, target)
    except OSError as error:
        raise MoveAsideError(path, _explain(error)) from None
    fsync_dir(path.parent)
    return target


class SaveLockedError(SaveError):
    """The save is open in another app."""


class SaveLock:
    """A lock file beside a save, held while one app has the module open.

    On POSIX the lock is an `flock` on the file, which the kernel drops when the
    holding process dies, so a lock left by a process that no longer runs is
    simply taken over. Elsewhere the file's recorded process id is checked.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, what: str) -> None:
        """Take the lock or raise SaveLockedError saying plainly where it is held.

        Raises:
            SaveLockedError: another app holds the lock.
            SaveError: the lock file could not be created or written (a read-only folder,
                a full disk) or something other than a file is in its place.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SaveError(f"could not create {self.path.parent} ({_explain(error)})") from None
        if fcntl is None:  # pragma: no cover - Windows
            self._acquire_by_pid(what)
            return
        for _ in range(5):
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = _read_holder(self.path)
                os.close(fd)
                raise SaveLockedError(
                    f"{what} is open elsewhere{holder}; close it there first"
                ) from None
            # The file may have been unlinked by its last holder between open and flock.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            except OSError as error:
                os.close(fd)
                raise self._cannot_open(_explain(error)) from None
            if same:
                try:
                    os.ftruncate(fd, 0)
                    os.write(fd, _holder_text().encode())
                    os.fsync(fd)
                except OSError as error:
                    os.close(fd)
                    raise SaveError(
                        f"could not write the save lock {self.path} ({_explain(error)})"
                    ) from None
                self._fd = fd
                return
            os.close(fd)
        raise SaveLockedError(f"{what}: could not take the lock {self.path}")

    def _open(self) -> int:
        """Open (or create) the lock file, refusing anything but a regular file in its place."""
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            mode = stat.S_IFREG
        except OSError as error:
            raise self._cannot_open(_explain(error)) from None
        if not stat.S_ISREG(mode):
            raise self._cannot_open(f"{_kind(mode)} is in its place")
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NONBLOCK | _CLOEXEC, 0o644)
        except OSError as error:
            raise self._cannot_open(_explain(error)) from None
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            os.close(fd)
            raise self._cannot_open(f"{_kind(mode)} is in its place")
        return fd

    def _cannot_open(self, reason: str) -> SaveError:
        return SaveError(f"could not open the save lock {self.path} ({reason})")

    def _acquire_by_pid(self, what: str) -> None:  # pragma: no cover - Windows
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                pid = _holder_pid(self.path)
                if pid is not None and _alive(pid):
                    holder = _read_holder(self.path)
                    raise SaveLockedError(
                        f"{what} is open elsewhere{holder}; close it there first"
                    ) from None
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                continue
            except OSError as error:
                raise self._cannot_open(_explain(error)) from None
            try:
                os.write(fd, _holder_text().encode())
            except OSError as error:
                os.close(fd)
                raise SaveError(
                    f"could not write the save lock {self.path} ({_explain(error)})"
                ) from None
            self._fd = fd
            return
        raise SaveLockedError(f"{what}: could not take the lock {self.path}")

    def release(self) -> None:
        """Let go of the lock (safe to call twice)."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self._fd = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None


def _holder_text() -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"pid = {os.getpid()}\nhost = {socket.gethostname()!r}\nsince = {now!r}\n"


def _holder_pid(path: Path) -> int | None:
    try:
        text = read_regular_file(path, 4096).decode("utf-8", errors="replace")
        for line in text.splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "pid":
                return int(value.strip())
    except (OSError, ValueError):
        return None
    return None


def _read_holder(path: Path) -> str:
    pid = _holder_pid(path)
    return f" (process {pid})" if pid is not None else ""


def _alive(pid: int) -> bool:  # pragma: no cover - Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
