"""The app's accessibility: the high-contrast theme's contrast, NO_COLOR, and no animation.

Contrast is measured on what the app draws, not on what its stylesheets say: every screen a
trainee meets is drawn headless at 80x24 under the theme (Textual has resolved every
stylesheet rule, theme variable, Rich style, reverse and dim into colours by then), and
each cell holding a character of text is checked against WCAG 2.2's contrast ratio,
computed from the two colours' relative luminance: 4.5:1 at least (AA for text). Under a
panel or a question, only the panel is read: the screen behind it is shown dimmed, as
inactive, which WCAG does not count.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.tui.helpers import (
    SIZE,
    TUTORIAL,
    Clock,
    answer,
    choose,
    facing,
    modules_listed,
    onward,
    peers_shown,
    read_past,
    screen_text,
)
from tests.tui.test_play import play_to_the_end, through_notices
from trainer.content import load_module
from trainer.engine import Deciding, Feedback, Outcome, Reading, Step
from trainer.errors import UsageError
from trainer.paths import shipped_modules_dir
from trainer.tui.factory import build_app
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.theme import HIGH_CONTRAST, THEME_VARIABLE, theme_name

AA = 4.5
CONNELLY = shipped_modules_dir() / "peter-connelly-haringey.toml"
ROOT = Path(__file__).resolve().parents[2]


def channel(value: int) -> float:
    """One sRGB channel, linearised as WCAG 2.2 defines relative luminance."""
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: tuple[int, int, int]) -> float:
    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2.2's contrast ratio, from 1 (none) to 21 (black on white)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert contrast((255, 255, 0), (0, 0, 0)) == pytest.approx(19.56, abs=0.01)


def is_text(char: str) -> bool:
    """A character a trainee reads: letters, digits, punctuation and symbols; not spaces,
    box drawing (borders) or block elements (scroll bars)."""
    if 0x2500 <= ord(char) <= 0x259F:
        return False
    return unicodedata.category(char)[0] in "LNPS"


def drawn_text(app) -> list[tuple[int, int, str, object]]:
    """Every cell of text on the screen as drawn: (x, y, character, its Rich style)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    cells = []
    for y, line in enumerate(update.strips):
        x = 0
        for strip in line:
            for segment in strip:
                for char in segment.text:
                    if is_text(char):
                        cells.append((x, y, char, segment.style))
                    x += 1
    return cells


def reading_regions(app):
    """Where the trainee reads: under a panel or a question, the panel and the key line."""
    screen = app.screen
    boxes = [w.region for w in screen.query(".panel-box, .confirm-box")]
    if not boxes:
        return None
    return boxes + [w.region for w in screen.query("KeyLine")]


def low_contrast(app) -> list[str]:
    """Each text style drawn below AA on the screen shown, with an example of its text."""
    regions = reading_regions(app)
    failures: dict[tuple, str] = {}
    for x, y, char, style in drawn_text(app):
        if regions is not None and not any(r.contains(x, y) for r in regions):
            continue
        color = style.color if style else None
        background = style.bgcolor if style else None
        key = (color, background)
        if color is None or background is None or None in (color.triplet, background.triplet):
            failures.setdefault(key, f"{char!r} at {x},{y}: a colour left to the terminal")
            continue
        ratio = contrast(tuple(color.triplet), tuple(background.triplet))
        if ratio < AA:
            text = failures.get(key, f"{ratio:.2f}:1 {color.triplet} on {background.triplet}: ")
            failures[key] = text + char
    return list(failures.values())


class Checked:
    """Screens checked so far, so that a test can say which it reached."""

    def __init__(self) -> None:
        self.names: list[str] = []

    async def __call__(self, pilot, name: str) -> None:
        await pilot.pause()
        failures = low_contrast(pilot.app)
        assert not failures, (name, failures)
        self.names.append(name)


def high_contrast_app(saves, module=TUTORIAL, **options):
    return build_app(
        saves=saves, module=str(module) if module else None, learner=options.pop("learner",
        "Sam Okafor"), cohort="autumn", clock=Clock(), theme=HIGH_CONTRAST, **options
    )


