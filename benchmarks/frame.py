"""First frame: wall time and peak memory of a fresh app process, against a bare Textual app.

    python -m benchmarks.frame [RUNS] [PATH ...]   each path below against the bare app, a table
    python -m benchmarks.frame --check ...         the same; exit 1 when a path is over budget
    python -m benchmarks.frame --profile [PATH]    where a path's first frame spends its time

Each run is a fresh `python` process that builds the app, runs it headless at 80x24 until
its first frame is drawn (`await pilot.pause()` in the auto-pilot) and exits. The time is
the process's wall time, start to exit; the memory its peak resident set (`ru_maxrss`, read
with `os.wait4` for that one child). The bare app and ours alternate, run by run, so that a
neighbour on the machine slows both alike; ratios are of the medians.

The paths a user meets first:

- `preview`: `trainer play MODULE --facilitator`, the facilitator preview of a module, its
  first frame the "Before you start" notice.
- `start`: `trainer` with no arguments, through the command line: the sign-in screen.
- `learner`: `trainer play MODULE --learner NAME`, each run into a new saves folder: the
  learner's folder and save are created and locked, then the first notice.

The same paths are also run as a user runs them, on a pseudo-terminal of 80x24 (the
`(terminal)` rows, `in_terminal`): the time from the process's start to the first frame in
what it writes (a text of the first screen seen in the output), against the bare app run
the same way. That is the first frame as a user sees it: neither the pilot's wait for idle
(which checks in 20 ms steps) nor the interpreter's exit is in it.

Each headless row gives the wall time start to exit, which the budget is on (as measured
from outside), and the time from the process's start to its first frame (its auto-pilot's
note of when `pilot.pause()` returned), which leaves out the interpreter's exit. That exit
walks every object left for the garbage collector: tens of milliseconds for the bare app,
fewer for ours, which froze what its start made at its first frame (`trainer.gc_hold`), so
the wall-time ratio flatters ours by the difference; the time to the first frame and the
terminal rows have no exit in them.

`--profile [PATH]` runs one path (the learner's, unless named) once under cProfile, imports
included, and prints the 30
functions with the largest cumulative time and the 15 of ours; then the modules
`-X importtime` shows it importing beyond the bare app's, and their self time added up (the
self time includes compiling our source where there is no bytecode cache, as under
PYTHONDONTWRITEBYTECODE).
"""

from __future__ import annotations

import argparse
import os
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PYTHON = sys.executable
SIZE = "(80, 24)"

FIRST_FRAME = """
import time
drawn = []

async def first_frame(pilot):
    await pilot.pause()
    drawn.append(time.perf_counter())
    pilot.app.exit()
"""
"""The auto-pilot: waits for the first frame, notes when (the system's monotonic clock, as the
benchmark's), and exits; each script prints that time last, as `drawn at SECONDS`."""

BARE_APP = f"""
from textual.app import App
from textual.widgets import Static
{FIRST_FRAME}
class Bare(App):
    def compose(self):
        yield Static("One line.")


Bare().run(headless=True, size={SIZE}, auto_pilot=first_frame)
print("drawn at", drawn[0])
"""

COMMAND_APP = f"""
import os, sys
from textual.app import App
{FIRST_FRAME}

run = App.run

def headless(self, *args, **kwargs):
    return run(self, headless=True, size={SIZE}, auto_pilot=first_frame)

App.run = headless
from trainer.cli import main

status = main([arg.replace("{{pid}}", str(os.getpid())) for arg in sys.argv[1:]])
print("drawn at", drawn[0])
sys.exit(status)
"""
"""`trainer ARGS...` as the command line runs it, but headless to the first frame;
`{pid}` in an argument becomes the process id (a saves folder of its own for each run)."""


@dataclass
class Run:
    """One fresh process: its wall time start to exit (s), from its start to its first frame
    (s), and its peak resident memory (KiB)."""

    wall: float
    to_frame: float
    memory: int


