"""Serve: `trainer serve` against textual-serve serving a bare Textual app, in real browsers.

    .venv/bin/python -m benchmarks.serve [--quick] [--check] [--browsers N] [--answers N]

Both servers run side by side in one run, each in its own session with its own HOME, and
headless Chromium (the system's, through Playwright; no browser is downloaded) opens pages
on them. Three measures:

- **memory per browser**: `--browsers` pages (6 by default) on each server, opened in turn
  (bare then ours, ours then bare, ...), each until its first screen is drawn; then the
  proportional set size (PSS) of the server's whole process tree, less the server's own
  before any page was open, divided by the pages. The resident size (RSS) is shown beside
  it. Budget 1.15x.
- **page load to the first screen**: from the page's navigation start to the websocket
  message in which the first screen's text arrives (the sign-in's "Your name"; the bare
  app's one line), timed in the page; the same pages as above. Budget 1.25x.
- **key to feedback, with a room connected**: `--answers` pages (20 by default) on
  `trainer serve`, each signed in and played to the reason of the tutorial's first
  decision; then each presses Enter in turn, a random 0 to 300 ms apart (a room answering
  at once), and the time from the key in the page to the message that brings the
  feedback's heading is taken in the page. Budget: 95th percentile within 250 ms. The bare
  app's pages, as many, each redraw one line on a key the same way, for reference. Then
  what the room cost in processor time is shown (no budget): each learner's app from its
  start to its first feedback, and the server with its apps while the room sits idle for
  `IDLE_SECONDS`, per learner: the figures for how many learners a machine holds.

Timings are taken in the page (`performance.now()` at the key and at the message), so the
benchmark's own waiting does not count. The floor is textual-serve's own `Server` running a
bare app that shows one line and counts keys (`BARE_APP`).
"""

from __future__ import annotations

import argparse
import compileall
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.pages import Page, Server, chromium, free_port, processor_seconds
from trainer.paths import shipped_modules_dir

PYTHON = sys.executable
MEMORY_BUDGET = 1.15
LOAD_BUDGET = 1.25
KEY_BUDGET_MS = 250.0
IDLE_SECONDS = 10.0
"""How long the room's idle cost is measured, once every learner has had feedback."""
TUTORIAL = "tutorial-riverside.toml"
OURS_FIRST = "Your name"
BARE_FIRST = "One line."
FEEDBACK = "How your answer compares"
BARE_APP = """
from textual.app import App
from textual.widgets import Static


class Bare(App):
    presses = 0

    def compose(self):
        yield Static("One line.", id="line")

    def on_key(self):
        self.presses += 1
        self.query_one("#line", Static).update(f"Pressed {self.presses} keys.")


Bare().run()
"""
"""The floor's app: one line, redrawn with a count at every key."""

BARE_SERVER = """
import sys
from textual_serve.server import Server

Server(sys.argv[1], host="127.0.0.1", port=int(sys.argv[2]), title="bare").serve()
"""
"""textual-serve's own server, as its README runs it."""


@dataclass
class Side:
    """One server's figures: per-page load times (s), and memory per page."""

    name: str
    loads: list[float] = field(default_factory=list)
    pss_per_page: float = 0.0
    rss_per_page: float = 0.0
    pages: int = 0
    terminal: str = ""
    """The terminal size the pages asked for (`COLUMNSxROWS`)."""


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


@contextmanager
def servers(tmp: Path) -> Iterator[tuple[Server, Server]]:
    """The bare app under textual-serve, and `trainer serve` with the tutorial only."""
    bare_app = tmp / "bare_app.py"
    bare_app.write_text(BARE_APP, encoding="utf-8")
    modules = tmp / "modules"
    modules.mkdir()
    shutil.copy(shipped_modules_dir() / TUTORIAL, modules / TUTORIAL)
    bare_port, ours_port = free_port(), free_port()
    bare = Server(
        "bare",
        [PYTHON, "-c", BARE_SERVER, f"exec {PYTHON} {bare_app}", str(bare_port)],
        tmp / "bare",
        bare_port,
    )
    try:
        ours = Server(
            "ours",
            [
                PYTHON,
                "-m",
                "trainer",
                "serve",
                "--port",
                str(ours_port),
                "--saves",
                str(tmp / "saves"),
                "--modules",
                str(modules),
                "--max-sessions",
                "64",
            ],
            tmp / "ours",
            ours_port,
        )
        try:
            yield bare, ours
        finally:
            ours.stop()
    finally:
        bare.stop()


def settle(seconds: float = 1.0) -> None:
    """Let every app finish what follows its first frame before memory is read."""
    time.sleep(seconds)


