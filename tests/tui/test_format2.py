"""Format 2 on screen, by keys at 80x24: headings by voice with citations, what was done at the
time, a rank decision, a poll without a verdict, a written answer compared by the trainee's ticks."""

from __future__ import annotations

from pathlib import Path

from tests.tui.helpers import (
    SIZE,
    choose,
    facing,
    keys_for,
    options_text,
    play_app,
    preview_app,
    screen_text,
    status,
)
from trainer.engine import Deciding, Feedback, Outcome, Step
from trainer.saves import read_save
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.screens.notice import NoticeScreen, PanelScreen
from trainer.tui.screens.playing import PlayScreen

FORMAT2 = Path(__file__).parents[1] / "fixtures" / "format2.toml"


async def through_notices(pilot) -> None:
    await pilot.pause()
    while isinstance(pilot.app.screen, NoticeScreen):
        await pilot.press("enter")
        await pilot.pause()


async def onward(pilot) -> None:
    """Enter until a decision is due, or the debrief shows: a page longer than the screen
    takes an Enter for each part still out of view."""
    for _ in range(30):
        await pilot.pause()
        if not isinstance(pilot.app.screen, PlayScreen) or isinstance(facing(pilot.app), Deciding):
            return
        await pilot.press("enter")
    raise AssertionError("no decision came")


def flat(app) -> str:
    """The screen's text with line breaks folded, so wrapped phrases can be found."""
    return " ".join(screen_text(app).split())


async def test_feedback_groups_findings_by_voice_and_cites_publisher_date_and_title(tmp_path):
    app = play_app(tmp_path, FORMAT2)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("enter")
        await choose(pilot, "visit")
        await pilot.press("enter", "4", "enter")
        await pilot.pause()
        text = flat(app)
        assert "✓ Aligned with the review" in text
        review = text.index("What the review found")
        comment = text.index("Comment")
        assert review < comment, "the review's own words come before comment"
        assert "staff were under great pressure" in text[comment:], "a comment, under Comment"
        assert "staff were under great pressure" not in text[review:comment]
        assert (
            "Northvale Safeguarding Partnership, 2031-03, “Learning review of the Hollins family”"
            in text
        )
        assert "a children's charity, in A children's charity, 15 March 2031" in text
        assert "paragraph 4.2" not in text, "locators are for facilitators"
        assert "What was done at the time: Write to the family and offer a meeting." in text


async def test_the_preview_shows_locators_places_in_the_modules_order_and_what_happened(tmp_path):
    app = preview_app(tmp_path, FORMAT2)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("enter")
        await pilot.pause()
        rows = options_text(app)
        assert (
            "Write to the family and offer a meeting. ✗ Contrary to the review · what was done at the time"
            in rows
        )
        await pilot.press("1", "enter", "4", "enter")
        await pilot.pause()
        assert "paragraph 4.2" in flat(app)
        while isinstance(facing(app), Feedback):  # Enter reads a long page to its end first
            await pilot.press("enter")
            await pilot.pause()
        rows = options_text(app)
        assert "See Mia on her own. Place in this module's suggested order: 1" in rows
        assert "panel" not in rows.casefold(), "the order is named as the decision names it"


async def test_a_rank_decision_by_keys_with_backspace_and_the_modules_order(tmp_path):
    app = play_app(tmp_path, FORMAT2)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("enter")
        await choose(pilot, "letter")
        await pilot.press("enter", "3", "enter", "enter")
        await pilot.pause()
        now = facing(app)
        assert isinstance(now, Deciding) and now.decision.kind == "rank"
        assert "nothing placed yet (0 of 4)" in flat(app)
        await pilot.press("enter")
        await pilot.pause()
        assert status(app).startswith("Place every option first: 0 of 4 placed")
        alone, home, records, strategy = keys_for(
            app, "see-alone", "letter-home", "records", "strategy"
        )
        await pilot.press(alone, home, "backspace", records, records)
        await pilot.pause()
        assert f"Option {records} is already placed 2" in status(app)
        assert f"Your order: {alone}, {records} (2 of 4 placed)" in flat(app)
        await pilot.press(strategy, home, "enter")
        await pilot.pause()
        now = facing(app)
        assert isinstance(now, Feedback)
        assert now.answer.choice == ("see-alone", "records", "strategy", "letter-home")
        assert round(now.answer.score, 4) == round(1 - 1 / 6, 4)
        text = flat(app)
        assert "✓ Aligned with the review" in text and "score 83%" in text
        # The module's order, named as the decision names it (by default not the review's).
        assert "This module's suggested order, and the place you gave each" in text
        assert "2. Hold a strategy discussion with the police. (yours: 3)" in text
        assert "panel's" not in text
        assert "Second: an injury and a partial account call for a joint view." in text


