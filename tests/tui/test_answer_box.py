"""The "Your answer" box at the steps after the choice shows the trainee's own answer (a rank in
the trainee's order), takes only the room the step's controls leave it, and at 60x20 every
list marks what lies below and the reason's field is whole."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from tests.tui.helpers import SIZE, facing, options_text, play_app
from tests.tui.test_drafts import saved_up_to, to_decision
from tests.tui.test_reading_and_focus import PC, through_notices
from tests.tui.visible import visible, visible_lines, wholly_on_screen
from trainer.engine import Step
from trainer.tui.widgets.steps import AnswerSoFar, ChoiceList

LEVELS = ["1. Not at all sure", "2. Not very sure", "3. Fairly sure", "4. Quite sure",
          "5. Very sure"]  # fmt: skip


def box_rows(app) -> list[str]:
    """The rows of the answer's box as drawn (its left bar taken off)."""
    box = app.screen.query_one(AnswerSoFar)
    top, height = box.region.y, box.region.height
    return [line.strip().lstrip("█▌▊").strip() for line in visible_lines(app)[top : top + height]]


def shown_rows(app) -> list[str]:
    """The list's options in the order shown, one line each, less their number."""
    return [row.split(". ", 1)[1] for row in options_text(app).splitlines()]


def assert_all_counted(rows: list[str], ticked: int) -> None:
    """Every option ticked is in the box: listed, or counted in "… and N more"."""
    listed = [row for row in rows if row.startswith("• ")]
    more = [row for row in rows if row.startswith("… and ")]
    counted = int(more[0].split()[2]) if more else 0
    assert listed and len(listed) + counted == ticked, rows


async def at_pc_decision(pilot, tmp_path, decision_id: str) -> None:
    await through_notices(pilot)
    await to_decision(pilot)
    assert facing(pilot.app).decision.id == decision_id


async def test_a_rank_shows_the_trainees_own_order_with_the_controls_in_view(tmp_path):
    saved_up_to(tmp_path, PC, "april-priorities")
    app = play_app(tmp_path, PC)
    async with app.run_test(size=SIZE) as pilot:
        await at_pc_decision(pilot, tmp_path, "april-priorities")
        shown = shown_rows(app)
        assert len(shown) == 6
        await pilot.press("6", "5", "4", "3", "2", "1", "enter")
        await pilot.pause()
        now = facing(app)
        assert now.step is Step.CONFIDENCE
        rows = box_rows(app)
        assert rows[0] == "Your answer" and rows[-1] == "Escape goes back to change it."
        placed = [row for row in rows if row[:2] in {f"{n}." for n in range(1, 7)}]
        assert [row[:2] for row in placed] == ["1.", "2.", "3.", "4.", "5.", "6."]
        for row, text in zip(placed, reversed(shown), strict=True):
            assert text.startswith(row[3:].rstrip("…").rstrip()), (row, text)
        screen = visible(app)
        for level in LEVELS:
            assert level in screen, f"{level} is in view"


async def test_five_ticked_options_leave_how_sure_the_reason_and_escape_in_view(tmp_path):
    saved_up_to(tmp_path, PC, "the-man")
    app = play_app(tmp_path, PC)
    async with app.run_test(size=SIZE) as pilot:
        await at_pc_decision(pilot, tmp_path, "the-man")
        await pilot.press("1", "2", "3", "4", "5", "enter")
        await pilot.pause()
        assert facing(app).step is Step.CONFIDENCE
        screen = visible(app)
        for level in LEVELS:
            assert level in screen
        assert "Escape goes back to change it." in screen
        assert_all_counted(box_rows(app), 5)
        await pilot.press("4", "enter")
        await pilot.pause()
        assert facing(app).step is Step.REASON
        screen = visible(app)
        assert "How sure: 4 of 5 (quite sure)" in screen
        assert "Escape goes back to change it." in screen
        assert wholly_on_screen(app.screen.query_one(Input))


@pytest.mark.parametrize("size", [(60, 20), SIZE], ids=["60x20", "80x24"])
async def test_every_level_of_how_sure_shows_and_the_reason_field_is_whole(tmp_path, size):
    saved_up_to(tmp_path, PC, "the-man")
    app = play_app(tmp_path, PC)
    async with app.run_test(size=size) as pilot:
        await at_pc_decision(pilot, tmp_path, "the-man")
        await pilot.press("1", "2", "3", "4", "5", "enter")
        await pilot.pause()
        screen = visible(app)
        assert "4. Quite sure" in screen and "5. Very sure" in screen
        assert "Escape goes back to change it." in screen
        assert_all_counted(box_rows(app), 5)
        await pilot.press("5", "enter")
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert wholly_on_screen(field), (field.region, field.parent.scrollable_content_region)
        assert "Escape goes back to change it." in visible(app)


async def test_where_the_levels_cannot_all_fit_the_list_says_more_below(tmp_path):
    saved_up_to(tmp_path, PC, "the-man")
    app = play_app(tmp_path, PC)
    async with app.run_test(size=(60, 15)) as pilot:
        await at_pc_decision(pilot, tmp_path, "the-man")
        await pilot.press("1", "2", "3", "4", "5", "enter")
        await pilot.pause()
        levels = app.screen.query_one("#confidence", ChoiceList)
        assert levels.max_scroll_y > 0, "this terminal is too short for all five"
        mark = app.screen.query_one("#more", Static)
        assert "▼ more below" in str(mark.content)
        await pilot.press("5")
        await pilot.pause()
        assert "▲ more above" in str(mark.content) and "5. Very sure" in visible(app)


async def test_options_below_the_fold_are_marked_at_60x20(tmp_path):
    saved_up_to(tmp_path, PC, "while-waiting")
    app = play_app(tmp_path, PC)
    async with app.run_test(size=(60, 20)) as pilot:
        await at_pc_decision(pilot, tmp_path, "while-waiting")
        assert "▼ more below" in visible(app)


async def test_a_long_written_answer_is_shortened_and_the_points_stay_in_view(tmp_path):
    saved_up_to(tmp_path, PC, "adults-reflection")
    app = play_app(tmp_path, PC)
    async with app.run_test(size=SIZE) as pilot:
        await at_pc_decision(pilot, tmp_path, "adults-reflection")
        lines = [f"Line {n} of a long reflection on every adult." for n in range(1, 13)]
        for line in lines:
            await pilot.press(*line, "enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        if facing(app).step is Step.CONFIDENCE:
            await pilot.press("3", "enter")
            await pilot.pause()
        assert facing(app).step is Step.TICK
        rows = box_rows(app)
        assert rows[1 + 1].startswith("Line 1 of"), rows
        assert any(row.startswith("… and") and "more lines" in row for row in rows), rows
        assert rows[-1] == "Escape goes back to change it."
        claims = app.screen.query_one("#choices", ChoiceList)
        assert claims.scrollable_content_region.height >= 3, "the points to tick have room"
