"""The Textual app: sign-in, module list, content warning, stages, debrief.

`build_app` is the one factory: the command line and the tests build the app
through it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from trainer.content import find_module, list_modules, load_module
from trainer.debrief import debrief_markdown
from trainer.engine.playthrough import format_time, utc_now
from trainer.errors import ModuleError, SaveError
from trainer.saves.format import LearnerInfo
from trainer.saves.store import SaveStore, remember_sign_in, remembered_sign_in
from trainer.tui.render import glossary_text, help_text, review_text, timeline_text
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.screens.modules import ModuleListScreen, ModuleRow
from trainer.tui.screens.notice import NoticeScreen, PanelScreen
from trainer.tui.screens.play import PlayScreen
from trainer.tui.screens.signin import SignInScreen
from trainer.tui.session import Session

Clock = Callable[[], datetime]


class TrainerApp(App[None]):
    """The trainee's app."""

    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False
    TITLE = "trainer"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Save and quit", priority=True),
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("g", "glossary", "Glossary"),
        Binding("t", "timeline", "Timeline"),
    ]

    def __init__(
        self,
        saves_root: Path,
        modules_dir: str | None = None,
        clock: Clock = utc_now,
        learner: tuple[str, str | None] | None = None,
        module_path: Path | None = None,
        session: Session | None = None,
        remember: bool = True,
    ) -> None:
        super().__init__()
        self.store = SaveStore(saves_root, clock)
        self.modules_dir = modules_dir
        self.clock = clock
        self.sign_in = learner
        self.module_path = module_path
        self.session = session
        self.remember = remember
        self.learner: LearnerInfo | None = session.learner if session else None

    # -- flow -----------------------------------------------------------------

    def on_mount(self) -> None:
        if self.session is not None:
            self.begin_session()
        elif self.sign_in is not None:
            self.signed_in(self.sign_in)
        else:
            remembered = remembered_sign_in() if self.remember else None
            name, cohort = remembered if remembered else ("", None)
            self.push_screen(SignInScreen(name, cohort), self.signed_in)

    def signed_in(self, result: tuple[str, str | None] | None) -> None:
        if result is None:
            return
        name, cohort = result
        try:
            self.learner = self.store.learner(name, cohort)
        except SaveError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        if self.remember:
            remember_sign_in(name, cohort)
        if self.module_path is not None:
            self.open_module(self.module_path)
        else:
            self.show_modules()

    def show_modules(self) -> None:
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
        self.switch_or_push(ModuleListScreen(self.learner.name, rows, problems), self.module_chosen)

    def module_chosen(self, choice: tuple[Path, bool] | None) -> None:
        if choice is not None:
            self.open_module(*choice)

    def open_module(self, path: Path | None, start_again: bool = False) -> None:
        if path is None or self.learner is None:
            return
        try:
            module = load_module(find_module(str(path), self.modules_dir))
            save = self.store.open(self.learner, module)
        except (ModuleError, SaveError) as error:
            self.notify(str(error), severity="error", timeout=10)
            if self.module_path is None:
                self.show_modules()
            return
        self.session = Session.open(save, self.learner)
        if start_again and self.session.playthrough.answers:
            try:
                self.session.new_attempt()
            except SaveError as error:
                self.notify(str(error), severity="error", timeout=10)
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
        if session.playthrough.finished:
            steps.append(self.show_debrief)
        else:
            if module.content_warning:
                warning = Text(module.content_warning)
                if module.support:
                    warning.append("\n\nSupport\n", style="bold")
                    warning.append(module.support)
                steps.append(lambda: self.notice("Before you start", warning))
            if not session.playthrough.answers:
                intro = Text(module.title + "\n\n", style="bold")
                intro.append(module.summary + "\n")
                if module.objectives:
                    intro.append("\nBy the end you should be able to:\n", style="bold")
                    for objective in module.objectives:
                        intro.append(f"  • {objective}\n")
                if module.hindsight_note:
                    intro.append("\nDeciding without hindsight\n", style="bold")
                    intro.append(module.hindsight_note + "\n")
                steps.append(lambda: self.notice("About this module", intro))
            steps.append(lambda: self.switch_or_push(PlayScreen(session), self.play_ended))
        self.run_steps(steps)

    def run_steps(self, steps: list[Callable[[], None]]) -> None:
        """Run screens one after another: each notice's dismissal starts the next step."""
        self._steps = list(steps)
        self.next_step()

    def next_step(self, _: object = None) -> None:
        if self._steps:
            self._steps.pop(0)()

    def notice(self, title: str, body: Text | str) -> None:
        self.switch_or_push(NoticeScreen(title, body), self.next_step)

    def switch_or_push(
        self, screen: Screen[Any], callback: Callable[[Any], None] | None = None
    ) -> None:
        """Show the next screen of the flow (the one before it has been dismissed)."""
        self.push_screen(screen, callback)

    def play_ended(self, _: object = None) -> None:
        self.show_debrief()

    def show_debrief(self) -> None:
        session = self.session
        assert session is not None
        screen = DebriefScreen(session.playthrough, session.attempt_number, session.facilitator)
        self.switch_or_push(screen, self.debrief_choice)

    def debrief_choice(self, choice: str | None) -> None:
        session = self.session
        if session is None or choice != "new":
            return  # q quits from the debrief
        try:
            session.new_attempt()
        except SaveError as error:
            self.notify(str(error), severity="error", timeout=10)
            self.show_debrief()
            return
        self.begin_session()

    def review_path(self) -> None:
        if self.session is not None:
            body = Text("Your path through the case\n\n", style="bold")
            body.append_text(review_text(self.session.playthrough, detailed=True))
            self.push_screen(PanelScreen(body))

    def save_markdown(self) -> None:
        session = self.session
        if session is None:
            return
        if session.save is None:
            self.notify("The facilitator preview writes nothing.", timeout=6)
            return
        folder = session.save.path.parent
        base = f"{session.module.id}-attempt-{session.attempt_number}-debrief"
        target = folder / f"{base}.md"
        counter = 1
        while target.exists():
            counter += 1
            target = folder / f"{base}-{counter}.md"
        name = session.learner.name if session.learner else ""
        text = debrief_markdown(
            session.playthrough, name, session.attempt_number, format_time(self.clock())
        )
        try:
            with open(target, "x", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            self.notify(f"Could not write {target}: {error.strerror}", severity="error")
            return
        self.notify(f"Debrief saved as {target}", timeout=10)

    # -- panels and quitting ----------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, PanelScreen):
            module = self.session.module if self.session else None
            self.push_screen(PanelScreen(help_text(module)))

    def action_glossary(self) -> None:
        if self.session is not None and not isinstance(self.screen, PanelScreen):
            self.push_screen(PanelScreen(glossary_text(self.session.module)))

    def action_timeline(self) -> None:
        if self.session is not None and not isinstance(self.screen, PanelScreen):
            self.push_screen(PanelScreen(timeline_text(self.session.playthrough)))

    def on_unmount(self) -> None:
        """However the app ends, the save's lock is released."""
        if self.session is not None:
            self.session.close()

    async def action_quit(self) -> None:
        """Answers are saved as they are given: release the save and leave."""
        if self.session is not None:
            self.session.close()
        self.exit()


def build_app(
    saves_root: Path,
    modules_dir: str | None = None,
    clock: Clock = utc_now,
    learner: tuple[str, str | None] | None = None,
    module_path: Path | None = None,
    session: Session | None = None,
    remember: bool = True,
) -> TrainerApp:
    """The app, as the command line and the tests build it."""
    return TrainerApp(saves_root, modules_dir, clock, learner, module_path, session, remember)
