"""The debrief: score, every decision with verdict and finding, the module's reflection prompts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from trainer.engine import PlayThrough
from trainer.tui.render import review_text, score_text


class DebriefScreen(Screen[str]):
    """Dismisses with "new", "review" or "markdown"; q quits from the app."""

    BINDINGS = [
        Binding("n", "choose('new')", "New attempt"),
        Binding("r", "choose('review')", "Review path"),
        Binding("m", "choose('markdown')", "Save as Markdown"),
    ]

    def __init__(self, pt: PlayThrough, attempt: int, facilitator: bool) -> None:
        super().__init__(classes="debrief")
        self.pt = pt
        self.attempt = attempt
        self.facilitator = facilitator

    def compose(self) -> ComposeResult:
        module = self.pt.module
        title = Text(f"Debrief · {module.title}", style="bold")
        title.append(f"  · attempt {self.attempt}", style="dim")
        yield Static(title, classes="screen-title")
        with VerticalScroll(classes="page"):
            yield Static(score_text(self.pt), classes="page-text")
            yield Static(Text("\nEach decision\n", style="bold"))
            yield Static(review_text(self.pt, detailed=False), classes="page-text")
            if module.debrief.text:
                yield Static(Text("Looking back\n", style="bold"))
                yield Static(Text(module.debrief.text + "\n"), classes="page-text")
            if module.debrief.prompts:
                prompts = Text("To reflect on\n", style="bold")
                for number, prompt in enumerate(module.debrief.prompts, start=1):
                    prompts.append(f"{number}. {prompt}\n")
                yield Static(prompts, classes="page-text")
        hint = "n new attempt · r review the whole path · m save as Markdown · q quit"
        if self.facilitator:
            hint = "Preview: nothing was saved · n start again · r review · q quit"
        yield Static(Text(hint), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_choose(self, what: str) -> None:
        if what == "new":
            self.dismiss(what)
        elif what == "review":
            self.app.review_path()  # type: ignore[attr-defined]
        else:
            self.app.save_markdown()  # type: ignore[attr-defined]
