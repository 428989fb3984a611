"""`trainer play MODULE`: start or resume a module (id or path), or preview it."""

from __future__ import annotations

import argparse

from trainer import paths
from trainer.content import find_module, load_module


def run(args: argparse.Namespace) -> int:
    """Resolve the module and open the save before the app starts, so errors are one line."""
    modules_dir = getattr(args, "modules", None)
    module_path = find_module(args.module, modules_dir)
    module = load_module(module_path)
    saves_root = paths.saves_dir(getattr(args, "saves", None))

    from trainer.saves.store import SaveStore, remember_sign_in
    from trainer.tui.app import build_app
    from trainer.tui.session import Session

    if args.facilitator:
        app = build_app(saves_root, modules_dir, session=Session.preview(module), remember=False)
        app.run()
        return 0
    if args.learner is None:
        app = build_app(saves_root, modules_dir, module_path=module_path)
        app.run()
        return 0
    store = SaveStore(saves_root)
    learner = store.learner(args.learner, args.cohort)
    save = store.open(learner, module)  # a save open elsewhere: one line, exit 1, nothing written
    remember_sign_in(learner.name, learner.cohort)
    session = Session.open(save, learner)
    try:
        build_app(saves_root, modules_dir, session=session).run()
    finally:
        session.close()
    return 0
