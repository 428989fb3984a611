"""Helpers for Pilot tests: build the app as the CLI does, read the screen, answer decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from trainer.content import load_module
from trainer.engine import Decision, Module
from trainer.paths import shipped_modules_dir
from trainer.saves.store import SaveStore
from trainer.tui.app import TrainerApp, build_app
from trainer.tui.session import Session

SIZE = (80, 24)
TUTORIAL = shipped_modules_dir() / "tutorial-riverside.toml"
FIXTURE = Path(__file__).parent / "fixtures" / "literal.toml"


class Clock:
    """A fixed clock that moves on one second a call."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def play_app(saves: Path, module_path: Path, name: str = "Sam Okafor") -> TrainerApp:
    """The app as `trainer play MODULE --learner NAME` builds it."""
    clock = Clock()
    store = SaveStore(saves, clock)
    learner = store.learner(name, "autumn")
    module = load_module(module_path)
    session = Session.open(store.open(learner, module), learner)
    return build_app(saves, session=session, clock=clock, remember=False)


def preview_app(saves: Path, module_path: Path) -> TrainerApp:
    """The app as `trainer play MODULE --facilitator` builds it."""
    session = Session.preview(load_module(module_path))
    return build_app(saves, session=session, clock=Clock(), remember=False)


def screen_text(app: TrainerApp) -> str:
    """All the text of the visible Static widgets of the current screen."""
    parts = []
    for widget in app.screen.query(Static):
        if not widget.display:
            continue
        content = widget.content
        parts.append(content.plain if isinstance(content, Text) else str(content))
    return "\n".join(parts)


def aligned_answer(decision: Decision) -> tuple[list[str], str | None]:
    """Keys for a review-aligned answer: digits for options, or a text built from the rubric."""
    if decision.kind == "text":
        words = [concept.any[0].rstrip("*") for concept in decision.rubric]
        return [], " and ".join(words)
    aligned = [i for i, o in enumerate(decision.options) if o.verdict == "aligned"]
    if decision.kind == "single":
        return [str(aligned[0] + 1)], None
    return [str(i + 1) for i in aligned], None


async def answer(
    pilot,
    module: Module,
    decision: Decision,
    keys: list[str],
    text: str | None,
    reason: str = "for the child",
) -> None:
    """Answer the decision on screen in the brief's order of steps."""
    if text is not None:
        await pilot.press(*list(text))
        await pilot.press("ctrl+s")
    else:
        await pilot.press(*keys, "enter")
    if decision.ask_confidence:
        await pilot.press("4", "enter")
    if decision.reflection and decision.kind != "text":
        await pilot.press(*list(reason), "enter")
    await pilot.pause()
