"""Seminar: what a lecture hall's room costs the facilitator's machine while nothing changes,
and how soon a learner's new save shows on the seminar's screen.

    .venv/bin/python -m benchmarks.seminar [--quick] [--check] [--learners N] [--seconds S]

`trainer seminar MODULE --cohort room1` runs on a pseudo-terminal of 80x24, as a facilitator
runs it, on a saves folder of `--learners` saves (300 by default) of a generated 10-stage
format 3 module, all in the room. Once the room is on screen ("300 learners" in the title)
and has settled, the seminar's processor time (user and system, all its threads, from
/proc) is read over `--seconds` (30 by default) of nothing changing: the budget is 5% of one
core. A bare Textual app in the same kind of terminal is measured the same way, for
reference. Then, `--changes` times (5 by default), a new learner's save is written into the
room at a random moment (as an app writes it: a whole file renamed into place), and the
time from the rename to the new headcount in the seminar's output is taken: the budget is
3 s for the slowest.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import random
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.frame import BARE_TERMINAL_APP
from benchmarks.generate import module_text
from benchmarks.growth import save_text

PYTHON = sys.executable
COHORT = "room1"
CPU_BUDGET = 0.05
"""Processor time while nothing changes, as a share of one core."""
DELAY_BUDGET = 3.0
"""Seconds from a save written to the seminar showing it, for the slowest change."""
START_SECONDS = 60.0


class Pty:
    """A process on a pseudo-terminal of 80x24, its output read in a thread as it comes."""

    def __init__(self, argv: Sequence[str], env: dict[str, str]) -> None:
        self.main, child_side = pty.openpty()
        fcntl.ioctl(child_side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.process = subprocess.Popen(
            argv,
            stdin=child_side,
            stdout=child_side,
            stderr=child_side,
            env={**env, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"},
            start_new_session=True,
        )
        os.close(child_side)
        self.output = bytearray()
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            ready, _, _ = select.select([self.main], [], [], 1.0)
            if not ready:
                if self.process.poll() is not None:
                    return
                continue
            try:
                chunk = os.read(self.main, 1 << 16)
            except OSError:  # the process has ended and closed its side
                return
            if not chunk:
                return
            with self.lock:
                self.output += chunk

    def length(self) -> int:
        with self.lock:
            return len(self.output)

    def wait_for(self, marker: bytes, since: int = 0, timeout: float = START_SECONDS) -> float:
        """Until `marker` is in the output written after `since` bytes; when it was seen."""
        deadline = time.perf_counter() + timeout
        while True:
            with self.lock:
                if marker in self.output[since:]:
                    return time.perf_counter()
            if time.perf_counter() > deadline or self.process.poll() is not None:
                tail = bytes(self.output[-2000:]).decode("utf-8", "replace")
                raise SystemExit(f"never saw {marker!r} on the seminar's terminal:\n{tail}")
            time.sleep(0.005)

    def cpu_seconds(self) -> float:
        """User and system time of the process so far (all its threads)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def quit(self) -> None:
        """Ctrl+Q, then wait for the end (killed if it does not come)."""
        try:
            os.write(self.main, b"\x11")
            self.process.wait(30)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(10)
        finally:
            self.reader.join(5)
            os.close(self.main)


def idle_share(terminal: Pty, seconds: float) -> tuple[float, int]:
    """The share of one core the process used over `seconds`, and the bytes it wrote."""
    written = terminal.length()
    cpu, start = terminal.cpu_seconds(), time.perf_counter()
    time.sleep(seconds)
    used, wall = terminal.cpu_seconds() - cpu, time.perf_counter() - start
    return used / wall, terminal.length() - written


def write_room(saves: Path, module_path: Path, learners: int, seed: int = 1) -> None:
    """`learners` saves of the module, all in the room, with random answers."""
    from trainer.content import load_module

    module = load_module(module_path)
    rng = random.Random(seed)
    for n in range(learners):
        folder = saves / f"learner-{n:05d}"
        folder.mkdir(parents=True)
        (folder / f"{module.id}.toml").write_text(save_text(module, n, rng, COHORT), "utf-8")


