"""Benchmarks: each measure against a floor measured in the same run, on the same machine.

    .venv/bin/python -m benchmarks.run            full sizes (about ten minutes)
    .venv/bin/python -m benchmarks.run --quick    small sizes, as the test suite runs it
    .venv/bin/python -m benchmarks.run --check    exit 1 when a measure is over its budget
    .venv/bin/python -m benchmarks.run --parsing  validate and export only

Every measure runs our command and its floor as separate fresh processes, interleaved,
several times each (nine at full size), and prints min and median wall time, the ratio of
the medians and the budget: validating a 2,000-stage module of each format and the largest
shipped module, and exporting 10,000 learners' saves (of a format 3 module) to CSV against
`tomli`, the parser the project uses, parsing the same files in a fresh Python (the export
as a user runs it, its saves read on every core, and for reference with no budget in one
process, `TRAINER_JOBS=1`); the first frame of the preview, the sign-in and a learner's
first play against a bare Textual app (`benchmarks.frame`: headless, time to exit and peak
memory; and on a pseudo-terminal, time to the first frame in its output); and the key that
confirms an answer against a bare app's redraw (`benchmarks.keys`).

Every benchmark is a script, its budgets in its docstring, most with `--quick` and
`--check`; the test suite runs each at a small size (`tests/test_benchmarks.py`,
`tests/test_soak.py`), checking no timing:

    benchmarks.run       validate, export, first frame, keys (this script)
    benchmarks.frame     first frame only, headless and in a terminal; --profile
    benchmarks.keys      one play-through's key latencies, as JSON (used by this script)
    benchmarks.growth    the cohort commands on 10,000 and 100,000 saves
    benchmarks.push      trainer push to a fresh Ralph against a plain client
    benchmarks.serve     trainer serve against textual-serve serving a bare app, in Chromium
    benchmarks.seminar   a 300-learner room: the seminar's idle cost, a new save to the screen
    benchmarks.soak      the long attack run (fuzzed modules and saves, SIGKILL mid-play)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.frame import bench_first_frames, bench_in_terminal, terminal_table
from benchmarks.frame import table as frame_table
from benchmarks.generate import module_text, write_saves
from trainer.paths import shipped_modules_dir

PYTHON = sys.executable
TRAINER = [PYTHON, "-m", "trainer"]
LARGEST_MODULE = "peter-connelly-haringey.toml"

TOML_PARSE = """
import sys, tomli
from pathlib import Path
for arg in sys.argv[1:]:
    for path in sorted(Path(arg).rglob("*.toml")) if Path(arg).is_dir() else [Path(arg)]:
        with open(path, "rb") as handle:
            tomli.load(handle)
