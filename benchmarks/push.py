"""`trainer push` to a real LRS against a plain client posting the same statements.

    .venv/bin/python -m benchmarks.push              10,000 learners (about half an hour)
    .venv/bin/python -m benchmarks.push --quick      100 learners
    .venv/bin/python -m benchmarks.push --learners 2000 --runs 5

Ours: `trainer push` in a fresh process, through its command line, with a fresh
outbox, reading the cohort's saves, on a terminal (a pseudo-terminal of 80 by 24,
its output read as a terminal would), so its progress bar is drawn and counted
(`--no-terminal`: on pipes, no bar). The floor: a fresh Python process that reads
the same statements from a file (written beforehand by `trainer export --format
xapi`, so it does not pay for building them) and POSTs them with httpx, one
client, one kept-alive connection, in batches of 500. Each run of either side
gets a fresh Ralph (file backend, its own folders) on 127.0.0.1, started before
the clock starts; the runs alternate which side goes first.

Beside the wall times, each side's processor time (user and system, its own
process alone, not Ralph's) says what the client itself costs, which the time
spent waiting on Ralph hides.

A run is one floor and one of ours, back to back; its ratio is ours over that
floor. The report gives each side's minimum, median and maximum with the ratio
of each, every run's ratio with the load average before it, and `--check` fails
when any run is over the budget, not only the median: a push that is slow one
time in three is slow for the facilitator who meets it.

Ralph's file backend reads every statement it holds on each POST (to find ids it
already has), so its time grows with the square of the statements sent divided
by the batch size: the number of requests matters far more than anything a client
does per statement.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.lrs.real_lrs import PASSWORD, RALPH_PYTHON, USER, Ralph

if TYPE_CHECKING:
    from benchmarks.run import Result

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BUDGET = 1.2
FLOOR_BATCH = 500
PASSWORD_VARIABLE = "BENCH_LRS_PASSWORD"

FLOOR = """
import json, os, sys
import httpx

url, path, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "rb") as handle:
    statements = json.load(handle)
auth = (os.environ["BENCH_LRS_USER"], os.environ["BENCH_LRS_PASSWORD"])
headers = {"X-Experience-API-Version": "1.0.3"}
with httpx.Client(auth=auth, headers=headers, timeout=600) as client:
    for start in range(0, len(statements), size):
        reply = client.post(url + "statements", json=statements[start : start + size])
        if reply.status_code != 200:
            sys.exit(f"the LRS answered {reply.status_code}: {reply.text[:300]}")
print(len(statements))
"""


def make_cohort(tmp: Path, learners: int) -> tuple[Path, Path, int]:
    """The saves of `learners` learners (each a play-through of a generated 5-stage module),
    and the statements `trainer push` will send for them as one compact JSON array; returns
    the saves folder, the statements file and how many statements it holds."""
    from benchmarks.generate import module_text, write_saves
    from trainer.content import load_module

    module_path = tmp / "push-module.toml"
    module_path.write_text(module_text(5), encoding="utf-8")
    saves = tmp / "push-saves"
    write_saves(load_module(module_path), saves, learners)
    exported = tmp / "push-statements-indented.json"
    _run(
        [
            *[PYTHON, "-m", "trainer", "export", "--format", "xapi", "--all-attempts"],
            *["--saves", str(saves), "-o", str(exported)],
        ],
        os.environ,
    )
    statements = json.loads(exported.read_text(encoding="utf-8"))
    exported.unlink()
    compact = tmp / "push-statements.json"
    compact.write_text(json.dumps(statements, ensure_ascii=False), encoding="utf-8")
    return saves, compact, len(statements)


def _environment(tmp: Path) -> dict[str, str]:
    """The environment both sides run in: no proxy (the LRS is on 127.0.0.1), this checkout's
    package first, and a data folder (so an outbox) of their own."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["XDG_DATA_HOME"] = str(tmp / "data")
    env["BENCH_LRS_USER"] = USER
    env[PASSWORD_VARIABLE] = PASSWORD
    env.pop("TRAINER_PUSH_DEADLINE", None)
    return env


def _run(argv: list[str], env: Mapping[str, str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{done.stderr[-2000:]}")
    return done.stdout


@dataclass
class Run:
    """One side's run: wall seconds, the processor seconds of its own process, and what it
    printed (on a terminal: everything it drew, control sequences included)."""

    wall: float
    cpu: float
    out: str


def _timed(argv: list[str], env: Mapping[str, str], terminal: bool) -> Run:
    """Run `argv` in a fresh process, on a pseudo-terminal or on pipes; its wall time from
    start to exit and its own user and system time (os.wait4: this process, not Ralph)."""
    if terminal:
        import fcntl
        import pty
        import struct
        import termios

        reader, writer = pty.openpty()
        fcntl.ioctl(writer, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**env, "TERM": "xterm-256color"}
        for name in ("COLUMNS", "LINES", "NO_COLOR"):
            env.pop(name, None)
        streams: dict[str, Any] = {"stdin": writer, "stdout": writer, "stderr": writer}
    else:
        streams = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT}
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=ROOT, start_new_session=True, **streams)
    chunks: list[bytes] = []
    if terminal:
        os.close(writer)
        while True:  # drained as a terminal would be, so drawing never waits on a full buffer
            try:
                data = os.read(reader, 65536)
            except OSError:  # EIO: the process has closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        os.close(reader)
    else:
        assert process.stdout is not None
        chunks.append(process.stdout.read())
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    out = b"".join(chunks).decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{out[-2000:]}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, out)


