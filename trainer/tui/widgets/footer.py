"""The key line of every screen of the trainee's app: the keys that work now, in one line."""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class Key(NamedTuple):
    """One key shown in the line, and the columns it takes."""

    key: str
    enabled: bool
    start: int
    end: int


class KeyLine(Widget):
    """The screen's shown bindings, as Textual's footer shows them, in one widget.

    Textual's `Footer` builds a widget per key and rebuilds them all each time the
    screen's bindings change, and on the play screen they change at every step (a view
    removed, the next one mounted and focused). Measured with `benchmarks.keys` on the
    case module, those rebuilds were nearly half the time between the key that confirms
    an answer and its feedback being drawn (docs/performance.md). This widget draws the same
    keys in the same theme colours and only repaints. A click on a key presses it, as on
    the footer; a key the screen shows as unavailable is dimmed and rings the bell.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-line--key", "key-line--description"}
    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-line--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-line--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[Key] = []
        self._drawn: list[tuple[str, str, bool, str]] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Textual announces a change of bindings on every change of focus, and a screen's
        # first focus comes a moment after its first frame: repainting a line that reads the
        # same kept the app busy a slice longer before it settled (`benchmarks.frame`).
        if self._drawn is None or self._shown() != self._drawn:
            self.refresh()

    def _shown(self) -> list[tuple[str, str, bool, str]]:
        """The keys to show: each one's label, description, whether it works now, its key."""
        shown = []
        actions: set[str] = set()
        for _, binding, enabled, _ in self.screen.active_bindings.values():
            # Several keys for one action show once, the first, as on Textual's footer.
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            shown.append(
                (self.app.get_key_display(binding), binding.description, enabled, binding.key)
            )
        return shown

    def render(self) -> Text:
        self._drawn = self._shown()
        line, keys = self._line(compact=False)
        if line.cell_len > self.size.width:
            # One space fewer around each key, so that a screen with many keys (feedback,
            # with peers and the case file) still names them all at 80 columns.
            line, keys = self._line(compact=True)
        self._keys = keys
        return line

    def _line(self, compact: bool) -> tuple[Text, list[Key]]:
        key_style = self.get_component_rich_style("key-line--key")
        description_style = self.get_component_rich_style("key-line--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        keys: list[Key] = []
        for display, description, enabled, key in self._drawn or ():
            start = line.cell_len
            dim = Style(dim=not enabled)
            line.append(display if compact else f" {display} ", key_style + dim)
            line.append(
                f" {description} " if compact else f"{description} ", description_style + dim
            )
            keys.append(Key(key, enabled, start, line.cell_len))
        return line, keys

    def on_click(self, event: events.Click) -> None:
        for key in self._keys:
            if key.start <= event.x < key.end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return
