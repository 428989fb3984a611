"""The facilitator's live room: learners and their stages, the live answers, the hold.

Every wait here is for a condition on the screen or on disk, with a generous timeout:
the room is read in a thread every few seconds, and a loaded machine may take its time.
"""

from __future__ import annotations

import html
import os
import pty
import re
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.tui.helpers import SIZE, TUTORIAL, facing, play_app, screen_text
from tests.tui.test_group import others_answer, to_first_feedback
from trainer.cli import main
from trainer.content import find_module, load_module
from trainer.engine import PlayThrough, Reading
from trainer.engine.autoplay import Response, play
from trainer.saves import Attempt, LearnerInfo, ModuleInfo, SaveFile
from trainer.saves.room import hold, hold_path, read_hold, read_hold_file
from trainer.tui.screens.playing import HoldPage, PlayScreen
from trainer.tui.seminar_app import SeminarApp, SeminarScreen

WAIT_SECONDS = 60.0
"""How long any one condition may take to come true: far more than it needs, unloaded."""
TUTORIAL_MODULE = load_module(TUTORIAL)


SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[0-9.]+" textLength="([0-9.]+)"'
    r' clip-path="url\(#[^"]*-line-([0-9]+)\)">([^<]*)</text>'
)
"""A piece of text in Textual's SVG screenshot: where it starts, how long it is, its line."""


def rendered(app) -> list[str]:
    """The screen's lines as the terminal shows them: what is scrolled out of view is not
    there. (Read from Textual's public screenshot, an SVG in which each piece of text sits
    at its column on its line.)"""
    lines = [""] * app.size.height
    for x, length, row, raw in SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(raw).replace("\xa0", " ")  # the SVG's spaces
        column = round(float(x) / (float(length) / len(text)))
        line = lines[int(row)]
        lines[int(row)] = line + " " * (column - cell_len(line)) + text
    return [line.rstrip() for line in lines]


def shown(app) -> str:
    """The rendered screen as one text."""
    return "\n".join(rendered(app))


def status_line(app) -> str:
    """The status line's text (a problem may wrap to a second line on screen)."""
    return app.screen.query_one("#status").content.plain


