"""No key seems dead, and long pages are read to their end (DESIGN.md, "The decision moment"):
after Tab, Enter acts on what has focus and the hint says what; where nothing else can take the
focus, Tab does nothing. A notice, feedback or outcome longer than the screen is marked, and
Enter reads on to its last line before it goes on. The help panel wraps once, at its width."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Button, Input, TextArea

from tests.tui.helpers import LONG, SIZE, TUTORIAL, choose, facing, keys_for, play_app, status
from tests.tui.test_drafts import FORMAT2, saved_up_to, to_decision
from tests.tui.visible import visible, visible_lines
from trainer.content import load_module
from trainer.engine import Deciding, Feedback, Outcome, Reading, Step
from trainer.paths import shipped_modules_dir
from trainer.tui.screens.notice import NoticeScreen, PanelScreen
from trainer.tui.widgets.steps import ChoiceList, Page, StepView

PC = shipped_modules_dir() / "peter-connelly-haringey.toml"


def support_paragraphs(path) -> list[str]:
    """The module's support text, a paragraph each, its words on one line."""
    return [" ".join(p.split()) for p in load_module(path).support.split("\n\n") if p.strip()]


CRISIS_LINE, LAST_WORD = support_paragraphs(PC)[-2:]
"""The crisis line (Samaritans, at any hour) and the support text's closing paragraph."""


def as_one_line(app) -> str:
    """The screen as drawn, its wrapped lines read as one and the scroll bar left out."""
    return " ".join(re.sub("[▁-█]", " ", visible(app)).split())


async def through_notices(pilot) -> None:
    for _ in range(20):
        await pilot.pause()
        if not isinstance(pilot.app.screen, NoticeScreen):
            return
        await pilot.press("enter")


# -- long notices --------------------------------------------------------------------------------


async def test_the_content_warning_is_read_to_its_crisis_line_before_the_first_stage(tmp_path):
    app = play_app(tmp_path, PC)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        shown = visible(app)
        assert "Before you start" in shown and "Samaritans" not in shown
        assert "▼ More below: Enter reads on (PageDown scrolls)." in shown
        assert "Samaritans" in CRISIS_LINE and "116 123" in CRISIS_LINE
        seen_crisis_line = False
        for _ in range(10):
            await pilot.press("enter")
            await pilot.pause()
            if not isinstance(app.screen, NoticeScreen) or "Before you start" not in visible(app):
                break
            shown = as_one_line(app)
            if CRISIS_LINE in shown:
                seen_crisis_line = True
                assert LAST_WORD in shown, "the support text to its last line"
                assert visible_lines(app)[-2].strip() == "Press Enter to continue."
        assert seen_crisis_line, "the crisis line was on screen before the notice went"
        assert "About this module" in visible(app), "then the next notice, from its top"


