"""The saves folders a cohort command reads (every `--saves DIR` given, before the command
and after it, else TRAINER_SAVES, else the user's data folder), and how it writes what it
makes of them, part by part, so that no command holds a whole cohort's output."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from trainer import paths
from trainer.errors import SaveError, TrainerError

_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


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


def write_parts(path: Path, parts: Iterable[str]) -> None:
    """Write the parts, in order, as one file at `path`, as `atomic_write` writes a file: to
    a new temporary file beside it (a random name, created exclusively, never through a
    link), flushed, fsynced and renamed over it, so that a crash, or an error while the parts
    are made, leaves the file as it was or whole, never half.

    Raises:
        SaveError: the file could not be written, or a symbolic link is in its place; the
            previous version is untouched.
    """
    from trainer.saves.atomic import fsync_dir, refuse_link, temp_path

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
        os.replace(tmp, path)
        tmp = None
        fsync_dir(folder)
    except OSError as error:
        reason = (
            "a symbolic link is in its place"
            if error.errno == errno.ELOOP
            else error.strerror or type(error).__name__
        )
        raise SaveError(
            f"could not write {path} ({reason}); the previous version is unchanged"
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def print_parts(parts: Iterable[str]) -> None:
    """Write the parts, in order, to stdout."""
    for part in parts:
        sys.stdout.write(part)
    sys.stdout.flush()
