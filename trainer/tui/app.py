"""The Textual app: sign-in, module list, notices, stages, debrief, as one flow of screens.

It is built by the one factory, `trainer.tui.factory.build_app`.

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
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from trainer import paths
from trainer.engine.clock import utc_now
from trainer.errors import ModuleError, SaveError
from trainer.gc_hold import freeze_survivors, resume_collection
from trainer.sanitise import safe

if TYPE_CHECKING:
    from trainer.saves.format import LearnerInfo
    from trainer.saves.store import SaveStore
    from trainer.session import Session
    from trainer.tui.screens.flow_screen import FlowScreen

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
        self._first: list[FlowScreen[Any]] | None = None
        """While the first screen is being made (`get_default_screen`), what `show` was given."""

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
                self.screen, "playing", "PlayScreen"
            )
            return self.session is not None and in_module and not in_panel
        if action in ("help", "quit_key"):
            return not in_panel
        return True

    # -- flow -----------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The flow's first screen (`start`), as the bottom of the screen stack.

        Pushed over Textual's blank default screen from `on_mount`, the first screen was
        drawn a frame later, after the blank one had been composed and laid out
        (docs/performance.md, "Figures behind the code"). Its result reaches the flow
        through `FlowScreen.first_callback`.
        """
        self._first = []
        try:
            self.start()
        finally:
            first, self._first = self._first, None
        return first[0] if first else Screen()

    def on_mount(self) -> None:
        # The command line held the garbage collector for the start (`trainer.gc_hold`):
        # it resumes once the first screen is drawn.
        self.call_after_refresh(resume_collection, freeze=True)

    def show(self, screen: FlowScreen[R], callback: Callable[[R | None], None]) -> None:
        """Show the flow's next screen; `callback` has its result when it is dismissed. The
        first of all becomes the bottom of the stack (`get_default_screen`)."""
        if self._first is not None:
            assert not self._first, "the first screen is shown once"
            screen.first_callback = callback
            self._first.append(screen)
        else:
            self.push_screen(screen, callback)

    def start(self) -> None:
        """The flow's first screen: the session's, the module list, or the sign-in."""
        if self.session is not None:
            self.begin_session()
        elif self.learner is not None:
            self.show_modules()
        else:
            from trainer.saves.remembered import remembered_sign_in
            from trainer.tui.screens.signin import SignInScreen

            remembered = remembered_sign_in() if self.remember else None
            name, cohort = remembered if remembered else ("", None)
            self.show(SignInScreen(name, cohort), self.signed_in)

    def signed_in(self, result: tuple[str, str | None] | None) -> None:
        """The sign-in's name and cohort: the learner's folder, then the module or the list."""
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
        """The module list, read in a thread once it is shown; `problem` said above it."""
        from trainer.tui.screens.module_list import ModuleListScreen, module_rows

        learner = self.learner
        assert learner is not None
        store, modules_dir = self.store, self.modules_dir  # the store made here, not in a thread
        listing = lambda: module_rows(modules_dir, store, learner)  # noqa: E731
        self.show(ModuleListScreen(learner.name, listing, problem), self.module_chosen)

    def module_chosen(self, choice: tuple[Path, bool] | None) -> None:
        """The module list's choice: open it (a new attempt, if asked for)."""
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
        from trainer.tui.screens.notice import intro_text, warning_text

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
        """The play screen for the session's attempt."""
        # Imported when first shown: the first frame is a notice (or the sign-in), and the play
        # screen with its step widgets is slow to import (docs/performance.md).
        from trainer.tui.screens.playing import PlayScreen

        self.show(PlayScreen(session), self.play_ended)
        # What play imported and built lives as long as the app: out of the collector's way.
        self.call_after_refresh(freeze_survivors)

    def next_step(self, _: object = None) -> None:
        """Show the next screen of the flow: each notice's dismissal starts the next."""
        if self._steps:
            self._steps.pop(0)()

    def notice(self, title: str, body: Text | str) -> None:
        """A notice; Enter on it goes on with the flow."""
        from trainer.tui.screens.notice import NoticeScreen

        self.show(NoticeScreen(title, body, preview=self.preview), self.next_step)

    def play_ended(self, _: object = None) -> None:
        """The module is played to its end: the debrief."""
        self.show_debrief()

    def show_debrief(self) -> None:
        """The debrief of the session's attempt."""
        from trainer.tui.screens.debrief import DebriefScreen

        session = self.session
        assert session is not None
        screen = DebriefScreen(session.playthrough, session.attempt_number, self.preview)
        self.show(screen, self.debrief_choice)

    def debrief_choice(self, choice: str | None) -> None:
        """The debrief's answer: "new" starts a new attempt."""
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

    # The debrief's message, by handler name: the debrief screen is imported when first shown.

    def on_debrief_screen_save_markdown(self) -> None:
        """DebriefScreen.SaveMarkdown: the debrief as a Markdown file."""
        from trainer.debrief_markdown import debrief_markdown, write_new_file
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
            play = sys.modules.get("trainer.tui.screens.playing")  # imported once it is shown
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


def _showing(screen: object, module: str, name: str) -> bool:
    """Whether `screen` is an instance of `trainer.tui.screens.<module>.<name>`: asked of
    `sys.modules`, since no such screen can be shown before its module is imported."""
    imported = sys.modules.get(f"trainer.tui.screens.{module}")
    return imported is not None and isinstance(screen, getattr(imported, name))
