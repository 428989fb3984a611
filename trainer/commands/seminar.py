"""`trainer seminar MODULE --cohort C`: the facilitator's live view of a room."""

from __future__ import annotations

import argparse

from trainer import paths
from trainer.content import find_module, load_module


def run(args: argparse.Namespace) -> int:
    """Open the seminar screen on the saves folder; errors come before it, as one line."""
    module = load_module(find_module(args.module, getattr(args, "modules", None)))
    root = paths.saves_dir(getattr(args, "saves", None))
    if not root.is_dir():
        from trainer.errors import TrainerError

        raise TrainerError(f"no saves folder at {root}")
    from trainer.tui.seminar import SeminarApp

    SeminarApp(root, module, args.cohort).run()
    return 0
