"""`Hanging`: the Textual visual that draws a `HangingText` (see `trainer.tui.hanging`)."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from trainer.tui.hanging import hang_of


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
