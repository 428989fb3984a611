"""The decision moment, rule by rule (DESIGN.md, "The decision moment"), pressing real keys at
80x24 on a module with long options and a long narrative."""

from __future__ import annotations

from textual.widgets import Input, Static, TextArea

from tests.tui.helpers import (
    LONG,
    SIZE,
    TUTORIAL,
    facing,
    keys_for,
    play_app,
    preview_app,
    screen_text,
    shown_ids,
    status,
)
from trainer.engine import Deciding, Feedback, Outcome, Reading, Step
from trainer.errors import SaveError
from trainer.saves import read_save
from trainer.tui.screens.notice import NoticeScreen, PanelScreen
from trainer.tui.widgets.steps import ChoiceList


async def through_notices(pilot) -> None:
    while isinstance(pilot.app.screen, NoticeScreen):
        await pilot.press("enter")
        await pilot.pause()


def save_answers(app) -> list[str]:
    path = app.session.save.path
    if not path.exists():
        return []
    return [a.decision_id for a in read_save(path).attempts[-1].answers]


def visible(app, option_index: int) -> bool:
    """Whether an option of the choice list lies wholly inside the list's visible region."""
    choices = app.screen.query_one(ChoiceList)
    choices._update_lines()
    top = choices._index_to_line[option_index]
    bottom = top + choices._heights[option_index]
    return choices.scroll_y <= top and bottom <= choices.scroll_y + choices.scrollable_content_region.height


async def read_on(pilot) -> None:
    """Enter on a stage until the decision shows: the first Enters read the stage to its end."""
    for _ in range(10):
        if not isinstance(facing(pilot.app), Reading):
            return
        await pilot.press("enter")
        await pilot.pause()


async def go_on(pilot) -> None:
    """Enter on feedback and outcomes until what follows shows: a long page takes an Enter
    for each part still out of view."""
    for _ in range(20):
        if not isinstance(facing(pilot.app), Feedback | Outcome):
            return
        await pilot.press("enter")
        await pilot.pause()


async def to_first_decision(pilot) -> None:
    await pilot.pause()
    await through_notices(pilot)
    assert isinstance(facing(pilot.app), Reading)
    await read_on(pilot)


# -- nothing is chosen for the trainee -------------------------------------------------------


