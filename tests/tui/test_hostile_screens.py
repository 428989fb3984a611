"""Every screen of the trainee's app, the facilitator's preview and the seminar, walked with
hostile text in every string a module or a save can carry: nothing raw reaches the terminal.

The text carries escape sequences that set a terminal's window title and clipboard (OSC 0,
OSC 52), clear it and colour it (CSI), a C1 CSI, bidi overrides and isolates, NUL and
invisible characters, and Rich markup (`[bold]`, `[link=…]`, `[@click=…]`, a stray `[/]`).
A module file cannot hold most of these (the validator refuses control characters), so the
module is spoiled in memory, where the app loads it; saves are hand-edited, as anyone who
can write a shared saves folder can.

At every pause of the walk, the whole frame is rendered as the terminal would receive it
(`render_segments`, Textual's own output): once the app's own control sequences (CSI) are
taken out, no escape, C1, bidi, invisible or other control character may be left; and no
cell of the frame may hold one either (a raw `ESC [2J` in a cell would pass the first
check). The hostile text must be seen, escaped (`\\x1b]0;pwned`), and the markup literally.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import msgspec
import pytest
import tomli
import tomli_w

from tests.cohort.conftest import ATTACK
from tests.tui.helpers import (
    SIZE,
    TUTORIAL,
    Clock,
    aligned_answer,
    facing,
    modules_listed,
    peers_shown,
)
from trainer import content
from trainer.engine import Deciding, Feedback, Module, Outcome, Reading, Step
from trainer.engine.autoplay import play
from trainer.saves import read_save
from trainer.saves.store import SaveStore
from trainer.tui.factory import build_app
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.screens.notice import NoticeScreen, PanelScreen
from trainer.tui.screens.playing import PlayScreen
from trainer.tui.seminar_app import SeminarApp

FORMAT2 = Path(__file__).parents[1] / "fixtures" / "format2.toml"
MARKUP = "[bold]b[/bold] [link=file:///etc/passwd]x[/link] [@click=app.quit]q[/] [/]"
HOSTILE = f"{ATTACK} {MARKUP}"
TEXT_FIELDS = {
    "title", "summary", "content_warning", "support", "hindsight_note", "objectives",
    "authors", "publisher", "note", "text", "quote", "locator", "said_by", "term",
    "definition", "narrative", "outcome", "prompt", "feedback", "reflection", "label",
    "date_label", "order_label", "prompts", "event", "agency",
}  # fmt: skip
"""Every field of the module model that is text shown to someone (not an id, kind, verdict,
date or reference)."""
UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}
CSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
"""A control sequence as Textual writes them for styles and the cursor."""


def spoiled(value: Any) -> Any:
    """A text with the hostile text after it (a list of texts: each)."""
    if isinstance(value, str):
        return f"{value} {HOSTILE}"
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return tuple(spoiled(v) for v in value)
    return value


def hostile(value: Any) -> Any:
    """A module (or any part of one) with the hostile text in every text field."""
    if isinstance(value, msgspec.Struct):
        changes = {}
        for name in value.__struct_fields__:
            item = getattr(value, name)
            if name in TEXT_FIELDS:
                changes[name] = spoiled(item)
            elif isinstance(item, (tuple, msgspec.Struct)):
                changes[name] = hostile(item)
        return msgspec.structs.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(hostile(item) for item in value)
    return value


@pytest.fixture
def hostile_modules(monkeypatch) -> dict[str, Module]:
    """The app loads every module spoiled (by id), as if a module file could hold anything."""
    real = content.load_module
    made: dict[str, Module] = {}

    def load(path, *args, **kwargs):
        module = real(path, *args, **kwargs)
        if module.id not in made:
            made[module.id] = hostile(module)
        return made[module.id]

    monkeypatch.setattr(content, "load_module", load)
    return made


class Frames:
    """Every frame checked, and the text of all of them, to look for what was shown."""

    def __init__(self) -> None:
        self.count = 0
        self.text: list[str] = []

    def check(self, app, where: str) -> None:
        screen = app.screen
        update = screen._compositor.render_update(full=True, screen_stack=app._background_screens)
        raw = update.render_segments(app.console)
        left = CSI.sub("", raw)
        bad = sorted({f"U+{ord(c):04X}" for c in left if _unsafe(c) and c not in "\r\n"})
        assert not bad, f"raw {bad} reach the terminal at {where}"
        cells = "".join(
            segment.text
            for line in update.strips
            for strip in line
            for segment in strip
            if not segment.control
        )
        bad = sorted({f"U+{ord(c):04X}" for c in cells if _unsafe(c)})
        assert not bad, f"raw {bad} in the cells at {where}"
        self.count += 1
        self.text.append(cells)

    def saw(self, *texts: str) -> bool:
        """Whether every one of `texts` was on some frame (a frame's rows run together)."""
        joined = "".join(self.text)
        return all(text in joined for text in texts)


def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in UNSAFE


async def look(pilot, frames: Frames, where: str) -> None:
    await pilot.pause()
    frames.check(pilot.app, where)


async def panel(pilot, frames: Frames, key: str, where: str) -> None:
    """Open a panel with `key`, check it, close it (the peers' once the cohort is counted)."""
    screen = pilot.app.screen
    if key == "p" and isinstance(screen, PlayScreen) and screen.check_action("peers", ()):
        await peers_shown(pilot)
    else:
        await pilot.press(key)
        await pilot.pause()
    if isinstance(pilot.app.screen, PanelScreen):
        await look(pilot, frames, f"{where}: panel {key}")
        await pilot.press("escape")
        await pilot.pause()


async def walk(pilot, frames: Frames, module: Module) -> None:
    """From wherever the app is to the debrief, opening every panel on the way: each notice,
    each stage (with its documents, the glossary, the timeline, the help), each step of each
    decision, each feedback (with the peers) and outcome; then the debrief, its review of
    the path, its Markdown and its question before a new attempt."""
    app = pilot.app
    opened: set[str] = set()  # the stages and feedback whose panels were opened
    for step in range(400):
        await pilot.pause()
        screen = app.screen
        where = f"step {step} {type(screen).__name__}"
        if isinstance(screen, NoticeScreen):
            await look(pilot, frames, where)
            await pilot.press("enter")
            continue
        if isinstance(screen, DebriefScreen):
            await look(pilot, frames, where)
            await panel(pilot, frames, "r", where)
            await pilot.press("m")  # the Markdown saved: its notice names the file
            await look(pilot, frames, f"{where}: markdown")
            await pilot.press("n")
            await pilot.pause()
            if isinstance(app.screen, ConfirmScreen):
                await look(pilot, frames, f"{where}: new attempt?")
                await pilot.press("n")
            return
        assert isinstance(screen, PlayScreen), where
        now = facing(app)
        where = f"{where} {type(now).__name__}"
        await look(pilot, frames, where)
        if isinstance(now, Reading):
            if f"stage {now.stage.id}" in opened:  # a long page: Enter reads on
                await pilot.press("enter")
                continue
            opened.add(f"stage {now.stage.id}")
            for key in ("g", "t", "question_mark"):
                await panel(pilot, frames, key, where)
            if now.stage.evidence:
                await pilot.press("tab", "enter")  # the first document
                await pilot.pause()
                if isinstance(app.screen, PanelScreen):
                    await look(pilot, frames, f"{where}: document")
                    await pilot.press("escape")
                    await pilot.pause()
            await pilot.press("enter")
        elif isinstance(now, Feedback):
            if f"feedback {now.decision.id}" not in opened:
                opened.add(f"feedback {now.decision.id}")
                await panel(pilot, frames, "p", where)
            await pilot.press("enter")
        elif isinstance(now, Outcome):
            await pilot.press("enter")
        else:
            assert isinstance(now, Deciding)
            await decide(pilot, frames, now, where)
    raise AssertionError("the module did not end")


async def decide(pilot, frames: Frames, now: Deciding, where: str) -> None:
    """One step of a decision, by keys: an answer (a written one with hostile text in it),
    how sure, a reason, the concepts ticked."""
    if now.step is Step.CHOICE:
        keys, text = aligned_answer(now)
        if text is not None:
            await pilot.press(*list(f"{text} [bold]mine[/] \\x1b"))
            await look(pilot, frames, f"{where}: typed")
            await pilot.press("ctrl+s")
        else:
            await pilot.press(*keys)
            await look(pilot, frames, f"{where}: chosen")
            await pilot.press("enter")
    elif now.step is Step.CONFIDENCE:
        await pilot.press("4", "enter")
    elif now.step is Step.REASON:
        await pilot.press(*list("a reason [red]x[/]"), "enter")
    else:
        await pilot.press("enter")


def edit_save(path: Path, change) -> None:
    """Hand-edit a save: its data changed by `change`, written back as TOML."""
    data = tomli.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")


def others_played(saves: Path, module: Module, cohort: str, count: int = 4) -> None:
    """Others of the cohort who answered everything, their saves hand-edited: names, cohort
    texts, answers and reasons hostile; one of them at a stage the module does not have."""
    store = SaveStore(saves, Clock())

    def answer(deciding: Deciding):
        from trainer.engine.autoplay import Response

        keys, text = aligned_answer(deciding)
        ids = [deciding.options[int(k) - 1].id for k in keys] if keys else []
        decision = deciding.decision
        return Response(
            ids,
            text=f"{text} {HOSTILE}" if text is not None else None,
            confidence=5 if decision.asks_confidence else None,
            reason=f"because {HOSTILE}" if decision.asks_reason else None,
        )

    for n in range(count):
        learner = store.learner(f"Peer {n}", cohort)
        with store.open(learner, module) as save:
            save.record(play(save.playthrough(), answer))
            path = save.path

        def change(data: dict, n: int = n) -> None:
            data["learner"].update(name=f"Peer {n} {HOSTILE}", cohort=cohort)
            attempt = data["attempts"][-1]
            if n == 0:  # somewhere the module does not know
                attempt["position"] = f"gone {HOSTILE}"
                attempt.pop("finished_at", None)
            for answer in attempt["answers"]:
                answer["choice_texts"] = [f"{t} {HOSTILE}" for t in answer["choice_texts"]]

        edit_save(path, change)


def modules_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "modules"
    folder.mkdir()
    shutil.copy(TUTORIAL, folder)
    shutil.copy(FORMAT2, folder)
    return folder


async def test_the_trainee_s_screens_show_hostile_modules_and_saves_escaped(
    tmp_path, hostile_modules
):
    """From the module list, through a save that could not be read (its reason quoting a
    hostile value), the whole tutorial with every panel, the peers of a hostile cohort, to
    the debrief."""
    saves, modules = tmp_path / "saves", modules_folder(tmp_path)
    tutorial = content.load_module(TUTORIAL)
    others_played(saves, tutorial, "autumn")
    store = SaveStore(saves, Clock())
    learner = store.learner("Mallory", "autumn")
    with store.open(learner, tutorial) as save:  # a save the reader will refuse, saying why
        assert save.attempt.number == 1  # written
        path = save.path
    edit_save(path, lambda data: data["attempts"][0].update(registration=HOSTILE))
    frames = Frames()
    app = build_app(saves=saves, modules_dir=str(modules), learner="Mallory", cohort="autumn")
    async with app.run_test(size=SIZE) as pilot:
        await modules_listed(pilot)
        await look(pilot, frames, "the module list")
        await pilot.press("enter")  # the tutorial, first
        await walk(pilot, frames, tutorial)
        await pilot.press("q")
    assert frames.count > 60
    assert frames.saw("\\x1b]0;pwned", "\\x1b]52;c;", "\\u202eevil", "\\x9b31m")
    assert frames.saw("[@click=app.quit]q[/]", "[link=file:///etc/passwd]x[/link]")
    assert frames.saw("About your save")


async def test_a_resumed_hostile_save_and_the_preview_show_everything_escaped(
    tmp_path, hostile_modules
):
    """A format 2 save hand-edited mid-way (hostile written answers, reasons, a draft),
    resumed and played to the end; then the facilitator's preview of the same module."""
    saves = tmp_path / "saves"
    module = content.load_module(FORMAT2)
    others_played(saves, module, "autumn", count=3)
    store = SaveStore(saves, Clock())
    learner = store.learner("Mallory", "autumn")
    stop_at = [d.id for s in module.stages for d in s.decisions][2]

    def some(deciding: Deciding):
        from trainer.engine.autoplay import Response

        if deciding.decision.id == stop_at:
            return None
        keys, text = aligned_answer(deciding)
        return Response(
            [deciding.options[int(k) - 1].id for k in keys],
            text=None if text is None else f"{text} {HOSTILE}",
            confidence=3 if deciding.decision.asks_confidence else None,
            reason=f"{HOSTILE}" if deciding.decision.asks_reason else None,
        )

    with store.open(learner, module) as save:
        pt = play(save.playthrough(), some)
        if isinstance(pt.facing(), Reading):
            pt = pt.finish_reading()
        decision = pt.facing().decision
        if decision.kind == "text":
            pt = pt.typed(f"draft {HOSTILE}")
        save.record(pt)
        path = save.path

    def change(data: dict) -> None:
        for answer in data["attempts"][-1]["answers"]:
            if "text" in answer:
                answer["text"] = f"{answer['text']}\n{HOSTILE}"
            answer["prompt"] = f"{answer['prompt']} {HOSTILE}"

    edit_save(path, change)
    assert read_save(path).attempts[-1].answers
    frames = Frames()
    app = build_app(saves=saves, module=str(FORMAT2), learner="Mallory", cohort="autumn")
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot, frames, module)
        await pilot.press("q")
    preview = build_app(saves=saves, module=str(FORMAT2), is_preview=True, clock=Clock())
    async with preview.run_test(size=SIZE) as pilot:
        await walk(pilot, frames, module)
        await pilot.press("q")
    assert frames.count > 60
    assert frames.saw("\\x1b]0;pwned", "\\x1b]52;c;", "\\u202eevil", "[@click=app.quit]q[/]")


