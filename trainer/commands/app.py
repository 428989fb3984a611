"""`trainer` with no command: open the app at the sign-in screen."""

from __future__ import annotations

import argparse

from trainer import paths


def run(args: argparse.Namespace) -> int:
    """Open the app: sign in, then choose a module."""
    from trainer.tui.app import build_app

    app = build_app(paths.saves_dir(getattr(args, "saves", None)), getattr(args, "modules", None))
    app.run()
    return 0
