"""The saves folders a cohort command reads (every `--saves DIR` given, before the command
and after it, else TRAINER_SAVES, else the user's data folder), and how it writes what it
makes of them, part by part, so that no command holds a whole cohort's output.

Where `-o` may write: a new or regular file, replaced atomically; a character device
(`/dev/null`, a terminal) or a pipe, written to as a stream, never replaced (as root, a
rename over `/dev/null` would put a regular file in its place for the whole machine), also
through the links the system provides for them (`/dev/stdout`, a shell's `>(...)`). Never
through any other symbolic link, never over a block device, socket or folder, and never
inside a saves folder: not the ones the command reads, nor any folder that looks like one or
like a learner folder in one (it has a `learner.toml` or a `.room`; or, for the folder
written into, it holds a save, or a folder with a `learner.toml` or with a save of the
learner it is named after), nor over a save. An export or report there would replace a
trainee's save, or be read as one, and would show everyone who can read a shared folder the
whole cohort's answers.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from trainer import paths
from trainer.errors import SaveError, TrainerError, UsageError
from trainer.sanitise import safe

if TYPE_CHECKING:
    from trainer.engine import Module

_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_STREAM_FLAGS = (
    os.O_WRONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
LEARNER_FILE = "learner.toml"
ROOM_FOLDER = ".room"
SCAN_LIMIT = 2000
"""Entries of one folder looked at for a learner folder in it: a saves folder is mostly
learner folders, so one shows up long before this."""
SAVE_HEAD = 4096
"""Bytes of a file read to tell whether it is a save (its tables come first)."""
FOLDERS_OPENED = 20
SAVES_OPENED = 20
"""Folders looked into, and `.toml` files read, to tell whether a folder holds saves."""


def saves_folders(args: argparse.Namespace) -> list[Path]:
    """Each folder given, in the order given (`--saves A --saves B` reads both as one).

    Raises:
        TrainerError: a file stands where a saves folder is named ("is not a folder",
            rather than that there is no saves folder there).
    """
    given = [*(getattr(args, "saves_given", None) or []), *getattr(args, "cohort_saves", [])]
    folders = [paths.saves_dir(folder) for folder in given] or [paths.saves_dir(None)]
    for folder in folders:
        blocker = paths.file_in_the_way(folder)
        if blocker is not None:
            raise TrainerError(paths.not_a_folder_message(folder, blocker))
    return folders


def check_output(command: str, output: str, saves: Sequence[Path]) -> Path:
    """The path `-o` names, once it is known to be a place the command may write to (see
    the module docstring); checked before any save is read.

    Raises:
        UsageError: one plain line saying why not (exit status 2).
    """
    path = Path(output).expanduser()
    where = _saves_folder_around(path, saves)
    if where is not None:
        raise UsageError(
            f"trainer {command}: -o {safe(output)} is inside {safe(where)}; write it elsewhere "
            "(a saves folder holds saves alone: anything else there may replace a save or be "
            "read as one, and whoever can read the folder could read it)"
        )
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return path  # nothing there, or it cannot be looked at: writing will say which
    if stat.S_ISREG(mode):
        if _is_save(path):
            raise UsageError(f"trainer {command}: -o {safe(output)} is a save; write it elsewhere")
        return path
    if _stream(path) is not None:
        return path
    from trainer.saves.guarded import kind_of

    what = kind_of(path) or "not a file"
    raise UsageError(
        f"trainer {command}: -o {safe(output)} is {what}; -o writes a file, a character "
        "device, or a named pipe (for standard output, -o -)"
    )


def _stream(path: Path) -> bool | None:
    """Whether `path` is written to as a stream: None if not; else whether that is through
    a link the system provides (`/dev/stdout`, `/dev/fd/63` of a shell's `>(...)`, under
    /dev or /proc) to a character device or a pipe. Any other link is never followed."""
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            return False
        if not stat.S_ISLNK(mode) or not str(path.absolute()).startswith(("/dev/", "/proc/")):
            return None
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return True if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) else None


def _saves_folder_around(path: Path, saves: Sequence[Path]) -> str | None:
    """The saves folder (one in use, or a folder that looks like one) that would hold
    `path`, as it may be named in a message; None if there is none."""
    try:
        target = path.parent.resolve() / path.name
    except (OSError, RuntimeError):
        return None  # a folder that cannot be resolved cannot be written into either
    in_use = []
    for folder in saves:
        try:
            in_use.append(folder.expanduser().resolve())
        except (OSError, RuntimeError):
            continue
    for folder in target.parents:
        if folder in in_use:
            return f"the saves folder {folder}"
    for folder in target.parents:
        why = _looks_like_saves(folder, learners=folder == target.parent)
        if why is not None:
            return f"{folder}, which looks like a saves folder ({why})"
    return None


def _looks_like_saves(folder: Path, learners: bool) -> str | None:
    """Why a folder looks like a saves folder or a learner folder in one, else None;
    `learners`: whether saves or learner folders in it count too (only for the folder `-o`
    writes into: further up, a folder of test runs or of cohorts' copies holds such)."""
    if os.path.lexists(folder / LEARNER_FILE):
        return f"it holds {LEARNER_FILE}"
    if os.path.lexists(folder / ROOM_FOLDER):
        return f"it holds {ROOM_FOLDER}"
    if not learners:
        return None
    save = _a_save_in(folder)
    if save is not None:
        return f"it holds a save, {save}"
    for number, entry in enumerate(_folders_in(folder)):
        if os.path.lexists(os.path.join(entry.path, LEARNER_FILE)):
            return f"it holds {entry.name}/{LEARNER_FILE}"
        if number < FOLDERS_OPENED:
            # A learner folder is named by its learner's id; a folder of loose saves (a
            # cohort's copies, beside others) holds saves of other ids.
            save = _a_save_in(Path(entry.path), learner=entry.name)
            if save is not None:
                return f"it holds {entry.name}/{save}"
    return None


def _folders_in(folder: Path) -> list[os.DirEntry[str]]:
    """The first folders (not links, not hidden) among a folder's first SCAN_LIMIT entries."""
    found: list[os.DirEntry[str]] = []
    try:
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries):
                if count >= SCAN_LIMIT:
                    break
                if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                    found.append(entry)
    except OSError:
        pass
    return found


