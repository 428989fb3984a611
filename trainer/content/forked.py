"""Some of a large module's checks run in a forked child while the rest run here.

`trainer validate` is one thread in one process, and a large module's checks of meaning fall
into two groups that need nothing of each other (the stages' links and decisions; the case
file, the glossary and hindsight): on a machine with two cores the child runs one group on
the parsed file it shares with its parent, at no cost of copying it, and sends back only what
it found. The app never asks for this: it validates in a worker thread, and forking a process
with threads is unsafe.

Where there is no `fork` (Windows), or the process has threads, or the fork, the pipe or the
child fails, `alongside` says so and the caller runs the child's share itself: the report is
the same either way. The child's result is sent by `marshal`, which is built in (plain
tuples, lists, sets, strings and numbers: what problems are made of); `multiprocessing`
would do the same plumbing, but its import costs about as much as the child saves.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable
from typing import Any

_CHUNK = 1 << 16


def can_fork() -> bool:
    """Whether this process may fork a child to share its work: Linux, and one thread."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def alongside(work: Callable[[], Any], meanwhile: Callable[[], None]) -> tuple[bool, Any]:
    """Run `work` in a forked child while `meanwhile` runs here.

    Returns (True, what `work` returned) once both are done, or (False, None) when no child
    ran it to the end (no fork here, or it failed): the caller then runs `work` itself.
    `meanwhile` runs once either way; `work` must return what `marshal` can send.
    """
    if not can_fork():
        meanwhile()
        return False, None
    try:
        read_end, write_end = os.pipe()
    except OSError:
        meanwhile()
        return False, None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        meanwhile()
        return False, None
    if pid == 0:
        _child(work, read_end, write_end)
    os.close(write_end)
    try:
        meanwhile()
    finally:
        # Read to the end before waiting: a result larger than the pipe holds would
        # otherwise leave the child blocked on its write.
        sent = _read_all(read_end)
        _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return False, None
    try:
        return True, marshal.loads(sent)
    except (EOFError, ValueError, TypeError):
        return False, None


def _child(work: Callable[[], Any], read_end: int, write_end: int) -> None:
    """The child's whole life: the work, its result down the pipe, and an exit that runs
    none of the parent's clean-up (no atexit handlers, no buffered output flushed twice)."""
    code = 1
    try:
        os.close(read_end)
        sent = memoryview(marshal.dumps(work()))
        while sent:
            sent = sent[os.write(write_end, sent) :]
        code = 0
    except BaseException:  # noqa: BLE001 - any failure is told by the exit code alone
        pass
    finally:
        os._exit(code)


def _read_all(read_end: int) -> bytes:
    """Everything the child wrote, up to its end of the pipe closing."""
    chunks: list[bytes] = []
    try:
        while chunk := os.read(read_end, _CHUNK):
            chunks.append(chunk)
    finally:
        os.close(read_end)
    return b"".join(chunks)
