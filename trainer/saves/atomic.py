"""Atomic file writes and the one-app-per-save lock.

A write goes to a temporary file in the same folder, is flushed and fsynced,
and is renamed over the target; then the folder is fsynced so the rename
itself survives a power cut. The previous version is kept as `.bak`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
from datetime import UTC, datetime
from pathlib import Path

from trainer.errors import SaveError

try:  # POSIX: an advisory lock the kernel releases when the holder dies
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def fsync_dir(folder: Path) -> None:
    """Make a rename in this folder durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
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
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
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


def move_aside(path: Path, reason: str, now: datetime) -> Path:
    """Rename an unreadable file with a timestamp beside it; never overwrite anything."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{counter}")
    os.replace(path, target)
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
        """Take the lock or raise SaveLockedError saying plainly where it is held."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if fcntl is None:  # pragma: no cover - Windows
            self._acquire_by_pid(what)
            return
        for _ in range(5):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
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
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, _holder_text().encode())
                os.fsync(fd)
                self._fd = fd
                return
            os.close(fd)
        raise SaveLockedError(f"{what}: could not take the lock {self.path}")

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
            os.write(fd, _holder_text().encode())
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
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
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