async def until(pilot, condition: Callable[[], object], what: str) -> None:
    """Wait until `condition()` is true, letting the app run; fail after `WAIT_SECONDS`."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {WAIT_SECONDS:.0f} s for {what}")
        await pilot.pause(0.02)


async def showing(pilot, app, *texts: str) -> None:
    """Wait until every one of `texts` is on the screen (a part redrawn before the rest is
    laid out is not enough)."""
    await until(pilot, lambda: all(text in shown(app) for text in texts), " and ".join(texts))


async def opened(pilot, app) -> None:
    """Wait until the seminar has read the room once and shown it all."""
    await until(pilot, lambda: app.screen.reading is not None, "the room to be read")
    await pilot.pause()
    before = None
    while before != shown(app):  # drawn, and laid out: the same twice running
        before = shown(app)
        await pilot.pause(0.05)


# -- what the room shows ---------------------------------------------------------------------


async def test_the_room_shows_learners_answers_and_holds(tmp_path, monkeypatch):
    monkeypatch.setattr(SeminarApp, "REFRESH_SECONDS", 0.05)
    others_answer(tmp_path, ["Ann Peer", "Ben Peer"])
    others_answer(tmp_path, ["Ann Other"], cohort="spring")
    app = SeminarApp(tmp_path, TUTORIAL_MODULE, "autumn")
    async with app.run_test(size=SIZE) as pilot:
        await showing(
            pilot,
            app,
            "Ann Peer · stage 3 · 1 answered",
            "Ben Peer · stage 3 · 1 answered",
            "2 learners · Room open",
            "2 answered · 0 sure and contrary",
            "   1  50% ✓ Hold a strategy discussion",
            "   0   0% ✗ Record the call",
        )
        assert "Ann Other" not in shown(app)
        # A third learner answers while the screen is open: it shows by itself.
        others_answer(tmp_path, ["Cal Peer"])
        await showing(pilot, app, "3 answered", "Cal Peer · stage 3 · 1 answered")
        await pilot.press("down", "down", "h")
        await until(pilot, lambda: "Held at stage 3" in shown(app), "the hold")
        assert read_hold(tmp_path, "tutorial-riverside", "autumn") == "home"
        assert read_hold(tmp_path, "tutorial-riverside", "spring") is None
        await pilot.press("r")
        await until(pilot, lambda: "Room open" in shown(app), "the release")
        assert not hold_path(tmp_path, "tutorial-riverside", "autumn").exists()


async def test_h_after_tab_holds_the_stage_highlighted_and_named(tmp_path):
    """Tab has nowhere to take the arrows: they move the stage highlight, which the status
    line names, and `h` holds that stage."""
    others_answer(tmp_path, ["Ann Peer"])
    app = SeminarApp(tmp_path, TUTORIAL_MODULE, "autumn")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        assert status_line(app) == "h holds stage 1 “A bruise at the clinic”"
        assert rendered(app)[-2] == " h holds stage 1 “A bruise at the clinic”"
        await pilot.press("tab", "down", "down")
        await showing(pilot, app, " h holds stage 3 “A visit to the flat”", "Stage 3 · A visit")
        await pilot.press("tab", "up", "tab", "h")
        await until(
            pilot, lambda: hold_path(tmp_path, "tutorial-riverside", "autumn").exists(), "h"
        )
        assert read_hold(tmp_path, "tutorial-riverside", "autumn") == "second-call"
        await until(pilot, lambda: "HELD" in shown(app), "the stage marked")
        row = next(line for line in rendered(app) if line.startswith(" 2 A second call"))
        assert "HELD" in row
        assert status_line(app) == (
            "Held at stage 2: trainees who reach it wait until you press r or quit."
        )


async def test_a_lecture_hall_fits_at_80x24(tmp_path):
    """300 learners: the stages with their headcounts and the highlighted stage's answers
    are all on screen at 80x24; the names scroll below."""
    module = load_module(find_module("peter-connelly-haringey", None))
    where = write_room(tmp_path, module, 300)
    app = SeminarApp(tmp_path, module, "room1")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("down", "down", "down", "down")  # stage 5: two decisions
        await showing(pilot, app, "Stage 5 · April 2007", "h holds stage 5 “April 2007")
        lines = rendered(app)
        assert (
            len(lines) == 24 and lines[-1].strip() == "h Hold here  r Release  PgDn Names  q Quit"
        )
        finished = sum(1 for stage in where.values() if stage == "end")
        assert lines[1].startswith(f" 300 learners, {finished} finished · Room open")
        for number, stage in enumerate(module.stages, start=1):
            row = next(line for line in lines if line.startswith(f"{number:>2} "))
            count = sum(1 for at in where.values() if at == stage.id)
            assert row[:34].rstrip().endswith(f" {count}" if count else "·"), row
        first, rank = module.stages[4].decisions
        answered = sum(1 for at in where.values() if at == "end" or module.stage_number(at) > 5)
        assert f"{answered} answered · " in shown(app)
        assert shown(app).count("sure and contrary") == 2
        for option in first.options:
            assert any(option.text[:20] in line and "%" in line for line in lines), option.text
        # The rank's order named as the module names it, never a panel's.
        assert f"Place in {rank.order_label}:" in shown(app)
        assert "panel" not in shown(app).casefold()
        for place in range(1, len(rank.options) + 1):
            assert any(f"  {place}. room " in line for line in lines), place
        names = [line for line in lines if "Learner " in line and " · " in line]
        assert 1 <= len(names) < 10
        assert f"Learners 1–{len(names)} of 300, by name  PgUp PgDn" in shown(app)
        assert names[0][35:].startswith("Learner 0 · ")
        await pilot.press("pagedown")
        await until(pilot, lambda: "Learner 0 · " not in shown(app), "the names to scroll")
        assert f"Learners {len(names)}–" in shown(app)
        assert "Stage 5 · April 2007" in shown(app), "the answers stay in view"
        assert rendered(app)[-2] == " h holds stage 5 “April 2007: a hospital attendance”"


# -- the hold lives only while its seminar does --------------------------------------------


async def test_the_hold_is_renewed_while_the_seminar_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(SeminarApp, "RENEW_SECONDS", 0.05)
    clock = Ticking(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    app = SeminarApp(tmp_path, TUTORIAL_MODULE, "autumn", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("h")
        await until(pilot, lambda: read_hold_file(tmp_path, "tutorial-riverside", "autumn"), "h")
        first = read_hold_file(tmp_path, "tutorial-riverside", "autumn").renewed

        def renewed_twice() -> bool:
            found = read_hold_file(tmp_path, "tutorial-riverside", "autumn")
            return found is not None and found.renewed >= first + timedelta(seconds=2)

        await until(pilot, renewed_twice, "the hold to be renewed")
        found = read_hold_file(tmp_path, "tutorial-riverside", "autumn")
        assert found.stage == "bruise" and found.held_by == app.own_hold.held_by
        assert read_hold(tmp_path, "tutorial-riverside", "autumn", now=clock.now) == "bruise"


@pytest.mark.parametrize("key", ["q", "ctrl+q", "ctrl+c"])
async def test_quitting_releases_the_hold_and_says_so(tmp_path, key):
    app = SeminarApp(tmp_path, TUTORIAL_MODULE, "autumn")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("down", "down", "h")
        await until(pilot, lambda: read_hold(tmp_path, "tutorial-riverside", "autumn"), "h")
        await pilot.press(key)
        await until(pilot, lambda: not app.is_running, "the seminar to end")
    assert not hold_path(tmp_path, "tutorial-riverside", "autumn").exists()
    assert app.farewell == "Released the hold on stage 3 for cohort autumn."
    assert not app.farewell_failed


async def test_an_error_in_the_screen_still_releases_the_hold(tmp_path, monkeypatch):
    """A fault put into a key's action: the screen ends with the error, the hold with it."""

    def fault(self, pages):
        raise RuntimeError("a fault")

    monkeypatch.setattr(SeminarScreen, "action_names", fault)
    app = SeminarApp(tmp_path, TUTORIAL_MODULE, "autumn")
    with pytest.raises(RuntimeError, match="a fault"):
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot, app)
            await pilot.press("h")
            await until(pilot, lambda: read_hold(tmp_path, "tutorial-riverside", "autumn"), "h")
            await pilot.press("pagedown")
    assert app.return_code == 1
    assert not hold_path(tmp_path, "tutorial-riverside", "autumn").exists()
    assert app.farewell == "Released the hold on stage 1 for cohort autumn."


