"""Helpers for Pilot tests: build the app through the CLI's factory, read the screen, answer by keys."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.text import Text
from textual.widgets import Static

from trainer.engine import Deciding, Decision, Step
from trainer.paths import shipped_modules_dir
from trainer.tui.app import TrainerApp, build_app
from trainer.tui.screens.play import PlayScreen

SIZE = (80, 24)
TUTORIAL = shipped_modules_dir() / "tutorial-riverside.toml"
FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "literal.toml"
LONG = FIXTURES / "long.toml"


class Clock:
    """A fixed clock that moves on one second a call."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def play_app(saves: Path, module_path: Path, name: str = "Sam Okafor") -> TrainerApp:
    """The app as `trainer play MODULE --learner NAME --cohort autumn` builds it."""
    return build_app(
        saves=saves, module=str(module_path), learner=name, cohort="autumn", clock=Clock()
    )


def preview_app(saves: Path, module_path: Path) -> TrainerApp:
    """The app as `trainer play MODULE --facilitator` builds it."""
    return build_app(saves=saves, module=str(module_path), facilitator=True, clock=Clock())


def screen_text(app: TrainerApp) -> str:
    """All the text of the visible Static widgets of the current screen (a widget inside a
    hidden one is not visible)."""
    parts = []
    for widget in app.screen.query(Static):
        if not all(node.display for node in widget.ancestors_with_self if node is not app):
            continue
        content = widget.content
        if isinstance(content, Text | str):
            parts.append(content.plain if isinstance(content, Text) else content)
        else:  # a Rich renderable (an option row, a group): its text, unwrapped
            console = Console(width=400, record=True, file=io.StringIO())
            console.print(content)
            parts.append(console.export_text())
    return "\n".join(parts)


def status(app: TrainerApp) -> str:
    """The play screen's status line."""
    content = app.screen.query_one("#status", Static).content
    return content.plain if isinstance(content, Text) else str(content)


def facing(app: TrainerApp):
    """What the engine says the trainee faces, on the play screen."""
    screen = app.screen
    assert isinstance(screen, PlayScreen), type(screen)
    return screen.facing


def aligned_answer(decision: Decision) -> tuple[list[str], str | None]:
    """Keys for a review-aligned answer: digits for options (a rank's in the panel's order; a
    poll's first option), or a text built from the rubric, whose concepts are then suggested."""
    if decision.kind == "text":
        words = [concept.any[0].rstrip("*") for concept in decision.rubric] or ["my notes"]
        return [], " and ".join(words)
    ids = [o.id for o in decision.options]
    if decision.kind == "rank":
        return [str(ids.index(option_id) + 1) for option_id in decision.panel_order], None
    aligned = [i for i, o in enumerate(decision.options) if o.verdict == "aligned"] or [0]
    if decision.kind == "single":
        return [str(aligned[0] + 1)], None
    return [str(i + 1) for i in aligned], None


async def answer(pilot, keys: list[str], text: str | None, reason: str = "for the child") -> None:
    """Answer the decision on screen by keys, step by step, as the engine asks for them."""
    app = pilot.app
    if text is not None:
        await pilot.press(*list(text), "ctrl+s")
    else:
        await pilot.press(*keys, "enter")
    await pilot.pause()
    while isinstance(now := facing(app), Deciding):
        if now.step is Step.CONFIDENCE:
            await pilot.press("4", "enter")
        elif now.step is Step.REASON:
            await pilot.press(*list(reason), "enter")
        elif now.step is Step.CLAIM:
            # Tick every concept the answer covered: those not already suggested, then confirm.
            unticked = [
                str(i + 1) for i, c in enumerate(now.decision.rubric) if c.id not in now.suggested
            ]
            await pilot.press(*unticked, "enter")
        else:
            raise AssertionError(f"stuck at {now.step} of {now.decision.id}: {status(app)}")
        await pilot.pause()


def _plain(renderable) -> str:
    console = Console(width=400, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def options_text(app: TrainerApp) -> str:
    """The text of every row of the choice list on screen, one row to a line."""
    from trainer.tui.widgets.steps import ChoiceList

    choices = app.screen.query_one(ChoiceList)
    rows = [choices.get_option_at_index(i).prompt for i in range(choices.option_count)]
    return "\n".join(" ".join(_plain(row).split()) for row in rows)


def lock_released(save_path: Path) -> bool:
    """Whether a save's lock is free: another app could open the save now."""
    from trainer.errors import SaveError
    from trainer.saves.atomic import SaveLock

    lock = SaveLock(save_path.with_name(save_path.name + ".lock"))
    try:
        lock.acquire("a test")
    except SaveError:
        return False
    lock.release()
    return True
