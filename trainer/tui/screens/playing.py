"""Playing a module: the screen shows what the engine says the trainee faces, one step at a time.

Each step is its own widget (`trainer.tui.widgets.steps`). A step posts what the trainee
did; this screen turns it into an engine move through `Session.move`, which saves before
anything new is shown, then shows what the trainee faces next. The screen computes nothing
the engine could, save whether a held stage is begun (`held_view`). What reads many files
(the cohort's tally, the room's hold) runs in a thread worker.

Text typed into a step's field goes to the session as it is typed, and is written to the
save as a draft once the typing pauses (`DRAFT_SAVE_SECONDS`), so that a kill, or a
terminal closed, loses at most the last moment's typing; quitting writes it at once.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker

from trainer.engine import (
    Deciding,
    Facing,
    Feedback,
    Finished,
    Outcome,
    PlayThrough,
    Reading,
    Step,
)
from trainer.errors import AnswerError, SaveError
from trainer.sanitise import safe
from trainer.session import Move, Session
from trainer.tui.render import feedback_text, outcome_text, peers_text, stage_header
from trainer.tui.screens.flow_screen import FlowScreen
from trainer.tui.screens.notice import PanelScreen, save_failed_text
from trainer.tui.widgets.footer import KeyLine
from trainer.tui.widgets.page import HoldPage
from trainer.tui.widgets.steps import (
    ChoiceView,
    ConfidenceView,
    Page,
    RankView,
    ReasonView,
    StageView,
    StepView,
    TickView,
    WrittenView,
)

if TYPE_CHECKING:
    from trainer.cohort.peers import DecisionTally

PAGE_HINT = "Press Enter to continue."
"""A page's hint once its last line is in view (until then, `more.READ_ON`)."""
DRAFT_SAVE_SECONDS = 1.0
"""How long typing pauses before what was typed is written to the save as a draft."""


