"""A written answer (`WrittenView`), and text put back into a field to edit (`editable`)."""

from __future__ import annotations

import unicodedata

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Button, Static, TextArea

from trainer.engine import Decision, Draft
from trainer.errors import AnswerError
from trainer.sanitise import escaped, safe_text
from trainer.tui.widgets.choice import decision_prompt
from trainer.tui.widgets.step_view import StepView


def editable(text: str) -> str:
    """Text put back into a field to edit: control characters other than newline and tab
    (from a save someone else wrote) shown as escapes, never sent to the terminal."""
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch) != "Cc" else escaped(ch) for ch in text
    )


class WrittenView(StepView):
    """A written answer: several lines; Enter makes a new line, ctrl+s submits.

    The text is sent up as it is typed, so that going back, or quitting, keeps it as a
    draft; it is there again, to carry on with, when the trainee comes back.
    """

    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("enter", "edit", show=False),
    ]

    class Written(Message):
        """The written answer, to confirm."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    hint = "Write your answer: Enter makes a new line, ctrl+s submits."
    left_hint = (
        "Left the text field: Enter or Tab goes back to it, ctrl+s submits; Escape again goes "
        "back."
    )

    def __init__(
        self, decision: Decision, draft: Draft, number: int, of: int, preview: bool
    ) -> None:
        super().__init__(classes="step written")
        self.decision = decision
        self.number = number
        self.of = of
        self.preview = preview
        self.text = editable(draft.text or "")

    def compose(self) -> ComposeResult:
        prompt = decision_prompt(self.decision, self.number, self.of)
        if self.preview:
            for concept in self.decision.rubric:
                prompt.append(
                    f"\n  Looks for: {concept.label} ({', '.join(concept.any)})", style="dim"
                )
        yield Static(safe_text(prompt), classes="prompt")  # the rubric's words: shown safe
        yield TextArea(self.text, id="written", soft_wrap=True)
        yield Button("Submit (ctrl+s)", id="submit")

    @property
    def typed(self) -> str:
        return self.query_one(TextArea).text

    def focus_first(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)  # back to change it: carry on where it ended

    def focus_hint(self) -> str:
        focused = self.screen.focused
        if isinstance(focused, Button):
            return "Enter submits your answer; Tab goes back to the text."
        if focused is self:
            return self.left_hint
        return self.hint

    @on(TextArea.Changed, "#written")
    def changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(self.Typed(self, event.text_area.text))

    def action_edit(self) -> None:
        """Enter with the step itself focused (after Escape): back into the text."""
        self.focus_first()
        self.say(self.hint)

    def action_back(self) -> None:
        area = self.query_one(TextArea)
        if area.has_focus:
            self.focus()
            self.say(self.left_hint)
            return
        self.post_message(self.WentBack(typed=area.text))

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        """Send up the answer: the engine says whether it will do (`refused`)."""
        self.post_message(self.Written(self.query_one(TextArea).text))

    def refused(self, error: AnswerError) -> str:
        self.query_one(TextArea).focus()
        return "Write your answer first; ctrl+s submits it."
