"""`trainer.cores.ordered_map`: the plain `map`'s results, in order, from worker processes;
the same where it cannot use them; and what a worker's failure or death leaves.

Where a pool must start, the test runs in a fresh process: this one may run threads left by
other tests, and a process with threads maps alone (the rule the last tests here check)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from trainer import cores
from trainer.errors import UsageError

PARENT = os.getpid()
ROOT = Path(__file__).resolve().parent.parent


def square(number: int) -> tuple[int, int]:
    return number, number * number


def fails_at_500(number: int) -> int:
    if number == 500:
        raise ValueError("item 500 is not wanted")
    return number


def dies_in_a_worker(number: int) -> int:
    """Kills the worker it runs in at item 123 (as the kernel's OOM killer would); in the
    process that imported this module, it is a plain function."""
    if number == 123 and os.getpid() != PARENT:
        os._exit(9)
    return number + 1


PRELUDE = """
from trainer import cores
from tests.test_cores import dies_in_a_worker, fails_at_500, square

started = []
real = cores._in_pool

def counted(function, items, size, workers):
    started.append(workers)
    return real(function, items, size, workers)

cores._in_pool = counted
"""


def in_a_fresh_process(code: str) -> None:
    """Run `code` (its asserts) after `PRELUDE` in a fresh Python with no other thread."""
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def pools(monkeypatch) -> list[int]:
    """How many pools were started (each with its worker count): the real `_in_pool`, counted."""
    started: list[int] = []
    real = cores._in_pool

    def counted(function, items, size, workers):
        started.append(workers)
        return real(function, items, size, workers)

    monkeypatch.setattr(cores, "_in_pool", counted)
    return started


def test_the_results_are_maps_in_order_from_workers():
    in_a_fresh_process(
        "results = list(cores.ordered_map(square, range(1000), batch=7, at_least=10, workers=2))\n"
        "assert results == [square(n) for n in range(1000)]\n"
        "assert started == [2]\n"
    )


def test_few_items_are_mapped_here(pools):
    assert list(cores.ordered_map(square, range(9), batch=2, at_least=10, workers=2)) == [
        square(n) for n in range(9)
    ]
    assert list(cores.ordered_map(square, iter([]), batch=2, at_least=0, workers=2)) == []
    assert pools == []


def test_one_job_maps_here(pools, monkeypatch):
    monkeypatch.setenv(cores.JOBS_VARIABLE, "1")
    assert list(cores.ordered_map(square, range(50), batch=2, at_least=1)) == [
        square(n) for n in range(50)
    ]
    assert pools == []


def test_a_process_running_threads_maps_here(pools):
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        results = list(cores.ordered_map(square, range(100), batch=3, at_least=1, workers=2))
    finally:
        release.set()
        waiting.join()
    assert results == [square(n) for n in range(100)]
    assert pools == []


def test_what_a_worker_raises_is_raised_here():
    in_a_fresh_process(
        "try:\n"
        "    list(cores.ordered_map(fails_at_500, range(1000), batch=10, at_least=1, workers=2))\n"
        "except ValueError as error:\n"
        "    assert 'item 500' in str(error)\n"
        "else:\n"
        "    raise AssertionError('nothing was raised')\n"
        "assert started == [2]\n"
    )


def test_what_a_dead_worker_left_is_mapped_here():
    in_a_fresh_process(
        "results = list(\n"
        "    cores.ordered_map(dies_in_a_worker, range(600), batch=10, at_least=1, workers=2)\n"
        ")\n"
        "assert results == [n + 1 for n in range(600)]\n"
        "assert started == [2]\n"
    )


def test_a_batch_given_to_a_pool_already_broken_is_left_to_be_mapped_here():
    """A worker can die between two results: the next batch given out then finds the pool
    broken, and is mapped here with the rest rather than lost (or raised)."""
    in_a_fresh_process(
        "import multiprocessing, os\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('fork'))\n"
        "try:\n"
        "    pool.submit(os._exit, 9).result()\n"
        "except Exception:\n"
        "    pass\n"
        "assert cores._submit(pool, [1, 2]) is None\n"
        "pool.shutdown()\n"
    )


def test_a_caller_that_stops_early_stops_the_pool():
    in_a_fresh_process(
        "import multiprocessing\n"
        "mapped = cores.ordered_map(square, range(10_000), batch=5, at_least=1, workers=2)\n"
        "assert next(mapped) == square(0)\n"
        "assert len(multiprocessing.active_children()) == 2\n"
        "mapped.close()  # the pool is shut down as the generator closes\n"
        "assert started == [2]\n"
        "assert cores._function is None\n"
        "assert multiprocessing.active_children() == []\n"
    )


@pytest.mark.parametrize("given", ["0", "-1", "two", "1.5", "\u0663"])
def test_trainer_jobs_must_be_a_whole_number_from_one(monkeypatch, given):
    monkeypatch.setenv(cores.JOBS_VARIABLE, given)
    with pytest.raises(UsageError, match="TRAINER_JOBS .* whole number from 1"):
        cores.jobs()


def test_trainer_jobs_sets_the_workers_and_the_cores_do_otherwise(monkeypatch):
    monkeypatch.setenv(cores.JOBS_VARIABLE, " 3 ")
    assert cores.jobs() == 3
    monkeypatch.delenv(cores.JOBS_VARIABLE)
    assert 1 <= cores.jobs() <= cores.MOST_JOBS
