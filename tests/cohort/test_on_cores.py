"""The cohort commands read saves on every core (`select(on_cores=True)`): what they write is
what reading in one process writes, byte for byte, warnings and order included.

Each command runs in a fresh process (this one may run threads, and a process with threads
reads alone), with the cohort's threshold and batch made small so that a few saves are read
by a pool of two workers: the run says on stderr that its pool started."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cohort.test_streaming import copies as copies  # noqa: F401 (a fixture)
from tests.cohort.test_streaming import reference_records
from trainer.cohort.exporters import EXPORTERS
from trainer.cohort.records import Options
from trainer.sanitise import safe

RUN = """
import sys
from trainer import cores
from trainer.cohort import records
from trainer.cli import main

records.AT_LEAST, records.BATCH = 1, 2
real = cores._in_pool

def counted(function, items, size, workers):
    print(f"pool of {workers}", file=sys.stderr)
    return real(function, items, size, workers)

cores._in_pool = counted
raise SystemExit(main(sys.argv[1:]))
"""


def trainer(*argv: str, jobs: str) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh process, its saves read by `jobs` processes (its output
    as written: a CSV's lines end in CRLF)."""
    env = {**os.environ, "TRAINER_JOBS": jobs}
    done = subprocess.run(
        [sys.executable, "-c", RUN, *argv], capture_output=True, env=env, timeout=300
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


def folders(copies: list[Path]) -> list[str]:
    return [arg for folder in copies for arg in ("--saves", str(folder))]


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
@pytest.mark.parametrize("options", [Options(), Options(anonymise=True, all_attempts=True)], ids=repr)
def test_an_export_read_on_cores_is_the_cohorts_export(copies, fmt, options):  # noqa: F811
    argv = ["export", "--format", fmt, *folders(copies)]
    argv += ["--all-attempts", "--anonymise"] if options.anonymise else []
    done = trainer(*argv, jobs="2")
    assert done.returncode == 0, done.stderr
    records, warnings = reference_records(copies, options)
    assert done.stdout == EXPORTERS[fmt](records, options)
    assert done.stderr.splitlines()[0] == "pool of 2"
    assert done.stderr.splitlines()[1:] == [f"trainer: {safe(line)}" for line in warnings]


@pytest.mark.parametrize(
    "command",
    [
        ["progress"],
        ["progress", "--cohort", "autumn"],
        ["report", "--anonymise"],
        ["export", "--format", "xapi", "--module", "format2-sample"],
    ],
    ids=" ".join,
)
def test_each_command_writes_on_cores_what_it_writes_in_one_process(copies, tmp_path, command):  # noqa: F811
    outputs = []
    for jobs in ("1", "2"):
        argv = [*command, *folders(copies)]
        if command[0] == "report":
            argv += ["-o", str(tmp_path / "report.html")]
        done = trainer(*argv, jobs=jobs)
        assert done.returncode == 0, done.stderr
        written = done.stdout
        if command[0] == "report":
            written = (tmp_path / "report.html").read_text(encoding="utf-8")
            written = re.sub(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", "Generated (when)", written)
        outputs.append((written, done.stderr.replace("pool of 2\n", "", 1)))
        assert ("pool of 2" in done.stderr) == (jobs == "2")
    assert outputs[0] == outputs[1]
    assert outputs[0][0]


def test_trainer_jobs_that_is_no_number_is_one_line(copies):  # noqa: F811
    done = trainer("export", "--format", "csv", *folders(copies), jobs="lots")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "trainer: TRAINER_JOBS is 'lots'; it must be a whole number from 1\n"


def test_ctrl_c_stops_the_workers_and_says_so_in_one_line(tmp_path, copies):  # noqa: F811
    """Ctrl+C while a pool reads: one line, exit 130, no worker left, no traceback from one,
    and no export written (it is written whole or not at all)."""
    import psutil

    one = next(copies[0].glob("*/tutorial-riverside.toml")).read_text(encoding="utf-8")
    saves = tmp_path / "many"
    for number in range(6000):
        learner = saves / f"learner-{number:05d}"
        learner.mkdir(parents=True)
        text = re.sub(r'^id = ".*"', f'id = "learner-{number:05d}"', one, count=1, flags=re.M)
        (learner / "tutorial-riverside.toml").write_text(text, encoding="utf-8")
    target = tmp_path / "out.csv"
    argv = ["-m", "trainer", "export", "--format", "csv", "--saves", str(saves), "-o", str(target)]
    process = subprocess.Popen(
        [sys.executable, *argv],
        env={**os.environ, "TRAINER_JOBS": "2"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    parent = psutil.Process(process.pid)
    workers: list[psutil.Process] = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
        workers = parent.children()
        time.sleep(0.01)
    assert len(workers) == 2, "the pool's two workers never started"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert (process.returncode, out, err) == (130, b"", b"trainer: interrupted\n")
    gone, alive = psutil.wait_procs(workers, timeout=60)
    assert not alive
    assert not target.exists()
