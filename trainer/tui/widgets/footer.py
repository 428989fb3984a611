"""A footer that rebuilds once per refresh, however often the bindings change before it."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class CalmFooter(Footer):
    """Textual's footer, rebuilt at most once per refresh.

    Textual's footer queues a full rebuild each time a screen's bindings change, and one
    step of the play (a view removed, another mounted and focused) changes them several
    times: each rebuild restyles every key. Measured with `benchmarks.keys`, the rebuilds were
    most of the time between a confirming key and its feedback being drawn.
    """

    _rebuild_queued = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_queued:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        await self.recompose()
