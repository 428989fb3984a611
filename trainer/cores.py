"""Work spread over the cores the process may use: a function mapped over many items, in order.

The cohort commands read every save of a cohort, and reading one is nearly all parsing its
TOML and checking what it holds, each save alone. `ordered_map` gives that work to a pool of
worker processes, one per core, in batches, and gives the results back in the items' order,
as the plain `map` would, taking the items as it needs them (a cohort's list of saves is never
all in memory). A few items are mapped here: a pool's start costs more than it saves.

The workers are forked from this process, so they have the function as it is (with what it
closes over: the command's options, the modules already read) without pickling it; only the
items and the results pass between processes. Forking copies a running thread's locks in
whatever state they are, so a process that runs other threads maps here, alone; so does a
platform without fork, and `TRAINER_JOBS=1`. If a worker dies (out of memory, a signal), what
it and the others had not given back is mapped here. Workers ignore Ctrl+C: this process gets
it, stops the pool and says so, as it would without one.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from trainer.errors import UsageError

JOBS_VARIABLE = "TRAINER_JOBS"
"""The environment variable that sets how many processes do the work (1: this one alone)."""
MOST_JOBS = 8
"""The most workers started, however many cores: reading saves is bound by the disk beyond."""

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")

_function: Callable[[Any], Any] | None = None
"""The function being mapped, set before the workers are forked, so that they have it."""


def jobs() -> int:
    """How many processes should do the work: `TRAINER_JOBS` if set, else the cores this
    process may run on (at most `MOST_JOBS`).

    Raises:
        UsageError: `TRAINER_JOBS` is set to anything but a whole number from 1.
    """
    given = os.environ.get(JOBS_VARIABLE, "").strip()
    if given:
        if not (given.isascii() and given.isdecimal()) or int(given) < 1:
            raise UsageError(
                f"trainer: {JOBS_VARIABLE} is {given!r}; it must be a whole number from 1"
            )
        return int(given)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not every platform can tell
        cores = os.cpu_count() or 1
    return max(1, min(cores, MOST_JOBS))


def ordered_map(
    function: Callable[[_Item], _Result],
    items: Iterable[_Item],
    *,
    batch: int,
    at_least: int,
    workers: int | None = None,
) -> Iterator[_Result]:
    """`map(function, items)`, done by `workers` processes (`jobs()` unless given) `batch`
    items a task, where there are at least `at_least` items and workers can be forked. At
    most two batches per worker are done ahead of what the caller has taken.

    `function` must change nothing outside its result (in a worker, a change is lost), and
    its items and results must pickle.

    Raises:
        UsageError: as `jobs`.
        Whatever `function` raises, from a worker as here.
    """
    workers = jobs() if workers is None else workers
    items = iter(items)
    first = list(itertools.islice(items, at_least))
    every = itertools.chain(first, items)
    if workers < 2 or not first or len(first) < at_least or not _can_fork():
        return map(function, every)
    return _in_pool(function, every, batch, workers)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _in_pool(
    function: Callable[[_Item], _Result], items: Iterator[_Item], size: int, workers: int
) -> Iterator[_Result]:
    global _function
    batches = iter(lambda: list(itertools.islice(items, size)), [])
    # Each batch given out, with its task; None where the pool was found broken as it was
    # given (a worker died meanwhile): that batch and every one after it are mapped here.
    pending: deque[tuple[list[_Item], Future[list[_Result]] | None]] = deque()
    _function = function
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_interrupts
    )
    try:
        for batch in itertools.islice(batches, 2 * workers):
            pending.append((batch, _submit(pool, batch)))
        while pending:
            batch, task = pending[0]
            try:
                if task is None:
                    raise BrokenProcessPool("a worker died")
                done = task.result()
            except BrokenProcessPool:
                left = itertools.chain((batch for batch, _ in pending), batches)
                yield from map(function, itertools.chain.from_iterable(left))
                return
            pending.popleft()
            for batch in itertools.islice(batches, 1):
                pending.append((batch, _submit(pool, batch)))
            yield from done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _function = None


def _submit(pool: ProcessPoolExecutor, batch: list[Any]) -> Future[list[Any]] | None:
    """A batch given to the pool; None if the pool is broken (a worker has died)."""
    try:
        return pool.submit(_map_batch, batch)
    except BrokenProcessPool:
        return None


def _map_batch(batch: list[Any]) -> list[Any]:
    """A worker's task: the function forked with it, over one batch."""
    assert _function is not None
    return [_function(item) for item in batch]


def _ignore_interrupts() -> None:
    """Ctrl+C is for the command, which stops the pool: a worker would print a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