async def test_a_notice_that_fits_does_not_mention_pagedown_and_one_enter_goes_on(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Before you start" in visible(app)
        assert "Press Enter to continue." in visible(app) and "PageDown" not in visible(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "Before you start" not in visible(app)


# -- long feedback and outcomes ------------------------------------------------------------------


async def read_page(pilot, kind) -> list[str]:
    """Enter on a page until it gives way; the status line each time, and checks that the
    page's last line was on screen before it went."""
    app = pilot.app
    said = [status(app)]
    page = app.screen.view
    assert isinstance(page, Page) and isinstance(facing(app), kind)
    last = page.body.plain.rstrip().splitlines()[-1].strip()
    for _ in range(20):
        at_end = last[:60] in " ".join(visible(app).split())
        await pilot.press("enter")
        await pilot.pause()
        if not isinstance(facing(app), kind):
            assert at_end, f"left the page without its last line on screen: {last!r}"
            return said
        said.append(status(app))
    raise AssertionError("the page never gave way")


async def test_long_feedback_and_outcome_are_read_to_their_end_before_going_on(tmp_path):
    app = play_app(tmp_path, PC)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_decision(pilot)
        await choose(pilot, "foster-carers")
        await pilot.press("enter", "4", "enter", *"a non-accidental injury", "enter")
        await pilot.pause()
        said = await read_page(pilot, Feedback)
        assert len(said) >= 2, "the feedback is longer than the screen"
        assert said[0] == "▼ More below: Enter reads on (PageDown scrolls)."
        assert said[-1] == "Press Enter to continue."
        assert isinstance(facing(app), Outcome)
        said = await read_page(pilot, Outcome)
        assert said[0].startswith("▼ More below") and said[-1] == "Press Enter to continue."


async def test_a_page_that_fits_says_nothing_of_pagedown(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=(80, 60)) as pilot:
        await through_notices(pilot)
        await to_decision(pilot)
        await choose(pilot, "strategy-and-medical")
        await pilot.press("enter", "4", "enter", *"not mobile", "enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
        assert status(app) == "Press Enter to continue."
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(facing(app), Feedback), "one Enter goes on"


async def test_a_long_stage_marks_what_is_below_and_enter_reads_it_before_deciding(tmp_path):
    app = play_app(tmp_path, PC)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        assert isinstance(facing(app), Reading)
        last = " ".join(facing(app).stage.narrative.strip().split("\n\n")[-1].split())
        assert status(app).startswith("▼ More below: Enter reads on")
        assert last not in as_one_line(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(facing(app), Reading), "the first Enter read on"
        assert last in as_one_line(app), "to the stage's end"
        assert status(app).startswith("Read the stage, then press Enter to decide")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(facing(app), Deciding)


# -- Tab, then Enter -----------------------------------------------------------------------------


async def test_tab_at_a_decision_keeps_the_list_so_enter_chooses_the_highlighted(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_decision(pilot)
        choices = app.screen.query_one(ChoiceList)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is choices, "nothing else to move to"
        (place,) = keys_for(app, "o2")  # the options are shuffled: o2's place as shown
        await pilot.press(place)
        await pilot.pause()
        assert status(app) == f"Option {place} highlighted: Enter chooses it."
        await pilot.press("tab", "shift+tab", "enter")
        await pilot.pause()
        now = facing(app)
        assert now.step is Step.CONFIDENCE and now.draft.choice == ("o2",)


async def test_tab_at_how_sure_then_enter_confirms_the_highlighted_level(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_decision(pilot)
        await pilot.press("2", "enter", "tab", "4")
        await pilot.pause()
        assert status(app) == "4 (quite sure) highlighted: Enter confirms it."
        await pilot.press("tab", "enter")
        await pilot.pause()
        now = facing(app)
        assert now.step is Step.REASON and now.draft.confidence == 4


async def test_tab_at_a_multiple_choice_keeps_enter_confirming_the_ticks(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_decision(pilot)
        await pilot.press("2", "enter", "4", "enter", *"see the child", "enter")
        await pilot.pause()
        while isinstance(facing(app), Feedback):
            await pilot.press("enter")
            await pilot.pause()
        first, second = keys_for(app, "m1", "m2")  # their places as shown
        await pilot.press("tab", first, "tab", second, "tab", "enter")
        await pilot.pause()
        answer = facing(app).answer
        assert answer.decision_id == "long-multiple" and answer.choice == ("m1", "m2")


async def test_tab_at_a_rank_and_at_the_ticks_moves_nowhere(tmp_path):
    saved_up_to(tmp_path, FORMAT2, "priorities")
    app = play_app(tmp_path, FORMAT2)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_decision(pilot)
        assert facing(app).decision.kind == "rank"
        choices = app.screen.query_one(ChoiceList)
        await pilot.press("tab", "1", "2", "tab", "3")
        await pilot.pause()
        assert app.focused is choices
        await pilot.press("4", "tab", "enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback), "Enter confirmed the order after Tabs"
    saved_up_to(tmp_path / "ticks", FORMAT2, "differently")
    app = play_app(tmp_path / "ticks", FORMAT2)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_decision(pilot)
        await pilot.press(*"see her alone", "ctrl+s", "3", "enter")
        await pilot.pause()
        assert facing(app).step is Step.TICK
        ticks = app.screen.query_one(ChoiceList)
        await pilot.press("tab", "2", "shift+tab")
        await pilot.pause()
        assert app.focused is ticks
        await pilot.press("enter")
        await pilot.pause()
        answer = facing(app).answer
        assert answer.decision_id == "differently" and answer.concepts_claimed == ("alone", "sooner")


async def test_tab_on_a_stage_reaches_its_documents_and_says_what_enter_does(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, Button)
        assert status(app) == "Enter opens “Minutes [sic] of the call [/draft]”; Tab moves on."
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PanelScreen)
        await pilot.press("escape", "tab")
        await pilot.pause()
        assert isinstance(app.focused, Button)
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, StepView) and "Enter" in status(app)
        for _ in range(5):
            if not isinstance(facing(app), Reading):
                break
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(facing(app), Deciding)


async def test_tab_in_a_written_answer_reaches_submit_and_enter_submits(tmp_path):
    saved_up_to(tmp_path, TUTORIAL, "differently")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_decision(pilot)
        await pilot.press(*"check every adult", "escape")
        await pilot.pause()
        assert isinstance(app.focused, StepView)
        await pilot.press("enter")  # back into the text, not dead
        await pilot.pause()
        assert isinstance(app.focused, TextArea) and app.focused.text == "check every adult"
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, Button)
        assert status(app) == "Enter submits your answer; Tab goes back to the text."
        await pilot.press("enter")
        await pilot.pause()
        now = facing(app)
        assert now.step is Step.TICK and now.draft.text == "check every adult"


async def test_tab_after_leaving_the_reason_goes_back_into_it(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_decision(pilot)
        await pilot.press("2", "enter", "4", "enter", *"see", "escape")
        await pilot.pause()
        assert "Enter confirms the reason, Tab goes back to it" in status(app)
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*" her", "escape", "enter")  # Enter on the step confirms
        await pilot.pause()
        assert facing(app).answer.reason == "see her"


async def test_tab_on_a_page_moves_nowhere(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_decision(pilot)
        await pilot.press("2", "enter", "4", "enter", *"see", "enter")
        await pilot.pause()
        page = app.screen.view
        said = status(app)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is page and status(app) == said


# -- the help panel ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [SIZE, (60, 20)], ids=["80x24", "60x20"])
async def test_help_wraps_each_key_under_its_own_description_and_never_twice(tmp_path, size):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        inside = [line.split("│")[1] for line in visible_lines(app) if line.count("│") == 2]
        rows = [re.sub(r"[▁▂▃▄▅▆▇█ ]+$", "", row) for row in inside]  # less the scrollbar
        rows = [row for row in rows if row.strip()]
        key_row = next(i for i, row in enumerate(rows) if row.strip().startswith("1–9"))
        description = rows[key_row].index("choose")
        follow = rows[key_row + 1]
        assert follow[:description].strip() == "", f"hanging indent: {follow!r}"
        assert follow[description:description + 1] != " "
        # No row holds a lone short word left over from a line broken a second time.
        lone = [row for row in rows if re.fullmatch(r"\s*\w{1,3}\s*", row)]
        assert not lone, lone