@dataclass
class Frames:
    """Wall times (s), times to the first frame (s) and peak memory (KiB) of ours and of the
    bare app, run by run. The budget is on the wall time, start to exit, as measured from
    outside; the time to the first frame leaves out the interpreter's exit (about as long for
    both), so its ratio is the stricter one."""

    name: str
    ours_times: list[float] = field(default_factory=list)
    ours_memory: list[int] = field(default_factory=list)
    floor_times: list[float] = field(default_factory=list)
    floor_memory: list[int] = field(default_factory=list)
    ours_frames: list[float] = field(default_factory=list)
    floor_frames: list[float] = field(default_factory=list)
    time_budget: float = 1.15
    memory_budget: float = 1.1

    def add(self, ours: Run, floor: Run) -> None:
        """One run of each."""
        self.ours_times.append(ours.wall)
        self.ours_frames.append(ours.to_frame)
        self.ours_memory.append(ours.memory)
        self.floor_times.append(floor.wall)
        self.floor_frames.append(floor.to_frame)
        self.floor_memory.append(floor.memory)

    @property
    def time_ratio(self) -> float:
        return statistics.median(self.ours_times) / statistics.median(self.floor_times)

    @property
    def frame_ratio(self) -> float:
        return statistics.median(self.ours_frames) / statistics.median(self.floor_frames)

    @property
    def memory_ratio(self) -> float:
        return statistics.median(self.ours_memory) / statistics.median(self.floor_memory)

    @property
    def ok(self) -> bool:
        return self.time_ratio <= self.time_budget and self.memory_ratio <= self.memory_budget


def run_child(argv: Sequence[str], env: Mapping[str, str] | None = None) -> Run:
    """Run `argv` as a fresh process: its wall time, the time from its start to the first
    frame it reports (`drawn at`, on the same monotonic clock) and its peak resident memory
    (`ru_maxrss` of this one child, from `os.wait4`: Linux counts it in KiB).

    Raises:
        SystemExit: the process failed (its stderr's tail is in the message).
    """
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=stdout, stderr=stderr, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        drawn = [line for line in stdout.read().decode().splitlines() if line.startswith("drawn")]
        if child.returncode != 0 or not drawn:
            stderr.seek(0)
            tail = stderr.read().decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{tail}")
    kib = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return Run(elapsed, float(drawn[-1].split()[-1]) - start, kib)


def child_env(home: Path) -> dict[str, str]:
    """The environment for both sides: the user's config, data and cache folders moved under
    `home`, so that a remembered sign-in, installed modules or modules validated before of the
    user's own play no part. (The warm-up run validates the benchmark's module; the runs
    measured read it from the cache, as a trainee's second start does.)"""
    env = dict(os.environ)
    for variable in ("TRAINER_SAVES", "TRAINER_MODULES"):
        env.pop(variable, None)
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_DATA_HOME"] = str(home / "data")
    env["XDG_CACHE_HOME"] = str(home / "cache")
    return env


def measure_frames(
    name: str,
    ours: Sequence[str],
    floor: Sequence[str],
    runs: int,
    env: Mapping[str, str] | None = None,
) -> Frames:
    """`runs` fresh processes of each, alternating (after one warm-up run of each)."""
    frames = Frames(name)
    run_child(floor, env)
    run_child(ours, env)
    for _ in range(runs):
        bare = run_child(floor, env)
        frames.add(run_child(ours, env), bare)
    return frames


def preview_argv(module: Path, saves: Path) -> list[str]:
    """`trainer play MODULE --facilitator` (the facilitator preview) to its first frame."""
    return [PYTHON, "-c", COMMAND_APP, "--saves", str(saves), "play", str(module), "--facilitator"]


def start_argv(saves: Path) -> list[str]:
    """`trainer` with no command (the sign-in screen) to its first frame."""
    return [PYTHON, "-c", COMMAND_APP, "--saves", str(saves)]


def learner_argv(module: Path, saves: Path, name: str = "Bench") -> list[str]:
    """`trainer play MODULE --learner NAME` into a new saves folder under `saves` each run."""
    return [
        PYTHON,
        "-c",
        COMMAND_APP,
        "--saves",
        str(saves / "{pid}"),
        "play",
        str(module),
        "--learner",
        name,
    ]


PROFILE_APP = f"""
import cProfile, pstats, sys
profile = cProfile.Profile()
profile.enable()
{COMMAND_APP.replace("sys.exit(status)", "")}
profile.disable()
stats = pstats.Stats(profile).sort_stats("cumulative")
stats.print_stats(30)
print("Our own functions (imports included), by cumulative time:")
stats.print_stats("/trainer/", 15)
"""
"""A command to its first frame under cProfile, imports included: the top 30 by cumulative
time, then the top 15 of our own functions (trainer's modules, their imports included)."""


def bare_argv() -> list[str]:
    """The floor: a bare Textual app showing one line, to its first frame."""
    return [PYTHON, "-c", BARE_APP]


PATHS = ("preview", "start", "learner")


def bench_first_frames(tmp: Path, runs: int, paths: Sequence[str] = PATHS) -> list[Frames]:
    """Each path's first frame against the bare app's, on a generated 10-stage module."""
    from benchmarks.generate import module_text

    module = tmp / "frame-module.toml"
    module.write_text(module_text(10), encoding="utf-8")
    saves = tmp / "frame-saves"
    saves.mkdir(exist_ok=True)
    argvs = {
        "preview": ("first frame, preview (headless)", preview_argv(module, saves)),
        "start": ("first frame, sign-in (headless)", start_argv(saves)),
        "learner": ("first frame, learner (headless)", learner_argv(module, saves)),
    }
    env = child_env(tmp)
    return [measure_frames(*argvs[path], bare_argv(), runs, env) for path in paths]


