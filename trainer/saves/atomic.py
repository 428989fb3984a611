"""Atomic file writes: a temporary file renamed over the target, the `.bak`, the temporary
files a killed write left, and moving an unreadable file aside.

A write goes to a new temporary file in the same folder (a random name, created
exclusively, never through a link), is flushed and fsynced, and is renamed over
the target; then the folder is fsynced so the rename itself survives a power
cut. The previous version is kept as `.bak`. A symbolic link where the file
goes is refused, never written through: in a shared saves folder a link could
point anywhere. Every failure here is a SaveError whose message names the file and
the reason. Reads are guarded apart (`trainer.saves.guarded`), and so is the save lock
(`trainer.saves.lock`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from trainer.errors import SaveError
from trainer.saves.guarded import explain, read_regular_file

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_LINK_NOFOLLOW = os.link in os.supports_follow_symlinks
STALE_TEMP_SECONDS = 10 * 60
"""A temporary file this old is left over from a write that never finished, whoever made it."""


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
            f"could not write {path} ({explain(error)}); the previous version is unchanged"
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
        raise MoveAsideError(path, explain(error)) from None
    fsync_dir(path.parent)
    return target
