"""Guarded reads: only a regular file is opened for reading; whatever else is there, named.

A read refuses anything but a regular file before opening it: a named pipe in place of a
save would block the read forever, and a device may never end. The errors are OSErrors, so
that callers which treat an unreadable file as absent treat these the same way.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class NotAFileError(OSError):
    """Something other than a regular file (a named pipe, socket, device, folder or symbolic
    link) where a file should be. An OSError, so that callers which treat an unreadable file as
    absent treat this one the same way."""

    def __init__(self, path: Path, mode: int) -> None:
        reason = f"{kind_of_mode(mode)}, not a regular file"
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


def kind_of_mode(mode: int) -> str:
    """What a file of this mode is, in words: "a symbolic link", "a named pipe", "a folder"..."""
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
    return None if stat.S_ISREG(mode) else kind_of_mode(mode)


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
        return _read_descriptor(fd, path, max_bytes)
    finally:
        os.close(fd)


def _read_descriptor(fd: int, path: Path, max_bytes: int) -> bytes:
    """The bytes of an open file, checked again on the descriptor: a regular file, and no
    longer than `max_bytes` before or while it is read."""
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


def explain(error: OSError) -> str:
    """The plain reason an operation on a file failed, for a message that names the file."""
    if error.errno == errno.ELOOP:
        return "a symbolic link is in its place"
    return error.strerror or type(error).__name__
