"""The way in: sign-in, the module list, and a save already open elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from textual.widgets import OptionList

from tests.tui.helpers import (
    LONG,
    SIZE,
    TUTORIAL,
    Clock,
    lock_released,
    modules_listed,
    screen_text,
)
from trainer.content import load_module
from trainer.saves.store import SaveStore, remember_sign_in
from trainer.tui.factory import build_app
from trainer.tui.screens.module_list import ModuleListScreen
from trainer.tui.screens.notice import NoticeScreen
from trainer.tui.screens.playing import PlayScreen
from trainer.tui.screens.signin import SignInScreen


async def test_sign_in_then_the_module_list_then_play(tmp_path, monkeypatch):
    modules = tmp_path / "modules"
    modules.mkdir()
    shutil.copy(TUTORIAL, modules)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = build_app(saves=tmp_path / "saves", modules_dir=str(modules), clock=Clock())
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SignInScreen)
        assert app.focused is app.screen.query_one("#name")
        # The first screen is the bottom of the stack, drawn with no blank screen under it.
        signin = app.screen
        assert app.screen_stack == [signin]
        await pilot.press("enter")
        assert "Please enter your name" in screen_text(app)
        await pilot.press(*"Zoë O'Brien", "enter", *"autumn-2026", "enter")
        await modules_listed(pilot)
        # Dismissed, it is covered for good by a blank screen, and the flow goes on over that.
        assert app.screen_stack[0] is signin and not app.screen_stack[1].children
        assert app.screen_stack[2:] == [app.screen]
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
    again = build_app(saves=tmp_path / "saves", modules_dir=str(modules), clock=Clock())
    async with again.run_test(size=SIZE) as pilot:
        from textual.widgets import Input

        assert again.screen.query_one("#name", Input).value == "Zoë O'Brien"
        assert again.screen.query_one("#cohort", Input).value == "autumn-2026"
        # Welcome back: Continue has the focus, and one Enter goes on to the module list.
        assert again.focused is again.screen.query_one("#continue")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(again.screen, ModuleListScreen)


async def test_the_module_list_shows_progress_and_refuses_a_save_open_elsewhere(tmp_path):
    modules = tmp_path / "modules"
    modules.mkdir()
    shutil.copy(TUTORIAL, modules)
    store = SaveStore(tmp_path / "saves", Clock())
    learner = store.learner("Sam", None)
    held = store.open(learner, load_module(TUTORIAL))
    pt = held.playthrough().respond(["home-visit"], confidence=2, reason="r")
    held.record(pt)
    try:
        app = build_app(saves=tmp_path / "saves", modules_dir=str(modules), learner="Sam")
        async with app.run_test(size=SIZE) as pilot:
            await modules_listed(pilot)
            prompt = app.screen.query_one(OptionList).get_option_at_index(0).prompt.plain
            assert "In progress: 1 answered (attempt 1)" in prompt
            await pilot.press("enter")
            await modules_listed(pilot)
            assert isinstance(app.screen, ModuleListScreen), "back on the list"
            assert "is open elsewhere" in screen_text(app)
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
        pt = save.playthrough().respond(["home-visit"], confidence=2, reason="r")
        save.record(pt)
    app = build_app(saves=tmp_path / "saves", modules_dir=str(modules), learner="Sam")
    async with app.run_test(size=SIZE) as pilot:
        await modules_listed(pilot)
        await pilot.press("n", "y")
        await pilot.pause()
        assert app.session.attempt_number == 2 and not app.session.playthrough.answers
    from trainer.saves import read_save

    data = read_save(tmp_path / "saves" / "sam" / "tutorial-riverside.toml")
    assert [len(a.answers) for a in data.attempts] == [1, 0]


async def test_welcome_back_takes_one_enter(tmp_path):
    modules = tmp_path / "modules"
    modules.mkdir()
    shutil.copy(TUTORIAL, modules)
    remember_sign_in("Zoë O'Brien", "autumn")
    app = build_app(saves=tmp_path / "saves", modules_dir=str(modules), clock=Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("enter")
        await modules_listed(pilot)
        assert app.learner.name == "Zoë O'Brien" and app.learner.cohort == "autumn"


async def test_the_module_list_offers_the_module_in_progress_first(tmp_path):
    modules = tmp_path / "modules"
    modules.mkdir()
    shutil.copy(TUTORIAL, modules)
    shutil.copy(LONG, modules)
    store = SaveStore(tmp_path / "saves", Clock())
    learner = store.learner("Sam", None)
    with store.open(learner, load_module(LONG)) as save:
        save.record(save.playthrough().respond(["o2"], confidence=3, reason="seen"))
    app = build_app(saves=tmp_path / "saves", modules_dir=str(modules), learner="Sam")
    async with app.run_test(size=SIZE) as pilot:
        await modules_listed(pilot)
        options = app.screen.query_one(OptionList)
        assert "Long options" in options.get_option_at_index(options.highlighted).prompt.plain
        assert "tutorial" in str(app.screen.rows[0].path), "tutorials still listed first"


async def test_play_with_learner_in_process_does_not_touch_the_remembered_sign_in(tmp_path):
    from trainer.cli import build_parser
    from trainer.commands.play import make_app
    from trainer.saves.store import remembered_sign_in

    remember_sign_in("Zoë O'Brien", "autumn")
    args = build_parser().parse_args(
        ["play", str(TUTORIAL), "--learner", "Sam [/] Okafor", "--saves", str(tmp_path)]
    )
    app = make_app(args)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session.learner.name == "Sam [/] Okafor"
        assert isinstance(app.screen, NoticeScreen)
        await pilot.press("q")
    assert remembered_sign_in() == ("Zoë O'Brien", "autumn")
    assert lock_released(tmp_path / "sam-okafor" / "tutorial-riverside.toml")


def test_the_play_command_runs_the_app_and_releases_the_save(tmp_path, monkeypatch):
    from trainer.cli import main
    from trainer.tui.app import TrainerApp

    ran = []

    def fake_run(self):
        ran.append((self.session.learner.name, self.session.save.path))

    monkeypatch.setattr(TrainerApp, "run", fake_run)
    assert main(["play", "tutorial-riverside", "--learner", "Sam", "--saves", str(tmp_path)]) == 0
    name, save = ran[0]
    assert name == "Sam" and lock_released(save)


async def test_trainer_play_then_sign_in_on_a_save_open_elsewhere_lands_on_the_list(tmp_path):
    store = SaveStore(tmp_path / "saves", Clock())
    learner = store.learner("Sam [/] Okafor", None)
    held = store.open(learner, load_module(TUTORIAL))
    try:
        app = build_app(saves=tmp_path / "saves", module=str(TUTORIAL), clock=Clock())
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press(*"Sam [/] Okafor", "enter", "enter")
            await modules_listed(pilot)
            assert "is open elsewhere" in screen_text(app)
            assert "Sam [/] Okafor" in screen_text(app)
    finally:
        held.close()


async def test_a_saves_folder_that_cannot_be_written_keeps_the_sign_in_with_a_message(
    tmp_path, monkeypatch
):
    from trainer.errors import SaveError

    def refuse(self, name, cohort=None):
        raise SaveError(f"could not create {tmp_path / 'saves' / 'sam'} (Read-only file system)")

    monkeypatch.setattr(SaveStore, "learner", refuse)
    app = build_app(saves=tmp_path / "saves", clock=Clock(), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"Sam", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert "Read-only file system" in screen_text(app)


async def test_footer_keys_all_work_where_they_are_shown(tmp_path):
    modules = tmp_path / "modules"
    modules.mkdir()
    shutil.copy(TUTORIAL, modules)
    app = build_app(saves=tmp_path / "saves", modules_dir=str(modules), learner="Sam")
    async with app.run_test(size=SIZE) as pilot:
        await modules_listed(pilot)
        shown = {b.binding.key for b in app.active_bindings.values() if b.enabled and b.binding.show}
        assert "g" not in shown and "t" not in shown, "no module open: no glossary or timeline"
        await pilot.press("enter", "enter", "enter", "g")
        await pilot.pause()
        shown = {b.binding.key for b in app.active_bindings.values() if b.enabled and b.binding.show}
        assert shown == {"escape"}, shown


async def test_every_footer_fits_80_columns(tmp_path):
    from tests.tui.test_play import play_to_the_end
    from trainer.tui.widgets.footer import KeyLine

    app = build_app(saves=tmp_path, module=str(TUTORIAL), learner="Sam", clock=Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "enter")
        await play_to_the_end(pilot, load_module(TUTORIAL))
        await pilot.pause()
        line = app.screen.query_one(KeyLine).render()
        assert line.plain.startswith(" n New attempt  r Review  m Save .md "), line.plain
        assert " Timeline " in line.plain
        assert line.cell_len <= 80, line.plain


async def test_a_save_that_cannot_be_started_says_so_on_the_list_and_releases_the_lock(
    tmp_path, monkeypatch
):
    from trainer.errors import SaveError
    from trainer.saves.store import ModuleSave

    modules = tmp_path / "modules"
    modules.mkdir()
    shutil.copy(TUTORIAL, modules)
    app = build_app(saves=tmp_path / "saves", modules_dir=str(modules), learner="Sam")

    def full(self, save):
        raise SaveError(f"could not write {self.path} (No space left on device)")

    monkeypatch.setattr(ModuleSave, "_write", full)
    async with app.run_test(size=SIZE) as pilot:
        await modules_listed(pilot)
        await pilot.press("enter")
        await modules_listed(pilot)
        assert "No space left on device" in screen_text(app)
    assert lock_released(tmp_path / "saves" / "sam" / "tutorial-riverside.toml")


async def test_no_raw_control_sequence_from_a_save_or_a_file_name_reaches_the_screen(tmp_path):
    """A name, an error naming a file, a written answer from a hand-edited save: all shown
    with visible escapes, never as a sequence the terminal would act on."""
    from trainer.saves.store import SaveStore as Store

    store = Store(tmp_path / "saves", Clock())
    learner = store.learner("Sam", None)
    held = store.open(learner, load_module(TUTORIAL))
    try:
        evil = tmp_path / "saves" / "evil\x1b]0;PWNED\x07.toml"
        evil.write_text("not a module")
        app = build_app(saves=tmp_path / "saves", modules_dir=str(tmp_path / "saves"), learner="Sam")
        async with app.run_test(size=SIZE) as pilot:
            await modules_listed(pilot)
            text = screen_text(app)
            assert "\x1b" not in text and "\\x1b]0;PWNED\\x07" in text
            await pilot.press("enter")  # the tutorial: open elsewhere
            await modules_listed(pilot)
            assert "\x1b" not in screen_text(app)
    finally:
        held.close()


async def test_the_continue_button_is_drawn_as_textuals_primary_button(tmp_path, monkeypatch):
    """The sign-in's button carries only the rules it uses: at rest, focused, under the mouse
    and pressed it looks as Textual's own primary Button does."""
    import re

    from textual.widgets import Button

    import trainer.tui.screens.signin as signin

    async def screens(saves: Path) -> list[str]:
        app = build_app(saves=saves, remember=False)
        shots = []
        async with app.run_test(size=SIZE) as pilot:
            button = app.screen.query_one("#continue")
            await pilot.pause()
            shots.append(app.export_screenshot())
            button.focus()
            await pilot.pause()
            shots.append(app.export_screenshot())
            await pilot.hover("#continue")
            await pilot.pause()
            shots.append(app.export_screenshot())
            button.add_class("-active")
            await pilot.pause()
            shots.append(app.export_screenshot())
        return [re.sub(r"terminal-\d+", "terminal", shot) for shot in shots]

    ours = await screens(tmp_path / "a")
    monkeypatch.setattr(signin, "ContinueButton", Button)
    textuals = await screens(tmp_path / "b")
    assert len(set(ours)) == 4, "each state looks different"
    assert ours == textuals