def write_one(saves: Path, module_path: Path, n: int) -> float:
    """Learner n's save written as an app writes one (a whole file renamed into place);
    when it was in place."""
    from trainer.content import load_module

    module = load_module(module_path)
    text = save_text(module, n, random.Random(n), COHORT)
    folder = saves / f"learner-{n:05d}"
    folder.mkdir()
    temporary = folder / f".{module.id}.toml.tmp"
    temporary.write_text(text, "utf-8")
    os.replace(temporary, folder / f"{module.id}.toml")
    return time.perf_counter()


@dataclass
class Report:
    learners: int
    seconds: float
    ours_cpu: float
    ours_written: int
    bare_cpu: float
    delays: list[float]

    @property
    def ok(self) -> bool:
        return self.ours_cpu <= CPU_BUDGET and max(self.delays) <= DELAY_BUDGET

    def table(self) -> str:
        delays = self.delays
        verdict = "pass" if self.ok else "OVER"
        return "\n".join(
            [
                f"seminar, {self.learners} learners in the room, idle over {self.seconds:g} s",
                f"  processor while nothing changes  ours {100 * self.ours_cpu:5.2f}% of a core"
                f" ({self.ours_written} bytes drawn)  bare app {100 * self.bare_cpu:5.2f}%"
                f"  (budget {100 * CPU_BUDGET:g}%)",
                f"  a new save to the screen         median {statistics.median(delays):.2f} s"
                f"  max {max(delays):.2f} s  ({' '.join(f'{d:.2f}' for d in delays)})"
                f"  (budget {DELAY_BUDGET:g} s)",
                f"  {verdict}",
            ]
        )


def run(learners: int, seconds: float, changes: int, seed: int = 1) -> Report:
    """The seminar on a room of `learners`, then the bare app, each on its own terminal."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        env = {**os.environ}
        for variable in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            (tmp / variable.lower()).mkdir()
            env[variable] = str(tmp / variable.lower())
        module_path = tmp / "seminar-module.toml"
        module_path.write_text(module_text(10, 3), encoding="utf-8")
        saves = tmp / "saves"
        write_room(saves, module_path, learners, seed)
        argv = [PYTHON, "-m", "trainer", "seminar", str(module_path), "--cohort", COHORT]
        seminar = Pty([*argv, "--saves", str(saves)], env)
        try:
            seminar.wait_for(f"{learners} learners".encode())
            time.sleep(3.0)  # what follows the first frame, and the first look's redraw
            ours_cpu, written = idle_share(seminar, seconds)
            delays = []
            for k in range(changes):
                time.sleep(rng.uniform(0.0, 2.5))  # any moment of the seminar's cycle
                since = seminar.length()
                written_at = write_one(saves, module_path, learners + k)
                marker = f"{learners + k + 1} learners".encode()
                delays.append(seminar.wait_for(marker, since) - written_at)
        finally:
            seminar.quit()
        bare = Pty([PYTHON, "-c", BARE_TERMINAL_APP], env)
        try:
            bare.wait_for(b"One line.")
            time.sleep(3.0)
            bare_cpu, _ = idle_share(bare, seconds)
        finally:
            bare.quit()
    return Report(learners, seconds, ours_cpu, written, bare_cpu, delays)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 learners, 3 s idle, 2 changes")
    parser.add_argument("--learners", type=int, help="saves in the room (300)")
    parser.add_argument("--seconds", type=float, help="idle time measured (30)")
    parser.add_argument("--changes", type=int, help="new saves timed (5)")
    parser.add_argument("--check", action="store_true", help="exit 1 when over a budget")
    args = parser.parse_args(argv)
    learners = args.learners or (30 if args.quick else 300)
    seconds = args.seconds or (3.0 if args.quick else 30.0)
    changes = args.changes or (2 if args.quick else 5)
    report = run(learners, seconds, changes)
    print(report.table())
    return 1 if args.check and not report.ok else 0


if __name__ == "__main__":
    sys.exit(main())
