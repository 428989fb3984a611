"""`trainer` with no command: open the app at the sign-in screen."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Open the app: sign in, then choose a module."""
    from trainer.tui.app import build_app

    app = build_app(saves=getattr(args, "saves", None), modules_dir=getattr(args, "modules", None))
    try:
        app.run()
    finally:
        if app.session is not None:
            app.session.close()
    return 0
