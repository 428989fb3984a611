"""The seminar's one screen: the stages with their headcounts, the highlighted stage's live
answers, the learners by name, and the status line (`trainer.tui.seminar_app` is its app).

The room is read by a worker thread every `SeminarApp.REFRESH_SECONDS` (`RoomReader`: a stat
per save, only changed saves re-read) and handed to the screen as a message; a look that
found the same room as the last draws nothing.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from trainer.cohort.peers import latest_answer, tally
from trainer.cohort.room_view import Headcount, RoomReader, RoomReading
from trainer.engine import Module
from trainer.errors import TrainerError
from trainer.sanitise import safe
from trainer.saves.room import Hold
from trainer.tui.seminar_text import (
    answers_lines,
    fit,
    joined,
    learner_lines,
    stage_row,
    stages_heading,
)
from trainer.tui.widgets.room_counts import NameList, StageList

if TYPE_CHECKING:
    from trainer.tui.seminar_app import SeminarApp

STAGE_PANE_WIDTH = 34
"""The stage list's width (as seminar.tcss sets it), for the rows drawn before the first
layout."""
ANSWERS_WIDTH = 45
"""The answers' width at 80 columns, likewise."""


class SeminarScreen(Screen[None]):
    """Stages and headcounts on the left; the highlighted stage's answers, then the names."""

    BINDINGS = [
        Binding("h", "hold", "Hold here"),
        Binding("r", "release", "Release"),
        Binding("pagedown", "names(1)", "Names", key_display="PgDn"),
        Binding("pageup", "names(-1)", "Names", show=False),
        Binding("q", "app.quit", "Quit"),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
    ]

    class RoomRead(Message):
        """The worker's look at the folder, handed to the screen."""

        def __init__(self, reading: RoomReading) -> None:
            super().__init__()
            self.reading = reading

    def __init__(self) -> None:
        super().__init__()
        self.reading: RoomReading | None = None
        self.headcount = Headcount()
        self._worker: Worker[None] | None = None
        self._reader: RoomReader | None = None
        self._shown = 0
        """The stage whose answers are shown."""
        self._rows: list[Text] = []
        """The stage rows as last drawn."""
        self._title: Text | None = None
        """The title as last drawn."""
        self._said: tuple[int, Text] | None = None
        """An action's result and the stage highlighted then: shown until the highlight
        moves."""
        self._problems: dict[str, str] = {}
        """A problem with the folder ("read") or the hold ("hold"), until it goes away."""

    @property
    def seminar(self) -> SeminarApp:
        """The app, with the module, the room and this seminar's hold."""
        from trainer.tui.seminar_app import SeminarApp  # the app imports this screen

        app = self.app
        assert isinstance(app, SeminarApp)
        return app

    @property
    def module(self) -> Module:
        """The module played in the room."""
        return self.seminar.module

    # -- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="seminar-title", classes="screen-title")
        with Horizontal(id="seminar"):
            with Vertical(id="stage-pane"):
                yield Static(stages_heading(STAGE_PANE_WIDTH), id="stages-heading")
                yield StageList(*self.stage_options(), id="stages")
            with Vertical(id="room"):
                yield Static(Text("Reading the saves folder…", style="dim"), id="answers")
                yield NameList(id="names")
        yield Static(id="status", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        stages = self.query_one("#stages", OptionList)
        stages.highlighted = 0
        stages.focus()
        self._reader = RoomReader(self.seminar.root, self.module, self.seminar.cohort)
        self.show_title()
        self.show_status()
        # The timers start here, once every widget they fill exists; they are the screen's,
        # so they stop with it.
        self.read_room()
        self.set_interval(self.seminar.REFRESH_SECONDS, self.read_room)
        self.set_interval(self.seminar.RENEW_SECONDS, self.renew_hold)

    def stage_rows(self) -> list[Text]:
        """One line per stage: its number, title and how many learners are at it."""
        held = self.held_stage()
        width = STAGE_PANE_WIDTH
        if self.is_mounted:
            width = self.query_one("#stages", OptionList).scrollable_content_region.width or width
        return [
            stage_row(number, stage, self.headcount.at.get(stage.id, 0), stage.id == held, width)
            for number, stage in enumerate(self.module.stages, start=1)
        ]

    def stage_options(self) -> list[Option]:
        """The stage list's options (before any reading: no one is anywhere yet)."""
        return [Option(row) for row in self.stage_rows()]

    def on_resize(self) -> None:
        """Every line is cut to the width it has: cut again to the new one, once the parts
        have their new widths."""
        self.call_after_refresh(self.refit)

    def refit(self) -> None:
        """Draw every line again, cut to the widths the parts have now."""
        if not self.is_attached:  # the seminar ended meanwhile
            return
        width = self.query_one("#stage-pane").content_region.width or STAGE_PANE_WIDTH
        self.query_one("#stages-heading", Static).update(stages_heading(width))
        self._rows = []
        self.show_room()

    @property
    def highlighted(self) -> int:
        """The index of the highlighted stage: the one `h` holds."""
        return self.query_one("#stages", OptionList).highlighted or 0

    def held_stage(self) -> str | None:
        """The stage the room is held at now: this seminar's hold, or another's live one."""
        own = self.seminar.own_hold
        if own.stage is not None:
            return own.stage
        other = self.other_hold()
        return other.stage if other is not None else None

    def other_hold(self) -> Hold | None:
        """A live hold made by another seminar on this room, if the last look found one."""
        found = self.reading.hold if self.reading else None
        if found is None or found.held_by == self.seminar.own_hold.held_by:
            return None
        return found if found.live(self.seminar.clock()) else None

    # -- reading the room (in a thread) ------------------------------------------

    def read_room(self) -> None:
        """Look at the folder again, in a thread; a look still going is not doubled."""
        if self._worker is not None and not self._worker.is_finished:
            return
        self._worker = self.run_worker(
            self._read_in_thread, thread=True, group="room", exit_on_error=False
        )

    def _read_in_thread(self) -> None:
        assert self._reader is not None
        try:
            reading = self._reader.read()
        except Exception as error:  # never a crash of the room for a file it could not read
            reading = RoomReading(problem=f"Could not read the room ({error}).")
        self.post_message(self.RoomRead(reading))

    @on(RoomRead)
    def room_read(self, message: RoomRead) -> None:
        """Show what the worker found; the same room as before is not drawn again (only
        whether another seminar's hold has lapsed meanwhile)."""
        if not self.is_attached:  # a look that finished as the seminar ended
            return
        same = self.reading is not None and self.reading.version == message.reading.version
        self.reading = message.reading
        if same:
            self.show_title()
            return
        self.headcount = Headcount.of(message.reading.saves)
        self.query_one("#names", NameList).show(learner_lines(self.module, self.reading.saves))
        self.set_problem("read", message.reading.problem)
        self.show_room()

    def show_room(self) -> None:
        """Fill the stages, the title, the answers and the status from the last reading."""
        stages = self.query_one("#stages", OptionList)
        keep = self.highlighted
        rows = self.stage_rows()
        for index, line in enumerate(rows):
            # Only a row that changed is drawn again.
            if index >= len(self._rows) or self._rows[index] != line:
                stages.replace_option_prompt_at_index(index, line)
        self._rows = rows
        stages.highlighted = keep
        self.show_title()
        self.show_answers()
        self.show_status()

    def show_title(self) -> None:
        """The module and the room; the headcount and the hold (each line cut, not wrapped)."""
        seminar = self.seminar
        first = Text(f"Seminar · {safe(self.module.title)}", style="bold")
        first.append(f" · {safe(seminar.room_name)}", style="dim")
        second = Text()
        if self.reading is not None:
            count = self.headcount
            total = len(self.reading.saves)
            second.append(f"{total} learner{'' if total == 1 else 's'}", style="dim")
            if count.finished:
                second.append(f", {count.finished} finished", style="dim")
            if count.not_started:
                second.append(f", {count.not_started} not started", style="dim")
            second.append(" · ", style="dim")
        second.append_text(self.hold_text())
        widget = self.query_one("#seminar-title", Static)
        width = widget.content_region.width or 78
        title = joined([fit(first, width), fit(second, width)])
        if title != self._title:  # a look that changed nothing draws nothing
            self._title = title
            widget.update(title)

    def hold_text(self) -> Text:
        """Where the room is held, and by whom; or that it is open."""
        own = self.seminar.own_hold.stage
        if own is not None:
            return Text(f"Held at stage {self.stage_words(own)}", style="bold")
        other = self.other_hold()
        if other is not None:
            out = Text(f"Held at stage {self.stage_words(other.stage)}", style="bold")
            out.append(" by another seminar", style="bold")
            return out
        return Text("Room open", style="bold")

    def stage_words(self, stage_id: str) -> str:
        """`5 “April 2007: a hospital attendance”`, or the id of a stage the module lacks."""
        stage = self.module.stage(stage_id)
        if stage is None:
            return f"“{safe(stage_id)}” (not in this module)"
        return f"{self.module.stage_number(stage_id)} “{safe(stage.title)}”"

    def show_answers(self) -> None:
        """The highlighted stage's decisions and how the room answered them."""
        widget = self.query_one("#answers", Static)
        if self.reading is None or not self.module.stages:
            return
        stage = self.module.stages[self.highlighted]
        saves = self.reading.saves
        tallies = [
            tally(decision, [a for s in saves if (a := latest_answer(s, decision.id)) is not None])
            for decision in stage.decisions
        ]
        width = widget.content_region.width or ANSWERS_WIDTH
        widget.update(joined(answers_lines(self.highlighted + 1, stage, tallies, width)))

    # -- the status line ----------------------------------------------------------

    def set_problem(self, kind: str, problem: str | None) -> None:
        """Keep (or clear) a problem of this kind for the status line."""
        if problem is None:
            self._problems.pop(kind, None)
        else:
            self._problems[kind] = problem
        self.show_status()

    def say(self, text: str) -> None:
        """An action's result, in the status line until the highlight moves."""
        self._said = (self.highlighted, Text(text))
        self.show_status()

    def show_status(self) -> None:
        """A problem first; else what was just done; else what `h` would do now."""
        status = self.query_one("#status", Static)
        if self._said is not None and self._said[0] != self.highlighted:
            self._said = None
        if self._problems:
            status.update(Text(next(iter(self._problems.values())), style="bold"))
        elif self._said is not None:
            status.update(self._said[1])
        else:  # one line: the stage's title is cut, the stage's number never
            status.update(fit(self.hint(), status.content_region.width or 78))

    def hint(self) -> Text:
        """What `h` would hold: the highlighted stage, by number and title."""
        if not self.module.stages:
            return Text("This module has no stages.")
        stage = self.module.stages[self.highlighted]
        own = self.seminar.own_hold.stage
        if own == stage.id:
            return Text(f"Held here, at stage {self.stage_words(stage.id)}: r releases it")
        verb = "h moves the hold to" if own is not None else "h holds"
        return Text(f"{verb} stage {self.stage_words(stage.id)}")

    # -- keys -----------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#stages")
    def stage_highlighted(self) -> None:
        # Read the highlight now, not the message's: keys pressed quickly queue several.
        if self.highlighted == self._shown:  # the same stage, its row redrawn
            return
        self._shown = self.highlighted
        self.show_answers()
        self.show_status()

    def action_move(self, step: int) -> None:
        """The arrows move over the stages, wherever the focus is."""
        stages = self.query_one("#stages", OptionList)
        stages.action_cursor_down() if step > 0 else stages.action_cursor_up()

    def action_names(self, pages: int) -> None:
        """Page through the names below (PageUp, PageDown)."""
        self.query_one("#names", NameList).page(pages)

    def action_hold(self) -> None:
        """Hold the room at the highlighted stage."""
        if not self.module.stages:
            return
        stage = self.module.stages[self.highlighted]
        try:
            self.seminar.own_hold.hold(stage.id)
        except TrainerError as error:
            self.say(f"Could not hold the room: {error}")
            return
        self.set_problem("hold", None)
        number = self.module.stage_number(stage.id)
        self.say(f"Held at stage {number}: trainees who reach it wait until you press r or quit.")
        self.show_room()

    def action_release(self) -> None:
        """Release the room, whoever held it."""
        try:
            released = self.seminar.own_hold.release()
        except TrainerError as error:
            self.say(f"Could not release the room: {error}")
            return
        self.set_problem("hold", None)
        # What the last look found is gone now: no stale "held by another seminar".
        if self.reading is not None:
            self.reading = dataclasses.replace(self.reading, hold=None)
        if released:
            self.say("Released: trainees waiting go on by themselves.")
        else:
            self.say("The room was not held.")
        self.show_room()

    def renew_hold(self) -> None:
        """Stamp this seminar's hold again, so that trainees' apps keep waiting."""
        own = self.seminar.own_hold
        stage = own.stage
        if stage is None:
            return
        try:
            still = own.renew()
        except TrainerError as error:
            self.set_problem(
                "hold", f"Could not renew the hold ({error}); it lapses in a minute unless renewed."
            )
            return
        self.set_problem("hold", None)
        if not still:
            self.say(
                f"The hold at stage {self.stage_words(stage)} was released or taken over elsewhere."
            )
            self.show_room()
