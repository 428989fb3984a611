"""The base of every step the play screen shows: its messages, its keys, its status line."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message

from trainer.errors import AnswerError


class StepView(Vertical, can_focus=True):
    """The part of the play screen that shows one step (focusable, so that leaving a text
    field leaves the focus on the step, where its keys still work)."""

    class Continued(Message):
        """Enter on a page: go on."""

    class WentBack(Message):
        """Escape outside a text field: go back one step."""

        def __init__(self, unconfirmed: tuple[str, ...] = (), typed: str | None = None) -> None:
            super().__init__()
            self.unconfirmed = unconfirmed
            """Options highlighted, ticked or placed and not confirmed."""
            self.typed = typed
            """The text in the step's field, not confirmed (None: the step has no field)."""

    class Typed(Message):
        """The text in the step's field changed (not confirmed)."""

        def __init__(self, view: StepView, text: str) -> None:
            super().__init__()
            self.view = view
            self.text = text

    class Status(Message):
        """Something to say in the status line."""

        def __init__(self, text: str, rows: int = 0) -> None:
            super().__init__()
            self.text = text
            self.rows = rows
            """The rows the status line keeps at the least (0: as many as the text takes)."""

    BINDINGS = [
        Binding("escape", "back", "Back", show=False),
        Binding("tab", "move_focus(1)", show=False),
        Binding("shift+tab", "move_focus(-1)", show=False),
    ]

    hint = ""
    """What the status line says when the step is shown."""

    @property
    def typed(self) -> str | None:
        """The text in the step's field, as typed so far (None: the step has no field)."""
        return None

    def refused(self, error: AnswerError) -> str:
        """What the status line says when the engine refuses what this step sent up: the
        engine decides what an answer needs; a step only says which of its keys give it."""
        return str(error).capitalize() + "."

    def action_back(self) -> None:
        self.post_message(self.WentBack())

    def action_move_focus(self, direction: int) -> None:
        """Tab: on to the next part of the step, if there is one, saying what Enter does
        there; where nothing else can take the focus, nothing happens."""
        screen = self.screen
        before = screen.focused
        if direction > 0:
            screen.focus_next()
        else:
            screen.focus_previous()
        if screen.focused is not before:
            # Once laid out again: a part taking the focus can change its height (a button's
            # border), and with it what lies below.
            self.call_after_refresh(self.say_focus_hint)

    def say_focus_hint(self) -> None:
        """Say what Enter does on the part of the step that has the focus."""
        self.say(self.focus_hint())

    def focus_hint(self) -> str:
        """What the status line says about the part of the step that has the focus."""
        return self.hint

    def say(self, text: str) -> None:
        """Put a line in the status line."""
        self.post_message(self.Status(text))

    def focus_first(self) -> None:
        """Give the step's main part the focus."""
