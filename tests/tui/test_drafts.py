"""Nothing a trainee wrote is thrown away (DESIGN.md, "The decision moment"): a written answer
or a reason survives Escape, Escape and going back a step, and quitting (q, ctrl+q, the app
closing) keeps it in the save as a draft that comes back on resume, also at the ticks after a
submitted written answer. Pressing real keys at 80x24, through the CLI's factory."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Input, TextArea

from tests.records import replace
from tests.tui.helpers import (
    FIXTURES,
    SIZE,
    TUTORIAL,
    Clock,
    choose,
    facing,
    play_app,
    screen_text,
    status,
)
from trainer.content import load_module
from trainer.engine import Deciding, Feedback, Reading, Step
from trainer.engine.answer import KeptDraft
from trainer.engine.autoplay import Response, play
from trainer.errors import SaveError
from trainer.saves import read_save
from trainer.saves.store import SaveStore
from trainer.tui.screens.notice import NoticeScreen

FORMAT2 = FIXTURES.parents[1] / "fixtures" / "format2.toml"
"""Its "differently" is a written answer, then how sure, then the points it covered."""


def aligned(deciding: Deciding) -> Response:
    """A scripted answer to any decision: the first aligned option(s), the panel's order."""
    decision = deciding.decision
    confidence = 3 if decision.asks_confidence else None
    reason = "because" if decision.asks_reason else None
    if decision.kind == "text":
        return Response(text="my notes", confidence=confidence)
    if decision.kind == "rank":
        return Response(decision.panel_order, None, confidence, reason)
    ids = [o.id for o in decision.options if o.verdict == "aligned"] or [decision.options[0].id]
    return Response(ids[:1] if decision.kind == "single" else ids, None, confidence, reason)


def saved_up_to(saves: Path, module_path: Path, decision_id: str) -> None:
    """A save whose attempt has every decision before `decision_id` answered."""
    module = load_module(module_path)
    store = SaveStore(saves, Clock())
    learner = store.learner("Sam Okafor", "autumn")
    with store.open(learner, module) as save:
        pt = play(save.playthrough(), lambda now: None if now.decision.id == decision_id else aligned(now))
        assert pt.next_decision is not None and pt.next_decision.id == decision_id
        save.record(pt)


async def to_decision(pilot) -> None:
    """Through the notices and the stage (Enter reads a long one to its end) to the decision."""
    for _ in range(30):
        await pilot.pause()
        if isinstance(pilot.app.screen, NoticeScreen) or isinstance(facing(pilot.app), Reading):
            await pilot.press("enter")
            continue
        return
    raise AssertionError("no decision came")


