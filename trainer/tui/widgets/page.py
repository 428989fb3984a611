"""The pages the play screen shows: a stage's narrative with its documents, and one page,
refilled, for feedback and for what happened."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.message import Message
from textual.widgets import Button, Static

from trainer.engine import Stage
from trainer.sanitise import safe_text
from trainer.tui.widgets.more import READ_ON, more_below, read_on
from trainer.tui.widgets.step_view import StepView


class Page(StepView):
    """A page of text to read; Enter shows its next page until its last line is in view, then
    continues; the arrows, PageUp, PageDown, Home and End scroll.

    The page scrolls itself rather than holding a scrolling container: each layer of
    widgets is drawn on every frame, and going on to feedback is the moment a trainee waits
    for (one layer fewer took about a fifth off drawing it; see docs/performance.md)."""

    BINDINGS = [
        Binding("enter", "go_on", "Continue"),
        Binding("up", "scroll_up", show=False),
        Binding("down", "scroll_down", show=False),
        Binding("home", "scroll_home", show=False),
        Binding("end", "scroll_end", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
    ]

    more_hint = READ_ON
    """The hint while part of the page is out of view."""

    def __init__(self, body: Text, hint: str, back: bool = False) -> None:
        super().__init__(classes="step page-step")
        self.body = safe_text(body)
        self.hint = hint
        self.can_go_back = back
        self._said: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.body, classes="page-text")

    def on_mount(self) -> None:
        for name in ("scroll_y", "virtual_size"):
            self.watch(self, name, self.update_hint, init=False)

    def on_resize(self, _: Resize) -> None:
        self.call_after_refresh(self.update_hint)

    def focus_first(self) -> None:
        self.focus()

    def focus_hint(self) -> str:
        return self.more_hint if more_below(self) else self.hint

    def update_hint(self, *_: object) -> None:
        """Say whether Enter reads on or goes on, once each time that changes."""
        if not self.display or self.screen.focused is not self:
            return
        if self.focus_hint() != self._said:
            self.say_focus_hint()

    def say_focus_hint(self) -> None:
        """Say the hint, keeping the status line as tall as the taller of the page's two
        hints: were it to change height between them, the page's own height would change,
        and with it whether anything lies below (a hint on one line revealing the last line,
        the other on two hiding it again, for ever)."""
        self._said = self.focus_hint()
        width = max(self.size.width - 2, 1)  # the status line's: as wide, the same padding
        console = self.app.console
        rows = max(len(Text(hint).wrap(console, width)) for hint in (self.hint, self.more_hint))
        self.post_message(self.Status(self._said, rows))

    def show(self, body: Text) -> None:
        """Show another text on the same page, from its top."""
        self.body = safe_text(body)
        self.query_one(".page-text", Static).update(self.body)
        self.scroll_home(animate=False)
        self._said = None
        self.call_after_refresh(self.update_hint)

    def action_go_on(self) -> None:
        if more_below(self):
            read_on(self)
            return
        self.post_message(self.Continued())

    def action_back(self) -> None:
        if self.can_go_back:
            self.post_message(self.WentBack())

    def action_page(self, direction: int) -> None:
        if direction < 0:
            self.scroll_page_up()
        else:
            self.scroll_page_down()


class StageView(Page):
    """A stage's narrative and the documents the trainee may open."""

    class OpenDocument(Message):
        """A document button was pressed."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, stage: Stage, decisions_left: int) -> None:
        if decisions_left:
            plural = "s" if decisions_left != 1 else ""
            hint = (
                f"Read the stage, then press Enter to decide ({decisions_left} decision{plural})."
            )
        else:
            hint = "Read the stage, then press Enter to continue."
        if stage.evidence:
            hint += " Tab reaches the documents."
        super().__init__(Text(stage.narrative), hint)
        self.stage = stage
        if stage.evidence:
            self.more_hint = READ_ON + " Tab reaches the documents."

    def focus_hint(self) -> str:
        focused = self.screen.focused
        if isinstance(focused, Button) and focused.name is not None:
            title = self.stage.evidence[int(focused.name)].title
            return f"Enter opens “{title}”; Tab moves on."
        return super().focus_hint()

    def compose(self) -> ComposeResult:
        yield Static(self.body, classes="page-text")
        if self.stage.evidence:
            yield Static(Text("Documents", style="bold"), classes="page-text")
            with Horizontal(id="evidence"):
                for index, item in enumerate(self.stage.evidence):
                    # A Text label: a title such as "Minutes [sic]" is shown as written.
                    label = Text("Open: ")
                    label.append(item.title)
                    yield Button(safe_text(label), name=str(index), classes="evidence")

    @on(Button.Pressed, ".evidence")
    def open_document(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.OpenDocument(int(event.button.name or 0)))


class HoldPage(Page):
    """The page shown while the facilitator holds the room at the stage ahead."""

    def __init__(self) -> None:
        body = Text("Waiting for the facilitator\n\n", style="bold")
        body.append(
            "Your facilitator will open this stage next, for the whole group. It opens here by "
            "itself as soon as they do: there is nothing to press. Your answers so far are saved."
        )
        super().__init__(body, "Waiting for the facilitator to open this stage.")

    def action_go_on(self) -> None:
        self.post_message(self.Status("The facilitator opens this stage; it goes on by itself."))