def _a_save_in(folder: Path, learner: str | None = None) -> str | None:
    """The name of a save directly in `folder` (of that learner's, if given), among the
    first few `.toml` files there."""
    from trainer.saves.scan import is_save_name

    looked = 0
    try:
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries):
                if count >= SCAN_LIMIT or looked >= SAVES_OPENED:
                    break
                if is_save_name(entry.name) and entry.is_file(follow_symlinks=False):
                    looked += 1
                    owner = _save_learner(Path(entry.path))
                    if owner is not None and learner in (None, owner):
                        return entry.name
    except OSError:
        pass
    return None


def _is_save(path: Path) -> bool:
    """Whether a regular file reads as a save."""
    return _save_learner(path) is not None


_LEARNER_ID = re.compile(rb'^\s*id\s*=\s*"([^"]*)"')


def _save_learner(path: Path) -> str | None:
    """The learner id of a save (its `[learner]` table's `id`, which a save holds near its
    start, with its `[module]` table), or None if the file is not a save. Opened without
    blocking, never through a link."""
    try:
        head = _head(path)
    except OSError:
        return None
    lines = [line.strip() for line in head.splitlines()]
    if b"[learner]" not in lines or b"[module]" not in lines:
        return None
    for line in lines[lines.index(b"[learner]") + 1 :]:
        if line.startswith(b"["):
            break
        found = _LEARNER_ID.match(line)
        if found:
            return found.group(1).decode("utf-8", "replace")
    return ""


def _head(path: Path) -> bytes:
    """The first SAVE_HEAD bytes of a regular file (nothing of anything else)."""
    flags = os.O_RDONLY | _NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, SAVE_HEAD)
    finally:
        os.close(fd)


