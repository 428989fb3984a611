"""Snapshots of each screen at 80x24, with a fixed clock and a temporary saves folder.

Each attempt is started under a fixed registration, so its options are shown in the same
(shuffled) order every run; options are chosen by id, pressing the digit of their place.
"""

from __future__ import annotations

import pytest

from tests.tui.helpers import (
    LONG,
    REGISTRATION,
    SIZE,
    TUTORIAL,
    Clock,
    choose,
    modules_listed,
    preview_app,
)
from tests.tui.helpers import play_app as _play_app
from trainer.engine import Deciding, Feedback
from trainer.tui.factory import build_app
from trainer.tui.screens.notice import NoticeScreen
from trainer.tui.screens.playing import PlayScreen

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def play_app(saves, module_path):
    """The learner's app, its attempt under the fixed registration."""
    return _play_app(saves, module_path, registration=REGISTRATION)


def test_sign_in(snap_compare, tmp_path):
    app = build_app(saves=tmp_path, clock=Clock(), remember=False)
    assert snap_compare(app, terminal_size=SIZE)


def test_content_warning(snap_compare, tmp_path):
    assert snap_compare(play_app(tmp_path, TUTORIAL), terminal_size=SIZE)


async def _onward(pilot):
    """Enter through notices, stages, feedback and outcomes (a page longer than the screen
    takes an Enter for each part out of view) until a decision, or the debrief, shows."""
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


async def _to_decision(pilot):
    await _onward(pilot)


async def _to_feedback(pilot):
    await _to_decision(pilot)
    await choose(pilot, "strategy-and-medical")
    await pilot.press("enter", "4", "enter", *"not mobile", "enter")
    await pilot.pause()


def test_confidence_shows_the_answer_chosen(snap_compare, tmp_path):
    async def run_before(pilot):
        await _to_decision(pilot)
        await choose(pilot, "home-visit")
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(play_app(tmp_path, TUTORIAL), terminal_size=SIZE, run_before=run_before)


def test_long_options_scroll_with_a_mark(snap_compare, tmp_path):
    async def run_before(pilot):
        await _to_decision(pilot)
        await pilot.press("4")
        await pilot.pause()

    assert snap_compare(play_app(tmp_path, LONG), terminal_size=SIZE, run_before=run_before)


def test_stage_narrative(snap_compare, tmp_path):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("enter", "enter")
        await pilot.pause()

    assert snap_compare(play_app(tmp_path, TUTORIAL), terminal_size=SIZE, run_before=run_before)


def test_decision(snap_compare, tmp_path):
    assert snap_compare(play_app(tmp_path, TUTORIAL), terminal_size=SIZE, run_before=_to_decision)


def test_feedback(snap_compare, tmp_path):
    assert snap_compare(play_app(tmp_path, TUTORIAL), terminal_size=SIZE, run_before=_to_feedback)


def test_facilitator_preview(snap_compare, tmp_path):
    assert snap_compare(
        preview_app(tmp_path, TUTORIAL), terminal_size=SIZE, run_before=_to_decision
    )


def test_help(snap_compare, tmp_path):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(play_app(tmp_path, TUTORIAL), terminal_size=SIZE, run_before=run_before)


def test_debrief(snap_compare, tmp_path):
    async def run_before(pilot):
        await _onward(pilot)
        await choose(pilot, "advice-only")
        await pilot.press("enter", "1", "enter", "x", "enter")
        await _onward(pilot)
        await choose(pilot, "second-strategy")
        await pilot.press("enter", "3", "enter")
        await _onward(pilot)
        await choose(pilot, "ask-name")
        await pilot.press("enter", "3", "enter")
        await _onward(pilot)
        await choose(pilot, "uneasy")
        await pilot.press("enter")
        await _onward(pilot)
        await pilot.press(*"check every adult", "ctrl+s", "enter")
        await _onward(pilot)

    assert snap_compare(play_app(tmp_path, TUTORIAL), terminal_size=SIZE, run_before=run_before)


def test_module_list(snap_compare, tmp_path):
    import shutil

    modules = tmp_path / "modules"
    modules.mkdir()
    shutil.copy(TUTORIAL, modules)
    app = build_app(saves=tmp_path / "saves", modules_dir=str(modules), clock=Clock(), learner="Sam")
    assert snap_compare(app, terminal_size=SIZE, run_before=modules_listed)


def test_glossary(snap_compare, tmp_path):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("enter", "enter", "g")
        await pilot.pause()

    assert snap_compare(play_app(tmp_path, TUTORIAL), terminal_size=SIZE, run_before=run_before)


def test_outcome(snap_compare, tmp_path):
    async def run_before(pilot):
        await _to_feedback(pilot)
        while isinstance(pilot.app.screen.facing, Feedback):
            await pilot.press("enter")
            await pilot.pause()

    assert snap_compare(play_app(tmp_path, TUTORIAL), terminal_size=SIZE, run_before=run_before)


FORMAT2 = LONG.parents[2] / "fixtures" / "format2.toml"


def test_rank_decision_part_placed(snap_compare, tmp_path):
    async def run_before(pilot):
        await _to_decision(pilot)
        await choose(pilot, "letter")
        await pilot.press("enter", "3", "enter")
        await _onward(pilot)
        await choose(pilot, "see-alone", "records")
        await pilot.pause()

    assert snap_compare(play_app(tmp_path, FORMAT2), terminal_size=SIZE, run_before=run_before)


def test_ticking_what_a_written_answer_covered(snap_compare, tmp_path):
    async def run_before(pilot):
        await _to_decision(pilot)
        await choose(pilot, "letter")
        await pilot.press("enter", "3", "enter")
        await _onward(pilot)
        await choose(pilot, "see-alone", "strategy", "records", "letter-home")
        await pilot.press("enter")
        await _onward(pilot)
        await choose(pilot, "uneasy")
        await pilot.press("enter")
        await _onward(pilot)
        await choose(pilot, "see-at-school")
        await pilot.press("enter")
        await _onward(pilot)
        await pilot.press(*"I would see her alone", "ctrl+s", "3", "enter")
        await pilot.pause()

    assert snap_compare(play_app(tmp_path, FORMAT2), terminal_size=SIZE, run_before=run_before)
