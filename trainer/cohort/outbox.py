"""The outbox of `trainer push`: per LRS endpoint, what is still to send and what was accepted.

For each endpoint (named by a hash of its URL without credentials) the outbox
folder holds:

    <hash>.jsonl           statements still to send, exactly as they will be sent
    <hash>.sent            ids this endpoint has accepted (not sent again)
    <hash>.refused.jsonl   statements the LRS refused (invalid, conflicting, too large),
                           one a line: {"id", "status", "reason", "statement"}
    <file>.damaged         lines of one of those push could not read, set aside as found
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

from trainer.cohort.lrs_endpoint import Endpoint
from trainer.errors import SaveError
from trainer.saves.atomic import atomic_write, fsync_dir, remove_stale_temps

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class Outbox:
    """The files that remember, per endpoint, what is still to send and what was accepted.

    The queue is written whole once a push has built it, before anything is sent, and once
    more at the end with what is left; in between, each accepted batch only appends its ids
    to the sent file (one write and one fsync a batch). A push stopped in between leaves
    queued lines whose ids the sent file holds: `queued` leaves those out, so nothing
    accepted is sent again and nothing still to send is lost. (A statement refused meanwhile
    is still in the queue too: such a push's next one offers it once more.)

    A line push cannot read (bytes that are not UTF-8, or not a statement: a disk's or a
    sync tool's damage) is skipped by the readers and, by `set_aside_damaged`, moved to a
    file beside its own (`<name>.damaged`, the bytes as found), with one line in `notes`:
    nothing is lost, and the rest is sent. (A statement whose queued line was damaged is
    built again from its save at the next push.)
    """

    def __init__(self, folder: Path, endpoint: Endpoint) -> None:
        self.queue_path = folder / f"{endpoint.key}.jsonl"
        self.sent_path = folder / f"{endpoint.key}.sent"
        self.refused_path = folder / f"{endpoint.key}.refused.jsonl"
        self.notes: list[str] = []
        self._damaged: dict[Path, list[bytes]] = {}  # found by the last read of each file

    def queued(self, sent: set[str] | None = None) -> dict[str, str]:
        """Statement id to line, for the queue's lines not yet accepted (`sent`: the ids the
        sent file holds, if already read)."""
        done = self.sent() if sent is None else sent
        lines = self._statements(self.queue_path)
        return {i: line for i, line in lines.items() if i not in done}

    def remove_leftovers(self) -> None:
        """Remove temporary files a push killed while writing left (a queue's can be large)."""
        for path in (self.queue_path, self.sent_path, self.refused_path):
            remove_stale_temps(path)

    def sent(self) -> set[str]:
        """The ids the sent file holds (a line that is not UTF-8 is skipped)."""
        ids: set[str] = set()
        damaged: list[bytes] = []
        for raw in _raw_lines(self.sent_path):
            try:
                ids.add(raw.decode("utf-8").strip())
            except UnicodeDecodeError:
                damaged.append(raw)
        self._damaged[self.sent_path] = damaged
        return ids

    def set_aside_damaged(self) -> None:
        """Move the damaged lines the last reads of the queue and the sent file found into
        their `.damaged` files (appended and fsynced first, so a crash loses none), then
        write the sent file without them; the queue is written without them by the push,
        next. Each file with damage adds one line to `notes`.

        Raises:
            SaveError: a file could not be written.
        """
        if self._set_aside(self.sent_path, "list of statements sent"):
            kept = b"".join(
                raw + b"\n"
                for raw in _raw_lines(self.sent_path)
                if _decodes(raw)  # the file as it is now, less what was set aside
            )
            atomic_write(self.sent_path, kept.decode("utf-8"), False)
        self._set_aside(self.queue_path, "queue")

    def _set_aside(self, path: Path, what: str) -> bool:
        damaged = self._damaged.pop(path, [])
        if not damaged:
            return False
        kept = path.with_name(path.name + ".damaged")
        _append(kept, b"".join(raw + b"\n" for raw in damaged))
        count = len(damaged)
        self.notes.append(
            f"the outbox's {what} for this LRS ({path}) had {count} damaged "
            f"line{'s' if count != 1 else ''} (not UTF-8, or not as push wrote it): set aside "
            f"in {kept}; the rest goes on"
        )
        return True

    def _statements(self, path: Path) -> dict[str, str]:
        lines, damaged = _read_lines(path)
        self._damaged[path] = damaged
        return lines

    def write_queue(self, queue: dict[str, str]) -> None:
        atomic_write(self.queue_path, "".join(line + "\n" for line in queue.values()), False)

    def add_sent(self, ids: list[str]) -> None:
        """Append ids to the sent file and fsync it.

        Raises:
            SaveError: it could not be written (a link or anything but a file in its place).
        """
        if ids:
            _append(self.sent_path, "".join(f"{i}\n" for i in ids).encode("utf-8"))

    def add_refused(self, entries: list[tuple[str, int, str]]) -> None:
        """Keep refused statements, each with the status and reason, the statement's bytes
        exactly as sent (so it can be looked at, mended at its source, or sent by hand)."""
        refused = self._statements(self.refused_path)
        self._set_aside(self.refused_path, "list of refused statements")
        for line, status, reason in entries:
            statement_id = json.loads(line)["id"]
            refused[statement_id] = (
                f'{{"id":{json.dumps(statement_id)},"status":{status},'
                f'"reason":{json.dumps(reason, ensure_ascii=False)},"statement":{line}}}'
            )
        atomic_write(self.refused_path, "".join(v + "\n" for v in refused.values()), False)


def _append(path: Path, data: bytes) -> None:
    """Append lines to a file and fsync it; a last line a crash cut short is ended first,
    so that it is never joined to the first line written now.

    Raises:
        SaveError: it could not be written (a link or anything but a file in its place).
    """
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _NONBLOCK | _CLOEXEC
    try:
        fd = os.open(path, flags, 0o666)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise OSError(errno.EINVAL, "not a regular file")
            size = info.st_size
            if size:
                os.lseek(fd, size - 1, os.SEEK_SET)
                if os.read(fd, 1) != b"\n":
                    data = b"\n" + data
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if not size:
            fsync_dir(path.parent)  # the file may be new: its name must last too
    except OSError as error:
        reason = (
            "a symbolic link is in its place"
            if error.errno == errno.ELOOP
            else error.strerror or type(error).__name__
        )
        raise SaveError(f"could not write {path} ({reason})") from None


def _raw_lines(path: Path) -> list[bytes]:
    """A file's lines as bytes, less blank ones and those of NULs alone (what a crash in
    the middle of an append can leave: nothing to keep); none if there is no file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    return [raw for raw in data.split(b"\n") if raw.strip(b" \t\r\x00")]


def _decodes(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_lines(path: Path) -> tuple[dict[str, str], list[bytes]]:
    """A file of statements one a line, keyed by id, and the lines that are not one."""
    out: dict[str, str] = {}
    damaged: list[bytes] = []
    for raw in _raw_lines(path):
        try:
            line = raw.decode("utf-8").rstrip("\r")
            statement_id = json.loads(line)["id"]
        except (ValueError, KeyError, TypeError, IndexError):
            damaged.append(raw)
            continue
        if not isinstance(statement_id, str):
            damaged.append(raw)
            continue
        out[statement_id] = line
    return out, damaged
