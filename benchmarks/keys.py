"""Key press to feedback: how long after the key that confirms an answer its feedback is drawn.

    python -m benchmarks.keys ours MODULE    play MODULE to the end by keys, headless at 80x24
    python -m benchmarks.keys floor N        a bare Textual app redrawing on N key presses

Each prints one JSON list of latencies in milliseconds: from pressing the key to the screen
having processed it and redrawn (`await pilot.press(key)` then `await pilot.pause()`). For
ours that is the key confirming an answer (the last Enter, or Ctrl+S of a written answer),
and the time includes the engine's move, the save's atomic write with its fsync, and the
feedback's widgets; the floor is the same press and pause in an app whose key handler
changes one line. `benchmarks.run` runs both, interleaved, and compares the distributions.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from trainer.engine import Deciding, Decision, Feedback, Outcome, Reading, Step

SIZE = (80, 24)


class BareKeys(App[None]):
    """The floor: one line, redrawn with a count on every key press."""

    def compose(self) -> ComposeResult:
        yield Static("Pressed 0 keys.", id="line")

    def on_key(self) -> None:
        line = self.query_one("#line", Static)
        self.presses = getattr(self, "presses", 0) + 1
        line.update(f"Pressed {self.presses} keys.")


async def _timed(pilot: Pilot[Any], key: str) -> float:
    start = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    return (time.perf_counter() - start) * 1000


def floor(presses: int) -> list[float]:
    """Latencies of `presses` key presses in the bare app."""
    latencies: list[float] = []

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        for _ in range(presses):
            latencies.append(await _timed(pilot, "enter"))
        pilot.app.exit()

    BareKeys().run(headless=True, size=SIZE, auto_pilot=run)
    return latencies


def _answer_keys(decision: Decision) -> list[str]:
    """Keys for a review-aligned answer, the confirming key last."""
    if decision.kind == "text":
        words = [concept.any[0].rstrip("*") for concept in decision.rubric] or ["my notes"]
        return [*" and ".join(words), "ctrl+s"]
    ids = [o.id for o in decision.options]
    if decision.kind == "rank":
        return [*(str(ids.index(o) + 1) for o in decision.panel_order), "enter"]
    aligned = [i for i, o in enumerate(decision.options) if o.verdict == "aligned"] or [0]
    if decision.kind == "single":
        return [str(aligned[0] + 1), "enter"]
    return [*(str(i + 1) for i in aligned), "enter"]


def _step_keys(now: Deciding) -> list[str]:
    """Keys for the step after the choice, the confirming key last."""
    if now.step is Step.CONFIDENCE:
        return ["4", "enter"]
    if now.step is Step.REASON:
        return [*"for the child", "enter"]
    if now.step is Step.CLAIM:
        covered = now.suggested
        return [str(i + 1) for i, c in enumerate(now.decision.rubric) if c.id not in covered] + [
            "enter"
        ]
    raise SystemExit(f"stuck at {now.step} of {now.decision.id}")


def ours(module: str) -> list[float]:
    """Latencies of the keys that confirm an answer, over a whole play-through of `module`."""
    from trainer.tui.app import build_app
    from trainer.tui.screens.debrief import DebriefScreen
    from trainer.tui.screens.notice import NoticeScreen

    latencies: list[float] = []

    async def press_all(pilot: Pilot[Any], keys: list[str]) -> None:
        """Press all but the last key untimed; time the last if it brings feedback."""
        await pilot.press(*keys[:-1])
        took = await _timed(pilot, keys[-1])
        if isinstance(pilot.app.screen.facing, Feedback):  # type: ignore[attr-defined]
            latencies.append(took)

    async def run(pilot: Pilot[Any]) -> None:
        for _ in range(2000):
            await pilot.pause()
            screen: Any = pilot.app.screen
            if isinstance(screen, DebriefScreen):
                break
            if isinstance(screen, NoticeScreen):
                await pilot.press("enter")
                continue
            now = screen.facing
            if isinstance(now, Reading | Feedback | Outcome):
                await pilot.press("enter")
            elif isinstance(now, Deciding):
                choosing = now.step is Step.CHOICE
                await press_all(pilot, _answer_keys(now.decision) if choosing else _step_keys(now))
        else:
            raise SystemExit("the module did not end")
        pilot.app.exit()

    with tempfile.TemporaryDirectory() as saves:
        app = build_app(saves=saves, module=module, learner="Bench", remember=False)
        auto: Callable[[Pilot[Any]], Awaitable[None]] = run
        app.run(headless=True, size=SIZE, auto_pilot=auto)
    if not latencies:
        raise SystemExit("no answer was confirmed")
    return latencies


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("ours", "floor"):
        print(__doc__, file=sys.stderr)
        return 2
    latencies = ours(argv[1]) if argv[0] == "ours" else floor(int(argv[1]))
    print(json.dumps([round(ms, 3) for ms in latencies]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
