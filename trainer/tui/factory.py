"""`build_app`, the one factory of the trainee's app: `trainer`, `trainer play` and the tests
all build it here (the seminar, `tui.seminar.SeminarApp`, is an app of its own, built
directly). Whatever can fail before the first screen (an unknown module, a save open
elsewhere, a saves folder that cannot be written) fails here, as a `TrainerError` the
command line prints as one line."""

from __future__ import annotations

from pathlib import Path

from trainer import paths
from trainer.engine.clock import utc_now
from trainer.errors import ModuleError
from trainer.tui.app import Clock, PreviewApp, TrainerApp


def build_app(
    *,
    saves: str | Path | None = None,
    modules_dir: str | None = None,
    module: str | None = None,
    learner: str | None = None,
    cohort: str | None = None,
    is_preview: bool = False,
    clock: Clock = utc_now,
    remember: bool = True,
    theme: str | None = None,
) -> TrainerApp:
    """The app, as `trainer`, `trainer play` and the tests build it.

    Args:
        saves: the saves folder (default: `TRAINER_SAVES`, else the user's data folder).
        module: a module id or path to open straight away (`trainer play MODULE`).
        learner: the learner's name, skipping the sign-in (it is not remembered).
        facilitator: the preview of `module`: no learner, nothing written.
        remember: remember the sign-in screen's name for next time.
        theme: `default` or `high-contrast` (default: `TRAINER_THEME`, else `default`).

    Raises:
        UsageError: no such theme.
        ModuleError: the module cannot be found or read.
        SaveError: the save is open elsewhere or cannot be opened.
    """
    from trainer.tui.theme import apply_theme, theme_name

    chosen = theme_name(theme)  # a theme that does not exist is one line, before anything
    app = _build_app(saves, modules_dir, module, learner, cohort, is_preview, clock, remember)
    apply_theme(app, chosen)
    return app


def _build_app(
    saves: str | Path | None,
    modules_dir: str | None,
    module: str | None,
    learner: str | None,
    cohort: str | None,
    is_preview: bool,
    clock: Clock,
    remember: bool,
) -> TrainerApp:
    """The app for `build_app`'s arguments, in its theme's absence."""
    folder = paths.saves_dir(saves)
    if not module:
        if is_preview:
            raise ModuleError("the facilitator preview needs a module")
        if learner is None:
            return TrainerApp(folder, modules_dir, clock, remember=remember)
        from trainer.saves.store import SaveStore

        store = SaveStore(folder, clock)
        app = TrainerApp(store, modules_dir, clock, remember=False)
        app.learner = store.learner(learner, cohort)
        return app
    from trainer.content import find_module, load_module

    module_path = find_module(module, modules_dir)
    loaded = load_module(module_path)  # a broken module is one line, before any screen
    if is_preview:
        from trainer.session import Session

        preview = Session.preview(loaded)
        return PreviewApp(folder, modules_dir, clock, session=preview, remember=False)
    if learner is None:
        return TrainerApp(folder, modules_dir, clock, module_path=module_path, remember=remember)
    from trainer.saves.store import SaveStore
    from trainer.session import open_session

    store = SaveStore(folder, clock)
    session = open_session(store, store.learner(learner, cohort), loaded)
    return TrainerApp(store, modules_dir, clock, session=session, remember=False)
