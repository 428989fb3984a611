"""What reads many files runs in a thread: the module list and the cohort's tally. On a shared
drive that hangs, the reading waits, never the keys."""

from __future__ import annotations

import shutil
import threading

from textual.widgets import OptionList

from tests.tui.helpers import (
    SIZE,
    TUTORIAL,
    Clock,
    facing,
    keys_for,
    modules_listed,
    play_app,
    screen_text,
    until,
)
from tests.tui.test_group import others_answer
from trainer.engine import Feedback
from trainer.tui.factory import build_app
from trainer.tui.screens import module_list as module_list
from trainer.tui.screens.module_list import ModuleListScreen
from trainer.tui.screens.notice import NoticeScreen, PanelScreen
from trainer.tui.screens.playing import PlayScreen


def gated(real, gate: threading.Event, threads: list[bool]):
    """`real`, waiting for `gate` first, noting whether it ran on the main thread."""

    def wrapper(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        gate.wait(60)
        return real(*args, **kwargs)

    return wrapper


async def test_the_module_list_is_read_in_a_thread_and_the_keys_never_wait(tmp_path, monkeypatch):
    modules = tmp_path / "modules"
    modules.mkdir()
    shutil.copy(TUTORIAL, modules)
    gate, threads = threading.Event(), []
    monkeypatch.setattr(module_list, "module_rows", gated(module_list.module_rows, gate, threads))
    app = build_app(saves=tmp_path / "saves", modules_dir=str(modules), clock=Clock(), learner="Sam")
    async with app.run_test(size=SIZE) as pilot:
        try:
            await until(pilot, lambda: threads, "the modules to be read")
            assert threads == [False], "read in a thread"
            assert isinstance(app.screen, ModuleListScreen)
            assert "Reading the modules…" in screen_text(app)
            await pilot.press("question_mark")  # the help, while the reading hangs
            await until(pilot, lambda: isinstance(app.screen, PanelScreen), "the help")
            await pilot.press("escape")
            gate.set()
            await modules_listed(pilot)
            assert "Reading the modules…" not in screen_text(app)
            prompt = app.screen.query_one(OptionList).get_option_at_index(0).prompt.plain
            assert "Tutorial: the Riverside referral (fictional)" in prompt
            assert app.focused is app.screen.query_one(OptionList)
        finally:
            gate.set()


async def _to_feedback(pilot) -> None:
    await pilot.pause()
    while isinstance(pilot.app.screen, NoticeScreen):
        await pilot.press("enter")
        await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*keys_for(pilot.app, "home-visit"), "enter", "4", "enter")
    await pilot.press(*"not mobile", "enter")
    await until(pilot, lambda: isinstance(facing(pilot.app), Feedback), "the feedback")


async def test_the_peers_are_counted_in_a_thread_and_the_keys_never_wait(tmp_path, monkeypatch):
    import trainer.cohort.peers as peers

    others_answer(tmp_path, ["Ann Peer", "Ben Peer", "Cal Peer"])
    gate, threads = threading.Event(), []
    monkeypatch.setattr(peers, "peer_tally", gated(peers.peer_tally, gate, threads))
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        try:
            await _to_feedback(pilot)
            await pilot.press("p")
            await until(pilot, lambda: threads, "the cohort to be counted")
            assert threads == [False], "counted in a thread"
            await pilot.press("question_mark")  # the help, while the counting hangs
            await until(pilot, lambda: isinstance(app.screen, PanelScreen), "the help")
            await pilot.pause()
            assert "others in your cohort" not in screen_text(app), "the help, not the peers"
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, PlayScreen), "the play screen")
            gate.set()
            await until(pilot, lambda: isinstance(app.screen, PanelScreen), "the peers panel")
            await pilot.pause()
            assert "3 others in your cohort have answered" in " ".join(screen_text(app).split())
        finally:
            gate.set()


async def test_a_tally_that_comes_after_the_trainee_moved_on_is_not_shown(tmp_path, monkeypatch):
    import trainer.cohort.peers as peers

    others_answer(tmp_path, ["Ann Peer", "Ben Peer", "Cal Peer"])
    gate, threads = threading.Event(), []
    monkeypatch.setattr(peers, "peer_tally", gated(peers.peer_tally, gate, threads))
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        try:
            await _to_feedback(pilot)
            await pilot.press("p")
            await until(pilot, lambda: threads, "the cohort to be counted")
            screen = app.screen
            assert isinstance(screen, PlayScreen)
            while isinstance(facing(app), Feedback):  # on, past the feedback
                await pilot.press("enter")
                await pilot.pause()
            gate.set()
            counting = [w for w in app.workers if w.group == "peers"]
            await until(pilot, lambda: all(w.is_finished for w in counting), "the count to end")
            await pilot.pause()
            assert app.screen is screen, "no peers panel over what came next"
        finally:
            gate.set()
