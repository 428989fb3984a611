"""`trainer push` to a real LRS against a plain client posting the same statements.

    .venv/bin/python -m benchmarks.push              10,000 learners (about half an hour)
    .venv/bin/python -m benchmarks.push --quick      100 learners
    .venv/bin/python -m benchmarks.push --learners 2000 --runs 5

Ours: `trainer push` in a fresh process, through its command line, with a fresh
outbox, reading the cohort's saves. The floor: a fresh Python process that reads
the same statements from a file (written beforehand by `trainer export --format
xapi`, so it does not pay for building them) and POSTs them with httpx, one
client, one kept-alive connection, in batches of 500. Each run of either side
gets a fresh Ralph (file backend, its own folders) on 127.0.0.1, started before
the clock starts; the runs alternate which side goes first.

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
from pathlib import Path
from typing import TYPE_CHECKING

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


def _one_run(tmp: Path, side: str, saves: Path, statements: Path, count: int) -> float:
    """Start a fresh Ralph, time one side sending the cohort to it, stop it; seconds."""
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
        else:
            argv = [PYTHON, "-c", FLOOR, server.url, str(statements), str(FLOOR_BATCH)]
            expected = str(count)
        start = time.perf_counter()
        out = _run(argv, env)
        elapsed = time.perf_counter() - start
        if expected not in out:
            raise SystemExit(f"benchmark {side} did not send all {count} statements: {out!r}")
        return elapsed
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def measure_push(tmp: Path, learners: int, runs: int) -> tuple[Result, int]:
    """Both sides `runs` times each, interleaved; the result and the number of statements."""
    from benchmarks.run import Result

    if not RALPH_PYTHON.exists():
        raise SystemExit("Ralph is not installed: run bash scripts/setup-ralph")
    saves, statements, count = make_cohort(tmp, learners)
    # Read each side's code from disk once before timing (the floor's httpx most of all).
    _run([PYTHON, "-c", "import httpx, json"], _environment(tmp))
    _run([PYTHON, "-m", "trainer", "push", "--help"], _environment(tmp))
    ours: list[float] = []
    floor: list[float] = []
    for n in range(runs):
        for side in ("floor", "ours") if n % 2 == 0 else ("ours", "floor"):
            elapsed = _one_run(tmp, side, saves, statements, count)
            (ours if side == "ours" else floor).append(elapsed)
    return Result(f"push to Ralph, {learners} learners", ours, floor, BUDGET), count


def bench_push(tmp: Path, quick: bool, runs: int | None = None) -> Result:
    """`trainer push` of 10,000 learners (100 with `quick`) against the plain client."""
    learners = 100 if quick else 10_000
    result, _ = measure_push(tmp, learners, runs or 3)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 learners")
    parser.add_argument("--learners", type=int, help="how many learners (default 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each side (default 3)")
    args = parser.parse_args(argv)
    learners = args.learners or (100 if args.quick else 10_000)
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-push-") as folder:
        result, count = measure_push(Path(folder), learners, args.runs)
    print(f"load average after:  {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"{result.name}: {count} statements, floor in batches of {FLOOR_BATCH}")
    for side, times in (("ours", result.ours), ("floor", result.floor)):
        shown = " ".join(f"{t:.2f}" for t in times)
        median = statistics.median(times)
        print(f"  {side:5} min {min(times):8.2f} s  median {median:8.2f} s  ({shown})")
    verdict = "pass" if result.ratio <= result.budget else "OVER"
    print(f"  ratio {result.ratio:.2f} (budget {result.budget:.1f}x) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
