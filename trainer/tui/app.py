"""The Textual app: sign-in, module list, notices, stages, debrief.

`build_app` is the one factory of the trainee's app: `trainer`, `trainer play` and
the tests all build it there (the seminar, `tui.seminar.SeminarApp`, is an app of its own,
built directly). Whatever can fail before the first screen (an unknown
module, a save open elsewhere, a saves folder that cannot be written) fails in
the factory, as a `TrainerError` the command line prints as one line.

Each way in imports only what its first screen needs: the screens, the module
reader and the saves are imported where they are first used. The sign-in
screen, the facilitator preview and a learner's first notice each need a
different part, and without a bytecode cache every module imported is also
compiled, at every start.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import events
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.screen import Screen

from trainer import paths
from trainer.engine.clock import utc_now
from trainer.errors import ModuleError, SaveError
from trainer.startup import freeze_survivors, resume_collection
from trainer.terminal import safe

if TYPE_CHECKING:
    from trainer.engine import Module
    from trainer.saves.format import LearnerInfo
    from trainer.saves.store import SaveStore
    from trainer.session import Session

Clock = Callable[[], datetime]
R = TypeVar("R")


class TrainerApp(App[None]):
    """The trainee's app."""

    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False
    TITLE = "trainer"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Save and quit", priority=True, show=False),
        Binding("q", "quit_key", "Save and quit"),
        Binding("question_mark", "help", "Help"),
        Binding("g", "glossary", "Glossary"),
        Binding("t", "timeline", "Timeline"),
    ]

    def __init__(
        self,
        store: SaveStore | Path,
        modules_dir: str | None = None,
        clock: Clock = utc_now,
        module_path: Path | None = None,
        session: Session | None = None,
        remember: bool = True,
    ) -> None:
        """`store` is the saves folder's store, or the folder itself: its store is then made
        when first used (the facilitator preview never uses one)."""
        super().__init__()
        self._store = store
        self.modules_dir = modules_dir
        self.clock = clock
        self.module_path = module_path
        self.session = session
        self.remember = remember
        self.learner: LearnerInfo | None = session.learner if session else None
        self._steps: list[Callable[[], None]] = []
        self._draft_unsaved_warned = False

    @property
    def store(self) -> SaveStore:
        """The saves folder's store."""
        if isinstance(self._store, Path):
            from trainer.saves.store import SaveStore

            self._store = SaveStore(self._store, self.clock)
        return self._store

    @property
    def preview(self) -> bool:
        """Whether this is the facilitator preview (nothing is saved)."""
        return False

    # -- keys that work only where they mean something -------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys that would do nothing on the screen shown, so the footer never offers them."""
        in_panel = _showing(self.screen, "notice", "PanelScreen")
        if action in ("glossary", "timeline"):
            in_module = _showing(self.screen, "debrief", "DebriefScreen") or _showing(
                self.screen, "play", "PlayScreen"
            )
            return self.session is not None and in_module and not in_panel
        if action in ("help", "quit_key"):
            return not in_panel
        return True

    # -- flow -----------------------------------------------------------------

    def on_load(self) -> None:
        """Push the flow's first screen before Textual makes its blank default screen, so that
        the first screen is the bottom of the stack and drawn once (docs/architecture.md,
        "Departures from plain Textual")."""
        # The command line held the garbage collector for the start (`trainer.startup`):
        # it resumes once this screen is drawn.
        self.call_after_refresh(resume_collection, freeze=True)
        self.start()

    def pop_screen(self) -> AwaitComplete:
        """Leave the screen shown; the flow's first screen, at the bottom of the stack, gives
        way to a blank screen, which the next screen of the flow is pushed over."""
        if len(self.screen_stack) == 1:
            return self.switch_screen(Screen(id="_default"))
        return super().pop_screen()

    def show(self, screen: Screen[R], callback: Callable[[R | None], None]) -> None:
        """Show the flow's next screen; `callback` has its result when it is dismissed."""
        self.push_screen(screen, callback)

    def start(self) -> None:
        """The flow's first screen: the session's, the module list, or the sign-in."""
        if self.session is not None:
            self.begin_session()
        elif self.learner is not None:
            self.show_modules()
        else:
            from trainer.saves.signin import remembered_sign_in
            from trainer.tui.screens.signin import SignInScreen

            remembered = remembered_sign_in() if self.remember else None
            name, cohort = remembered if remembered else ("", None)
            self.show(SignInScreen(name, cohort), self.signed_in)

    def signed_in(self, result: tuple[str, str | None] | None) -> None:
        if result is None:
            return
        name, cohort = result
        try:
            self.learner = self.store.learner(name, cohort)
        except SaveError as error:
            from trainer.tui.screens.signin import SignInScreen

            self.show(SignInScreen(name, cohort, str(error)), self.signed_in)
            return
        if self.remember:
            from trainer.saves.store import remember_sign_in

            remember_sign_in(name, cohort)
        if self.module_path is not None:
            self.open_module(self.module_path)
        else:
            self.show_modules()

    def show_modules(self, problem: str | None = None) -> None:
        from trainer.content import list_modules, load_module
        from trainer.tui.screens.modules import ModuleListScreen, ModuleRow

        assert self.learner is not None
        entries, broken = list_modules(self.modules_dir)
        rows = []
        for entry in entries:
            try:
                module = load_module(entry.path)
            except ModuleError:
                continue
            attempt = self.store.progress(self.learner, module.id)
            rows.append(
                ModuleRow(
                    entry.path,
                    module.title,
                    module.summary,
                    module.estimated_minutes,
                    module.decision_count,
                    attempt,
                )
            )
        # Tutorials first: a trainee learns the keys before the real case.
        rows.sort(key=lambda row: not row.path.stem.startswith("tutorial"))
        problems = [f"Skipped {r.path}: it has errors (trainer validate)." for r in broken]
        if problem:
            problems.insert(0, problem)
        self.show(ModuleListScreen(self.learner.name, rows, problems), self.module_chosen)

    def module_chosen(self, choice: tuple[Path, bool] | None) -> None:
        if choice is not None:
            self.open_module(*choice)

    def open_module(self, path: Path, start_again: bool = False) -> None:
        """Open a module's save and play it; on failure, say why on the module list."""
        from trainer.content import find_module, load_module
        from trainer.session import open_session

        assert self.learner is not None
        self.module_path = None  # from here on, the module list is the way back
        try:
            module = load_module(find_module(str(path), self.modules_dir))
            self.session = open_session(self.store, self.learner, module)
        except (ModuleError, SaveError) as error:
            self.show_modules(str(error))
            return
        if start_again and self.session.started:
            try:
                self.session.new_attempt()
            except SaveError as error:
                self.notify(safe(str(error)), severity="error", timeout=10, markup=False)
        self.begin_session()

    def begin_session(self) -> None:
        """Notices first (a save moved aside, the content warning), then the play or debrief."""
        session = self.session
        assert session is not None
        steps: list[Callable[[], None]] = []
        if session.save is not None and session.save.notice:
            notice = session.save.notice
            steps.append(lambda: self.notice("About your save", notice))
        module = session.module
        if session.finished:
            steps.append(self.show_debrief)
        else:
            if module.content_warning:
                steps.append(lambda: self.notice("Before you start", warning_text(module)))
            if not session.started:
                steps.append(lambda: self.notice("About this module", intro_text(module)))
            steps.append(lambda: self.show_play(session))
        self._steps = steps
        self.next_step()

    def show_play(self, session: Session) -> None:
        # Imported when first shown: the first frame is a notice (or the sign-in), and the play
        # screen with its step widgets is slow to import (docs/performance.md).
        from trainer.tui.screens.play import PlayScreen

        self.show(PlayScreen(session), self.play_ended)
        # What play imported and built lives as long as the app: out of the collector's way.
        self.call_after_refresh(freeze_survivors)

    def next_step(self, _: object = None) -> None:
        """Show the next screen of the flow: each notice's dismissal starts the next."""
        if self._steps:
            self._steps.pop(0)()

    def notice(self, title: str, body: Text | str) -> None:
        from trainer.tui.screens.notice import NoticeScreen

        self.show(NoticeScreen(title, body, preview=self.preview), self.next_step)

    def play_ended(self, _: object = None) -> None:
        self.show_debrief()

    def show_debrief(self) -> None:
        from trainer.tui.screens.debrief import DebriefScreen

        session = self.session
        assert session is not None
        screen = DebriefScreen(session.playthrough, session.attempt_number, self.preview)
        self.show(screen, self.debrief_choice)

    def debrief_choice(self, choice: str | None) -> None:
        session = self.session
        if session is None or choice != "new":
            return
        try:
            session.new_attempt()
        except SaveError as error:
            self.notify(safe(str(error)), severity="error", timeout=10, markup=False)
            self.show_debrief()
            return
        self.begin_session()

    # The debrief's messages, by handler name: the debrief screen is imported when first shown.

    def on_debrief_screen_review_path(self) -> None:
        """DebriefScreen.ReviewPath: the whole path, every answer in detail."""
        from trainer.tui.render import review_text
        from trainer.tui.screens.notice import PanelScreen

        if self.session is not None:
            body = Text("Your path through the case\n\n", style="bold")
            body.append_text(review_text(self.session.playthrough, detailed=True))
            self.push_screen(PanelScreen(body))

    def on_debrief_screen_save_markdown(self) -> None:
        """DebriefScreen.SaveMarkdown: the debrief as a Markdown file."""
        from trainer.debrief import debrief_markdown, write_new_file
        from trainer.engine.clock import format_time

        session = self.session
        if session is None:
            return
        if session.save is None:
            self.notify("The facilitator preview writes nothing.", timeout=6, markup=False)
            return
        name = session.learner.name if session.learner else ""
        text = debrief_markdown(
            session.playthrough, name, session.attempt_number, format_time(self.clock())
        )
        base = f"{session.module.id}-attempt-{session.attempt_number}-debrief"
        try:
            target = write_new_file(paths.debriefs_dir(), base, text)
        except OSError as error:
            reason = error.strerror or str(error)
            message = safe(f"Could not save the debrief: {reason}")
            self.notify(message, severity="error", markup=False)
            return
        self.notify(safe(f"Debrief saved as {target}"), timeout=12, markup=False)

    # -- panels and quitting ----------------------------------------------------

    def action_help(self) -> None:
        from trainer.tui.render import help_text
        from trainer.tui.screens.notice import PanelScreen

        module = self.session.module if self.session else None
        self.push_screen(PanelScreen(help_text(module, self.preview)))

    def action_glossary(self) -> None:
        from trainer.tui.render import glossary_text
        from trainer.tui.screens.notice import PanelScreen

        if self.session is not None:
            # The facilitator sees every term; a trainee those the case has used so far.
            pt = None if self.preview else self.session.playthrough
            self.push_screen(PanelScreen(glossary_text(self.session.module, pt)))

    def action_timeline(self) -> None:
        from trainer.tui.render import timeline_text
        from trainer.tui.screens.notice import PanelScreen

        if self.session is not None:
            self.push_screen(PanelScreen(timeline_text(self.session.playthrough)))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """With animations off (`TEXTUAL_ANIMATIONS=none`), a text field's cursor stays still:
        Textual stops its own animations, and a blinking cursor is one more."""
        if self.animation_level == "none" and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def on_unmount(self) -> None:
        """However the app ends, the save's lock is released."""
        if self.session is not None:
            self.session.close()

    async def action_quit_key(self) -> None:
        await self.action_quit()

    async def action_quit(self) -> None:
        """Answers are saved as they are confirmed; text typed and not yet confirmed is
        written now, as the save's draft. Then release the save and leave.

        If that text cannot be written, the trainee is told, and quitting again leaves
        without it: it is never lost without a word.
        """
        if self.session is not None:
            play = sys.modules.get("trainer.tui.screens.play")  # imported once it is shown
            if play is not None:
                for screen in self.screen_stack:
                    if isinstance(screen, play.PlayScreen):
                        screen.keep_typed()
            try:
                self.session.flush()
            except SaveError as error:
                if not self._draft_unsaved_warned:
                    self._draft_unsaved_warned = True
                    message = (
                        f"What you typed could not be saved ({error}). Quit again to leave "
                        "without it."
                    )
                    self.notify(safe(message), severity="error", timeout=20, markup=False)
                    return
            self.session.close()
        self.exit()


