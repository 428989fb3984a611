"""A page of text acknowledged with Enter (content warning, introduction, a plain notice), and
panels over the current screen (glossary, timeline, help, a document)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from trainer.terminal import safe, safe_text
from trainer.tui.widgets.footer import KeyLine


class NoticeScreen(Screen[None]):
    """A titled text; Enter continues."""

    BINDINGS = [Binding("enter", "acknowledge", "Continue")]

    def __init__(
        self,
        title: str,
        body: Text | str,
        action: str = "Press Enter to continue.",
        preview: bool = False,
    ) -> None:
        super().__init__(classes="notice")
        self.title_text = title
        # Text from modules, saves and error messages enters the screen here: shown safe.
        self.body = safe_text(body if isinstance(body, Text) else Text(body))
        self.action = action
        self.preview = preview

    def compose(self) -> ComposeResult:
        title = Text(safe(self.title_text), style="bold")
        if self.preview:
            title.append("   PREVIEW · nothing is saved", style="bold")
        yield Static(title, classes="screen-title")
        with VerticalScroll(classes="page"):
            yield Static(self.body, classes="page-text")
        yield Static(Text(self.action), classes="hint")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_acknowledge(self) -> None:
        self.dismiss(None)


class PanelScreen(ModalScreen[None]):
    """A panel over the current screen; Escape (or Enter) closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(self, body: Text, name: str | None = None) -> None:
        super().__init__(name=name, classes="panel")
        self.body = safe_text(body)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="panel-box"):
            yield Static(self.body, classes="page-text")
            yield Static(Text("Escape closes this panel.", style="dim"))
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
