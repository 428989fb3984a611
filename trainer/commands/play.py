"""`trainer play MODULE`: start or resume a module (id or path), or preview it; in the app,
or with `--plain` as plain lines for screen readers, braille displays and pipes."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp


def make_app(args: argparse.Namespace) -> TrainerApp:
    """The app for these arguments, through the one factory; errors are raised before any
    screen, so the command line prints them as one line (a save open elsewhere included)."""
    from trainer.tui.factory import build_app

    return build_app(
        saves=getattr(args, "saves", None),
        modules_dir=getattr(args, "modules", None),
        module=args.module,
        learner=args.learner,
        cohort=args.cohort,
        is_preview=args.facilitator,
        theme=getattr(args, "theme", None),
    )


def run(args: argparse.Namespace) -> int:
    """Open the app (or play in plain mode), and release the save however it ends."""
    if args.plain:
        return run_plain(args)
    app = make_app(args)
    try:
        app.run()
    finally:
        if app.session is not None:
            app.session.close()
    return 0


def run_plain(args: argparse.Namespace) -> int:
    """Plain mode: no app, so the collector held for the app's start resumes now."""
    import sys

    from trainer.gc_hold import resume_collection
    from trainer.plain.start import play_plain

    resume_collection()
    # Typed answers that are not UTF-8 are read as replacement characters (and said back
    # safely), and a terminal that cannot show a character gets a stand-in: never a traceback.
    for stream in (sys.stdin, sys.stdout):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    return play_plain(
        args.module,
        stdin=sys.stdin,
        stdout=sys.stdout,
        saves=getattr(args, "saves", None),
        modules_dir=getattr(args, "modules", None),
        learner=args.learner,
        cohort=args.cohort,
        is_preview=args.facilitator,
    )