async def test_another_seminars_hold_is_shown_and_left_on_quitting(tmp_path):
    hold(tmp_path, "tutorial-riverside", "autumn", "home", held_by="another")
    app = SeminarApp(tmp_path, TUTORIAL_MODULE, "autumn")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        line = rendered(app)[1]
        assert "Held at stage 3 “A visit to the flat” by another seminar" in line
        await pilot.press("q")
    assert read_hold(tmp_path, "tutorial-riverside", "autumn") == "home"
    assert app.farewell is None


async def test_a_hold_taken_over_elsewhere_is_not_renewed_or_released(tmp_path, monkeypatch):
    monkeypatch.setattr(SeminarApp, "RENEW_SECONDS", 0.05)
    app = SeminarApp(tmp_path, TUTORIAL_MODULE, "autumn")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("h")
        await until(pilot, lambda: read_hold(tmp_path, "tutorial-riverside", "autumn"), "h")
        hold(tmp_path, "tutorial-riverside", "autumn", "home", held_by="another")
        await until(pilot, lambda: "taken over elsewhere" in status_line(app), "the news")
        assert status_line(app) == (
            "The hold at stage 1 “A bruise at the clinic” was released or taken over elsewhere."
        )
        await until(pilot, lambda: "by another seminar" in rendered(app)[1], "the other hold")
        await pilot.press("q")
    assert read_hold_file(tmp_path, "tutorial-riverside", "autumn").held_by == "another"
    assert app.farewell is None


async def test_the_trainee_goes_on_when_the_hold_lapses(tmp_path, monkeypatch):
    """A seminar that died without releasing: its hold is not renewed, and a trainee waiting
    at the stage goes on by themselves once it is a minute old."""
    monkeypatch.setattr(PlayScreen, "HOLD_POLL_SECONDS", 0.05)
    hold(tmp_path, "tutorial-riverside", "autumn", "home", held_by="gone")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await to_first_feedback(pilot)
        await pilot.press("enter", "4", "enter", *"not mobile", "enter")
        await pilot.pause()
        while not isinstance(app.screen.view, HoldPage):  # the feedback, then what happened
            assert not isinstance(facing(app), Reading), "the held stage is not shown"
            await pilot.press("enter")  # a long page takes an Enter for each part out of view
            await pilot.pause()
        assert "Your facilitator will open this stage next" in screen_text(app)
        # The same hold, last renewed 61 seconds ago: the seminar stopped renewing it.
        stale = datetime.now(UTC) - timedelta(seconds=61)
        hold(tmp_path, "tutorial-riverside", "autumn", "home", held_by="gone", now=stale)
        await until(pilot, lambda: not isinstance(app.screen.view, HoldPage), "the lapse")
        assert isinstance(facing(app), Reading) and facing(app).stage.id == "home"
        assert "A visit to the flat" in screen_text(app)


