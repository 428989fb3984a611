"""`FlowScreen`: a screen of the trainee's flow (the sign-in, the module list, a notice, play,
the debrief), whichever of them is shown first being the bottom of the screen stack."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import Screen

R = TypeVar("R")


class FlowScreen(Screen[R]):
    """A screen of the flow; it dismisses with its result, as any screen does.

    The app's first screen is the bottom of the stack (`TrainerApp._first_screen`):
    pushed over Textual's blank default screen, it waited for that one to be made, and was
    drawn a second time when the blank one repainted from underneath. Textual hands a
    screen's result to the callback given to `push_screen`, and this screen was not pushed:
    the app gives it that callback instead (`first_callback`), called as Textual calls
    those, after the message being handled.
    """

    first_callback: Callable[[R | None], None] | None = None
    """The flow's next step, set by the app on the first screen only."""

    def dismiss(self, result: R | None = None) -> AwaitComplete:
        callback, self.first_callback = self.first_callback, None
        if callback is not None:
            self.app.call_next(callback, result)
        return super().dismiss(result)
