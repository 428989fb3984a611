"""The steps after a decision's choice, each showing the answer so far: how sure
(`ConfidenceView`), the points a written answer covered (`TickView`), a reason
(`ReasonView`)."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, Static

from trainer.engine import Decision, Draft
from trainer.errors import AnswerError
from trainer.sanitise import safe_text
from trainer.tui.render import CONFIDENCE_WORDS
from trainer.tui.widgets.answer_box import AnswerSoFar, DraftStep
from trainer.tui.widgets.option_step import OptionStep, option_row
from trainer.tui.widgets.written import editable


class ConfidenceView(DraftStep, OptionStep):
    """How sure are you? 1 to 5, with no level chosen for the trainee."""

    class Rated(Message):
        """The confidence chosen, to confirm."""

        def __init__(self, confidence: int) -> None:
            super().__init__()
            self.confidence = confidence

    hint = "Press 1–5 to say how sure you are, then Enter. Escape goes back."
    list_id = "confidence"
    list_rows = len(CONFIDENCE_WORDS)

    def __init__(self, decision: Decision, draft: Draft) -> None:
        super().__init__(decision, draft, "confidence")
        self.ids = [str(n) for n in CONFIDENCE_WORDS]

    def compose(self) -> ComposeResult:
        yield AnswerSoFar(self.decision, self.draft)
        yield Static(Text("How sure are you of this answer?", style="bold"), classes="prompt")
        yield from self.option_list()

    def row(self, index: int) -> RenderableType:
        level = index + 1
        return Text(f"{level}. {CONFIDENCE_WORDS[level].capitalize()}")

    def start_index(self) -> int | None:
        return None if self.draft.confidence is None else self.draft.confidence - 1

    def out_of_range(self) -> str:
        return "Press 1–5: 1 is not at all sure, 5 is very sure."

    def highlight(self, index: int) -> None:
        level = index + 1
        self.say(f"{level} ({CONFIDENCE_WORDS[level]}) highlighted: Enter confirms it.")

    def confirm(self) -> None:
        highlighted = self.choices.highlighted
        if highlighted is None:  # no level to send: nothing is chosen for the trainee
            self.say("Say how sure you are first: press 1–5, then Enter.")
            return
        self.post_message(self.Rated(highlighted + 1))


class TickView(DraftStep, OptionStep):
    """A written answer compared by the trainee: tick the concepts the answer covered.

    Concepts the rubric's phrases found are ticked to begin with and marked
    "suggested": phrases cannot tell "I challenged her" from "I believed her", so the
    trainee decides.
    """

    class Ticked(Message):
        """The concepts ticked, to confirm."""

        def __init__(self, concepts: tuple[str, ...]) -> None:
            super().__init__()
            self.concepts = concepts

    noun = "point"
    ticks = True

    def __init__(self, decision: Decision, draft: Draft, suggested: tuple[str, ...]) -> None:
        super().__init__(decision, draft, "claim")
        self.suggested = suggested
        self.ids = [c.id for c in decision.rubric]
        start = draft.concepts_ticked if draft.concepts_ticked is not None else suggested
        self.ticked = [c for c in self.ids if c in start]
        count = len(self.ids)
        self.list_rows = min(count, 3)
        self.hint = (
            f"Tick what your answer covered: 1–{count} or Space ticks and unticks; Enter confirms."
        )

    def compose(self) -> ComposeResult:
        yield AnswerSoFar(self.decision, self.draft, with_confidence=True)
        prompt = Text("What the review weighed", style="bold")
        prompt.append(
            "\nTick each point your answer covered. Ticks marked “suggested” come from words "
            "in your answer: check them, since words can mislead.",
            style="dim",
        )
        yield Static(prompt, classes="prompt")
        yield from self.option_list()

    def row(self, index: int) -> RenderableType:
        concept = self.decision.rubric[index]
        marker = ("[x] " if concept.id in self.ticked else "[ ] ") + f"{index + 1}."
        text = Text(concept.label)
        if concept.id in self.suggested:
            text.append("  (suggested)", style="dim")
        return option_row(marker, safe_text(text))

    def ticked_note(self) -> str:
        return f"{len(self.ticked)} of {len(self.ids)} ticked. Enter confirms."

    def confirm(self) -> None:
        self.post_message(self.Ticked(tuple(c for c in self.ids if c in self.ticked)))


class ReasonView(DraftStep):
    """A one-line reason. What is typed is sent up as it is typed, so that going back, or
    quitting, keeps it; the engine says whether it will do (it cannot be left empty)."""

    BINDINGS = [Binding("enter", "submit", show=False)]

    class Reasoned(Message):
        """The reason given, to confirm."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    hint = "Type one line, then Enter. Escape leaves the field; Escape again goes back."
    left_hint = (
        "Left the field: Enter confirms the reason, Tab goes back to it; Escape again goes "
        "back a step."
    )
    MAX_LENGTH = 500

    def __init__(self, decision: Decision, draft: Draft) -> None:
        super().__init__(decision, draft, "reason")

    def compose(self) -> ComposeResult:
        yield AnswerSoFar(self.decision, self.draft, with_confidence=True)
        prompt = Text(self.decision.reason_prompt or "Why?", style="bold")
        yield Static(safe_text(prompt), classes="prompt")  # the module's words: shown safe
        reason = editable(self.draft.reason or "")[: self.MAX_LENGTH]
        # Not selected on focus: typing would replace a reason kept from before.
        yield Input(
            reason,
            id="reason",
            placeholder="One line, then Enter",
            max_length=self.MAX_LENGTH,
            select_on_focus=False,
        )

    @property
    def typed(self) -> str:
        return self.query_one(Input).value

    def focus_first(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.action_end()  # a reason kept from before: carry on where it ended

    def focus_hint(self) -> str:
        return self.left_hint if self.screen.focused is self else self.hint

    @on(Input.Changed, "#reason")
    def changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Typed(self, event.value))

    def action_back(self) -> None:
        field = self.query_one(Input)
        if field.has_focus:
            self.focus()
            self.say(self.left_hint)
            return
        self.post_message(self.WentBack(typed=field.value))

    @on(Input.Submitted, "#reason")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        self.post_message(self.Reasoned(self.query_one(Input).value))

    def refused(self, error: AnswerError) -> str:
        self.query_one(Input).focus()
        return "A reason is needed: type one line, then Enter."