# -- the refresh and the screen's building ---------------------------------------------------


async def test_reading_the_room_never_races_the_screen(tmp_path, monkeypatch):
    """The room read and the hold renewed twenty times a second, from before the first
    frame to after the last: a look finishing while the screen is built or taken down does
    nothing wrong (run_test raises any error the app met)."""
    monkeypatch.setattr(SeminarApp, "REFRESH_SECONDS", 0.05)
    monkeypatch.setattr(SeminarApp, "RENEW_SECONDS", 0.05)
    module = load_module(find_module("peter-connelly-haringey", None))
    write_room(tmp_path, module, 30)
    for keys in ([], ["h"], ["down", "h", "down", "r"], ["h", "down", "down", "q"]):
        app = SeminarApp(tmp_path, module, "room1")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*keys)  # and out at once: the first look may still be going
        assert app.return_code in (None, 0)
        assert not hold_path(tmp_path, module.id, "room1").exists()


# -- files in the way: one line in the status, and the seminar goes on -----------------------


async def test_a_file_where_the_room_folder_goes_is_one_line_and_the_seminar_goes_on(tmp_path):
    (tmp_path / ".room").write_text("not a folder", encoding="utf-8")
    others_answer(tmp_path, ["Ann Peer"])
    app = SeminarApp(tmp_path, TUTORIAL_MODULE, "autumn")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("h")
        await until(pilot, lambda: "Could not hold" in status_line(app), "the problem")
        assert f"{tmp_path / '.room'} is a file, not a folder" in status_line(app)
        assert "Room open" in shown(app)
        await pilot.press("down")
        await until(pilot, lambda: status_line(app).startswith("h holds stage 2"), "the seminar")
        await pilot.press("r")
        await until(pilot, lambda: "Could not release" in status_line(app), "the problem")
        assert "Ann Peer · stage 3" in shown(app)
        await pilot.press("q")
    assert app.return_code in (None, 0) and app.farewell is None


async def test_a_link_where_the_room_folder_goes_is_one_line_and_not_followed(tmp_path):
    saves, elsewhere = tmp_path / "saves", tmp_path / "elsewhere"
    elsewhere.mkdir()
    others_answer(saves, ["Ann Peer"])
    (saves / ".room").symlink_to(elsewhere, target_is_directory=True)
    app = SeminarApp(saves, TUTORIAL_MODULE, "autumn")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("h")
        await until(pilot, lambda: "Could not hold" in status_line(app), "the problem")
        assert f"{saves / '.room'} is a symbolic link" in status_line(app)
        await pilot.press("r")
        await until(pilot, lambda: "Could not release" in status_line(app), "the problem")
        assert "Room open" in shown(app) and "Ann Peer" in shown(app)
        await pilot.press("q")
    assert app.return_code in (None, 0) and app.farewell is None
    assert list(elsewhere.iterdir()) == []


async def test_a_folder_where_the_hold_goes_is_one_line_and_left_alone(tmp_path):
    folder = hold_path(tmp_path, "tutorial-riverside", "autumn")
    folder.mkdir(parents=True)
    app = SeminarApp(tmp_path, TUTORIAL_MODULE, "autumn")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        assert "Learners (0), by name" in shown(app)
        assert "No one in this cohort has started the" in shown(app)
        await pilot.press("h")
        await until(pilot, lambda: "Could not hold" in status_line(app), "the problem")
        assert "is a folder, not a hold file" in status_line(app)
        await pilot.press("down", "r")  # the release the November run crashed on
        await until(pilot, lambda: "Could not release" in status_line(app), "the problem")
        assert "is a folder, not a hold file" in status_line(app)
        assert "\n" not in status_line(app)
        await pilot.press("up")
        await until(pilot, lambda: status_line(app).startswith("h holds stage 1"), "the seminar")
        await pilot.press("q")
    assert app.return_code in (None, 0) and folder.is_dir() and app.farewell is None


async def test_a_saves_folder_gone_is_one_line_until_it_is_back(tmp_path, monkeypatch):
    monkeypatch.setattr(SeminarApp, "REFRESH_SECONDS", 0.05)
    root = tmp_path / "saves"
    root.mkdir()
    others_answer(root, ["Ann Peer"])
    app = SeminarApp(root, TUTORIAL_MODULE, "autumn")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        shutil.move(root, tmp_path / "moved")
        await until(pilot, lambda: "gone" in status_line(app), "the problem")
        assert status_line(app) == f"The saves folder is gone: {root}"
        shutil.move(tmp_path / "moved", root)
        await until(pilot, lambda: status_line(app).startswith("h holds"), "the folder back")
        assert "Ann Peer · stage 3" in shown(app)


