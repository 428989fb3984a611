"""The facilitator's live room: `trainer seminar MODULE --cohort C`.

At a glance at 80x24: the module's stages, each with how many learners are at it;
the highlighted stage's live answers beside the review's verdicts (or a rank
decision's order, named by its `order_label`), with how many were sure and
contrary; the learners by name scroll below (`PageUp`/`PageDown`). The stage list
is the only thing that takes keys: the arrows always move its highlight, and the
status line names the stage `h` would hold, so what `h` acts on is never in doubt.
`r` releases the room.

The hold lives only while the seminar does (`trainer.saves.room`): renewed every
`RENEW_SECONDS`, released when the seminar ends, however it ends that lets it run
code (q, Ctrl+C, Ctrl+Q, SIGTERM, SIGHUP, an error). The saves are read every
`REFRESH_SECONDS` in a thread (a stat per save, changed saves re-read), so a lecture
hall's folder never stalls the keys; the thread posts what it read, and only the
screen touches widgets (`trainer.tui.seminar_screen`). A problem with the folder or
the hold is one line in the status, and the seminar goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from trainer.engine import Module
from trainer.engine.clock import Clock, utc_now
from trainer.errors import TrainerError
from trainer.saves.room import SeminarHold
from trainer.tui.seminar_screen import SeminarScreen

__all__ = ["SeminarApp", "SeminarScreen"]


class SeminarApp(App[None]):
    """The facilitator's screen for a room of trainees playing one module."""

    CSS_PATH = ["app.tcss", "seminar.tcss"]
    ENABLE_COMMAND_PALETTE = False
    TITLE = "trainer seminar"
    REFRESH_SECONDS = 2.0
    """How often the saves folder is looked at (a stat per save; changed saves are re-read)."""
    RENEW_SECONDS = 10.0
    """How often a hold is stamped again: well inside the minute after which it lapses."""
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
        # Nothing here is typed or copied, and quitting loses nothing: Ctrl+C quits.
        Binding("ctrl+c", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(
        self,
        root: Path,
        module: Module,
        cohort: str | None,
        clock: Clock = utc_now,
        *,
        handle_signals: bool = False,
    ) -> None:
        super().__init__()
        self.root = Path(root)
        self.module = module
        self.cohort = cohort
        self.clock = clock
        self.own_hold = SeminarHold(self.root, module.id, cohort, clock)
        self.handle_signals = handle_signals
        self.farewell: str | None = None
        """What ending the seminar did to its hold, for the command to print once the
        screen is gone."""
        self.farewell_failed = False

    def get_default_screen(self) -> Screen[None]:
        return SeminarScreen()

    def on_mount(self) -> None:
        if self.handle_signals:
            # A terminal closed (SIGHUP) or a polite kill (SIGTERM) ends the seminar as q
            # does, so its hold is released rather than left to lapse.
            loop = asyncio.get_running_loop()
            for name in ("SIGTERM", "SIGHUP", "SIGINT"):
                number = getattr(signal, name, None)
                if number is not None:
                    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                        loop.add_signal_handler(number, self.exit)

    def on_unmount(self) -> None:
        """However the screen ends, the hold goes with it."""
        self.let_go()

    def let_go(self) -> None:
        """Release this seminar's hold, once, and keep what happened in `farewell`."""
        stage_id = self.own_hold.stage
        if stage_id is None:
            return
        where = f"stage {self.module.stage_number(stage_id)} for {self.room_name}"
        try:
            released = self.own_hold.let_go()
        except TrainerError as error:
            self.farewell = (
                f"could not release the hold on {where} ({error}); "
                "trainees' apps treat it as released within a minute"
            )
            self.farewell_failed = True
            return
        if released:
            self.farewell = f"Released the hold on {where}."
        else:
            self.farewell = f"The hold on {where} was already released or taken over elsewhere."

    @property
    def room_name(self) -> str:
        """The room as the facilitator named it: `cohort room1`."""
        return f"cohort {self.cohort}" if self.cohort else "learners with no cohort"