def bench_memory_and_load(browser: Any, bare: Server, ours: Server, pages: int) -> list[Side]:
    """`pages` pages on each server, opened in turn; load times, then memory per page."""
    sides = {server.name: Side(server.name) for server in (bare, ours)}
    opened: list[Page] = []
    pair = [(bare, BARE_FIRST), (ours, OURS_FIRST)]
    for n in range(pages):
        for server, first in pair if n % 2 == 0 else pair[::-1]:  # neither always first
            page = Page(browser, server, first)
            opened.append(page)
            sides[server.name].loads.append(page.load_seconds)
            sides[server.name].terminal = page.terminal_size()
    settle()
    for server in (bare, ours):
        side = sides[server.name]
        side.pages = server.apps()
        if side.pages != pages:
            raise SystemExit(f"{server.name}: {side.pages} app processes for {pages} pages")
        pss, rss = server.memory()
        side.pss_per_page = (pss - server.idle_pss) / pages
        side.rss_per_page = (rss - server.idle_rss) / pages
    for page in opened:
        page.page.close()
    return [sides["bare"], sides["ours"]]


def to_the_reason(page: Page, n: int) -> None:
    """Sign in as learner n and play the tutorial to the reason of its first decision."""
    # The cohort field is drawn again as the focus reaches it: only then is it typed in
    # (keys typed sooner, on a loaded machine, could reach the name field).
    page.step([f"Learner {n}", "Enter"], "e.g. autumn-2026")
    page.step(["room", "Enter"], "Not started")  # the list, read in a worker, drawn
    page.step(["Enter"], "Before you start")
    page.step(["Enter"], "About this module")
    page.step(["Enter"], "Stage 1 of 4")
    page.step(["Enter"], "What should happen next?")
    page.step(["3", "Enter"], "How sure are you")
    page.step(["3", "Enter"], "In one line")
    page.step(["a bruise on a baby who is not yet mobile"], "not yet mobile")


def press_in_turn(
    pages: Sequence[Page], key: str, expected: str, rng: random.Random
) -> list[float]:
    """Each page presses `key` in turn, a random 0 to 300 ms apart; key to `expected` (ms)."""
    for page in pages:
        page.expect(expected)
    for page in pages:
        page.page.focus(".xterm-helper-textarea")
        page.page.keyboard.press(key)
        time.sleep(rng.uniform(0, 0.3))
    latencies = []
    for page in pages:
        page.wait_seen(expected)
        latencies.append(page.key_ms())
    return latencies


@dataclass
class Room:
    """The room answering at once: key latencies (ms), and what its apps cost in processor
    time: each learner's app from its start to its first feedback (s), the server with its
    apps per answer (s, the save and the feedback drawn and sent), and the same while the
    room sits connected and idle (share of one core, per learner)."""

    bare_ms: list[float]
    ours_ms: list[float]
    cpu_per_learner: list[float]
    cpu_per_answer: tuple[float, float]
    """Processor time a confirming key, the server's and its apps', and the server's
    alone (relaying the frames to the page)."""
    browsers_per_answer: float
    """Chromium's processor time a confirming key (drawing the feedback in the page): the
    browsers run on the same machine here, not on the learners' own."""
    idle_per_learner: float


def chromium_processes() -> list[Any]:
    """This benchmark's Chromium processes (started by Playwright's driver, below this one)."""
    import psutil

    found = []
    for process in psutil.Process().children(recursive=True):
        try:
            if "chrom" in process.name():
                found.append(process)
        except psutil.Error:
            continue
    return found


def bench_keys(browser: Any, bare: Server, ours: Server, count: int, seed: int) -> Room:
    """`count` learners in `trainer serve`, each at a decision's reason, confirm in turn; and
    as many bare pages redraw on a key, the same way."""
    rng = random.Random(seed)
    bare_pages = [Page(browser, bare, BARE_FIRST) for _ in range(count)]
    bare_ms = press_in_turn(bare_pages, "x", "Pressed 1 keys.", rng)
    for page in bare_pages:
        page.page.close()
    ours_pages = []
    for n in range(count):
        page = Page(browser, ours, OURS_FIRST)
        to_the_reason(page, n)
        ours_pages.append(page)
    settle()
    tree, browsers = ours.tree(), chromium_processes()
    before_keys, before_browsers = processor_seconds(tree), sum(processor_seconds(browsers))
    ours_ms = press_in_turn(ours_pages, "Enter", FEEDBACK, rng)
    settle()
    after_keys = processor_seconds(tree)
    used = [after - before for after, before in zip(after_keys, before_keys, strict=True)]
    per_answer = (sum(used) / count, used[0] / count)
    browsers_per_answer = (sum(processor_seconds(browsers)) - before_browsers) / count
    cpu_per_learner = processor_seconds(tree[1:])
    before, start = sum(processor_seconds(tree)), time.perf_counter()
    time.sleep(IDLE_SECONDS)
    idle = (sum(processor_seconds(tree)) - before) / (time.perf_counter() - start) / count
    for page in ours_pages:
        page.page.close()
    return Room(bare_ms, ours_ms, cpu_per_learner, per_answer, browsers_per_answer, idle)