async def test_enter_with_nothing_chosen_records_nothing_and_says_what_to_press(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        choices = app.screen.query_one(ChoiceList)
        assert choices.highlighted is None, "no option is pre-highlighted"
        await pilot.press("enter", "enter")
        await pilot.pause()
        now = facing(app)
        assert isinstance(now, Deciding) and now.step is Step.CHOICE
        assert status(app) == "Nothing is chosen yet: press 1–6, then Enter."
        assert save_answers(app) == []


async def test_confidence_has_no_default(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        await pilot.press("2", "enter")
        await pilot.pause()
        assert facing(app).step is Step.CONFIDENCE
        assert app.screen.query_one(ChoiceList).highlighted is None
        await pilot.press("enter")
        await pilot.pause()
        assert facing(app).step is Step.CONFIDENCE
        assert status(app) == "Say how sure you are first: press 1–5, then Enter."
        assert save_answers(app) == []


async def test_a_multiple_decision_starts_with_nothing_ticked(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        await pilot.press("2", "enter", "3", "enter", *"see the child", "enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
        await go_on(pilot)
        now = facing(app)
        assert now.decision.id == "long-multiple" and now.draft.choice == ()
        assert "[x]" not in _options_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert status(app) == "Nothing is ticked yet: press 1–5 to tick, then Enter."
        assert facing(app).step is Step.CHOICE


def _options_text(app) -> str:
    choices = app.screen.query_one(ChoiceList)
    out = []
    for index in range(choices.option_count):
        prompt = choices.get_option_at_index(index).prompt
        out.append(" ".join(cell.plain for column in prompt.columns for cell in column.cells))
    return "\n".join(out)


# -- every option readable in full while highlighted -------------------------------------------


async def test_the_decision_has_room_of_its_own_and_the_highlighted_option_is_always_in_view(
    tmp_path,
):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        text = screen_text(app)
        assert "NARRATIVE-END" not in text and "Paragraph one" not in text
        assert "Which one thing would you do first?" in text
        more = app.screen.query_one("#more", Static)
        assert "more below" in str(more.content), "the options do not all fit: said so"
        for key in ["6", "1", "4", "down", "down", "up", "3", "5"]:
            await pilot.press(key)
            await pilot.pause()
            highlighted = app.screen.query_one(ChoiceList).highlighted
            assert visible(app, highlighted), f"after {key}, option {highlighted + 1} in full"
        await pilot.press("6")
        await pilot.pause()
        assert "more above" in str(more.content)


async def test_an_option_off_screen_cannot_be_ticked_unseen(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        await pilot.press("2", "enter", "3", "enter", *"see the child", "enter")
        await pilot.pause()
        await go_on(pilot)
        for _ in range(5):
            await pilot.press("down")
            await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert visible(app, 4), "the ticked option is wholly in view"
        assert "[x] 5." in _options_text(app)
        assert "1 option ticked" in status(app)


async def test_the_stage_text_stays_one_key_away_and_the_answer_is_kept(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        await pilot.press("2")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(facing(app), Reading) and "Paragraph one" in screen_text(app)
        await read_on(pilot)
        assert app.screen.query_one(ChoiceList).highlighted == 1, "the choice is still there"


# -- the chosen answer shows until confirmed; Escape goes back --------------------------------


async def test_confidence_and_reason_show_the_answer_and_escape_goes_back(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        place_of_o2 = shown_ids(app).index("o2")
        await pilot.press(*keys_for(app, "o2"), "enter")
        await pilot.pause()
        assert "OPTION-TWO" in screen_text(app) and "Your answer" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        now = facing(app)
        assert now.step is Step.CHOICE
        assert app.screen.query_one(ChoiceList).highlighted == place_of_o2
        await pilot.press(*keys_for(app, "o3"), "enter", "5", "enter")
        await pilot.pause()
        assert facing(app).step is Step.REASON
        text = screen_text(app)
        assert "OPTION-THREE" in text and "OPTION-TWO" not in text
        assert "How sure: 5 of 5" in text
        # Escape leaves the field, a second Escape goes back to how sure.
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.focused, Input) and facing(app).step is Step.REASON
        await pilot.press("escape")
        await pilot.pause()
        assert facing(app).step is Step.CONFIDENCE
        assert app.screen.query_one(ChoiceList).highlighted == 4, "the level given is kept"
        assert save_answers(app) == [], "nothing is saved before the last step"
        await pilot.press("2", "enter", *"the child first", "enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
        answer = read_save(app.session.save.path).attempts[-1].answers[0]
        assert answer.choice == ("o3",) and answer.confidence == 2
        assert answer.reason == "the child first"


# -- a reason where asked cannot be empty; none where not asked -------------------------------


async def test_an_asked_for_reason_cannot_be_left_empty(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        await pilot.press("2", "enter", "4", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert status(app) == "A reason is needed: type one line, then Enter."
        await pilot.press("space", "space", "enter")
        await pilot.pause()
        assert facing(app).step is Step.REASON
        await pilot.press("escape", "enter")  # Enter outside the field: still refused
        await pilot.pause()
        assert facing(app).step is Step.REASON and isinstance(app.focused, Input)
        assert save_answers(app) == []


async def test_no_reason_and_no_confidence_where_not_asked(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        await pilot.press("2", "enter", "4", "enter", *"see the child", "enter")
        await pilot.pause()
        await go_on(pilot)
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback), "straight to feedback"
        assert save_answers(app) == ["long-single", "long-multiple"]


# -- hints name only keys that work and options that exist -------------------------------------


async def test_hints_name_the_options_that_exist(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await through_notices(pilot)
        assert "Tab reaches the documents." in status(app)
        await read_on(pilot)
        assert status(app) == "Press 1–6 or ↑ ↓ to choose, then Enter."
        await pilot.press("9")
        await pilot.pause()
        assert status(app) == "There are 6 options here: press 1–6."
        await pilot.press("2", "enter")
        await pilot.pause()
        assert "1–5" in status(app) and "1–9" not in status(app)


async def test_a_stage_without_documents_does_not_mention_them(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        await pilot.press("2", "enter", "4", "enter", *"see the child", "enter")
        await pilot.pause()
        await go_on(pilot)
        await pilot.press("1", "enter")
        await pilot.pause()
        await go_on(pilot)  # feedback, outcome
        assert isinstance(facing(app), Reading) and facing(app).stage.id == "second"
        assert "Tab" not in status(app) and "documents" not in status(app)


async def test_closing_a_document_returns_the_focus_so_enter_goes_on(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await through_notices(pilot)
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PanelScreen)
        assert "Minutes [sic] of the call [/draft]" in screen_text(app)
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(facing(app), Deciding), "Enter went on to the decision"


# -- the timeline lists only the stages reached -------------------------------------------------


async def test_the_timeline_lists_no_later_stage(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await through_notices(pilot)
        await pilot.press("t")
        await pilot.pause()
        text = screen_text(app)
        assert "A bruise at the clinic" in text
        assert "A visit to the flat" not in text and "Looking back" not in text


# -- quitting -----------------------------------------------------------------------------------


async def test_quitting_on_feedback_resumes_on_that_feedback(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        await pilot.press("2", "enter", "4", "enter", *"see the child", "enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
        await pilot.press("q")
        await pilot.pause()
    again = play_app(tmp_path, LONG)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await through_notices(pilot)
        now = facing(again)
        assert isinstance(now, Feedback) and now.decision.id == "long-single"
        assert "How your answer compares with the review" in screen_text(again)


async def test_an_unconfirmed_choice_is_not_kept_and_help_says_so(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        await pilot.press("2", "enter", "question_mark")
        await pilot.pause()
        said = " ".join(screen_text(app).split())
        assert "a choice not yet confirmed is not kept" in said
        assert "(a written answer, a reason) is kept as a draft" in said
        await pilot.press("escape", "q")
        await pilot.pause()
    assert save_answers(app) == []
    again = play_app(tmp_path, LONG)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await through_notices(pilot)
        await read_on(pilot)
        now = facing(again)
        assert now.step is Step.CHOICE and now.draft.choice == ()


# -- the preview says on every screen that nothing is saved --------------------------------------


async def test_the_preview_says_on_every_screen_that_nothing_is_saved(tmp_path):
    app = preview_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        seen = 0
        for keys in [[], ["enter"], ["enter"], ["2", "enter"], ["4", "enter"], [*"see", "enter"]]:
            await pilot.press(*keys)
            await pilot.pause()
            assert "nothing is saved" in screen_text(app), f"on {type(app.screen).__name__}"
            seen += 1
        await pilot.press("question_mark")
        await pilot.pause()
        assert "nothing is saved" in screen_text(app)
    assert seen == 6 and list(tmp_path.iterdir()) == []


# -- saved before feedback: a failed write shows a plain message and records nothing ------------


async def test_a_failed_save_shows_a_plain_message_no_feedback_and_records_nothing(
    tmp_path, monkeypatch
):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        save = app.session.save

        def refuse(playthrough):
            raise SaveError(f"could not write {save.path} (No space left on device)")

        monkeypatch.setattr(save, "record", refuse)
        await pilot.press("2", "enter", "4", "enter", *"see the child", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PanelScreen)
        text = screen_text(app)
        assert "could not be saved" in text and "No space left on device" in text
        assert "compares with the review" not in text
        assert app.session.playthrough.answers == ()
        await pilot.press("escape")
        await pilot.pause()
        now = facing(app)
        assert isinstance(now, Deciding) and now.step is Step.REASON, "the answer is still there"
        monkeypatch.undo()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
    assert save_answers(app) == ["long-single"]


# -- written answers -----------------------------------------------------------------------------


async def test_a_written_answer_needs_text_and_escape_leaves_the_field(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_decision(pilot)
        await pilot.press("2", "enter", "4", "enter", *"see the child", "enter")
        await pilot.pause()
        await go_on(pilot)
        await pilot.press("1", "enter")
        await pilot.pause()
        await go_on(pilot)
        await read_on(pilot)
        assert facing(app).decision.id == "written" and isinstance(app.focused, TextArea)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert status(app) == "Write your answer first; ctrl+s submits it."
        await pilot.press(*"see her", "enter", *"q and g")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.focused, TextArea) and facing(app).step is Step.CHOICE
        await pilot.press("ctrl+s")
        await pilot.pause()
        now = facing(app)
        assert isinstance(now, Feedback) and now.answer.text == "see her\nq and g"
        await pilot.press("enter", *"only for me", "ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "not compared with the review" in text and "Contrary" not in text
        assert facing(app).answer.verdict == ""
