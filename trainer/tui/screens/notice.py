"""A page of text acknowledged with Enter (content warning, introduction, a plain notice), and
panels over the current screen (glossary, timeline, help, a document).

A notice longer than the screen says so, and Enter reads on to its end before it goes
on: a content warning's support text (often a crisis line) comes last, and is always
seen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from trainer.errors import SaveError
from trainer.sanitise import safe, safe_text
from trainer.tui.screens.flow_screen import FlowScreen
from trainer.tui.widgets.footer import KeyLine

if TYPE_CHECKING:
    from trainer.engine import Module
from trainer.tui.widgets.more import READ_ON, more_below, page_hint, read_on


class NoticeScreen(FlowScreen[None]):
    """A titled text; Enter shows its next page while part of it is out of view, then
    continues."""

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
        yield Static(Text(self.action), id="notice-hint", classes="hint")
        yield KeyLine()

    def on_mount(self) -> None:
        page = self.query_one(VerticalScroll)
        page.focus()
        for name in ("scroll_y", "virtual_size"):
            self.watch(page, name, self.update_hint, init=False)

    def on_resize(self) -> None:
        self.call_after_refresh(self.update_hint)

    def update_hint(self, *_: object) -> None:
        """Say whether Enter reads on or continues; PageDown is named only where it scrolls.

        The line keeps the height of the taller of its two hints: changing height between
        them would change the page's, and with it whether anything lies below.
        """
        line = self.query_one("#notice-hint", Static)
        width = max(line.content_region.width, 1)
        console = self.app.console
        line.styles.min_height = max(
            len(Text(hint).wrap(console, width)) for hint in (READ_ON, self.action)
        )
        line.update(Text(page_hint(self.query_one(VerticalScroll), self.action)))

    def action_acknowledge(self) -> None:
        page = self.query_one(VerticalScroll)
        if more_below(page):
            read_on(page)
            return
        self.dismiss(None)


class PanelScreen(ModalScreen[None]):
    """A panel over the current screen; Escape (or Enter) closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(self, body: RenderableType, name: str | None = None) -> None:
        """`body` as Text is made safe here; any other renderable (the help's key table) is
        built safe by its maker."""
        super().__init__(name=name, classes="panel")
        self.body = safe_text(body) if isinstance(body, Text) else body

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="panel-box"):
            yield Static(self.body, classes="page-text")
            yield Static(Text("Escape closes this panel.", style="dim"))
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


def warning_text(module: Module) -> Text:
    """The content warning, with the module's support text."""
    warning = Text(module.content_warning or "")
    if module.support:
        warning.append("\n\nSupport\n", style="bold")
        warning.append(module.support)
    return warning


def intro_text(module: Module) -> Text:
    """The module's summary, objectives and note on hindsight."""
    intro = Text(module.title + "\n\n", style="bold")
    intro.append(module.summary + "\n")
    if module.objectives:
        intro.append("\nBy the end you should be able to:\n", style="bold")
        for objective in module.objectives:
            intro.append(f"  • {objective}\n")
    if module.hindsight_note:
        intro.append("\nDeciding without hindsight\n", style="bold")
        intro.append(module.hindsight_note + "\n")
    from trainer.tui.hanging import hanging

    return hanging(intro)  # an objective that wraps stays under its bullet


def save_failed_text(error: SaveError) -> Text:
    """The plain message shown when an answer could not be written."""
    body = Text("Your answer could not be saved\n\n", style="bold")
    body.append(
        "It has not been recorded, and no feedback is shown, so nothing you see is lost "
        "on the way to the save.\n\n"
    )
    body.append(str(error))
    body.append(
        "\n\nEverything you confirmed earlier is safe. Free some space or check the saves "
        "folder, then press Enter on your answer again; or press q to quit."
    )
    return body
