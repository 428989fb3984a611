"""`trainer` with no command: open the app at the sign-in screen."""

from __future__ import annotations

import argparse
import os

SERVED_VARIABLE = "TRAINER_SERVED"
"""Set by `trainer serve` for the app processes it starts, one per browser."""


def run(args: argparse.Namespace) -> int:
    """Open the app: sign in, then choose a module.

    Under `trainer serve` every browser's app runs as the one account the server runs as,
    so the sign-in is not remembered: the next browser would be offered the last trainee's
    name, and one Enter would play into their saves.
    """
    from trainer.tui.factory import build_app

    app = build_app(
        saves=getattr(args, "saves", None),
        modules_dir=getattr(args, "modules", None),
        remember=not os.environ.get(SERVED_VARIABLE),
        theme=getattr(args, "theme", None),
    )
    try:
        app.run()
    finally:
        if app.session is not None:
            app.session.close()
    return 0
