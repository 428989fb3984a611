"""What lies out of view: the "more below" mark of a list or a page, and `Enter` reading on.

A page of text (a notice, feedback, what happened) longer than the screen says so, and
`Enter` shows its next page until the last line has been seen; only then does it go on.
A list whose options do not all fit marks what lies above and below. Kept apart from the
step widgets: the notices use it on a learner's first screen, before those are imported.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

READ_ON = "▼ More below: Enter reads on (PageDown scrolls)."
"""A page's hint while part of it is still out of view."""


def more_below(widget: Widget) -> bool:
    """Whether a scrolling widget has lines below its view (its last line not yet seen)."""
    return round(widget.scroll_y) < widget.max_scroll_y


def read_on(widget: Widget) -> None:
    """Show the next page of a scrolling widget, keeping its last line in view as the first
    (so the reader keeps their place)."""
    step = max(1, widget.scrollable_content_region.height - 1)
    widget.scroll_to(y=min(widget.scroll_y + step, widget.max_scroll_y), animate=False)


def page_hint(widget: Widget, hint: str) -> str:
    """A page's hint: `hint` once its last line is in view, else that Enter reads on."""
    return READ_ON if more_below(widget) else hint


def list_mark(widget: Widget) -> Text:
    """The mark under a list: whether options lie out of view above or below."""
    parts = []
    if round(widget.scroll_y) > 0:
        parts.append("▲ more above")
    if more_below(widget):
        parts.append("▼ more below")
    return Text(" · ".join(parts) + ("  (↑ ↓ to see them)" if parts else ""))
