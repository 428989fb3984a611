"""Modules already found valid, kept between runs in the user's cache folder.

A module is validated before anything of it is shown, and a trainee or facilitator opens the
same unchanged file again and again: validating the Peter Connelly module and importing the
validator is a large part of what `trainer play` spends before its first frame. Each module
built from a valid file is kept here, under a key made of the sha256 of the file's bytes and of
what built it: this version of trainer, Python's, and the engine's and module reader's source
files as they are (so a checkout edited in place never reads a module built by older code).

The cache is only a shortcut. A file with errors is never kept, so its errors are reported
every time; an entry that is missing, unreadable or from code that can no longer read it is
ignored and the file validated again; a cache folder that cannot be written loses nothing.
The entries are pickles, read only from the user's own cache folder, as their config is.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from trainer import __version__, paths
from trainer.engine import Module

KEEP = 64
"""Entries kept at most: the oldest are removed when a new one is written."""


@functools.cache
def _code_stamp() -> bytes:
    """What a built module depends on besides its file (see the module's docstring)."""
    parts = [__version__, sys.version, str(pickle.HIGHEST_PROTOCOL)]
    package = Path(__file__).resolve().parent.parent
    for folder in ("engine", "content"):
        with os.scandir(package / folder) as entries:
            for entry in sorted(entries, key=lambda entry: entry.name):
                if entry.name.endswith(".py"):
                    stat = entry.stat()
                    parts.append(f"{folder}/{entry.name} {stat.st_mtime_ns} {stat.st_size}")
    return "\n".join(parts).encode()


def folder() -> Path:
    """Where the entries are kept."""
    return paths.cache_dir() / "modules"


def _entry(digest: str) -> Path:
    key = hashlib.sha256(digest.encode() + b"\n" + _code_stamp()).hexdigest()
    return folder() / f"{key}.pickle"


def cached(digest: str) -> Module | None:
    """The module built from a valid file whose bytes have this sha256, if it is kept."""
    try:
        with open(_entry(digest), "rb") as handle:
            module = pickle.load(handle)
    # Missing, unreadable, cut short or written by code that has since changed: pickle raises
    # any of a dozen kinds of error, and each means only that the file is validated again.
    except Exception:
        return None
    return module if isinstance(module, Module) else None


def keep(digest: str, module: Module) -> None:
    """Keep the module built from a valid file (quietly not, where the folder cannot be written)."""
    target = _entry(digest)
    temp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(module, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, target)  # whole or not at all, for another app reading it now
        temp = None
        _prune(target.parent)
    except (OSError, pickle.PicklingError):
        pass
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _prune(where: Path) -> None:
    """Remove the oldest entries beyond KEEP."""
    entries = []
    with os.scandir(where) as found:
        for entry in found:
            if entry.name.endswith(".pickle"):
                with contextlib.suppress(OSError):
                    entries.append((entry.stat().st_mtime_ns, entry.path))
    for _, path in sorted(entries)[:-KEEP]:
        with contextlib.suppress(OSError):
            os.unlink(path)