class PreviewApp(TrainerApp):
    """The facilitator preview: the same screens, saying everywhere that nothing is saved."""

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
        Binding("q", "quit_key", "Quit (nothing saved)"),
    ]

    @property
    def preview(self) -> bool:
        return True


def warning_text(module: Module) -> Text:
    """The content warning, with the module's support text."""
    warning = Text(module.content_warning or "")
    if module.support:
        warning.append("\n\nSupport\n", style="bold")
        warning.append(module.support)
    return warning


def intro_text(module: Module) -> Text:
    """The module's summary, objectives and note on hindsight."""
    intro = Text(module.title + "\n\n", style="bold")
    intro.append(module.summary + "\n")
    if module.objectives:
        intro.append("\nBy the end you should be able to:\n", style="bold")
        for objective in module.objectives:
            intro.append(f"  • {objective}\n")
    if module.hindsight_note:
        intro.append("\nDeciding without hindsight\n", style="bold")
        intro.append(module.hindsight_note + "\n")
    from trainer.tui.hanging import hanging

    return hanging(intro)  # an objective that wraps stays under its bullet


def _showing(screen: object, module: str, name: str) -> bool:
    """Whether `screen` is an instance of `trainer.tui.screens.<module>.<name>`: asked of
    `sys.modules`, since no such screen can be shown before its module is imported."""
    imported = sys.modules.get(f"trainer.tui.screens.{module}")
    return imported is not None and isinstance(screen, getattr(imported, name))


def build_app(
    *,
    saves: str | Path | None = None,
    modules_dir: str | None = None,
    module: str | None = None,
    learner: str | None = None,
    cohort: str | None = None,
    facilitator: bool = False,
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
    app = _build_app(saves, modules_dir, module, learner, cohort, facilitator, clock, remember)
    apply_theme(app, chosen)
    return app


def _build_app(
    saves: str | Path | None,
    modules_dir: str | None,
    module: str | None,
    learner: str | None,
    cohort: str | None,
    facilitator: bool,
    clock: Clock,
    remember: bool,
) -> TrainerApp:
    """The app for `build_app`'s arguments, in its theme's absence."""
    folder = paths.saves_dir(saves)
    if not module:
        if facilitator:
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
    if facilitator:
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
