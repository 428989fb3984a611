"""Text whose wrapped lines keep their indent: a list item, a quotation or a citation that
runs onto a second line goes on under its own first word, not back at the margin.

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
from typing import ParamSpec

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

_HANG = re.compile(r" *(?:(?:[•\-–—>✓✗~▶]|\[[ x]\]|\(?\d{1,2}[.)]) +|“)?")
"""A line's indent and list mark: its continuation lines start where this ends."""


def hang_of(line: str) -> int:
    """How many characters of `line` its continuation lines are indented by."""
    match = _HANG.match(line)
    return match.end() if match else 0


class Hanging(Visual):
    """`Content` drawn with hanging indents (see the module), wrapped anew at each width."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self._wrapped: tuple[int, Content] | None = None

    def wrapped(self, width: int) -> Content:
        """The content with each line wrapped to `width` and its continuations indented."""
        if self._wrapped is not None and self._wrapped[0] == width:
            return self._wrapped[1]
        lines: list[Content] = []
        for line in self.content.split("\n", allow_blank=True):
            hang = hang_of(line.plain)
            indent = cell_len(line.plain[:hang])
            if not hang or line.cell_length <= width or indent > width // 2:
                lines.append(line)  # fits, or has no indent, or too deep to keep
                continue
            head, body = line[:hang], line[hang:]
            pieces = body.wrap(width - indent)
            lines.append(head + pieces[0])
            lines += [piece.pad_left(indent) for piece in pieces[1:]]
        wrapped = Content("\n").join(lines)
        self._wrapped = (width, wrapped)
        return wrapped

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """The lines, wrapped with hanging indents at `width` (part of the Visual protocol)."""
        return self.wrapped(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """As wide as the longest line, as `Content` is."""
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        """The longest word, as `Content`'s."""
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        """Lines at `width`, once wrapped with hanging indents."""
        return self.wrapped(width).get_height(rules, width)


class HangingText(Text):
    """A Rich `Text` that Textual draws with hanging indents (through `Hanging`)."""

    def visualize(self) -> Visual:
        """Textual's hook for an object that draws itself: the text as `Hanging` content."""
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
