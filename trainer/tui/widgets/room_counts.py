"""The seminar's two lists: the module's stages, and the learners by name a page at a time."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import OptionList


class StageList(OptionList, inherit_bindings=False):
    """The module's stages: the arrows, Home and End move the highlight (PageUp and PageDown
    are the names')."""

    BINDINGS = [
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
    ]


class NameList(Widget, can_focus=False):
    """The learners by name, under a heading that says which of them are in view.

    Only the lines in view are drawn, so a lecture hall's three hundred names cost no more
    to show again than a seminar's twelve (a 300-line text laid out every refresh would
    hold up the keys). PageUp/PageDown (the screen's keys) and the mouse wheel move through
    them; it is never focused, so the arrows always move over the stages.
    """

    top: reactive[int] = reactive(0)
    """The first name in view."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[Text] = []
        self.filled = False
        """Whether the room has been read yet (until then, nothing is said about it)."""

    def show(self, lines: list[Text]) -> None:
        """Show these names (the same place in the list is kept)."""
        self.lines = lines
        self.filled = True
        self.refresh()

    @property
    def page_height(self) -> int:
        """How many names fit under the heading."""
        return max(self.size.height - 1, 1)

    def page(self, pages: int) -> None:
        """Move by whole pages (less a line, to keep one in view)."""
        self.move(pages * max(self.page_height - 1, 1))

    def move(self, lines: int) -> None:
        """Move by some lines, within the list."""
        last = max(len(self.lines) - self.page_height, 0)
        self.top = max(0, min(self.top + lines, last))

    def on_mouse_scroll_down(self) -> None:
        self.move(3)

    def on_mouse_scroll_up(self) -> None:
        self.move(-3)

    def render(self) -> Text:
        if not self.filled:
            return Text()
        height, total = self.page_height, len(self.lines)
        top = max(0, min(self.top, total - height))
        out = Text("Learners", style="bold", no_wrap=True, overflow="ellipsis")
        if total > height:
            out.append(f" {top + 1}–{min(top + height, total)} of {total}, by name", "bold")
            out.append("  PgUp PgDn", style="dim")
        else:
            out.append(f" ({total}), by name", style="bold")
        if not self.lines:
            out.append("\nNo one in this cohort has started the module yet.", style="dim")
        for line in self.lines[top : top + height]:
            out.append("\n")
            out.append_text(line)
        return out