@dataclass
class Report:
    bare: Side
    ours: Side
    room: Room

    @property
    def keys_bare(self) -> list[float]:
        return self.room.bare_ms

    @property
    def keys_ours(self) -> list[float]:
        return self.room.ours_ms

    @property
    def memory_ratio(self) -> float:
        return self.ours.pss_per_page / self.bare.pss_per_page

    @property
    def load_ratio(self) -> float:
        return statistics.median(self.ours.loads) / statistics.median(self.bare.loads)

    @property
    def checks(self) -> list[bool]:
        return [
            self.memory_ratio <= MEMORY_BUDGET,
            self.load_ratio <= LOAD_BUDGET,
            p95(self.keys_ours) <= KEY_BUDGET_MS,
        ]

    def table(self) -> str:
        mib = 2**20
        ok = ["pass" if passed else "OVER" for passed in self.checks]
        bare, ours = self.bare, self.ours
        lines = [
            f"serve, {ours.pages} browsers a side; {len(self.keys_ours)} answering;"
            f" terminals of {ours.terminal}",
            f"{'measure':34} {'ours':>18} {'bare':>18} {'ratio':>6}  budget",
            "-" * 88,
            f"{'memory per browser, PSS MiB':34} {ours.pss_per_page / mib:18.1f}"
            f" {bare.pss_per_page / mib:18.1f} {self.memory_ratio:6.2f}  {MEMORY_BUDGET}x {ok[0]}",
            f"{'memory per browser, RSS MiB':34} {ours.rss_per_page / mib:18.1f}"
            f" {bare.rss_per_page / mib:18.1f} {ours.rss_per_page / bare.rss_per_page:6.2f}",
            f"{'page load to first screen, s':34}"
            f" {_spread(ours.loads, '{:.3f}'):>18} {_spread(bare.loads, '{:.3f}'):>18}"
            f" {self.load_ratio:6.2f}  {LOAD_BUDGET}x {ok[1]}",
            f"{'key to feedback, ms med/p95/max':34}"
            f" {_tail(self.keys_ours):>18} {_tail(self.keys_bare):>18}"
            f" {'':6}  p95 {KEY_BUDGET_MS:.0f} ms {ok[2]}",
            "(load: min/median/max; the bare app's key redraws one line)",
            f"processor per learner: {_spread(self.room.cpu_per_learner, '{:.2f}')} s"
            " (min/median/max) from the app's start to its first feedback;"
            f" {1000 * self.room.cpu_per_answer[0]:.0f} ms a confirming key"
            f" ({1000 * self.room.cpu_per_answer[1]:.0f} ms of it the server's; the browser"
            f" {1000 * self.room.browsers_per_answer:.0f} ms);"
            f" {100 * self.room.idle_per_learner:.2f}% of a core each while the room idles",
        ]
        return "\n".join(lines)


def _spread(values: Sequence[float], form: str) -> str:
    return "/".join(form.format(v) for v in (min(values), statistics.median(values), max(values)))


def _tail(values: Sequence[float]) -> str:
    return f"{statistics.median(values):.0f}/{p95(values):.0f}/{max(values):.0f}"


def compile_package() -> None:
    """Compile the package once, as a regular install does (an editable install compiles
    nothing): otherwise each app process compiles our source, and the compiler's scratch
    memory stays in its heap."""
    import trainer

    compileall.compile_dir(Path(trainer.__file__).parent, quiet=1)


def run(pages: int, answers: int, seed: int = 1) -> Report:
    """Both servers started, the measures taken, both stopped."""
    compile_package()
    with (
        tempfile.TemporaryDirectory() as folder,
        servers(Path(folder)) as (bare, ours),
        chromium() as browser,
    ):
        bare_side, ours_side = bench_memory_and_load(browser, bare, ours, pages)
        room = bench_keys(browser, bare, ours, answers, seed)
    return Report(bare_side, ours_side, room)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 browsers a side, 2 answering")
    parser.add_argument("--browsers", type=int, help="pages a side for memory and load (6)")
    parser.add_argument("--answers", type=int, help="learners answering at once (20)")
    parser.add_argument("--check", action="store_true", help="exit 1 when over a budget")
    args = parser.parse_args(argv)
    pages = args.browsers or (2 if args.quick else 6)
    answers = args.answers or (2 if args.quick else 20)
    report = run(pages, answers)
    print(report.table())
    return 1 if args.check and not all(report.checks) else 0


if __name__ == "__main__":
    sys.exit(main())
