"""Growth: the cohort commands on ten times the saves should take about ten times as long and
little more memory.

    .venv/bin/python -m benchmarks.growth            10,000 and 100,000 learners' saves
    .venv/bin/python -m benchmarks.growth --quick    200 and 2,000

`progress`, `export` (csv, json, xapi) and `report` each run as a fresh process on a small
and a big saves folder, interleaved (three times with --quick, once at full size, or
--runs); each run's wall time and peak memory (the child's own maximum resident set size,
from `os.wait4`, in a small Python that starts it: see `Spawner`) is kept. A row gives the
time per save on the big folder against the small one (1.0 is linear, budget 1.25) and the
big folder's peak memory against the small one's (budget 1.5). Generating 100,000 saves
takes about 10 s and 1 GB of disk in the temporary folder; the whole run about 10 minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.generate import random_answers
from trainer.engine import Module, PlayThrough
from trainer.engine.autoplay import play
from trainer.engine.playthrough import format_time
from trainer.saves import Attempt, LearnerInfo, ModuleInfo, SaveFile

PYTHON = sys.executable
TRAINER = [PYTHON, "-m", "trainer"]
MEMORY_BUDGET = 1.5
"""Peak memory on ten times the saves, against the small folder's."""
TIME_BUDGET = 1.25
"""Time per save on the big folder against the small one's: linear is 1.0."""
TEMPLATES = 50
"""Distinct play-throughs the generated saves are variants of."""
COHORTS = 8


@dataclass
class Run:
    seconds: float
    max_rss_kb: int


@dataclass
class GrowthRow:
    name: str
    small: int
    big: int
    small_runs: list[Run]
    big_runs: list[Run]

    @property
    def small_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.small_runs)

    @property
    def big_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.big_runs)

    @property
    def small_mb(self) -> float:
        return statistics.median(r.max_rss_kb for r in self.small_runs) / 1024

    @property
    def big_mb(self) -> float:
        return statistics.median(r.max_rss_kb for r in self.big_runs) / 1024

    @property
    def time_ratio(self) -> float:
        """Time per save, big against small: 1.0 is linear."""
        return (self.big_seconds / self.small_seconds) / (self.big / self.small)

    @property
    def memory_ratio(self) -> float:
        return self.big_mb / self.small_mb

    @property
    def ok(self) -> bool:
        return self.memory_ratio <= MEMORY_BUDGET and self.time_ratio <= TIME_BUDGET


def write_many_saves(folder: Path, learners: int, seed: int = 1) -> None:
    """`learners` valid saves of a generated 5-stage module, quickly: a few play-throughs are
    written by the app's own format (`benchmarks.generate.write_saves`), and each learner's
    save is one of them with its own id, name, cohort, registration and day, written plainly
    (no fsync: these are inputs, not saves a learner could lose)."""
    from benchmarks.generate import module_text
    from trainer.content import load_module
    from trainer.saves import read_save

    with tempfile.TemporaryDirectory() as scratch:
        module_path = Path(scratch) / "growth-module.toml"
        module_path.write_text(module_text(5), encoding="utf-8")
        module = load_module(module_path)
    rng = random.Random(seed)
    templates = [save_text(module, n, rng) for n in range(TEMPLATES)]
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(learners):
        t = n % TEMPLATES
        text = (
            templates[t]
            .replace(f'id = "learner-{t:05d}"', f'id = "learner-{n:06d}"', 1)
            .replace(f'name = "Learner {t}"', f'name = "Learner {n}"', 1)
            .replace(f'cohort = "cohort-{t % 4}"', f'cohort = "cohort-{rng.randrange(COHORTS)}"', 1)
            .replace(f"-8000-{t:012d}", f"-8000-{n:012d}")
            .replace("2026-11-01T", f"2026-11-{1 + n % 28:02d}T")
        )
        target = folder / f"learner-{n:06d}"
        target.mkdir(exist_ok=True)
        (target / f"{module.id}.toml").write_text(text, encoding="utf-8")
    for n in {0, TEMPLATES - 1, learners - 1} & set(range(learners)):
        save = read_save(folder / f"learner-{n:06d}" / f"{module.id}.toml")  # raises if not valid
        assert save.learner.id == f"learner-{n:06d}" and save.learner.name == f"Learner {n}"


