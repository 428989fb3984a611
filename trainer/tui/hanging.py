"""Text whose wrapped lines keep their indent: a list item, a quotation or a citation that
runs onto a second line goes on under its own first word, not back at the margin.
(No Textual here: it draws the text through `trainer.tui.hanging_visual`, imported when a
text is first drawn.)

Rich `Text` wraps every line back to column 0, and Textual draws a `Text` as `Content`,
which does the same: neither has a hanging indent. Wrapping beforehand at a fixed width
would not reflow when the terminal is resized, and a Rich `Table.grid` per item would turn
a page into dozens of renderables. So a `HangingText` is an ordinary `Text` (every screen,
test and safety check still reads it as one) that tells Textual to draw it through
`Hanging`, a visual that wraps each line, at whatever width it is drawn at, with its
continuation lines indented to where the line's words begin.

Where a line's words begin: after its leading spaces and after a list mark ("• ", "- ",
"1. ", "[x] ", "✓ ", an opening quotation mark, "— "), so that

      • Use the app: read a stage, open a document, decide, and read the review's
        view.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec

from rich.text import Text

if TYPE_CHECKING:
    from textual.visual import Visual

_HANG = re.compile(r" *(?:(?:[•\-–—>✓✗~▶]|\[[ x]\]|\(?\d{1,2}[.)]) +|“)?")
"""A line's indent and list mark: its continuation lines start where this ends."""


def hang_of(line: str) -> int:
    """How many characters of `line` its continuation lines are indented by."""
    match = _HANG.match(line)
    return match.end() if match else 0


class HangingText(Text):
    """A Rich `Text` that Textual draws with hanging indents (through `Hanging`)."""

    def visualize(self) -> Visual:
        """Textual's hook for an object that draws itself: the text as `Hanging` content.

        Textual is imported here, when the text is drawn: the texts are built by modules
        without Textual too (plain mode reads them as plain text)."""
        from textual.content import Content

        from trainer.tui.hanging_visual import Hanging

        return Hanging(Content.from_rich_text(self))


def hanging(text: Text) -> HangingText:
    """The same text, styles and all, drawn with hanging indents."""
    out = HangingText(
        text.plain,
        style=text.style,
        justify=text.justify,
        overflow=text.overflow,
        no_wrap=text.no_wrap,
        end=text.end,
        tab_size=text.tab_size,
    )
    out.spans = list(text.spans)
    return out


P = ParamSpec("P")


def hanging_output(function: Callable[P, Text]) -> Callable[P, HangingText]:
    """A function that builds `Text`, made to return it drawn with hanging indents."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HangingText:
        return hanging(function(*args, **kwargs))

    return wrapper
