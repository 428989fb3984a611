"""The way in: sign-in, the module list, and a save already open elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from textual.widgets import OptionList

from tests.tui.helpers import SIZE, TUTORIAL, Clock, screen_text
from trainer.content import load_module
from trainer.saves.store import SaveStore
from trainer.tui.app import build_app
from trainer.tui.screens.modules import ModuleListScreen
from trainer.tui.screens.notice import NoticeScreen
from trainer.tui.screens.play import PlayScreen
from trainer.tui.screens.signin import SignInScreen


async def test_sign_in_then_the_module_list_then_play(tmp_path, monkeypatch):
    modules = tmp_path / "modules"
    modules.mkdir()
    shutil.copy(TUTORIAL, modules)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = build_app(tmp_path / "saves", str(modules), clock=Clock())
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("enter")
        assert "Please enter your name" in screen_text(app)
        await pilot.press(*"Zoë O'Brien", "enter", *"autumn-2026", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ModuleListScreen)
        options = app.screen.query_one(OptionList)
        prompt = options.get_option_at_index(0).prompt.plain
        assert "Tutorial: the Riverside referral (fictional)" in prompt
        assert "Not started" in prompt and "about 10 minutes" in prompt
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        assert "Before you start" in screen_text(app)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
    learner = (tmp_path / "saves" / "zoe-o-brien" / "learner.toml").read_text()
    assert "Zoë O'Brien" in learner and "autumn-2026" in learner
    # The sign-in is remembered for next time.
    again = build_app(tmp_path / "saves", str(modules), clock=Clock())
    async with again.run_test(size=SIZE) as pilot:
        from textual.widgets import Input

        assert again.screen.query_one("#name", Input).value == "Zoë O'Brien"
        assert again.screen.query_one("#cohort", Input).value == "autumn-2026"


async def test_the_module_list_shows_progress_and_refuses_a_save_open_elsewhere(tmp_path):
    modules = tmp_path / "modules"
    modules.mkdir()
    shutil.copy(TUTORIAL, modules)
    store = SaveStore(tmp_path / "saves", Clock())
    learner = store.learner("Sam", None)
    held = store.open(learner, load_module(TUTORIAL))
    pt = held.playthrough()
    pt.answer("first-response", choice=["home-visit"], confidence=2, reflection="r")
    held.record(pt)
    try:
        app = build_app(tmp_path / "saves", str(modules), learner=("Sam", None), remember=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            prompt = app.screen.query_one(OptionList).get_option_at_index(0).prompt.plain
            assert "In progress: 1 answered (attempt 1)" in prompt
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ModuleListScreen), "stays on the list"
            assert any("open elsewhere" in str(n.message) for n in app._notifications)
    finally:
        held.close()


def test_trainer_play_on_a_save_open_elsewhere_says_so_and_writes_nothing(tmp_path):
    store = SaveStore(tmp_path)
    learner = store.learner("Sam", None)
    held = store.open(learner, load_module(TUTORIAL))
    held.playthrough()
    before = held.path.read_bytes()
    trainer = shutil.which("trainer", path=str(Path(sys.executable).parent))
    try:
        result = subprocess.run(
            [trainer, "play", "tutorial-riverside", "--learner", "Sam", "--saves", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "HOME": str(tmp_path / "home")},
        )
    finally:
        held.close()
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "is open elsewhere" in result.stderr
    assert "Traceback" not in result.stderr
    assert held.path.read_bytes() == before


def test_trainer_play_with_an_unknown_module_is_one_line(tmp_path):
    trainer = shutil.which("trainer", path=str(Path(sys.executable).parent))
    result = subprocess.run(
        [trainer, "play", "no-such-module", "--saves", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("trainer: no module 'no-such-module'; known:")
    assert result.stderr.count("\n") == 1


async def test_start_again_from_the_module_list_keeps_the_earlier_attempt(tmp_path):
    modules = tmp_path / "modules"
    modules.mkdir()
    shutil.copy(TUTORIAL, modules)
    store = SaveStore(tmp_path / "saves", Clock())
    learner = store.learner("Sam", None)
    with store.open(learner, load_module(TUTORIAL)) as save:
        pt = save.playthrough()
        pt.answer("first-response", choice=["home-visit"], confidence=2, reflection="r")
        save.record(pt)
    app = build_app(tmp_path / "saves", str(modules), learner=("Sam", None), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.session.attempt_number == 2 and not app.session.playthrough.answers
    from trainer.saves import read_save

    data = read_save(tmp_path / "saves" / "sam" / "tutorial-riverside.toml")
    assert [len(a.answers) for a in data.attempts] == [1, 0]
