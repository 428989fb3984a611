"""`trainer play MODULE`: start or resume a module (id or path), or preview it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp


def make_app(args: argparse.Namespace) -> TrainerApp:
    """The app for these arguments, through the one factory; errors are raised before any
    screen, so the command line prints them as one line (a save open elsewhere included)."""
    from trainer.tui.app import build_app

    return build_app(
        saves=getattr(args, "saves", None),
        modules_dir=getattr(args, "modules", None),
        module=args.module,
        learner=args.learner,
        cohort=args.cohort,
        facilitator=args.facilitator,
    )


def run(args: argparse.Namespace) -> int:
    """Open the app, and release the save however it ends."""
    app = make_app(args)
    try:
        app.run()
    finally:
        if app.session is not None:
            app.session.close()
    return 0
