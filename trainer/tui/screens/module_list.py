"""The module list: title, summary, time, and this learner's progress; Enter opens one.

The list is read in a thread (`module_rows`: every module read, and checked unless the cache
of modules found valid holds it, and the learner's save for each): the screen is drawn at
once, and its keys never wait on a slow or shared drive.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from trainer.debrief_markdown import percent
from trainer.errors import ModuleError
from trainer.sanitise import safe
from trainer.saves.attempt import Attempt
from trainer.tui.screens.flow_screen import FlowScreen
from trainer.tui.widgets.footer import KeyLine

if TYPE_CHECKING:
    from trainer.saves.format import LearnerInfo
    from trainer.saves.store import SaveStore


class ModuleRow:
    """What the list shows of one module."""

    def __init__(
        self,
        path: Path,
        title: str,
        summary: str,
        minutes: int | None,
        decisions: int,
        attempt: Attempt | None,
    ) -> None:
        self.path = path
        self.title = title
        self.summary = summary
        self.minutes = minutes
        self.decisions = decisions
        self.attempt = attempt

    def progress(self) -> str:
        """This learner's progress in words."""
        attempt = self.attempt
        if attempt is None:
            return "Not started"
        if attempt.finished:
            score = percent(attempt.score)
            return f"Finished (attempt {attempt.number}, score {score}): Enter opens the debrief"
        answered = len(attempt.answers)
        return f"In progress: {answered} answered (attempt {attempt.number}): Enter resumes"

    def prompt(self) -> Text:
        out = Text(safe(self.title), style="bold")
        about = f"{self.decisions} decisions"
        if self.minutes:
            about += f" · about {self.minutes} minutes"
        out.append(f"\n{about} · {self.progress()}", style="dim")
        out.append("\n" + safe(self.summary, newlines=True) + "\n")
        return out


Listing = tuple[list[ModuleRow], list[str]]
"""The rows of the module list, and a line for each module left out."""


def module_rows(modules_dir: str | None, store: SaveStore, learner: LearnerInfo) -> Listing:
    """Every module found, with this learner's progress in it, tutorials first; and a line
    for each module left out because it has errors."""
    from trainer.content import list_modules, load_module

    entries, broken = list_modules(modules_dir)
    rows = []
    for entry in entries:
        try:
            module = load_module(entry.path)
        except ModuleError:
            continue
        attempt = store.progress(learner, module.id)
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
    return rows, [f"Skipped {r.path}: it has errors (trainer validate)." for r in broken]


class ModuleListScreen(FlowScreen[tuple[Path, bool]]):
    """Choose a module; dismiss with its path, and whether to start a new attempt."""

    BINDINGS = [Binding("n", "start_again", "Start again")]

    class Listed(Message):
        """The modules, read (in a thread)."""

        def __init__(self, listing: Listing) -> None:
            super().__init__()
            self.listing = listing

    def __init__(
        self, learner_name: str, read: Callable[[], Listing], problem: str | None = None
    ) -> None:
        """`read` lists the modules (`module_rows`); it runs in a thread. `problem` is said
        above whatever the listing says (a module that could not be opened)."""
        super().__init__(classes="modules")
        self.learner_name = learner_name
        self.read = read
        self.rows: list[ModuleRow] = []
        self.problems = [problem] if problem else []

    def compose(self) -> ComposeResult:
        title = Text("Modules", style="bold")
        title.append(f"  · signed in as {safe(self.learner_name)}", style="dim")
        yield Static(title, classes="screen-title")
        yield Static(Text("Reading the modules…", style="dim"), id="reading")
        yield Static(
            Text("↑ ↓ choose · Enter opens or resumes · n starts again · ? help · q quits"),
            classes="hint",
            id="keys",
        )
        yield KeyLine()

    def on_mount(self) -> None:
        self.run_worker(lambda: self.post_message(self.Listed(self.read())), thread=True)

    @on(Listed)
    async def listed(self, message: Listed) -> None:
        """Show the modules read, in place of the line saying they are being read."""
        self.rows, skipped = message.listing
        self.problems += skipped
        parts: list[Static | OptionList] = []
        if self.rows:
            parts.append(
                OptionList(*[Option(row.prompt(), id=str(i)) for i, row in enumerate(self.rows)])
            )
        else:
            nothing = "No modules were found. Ask your facilitator where they are."
            parts.append(Static(Text(nothing)))
        parts += [Static(Text(safe(p), style="dim"), classes="hint") for p in self.problems]
        with self.app.batch_update():
            await self.query_one("#reading").remove()
            await self.mount_all(parts, before="#keys")
            if self.rows:
                options = self.query_one(OptionList)
                options.highlighted = self.resume_index()
                options.focus()

    def resume_index(self) -> int:
        """The module to offer first: the one in progress most recently, else the first."""
        in_progress = [
            (_last_activity(row.attempt), i)
            for i, row in enumerate(self.rows)
            if row.attempt is not None and not row.attempt.finished
        ]
        return max(in_progress)[1] if in_progress else 0

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((self.rows[event.option_index].path, False))

    def action_start_again(self) -> None:
        """A new attempt at the highlighted module, once confirmed; earlier attempts stay in
        the save. A module with nothing answered yet just opens: there is nothing to start
        again from."""
        highlighted = self.query_one(OptionList).highlighted if self.rows else None
        if highlighted is None:
            return
        row = self.rows[highlighted]
        attempt = row.attempt
        if attempt is None or not attempt.answers:
            self.dismiss((row.path, False))
            return
        from trainer.tui.screens.confirm import new_attempt_question

        question = new_attempt_question(
            attempt.number,
            finished=attempt.finished,
            answered=len(attempt.answers),
            score=attempt.score,
            decisions=row.decisions,
            module_title=row.title,
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.dismiss((row.path, True))

        self.app.push_screen(question, confirmed)


def _last_activity(attempt: Attempt) -> str:
    """When the attempt was last answered (ISO UTC, so it sorts as text)."""
    return attempt.answers[-1].answered_at if attempt.answers else attempt.started_at