class PlayScreen(FlowScreen[None]):
    """One step at a time, until the module ends; then it dismisses, and the debrief follows."""

    BINDINGS = [
        Binding("p", "peers", "Peers"),
        Binding("c", "case_file", "Case file"),
        # In a text field c types: ctrl+o opens the case file from there too.
        Binding("ctrl+o", "case_file", "Case file", show=False),
    ]
    CSS_PATH = "play.tcss"
    """The steps' rules, read when the screen is first shown: in the app's stylesheet they
    were parsed, and checked against every widget, before each first frame."""
    HOLD_POLL_SECONDS = 1.0
    """How often a trainee's app waiting at a held stage looks whether it is released."""

    def __init__(self, session: Session) -> None:
        super().__init__(classes="play")
        self.session = session
        self.facing: Facing = session.playthrough.facing()
        self._hold_timer: Timer | None = None
        self._hold_look: Worker[None] | None = None
        self._draft_timer: Timer | None = None
        self.view: StepView | None = None
        """The step on screen."""
        self._page: Page | None = None

    def compose(self) -> ComposeResult:
        # The step on screen goes between the header and the status line, as a child of
        # the screen itself: a container around it would be one more layer on every frame.
        yield Static(id="header", classes="screen-title")
        yield Static(id="status", classes="hint")
        yield KeyLine()

    async def on_mount(self) -> None:
        await self.show_facing()

    async def show_facing(self) -> None:
        """Show what the trainee faces now."""
        facing = self.facing = self.now_facing()
        if isinstance(facing, Finished):
            self.dismiss(None)
            return
        stage = facing.stage
        preview = self.session.is_preview
        view = self.held_view(facing) or self.view_for(facing)
        leaving = [child for child in self.query_children(StepView) if child is not view]
        # One frame for the whole change: never a frame with the old step gone and the new
        # one not yet there, and one redraw instead of one per part.
        with self.app.batch_update():
            header = stage_header(self.session.module, stage, preview, self.session.playthrough)
            self.query_one("#header", Static).update(header)
            for child in leaving:
                child.display = False
            if not view.is_mounted:
                await self.mount(view, before="#status")
            view.display = True
            self.view = view
            view.focus_first()
            self.status(view.hint)
            self.refresh_bindings()
        # A step not shown again is removed once the new one is drawn: removing it first
        # would cost the trainee a layout before they see anything.
        for child in leaving:
            if child is not self._page:
                self.call_after_refresh(child.remove)

    def now_facing(self) -> Facing:
        """What the engine says the trainee faces; a decision first shown is noted as shown
        now (its seconds count from here)."""
        facing = self.session.playthrough.facing()
        if isinstance(facing, Deciding) and facing.draft.shown_at is None:
            try:
                self.session.move(PlayThrough.shown)
                facing = self.session.playthrough.facing()
            except SaveError:
                pass  # only typing not yet written was to go with it: kept for the next write
        return facing

    def reading_page(self, body: Text) -> Page:
        """The page for feedback and for what happened: one widget, refilled each time, so
        that going on to feedback builds nothing new."""
        if self._page is None:
            self._page = Page(body, PAGE_HINT)
        else:
            self._page.show(body)
        return self._page

    def held_view(self, facing: Facing) -> StepView | None:
        """A page saying the facilitator will open this stage next, while the room is held here.

        Only before the stage is begun: a trainee already in it carries on.
        """
        if not isinstance(facing, Reading):
            return None
        stage = facing.stage
        begun = any(self.session.playthrough.answer_for(d.id) for d in stage.decisions)
        if begun or self.session.held_stage() != stage.id:
            return None
        if self._hold_timer is None:
            self._hold_timer = self.set_interval(self.HOLD_POLL_SECONDS, self.check_hold)
        return HoldPage()

    class HoldReleased(Message):
        """The look at the room's hold (in a thread) found it released."""

    def check_hold(self) -> None:
        """Look whether the facilitator has released the room, in a thread: the hold file
        lives in the saves folder, perhaps on a slow shared drive, and the keys never wait
        on it. A look still going is not doubled."""
        if not isinstance(self.view, HoldPage):
            return
        if self._hold_look is not None and not self._hold_look.is_finished:
            return
        self._hold_look = self.run_worker(
            self._look_at_hold, thread=True, group="hold", exit_on_error=False
        )

    def _look_at_hold(self) -> None:
        if self.session.held_stage() is None:
            self.post_message(self.HoldReleased())

    @on(HoldReleased)
    def hold_released(self) -> None:
        """Go on by ourselves once the facilitator releases the room (in the screen's own
        turn, as a key's move is: not in the timer's, where mounting the next step waits on
        the screen)."""
        if isinstance(self.view, HoldPage):
            if self._hold_timer is not None:
                self._hold_timer.stop()
                self._hold_timer = None
            self.call_later(self.show_facing)

    class PeersCounted(Message):
        """The cohort's answers to a decision, counted (in a thread)."""

        def __init__(self, decision_id: str, tally: DecisionTally | None) -> None:
            super().__init__()
            self.decision_id = decision_id
            self.tally = tally

    def action_peers(self) -> None:
        """How the cohort answered the decision just answered: only once it is saved. Every
        save of the cohort is read, in a thread: on a shared drive that can take a while, and
        the keys never wait on it."""
        if not isinstance(self.facing, Feedback):
            return
        decision = self.facing.decision

        def count() -> None:
            self.post_message(self.PeersCounted(decision.id, self.session.peers(decision)))

        self.run_worker(count, thread=True, group="peers", exclusive=True)

    @on(PeersCounted)
    def peers_counted(self, message: PeersCounted) -> None:
        """Show the tally, if the trainee is still at that decision's feedback."""
        facing = self.facing
        if not isinstance(facing, Feedback) or facing.decision.id != message.decision_id:
            return
        from trainer.cohort.peers import MIN_PEERS  # the cohort is read only when asked for

        self.app.push_screen(PanelScreen(peers_text(message.tally, MIN_PEERS)))

    def action_case_file(self) -> None:
        """The case file as at this stage, over this screen; Escape comes back to the step as
        it was left (this screen is not composed again), answer in progress and all."""
        if isinstance(self.view, HoldPage):
            self.status("The case file opens when the facilitator opens this stage.")
            return
        # The case file's code is imported when first asked for, not before the first step.
        from trainer.engine.casefile import has_case_file

        if not has_case_file(self.session.module):
            self.status("This module has no case file: what you know is in the stage's text.")
            return
        from trainer.tui.screens.casefile_screen import CaseFileScreen

        self.app.push_screen(CaseFileScreen(self.session))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`p` works, and shows in the footer, only on the feedback of a saved answer."""
        if action == "peers":
            return isinstance(self.facing, Feedback) and not self.session.is_preview
        return True

    def view_for(self, facing: Facing) -> StepView:
        """The widget for what the trainee faces."""
        module = self.session.module
        if isinstance(facing, Reading):
            return StageView(facing.stage, facing.decisions_left)
        if isinstance(facing, Deciding):
            decision, draft = facing.decision, facing.draft
            if facing.step is Step.CONFIDENCE:
                return ConfidenceView(decision, draft)
            if facing.step is Step.REASON:
                return ReasonView(decision, draft)
            if facing.step is Step.TICK:
                return TickView(decision, draft, facing.suggested)
            preview = self.session.is_preview
            if decision.kind == "text":
                return WrittenView(decision, draft, facing.number, facing.of, preview)
            options = facing.options  # in the order shown
            if decision.kind == "rank":
                return RankView(decision, draft, facing.number, facing.of, preview, options)
            return ChoiceView(decision, draft, facing.number, facing.of, preview, options)
        preview = self.session.is_preview
        pt = self.session.playthrough
        if isinstance(facing, Feedback):
            body = feedback_text(
                module, facing.decision, facing.answer, facing.assessment, preview, pt
            )
            return self.reading_page(body)
        assert isinstance(facing, Outcome)
        return self.reading_page(outcome_text(module, facing.stage, preview=preview, pt=pt))

    def status(self, text: str, rows: int = 0) -> None:
        """Say something in the status line (always literal text), keeping it `rows` rows
        tall at the least."""
        line = self.query_one("#status", Static)
        line.styles.min_height = rows or None
        line.update(Text(safe(text)))

    async def move(self, make: Move) -> None:
        """Make a move through the session; on a refusal or a failed save, nothing changes."""
        try:
            self.session.move(make)
        except AnswerError as error:
            # The engine alone says what an answer needs; the step, which keys give it.
            view = self.view
            self.status(view.refused(error) if view else str(error).capitalize() + ".")
            return
        except SaveError as error:
            self.status("Your answer could not be saved, so it has not been recorded.")
            self.app.push_screen(PanelScreen(save_failed_text(error)))
            return
        await self.show_facing()

    # -- what the steps post --------------------------------------------------

    @on(StepView.Status)
    def step_status(self, message: StepView.Status) -> None:
        self.status(message.text, message.rows)

    @on(StepView.Continued)
    async def continued(self) -> None:
        if isinstance(self.facing, Reading):
            await self.move(PlayThrough.finish_reading)
        else:
            await self.move(PlayThrough.proceed)

    @on(StepView.WentBack)
    async def went_back(self, message: StepView.WentBack) -> None:
        if isinstance(self.facing, Deciding):
            await self.move(lambda pt: pt.back(message.unconfirmed, message.typed))

    @on(StepView.Typed)
    def typed(self, message: StepView.Typed) -> None:
        """Keep what is typed; write it as the save's draft once the typing pauses."""
        if message.view is not self.view or not isinstance(self.facing, Deciding):
            return  # a field on its way out: what it held was sent with its last move
        try:
            self.session.type(message.text)
        except AnswerError:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.session.unsaved:
            self._draft_timer = self.set_timer(DRAFT_SAVE_SECONDS, self.save_draft)

    def save_draft(self) -> None:
        """Write what has been typed to the save, as a draft (never an answer)."""
        self._draft_timer = None
        try:
            self.session.flush()
        except SaveError as error:
            self.status(f"What you typed is not saved yet ({error}); it is still here.")

    def keep_typed(self) -> None:
        """Give the session the text in the step's field now (the app is quitting)."""
        view = self.view
        text = view.typed if view is not None and view.display else None
        if text is None or not isinstance(self.facing, Deciding):
            return
        with contextlib.suppress(AnswerError):
            self.session.type(text)

    @on(ChoiceView.Chosen)
    async def chosen(self, message: ChoiceView.Chosen) -> None:
        await self.move(lambda pt: pt.choose(message.choice))

    @on(WrittenView.Written)
    async def written(self, message: WrittenView.Written) -> None:
        await self.move(lambda pt: pt.choose(text=message.text))

    @on(ConfidenceView.Rated)
    async def rated(self, message: ConfidenceView.Rated) -> None:
        await self.move(lambda pt: pt.rate(message.confidence))

    @on(TickView.Ticked)
    async def ticked(self, message: TickView.Ticked) -> None:
        await self.move(lambda pt: pt.tick_concepts(message.concepts))

    @on(ReasonView.Reasoned)
    async def reasoned(self, message: ReasonView.Reasoned) -> None:
        await self.move(lambda pt: pt.give_reason(message.reason))

    @on(StageView.OpenDocument)
    def open_document(self, message: StageView.OpenDocument) -> None:
        if not isinstance(self.facing, Reading):
            return
        stage = self.facing.stage
        item = stage.evidence[message.index]
        self.record_opened(stage.id, message.index + 1)
        body = Text(item.title + "\n\n", style="bold")
        body.append(item.text)
        self.app.push_screen(PanelScreen(body), self.document_closed)

    def record_opened(self, stage_id: str, number: int) -> None:
        """Record a stage's document as opened: it is in the case file under its stage."""
        evidence = self.session.playthrough.case_file().evidence
        found = [k.id for k in evidence if k.stage.id == stage_id and k.number == number]
        try:
            self.session.move(lambda pt: pt.open_items([("evidence", i) for i in found]))
        except (AnswerError, SaveError) as error:
            self.status(f"What you opened could not be recorded in your save: {error}")

    def document_closed(self, _: object = None) -> None:
        """Back on the stage: the focus returns to the text, so Enter goes on, not reopens."""
        view = self.view
        if view is not None:
            view.focus_first()