def write_parts(path: Path, parts: Iterable[str]) -> None:
    """Write the parts, in order, as one file at `path`, as `atomic_write` writes a file: to
    a new temporary file beside it (a random name, created exclusively, never through a
    link), flushed, fsynced and renamed over it, so that a crash, or an error while the parts
    are made, leaves the file as it was or whole, never half. A character device or a named
    pipe at `path` is written to as a stream instead, and stays what it is.

    Raises:
        SaveError: the file could not be written, or a symbolic link (or something else but
            a file, a character device or a named pipe) is in its place; the previous
            version is untouched.
    """
    from trainer.saves.atomic import fsync_dir, refuse_link, temp_path

    through_link = _stream(path)
    if through_link is not None:
        _stream_parts(path, parts, through_link)
        return
    folder = path.parent
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        refuse_link(path)
        for _ in range(5):
            candidate = temp_path(path)
            try:
                fd = os.open(candidate, _FLAGS, 0o666)
            except FileExistsError:  # a 64-bit random name taken: try another
                continue
            tmp = candidate
            break
        else:
            raise FileExistsError(errno.EEXIST, "could not find a free temporary name")
        with open(fd, "wb", buffering=1 << 16) as out:
            for part in parts:
                out.write(part.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        _refuse_all_but_a_file(path)  # nothing else was put there meanwhile
        os.replace(tmp, path)
        tmp = None
        fsync_dir(folder)
    except OSError as error:
        raise SaveError(
            f"could not write {path} ({_reason(error)}); the previous version is unchanged"
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _refuse_all_but_a_file(path: Path) -> None:
    """Raise unless `path` is a regular file or nothing: a rename never replaces a device,
    a pipe, a link or a folder."""
    from trainer.saves.guarded import kind_of

    what = kind_of(path)
    if what is not None:
        raise OSError(errno.EEXIST, f"{what} is in its place")


def _stream_parts(path: Path, parts: Iterable[str], through_link: bool) -> None:
    """Write the parts to a character device or named pipe, as a shell's `>` would (a pipe
    waits for its reader, said on stderr); never through a link but the system's own
    (`through_link`, see `_stream`), never to anything else.

    Raises:
        SaveError: it could not be opened or written (its reader went away).
    """
    try:
        fd = _open_stream(path, through_link)
        try:
            mode = os.fstat(fd).st_mode
            if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):  # swapped meanwhile
                raise OSError(errno.EINVAL, "it is no longer a device or a named pipe")
            os.set_blocking(fd, True)
            with open(fd, "wb", buffering=1 << 16, closefd=False) as out:
                for part in parts:
                    out.write(part.encode("utf-8"))
                out.flush()
        finally:
            os.close(fd)
    except BrokenPipeError:
        raise SaveError(f"could not write {path} (its reader closed it before the end)") from None
    except OSError as error:
        raise SaveError(f"could not write {path} ({_reason(error)})") from None


def _open_stream(path: Path, through_link: bool) -> int:
    """A character device or named pipe opened for writing; a pipe nobody reads yet is
    waited for, and stderr says so."""
    flags = _STREAM_FLAGS & ~_NOFOLLOW if through_link else _STREAM_FLAGS
    try:
        return os.open(path, flags | _NONBLOCK)
    except OSError as error:
        if error.errno != errno.ENXIO:  # ENXIO: a named pipe nobody reads yet
            raise
    print(
        f"trainer: waiting for something to read the named pipe {safe(str(path))}",
        file=sys.stderr,
        flush=True,
    )
    return os.open(path, flags)


def _reason(error: OSError) -> str:
    """Why a write failed, in words."""
    if error.errno == errno.ELOOP:
        return "a symbolic link is in its place"
    return error.strerror or type(error).__name__


def print_parts(parts: Iterable[str]) -> None:
    """Write the parts, in order, to stdout."""
    for part in parts:
        sys.stdout.write(part)
    sys.stdout.flush()


def module_finder(args: argparse.Namespace) -> Callable[[str], Module | None]:
    """Modules by id, where `trainer play` finds them (`--modules`, TRAINER_MODULES, the
    user's data folder, those shipped), each read once; None for one not found or not
    readable. A save's module id is only ever an id: one that is not (a path, say) finds
    nothing, so a save cannot make a command read a file of its choosing."""
    from functools import cache

    from trainer.content import find_module, load_module
    from trainer.content.checking import ID_PATTERN

    folder = getattr(args, "modules", None)

    @cache
    def found(module_id: str) -> Module | None:
        if not ID_PATTERN.fullmatch(module_id):
            return None
        try:
            return load_module(find_module(module_id, folder))
        except TrainerError:
            return None

    return found
