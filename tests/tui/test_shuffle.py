"""Options shown shuffled, by keys: a digit chooses the option shown at that place, the save
records the order shown, a resumed attempt shows the same order, and the facilitator preview
shows the file's order and says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.helpers import (
    REGISTRATION,
    SIZE,
    TUTORIAL,
    answer,
    facing,
    keys_for,
    onward,
    options_text,
    play_app,
    preview_app,
    screen_text,
    shown_ids,
    status,
)
from trainer.content import load_module
from trainer.engine import Deciding, Feedback, Step
from trainer.engine.order import shown_options
from trainer.saves import read_save

SIZES = [SIZE, (60, 20)]
TUTORIAL_MODULE = load_module(TUTORIAL)
FORMAT2 = Path(__file__).parents[1] / "fixtures" / "format2.toml"
KEPT = """format = 2
id = "kept-order"
title = "Kept order"
version = "1"
summary = "A scale kept in its order, then a choice shuffled."

[[sources]]
id = "src"
kind = "review"
title = "A review"

[[findings]]
id = "f1"
text = "A finding."
source = "src"
voice = "review"

[[stages]]
id = "s1"
title = "One"
date = "2030-01"
narrative = "A referral arrives."

[[stages.decisions]]
id = "scale"
prompt = "How sure are you of the referrer?"
kind = "single"
scored = false
shuffle = false

[[stages.decisions.options]]
id = "not-at-all"
text = "Not at all."
feedback = "Noted."

[[stages.decisions.options]]
id = "somewhat"
text = "Somewhat."
feedback = "Noted."

[[stages.decisions.options]]
id = "very"
text = "Very."
feedback = "Noted."

[[stages.decisions]]
id = "act"
prompt = "What now?"
kind = "single"

[[stages.decisions.options]]
id = "wait"
text = "Wait."
verdict = "contrary"
feedback = "No."
findings = ["f1"]

[[stages.decisions.options]]
id = "visit"
text = "Visit."
verdict = "aligned"
feedback = "Yes."
findings = ["f1"]