async def wait_for(pilot, condition, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        await pilot.pause(0.05)


def kept(saves: Path, module_id: str) -> KeptDraft | None:
    """The save's draft, its seconds aside (the app's clock is the real one: they vary)."""
    path = saves / "sam-okafor" / f"{module_id}.toml"
    draft = read_save(path).attempts[-1].draft
    return None if draft is None else replace(draft, seconds=None)


def area(app) -> TextArea:
    return app.screen.query_one(TextArea)


# -- a written answer ---------------------------------------------------------------------------


async def test_a_written_answer_survives_escape_escape_and_coming_back(tmp_path):
    saved_up_to(tmp_path, TUTORIAL, "visit-note")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        assert facing(app).decision.id == "visit-note" and isinstance(app.focused, TextArea)
        await pilot.press(*"I would see Ruby", "enter", *"and ask who the man is")
        await pilot.press("escape")  # leaves the field
        await pilot.pause()
        assert "Enter or Tab goes back to it" in status(app)
        await pilot.press("escape")  # back to the stage
        await pilot.pause()
        assert isinstance(facing(app), Reading)
        await to_decision(pilot)
        assert area(app).text == "I would see Ruby\nand ask who the man is"
        assert isinstance(app.focused, TextArea)
        assert area(app).cursor_location == area(app).document.end, "carry on where it ended"
        await pilot.press(*", today")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert facing(app).step is Step.TICK
        assert kept(tmp_path, "tutorial-riverside").text.endswith("man is, today")
        await pilot.press("enter")  # the points it covered, as suggested
        await pilot.pause()
        now = facing(app)
        assert isinstance(now, Feedback)
        assert now.answer.text == "I would see Ruby\nand ask who the man is, today"
    assert kept(tmp_path, "tutorial-riverside") is None, "an answer, no longer a draft"


async def test_a_written_answer_left_with_q_comes_back_on_resume_and_is_never_an_answer(tmp_path):
    saved_up_to(tmp_path, TUTORIAL, "visit-note")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        await pilot.press(*"Two lines", "enter", *"of thought")
        await pilot.press("escape", "q")  # Save and quit, outside the field
        await pilot.pause()
    save = read_save(tmp_path / "sam-okafor" / "tutorial-riverside.toml")
    attempt = save.attempts[-1]
    assert attempt.draft is not None and attempt.draft.seconds is not None  # counted, kept
    assert kept(tmp_path, "tutorial-riverside") == KeptDraft(
        "visit-note", text="Two lines\nof thought"
    )
    assert "visit-note" not in [a.decision_id for a in attempt.answers]
    again = play_app(tmp_path, TUTORIAL)
    async with again.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        assert area(again).text == "Two lines\nof thought"


async def test_ctrl_q_inside_the_text_keeps_what_was_just_typed(tmp_path):
    saved_up_to(tmp_path, TUTORIAL, "visit-note")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        await pilot.press(*"typed and quit at once", "ctrl+q")
        await pilot.pause()
    assert kept(tmp_path, "tutorial-riverside") == KeptDraft(
        "visit-note", text="typed and quit at once"
    )


async def test_the_app_closing_otherwise_keeps_what_was_typed(tmp_path):
    """Closed not by a key (a browser tab closed under trainer serve, SIGTERM there): the
    session writes the text it was given as it was typed, before it lets the save go."""
    saved_up_to(tmp_path, TUTORIAL, "visit-note")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        await pilot.press(*"closed under me")
        app.exit()
        await pilot.pause()
    assert kept(tmp_path, "tutorial-riverside") == KeptDraft("visit-note", text="closed under me")


async def test_a_pause_in_typing_writes_the_draft_without_quitting(tmp_path):
    """So that a killed app, or a closed terminal, loses at most the last moment's typing."""
    saved_up_to(tmp_path, TUTORIAL, "visit-note")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        await pilot.press(*"first thoughts")
        await wait_for(
            pilot,
            lambda: kept(tmp_path, "tutorial-riverside") is not None,
            "the draft to be written",
        )
        assert kept(tmp_path, "tutorial-riverside").text == "first thoughts"
        assert isinstance(facing(app), Deciding), "still writing"


async def test_a_submitted_written_answer_is_kept_at_the_ticks_and_prefilled_on_resume(tmp_path):
    saved_up_to(tmp_path, FORMAT2, "differently")
    app = play_app(tmp_path, FORMAT2)
    async with app.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        await pilot.press(*"See Mia on her own", "ctrl+s", "4", "enter")
        await pilot.pause()
        now = facing(app)
        assert now.step is Step.TICK and "See Mia on her own" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
    assert kept(tmp_path, "format2-sample") == KeptDraft("differently", text="See Mia on her own")
    again = play_app(tmp_path, FORMAT2)
    async with again.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        now = facing(again)
        assert now.decision.id == "differently" and now.step is Step.CHOICE
        assert area(again).text == "See Mia on her own"
        await pilot.press("ctrl+s", "2", "enter", "enter")
        await pilot.pause()
        answer = facing(again).answer
        assert answer.text == "See Mia on her own" and answer.confidence == 2


async def test_a_draft_that_cannot_be_written_on_quitting_is_said_and_quitting_again_leaves(
    tmp_path, monkeypatch
):
    saved_up_to(tmp_path, TUTORIAL, "visit-note")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        save = app.session.save

        def refuse(playthrough):
            raise SaveError(f"could not write {save.path} (No space left on device)")

        monkeypatch.setattr(save, "record", refuse)
        await pilot.press(*"will not fit", "ctrl+q")
        await pilot.pause()
        assert app.is_running, "not quit without a word"
        notes = [n.message for n in app._notifications]
        assert any("What you typed could not be saved" in n for n in notes), notes
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_a_draft_with_control_characters_is_shown_escaped(tmp_path):
    saved_up_to(tmp_path, TUTORIAL, "visit-note")
    path = tmp_path / "sam-okafor" / "tutorial-riverside.toml"
    save = read_save(path)
    save.attempts[-1].draft = KeptDraft("visit-note", text="before\x1b[2Jafter\tand\nnext")
    path.write_text(save.dumps(), encoding="utf-8")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        assert area(app).text == "before\\x1b[2Jafter\tand\nnext"


# -- a reason -----------------------------------------------------------------------------------


async def test_a_reason_survives_escape_escape_back_to_how_sure_and_enter(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        await pilot.press("1", "enter", "4", "enter")
        await pilot.pause()
        assert facing(app).step is Step.REASON
        await pilot.press(*"not yet mobile", "escape", "escape")
        await pilot.pause()
        assert facing(app).step is Step.CONFIDENCE
        await pilot.press("enter")
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert facing(app).step is Step.REASON and field.value == "not yet mobile"
        await pilot.press(*", and bruised")  # carries on, never typed over
        assert field.value == "not yet mobile, and bruised"
        await pilot.press("escape", "escape", "escape", "escape")  # to the stage
        await pilot.pause()
        assert isinstance(facing(app), Reading)
        await to_decision(pilot)
        await choose(pilot, "advice-only")  # another answer, chosen where it is shown
        await pilot.press("enter", "2", "enter")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "not yet mobile, and bruised"
        await pilot.press("enter")
        await pilot.pause()
        answer = facing(app).answer
        assert answer.choice == ("advice-only",) and answer.confidence == 2
        assert answer.reason == "not yet mobile, and bruised"


async def test_a_reason_left_with_q_comes_back_on_resume_but_the_choice_does_not(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        await pilot.press("1", "enter", "4", "enter", *"not yet mobile", "escape", "q")
        await pilot.pause()
    assert kept(tmp_path, "tutorial-riverside") == KeptDraft(
        "first-response", reason="not yet mobile"
    )
    again = play_app(tmp_path, TUTORIAL)
    async with again.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        now = facing(again)
        assert now.step is Step.CHOICE and now.draft.choice == (), "the choice is asked again"
        await pilot.press("2", "enter", "5", "enter")
        await pilot.pause()
        assert again.screen.query_one(Input).value == "not yet mobile"