"""


FULL = (9, 2000, 10_000, LARGEST_MODULE, 3)
"""Runs of each measure, the validated module's stages, the exported learners, the module
played by keys and its plays."""
QUICK = (3, 50, 50, "tutorial-riverside.toml", 1)


@dataclass
class Result:
    name: str
    ours: list[float]
    floor: list[float]
    budget: float

    @property
    def ratio(self) -> float:
        return statistics.median(self.ours) / statistics.median(self.floor)


def timed(argv: Sequence[str], runs: int, env: dict[str, str] | None = None) -> list[float]:
    """Wall times of a fresh process, `runs` times (after one warm-up run)."""
    times = []
    for n in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{done.stderr[-2000:]}")
        if n:
            times.append(elapsed)
    return times


def measure(
    name: str,
    ours: Sequence[str],
    floor: Sequence[str],
    budget: float,
    runs: int,
    env: dict[str, str] | None = None,
) -> Result:
    # Interleave so that a noisy neighbour hurts both sides alike.
    ours_times: list[float] = []
    floor_times: list[float] = []
    for _ in range(runs):
        floor_times += timed(floor, 1)
        ours_times += timed(ours, 1, env)
    return Result(name, ours_times, floor_times, budget)


def validate_file(name: str, path: Path, runs: int) -> Result:
    """`trainer validate FILE` against tomli parsing FILE, each in a fresh process."""
    return measure(
        name, [*TRAINER, "validate", str(path)], [PYTHON, "-c", TOML_PARSE, str(path)], 1.3, runs
    )


def bench_validate(tmp: Path, stages: int, runs: int, format: int) -> Result:
    path = tmp / f"bench-format-{format}.toml"
    path.write_text(module_text(stages, format), encoding="utf-8")
    return validate_file(f"validate, {stages}-stage module, format {format}", path, runs)


def bench_validate_shipped(runs: int, name: str = LARGEST_MODULE) -> Result:
    """Validating a module of the size facilitators write (the largest shipped one), where
    the start-up of a fresh process, not the parse, is most of the time on both sides."""
    path = shipped_modules_dir() / name
    return validate_file(f"validate, {name.removesuffix('.toml')}", path, runs)


def bench_export(tmp: Path, learners: int, runs: int) -> list[Result]:
    """Export against tomli: as a user runs it (the saves read on every core), and, for
    reference, with no budget, read in one process (`TRAINER_JOBS=1`)."""
    from trainer.content import load_module

    module_path = tmp / "export-module.toml"
    # Format 3, with its case file: the saves name the module's newest format.
    module_path.write_text(module_text(5, 3), encoding="utf-8")
    saves = tmp / "saves"
    write_saves(load_module(module_path), saves, learners)
    ours = [*TRAINER, "export", "--format", "csv", "--saves", str(saves), "-o", str(tmp / "x.csv")]
    floor = [PYTHON, "-c", TOML_PARSE, str(saves)]
    one = {**os.environ, "TRAINER_JOBS": "1"}
    return [
        measure(f"export csv, {learners} learners", ours, floor, 1.2, runs),
        measure(f"export csv, {learners}, one process", ours, floor, math.inf, runs, one),
    ]


@dataclass
class KeyResult:
    """Latencies in ms of confirming keys (ours) and of bare redraws (floor), compared by the
    differences of their medians and of their 95th percentiles."""

    name: str
    ours: list[float]
    floor: list[float]
    budget_median: float = 50.0
    budget_p95: float = 100.0

    @property
    def differences(self) -> tuple[float, float]:
        return (
            statistics.median(self.ours) - statistics.median(self.floor),
            p95(self.ours) - p95(self.floor),
        )

    @property
    def ok(self) -> bool:
        median, tail = self.differences
        return median <= self.budget_median and tail <= self.budget_p95


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def latencies(argv: Sequence[str]) -> dict[str, list[float]]:
    """`benchmarks.keys`'s latencies: `drawn` (key to the frame showing its result) and
    `idle` (key to the app having nothing left to do), in ms."""
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{done.stderr[-2000:]}")
    values: dict[str, list[float]] = json.loads(done.stdout)
    return values


def bench_keys(module: Path, plays: int) -> list[KeyResult]:
    """Whole play-throughs of `module` by keys against a bare app redrawing on as many keys,
    interleaved, each in a fresh process: key to the frame drawn (the budget), and key to
    idle (shown for reference: it adds the test pilot's waiting and the work after a frame)."""
    ours: dict[str, list[float]] = {"drawn": [], "idle": []}
    floor: dict[str, list[float]] = {"drawn": [], "idle": []}
    for _ in range(plays):
        played = latencies([PYTHON, "-m", "benchmarks.keys", "ours", str(module)])
        presses = str(max(20, len(played["drawn"])))
        bare = latencies([PYTHON, "-m", "benchmarks.keys", "floor", presses])
        for kind in ours:
            ours[kind] += played[kind]
            floor[kind] += bare[kind]
    name = f"key to feedback, {module.stem}"
    return [
        KeyResult(f"{name}, drawn", ours["drawn"], floor["drawn"]),
        KeyResult(f"{name}, idle", ours["idle"], floor["idle"], math.inf, math.inf),
    ]


def parsing_table(rows: Sequence[Result]) -> tuple[str, int]:
    """The validate and export rows, and how many are over budget."""
    header = (
        f"{'measure':36} {'ours min/med s':>16} {'floor min/med s':>16} {'ratio':>6} {'budget':>7}"
    )
    lines = [header, "-" * len(header)]
    over = 0
    for row in rows:
        ok = row.ratio <= row.budget
        over += not ok
        budget = f"{row.budget:6.2f}x {'pass' if ok else 'OVER'}"
        lines.append(
            f"{row.name:36} {min(row.ours):7.3f}/{statistics.median(row.ours):<8.3f}"
            f" {min(row.floor):7.3f}/{statistics.median(row.floor):<8.3f}"
            f" {row.ratio:6.2f} {budget if math.isfinite(row.budget) else '  (none)'}"
        )
    return "\n".join(lines), over


def keys_table(keys: Sequence[KeyResult]) -> tuple[str, int]:
    """The key rows, and how many are over budget."""
    header = (
        f"{'measure (ms)':44} {'ours med/p95':>16} {'floor med/p95':>16}"
        f" {'+med/p95':>13} {'budget':>7}"
    )
    lines = [header, "-" * len(header)]
    for key in keys:
        median, tail = key.differences
        budget = (
            f"{key.budget_median:3.0f}/{key.budget_p95:3.0f} {'pass' if key.ok else 'OVER'}"
            if math.isfinite(key.budget_median)
            else "  (none)"
        )
        lines.append(
            f"{key.name:44} {statistics.median(key.ours):7.1f}/{p95(key.ours):<8.1f}"
            f" {statistics.median(key.floor):7.1f}/{p95(key.floor):<8.1f}"
            f" {median:+6.1f}/{tail:<+6.1f} {budget}  ({len(key.ours)} answers)"
        )
    return "\n".join(lines), sum(not key.ok for key in keys)


def parsing(tmp: Path, sizes: tuple[int, int, int, str, int]) -> tuple[str, int]:
    """Validate (each format) and export against tomli: the table, and how many are over."""
    runs, stages, learners, _, _ = sizes
    rows = [bench_validate(tmp, stages, runs, format) for format in (1, 2, 3)]
    rows.append(bench_validate_shipped(runs))
    rows += bench_export(tmp, learners, runs)
    return parsing_table(rows)


def frames_and_keys(tmp: Path, sizes: tuple[int, int, int, str, int]) -> tuple[str, int]:
    """First frames (headless and in a terminal) and keys: the tables, and how many are over."""
    runs, _, _, module_name, plays = sizes
    frames = bench_first_frames(tmp, runs)
    terminal = bench_in_terminal(tmp, runs)
    keys_text, over = keys_table(bench_keys(shipped_modules_dir() / module_name, plays))
    over += sum(not row.ok for row in frames)
    over += sum(row.ratio > row.budget for row in terminal)
    return "\n\n".join([frame_table(frames), terminal_table(terminal), keys_text]), over


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (CI smoke run)")
    parser.add_argument("--check", action="store_true", help="exit 1 when over a budget")
    parser.add_argument(
        "--parsing", action="store_true", help="validate and export only (no frames, no keys)"
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    parts: list[Callable[[Path, tuple[int, int, int, str, int]], tuple[str, int]]] = [parsing]
    if not args.parsing:
        parts.append(frames_and_keys)
    over = 0
    with tempfile.TemporaryDirectory() as folder:
        tables = []
        for part in parts:
            text, part_over = part(Path(folder), sizes)
            tables.append(text)
            over += part_over
    print("\n\n".join(tables))
    return 1 if (args.check and over) else 0


if __name__ == "__main__":
    sys.exit(main())