def save_text(module: Module, n: int, rng: random.Random, cohort: str | None = None) -> str:
    """The text of learner n's save: a play-through of `module` with random answers, as the
    app writes it (in `cohort`, or one of four)."""
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=n)
    moment = [start]

    def clock() -> datetime:
        moment[0] += timedelta(seconds=37)
        return moment[0]

    pt = play(PlayThrough(module, clock=clock), random_answers(rng))
    attempt = Attempt(1, f"00000000-0000-4000-8000-{n:012d}", format_time(start))
    attempt.update_from(pt, format_time(moment[0]))
    learner = LearnerInfo(f"learner-{n:05d}", f"Learner {n}", cohort or f"cohort-{n % 4}")
    return SaveFile(learner, ModuleInfo.of(module), [attempt]).dumps()


SPAWNER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    argv = json.loads(line)
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(argv, stdout=devnull, stderr=subprocess.PIPE)
        errors = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    tail = errors.decode(errors="replace")[-2000:]
    print(json.dumps([elapsed, usage.ru_maxrss, process.returncode, tail]), flush=True)
"""


class Spawner:
    """Runs each measured command from a small Python of its own, which times it and takes
    its peak memory from `os.wait4`: a process's peak as the kernel reports it counts the
    pages of the process it was started from, until it runs the command, and this
    benchmark holds some 35 MB once it has written the saves (every command then read
    as 34.9 MB)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-c", SPAWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, argv: Sequence[str]) -> Run:
        """Wall time and peak resident memory (kB) of one fresh process, its output thrown
        away."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(list(argv)) + "\n")
        self.process.stdin.flush()
        elapsed, max_rss, returncode, errors = json.loads(self.process.stdout.readline())
        if returncode != 0:
            raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{errors}")
        # ru_maxrss is in kilobytes on Linux, bytes on macOS.
        return Run(elapsed, max_rss // 1024 if sys.platform == "darwin" else max_rss)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def commands(saves: Path, out: Path) -> dict[str, list[str]]:
    folder = ["--saves", str(saves)]
    return {
        "progress": [*TRAINER, "progress", *folder],
        "export csv": [*TRAINER, "export", "--format", "csv", *folder, "-o", str(out / "x.csv")],
        "export json": [*TRAINER, "export", "--format", "json", *folder, "-o", str(out / "x.json")],
        "export xapi": [*TRAINER, "export", "--format", "xapi", *folder, "-o", str(out / "x.xapi")],
        "report": [*TRAINER, "report", *folder, "-o", str(out / "r.html")],
    }


def bench_growth(
    tmp: Path, quick: bool, runs: int | None = None, only: Sequence[str] = ()
) -> list[GrowthRow]:
    """Each cohort command on `small` and `big` learners' saves (200 and 2,000 quick, else
    10,000 and 100,000), interleaved, `runs` times each; the folders are removed after."""
    small, big = (200, 2_000) if quick else (10_000, 100_000)
    runs = runs or (3 if quick else 1)  # a run on 100,000 saves takes a minute or two
    small_saves, big_saves = tmp / f"growth-{small}", tmp / f"growth-{big}"
    out = tmp / "growth-out"
    out.mkdir(exist_ok=True)
    spawner = Spawner()
    try:
        write_many_saves(small_saves, small)
        write_many_saves(big_saves, big)
        small_commands, big_commands = commands(small_saves, out), commands(big_saves, out)
        rows = []
        for name in small_commands:
            if only and name not in only:
                continue
            row = GrowthRow(name, small, big, [], [])
            for _ in range(runs):
                row.small_runs.append(spawner.run(small_commands[name]))
                row.big_runs.append(spawner.run(big_commands[name]))
            rows.append(row)
        return rows
    finally:
        spawner.close()
        shutil.rmtree(small_saves, ignore_errors=True)
        shutil.rmtree(big_saves, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)


def table(rows: Sequence[GrowthRow]) -> str:
    if not rows:
        return ""
    small, big = rows[0].small, rows[0].big
    header = (
        f"{'command':12} {f'{small} s':>9} {f'{big} s':>9} {'time/save':>9}"
        f" {f'{small} MB':>9} {f'{big} MB':>9} {'memory':>7} {'budget':>13}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.name:12} {row.small_seconds:9.2f} {row.big_seconds:9.2f} {row.time_ratio:9.2f}"
            f" {row.small_mb:9.1f} {row.big_mb:9.1f} {row.memory_ratio:7.2f}"
            f" {TIME_BUDGET:4.2f}/{MEMORY_BUDGET:3.1f}x {'pass' if row.ok else 'OVER'}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 and 2,000 saves")
    parser.add_argument("--runs", type=int, help="runs of each command on each folder")
    parser.add_argument("--check", action="store_true", help="exit 1 when over a budget")
    parser.add_argument("commands", nargs="*", help="only these (progress, 'export csv', ...)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        rows = bench_growth(Path(folder), args.quick, args.runs, args.commands)
    print(table(rows))
    return 1 if args.check and not all(row.ok for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