def table(rows: Sequence[Frames]) -> str:
    """The rows as the benchmarks print them: wall time start to exit (the budget), time to
    the first frame (medians, for reference), peak memory (the budget)."""
    header = (
        f"{'measure':32} {'ours/floor med s':>16} {'ratio':>5} {'to frame s':>11} {'ratio':>5}"
        f" {'ours/floor MiB':>14} {'ratio':>5} {'budget':>10}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.name:32} {statistics.median(row.ours_times):7.3f}/"
            f"{statistics.median(row.floor_times):<8.3f} {row.time_ratio:5.2f}"
            f" {statistics.median(row.ours_frames):5.3f}/"
            f"{statistics.median(row.floor_frames):<5.3f} {row.frame_ratio:5.2f}"
            f" {statistics.median(row.ours_memory) / 1024:6.1f}/"
            f"{statistics.median(row.floor_memory) / 1024:<7.1f} {row.memory_ratio:5.2f}"
            f" {row.time_budget:4.2f}/{row.memory_budget:4.2f}x {'pass' if row.ok else 'OVER'}"
        )
    return "\n".join(lines)


BARE_TERMINAL_APP = """
from textual.app import App
from textual.widgets import Static


class Bare(App):
    def compose(self):
        yield Static("One line.")


Bare().run()
"""
"""The floor in a terminal: the bare app, run as any Textual app is; ctrl+q quits it."""

MARKERS = {"preview": b"Before you start", "start": b"Your name", "learner": b"Before you start"}
"""Text of each path's first screen (the generated module has a content warning), written
whole within one frame: seeing it in the terminal's output is seeing that frame."""


@dataclass
class Terminal:
    """Times from the start of a process in a terminal to the first frame in its output (s),
    ours and the bare app's, run by run."""

    name: str
    ours: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    budget: float = 1.15

    @property
    def ratio(self) -> float:
        return statistics.median(self.ours) / statistics.median(self.floor)


def in_terminal(argv: Sequence[str], marker: bytes, env: Mapping[str, str]) -> float:
    """Run `argv` on a new pseudo-terminal of 80x24, as a user's terminal runs it; the time
    from its start until `marker` appears in what it writes; then ctrl+q, and wait for it to
    end (reading all it writes, so that it never blocks on a full terminal).

    Raises:
        SystemExit: the marker did not appear within 30 s, or the process failed.
    """
    import fcntl
    import pty
    import termios

    main, child_side = pty.openpty()
    fcntl.ioctl(child_side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    child = subprocess.Popen(
        argv,
        stdin=child_side,
        stdout=child_side,
        stderr=child_side,
        env={**env, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"},
        start_new_session=True,
    )
    os.close(child_side)
    output = b""
    drawn = None
    try:
        while True:
            ready, _, _ = select.select([main], [], [], 30)
            if not ready:
                raise SystemExit(f"benchmark command gave no first frame: {' '.join(argv)}")
            try:
                chunk = os.read(main, 1 << 16)
            except OSError:  # the child has ended and closed its side
                chunk = b""
            if not chunk:
                break
            output += chunk
            if drawn is None and marker in output:
                drawn = time.perf_counter() - start
                os.write(main, b"\x11")  # ctrl+q
    finally:
        os.close(main)
        status = child.wait(30)
    if drawn is None or status != 0:
        tail = output[-2000:].decode("utf-8", "replace")
        raise SystemExit(f"benchmark command failed in a terminal: {' '.join(argv)}\n{tail}")
    return drawn


def bench_in_terminal(tmp: Path, runs: int, paths: Sequence[str] = PATHS) -> list[Terminal]:
    """Each path's first frame in a terminal against the bare app's, alternating run by run
    (after one warm-up run of each), on the generated 10-stage module."""
    from benchmarks.generate import module_text

    module = tmp / "frame-module.toml"
    module.write_text(module_text(10), encoding="utf-8")
    env = child_env(tmp)
    # The command a user types: the console script the install put beside the interpreter
    # (`python -m trainer` would add runpy's import, about 3 ms).
    script = Path(PYTHON).with_name("trainer")
    trainer = [str(script)] if script.is_file() else [PYTHON, "-m", "trainer"]
    saves = tmp / "terminal-saves"
    argvs = {
        "preview": lambda n: [
            *trainer,
            "--saves",
            str(saves),
            "play",
            str(module),
            "--facilitator",
        ],
        "start": lambda n: [*trainer, "--saves", str(saves)],
        "learner": lambda n: [
            *trainer,
            "--saves",
            str(saves / str(n)),
            "play",
            str(module),
            "--learner",
            "Bench",
        ],
    }
    names = {"preview": "preview", "start": "sign-in", "learner": "learner"}
    bare = [PYTHON, "-c", BARE_TERMINAL_APP]
    rows = []
    for path in paths:
        row = Terminal(f"first frame, {names[path]} (terminal)")
        in_terminal(bare, b"One line.", env)
        in_terminal(argvs[path](-1), MARKERS[path], env)
        for number in range(runs):
            row.floor.append(in_terminal(bare, b"One line.", env))
            row.ours.append(in_terminal(argvs[path](number), MARKERS[path], env))
        rows.append(row)
    return rows


def terminal_table(rows: Sequence[Terminal]) -> str:
    """The rows: medians from the start to the first frame in the terminal's output."""
    header = f"{'measure':36} {'ours/floor med s':>16} {'ratio':>5} {'budget':>7}"
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.name:36} {statistics.median(row.ours):7.3f}/"
            f"{statistics.median(row.floor):<8.3f} {row.ratio:5.2f} {row.budget:5.2f}x"
            f" {'pass' if row.ratio <= row.budget else 'OVER'}"
        )
    return "\n".join(lines)


IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)")


def import_times(argv: Sequence[str], env: Mapping[str, str] | None = None) -> dict[str, int]:
    """The self import time (µs) of each module `argv` imports, from `python -X importtime`."""
    done = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        check=True,
    )
    return {m[2]: int(m[1]) for m in map(IMPORT_LINE.match, done.stderr.splitlines()) if m}


def extra_imports(ours: Mapping[str, int], bare: Mapping[str, int]) -> list[tuple[str, int]]:
    """The modules `ours` imports that the bare app does not, largest self time first."""
    extra = [(name, micros) for name, micros in ours.items() if name not in bare]
    return sorted(extra, key=lambda item: -item[1])


def profile_path(tmp: Path, path: str = "learner", runs: int = 5) -> str:
    """A path's first frame under cProfile, and the import time it adds to the bare app's
    (each module's median self time over `runs` runs of each, alternating). Profiled at a
    second start, as the measured runs are: the first validated the module."""
    from benchmarks.generate import module_text

    module = tmp / "frame-module.toml"
    module.write_text(module_text(10), encoding="utf-8")
    saves = tmp / "profile-saves"
    env = child_env(tmp)
    argv = {
        "preview": preview_argv(module, saves),
        "start": start_argv(saves),
        "learner": learner_argv(module, saves),
    }[path]
    run_child(argv, env)  # a start before: the module is read from the cache
    profile = subprocess.run(
        [PYTHON, "-c", PROFILE_APP, *argv[3:]],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.split("\n", 1)[1]  # after the script's own "drawn at" line
    ours_runs, bare_runs = [], []
    for _ in range(runs):
        bare_runs.append(import_times(bare_argv(), env))
        ours_runs.append(import_times(argv, env))
    bare = {name: statistics.median(r.get(name, 0) for r in bare_runs) for name in bare_runs[0]}
    ours = {
        name: int(statistics.median(r.get(name, 0) for r in ours_runs)) for name in ours_runs[0]
    }
    extra = extra_imports(ours, bare)
    lines = [
        profile.rstrip(),
        "",
        f"-X importtime, {path} beyond the bare app (medians of {runs}): {len(extra)} modules,"
        f" {sum(micros for _, micros in extra) / 1000:.1f} ms self time; the largest:",
    ]
    lines += [f"  {micros / 1000:6.1f} ms  {name}" for name, micros in extra[:15]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="?", type=int, default=9, help="runs of each (default 9)")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="preview, start, learner (all)")
    parser.add_argument("--check", action="store_true", help="exit 1 when over a budget")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="learner",
        choices=PATHS,
        help="profile one path instead (default: learner)",
    )
    args = parser.parse_args(argv)
    paths = args.paths or list(PATHS)
    unknown = [path for path in paths if path not in PATHS]
    if unknown:
        parser.error(f"unknown path {unknown[0]!r}: choose from {', '.join(PATHS)}")
    with tempfile.TemporaryDirectory() as folder:
        if args.profile:
            print(profile_path(Path(folder), args.profile))
            return 0
        rows = bench_first_frames(Path(folder), args.runs, paths)
        terminal = bench_in_terminal(Path(folder), args.runs, paths)
    print(table(rows))
    print()
    print(terminal_table(terminal))
    over = [row for row in rows if not row.ok] + [t for t in terminal if t.ratio > t.budget]
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
