"""A trainee can start in plain mode and carry on in the app, and the other way round.

Both open the same save (the same learner folder, lock and file) and resume where the
engine says the attempt stands: at the stage of the first decision not answered, or on the
feedback left unread. The app is driven by real key presses (Pilot) at 80x24.
"""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from tests.plain.scripts import aligned, counted_script, fresh, run, save_path, script
from tests.tui.helpers import (
    REGISTRATION,
    SIZE,
    TUTORIAL,
    aligned_answer,
    answer,
    choose,
    facing,
    play_app,
    read_past,
    screen_text,
)
from tests.tui.test_play import play_to_the_end, through_notices
from trainer.content import load_module
from trainer.engine import Deciding, Feedback, Reading, Step
from trainer.paths import shipped_modules_dir
from trainer.saves import read_save
from trainer.saves.store import SaveStore

CONNELLY = shipped_modules_dir() / "peter-connelly-haringey.toml"


def answers_of(path) -> list[dict]:
    """What the save recorded of each answer, its times aside (the players' clocks differ)."""
    (attempt,) = read_save(path).attempts
    timed = ("answered_at", "seconds")
    return [{k: v for k, v in a.to_data().items() if k not in timed} for a in attempt.answers]


def whole_plain(module_path, tmp_path) -> list[dict]:
    module = load_module(module_path)
    run(module_path, script(fresh(module), aligned), tmp_path / "whole")
    return answers_of(save_path(tmp_path / "whole", module.id))


@pytest.mark.parametrize("path", [TUTORIAL, CONNELLY], ids=["tutorial", "connelly"])
async def test_started_in_plain_mode_the_app_resumes_where_it_stopped(path, tmp_path):
    module = load_module(path)
    full = counted_script(fresh(module), aligned)
    lines = [line for line, _, _ in full]
    # At least two answers confirmed, then a choice confirmed whose next step is not answered:
    # that one is not kept.
    cut = next(
        i + 1
        for i, (_, count, role) in enumerate(full)
        if count >= 2 and role.endswith("confirm") and full[i - 1][1] == count
    )
    confirmed = full[cut - 1][1]
    saves = tmp_path / "saves"
    status, _ = run(path, lines[:cut], saves)
    assert status == 0
    with SaveStore(saves).open(SaveStore(saves).learner("Sam Okafor"), module) as save:
        expected = save.playthrough()
    assert len(expected.answers) == confirmed
    due = expected.next_decision
    assert due is not None
    app = play_app(saves, path)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        now = facing(app)
        assert isinstance(now, Reading) and now.stage.id == expected.current_stage.id
        await pilot.press("enter")
        await pilot.pause()
        now = facing(app)
        assert isinstance(now, Deciding) and now.decision.id == due.id
        assert now.step is Step.CHOICE and now.draft.choice == ()
        if due.kind == "text":
            # The written answer submitted in plain mode, its ticks not given, is kept as a
            # draft: the app puts it back in the field, and it is submitted as it is.
            written = aligned(now).text
            assert app.screen.query_one(TextArea).text == written == now.draft.text
            await answer(pilot, [], "")
        await play_to_the_end(pilot, module)
    assert answers_of(save_path(saves, module.id)) == whole_plain(path, tmp_path)


async def test_started_in_the_app_plain_mode_resumes_where_it_stopped(tmp_path):
    module = load_module(TUTORIAL)
    saves = tmp_path / "saves"
    app = play_app(saves, TUTORIAL, registration=REGISTRATION)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("enter")
        await pilot.pause()
        for _ in module.stages[0].decisions:  # the choice, then the steps in order
            await answer(pilot, *aligned_answer(facing(app)))
            assert isinstance(facing(app), Feedback)
            await read_past(pilot, Feedback)
        await pilot.press("q")
        await pilot.pause()
    with SaveStore(saves).open(SaveStore(saves).learner("Sam Okafor"), module) as save:
        resumed = save.playthrough()
    assert [a.decision_id for a in resumed.answers] == ["first-response", "first-steps"]
    lines = script(resumed, aligned)
    status, out = run(TUTORIAL, lines, saves)
    assert status == 0
    # After the content warning, the trainee is where the app left them: the outcome of the
    # first stage, not the introduction nor the first decision again.
    after_warning = out.split("Before you start", 1)[1]
    assert "About this module" not in after_warning
    assert after_warning.index("What happened") < after_warning.index("Decision 1 of 3")
    assert "What should happen next?" not in after_warning.split("What happened")[0]
    assert answers_of(save_path(saves, module.id)) == whole_plain(TUTORIAL, tmp_path)


async def test_quitting_the_app_on_feedback_resumes_on_that_feedback_in_plain_mode(tmp_path):
    saves = tmp_path / "saves"
    app = play_app(saves, TUTORIAL, registration=REGISTRATION)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("enter")
        await choose(pilot, "home-visit")
        await answer(pilot, [], None)
        assert "How your answer compares with the review" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
    status, out = run(TUTORIAL, ["", ""], saves)
    assert status == 0
    after_warning = out.split("Before you start", 1)[1]
    first = after_warning.index("How your answer compares with the review")
    assert "Partly aligned" in after_warning[first:]
    assert "Stage 1 of 4" not in after_warning[:first]


async def test_a_save_open_in_the_app_is_refused_in_plain_mode(tmp_path):
    from trainer.errors import SaveError

    saves = tmp_path / "saves"
    app = play_app(saves, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        with pytest.raises(SaveError, match="open"):
            run(TUTORIAL, [""], saves)
