"""`trainer seminar MODULE --cohort C`: the facilitator's live view of a room."""

from __future__ import annotations

import argparse
import contextlib
import sys

from trainer import paths
from trainer.content import find_module, load_module
from trainer.errors import TrainerError
from trainer.sanitise import safe


def run(args: argparse.Namespace) -> int:
    """Open the seminar screen on the saves folder; errors come before it, as one line.

    However the screen ends (q, Ctrl+C, SIGTERM, an error in it, an interrupt), the
    seminar's hold is released, and a line says so once the terminal is back.
    """
    module = load_module(find_module(args.module, getattr(args, "modules", None)))
    root = paths.saves_dir(getattr(args, "saves", None))
    if not root.is_dir():
        raise TrainerError(f"no saves folder at {root}")
    from trainer.tui.seminar_app import SeminarApp
    from trainer.tui.theme import apply_theme, theme_name

    theme = theme_name(getattr(args, "theme", None))  # `trainer --theme` or TRAINER_THEME
    app = SeminarApp(root, module, args.cohort, handle_signals=True)
    apply_theme(app, theme)
    try:
        app.run()
    finally:
        app.let_go()  # a second time is nothing: the app lets go as its screen ends
        if app.farewell is not None:
            # The terminal may be gone (SIGHUP): the hold is released all the same.
            with contextlib.suppress(OSError):
                if app.farewell_failed:
                    print(f"trainer: {safe(app.farewell)}", file=sys.stderr)
                else:
                    print(safe(app.farewell), flush=True)
    if app.farewell_failed:
        return 1
    return app.return_code or 0
