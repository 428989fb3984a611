"""The module list: title, summary, time, and this learner's progress; Enter opens one."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from trainer.debrief import percent
from trainer.saves.attempt import Attempt
from trainer.terminal import safe
from trainer.tui.widgets.footer import KeyLine


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


class ModuleListScreen(Screen[tuple[Path, bool]]):
    """Choose a module; dismiss with its path, and whether to start a new attempt."""

    BINDINGS = [Binding("n", "start_again", "Start again")]

    def __init__(self, learner_name: str, rows: list[ModuleRow], problems: list[str]) -> None:
        super().__init__(classes="modules")
        self.learner_name = learner_name
        self.rows = rows
        self.problems = problems

    def compose(self) -> ComposeResult:
        title = Text("Modules", style="bold")
        title.append(f"  · signed in as {safe(self.learner_name)}", style="dim")
        yield Static(title, classes="screen-title")
        if self.rows:
            yield OptionList(*[Option(row.prompt(), id=str(i)) for i, row in enumerate(self.rows)])
        else:
            yield Static(Text("No modules were found. Ask your facilitator where they are."))
        for problem in self.problems:
            yield Static(Text(safe(problem), style="dim"), classes="hint")
        yield Static(
            Text("↑ ↓ choose · Enter opens or resumes · n starts again · ? help · q quits"),
            classes="hint",
        )
        yield KeyLine()

    def on_mount(self) -> None:
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