async def test_every_screen_of_a_module_meets_aa_contrast_in_high_contrast(tmp_path, monkeypatch):
    monkeypatch.setattr("trainer.paths.debriefs_dir", lambda: tmp_path / "debriefs")
    check = Checked()
    app = high_contrast_app(tmp_path)
    assert app.theme == HIGH_CONTRAST
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await check(pilot, "content warning")
        await pilot.press("enter")
        await check(pilot, "introduction")
        await through_notices(pilot)
        await check(pilot, "stage")
        await pilot.press("tab")  # the first document's button, focused
        await check(pilot, "stage, a document's button focused")
        await pilot.press("enter")
        await check(pilot, "a document")
        await pilot.press("escape", "question_mark")
        await check(pilot, "help")
        await pilot.press("escape", "g")
        await check(pilot, "glossary")
        await pilot.press("escape", "t")
        await check(pilot, "timeline")
        await pilot.press("escape")
        await pilot.pause()
        app.screen.focus_next()  # back on the stage's text (focus returns where it was)
        await pilot.pause()
        view = app.screen.view
        view.focus_first()
        await onward(pilot)
        await check(pilot, "a decision, nothing highlighted")
        await choose(pilot, "strategy-and-medical")  # on to the stage with ticks, not a branch
        await check(pilot, "a decision, an option highlighted")
        await pilot.press("enter")
        await check(pilot, "how sure")
        await pilot.press("4", "enter")
        assert isinstance(app.focused, Input)
        await check(pilot, "a reason, its placeholder showing")
        await pilot.press(*"for the child")
        await check(pilot, "a reason typed")
        await pilot.press("enter")
        assert isinstance(facing(app), Feedback)
        await check(pilot, "feedback")
        await peers_shown(pilot)
        await check(pilot, "peers")
        await pilot.press("escape")
        await read_past(pilot, Feedback)  # each part of a long page
        assert isinstance(facing(app), Outcome)
        await check(pilot, "what happened")
        await read_past(pilot, Outcome)
        assert isinstance(facing(app), Reading) and facing(app).stage.id == "home"
        await check(pilot, "the next stage")
        await read_past(pilot, Reading)
        assert facing(app).decision.kind == "multiple"
        await pilot.press("1")
        await check(pilot, "several may be chosen, one ticked")
        await pilot.press("1")  # untick: the loop below answers it
        await pilot.pause()
        while not isinstance(app.screen, DebriefScreen):
            now = facing(app)
            if isinstance(now, Deciding) and now.step is Step.CHOICE and now.decision.kind == "text":
                await pilot.press(*"I would find out who every adult is")
                await check(pilot, "a written answer")
                await pilot.press("ctrl+s")
                await check(pilot, "what the review weighed, to tick")
                await pilot.press("enter")
                continue
            if isinstance(now, Deciding):
                await answer(pilot, ["1"], None)
                continue
            await pilot.press("enter")
            await pilot.pause()
        await check(pilot, "debrief")
        await pilot.press("r")
        await check(pilot, "the whole path")
        await pilot.press("escape", "m")
        await pilot.pause(0.2)
        assert "Debriefsavedas" in "".join(char for _, _, char, _ in drawn_text(app))
        await check(pilot, "a notice that the debrief was saved")
        await pilot.press("n")
        await check(pilot, "the new attempt question")
    assert len(check.names) >= 20


async def test_the_measure_finds_the_default_themes_highlighted_option_below_aa(tmp_path):
    """The measure can fail: Textual's own dark theme draws a highlighted option at 3.8:1."""
    app = build_app(saves=tmp_path, module=str(TUTORIAL), learner="Sam", clock=Clock(),
                    theme="default")
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("enter", "1")
        await pilot.pause()
        first_shown = facing(app).options[0].text
        (failure,) = low_contrast(app)
        assert failure.startswith("3.7") and "".join(first_shown.split())[:20] in failure