# -- the command ----------------------------------------------------------------------------


def test_the_seminar_command_errors_are_one_line(tmp_path, capsys):
    assert main(["seminar", "no-such-module", "--cohort", "a", "--saves", str(tmp_path)]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    missing = tmp_path / "nowhere"
    assert main(["seminar", "tutorial-riverside", "--cohort", "a", "--saves", str(missing)]) == 1
    assert "no saves folder" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
@pytest.mark.parametrize("ending", ["q", "SIGTERM"])
def test_the_command_releases_its_hold_however_it_ends(tmp_path, ending):
    """`trainer seminar` in a real terminal: `h`, then quit (or a polite kill); the hold is
    gone and the command says so once the terminal is back."""
    terminal = Terminal(
        [sys.executable, "-m", "trainer", "seminar", "tutorial-riverside"]
        + ["--cohort", "room1", "--saves", str(tmp_path)]
    )
    try:
        terminal.wait_for(b"Room open")
        terminal.type(b"h")
        wait_for(lambda: read_hold(tmp_path, "tutorial-riverside", "room1") == "bruise", "h")
        if ending == "q":
            terminal.type(b"q")
        else:
            terminal.process.send_signal(signal.SIGTERM)
        assert terminal.process.wait(timeout=WAIT_SECONDS) == 0
    finally:
        terminal.close()
    assert not hold_path(tmp_path, "tutorial-riverside", "room1").exists()
    assert "Released the hold on stage 1 for cohort room1." in terminal.text()
    assert "Traceback" not in terminal.text()


# -- helpers --------------------------------------------------------------------------------


class Ticking:
    """A clock that moves on one second a call."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def write_room(folder: Path, module, learners: int) -> dict[str, str]:
    """A cohort "room1" of learners spread over the module's stages (learner n answers n % 17
    decisions, choosing options in turn); where each one is, by learner id ("end": finished)."""
    info = ModuleInfo.of(module)
    where = {}
    for n in range(learners):
        moment = [datetime(2026, 12, 1, 9, 0, tzinfo=UTC)]

        def clock(moment=moment) -> datetime:
            moment[0] += timedelta(seconds=30)
            return moment[0]

        given = [0]

        def answer(deciding, n=n, given=given):
            decision = deciding.decision
            given[0] += 1
            if given[0] > n % 17:
                return None
            confidence = 1 + n % 5 if decision.asks_confidence else None
            reason = "for the child" if decision.asks_reason else None
            if decision.kind == "text":
                return Response(text="see every adult", confidence=confidence)
            ids = [option.id for option in decision.options]
            if decision.kind == "rank":
                return Response(ids[n % len(ids) :] + ids[: n % len(ids)], None, confidence, reason)
            return Response([ids[n % len(ids)]], None, confidence, reason)

        pt = play(PlayThrough(module, clock=clock), answer)
        attempt = Attempt(1, f"00000000-0000-4000-8000-{n:012d}", "2026-12-01T09:00:00.000Z")
        attempt.update_from(pt, "2026-12-01T10:00:00.000Z")
        learner = LearnerInfo(f"learner-{n:05d}", f"Learner {n}", "room1")
        target = folder / learner.id / f"{module.id}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(SaveFile(learner, info, [attempt]).dumps(), encoding="utf-8")
        where[learner.id] = attempt.position
    return where


def wait_for(condition: Callable[[], object], what: str) -> None:
    """Wait (outside an app) until `condition()` is true; fail after `WAIT_SECONDS`."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {WAIT_SECONDS:.0f} s for {what}")
        time.sleep(0.02)


class Terminal:
    """A command run in an 80x24 pseudo-terminal, its output collected as it comes."""

    def __init__(self, command: list[str]) -> None:
        import fcntl
        import termios

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the terminal's other end closed
                return
            if not chunk:
                return
            with self._lock:
                self.output += chunk

    def wait_for(self, text: bytes) -> None:
        """Wait until the program has written `text`."""
        wait_for(lambda: text in self.received(), f"{text!r} on the terminal")

    def received(self) -> bytes:
        with self._lock:
            return bytes(self.output)

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def text(self) -> str:
        """Everything written, as text (escape sequences and all)."""
        return self.received().decode("utf-8", "replace")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT_SECONDS)
        self._reader.join(timeout=WAIT_SECONDS)
        os.close(self.master)