def _one_run(
    tmp: Path, side: str, saves: Path, statements: Path, count: int, terminal: bool
) -> Run:
    """Start a fresh Ralph, time one side sending the cohort to it, stop it."""
    folder = Path(tempfile.mkdtemp(prefix=f"push-{side}-", dir=tmp))
    server = Ralph(folder / "ralph")
    server.start()
    try:
        env = _environment(folder)
        if side == "ours":
            argv = [
                *[PYTHON, "-m", "trainer", "push", "--lrs", server.url, "--user", USER],
                *["--password-env", PASSWORD_VARIABLE, "--saves", str(saves)],
            ]
            expected = f"sent {count}, already stored 0, refused 0, queued 0"
            run = _timed(argv, env, terminal)
        else:
            argv = [PYTHON, "-c", FLOOR, server.url, str(statements), str(FLOOR_BATCH)]
            expected = str(count)
            run = _timed(argv, env, False)
        if expected not in run.out:
            raise SystemExit(f"benchmark {side} did not send all {count} statements: {run.out!r}")
        return run
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Pair:
    """One run: the floor and ours back to back, each against a fresh Ralph, and the load
    average (one minute) just before."""

    floor: Run
    ours: Run
    load: float

    @property
    def ratio(self) -> float:
        return self.ours.wall / self.floor.wall


def measure_push(
    tmp: Path, learners: int, runs: int, terminal: bool = True
) -> tuple[Result, int, list[Pair]]:
    """Both sides `runs` times each, interleaved (which goes first alternates); the result
    (wall times), the number of statements, and the runs."""
    from benchmarks.run import Result

    if not RALPH_PYTHON.exists():
        raise SystemExit("Ralph is not installed: run bash scripts/setup-ralph")
    terminal = terminal and _has_terminals()
    saves, statements, count = make_cohort(tmp, learners)
    # Read each side's code from disk once before timing (the floor's httpx most of all).
    _run([PYTHON, "-c", "import httpx, json"], _environment(tmp))
    _run([PYTHON, "-m", "trainer", "push", "--help"], _environment(tmp))
    pairs: list[Pair] = []
    for n in range(runs):
        load = os.getloadavg()[0]
        done: dict[str, Run] = {}
        for side in ("floor", "ours") if n % 2 == 0 else ("ours", "floor"):
            done[side] = _one_run(tmp, side, saves, statements, count, terminal)
        pairs.append(Pair(done["floor"], done["ours"], load))
    where = "on a terminal" if terminal else "on pipes"
    result = Result(
        f"push to Ralph, {learners} learners, {where}",
        [pair.ours.wall for pair in pairs],
        [pair.floor.wall for pair in pairs],
        BUDGET,
    )
    return result, count, pairs


def _has_terminals() -> bool:
    try:
        import pty  # noqa: F401
    except ImportError:  # pragma: no cover - not POSIX
        return False
    return hasattr(os, "wait4")


def bench_push(tmp: Path, quick: bool, runs: int | None = None) -> Result:
    """`trainer push` of 10,000 learners (100 with `quick`) against the plain client."""
    learners = 100 if quick else 10_000
    result, _, _ = measure_push(tmp, learners, runs or 3)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 learners")
    parser.add_argument("--learners", type=int, help="how many learners (default 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each side (default 3)")
    parser.add_argument(
        "--no-terminal", action="store_true", help="run ours on pipes (no progress bar)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when any run is over")
    args = parser.parse_args(argv)
    learners = args.learners or (100 if args.quick else 10_000)
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-push-") as folder:
        result, count, pairs = measure_push(Path(folder), learners, args.runs, not args.no_terminal)
    print(f"load average after:  {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"{result.name}: {count} statements, floor in batches of {FLOOR_BATCH}")
    over = report(pairs, result.budget)
    return 1 if args.check and over else 0


def report(pairs: list[Pair], budget: float) -> bool:
    """Print the spread of the runs and each run's ratio; whether any run is over budget."""
    spread = {}
    for side in ("ours", "floor"):
        runs = [getattr(pair, side) for pair in pairs]
        walls = [run.wall for run in runs]
        spread[side] = (min(walls), statistics.median(walls), max(walls))
        cpu = statistics.median(run.cpu for run in runs)
        low, middle, high = spread[side]
        print(
            f"  {side:5} min {low:8.2f} s  median {middle:8.2f} s  max {high:8.2f} s  "
            f"processor {cpu:6.2f} s"
        )
    low, middle, high = (ours / floor for ours, floor in zip(*spread.values(), strict=True))
    print(f"  ratio {middle:.2f} median, {low:.2f} min, {high:.2f} max (ours / floor)")
    for number, pair in enumerate(pairs, 1):
        print(
            f"  run {number}: floor {pair.floor.wall:8.2f} s  ours {pair.ours.wall:8.2f} s  "
            f"ratio {pair.ratio:.2f}  (load {pair.load:.2f} before)"
        )
    worst = max(pairs, key=lambda pair: pair.ratio)
    over = worst.ratio > budget
    print(
        f"  every run within {budget:.1f}x: {'OVER' if over else 'pass'} "
        f"(largest {worst.ratio:.2f}, run {pairs.index(worst) + 1} of {len(pairs)})"
    )
    return over


if __name__ == "__main__":
    sys.exit(main())
