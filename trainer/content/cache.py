"""Modules already found valid, kept between runs in the user's cache folder.

A module is validated before anything of it is shown, and a trainee or facilitator opens the
same unchanged file again and again: validating the Peter Connelly module and importing the
validator is a large part of what `trainer play` spends before its first frame. Each module
built from a valid file is kept here with the sha256 of the bytes it was built from, under the
file's identity (its device and inode) and what built it: this version of trainer, Python's,
and the engine's and module reader's source files as they are (so a checkout edited in place
never reads a module built by older code). An entry is used only while the file's size,
modification time and change time are those it was kept with: on POSIX any write to a file
changes its change time, which no program can set back (on Windows that time is the file's
creation, and the size and modification time are what tell, as for Python's own bytecode
cache, which trusts a source's modification time and size). No byte of the file is read to
find its entry: hashing it imported OpenSSL's hashing before the first frame
(docs/performance.md, "Figures behind the code").

The cache is only a shortcut. A file with errors is never kept, so its errors are reported
every time; an entry that is missing, unreadable or from code that can no longer read it is
ignored and the file validated again; a cache folder that cannot be written loses nothing.
The entries are pickles, read only from the user's own cache folder, as their config is.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import sys
import tempfile
import zlib
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


def _signature(stat: os.stat_result) -> tuple[int, int, int]:
    """What changes whenever the file is written: its size, modification and change times."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _entry(stat: os.stat_result) -> Path:
    """The entry of the file with this stat, for the code that runs now. The code's stamp is
    named by its CRC (a name, not a guard: the entry holds the whole stamp, compared on
    reading), so that two versions of trainer used in turn keep an entry each."""
    stamp = zlib.crc32(_code_stamp())
    return folder() / f"{stat.st_dev:x}-{stat.st_ino:x}-{stamp:08x}.pickle"


def cached(stat: os.stat_result) -> tuple[str, Module] | None:
    """The sha256 of a valid module file and the module built from it, if it is kept and the
    file has not been written since (`stat` is the file's, taken before anything of it is
    read)."""
    try:
        with open(_entry(stat), "rb") as handle:
            signature, stamp, digest, module = pickle.load(handle)
    # Missing, unreadable, cut short or written by code that has since changed: pickle raises
    # any of a dozen kinds of error, and each means only that the file is validated again.
    except Exception:
        return None
    if signature != _signature(stat) or stamp != _code_stamp() or not isinstance(digest, str):
        return None
    return (digest, module) if isinstance(module, Module) else None


def keep(stat: os.stat_result, digest: str, module: Module) -> None:
    """Keep the module built from a valid file, whose stat (taken before it was read) and
    sha256 are given (quietly not, where the folder cannot be written)."""
    target = _entry(stat)
    temp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        with os.fdopen(descriptor, "wb") as handle:
            entry = (_signature(stat), _code_stamp(), digest, module)
            pickle.dump(entry, handle, protocol=pickle.HIGHEST_PROTOCOL)
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
