"""The plain-mode player: `PlayThrough.facing()` shown as plain text, answers read line by line.

Like the app's play screen, it computes nothing the engine could: it prints what the
trainee faces, reads what they type, and sends it back as one of the engine's moves
through `Session.move`, which writes the save before the new play-through is adopted.
Feedback printed therefore means the answer is on disk.

A decision's questions are asked by `decision_steps` (a choice counts only once confirmed;
every other step is one line), and the case file is browsed by `case_browser`, both
through this player's questions, commands and moves. Whatever cannot be read gets a plain
line saying what to type instead, and the same question again. End of input is quitting:
every confirmed answer is already saved.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from trainer import paths
from trainer.engine import (
    Deciding,
    Feedback,
    Finished,
    Outcome,
    PlayThrough,
    Reading,
    Step,
)
from trainer.errors import AnswerError, SaveError
from trainer.plain import screens
from trainer.plain.case_browser import CaseFileBrowser
from trainer.plain.console import EndOfInput, PlainConsole
from trainer.plain.decision_steps import DecisionSteps
from trainer.texts.feedback import feedback_text, review_text
from trainer.texts.pages import glossary_text, outcome_text, peers_text, timeline_text

if TYPE_CHECKING:
    from trainer.session import Move, Session

Sleep = Callable[[float], None]
HOLD_POLL_SECONDS = 1.0
"""How often a trainee waiting at a held stage looks whether the facilitator has opened it."""

COMMANDS = {"h", "?", "g", "t", "c", "q"}
"""What can be typed at any question (besides its own answers)."""


class Quit(Exception):
    """The trainee typed q (or the module's flow has nowhere else to go)."""


class PlainPlayer:
    """Plays one session in plain text, from its notices to its debrief."""

    def __init__(
        self,
        session: Session,
        console: PlainConsole,
        sleep: Sleep = time.sleep,
        hold_poll: float = HOLD_POLL_SECONDS,
    ) -> None:
        self.session = session
        self.console = console
        self.sleep = sleep
        self.hold_poll = hold_poll
        self.steps = DecisionSteps(self)

    @property
    def preview(self) -> bool:
        """Whether this is the facilitator preview (nothing is written)."""
        return self.session.is_preview

    @property
    def others(self) -> str:
        """What a prompt says can be typed besides its answers (h, c, q)."""
        return screens.others_hint(not self.pt.case_file().empty, self.preview)

    @property
    def pt(self) -> PlayThrough:
        """The attempt as played so far."""
        return self.session.playthrough

    # -- the whole run ----------------------------------------------------------

    def run(self) -> int:
        """Play until the trainee quits or input ends; the exit status (0)."""
        try:
            self.notices()
            while True:
                if not self.session.finished:
                    self.play()
                if not self.debrief():
                    break
                self.opening()
        except Quit:
            self.farewell("")
        except EndOfInput:
            self.farewell("End of input. ")
        return 0

    def farewell(self, lead: str) -> None:
        """The last line: what is saved (a draft of text typed included), and how to carry on."""
        self.console.blank()
        kept = ""
        self.session.leave()
        draft = self.pt.kept_draft
        if not self.preview and draft is not None and draft.typed:
            try:
                self.session.flush()
                kept = "What you typed and have not yet confirmed is kept as a draft. "
            except SaveError as error:
                kept = f"What you typed and have not yet confirmed could not be kept ({error}). "
        lead += kept
        if self.preview:
            self.console.say(lead + "Nothing was saved (facilitator preview).")
        elif self.session.finished:
            self.console.say(lead + "Your answers are saved.")
        else:
            self.console.say(
                lead + "Every answer you confirmed is saved. Run the same command again, or "
                "open the module in the app, to carry on where you left off."
            )
        self.console.stdout.flush()

    def notices(self) -> None:
        """A save moved aside first, then (unless finished) the module's opening notices."""
        save = self.session.save
        if save is not None and save.notice:
            self.page(f"About your save\n\n{save.notice}")
        if not self.session.finished:
            self.opening()

    def opening(self) -> None:
        """The content warning, then the module's introduction (until something is answered)."""
        module = self.session.module
        if module.content_warning:
            self.page(screens.warning_text(module))
        if not self.session.started:
            self.page(screens.intro_text(module))

    def page(self, text: str) -> None:
        """A notice: printed, then acknowledged with Enter."""
        self.show(text)
        self.until_enter(screens.page_prompt(self.others))

    def show(self, text: str) -> None:
        """A screen: its text between blank lines (the question follows)."""
        self.console.blank()
        self.console.say(text)
        self.console.blank()

    def until_enter(self, prompt: str, extra: Callable[[str], bool] | None = None) -> None:
        """Ask until an empty line (Enter); `extra` may take other answers (True if it did)."""
        while True:
            answer = self.ask(prompt)
            if answer is None:
                continue
            if not answer:
                return
            if extra is not None and extra(answer):
                continue
            self.say_back(answer, "to go on, press Enter on an empty line")

    def ask(self, prompt: str) -> str | None:
        """Ask; None when the answer was a command, done here (the caller asks again)."""
        answer = self.console.ask(prompt)
        if self.command(answer):
            return None
        return answer

    def command(self, answer: str) -> bool:
        """Do what a command typed at any question asks: help, glossary, timeline, quit."""
        word = answer.lower()
        if word not in COMMANDS:
            return False
        if word == "q":
            raise Quit
        module = self.session.module
        if word in ("h", "?"):
            self.show(screens.help_text(module, self.preview))
        elif word == "c":
            CaseFileBrowser(self).browse()
        elif word == "g":
            # As the app: the facilitator sees every term, a trainee those the case has used.
            seen = None if self.preview else self.pt
            self.show(screens.plain(glossary_text(module, seen)))
        else:
            self.show(screens.plain(timeline_text(self.pt)))
        return True

    def record_opened(self, items: list[tuple[str, str]]) -> None:
        """Record case-file items as opened, through the session so the save keeps them (each
        only the first time: the engine says which are new); a failure is said, not fatal."""
        if not items:
            return
        try:
            self.session.move(lambda pt: pt.open_items(items))
        except AnswerError as error:  # only what the case file holds is ever listed
            self.console.say(str(error).capitalize() + ".")
        except SaveError as error:
            self.console.say(f"What you opened could not be recorded in your save: {error}")

    def say_back(self, answer: str, what: str) -> None:
        """An answer that cannot be taken, quoted safe, with what to type instead."""
        self.console.say(f"Not understood: {answer!r}; {what}.")

    def move(self, make: Move) -> bool:
        """Make a move through the session; on a refusal or a failed save, say so (False)."""
        try:
            self.session.move(make)
        except AnswerError as error:
            self.console.say(str(error).capitalize() + ".")
            return False
        except SaveError as error:
            self.console.say(
                f"Your answer could not be saved ({error}), so it has not been recorded, and no "
                "feedback is shown. Everything you confirmed earlier is safe. Free some space "
                "or check the saves folder, then answer again; or type q to quit."
            )
            return False
        return True

    # -- playing ------------------------------------------------------------------

    def play(self) -> None:
        """Show what the trainee faces, one screen at a time, until the module ends."""
        while True:
            facing = self.pt.facing()
            if isinstance(facing, Finished):
                return
            if isinstance(facing, Reading):
                self.reading(facing)
            elif isinstance(facing, Deciding):
                # Its seconds count from here. A failed write only held typing not yet
                # written, which the next write takes.
                with contextlib.suppress(SaveError):
                    self.session.move(PlayThrough.shown)
                if facing.step is Step.CHOICE:
                    self.steps.choosing(facing)
                else:
                    self.steps.stepping(facing)
            elif isinstance(facing, Feedback):
                self.feedback(facing)
            else:
                assert isinstance(facing, Outcome)
                self.outcome(facing)

    def reading(self, facing: Reading) -> None:
        """A stage's text and its documents; Enter goes on to its decisions."""
        stage = facing.stage
        self.wait_while_held(facing)
        self.show(screens.stage_text(self.session.module, stage, self.preview))
        count = len(stage.evidence)

        def open_document(answer: str) -> bool:
            """A document's number shows it; anything else is said back."""
            if count and answer.isascii() and answer.isdigit() and 1 <= int(answer) <= count:
                self.show(screens.document_text(stage, int(answer) - 1))
                # A stage's document is in the case file under its stage: opened.
                evidence = self.pt.case_file().evidence
                self.record_opened([("evidence", k.id) for k in evidence
                                    if k.stage.id == stage.id and k.number == int(answer)])
                return True
            if count:
                numbers = screens.numbers_hint(count)
                self.say_back(answer, f"press Enter to go on, or type {numbers} for a document")
                return True
            return False

        self.until_enter(screens.stage_prompt(stage, facing.decisions_left, self.others),
                         open_document)
        self.move(PlayThrough.finish_reading)

    def wait_while_held(self, facing: Reading) -> None:
        """While the facilitator holds the room at this stage (not yet begun), wait for them."""
        stage = facing.stage
        if any(self.pt.answer_for(d.id) for d in stage.decisions):
            return
        if self.session.held_stage() != stage.id:
            return
        self.show(
            "Waiting for the facilitator\n\nYour facilitator will open this stage next, for the "
            "whole group. It opens here by itself as soon as they do: there is nothing to "
            "type. Your answers so far are saved."
        )
        self.console.stdout.flush()
        while self.session.held_stage() == stage.id:
            self.sleep(self.hold_poll)
        self.console.say("The facilitator has opened this stage.")

    def feedback(self, facing: Feedback) -> None:
        """How the answer just saved compares with the review; p shows the cohort's answers."""
        module = self.session.module
        body = feedback_text(module, facing.decision, facing.answer, facing.assessment,
                             self.preview)
        self.show(screens.plain(body))
        peers = not self.preview

        def show_peers(answer: str) -> bool:
            """p: how the cohort answered, once enough have (never in the preview)."""
            if not (peers and answer.lower() == "p"):
                return False
            from trainer.cohort.peers import MIN_PEERS  # the cohort is read only when asked

            tally = self.session.peers(facing.decision)
            self.show(screens.without_bars(screens.plain(peers_text(tally, MIN_PEERS))))
            return True

        self.until_enter(screens.page_prompt(self.others, peers), show_peers)
        self.move(PlayThrough.proceed)

    def outcome(self, facing: Outcome) -> None:
        """What happened after the stage."""
        shown = {
            finding
            for decision in facing.stage.decisions
            if (answer := self.pt.answer_for(decision.id)) is not None
            for finding in answer.findings
        }
        body = outcome_text(self.session.module, facing.stage, shown, self.preview)
        self.show(screens.plain(body))
        self.until_enter(screens.page_prompt(self.others))
        self.move(PlayThrough.proceed)

    # -- the debrief ----------------------------------------------------------------

    def debrief(self) -> bool:
        """The debrief and what can be done from it; True once a new attempt has started."""
        attempt = self.session.attempt_number
        self.show(screens.debrief_text(self.pt, attempt, self.preview))
        prompt = screens.debrief_prompt(self.preview)
        while True:
            answer = self.ask(prompt)
            if answer is None:
                continue
            word = answer.lower()
            if word == "r":
                self.show("Your path through the case\n\n" +
                          screens.plain(review_text(self.pt, detailed=True)))
            elif word == "m" and not self.preview:
                self.keep_debrief()
            elif word == "n":
                if self.new_attempt(attempt):
                    return True
            else:
                what = "type r, n or q" if self.preview else "type r, m, n or q"
                self.say_back(answer, what)

    def keep_debrief(self) -> None:
        """The debrief as a Markdown file in the trainee's documents, never over another."""
        from trainer.debrief_markdown import debrief_markdown, write_new_file
        from trainer.engine.clock import format_time

        session = self.session
        name = session.learner.name if session.learner else ""
        number = session.attempt_number
        text = debrief_markdown(self.pt, name, number, format_time(self.pt.clock()))
        base = f"{session.module.id}-attempt-{number}-debrief"
        try:
            target = write_new_file(paths.debriefs_dir(), base, text)
        except OSError as error:
            self.console.say(f"Could not save the debrief: {error.strerror or error}")
            return
        self.console.say(f"Debrief saved as {target}")

    def new_attempt(self, attempt: int) -> bool:
        """Ask first; then start a new attempt (earlier ones stay in the save)."""
        while True:
            answer = self.ask(screens.new_attempt_question(attempt, self.pt, self.preview))
            if answer is None:
                continue
            word = answer.lower()
            if word == "n":
                self.console.say("Nothing changed: this is still your debrief.")
                return False
            if word == "y":
                try:
                    self.session.new_attempt()
                except SaveError as error:
                    self.console.say(str(error))
                    return False
                return True
            self.say_back(answer, "type y or n")
