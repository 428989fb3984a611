"""What a trainee sees: the screen's text as drawn, row by row, and whether a widget is wholly
on screen. Tests of what lies out of view read these, not the widgets' whole text."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widget import Widget


def visible_lines(app) -> list[str]:
    """The rows of the terminal as the app last drew them (trailing spaces stripped)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    drawn = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(drawn)
    text = console.export_text(styles=False)
    lines = [line.rstrip() for line in text.splitlines()]
    return lines[:height]


def visible(app) -> str:
    """The screen's text as drawn, one row to a line."""
    return "\n".join(visible_lines(app))


def wholly_on_screen(widget: Widget) -> bool:
    """Whether a widget's whole region lies inside its parent's visible region (not cut)."""
    parent = widget.parent
    assert isinstance(parent, Widget)
    outer = widget.region
    inside = parent.scrollable_content_region
    return (
        outer.height > 0
        and inside.y <= outer.y
        and outer.y + outer.height <= inside.y + inside.height
    )
