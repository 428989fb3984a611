"""The case file in the app, pressing real keys at 80x24 (and 60x20 for the scrolling marks):
what it shows at each stage and nothing later, how it grows and restates, the genogram, the
documents, the way back to the step exactly as it was left, the preview's extras, and the
record of what was opened, on disk."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Input, OptionList, Static, TextArea

from tests.tui.helpers import (
    SIZE,
    TUTORIAL,
    aligned_answer,
    answer,
    facing,
    play_app,
    preview_app,
    screen_text,
    status,
)
from trainer.engine import Deciding, Feedback, Outcome, Reading, Step
from trainer.errors import SaveError
from trainer.saves import read_save
from trainer.saves.room import hold
from trainer.tui.screens.casefile_screen import CaseFileScreen
from trainer.tui.screens.notice import NoticeScreen, PanelScreen
from trainer.tui.screens.playing import HoldPage, PlayScreen
from trainer.tui.widgets.steps import ChoiceList, ChoiceView

FORMAT3 = Path(__file__).parents[1] / "fixtures" / "format3.toml"
LITERAL = Path(__file__).parent / "fixtures" / "literal.toml"
LONG = Path(__file__).parent / "fixtures" / "long.toml"
NEW = "● new"


async def until(pilot, condition, what: str, timeout: float = 10.0) -> None:
    """Wait, letting the app run, until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def through_notices(pilot) -> None:
    await pilot.pause()
    while isinstance(pilot.app.screen, NoticeScreen):
        await pilot.press("enter")
        await pilot.pause()


async def open_case_file(pilot, key: str = "c") -> CaseFileScreen:
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, CaseFileScreen), "the case file")
    await pilot.pause()
    return pilot.app.screen


async def close_case_file(pilot) -> None:
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(pilot.app.screen, PlayScreen), "the play screen")
    await pilot.pause()


def section_text(app, name: str) -> str:
    """The text of a section of the case file on screen, with the lines of a document list."""
    screen = app.screen
    assert isinstance(screen, CaseFileScreen)
    assert screen.section == name
    text = screen_text(app)
    if name == "documents":
        listing = screen.query_one("#documents", OptionList)
        rows = [listing.get_option_at_index(i).prompt for i in range(listing.option_count)]
        text += "\n" + "\n".join(row.plain for row in rows)
    return " ".join(text.split())


async def show(pilot, name: str) -> str:
    screen = pilot.app.screen
    while screen.section != name:
        await pilot.press("right")
        await pilot.pause()
    return section_text(pilot.app, name)


async def go_on(pilot) -> None:
    """Enter until what the trainee faces changes (a long page shows its next part first)."""
    before = facing(pilot.app)
    for _ in range(20):
        await pilot.press("enter")
        await pilot.pause()
        if facing(pilot.app) != before:
            return
    raise AssertionError(f"Enter did not go on from {type(before).__name__}")


async def answer_aligned(pilot) -> None:
    """Answer the decision due with the review's answer, then move past its feedback."""
    if isinstance(facing(pilot.app), Reading):
        await go_on(pilot)
    now = facing(pilot.app)
    assert isinstance(now, Deciding)
    await answer(pilot, *aligned_answer(now))
    assert isinstance(facing(pilot.app), Feedback)
    await go_on(pilot)


async def to_stage(pilot, stage_id: str) -> None:
    """Answer as the review would until the stage's text is shown."""
    while not (isinstance(now := facing(pilot.app), Reading) and now.stage.id == stage_id):
        if isinstance(now, Outcome | Feedback):
            await go_on(pilot)
        else:
            await answer_aligned(pilot)


def opened(app) -> list[tuple[str, str, str]]:
    """What the save on disk records as opened: (kind, id, stage)."""
    attempt = read_save(app.session.save.path).attempts[-1]
    return [(item.kind, item.id, item.stage) for item in attempt.opened]


# -- what it shows at each stage -----------------------------------------------------------