@pytest.mark.parametrize("size", [(80, 24), (400, 60)], ids=["80x24", "wide"])
async def test_the_seminar_shows_hostile_names_positions_and_module_text_escaped(
    tmp_path, hostile_modules, size
):
    """The facilitator's seminar on a cohort whose saves are hand-edited (names, a position
    the module lacks, answers) and a hostile module: every stage highlighted, the room held
    and released, the names paged. (At 80 columns most of the hostile text is cut off with
    …; wide, all of it is in view.)"""
    saves = tmp_path / "saves"
    cohort = f"room {HOSTILE}"
    module = content.load_module(FORMAT2)
    others_played(saves, module, cohort, count=5)
    frames = Frames()
    app = SeminarApp(saves, module, cohort)
    async with app.run_test(size=size) as pilot:
        for _ in range(600):  # the room is read in a thread
            await pilot.pause(0.05)
            frames.check(app, "opening")
            if "Peer 1" in frames.text[-1]:
                break
        for index in range(len(module.stages)):
            await look(pilot, frames, f"stage {index + 1}")
            await pilot.press("down")
        for key in ("h", "pagedown", "r", "pageup"):
            await pilot.press(key)
            await look(pilot, frames, f"after {key}")
        await pilot.press("q")
    assert frames.saw("Peer 1", "5 learners")
    if size[0] > 80:
        assert frames.saw("Peer 4", "gone")  # a position the module lacks
        assert frames.saw("\\x1b]0;pwned", "\\u202eevil", "[@click=app.quit]q[/]")
        assert frames.saw(f"gone {HOSTILE[:20]}")


async def test_the_sign_in_with_a_hostile_name_remembered_shows_it_escaped(
    tmp_path, hostile_modules
):
    """The name and cohort last signed in with (the user's own config, but typed or pasted
    by anyone at that keyboard) are shown in the sign-in's fields without a raw sequence."""
    from trainer.saves.remembered import remember_sign_in
    from trainer.tui.screens.signin import SignInScreen

    remember_sign_in(f"Mallory {HOSTILE}", f"autumn {HOSTILE}")
    frames = Frames()
    app = build_app(saves=tmp_path / "saves", modules_dir=str(modules_folder(tmp_path)))
    async with app.run_test(size=(400, 40)) as pilot:
        await look(pilot, frames, "the sign-in")
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("enter")
        await modules_listed(pilot)
        await look(pilot, frames, "the module list")
        await pilot.press("q")
    assert frames.saw("Mallory", "[@click=app.quit]q[/]")
