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

    The app's first screen is the bottom of the stack, Textual's default screen
    (`TrainerApp.get_default_screen`): pushed over a blank default screen, it was drawn a
    frame later (docs/performance.md). Textual hands a screen's result to the callback given
    to `push_screen`, and this screen was not pushed: the app gives it that callback instead
    (`first_callback`). Dismissed, the bottom screen cannot be popped (a stack is never
    empty): a blank screen is pushed over it, for good, and the flow goes on over that, as
    over Textual's blank default screen before; the callback is called as Textual calls
    those, after the message being handled.
    """

    first_callback: Callable[[R | None], None] | None = None
    """The flow's next step, set by the app on the first screen only."""

    def dismiss(self, result: R | None = None) -> AwaitComplete:
        callback, self.first_callback = self.first_callback, None
        if callback is None:
            return super().dismiss(result)
        covered = self.app.push_screen(Screen())
        self.app.call_next(callback, result)
        return AwaitComplete(covered)
