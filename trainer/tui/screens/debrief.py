"""The debrief: score, every decision with verdict and finding, the module's reflection prompts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from trainer.engine import PlayThrough
from trainer.sanitise import safe
from trainer.tui.hanging import hanging
from trainer.tui.render import review_text, score_text
from trainer.tui.screens.flow_screen import FlowScreen
from trainer.tui.widgets.footer import KeyLine


class DebriefScreen(FlowScreen[str]):
    """Dismisses with "new" for a new attempt, once the trainee has confirmed it; asks the
    app for the Markdown file by message (the app holds the save); q quits from the app."""

    class SaveMarkdown(Message):
        """Save the debrief as a Markdown file."""

    BINDINGS = [
        Binding("n", "new", "New attempt"),
        Binding("r", "review", "Review"),
        Binding("m", "markdown", "Save .md"),
        # Everything is saved by now: "Quit" is the whole truth, and the footer fits 80 columns.
        Binding("q", "app.quit_key", "Quit"),
    ]

    def __init__(self, pt: PlayThrough, attempt: int, preview: bool) -> None:
        super().__init__(classes="debrief")
        self.pt = pt
        self.attempt = attempt
        self.preview = preview

    def compose(self) -> ComposeResult:
        module = self.pt.module
        title = Text(f"Debrief · {safe(module.title)}", style="bold")
        title.append(f"  · attempt {self.attempt}", style="dim")
        if self.preview:
            title.append("   PREVIEW · nothing is saved", style="bold")
        yield Static(title, classes="screen-title")
        with VerticalScroll(classes="page"):
            yield Static(score_text(self.pt), classes="page-text")
            yield Static(Text("\nEach decision\n", style="bold"))
            yield Static(review_text(self.pt, detailed=False), classes="page-text")
            if module.debrief.text:
                yield Static(Text("Looking back\n", style="bold"))
                looking_back = safe(module.debrief.text, newlines=True)
                yield Static(Text(looking_back + "\n"), classes="page-text")
            if module.debrief.prompts:
                prompts = Text("To reflect on\n", style="bold")
                for number, prompt in enumerate(module.debrief.prompts, start=1):
                    prompts.append(f"{number}. {safe(prompt, newlines=True)}\n")
                yield Static(hanging(prompts), classes="page-text")
        hint = "n new attempt · r review every answer · m save as Markdown · q quit"
        if self.preview:
            hint = "n start again · r review every answer · q quit (nothing was saved)"
        yield Static(Text(hint), classes="hint")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_new(self) -> None:
        """Ask first: a new attempt replaces this debrief, which does not come back."""
        from trainer.tui.screens.confirm import new_attempt_question, preview_again_question

        if self.preview:
            question = preview_again_question()
        else:
            pt = self.pt
            question = new_attempt_question(
                self.attempt,
                finished=pt.finished,
                answered=len(pt.answers),
                score=pt.module_score,
                from_debrief=True,
            )
        self.app.push_screen(question, self.confirmed)

    def confirmed(self, yes: bool | None) -> None:
        if yes:
            self.dismiss("new")

    def action_review(self) -> None:
        """The whole path, every answer in detail, in a panel."""
        from trainer.tui.screens.notice import PanelScreen

        body = Text("Your path through the case\n\n", style="bold")
        body.append_text(review_text(self.pt, detailed=True))
        self.app.push_screen(PanelScreen(body))

    def action_markdown(self) -> None:
        self.post_message(self.SaveMarkdown())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The preview writes nothing: no Markdown key."""
        return not (action == "markdown" and self.preview)
