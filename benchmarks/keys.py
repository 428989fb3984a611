"""Key press to feedback: how long after the key that confirms an answer its feedback is drawn.

    python -m benchmarks.keys ours MODULE    play MODULE to the end by keys, headless at 80x24
    python -m benchmarks.keys floor N        a bare Textual app redrawing on N key presses

Each prints one JSON object with two lists of latencies in milliseconds, one per timed key:

- `drawn`: from pressing the key to the first frame that shows its result (for ours, the
  first frame with the feedback page on screen; for the floor, the first with the line's
  new text). This is what the trainee waits for, and what the budget is on.
- `idle`: from pressing the key until the app has nothing left to do
  (`await pilot.press(key)` then `await pilot.pause()`), which adds the test pilot's own
  waiting and any work the app does after the frame.

For ours the timed key is the one confirming an answer (the last Enter, or Ctrl+S of a
written answer): the time includes the engine's move, the save's atomic write with its
fsync, and the feedback's widgets. A frame is taken as drawn when Textual hands the
screen's update to its driver (`App._display`, which headless runs skip writing): the
only place a benchmark can see a frame, so it is wrapped here and nowhere else.
`benchmarks.run` runs both, interleaved, and compares the distributions.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from trainer.engine import Deciding, Feedback, Outcome, Reading, Step

SIZE = (80, 24)


class BareKeys(App[None]):
    """The floor: one line, redrawn with a count on every key press."""

    presses = 0

    def compose(self) -> ComposeResult:
        yield Static("Pressed 0 keys.", id="line")

    def on_key(self) -> None:
        self.presses += 1
        self.query_one("#line", Static).update(f"Pressed {self.presses} keys.")


class Frames:
    """When the app draws a frame, and whether each showed what a timed key waits for."""

    def __init__(self, app: App[Any]) -> None:
        self.drawn: list[tuple[float, bool]] = []
        self.shows: Callable[[], bool] = lambda: False
        display = app._display

        def timed_display(screen: Any, update: Any) -> None:
            display(screen, update)
            if update is not None and not app._batch_count:
                self.drawn.append((time.perf_counter(), self.shows()))

        app._display = timed_display  # type: ignore[method-assign,assignment]

    async def timed(
        self, pilot: Pilot[Any], key: str, shows: Callable[[], bool]
    ) -> tuple[float, float] | None:
        """Press `key`: milliseconds to the first frame for which `shows()` is true, and to
        idle; None when no frame after the key showed it."""
        self.shows = shows
        seen = len(self.drawn)
        start = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        idle = time.perf_counter() - start
        self.shows = lambda: False
        drawn = next((at for at, showed in self.drawn[seen:] if showed), None)
        if drawn is None:
            return None
        return (drawn - start) * 1000, idle * 1000


Latencies = dict[str, list[float]]


def _latencies(timings: list[tuple[float, float]]) -> Latencies:
    return {"drawn": [t[0] for t in timings], "idle": [t[1] for t in timings]}


def floor(presses: int) -> Latencies:
    """Latencies of `presses` key presses in the bare app."""
    timings: list[tuple[float, float]] = []
    app = BareKeys()
    frames = Frames(app)

    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        for n in range(1, presses + 1):
            took = await frames.timed(pilot, "enter", lambda n=n: app.presses >= n)  # type: ignore[misc]
            assert took is not None, "the bare app drew no frame after a key"
            timings.append(took)
        pilot.app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=run)
    return _latencies(timings)


def _answer_keys(now: Deciding) -> list[str]:
    """Keys for a review-aligned answer, the confirming key last: digits are places in the
    order the options are shown in (shuffled per attempt)."""
    decision = now.decision
    if decision.kind == "text":
        words = [concept.any[0].rstrip("*") for concept in decision.rubric] or ["my notes"]
        return [*" and ".join(words), "ctrl+s"]
    ids = [o.id for o in now.options]
    if decision.kind == "rank":
        return [*(str(ids.index(o) + 1) for o in decision.panel_order), "enter"]
    aligned = [i for i, o in enumerate(now.options) if o.verdict == "aligned"] or [0]
    if decision.kind == "single":
        return [str(aligned[0] + 1), "enter"]
    return [*(str(i + 1) for i in aligned), "enter"]


def _step_keys(now: Deciding) -> list[str]:
    """Keys for the step after the choice, the confirming key last."""
    if now.step is Step.CONFIDENCE:
        return ["4", "enter"]
    if now.step is Step.REASON:
        return [*"for the child", "enter"]
    if now.step is Step.TICK:
        covered = now.suggested
        return [str(i + 1) for i, c in enumerate(now.decision.rubric) if c.id not in covered] + [
            "enter"
        ]
    raise SystemExit(f"stuck at {now.step} of {now.decision.id}")


def ours(module: str) -> Latencies:
    """Latencies of the keys that confirm an answer, over a whole play-through of `module`."""
    from trainer.tui.factory import build_app
    from trainer.tui.screens.debrief import DebriefScreen
    from trainer.tui.screens.notice import NoticeScreen

    timings: list[tuple[float, float]] = []

    def feedback_shown() -> bool:
        screen: Any = app.screen
        view = getattr(screen, "view", None)
        return isinstance(getattr(screen, "facing", None), Feedback) and bool(view and view.display)

    async def press_all(pilot: Pilot[Any], keys: list[str]) -> None:
        """Press all but the last key untimed; time the last if it brings feedback."""
        await pilot.press(*keys[:-1])
        took = await frames.timed(pilot, keys[-1], feedback_shown)
        if isinstance(pilot.app.screen.facing, Feedback):  # type: ignore[attr-defined]
            if took is None:
                raise SystemExit("the feedback was never drawn")
            timings.append(took)

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
                await press_all(pilot, _answer_keys(now) if choosing else _step_keys(now))
        else:
            raise SystemExit("the module did not end")
        pilot.app.exit()

    with tempfile.TemporaryDirectory() as saves:
        app = build_app(saves=saves, module=module, learner="Bench", remember=False)
        frames = Frames(app)
        app.run(headless=True, size=SIZE, auto_pilot=run)
    if not timings:
        raise SystemExit("no answer was confirmed")
    return _latencies(timings)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("ours", "floor"):
        print(__doc__, file=sys.stderr)
        return 2
    latencies = ours(argv[1]) if argv[0] == "ours" else floor(int(argv[1]))
    print(json.dumps({kind: [round(ms, 3) for ms in values] for kind, values in latencies.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
