"""Group sessions in the trainee's app: the cohort's answers after one's own, and the room held."""

from __future__ import annotations

import threading
import time

from tests.tui.helpers import (
    SIZE,
    TUTORIAL,
    Clock,
    facing,
    keys_for,
    peers_shown,
    play_app,
    screen_text,
)
from trainer.content import load_module
from trainer.engine import Feedback, Reading
from trainer.engine.autoplay import Response, play
from trainer.saves.room import hold, release
from trainer.saves.store import SaveStore
from trainer.tui.screens.notice import NoticeScreen, PanelScreen
from trainer.tui.screens.playing import HoldPage, PlayScreen

FIRST = {
    "Ann Peer": ["strategy-and-medical"],
    "Ben Peer": ["home-visit"],
    "Cal Peer": ["strategy-and-medical"],
    "Ann Other": ["advice-only"],
}


def others_answer(root, names, cohort="autumn") -> None:
    """Learners of a cohort answer the tutorial's first decision, through the engine."""
    store = SaveStore(root, Clock())
    module = load_module(TUTORIAL)
    for name in names:
        learner = store.learner(name, cohort)
        with store.open(learner, module) as save:

            def answer(facing, name=name):
                if facing.decision.id != "first-response":
                    return None
                return Response(FIRST[name], confidence=3, reason="because")

            save.record(play(save.playthrough(), answer))


async def to_first_feedback(pilot) -> None:
    await pilot.pause()
    while isinstance(pilot.app.screen, NoticeScreen):
        await pilot.press("enter")
        await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*keys_for(pilot.app, "home-visit"))
    await pilot.pause()


async def test_peers_show_shares_only_after_answering_and_never_names(tmp_path):
    others_answer(tmp_path, ["Ann Peer", "Ben Peer", "Cal Peer"])
    others_answer(tmp_path, ["Ann Other"], cohort="spring")  # another cohort: not counted
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_feedback(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen), "p does nothing before the answer is saved"
        await pilot.press("enter", "4", "enter", *"not mobile", "enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
        await peers_shown(pilot)
        text = " ".join(screen_text(app).split())
        assert "3 others in your cohort have answered" in text
        assert "67% ████████···· Hold a strategy discussion" in text
        assert "33% ████········ Arrange a home visit" in text
        assert "0% ············ Record the call" in text
        for name in ("Ann", "Ben", "Cal", "Peer"):
            assert name not in text


async def test_peers_say_not_yet_below_three_others(tmp_path):
    others_answer(tmp_path, ["Ann Peer", "Ben Peer"])
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_feedback(pilot)
        await pilot.press("enter", "4", "enter", *"not mobile", "enter")
        await peers_shown(pilot)
        text = " ".join(screen_text(app).split())
        assert "Not yet: 2 of the 3 others needed have answered" in text
        assert "%" not in text


async def test_a_held_stage_waits_and_goes_on_by_itself_when_released(tmp_path, monkeypatch):
    monkeypatch.setattr(PlayScreen, "HOLD_POLL_SECONDS", 0.05)
    hold(tmp_path, "tutorial-riverside", "autumn", "home")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_feedback(pilot)
        await pilot.press("enter", "4", "enter", *"not mobile", "enter")
        await pilot.pause()
        while not isinstance(app.screen.view, HoldPage):  # the feedback, then what happened
            assert not isinstance(facing(app), Reading), "the held stage is not shown"
            await pilot.press("enter")
            await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Your facilitator will open this stage next" in text
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen.view, HoldPage), "Enter does not get past the hold"
        release(tmp_path, "tutorial-riverside", "autumn")
        deadline = time.monotonic() + 30  # looked at in a thread, every 0.05 s here
        while isinstance(app.screen.view, HoldPage) and time.monotonic() < deadline:
            await pilot.pause(0.02)
        assert isinstance(facing(app), Reading) and facing(app).stage.id == "home"
        assert not isinstance(app.screen.view, HoldPage)
        assert "A visit to the flat" in screen_text(app)


async def test_the_hold_is_looked_at_in_a_thread_and_the_keys_never_wait_for_it(
    tmp_path, monkeypatch
):
    """Waiting at a held stage, the app looks at the hold file every second: on a shared
    drive that hangs, the look waits, never the keys (a stat a look, and a read of at most
    a few kilobytes only when the file changed: `HoldWatch`)."""
    from trainer.saves.room import HoldWatch

    monkeypatch.setattr(PlayScreen, "HOLD_POLL_SECONDS", 0.05)
    hold(tmp_path, "tutorial-riverside", "autumn", "home")
    app = play_app(tmp_path, TUTORIAL)
    gate = threading.Event()
    async with app.run_test(size=SIZE) as pilot:
        try:
            await to_first_feedback(pilot)
            await pilot.press("enter", "4", "enter", *"not mobile", "enter")
            await pilot.pause()
            while not isinstance(app.screen.view, HoldPage):
                await pilot.press("enter")
                await pilot.pause()
            on_main: list[bool] = []
            real = HoldWatch.stage

            def hung(self, now=None):
                on_main.append(threading.current_thread() is threading.main_thread())
                gate.wait(60)
                return real(self, now)

            monkeypatch.setattr(HoldWatch, "stage", hung)
            deadline = time.monotonic() + 30
            while not on_main and time.monotonic() < deadline:
                await pilot.pause(0.02)
            assert on_main == [False], "the hold is looked at in a thread, one look at a time"
            await pilot.press("question_mark")  # the help, while the look hangs
            while not isinstance(app.screen, PanelScreen) and time.monotonic() < deadline:
                await pilot.pause(0.02)
            assert isinstance(app.screen, PanelScreen) and not gate.is_set()
            await pilot.press("escape")
            waiting = list(on_main)
            gate.set()
            release(tmp_path, "tutorial-riverside", "autumn")
            while isinstance(app.screen.view, HoldPage) and time.monotonic() < deadline:
                await pilot.pause(0.02)
            assert isinstance(facing(app), Reading) and facing(app).stage.id == "home"
            # Every look while waiting was in a thread (the one on reaching a stage is made
            # where the move is, as the move's own save is).
            assert waiting == [False]
        finally:
            gate.set()


async def test_a_hold_for_another_cohort_does_not_stop_the_trainee(tmp_path):
    hold(tmp_path, "tutorial-riverside", "spring", "home")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_feedback(pilot)
        await pilot.press("enter", "4", "enter", *"not mobile", "enter")
        await pilot.pause()
        while not isinstance(facing(app), Reading):  # the feedback, then what happened
            await pilot.press("enter")
            await pilot.pause()
        assert not isinstance(app.screen.view, HoldPage) and facing(app).stage.id == "home"