async def test_a_rank_and_the_facilitator_preview_meet_aa_contrast_in_high_contrast(tmp_path):
    check = Checked()
    app = high_contrast_app(tmp_path, CONNELLY, learner=None, is_preview=True)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await onward(pilot)  # the stage, read to its end
        options = facing(app).decision.options  # the preview shows the file's order
        for verdict, which in [("aligned", "an aligned"), ("partial", "a partly aligned"),
                               ("contrary", "a contrary")]:  # fmt: skip
            place = next(n for n, o in enumerate(options, start=1) if o.verdict == verdict)
            await pilot.press(str(place))
            await check(pilot, f"preview: {which} option highlighted, its verdict in colour")
        await pilot.press("enter", "3", "enter")
        await pilot.pause()
        for _ in range(200):
            now = facing(app)
            if isinstance(now, Deciding) and now.decision.kind == "rank":
                break
            if not isinstance(now, Deciding):
                await pilot.press("enter")
            else:
                await answer(pilot, ["1"], None)
            await pilot.pause()
        await pilot.press("2", "1")
        await check(pilot, "a rank, two placed")
        count = len(facing(app).decision.options)
        await pilot.press(*[str(n) for n in range(3, count + 1)], "enter")
        await pilot.press("4", "enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
        await check(pilot, "a rank's feedback beside the module's order")
    assert len(check.names) == 5


async def test_the_sign_in_and_the_module_list_meet_aa_contrast_in_high_contrast(tmp_path):
    check = Checked()
    app = build_app(saves=tmp_path, clock=Clock(), remember=False, theme=HIGH_CONTRAST)
    async with app.run_test(size=SIZE) as pilot:
        await check(pilot, "sign-in, placeholders showing")
        await pilot.press("enter")
        await check(pilot, "sign-in, asking for a name")
        await pilot.press(*"Sam", "enter", "enter")
        await modules_listed(pilot)
        await check(pilot, "module list")
        await pilot.press("question_mark")
        await check(pilot, "help over the module list")


def test_the_theme_is_chosen_by_flag_then_environment(monkeypatch):
    monkeypatch.delenv(THEME_VARIABLE, raising=False)
    assert theme_name(None) == "default"
    monkeypatch.setenv(THEME_VARIABLE, "high-contrast")
    assert theme_name(None) == "high-contrast"
    assert theme_name("default") == "default"
    monkeypatch.setenv(THEME_VARIABLE, "neon")
    with pytest.raises(UsageError, match="TRAINER_THEME 'neon' is not a theme"):
        theme_name(None)
    with pytest.raises(UsageError, match="--theme 'neon' is not a theme"):
        theme_name("neon")


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--theme", "neon", "play", "tutorial-riverside"], {}),
        (["play", "tutorial-riverside", "--theme", "neon"], {}),
        (["play", "tutorial-riverside"], {THEME_VARIABLE: "neon"}),
        (["--theme", "neon", "seminar", "tutorial-riverside", "--cohort", "c"], {}),
    ],
)
def test_a_theme_that_does_not_exist_is_one_line_and_status_2(argv, env, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "trainer", "--saves", str(tmp_path), *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "not a theme" in done.stderr
    assert "Traceback" not in done.stderr


async def test_the_high_contrast_theme_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(THEME_VARIABLE, HIGH_CONTRAST)
    app = build_app(saves=tmp_path, module=str(TUTORIAL), learner="Sam", clock=Clock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == HIGH_CONTRAST and not low_contrast(app)


# -- NO_COLOR -----------------------------------------------------------------------------


def grey(color) -> bool:
    red, green, blue = color.triplet
    return red == green == blue


async def test_no_color_draws_every_screen_without_colour(tmp_path, monkeypatch):
    """NO_COLOR (https://no-color.org): Textual draws the app in greys, and the app still says
    everything: verdicts in words, ticks and places in marks, the highlight in bold."""
    monkeypatch.setenv("NO_COLOR", "1")
    module = load_module(TUTORIAL)
    app = build_app(saves=tmp_path, module=str(TUTORIAL), learner="Sam", clock=Clock())
    assert app.no_color
    coloured: set[tuple] = set()
    async with app.run_test(size=SIZE) as pilot:

        async def look() -> None:
            await pilot.pause()
            for _, _, _, style in drawn_text(app):
                for color in (style.color, style.bgcolor):
                    if color is not None and color.triplet is not None and not grey(color):
                        coloured.add(color.triplet)

        await look()
        await through_notices(pilot)
        await pilot.press("enter")
        await choose(pilot, "strategy-and-medical")
        await look()
        await pilot.press("enter", "4", "enter", *"for the child", "enter")
        await pilot.pause()
        assert "✓ Aligned with the review" in screen_text(app)
        await look()
        await play_to_the_end(pilot, module)
        await look()
    assert not coloured, coloured


# -- TEXTUAL_ANIMATIONS=none ------------------------------------------------------------


def test_textual_reads_textual_animations_from_the_environment(tmp_path):
    code = "import textual.constants as c; print(c.TEXTUAL_ANIMATIONS)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TEXTUAL_ANIMATIONS": "none"},
    )
    assert done.stdout.strip() == "none"


async def test_with_animations_off_nothing_moves(tmp_path, monkeypatch):
    """Scrolling jumps (Textual's own animations end at once at level none) and a text
    field's cursor does not blink."""
    import textual.constants

    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")
    app = build_app(saves=tmp_path, module=str(TUTORIAL), learner="Sam", clock=Clock())
    assert app.animation_level == "none"
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("enter")
        await choose(pilot, "strategy-and-medical")  # its feedback is longer than the screen
        await pilot.press("enter", "4", "enter")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.cursor_blink is False
        await pilot.press(*"for the child", "enter")
        await pilot.pause()
        page = app.screen.view
        assert isinstance(facing(app), Feedback) and page.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert page.scroll_y > 0 and page.scroll_y == page.scroll_target_y


async def test_the_seminar_meets_aa_contrast_in_high_contrast(tmp_path):
    """The facilitator's room, under `trainer --theme high-contrast seminar ...`."""
    from tests.tui.test_group import others_answer
    from tests.tui.test_seminar import opened
    from trainer.tui.seminar_app import SeminarApp
    from trainer.tui.theme import apply_theme

    others_answer(tmp_path, ["Ann Peer", "Ben Peer", "Cal Peer"])
    app = SeminarApp(tmp_path, load_module(TUTORIAL), "autumn")
    apply_theme(app, HIGH_CONTRAST)
    check = Checked()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await check(pilot, "the room")
        await pilot.press("down", "down", "h")
        await pilot.pause(0.2)
        await check(pilot, "the room held at a stage")