async def test_a_poll_is_recorded_with_no_verdict_word(tmp_path):
    app = play_app(tmp_path, FORMAT2)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await onward(pilot)
        await choose(pilot, "letter")
        await pilot.press("enter", "3", "enter")
        await onward(pilot)
        await choose(pilot, "see-alone", "strategy", "records", "letter-home")
        await pilot.press("enter")
        await onward(pilot)
        assert facing(app).decision.id == "comfort"
        assert "Panel" not in flat(app)
        await choose(pilot, "uneasy")
        await pilot.press("enter")
        await pilot.pause()
        text = flat(app)
        assert isinstance(facing(app), Feedback)
        assert "Your answer is recorded" in text and "You chose: Uneasy." in text
        for word in ("Aligned", "Partly", "Contrary", "✓", "✗"):
            assert word not in text
        while isinstance(facing(app), Feedback):
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(facing(app), Outcome)
        assert "The review, as reported" in flat(app)
    answer = read_save(app.session.save.path).attempts[-1].answers[2]
    assert answer.decision_id == "comfort" and answer.verdict == "" and answer.score is None


async def test_a_written_answer_is_compared_by_the_concepts_the_trainee_ticks(tmp_path):
    app = play_app(tmp_path, FORMAT2)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await onward(pilot)
        await choose(pilot, "letter")
        await pilot.press("enter", "3", "enter")
        await onward(pilot)
        await choose(pilot, "see-alone", "strategy", "records", "letter-home")
        await pilot.press("enter")
        await onward(pilot)
        await choose(pilot, "uneasy")
        await pilot.press("enter")
        await onward(pilot)
        await choose(pilot, "see-at-school")
        await pilot.press("enter")  # the meeting: what was done, then its feedback
        await onward(pilot)
        now = facing(app)
        assert now.decision.id == "differently" and now.step is Step.CHOICE
        await pilot.press(*"I believed her, so I did not see her alone", "ctrl+s")
        await pilot.press("3", "enter")
        await pilot.pause()
        now = facing(app)
        assert now.step is Step.TICK and now.suggested == ("alone",)
        text = flat(app)
        assert "What the review weighed" in text
        rows = options_text(app)
        assert "[x] 1. See the child alone (suggested)" in rows, "a phrase match is pre-ticked"
        assert "[ ] 2. Act sooner" in rows
        await pilot.press("1", "enter")  # the trainee unticks: the answer says the opposite
        await pilot.pause()
        now = facing(app)
        assert isinstance(now, Feedback)
        assert now.answer.concepts_matched == ("alone",) and now.answer.concepts_claimed == ()
        assert now.answer.verdict == "contrary" and now.answer.score == 0
        # The suggestion the trainee unticked reads as one, never as covered.
        assert "[ ] See the child alone (suggested from your words, not ticked)" in flat(app)
        await onward(pilot)
        await pilot.press(*"for me", "ctrl+s")
        await pilot.pause()
        assert "not compared with the review" in flat(app)
        await onward(pilot)
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PanelScreen)
        review = flat(app)
        assert "paragraph 4.2" in review, "the path review shows locators"
        assert "Recorded, not judged" in review
    saved = read_save(app.session.save.path).attempts[-1].answers[4]
    assert saved.concepts_claimed == () and saved.concepts_matched == ("alone",)


async def test_escape_from_the_ticks_goes_back_and_a_new_answer_drops_old_ticks(tmp_path):
    app = play_app(tmp_path, FORMAT2)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await onward(pilot)
        await choose(pilot, "letter")
        await pilot.press("enter", "3", "enter")
        await onward(pilot)
        await choose(pilot, "see-alone", "strategy", "records", "letter-home")
        await pilot.press("enter")
        await onward(pilot)
        await choose(pilot, "uneasy")
        await pilot.press("enter")
        await onward(pilot)
        await choose(pilot, "see-at-school")
        await pilot.press("enter")
        await onward(pilot)
        await pilot.press(*"see her today", "ctrl+s", "3", "enter")
        await pilot.pause()
        assert facing(app).suggested == ("sooner",)
        await pilot.press("1")  # tick "alone" too, then go back
        await pilot.press("escape")
        await pilot.pause()
        assert facing(app).step is Step.CONFIDENCE
        await pilot.press("escape")
        await pilot.pause()
        assert facing(app).step is Step.CHOICE
        await pilot.press(*" alone", "ctrl+s", "enter")
        await pilot.pause()
        now = facing(app)
        assert now.step is Step.TICK and now.draft.concepts_ticked is None
        assert set(now.suggested) == {"alone", "sooner"}