[[stages.decisions.options]]
id = "write"
text = "Write."
verdict = "partial"
feedback = "Perhaps."
findings = ["f1"]
"""


async def to_decision(pilot) -> Deciding:
    """Past the notices and the stage's text (a long one read on to its end), to its first
    decision."""
    await onward(pilot)
    now = facing(pilot.app)
    assert isinstance(now, Deciding)
    return now


def file_ids(decision_id: str, module=TUTORIAL_MODULE) -> list[str]:
    return [o.id for o in module.decision(decision_id)[1].options]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_a_digit_chooses_the_option_shown_at_that_place_and_the_save_records_the_order(
    tmp_path, size
):
    app = play_app(tmp_path, TUTORIAL, registration=REGISTRATION)
    async with app.run_test(size=size) as pilot:
        now = await to_decision(pilot)
        shown = shown_ids(app)
        decision = TUTORIAL_MODULE.decision("first-response")[1]
        assert shown == [o.id for o in shown_options(decision, REGISTRATION)]
        assert shown == [o.id for o in now.options] != file_ids("first-response")
        rows = options_text(app).splitlines()
        second = decision.option(shown[1])
        assert rows[1].startswith("2. " + second.text[:30]), rows
        await pilot.press("2")
        await pilot.pause()
        assert status(app) == "Option 2 highlighted: Enter chooses it."
        await pilot.press("enter")
        await pilot.pause()
        assert facing(app).step is Step.CONFIDENCE
        assert second.text[:30] in " ".join(screen_text(app).split()), "the answer so far"
        await pilot.press("4", "enter", *"not mobile", "enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
        feedback = " ".join(screen_text(app).split())
        assert "You chose: " + second.text[:30] in feedback, "named by its text, not its place"
    saved = read_save(app.session.save.path).attempts[-1]
    assert saved.registration == REGISTRATION
    recorded = saved.answers[0]
    assert recorded.choice == (second.id,) and recorded.shown_order == tuple(shown)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_ticks_go_to_the_options_shown_at_those_places(tmp_path, size):
    app = play_app(tmp_path, TUTORIAL, registration=REGISTRATION)
    async with app.run_test(size=size) as pilot:
        await to_decision(pilot)
        await answer(pilot, keys_for(app, "strategy-and-medical"), None)
        await onward(pilot)  # the feedback, then the steps to put in order
        await answer(pilot, keys_for(app, "strategy", "medical", "ask-again"), None)
        await onward(pilot)  # their feedback, what happened, the next stage's text
        assert facing(app).decision.id == "the-visitor"
        shown = shown_ids(app)
        assert shown != file_ids("the-visitor")
        await pilot.press("1", "4")
        await pilot.pause()
        rows = options_text(app).splitlines()
        assert rows[0].startswith("[x] 1.") and rows[3].startswith("[x] 4.")
        assert sum(row.startswith("[x]") for row in rows) == 2
        await pilot.press("enter", "3", "enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
    recorded = read_save(app.session.save.path).attempts[-1].answers[-1]
    assert recorded.decision_id == "the-visitor" and recorded.shown_order == tuple(shown)
    ticked = {shown[0], shown[3]}
    assert recorded.choice == tuple(i for i in file_ids("the-visitor") if i in ticked)


async def test_a_rank_decision_is_placed_by_the_places_shown(tmp_path):
    app = play_app(tmp_path, FORMAT2, registration=REGISTRATION)
    module = load_module(FORMAT2)
    rank = module.decision("priorities")[1]
    async with app.run_test(size=SIZE) as pilot:
        first = await to_decision(pilot)
        await answer(pilot, keys_for(app, "visit"), None)
        assert isinstance(facing(app), Feedback) and facing(app).decision.id == first.decision.id
        await onward(pilot)
        now = facing(app)
        assert isinstance(now, Deciding) and now.decision.id == "priorities"
        shown = shown_ids(app)
        assert tuple(shown) != rank.panel_order, "never shown in the module's order"
        await pilot.press("1", "2", "3", "4")
        await pilot.pause()
        assert "Your order: 1, 2, 3, 4 (4 of 4 placed)" in " ".join(screen_text(app).split())
        await pilot.press("enter")
        await pilot.pause()
        done = facing(app)
        assert isinstance(done, Feedback)
        assert done.answer.choice == tuple(shown) and done.answer.score < 1
        feedback = " ".join(screen_text(app).split())
        for place, option_id in enumerate(rank.panel_order, start=1):
            yours = shown.index(option_id) + 1
            text = rank.option(option_id).text
            assert f"{place}. {text} (yours: {yours})" in feedback
    recorded = read_save(app.session.save.path).attempts[-1].answers[-1]
    assert recorded.decision_id == "priorities" and recorded.shown_order == tuple(shown)


async def test_a_resumed_attempt_shows_the_options_in_the_same_order(tmp_path):
    app = play_app(tmp_path, TUTORIAL)  # a registration of its own, as a trainee gets
    async with app.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        before = shown_ids(app)
        await pilot.press("q")
        await pilot.pause()
    registration = read_save(app.session.save.path).attempts[-1].registration
    decision = TUTORIAL_MODULE.decision("first-response")[1]
    assert before == [o.id for o in shown_options(decision, registration)]
    again = play_app(tmp_path, TUTORIAL)
    async with again.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        assert shown_ids(again) == before


async def test_the_preview_shows_the_files_order_and_says_so(tmp_path):
    app = preview_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_decision(pilot)
        assert shown_ids(app) == file_ids("first-response")
        text = " ".join(screen_text(app).split())
        assert "Shown in the file's order; each trainee sees them shuffled." in text
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("preview", [False, True], ids=["learner", "preview"])
async def test_a_decision_that_keeps_its_order_shows_it_to_everyone(tmp_path, preview):
    path = tmp_path / "kept-order.toml"
    path.write_text(KEPT, encoding="utf-8")
    module = load_module(path)
    saves = tmp_path / "saves"
    app = preview_app(saves, path) if preview else play_app(saves, path)
    async with app.run_test(size=SIZE) as pilot:
        now = await to_decision(pilot)
        assert now.decision.id == "scale"
        assert shown_ids(app) == file_ids("scale", module)
        text = " ".join(screen_text(app).split())
        said = "Shown in this order to every trainee (shuffle = false)."
        assert (said in text) is preview, "only the preview speaks of the order"
        assert "shuffled" not in text
