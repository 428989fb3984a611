"""The December walkthrough's smaller defects, by real keys at 80x24: the header after a
branch, wrapped lines that keep their indent, an outcome that refers to the findings already
shown, and a glossary of the terms met so far."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import Static

from tests.tui.helpers import (
    SIZE,
    TUTORIAL,
    choose,
    facing,
    play_app,
    preview_app,
    read_past,
    screen_text,
)
from trainer.engine import Feedback, Outcome, Reading
from trainer.paths import shipped_modules_dir
from trainer.tui.screens.notice import NoticeScreen, PanelScreen

CASE = shipped_modules_dir() / "peter-connelly-haringey.toml"


async def through_notices(pilot) -> None:
    await pilot.pause()
    while isinstance(pilot.app.screen, NoticeScreen):
        await pilot.press("enter")
        await pilot.pause()


def drawn(widget: Static) -> list[str]:
    """The lines of a widget as drawn at its width (wrapped, as the trainee sees them)."""
    region = widget.content_region
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, *region.size))]


def header(app) -> str:
    return app.screen.query_one("#header", Static).content.plain


async def first_stage_answered(pilot) -> None:
    """The tutorial's first decision answered as the review would (it branches past stage 2)."""
    await through_notices(pilot)
    await pilot.press("enter")
    await choose(pilot, "strategy-and-medical")
    await pilot.press("enter", "4", "enter")
    await pilot.press(*"the baby is not mobile", "enter")
    await pilot.pause()


async def steps_in_order(pilot) -> None:
    """From the first decision's feedback, put the rank decision's steps in order."""
    await read_past(pilot, Feedback)
    await choose(pilot, "strategy", "medical", "ask-again")
    await pilot.press("enter")
    await pilot.pause()


async def test_after_a_branch_the_header_says_which_stage_is_not_on_the_path(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await first_stage_answered(pilot)
        assert header(app).startswith("Stage 1 of 4 · February 2025\n")
        await steps_in_order(pilot)
        await read_past(pilot, Feedback)  # each part of a long page, then what happened
        await read_past(pilot, Outcome)
        now = facing(app)
        assert isinstance(now, Reading) and now.stage.id == "home"
        assert header(app) == (
            "Stage 3 of 4 · March 2025 · stage 2 is not on your path\nA visit to the flat"
        )
        assert "second call" not in screen_text(app)
        # It fits the header's line at 80 columns.
        assert all(len(line) <= 78 for line in drawn(app.screen.query_one("#header", Static)))


async def test_wrapped_feedback_keeps_its_indent(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await first_stage_answered(pilot)
        assert isinstance(facing(app), Feedback)
        lines = drawn(app.screen.query_one(".page-text", Static))
        start = lines.index("  The review said a bruise on a baby who is not yet mobile always calls for")
        assert lines[start + 1] == "  further enquiry: a joint discussion and a medical examination."
        quote = next(i for i, line in enumerate(lines) if line.startswith("  “a bruise"))
        assert lines[quote + 1].startswith("   enquiry”")
        cite = next(i for i, line in enumerate(lines) if line.startswith("  — Riverside"))
        assert lines[cite + 1].startswith("    ")


async def test_the_outcome_refers_once_to_what_the_answer_showed(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await first_stage_answered(pilot)
        await steps_in_order(pilot)
        await read_past(pilot, Feedback)
        assert isinstance(facing(app), Outcome)
        text = screen_text(app)
        assert text.count("The findings shown with your answers apply here too.") == 1
        assert "As shown with your answer" not in text
        assert "a bruise on a baby who is not yet mobile should always" not in text


async def test_the_glossary_holds_the_terms_met_so_far_and_the_preview_all(tmp_path):
    app = play_app(tmp_path, CASE)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, PanelScreen)
        text = " ".join(screen_text(app).split())
        assert "Terms used in the case so far; more are added as you go on." in text
        assert "strategy discussion" in text and "section 47 enquiry" in text
        assert "standard of proof" not in text and "Re B (2008)" not in text
    preview = preview_app(tmp_path, CASE)
    async with preview.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("g")
        await pilot.pause()
        text = " ".join(screen_text(preview).split())
        assert "standard of proof" in text and "so far" not in text
