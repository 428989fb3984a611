"""Pilot tests: real key presses through the app, checked against the save on disk."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from tests.tui.helpers import (
    FIXTURE,
    SIZE,
    TUTORIAL,
    aligned_answer,
    answer,
    facing,
    keys_for,
    lock_released,
    play_app,
    preview_app,
    screen_text,
    shown_ids,
)
from trainer.content import load_module
from trainer.engine import Deciding, Feedback, Outcome, Reading, Step
from trainer.paths import shipped_modules_dir
from trainer.saves import read_save
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.screens.notice import NoticeScreen, PanelScreen
from trainer.tui.screens.playing import PlayScreen

SHIPPED = sorted(shipped_modules_dir().glob("*.toml"))


async def through_notices(pilot) -> None:
    """Acknowledge the content warning and the introduction."""
    while isinstance(pilot.app.screen, NoticeScreen):
        await pilot.press("enter")
        await pilot.pause()


async def onward(pilot) -> None:
    """Enter until a decision is due: a page longer than the screen takes an Enter for each
    part still out of view before it goes on."""
    for _ in range(30):
        await pilot.pause()
        if isinstance(facing(pilot.app), Deciding):
            return
        await pilot.press("enter")
    raise AssertionError("no decision came")


async def play_to_the_end(pilot, module, choose=aligned_answer) -> None:
    """Answer every decision as `choose` says, pressing keys, until the debrief.

    What to press is taken from what the engine says the trainee faces, in the order the
    screen shows the options (which is checked to be the engine's).
    """
    for _ in range(200):
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, DebriefScreen):
            return
        now = facing(pilot.app)
        if isinstance(now, Reading | Feedback | Outcome):
            await pilot.press("enter")
            continue
        assert isinstance(now, Deciding) and now.step is Step.CHOICE
        if now.decision.kind != "text":
            assert shown_ids(pilot.app) == [o.id for o in now.options]
        keys, text = choose(now)
        await answer(pilot, keys, text)
        assert isinstance(facing(pilot.app), Feedback), "feedback follows the answer"
        assert facing(pilot.app).decision.id == now.decision.id
    raise AssertionError("the module did not end")


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
async def test_every_key_line_of_a_whole_module_fits_80_columns(tmp_path, path, monkeypatch):
    """The key line crops what does not fit: on every screen of a play-through, from the
    first notice to the debrief, each key it shows must be there whole."""
    from trainer.tui.widgets.footer import KeyLine

    drawn: list[str] = []
    render = KeyLine.render

    def recorded(self: KeyLine):
        line = render(self)
        drawn.append(line.plain)
        assert line.cell_len <= 80, line.plain
        return line

    monkeypatch.setattr(KeyLine, "render", recorded)
    app = play_app(tmp_path, path)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await play_to_the_end(pilot, load_module(path))
        await pilot.pause()
    assert any("Continue" in line for line in drawn) and any("Peers" in line for line in drawn)
    assert any(line.startswith(" n New attempt") for line in drawn), "the debrief's keys"


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
async def test_a_whole_module_by_keys_saves_every_answer(tmp_path, path):
    module = load_module(path)
    app = play_app(tmp_path, path)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await play_to_the_end(pilot, module)
        assert "Your score: 100%" in screen_text(app)
        save_path = app.session.save.path
    data = read_save(save_path)
    attempt = data.attempts[-1]
    assert attempt.finished and attempt.position == "end" and attempt.score == 1.0
    answered = [a.decision_id for a in attempt.answers]
    on_path = [row.decision.id for row in app.session.playthrough.review()]
    assert answered == on_path and answered
    assert attempt.feedback_seen == answered, "every feedback was seen"
    assert all(a.answered_at.startswith("2026-11-25T09:") for a in attempt.answers)
    assert lock_released(save_path), "the lock is released"


async def test_steps_come_in_order_and_feedback_only_after_the_reason(tmp_path):
    module = load_module(TUTORIAL)
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        assert isinstance(facing(app), Reading)
        assert "Ruby Brook is four months old" in screen_text(app)
        await pilot.press("enter")
        assert facing(app).step is Step.CHOICE
        await pilot.press(*keys_for(app, "strategy-and-medical"), "enter")
        assert facing(app).step is Step.CONFIDENCE
        assert "How sure are you" in screen_text(app)
        assert "Aligned with the review" not in screen_text(app)
        await pilot.press("5", "enter")
        assert facing(app).step is Step.REASON and isinstance(app.focused, Input)
        assert "Aligned with the review" not in screen_text(app)
        # Shortcut keys type into the field instead of acting.
        await pilot.press(*"q g t ? 1 not yet mobile", "enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
        text = screen_text(app)
        assert "✓ Aligned with the review" in text
        assert "How sure you were: 5 of 5" in text
        assert "Your reason: q g t ? 1 not yet mobile" in text
        assert "Found: Ruby is not yet mobile" in text
        assert (
            "a bruise on a baby who is not yet mobile should always prompt further enquiry" in text
        )
        assert "paragraph 3.2" not in text, "locators are for facilitators, not the feedback"
        assert "Riverside Safeguarding Partnership" in text
        answer = app.session.playthrough.answer_for("first-response")
        assert answer.confidence == 5 and answer.reason == "q g t ? 1 not yet mobile"
    assert module.decision("first-response")


async def test_quit_mid_attempt_and_resume_at_the_first_unanswered_decision(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await onward(pilot)
        await pilot.press(*keys_for(app, "strategy-and-medical"))
        await pilot.press("enter", "3", "enter", *"because", "enter")
        await onward(pilot)  # its feedback, the outcome, then the next stage's narrative
        await pilot.press(*keys_for(app, "ask-name", "checks"))
        await pilot.press("enter", "4", "enter")  # the visitor
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
        await onward(pilot)  # its feedback read, to the next decision
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    again = play_app(tmp_path, TUTORIAL)
    async with again.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        assert isinstance(again.screen, PlayScreen)
        assert isinstance(facing(again), Reading), "the stage first, for its context"
        assert "A visit to the flat" in screen_text(again)
        await pilot.press("enter")
        assert facing(again).decision.id == "how-it-feels"
        assert again.session.playthrough.answer_for("the-visitor").choice == ("ask-name", "checks")


async def test_advice_alone_branches_to_a_second_call_and_still_reaches_the_home_visit(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*keys_for(app, "advice-only"), "enter", "1", "enter", *"plausible")
        await pilot.press("enter")
        await pilot.pause()
        assert "✗ Contrary to the review" in screen_text(app)
        while not isinstance(facing(app), Reading):  # feedback, outcome
            await pilot.press("enter")
            await pilot.pause()
        assert "A second call" in screen_text(app)
        await onward(pilot)
        await pilot.press(*keys_for(app, "second-strategy"))
        await pilot.press("enter", "3", "enter")
        await pilot.pause()
        while not isinstance(facing(app), Reading):  # feedback, outcome
            await pilot.press("enter")
            await pilot.pause()
        assert "A visit to the flat" in screen_text(app), "the lesson is not skipped"
        path = [s.id for s in app.session.playthrough.path]
        assert path == ["bruise", "second-call", "home"]


async def test_an_unreadable_save_is_moved_aside_and_the_trainee_told(tmp_path):
    folder = tmp_path / "sam-okafor"
    folder.mkdir()
    (folder / "learner.toml").write_text('id = "sam-okafor"\nname = "Sam Okafor"\n')
    (folder / "tutorial-riverside.toml").write_bytes(b"\x00\x01 not a save")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        text = screen_text(app)
        assert "could not be read" in text and "tutorial-riverside.toml.unreadable-" in text
        await through_notices(pilot)
        assert isinstance(app.screen, PlayScreen)
    moved = list(folder.glob("tutorial-riverside.toml.unreadable-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == b"\x00\x01 not a save"


async def test_the_facilitator_preview_shows_verdicts_and_writes_nothing(tmp_path):
    app = preview_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        from textual.widgets import OptionList

        options = app.screen.query_one(OptionList)
        prompts = [_plain(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("✓ Aligned with the review" in p and "injury-response" in p for p in prompts)
        assert any(
            "✗ Contrary to the review" in p and "leads to second-call" in p for p in prompts
        )
        assert "What should happen next?" in text
        await play_to_the_end(pilot, load_module(TUTORIAL))
        await pilot.press("m")
        await pilot.pause()
    assert list(tmp_path.iterdir()) == []


async def test_the_preview_starts_again_from_the_first_notice(tmp_path):
    """The preview's play-through is made when play starts; a new attempt from the debrief
    is a fresh one, with the module's notices first, as the first was."""
    module = load_module(TUTORIAL)
    app = preview_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        assert app.session is not None and not app.session.started
        await through_notices(pilot)
        await play_to_the_end(pilot, module)
        assert app.session.finished and app.session.started
        await pilot.press("n", "y")
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        assert not app.session.started and not app.session.finished
        await through_notices(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.session.playthrough.answers == ()
        assert facing(app).stage.id == module.stages[0].id
    assert list(tmp_path.iterdir()) == []


def _plain(prompt) -> str:
    """The text of an option row (a grid of marker and text)."""
    return " ".join(cell.plain for column in prompt.columns for cell in column.cells)


async def test_text_is_shown_literally(tmp_path):
    app = play_app(tmp_path, FIXTURE)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        text = screen_text(app)
        assert "The narrative holds [bold]markup[/bold] and $variables and \\[escapes]." in text
        assert "Stage [b]one[/b]" in text
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*keys_for(app, "a"), "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Option [bold]A[/bold]" in text and "Feedback [red]A[/red]." in text
        assert "quoted [i]words[/i]" in text


async def test_help_glossary_timeline_and_escape(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, PanelScreen)
        assert "talk to your facilitator, practice educator or supervisor" in screen_text(app)
        await pilot.press("escape")
        await through_notices(pilot)
        await pilot.press("g")
        await pilot.pause()
        assert "child protection medical" in screen_text(app)
        await pilot.press("escape", "t")
        await pilot.pause()
        text = screen_text(app)
        assert "▶ now" in text and "February 2025" in text and "A bruise at the clinic" in text
        assert "A visit to the flat" not in text, "later stages give the case away"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_a_written_answer_takes_enter_as_a_new_line_and_ctrl_s_to_submit(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await onward(pilot)
        await pilot.press(*keys_for(app, "strategy-and-medical"))
        await pilot.press("enter", "1", "enter", *"x", "enter")
        await onward(pilot)
        await pilot.press(*keys_for(app, "ask-name"))
        await pilot.press("enter", "3", "enter")
        await onward(pilot)
        await pilot.press(*keys_for(app, "uneasy"))
        await pilot.press("enter")
        await onward(pilot)  # what happened; the last stage
        assert facing(app).decision.id == "differently"
        assert facing(app).step is Step.CHOICE and isinstance(app.focused, TextArea)
        await pilot.press(*"check who lives there", "enter", *"q and see the baby")
        assert facing(app).step is Step.CHOICE
        await pilot.press("escape")
        assert not isinstance(app.focused, TextArea)
        await pilot.press("tab")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert facing(app).step is Step.TICK, "then the trainee ticks what it covered"
        assert facing(app).suggested == ("identify", "challenge", "child")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
        answer = app.session.playthrough.answer_for("differently")
        assert answer.text == "check who lives there\nq and see the baby"
        assert answer.concepts_matched == ("identify", "challenge", "child")
        assert answer.concepts_claimed == ("identify", "challenge", "child")


async def test_the_debrief_saves_markdown_and_starts_a_new_attempt(tmp_path, monkeypatch):
    debriefs = tmp_path / "documents" / "trainer"
    monkeypatch.setattr("trainer.paths.debriefs_dir", lambda: debriefs)
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await play_to_the_end(pilot, load_module(TUTORIAL))
        await pilot.press("m")
        await pilot.pause()
        assert not list((tmp_path / "sam-okafor").glob("*.md")), "not in the shared saves folder"
        written = list(debriefs.glob("*.md"))
        assert [p.name for p in written] == ["tutorial-riverside-attempt-1-debrief.md"]
        assert "Score: 100%" in written[0].read_text()
        assert any(str(written[0]) in str(n.message) for n in app._notifications)
        await pilot.press("r")
        await pilot.pause()
        assert "Your path through the case" in screen_text(app)
        await pilot.press("escape", "n", "y")
        await through_notices(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.session.attempt_number == 2
    data = read_save(tmp_path / "sam-okafor" / "tutorial-riverside.toml")
    assert [a.number for a in data.attempts] == [1, 2] and data.attempts[0].finished


async def test_a_finished_module_opens_at_its_debrief(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await play_to_the_end(pilot, load_module(TUTORIAL))
        await pilot.press("q")
    again = play_app(tmp_path, TUTORIAL)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, DebriefScreen)


async def test_an_unscored_written_question_without_a_rubric_is_recorded_not_judged(tmp_path):
    text = FIXTURE.read_text().replace(
        'outcome_findings = ["f"]',
        'outcome_findings = ["f"]\n\n[[stages.decisions]]\nid = "free"\n'
        'prompt = "Anything else?"\nkind = "text"\nscored = false',
        1,
    )
    module_path = tmp_path / "free.toml"
    module_path.write_text(text)
    app = play_app(tmp_path / "saves", module_path)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("enter", *"my thoughts", "ctrl+s")
        await pilot.pause()
        shown = screen_text(app)
        assert "not compared with the review" in shown and "Contrary" not in shown
