"""A new attempt is asked for first, on the debrief, in the module list and in the preview:
one stray key never starts one, and answering no leaves the save byte for byte as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Button, OptionList

from tests.cohort.conftest import PLANS
from tests.tui.helpers import (
    SIZE,
    TUTORIAL,
    Clock,
    modules_listed,
    play_app,
    preview_app,
    screen_text,
)
from trainer.content import load_module
from trainer.engine.autoplay import Response, play
from trainer.saves import read_save
from trainer.saves.store import SaveStore
from trainer.tui.factory import build_app
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.screens.module_list import ModuleListScreen
from trainer.tui.screens.notice import NoticeScreen

MODULE = load_module(TUTORIAL)


def saved(saves: Path, plan: dict | None = None) -> Path:
    """Sam Okafor's save of the tutorial, played by the engine as `plan` says (by default to
    the end, in line with the review); its path."""
    plan = PLANS["aligned"] if plan is None else plan
    store = SaveStore(saves, Clock())
    learner = store.learner("Sam Okafor", "autumn")
    with store.open(learner, MODULE) as save:
        answers = {d: Response(**given) for d, given in plan.items()}
        save.record(play(save.playthrough(), lambda f: answers.get(f.decision.id)))
        return save.path


def attempts(path: Path) -> list[tuple[int, int, bool]]:
    """Each attempt's number, answers and whether it is finished, as on disk."""
    return [(a.number, len(a.answers), a.finished) for a in read_save(path).attempts]


def assert_all_in_view(app) -> None:
    """The question is wholly on screen at 80x24: nothing to scroll, every line in view."""
    screen = app.screen
    assert isinstance(screen, ConfirmScreen)
    box = screen.query_one(VerticalScroll)
    assert box.max_scroll_y == 0, "the question fits without scrolling"
    whole = Region(0, 0, *SIZE)
    for widget in (*screen.query(Button), box):
        assert whole.contains_region(widget.region), widget


def buttons(app) -> list[str]:
    return [str(button.label) for button in app.screen.query(Button)]


async def test_n_on_the_debrief_asks_first_and_no_keeps_the_debrief_and_the_save(tmp_path):
    path = saved(tmp_path)
    before = path.read_bytes()
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        for cancel in (["escape"], ["n"], ["enter"]):  # Enter: the safe button has focus
            await pilot.press("n")
            await pilot.pause()
            assert_all_in_view(app)
            text = screen_text(app)
            assert "Start attempt 2?" in text
            assert "Your finished attempt 1 (score 100%) and its answers are kept" in text
            assert "answer n, then press m to save it as Markdown" in text
            assert buttons(app) == ["Start attempt 2 (y)", "Keep the debrief (n)"]
            assert app.focused is app.screen.query_one("#no", Button)
            assert "Enter: Keep the debrief" in text
            await pilot.press(*cancel)
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen), cancel
            assert app.session.attempt_number == 1
            assert path.read_bytes() == before
    assert path.read_bytes() == before
    assert attempts(path) == [(1, 4, True)]


async def test_n_then_q_on_the_debrief_quits_with_the_save_as_it_was(tmp_path):
    """The walkthrough's steps: a stray n, then q."""
    path = saved(tmp_path)
    before = path.read_bytes()
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert path.read_bytes() == before


@pytest.mark.parametrize("keys", [["y"], ["tab", "enter"]], ids=["y", "tab-enter"])
async def test_confirming_on_the_debrief_starts_attempt_2(tmp_path, keys):
    path = saved(tmp_path)
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        if keys == ["tab", "enter"]:
            await pilot.press("tab")
            await pilot.pause()
            assert app.focused is app.screen.query_one("#yes", Button)
            assert "Enter: Start attempt 2" in screen_text(app)
        await pilot.press(*keys[-1:])
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        assert app.session.attempt_number == 2
    assert attempts(path) == [(1, 4, True), (2, 0, False)]


def list_app(saves: Path, module_path: Path = TUTORIAL):
    """The module list, as `trainer` shows it to a signed-in learner."""
    modules = saves.parent / "modules"
    modules.mkdir(exist_ok=True)
    shutil.copy(module_path, modules)
    return build_app(saves=saves, modules_dir=str(modules), learner="Sam Okafor", cohort="autumn")


async def test_start_again_in_the_module_list_asks_first(tmp_path):
    path = saved(tmp_path / "saves")
    before = path.read_bytes()
    app = list_app(tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await modules_listed(pilot)
        for cancel in ("escape", "n", "enter"):
            await pilot.press("n")
            await pilot.pause()
            assert_all_in_view(app)
            text = screen_text(app)
            assert "Start attempt 2?" in text and MODULE.title in text
            assert "Your finished attempt 1 (score 100%) and its answers are kept" in text
            assert "Markdown" not in text
            assert buttons(app) == ["Start attempt 2 (y)", "Cancel (n)"]
            await pilot.press(cancel)
            await pilot.pause()
            assert isinstance(app.screen, ModuleListScreen), cancel
            assert app.session is None, "no module opened"
            assert path.read_bytes() == before
        await pilot.press("n", "y")
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        assert app.session.attempt_number == 2
    assert attempts(path) == [(1, 4, True), (2, 0, False)]


async def test_start_again_on_an_unfinished_attempt_says_it_cannot_be_resumed(tmp_path):
    path = saved(tmp_path / "saves", PLANS["unfinished"])
    before = path.read_bytes()
    app = list_app(tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await modules_listed(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert_all_in_view(app)
        text = screen_text(app)
        total = MODULE.decision_count
        assert f"Attempt 1 is not finished (1 of {total} answered)" in text
        assert "it cannot be resumed once attempt 2 has started" in text
        await pilot.press("escape")
        await pilot.pause()
        assert path.read_bytes() == before
        await pilot.press("n", "y")
        await pilot.pause()
        assert app.session.attempt_number == 2
    assert attempts(path) == [(1, 1, False), (2, 0, False)]


async def test_start_again_with_nothing_answered_just_opens_the_module(tmp_path):
    app = list_app(tmp_path / "saves")
    async with app.run_test(size=SIZE) as pilot:
        await modules_listed(pilot)
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 0
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen), "nothing to start again from: no question"
        assert app.session.attempt_number == 1


async def test_the_preview_asks_before_it_starts_again(tmp_path):
    from tests.tui.test_play import play_to_the_end, through_notices

    app = preview_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await play_to_the_end(pilot, MODULE)
        answered = app.session.playthrough.answers
        await pilot.press("n")
        await pilot.pause()
        assert_all_in_view(app)
        text = screen_text(app)
        assert "Start the preview again from the beginning?" in text
        assert "The preview saves nothing" in text
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert app.session.playthrough.answers == answered
        await pilot.press("n", "y")
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        assert not app.session.started
    assert list(tmp_path.iterdir()) == []


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_snapshot_of_the_question_on_the_debrief(snap_compare, tmp_path):
    saved(tmp_path)

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(play_app(tmp_path, TUTORIAL), terminal_size=SIZE, run_before=run_before)
