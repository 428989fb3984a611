"""Asking first: a question over the current screen, answered by `y` or `n` (or a button).

A new attempt is asked for this way, from the debrief and the module list: one
stray key must never start one, since the debrief it replaces does not come back.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from trainer.debrief_markdown import percent
from trainer.sanitise import safe, safe_text
from trainer.tui.widgets.footer import KeyLine


class ConfirmScreen(ModalScreen[bool]):
    """A question; dismisses with True for `y` or the action's button, with False for `n`,
    `Escape` or the other button. The other button has focus first, so that a stray
    `Enter` changes nothing either."""

    CSS_PATH = "confirm.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No", show=False),
        # Nothing is waiting to be saved here: quitting leaves everything as it was.
        Binding("q", "app.quit_key", "Quit"),
    ]

    def __init__(self, question: str, body: Text, yes: str, no: str) -> None:
        """`yes` and `no` label the buttons; they say what each answer does."""
        super().__init__(classes="confirm")
        self.question = question
        self.body = safe_text(body)
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        box = VerticalScroll(classes="confirm-box")
        # Focus moves between the two buttons only: the box scrolls to the focused one.
        box.can_focus = False
        with box:
            yield Static(Text(safe(self.question), style="bold"), classes="confirm-question")
            yield Static(self.body, classes="page-text")
            with Horizontal(classes="confirm-buttons"):
                yield Button(f"{self.yes} (y)", id="yes")
                yield Button(f"{self.no} (n)", id="no")
            yield Static(self.hint(), id="confirm-hint")
        yield KeyLine()

    def hint(self) -> Text:
        """The keys, and what Enter does on the button that has focus."""
        focused = self.focused
        on_yes = isinstance(focused, Button) and focused.id == "yes"
        enter = self.yes if on_yes else self.no
        return Text(f"Enter: {enter} · Tab moves · Escape: {self.no}", style="dim")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_descendant_focus(self) -> None:
        self.query_one("#confirm-hint", Static).update(self.hint())

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed, "#yes")
    def pressed_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def pressed_no(self) -> None:
        self.dismiss(False)


def new_attempt_question(
    number: int,
    finished: bool,
    answered: int,
    score: float | None = None,
    decisions: int | None = None,
    from_debrief: bool = False,
    module_title: str | None = None,
) -> ConfirmScreen:
    """Ask before a new attempt, saying what becomes of the current one (`number`).

    Args:
        finished: whether the current attempt is finished.
        answered: how many decisions it answered; `decisions`, how many the module holds.
        score: its score, where finished.
        from_debrief: asked on the debrief, which the new attempt replaces.
        module_title: the module's title, where the screen behind does not show which.
    """
    new = number + 1
    body = Text()
    if module_title:
        body.append(module_title + "\n\n", style="bold")
    if finished:
        scored = f" (score {percent(score)})" if score is not None else ""
        body.append(
            f"Your finished attempt {number}{scored} and its answers are kept in your save. "
            f"Your facilitator's progress and report go on counting it until attempt {new} "
            "is finished.\n\n"
        )
    else:
        of = f" of {decisions}" if decisions else ""
        body.append(
            f"Attempt {number} is not finished ({answered}{of} answered). Its answers stay in "
            f"your save, but it cannot be resumed once attempt {new} has started.\n\n"
        )
    body.append(f"Attempt {new} starts from the beginning of the module.")
    if from_debrief:
        body.append(
            " This debrief does not open again: to keep a copy, answer n, then press m to save "
            "it as Markdown."
        )
    keep = "Keep the debrief" if from_debrief else "Cancel"
    return ConfirmScreen(f"Start attempt {new}?", body, f"Start attempt {new}", keep)


def preview_again_question() -> ConfirmScreen:
    """Ask before the facilitator preview starts again from the beginning."""
    body = Text(
        "The preview saves nothing: the answers given in this play-through are gone once "
        "it starts again."
    )
    return ConfirmScreen(
        "Start the preview again from the beginning?", body, "Start again", "Keep the debrief"
    )
