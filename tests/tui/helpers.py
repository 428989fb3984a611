"""Helpers for Pilot tests: build the app through the CLI's factory, read the screen, answer by keys."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.text import Text
from textual.widgets import Static

from trainer.engine import Deciding, Step
from trainer.paths import shipped_modules_dir
from trainer.tui.app import TrainerApp
from trainer.tui.factory import build_app
from trainer.tui.screens.notice import NoticeScreen
from trainer.tui.screens.playing import PlayScreen

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


REGISTRATION = "00000000-0000-4000-8000-000000000001"
"""A registration a test can start an attempt under, so that the order its options are shown
in is always the same (snapshots)."""


def play_app(
    saves: Path, module_path: Path, name: str = "Sam Okafor", registration: str | None = None
) -> TrainerApp:
    """The app as `trainer play MODULE --learner NAME --cohort autumn` builds it.

    Args:
        registration: start the learner's first attempt under this registration (the app
            then opens it, not yet begun, as its own); None lets the app start one as it
            always does, under a new random registration.
    """
    if registration is not None:
        begin_attempt(saves, module_path, name, registration)
    return build_app(
        saves=saves, module=str(module_path), learner=name, cohort="autumn", clock=Clock()
    )


def begin_attempt(saves: Path, module_path: Path, name: str, registration: str) -> None:
    """Write a learner's save holding one attempt, not yet begun, under a known registration."""
    from trainer.content import load_module
    from trainer.saves import Attempt, ModuleInfo, SaveFile
    from trainer.saves.store import SaveStore

    module = load_module(module_path)
    store = SaveStore(saves, Clock())
    learner = store.learner(name, "autumn")
    attempt = Attempt(1, registration, "2026-11-25T09:00:00.000Z", position=module.stages[0].id)
    path = store.save_path(learner, module.id)
    path.write_text(SaveFile(learner, ModuleInfo.of(module), [attempt]).dumps(), encoding="utf-8")


def preview_app(saves: Path, module_path: Path) -> TrainerApp:
    """The app as `trainer play MODULE --facilitator` builds it."""
    return build_app(saves=saves, module=str(module_path), is_preview=True, clock=Clock())


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


async def until(pilot, condition, what: str, timeout: float = 10.0) -> None:
    """Wait, letting the app run, until `condition()` holds (a worker's result, say)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def modules_listed(pilot) -> None:
    """Wait until the module list on screen has read the modules (it reads them in a thread)."""
    from trainer.tui.screens.module_list import ModuleListScreen

    def listed() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, ModuleListScreen) and not screen.query("#reading")

    await until(pilot, listed, "the module list")
    await pilot.pause()


async def peers_shown(pilot) -> None:
    """Press p on a feedback and wait for the cohort's tally (counted in a thread)."""
    from trainer.tui.screens.notice import PanelScreen

    await pilot.press("p")
    await until(pilot, lambda: isinstance(pilot.app.screen, PanelScreen), "the peers panel")
    await pilot.pause()


def status(app: TrainerApp) -> str:
    """The play screen's status line."""
    content = app.screen.query_one("#status", Static).content
    return content.plain if isinstance(content, Text) else str(content)


def facing(app: TrainerApp):
    """What the engine says the trainee faces, on the play screen."""
    screen = app.screen
    assert isinstance(screen, PlayScreen), type(screen)
    return screen.facing


def shown_ids(app: TrainerApp) -> list[str]:
    """The option ids of the choice list on screen, top to bottom: the order the trainee sees."""
    from trainer.tui.widgets.steps import ChoiceList

    choices = app.screen.query_one(ChoiceList)
    return [str(choices.get_option_at_index(i).id) for i in range(choices.option_count)]


def keys_for(app: TrainerApp, *option_ids: str) -> list[str]:
    """The digits that choose these options on the decision on screen: each option's place in
    the list as shown (the options are shuffled per attempt)."""
    shown = shown_ids(app)
    return [str(shown.index(option_id) + 1) for option_id in option_ids]


async def choose(pilot, *option_ids: str) -> None:
    """Press the digits of these options on the decision on screen, as placed there."""
    await pilot.pause()
    await pilot.press(*keys_for(pilot.app, *option_ids))


async def onward(pilot) -> None:
    """Enter through notices, stages, feedback and outcomes until a decision is due, or the
    play screen gives way (to the debrief): a page longer than the screen takes an Enter for
    each part still out of view before it goes on."""
    for _ in range(40):
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, NoticeScreen) or (
            isinstance(screen, PlayScreen) and not isinstance(screen.facing, Deciding)
        ):
            await pilot.press("enter")
            continue
        return
    raise AssertionError("no decision came")


async def read_past(pilot, kind: type) -> None:
    """Enter on a page the trainee faces (a `Reading`, `Feedback` or `Outcome`) until it gives
    way: a page longer than the screen takes an Enter for each part still out of view."""
    for _ in range(20):
        await pilot.pause()
        if not isinstance(facing(pilot.app), kind):
            return
        await pilot.press("enter")
    raise AssertionError(f"the {kind.__name__} page never gave way")


def aligned_answer(deciding: Deciding) -> tuple[list[str], str | None]:
    """Keys for a review-aligned answer: digits for options, as placed in the order shown (a
    rank's pressed in the panel's order; a poll's first option shown), or a text built from the
    rubric, whose concepts are then suggested."""
    decision = deciding.decision
    if decision.kind == "text":
        words = [concept.any[0].rstrip("*") for concept in decision.rubric] or ["my notes"]
        return [], " and ".join(words)
    ids = [o.id for o in deciding.options]
    if decision.kind == "rank":
        return [str(ids.index(option_id) + 1) for option_id in decision.panel_order], None
    aligned = [i for i, o in enumerate(deciding.options) if o.verdict == "aligned"] or [0]
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
        elif now.step is Step.TICK:
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
    from trainer.saves.lock import SaveLock

    lock = SaveLock(save_path.with_name(save_path.name + ".lock"))
    try:
        lock.acquire("a test")
    except SaveError:
        return False
    lock.release()
    return True