async def test_at_the_first_stage_only_what_is_known_then_and_nothing_marked_new(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await open_case_file(pilot)
        text = section_text(app, "chronology")
        assert "Case file · as at stage 1 of 4 · February 2025 A bruise at the clinic" in text
        assert "Ruby born at full term" in text and "New birth visit" in text
        assert "Bruise on Ruby's cheek" in text
        for later in ("Strategy discussion", "Home visit", "second bruise"):
            assert later not in text
        assert NEW not in text and "new)" not in text  # at the first stage nothing is new
        people = await show(pilot, "people")
        assert "Ms Brook: Ruby's mother" in people and "Ruby's father" in people
        assert "Man on stairs" not in people and "?" not in people
        documents = await show(pilot, "documents")
        assert "GP record: eight-week check" in documents
        assert "Health visitor's call (summary)" in documents  # the stage's own document
        assert "Paediatrician's report" not in documents


async def test_the_case_file_grows_at_the_next_stage_and_marks_what_is_new(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_stage(pilot, "home")
        await open_case_file(pilot)
        text = section_text(app, "chronology")
        assert "Chronology (4, 1 new)" in text and "Documents (4, 2 new)" in text
        assert f"February 2025 · children's social care {NEW} Strategy discussion" in text
        assert f"February 2025 · health visiting {NEW}" not in text
        assert "second bruise" not in text  # a branch this path did not take
        assert "Home visit" not in text  # known only at the next stage
        people = await show(pilot, "people")
        assert "Man on stairs: Ms Brook says he is a friend" in people
        assert f"(male; identity not known) {NEW}" in people
        assert f"Ms Brook and Man on stairs are friends: as Ms Brook describes him {NEW}" in people
        documents = await show(pilot, "documents")
        assert f"Paediatrician's report (summary) {NEW}" in documents
        assert f"Your visit notes {NEW}" in documents


async def test_a_person_stated_again_shows_what_is_known_now_and_before(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_stage(pilot, "looking-back")
        await open_case_file(pilot)
        people = await show(pilot, "people")
        assert (
            "Man on stairs: stayed at the flat most nights; name never recorded "
            "(male; identity not known; lives in the household) ● more known"
        ) in people
        assert "Before: Man on stairs: Ms Brook says he is a friend" in people
        drawing = app.screen.query_one("#genogram", Static).content.plain
        assert "□?⌂" in drawing  # now known to live in the household, still not identified


async def test_the_genogram_is_drawn_above_the_list_of_the_same_people(tmp_path):
    app = play_app(tmp_path, FORMAT3)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await open_case_file(pilot)
        await show(pilot, "people")
        screen = app.screen
        drawing = screen.query_one("#genogram", Static)
        lines = drawing.content.plain.splitlines()
        assert any("○†" in line for line in lines)  # the grandmother, who has died
        assert any("▣⌂" in line for line in lines)  # Sam, the child, in the household
        assert any("//" in line for line in lines)  # his parents, separated
        assert lines[-2].startswith("Key: □ male")
        listing = screen.query_one("#people-list", Static)
        assert drawing.region.y < listing.region.y
        text = section_text(app, "people")
        assert "Mrs Kerr: Ms Kerr's mother; died in 2019 (female; died)" in text
        assert "Mrs Kerr is a parent of Ms Kerr" in text


async def test_a_module_in_format_2_shows_its_stage_documents_under_their_stage(tmp_path):
    app = play_app(tmp_path, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await open_case_file(pilot)
        assert "Nothing is in the chronology yet." in section_text(app, "chronology")
        assert "No one is in the case file yet." in await show(pilot, "people")
        documents = await show(pilot, "documents")
        assert "Given at:" in documents and "Minutes [sic] of the call [/draft]" in documents


async def test_a_module_without_a_case_file_says_so_plainly(tmp_path):
    app = play_app(tmp_path, LITERAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert status(app) == "This module has no case file: what you know is in the stage's text."


# -- keys ----------------------------------------------------------------------------------


async def test_the_arrows_and_tab_move_between_the_sections_and_f_filters_by_agency(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        screen = await open_case_file(pilot)
        sections = []
        for key in ("right", "right", "right", "left", "tab", "shift+tab"):
            await pilot.press(key)
            await pilot.pause()
            sections.append(screen.section)
        assert sections == [
            "people",
            "documents",
            "chronology",
            "documents",
            "chronology",
            "documents",
        ]
        await pilot.press("right")  # round to the chronology
        await pilot.pause()
        await pilot.press("f")  # the agencies in order: the GP has a document, no entry
        await pilot.pause()
        text = section_text(app, "chronology")
        assert "Only GP · 0 of 3" in text and "No entries from GP yet" in text
        await pilot.press("f")
        await pilot.pause()
        text = section_text(app, "chronology")
        assert "Only health visiting · 2 of 3" in text
        assert "New birth visit" in text and "Ruby born" not in text
        await pilot.press("f")  # midwifery
        await pilot.pause()
        await pilot.press("right", "right")
        await pilot.pause()
        assert "No documents from midwifery yet." in section_text(app, "documents")
        await pilot.press("f")  # every agency again
        await pilot.pause()
        assert "GP record" in section_text(app, "documents")


async def test_c_opens_it_from_each_step_and_escape_returns_to_the_step_as_it_was(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        screen = app.screen
        seen: list[str] = []

        async def round_trip(key: str = "c") -> None:
            view, focused = screen.view, app.focused
            seen.append(type(facing(app)).__name__ + ":" + getattr(facing(app), "step", ""))
            await open_case_file(pilot, key)
            assert not app.screen.query(ChoiceView)  # the decision is never on screen with it
            await close_case_file(pilot)
            assert screen.view is view and app.focused is focused

        await round_trip()  # the stage's text
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("2")
        await round_trip()  # the choice, option 2 highlighted
        assert screen.query_one(ChoiceList).highlighted == 1
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("4")
        await round_trip()  # how sure
        assert screen.query_one(ChoiceList).highlighted == 3
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"a cot")  # c types in the field
        assert isinstance(app.screen, PlayScreen) and app.focused.value == "a cot"
        await round_trip("ctrl+o")  # from inside the field
        assert app.focused.value == "a cot"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(facing(app), Feedback)
        await round_trip()  # the feedback
        await go_on(pilot)
        assert isinstance(facing(app), Outcome)
        await round_trip()  # what happened
        assert seen == [
            "Reading:",
            "Deciding:choice",
            "Deciding:confidence",
            "Deciding:reason",
            "Feedback:",
            "Outcome:",
        ]


async def test_ticks_and_a_written_answer_are_kept_across_the_case_file(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_stage(pilot, "home")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1", "3")
        await open_case_file(pilot)
        await close_case_file(pilot)
        shown = [option.id for option in app.screen.view.options]
        assert app.screen.view.ticked == [shown[0], shown[2]]
        await pilot.press("enter", "4", "enter")
        await pilot.pause()
        await to_stage(pilot, "looking-back")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"I would ask his name")
        await pilot.press("escape")  # leaves the field: c now opens the case file
        await pilot.pause()
        await open_case_file(pilot)
        await close_case_file(pilot)
        assert app.screen.query_one(TextArea).text == "I would ask his name"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(now := facing(app), Deciding) and now.step is Step.TICK
        await open_case_file(pilot)  # from the ticks of what the answer covered
        await close_case_file(pilot)
        assert facing(app).step is Step.TICK


async def test_a_document_opens_and_escape_comes_back_to_the_list(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await to_stage(pilot, "home")
        screen = await open_case_file(pilot)
        await show(pilot, "documents")
        listing = screen.query_one("#documents", OptionList)
        index = next(
            i
            for i in range(listing.option_count)
            if listing.get_option_at_index(i).id == "document:medical-report"
        )
        listing.highlighted = index
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PanelScreen), "the document")
        text = " ".join(screen_text(app).split())
        assert "Paediatrician's report (summary) report · hospital · 2025-02" in text
        assert "a poor fit for a baby who cannot yet roll over" in text
        assert "key" not in text.replace("monkey", "")  # key is for the report, not the trainee
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the case file again")
        assert screen.section == "documents" and app.focused is listing
        assert ("document", "medical-report", "home") in opened(app)


async def test_a_held_stage_keeps_its_case_file_closed(tmp_path):
    hold(tmp_path, "tutorial-riverside", "autumn", "home")
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await answer_aligned(pilot)
        await go_on(pilot)  # what happened
        await until(pilot, lambda: isinstance(app.screen.view, HoldPage), "the hold")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert status(app) == "The case file opens when the facilitator opens this stage."


# -- the record of what was opened ------------------------------------------------------------


async def test_what_was_opened_is_saved_before_the_answers_it_preceded(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("tab", "enter")  # the stage's own document, from the stage
        await until(pilot, lambda: isinstance(app.screen, PanelScreen), "the document")
        await pilot.press("escape")
        await pilot.pause()
        await open_case_file(pilot)  # the chronology: every entry fits on the screen
        await show(pilot, "people")
        await close_case_file(pilot)
        assert opened(app) == [
            ("evidence", "bruise.evidence.1", "bruise"),
            ("chronology", "ruby-born", "bruise"),
            ("chronology", "new-birth-visit", "bruise"),
            ("chronology", "first-bruise", "bruise"),
            ("person", "ms-brook", "bruise"),
            ("person", "ruby", "bruise"),
            ("person", "ruby-father", "bruise"),
        ]
        await to_stage(pilot, "home")
        await open_case_file(pilot)
        await close_case_file(pilot)
        attempt = read_save(app.session.save.path).attempts[-1]
        last = attempt.opened[-1]
        assert (last.id, last.stage, last.answers_so_far) == ("strategy-and-medical", "home", 1)
        assert [i.answers_so_far for i in attempt.opened[:-1]] == [0] * 7
    again = play_app(tmp_path, TUTORIAL)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.session.playthrough.items_opened == tuple(attempt.opened)


async def test_a_record_that_cannot_be_saved_says_so_and_is_made_next_time(tmp_path, monkeypatch):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        save = app.session.save

        def refuse(playthrough):
            raise SaveError(f"could not write {save.path} (No space left on device)")

        monkeypatch.setattr(save, "record", refuse)
        screen = await open_case_file(pilot)
        line = screen.query_one("#status", Static).content.plain
        assert line.startswith("What you opened could not be recorded in your save: could not")
        assert "Ruby born at full term" in section_text(app, "chronology")  # shown all the same
        assert app.session.playthrough.items_opened == ()  # not adopted, so not lost: tried again
        monkeypatch.undo()
        await close_case_file(pilot)
        await open_case_file(pilot)
        assert [i for kind, i, _ in opened(app) if kind == "chronology"] == [
            "ruby-born",
            "new-birth-visit",
            "first-bruise",
        ]


async def test_at_60x20_the_chronology_marks_more_below_and_records_only_what_was_seen(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=(60, 20)) as pilot:
        await through_notices(pilot)
        await to_stage(pilot, "looking-back")
        screen = await open_case_file(pilot)
        more = screen.query_one("#more", Static)
        await until(pilot, lambda: "▼ more below" in more.content.plain, "the mark")
        assert "(1 new)" in more.content.plain  # the home visit, last in date order
        seen = [i for kind, i, _ in opened(app) if kind == "chronology"]
        assert "home-visit" not in seen and "ruby-born" in seen
        await pilot.press("end")
        await until(pilot, lambda: "▲ more above" in more.content.plain, "the mark above")
        assert "more below" not in more.content.plain
        seen = [i for kind, i, _ in opened(app) if kind == "chronology"]
        assert "home-visit" in seen


async def test_the_preview_shows_each_items_stage_source_and_key_and_saves_nothing(tmp_path):
    app = preview_app(tmp_path, FORMAT3)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await open_case_file(pilot)
        text = section_text(app, "chronology")
        assert "PREVIEW · nothing is saved" in text
        assert (
            "from stage: referral · source: review, “Learning review of the Kerr family "
            "(fictional)” · key"
        ) in text
        assert "Eight-week check: well, growing. from stage: referral · source: none" in text
        people = await show(pilot, "people")
        assert "Mr Lane: Sam's father; not in touch (male) from stage: referral" in people
        documents = await show(pilot, "documents")
        assert (
            "Health visitor's referral referral · health visiting · 2021-03-02 from stage: referral · source: none · key"
            in documents
        )
    assert not list(tmp_path.rglob("*.toml"))


def test_snapshot_of_the_people_section_of_the_tutorial(snap_compare, tmp_path):
    async def run_before(pilot):
        await through_notices(pilot)
        await to_stage(pilot, "home")
        await open_case_file(pilot)
        await show(pilot, "people")

    assert snap_compare(play_app(tmp_path, TUTORIAL), terminal_size=SIZE, run_before=run_before)


RECONSTRUCTED = """
[[documents]]
id = "strategy-minutes"
title = "Strategy discussion: minutes"
kind = "minutes"
agency = "children's social care"
date = "2021-03-02"
text = "The discussion agreed a medical the same day."
from_stage = "referral"
source = "review"
reconstructed = true
"""


async def test_reconstructed_documents_are_listed_and_shown_as_reconstructions(tmp_path):
    module = tmp_path / "reconstructed.toml"
    module.write_text(FORMAT3.read_text(encoding="utf-8") + RECONSTRUCTED, encoding="utf-8")
    app = play_app(tmp_path / "saves", module)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        screen = await open_case_file(pilot)
        documents = await show(pilot, "documents")
        assert (
            "Agency documents GP record: eight-week check record · GP · 2020-12 "
            "Health visitor's referral referral · health visiting · 2021-03-02 "
            "Reconstructed from the published accounts Strategy discussion: minutes "
            "minutes · children's social care · 2021-03-02 Given at: A bruise Duty log"
        ) in documents
        listing = screen.query_one("#documents", OptionList)
        listing.highlighted = next(
            i
            for i in range(listing.option_count)
            if listing.get_option_at_index(i).id == "document:strategy-minutes"
        )
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PanelScreen), "the document")
        text = " ".join(screen_text(app).split())
        assert (
            "Reconstructed from the published accounts: written from what the sources say "
            "of it; not the original."
        ) in text


async def test_a_drawing_wider_than_the_screen_scrolls_sideways_with_shift_and_the_arrows(tmp_path):
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=(60, 20)) as pilot:
        await through_notices(pilot)
        screen = await open_case_file(pilot)
        await show(pilot, "people")
        more = screen.query_one("#more", Static)
        await until(pilot, lambda: "▶ more to the right" in more.content.plain, "the mark")
        people = screen.query_one("#people")
        await pilot.press("shift+right")
        await until(pilot, lambda: people.scroll_x > 0, "the drawing to scroll")
        assert screen.section == "people"  # shift and an arrow do not change section
