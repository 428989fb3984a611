"""Playing a stage: read, decide, say how sure, give a reason, then see the review's view.

The steps of a decision come in the brief's order (choice, confidence, reflection,
feedback) so that seeing the review's view cannot colour the reasons given. The
engine decides everything; this screen shows what it says and sends back what
the trainee chose.
"""

from __future__ import annotations

from enum import Enum

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from trainer.engine import Decision
from trainer.errors import SaveError
from trainer.tui.render import feedback_text, outcome_text, stage_header, verdict_text
from trainer.tui.screens.notice import PanelScreen
from trainer.tui.session import Session

CONFIDENCE_WORDS = {
    1: "Not at all sure",
    2: "Not very sure",
    3: "Fairly sure",
    4: "Quite sure",
    5: "Very sure",
}


class Step(Enum):
    """Where the trainee is within a stage."""

    READ = "read"
    CHOICE = "choice"
    CONFIDENCE = "confidence"
    REFLECTION = "reflection"
    FEEDBACK = "feedback"
    OUTCOME = "outcome"


class PlayScreen(Screen[None]):
    """One stage at a time, until the module ends (then the app shows the debrief)."""

    BINDINGS = [
        *[Binding(str(n), f"digit({n})", show=False) for n in range(1, 10)],
        Binding("enter", "confirm", "Confirm / continue"),
        Binding("space", "toggle_option", show=False),
        Binding("ctrl+s", "submit_text", "Submit", show=False),
        Binding("escape", "leave_field", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(classes="play")
        self.session = session
        self.step = Step.READ
        self.selected: list[str] = []
        self.confidence: int | None = None
        self.written: str | None = None

    # -- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="header", classes="screen-title")
        with VerticalScroll(id="body"):
            yield Static(id="narrative", classes="page-text")
            yield Horizontal(id="evidence")
            yield Static(id="prompt", classes="prompt")
            yield OptionList(id="choices")
            yield TextArea(id="written", soft_wrap=True)
            yield Button("Submit (ctrl+s)", id="submit")
            yield Input(id="reason", placeholder="One line, then Enter", max_length=500)
            yield Static(id="feedback", classes="page-text")
        yield Static(id="hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.start_stage()

    @property
    def decision(self) -> Decision | None:
        return self.session.playthrough.next_decision

    def start_stage(self) -> None:
        """Show the current stage's narrative and evidence."""
        pt = self.session.playthrough
        stage = pt.current_stage
        if stage is None:
            self.dismiss(None)  # the app shows the debrief
            return
        self.query_one("#header", Static).update(stage_header(self.session.module, stage))
        self.query_one("#narrative", Static).update(Text(stage.narrative))
        evidence = self.query_one("#evidence", Horizontal)
        evidence.remove_children()
        buttons = [
            Button(f"Open: {item.title}", name=str(n), classes="evidence")
            for n, item in enumerate(stage.evidence)
        ]
        if buttons:
            evidence.mount(*buttons)
        evidence.display = bool(buttons)
        if pt.next_decision is None and stage.decisions:
            self.after_decisions()  # resumed after the stage's last answer
        else:
            self.show(Step.READ)

    def show(self, step: Step) -> None:
        """Lay the screen out for a step."""
        self.step = step
        decision = self.decision
        choices = self.query_one("#choices", OptionList)
        written = self.query_one("#written", TextArea)
        reason = self.query_one("#reason", Input)
        prompt = self.query_one("#prompt", Static)
        feedback = self.query_one("#feedback", Static)
        for widget in (choices, written, reason, feedback, prompt):
            widget.display = False
        self.query_one("#submit", Button).display = False
        self.query_one("#narrative", Static).display = step in (Step.READ, Step.CHOICE)
        self.query_one("#evidence").display = step in (Step.READ, Step.CHOICE) and bool(
            self.query("#evidence Button")
        )
        body = self.query_one("#body", VerticalScroll)
        if step is Step.READ:
            count = len(self.session.playthrough.pending_decisions)
            if count:
                plural = "s" if count != 1 else ""
                self.hint(
                    f"Read the stage, then press Enter to decide ({count} decision{plural} "
                    "here). Tab reaches the documents."
                )
            else:
                self.hint("Read the stage, then press Enter to continue.")
            body.scroll_home(animate=False)
            body.focus()
        elif step is Step.CHOICE and decision is not None:
            prompt.display = True
            prompt.update(self.prompt_text(decision))
            if decision.kind == "text":
                written.display = True
                self.query_one("#submit", Button).display = True
                written.focus()
                self.hint("Write your answer; Enter makes a new line; ctrl+s submits.")
            else:
                self.fill_choices(decision)
                choices.display = True
                choices.focus()
                if decision.kind == "single":
                    self.hint(f"Press 1–{len(decision.options)} or use ↑ ↓, then Enter to confirm.")
                else:
                    self.hint(
                        f"Choose all that apply: 1–{len(decision.options)} or Space toggle, "
                        "Enter confirms."
                    )
            self.call_after_refresh(body.scroll_to_widget, prompt, top=True, animate=False)
        elif step is Step.CONFIDENCE:
            prompt.display = True
            prompt.update(Text("How sure are you of this answer?", style="bold"))
            choices.clear_options()
            choices.add_options(
                [Option(Text(f"{n}. {words}"), id=str(n)) for n, words in CONFIDENCE_WORDS.items()]
            )
            choices.highlighted = 2
            choices.display = True
            choices.focus()
            self.hint("Press 1–5, then Enter.")
            self.call_after_refresh(body.scroll_to_widget, prompt, top=True, animate=False)
        elif step is Step.REFLECTION and decision is not None:
            prompt.display = True
            prompt.update(Text(decision.reflection or "Why?", style="bold"))
            reason.display = True
            reason.value = ""
            reason.focus()
            self.hint("Type one line, then Enter. (Escape leaves the field.)")
        elif step is Step.FEEDBACK:
            feedback.display = True
            body.scroll_home(animate=False)
            body.focus()
            self.hint("Press Enter to continue.")
        elif step is Step.OUTCOME:
            stage = self.session.playthrough.current_stage
            if stage is not None:
                feedback.update(outcome_text(self.session.module, stage))
            feedback.display = True
            body.scroll_home(animate=False)
            body.focus()
            self.hint("Press Enter to continue.")

    def hint(self, text: str) -> None:
        self.query_one("#hint", Static).update(Text(text))

    def prompt_text(self, decision: Decision) -> Text:
        pt = self.session.playthrough
        stage = pt.current_stage
        total = len(stage.decisions) if stage else 1
        index = stage.decisions.index(decision) + 1 if stage else 1
        out = Text(f"Decision {index} of {total}", style="dim")
        out.append("\n" + decision.prompt, style="bold")
        if decision.kind == "multiple":
            out.append("\n(choose all that apply)", style="dim")
        if self.session.facilitator and decision.kind == "text":
            for concept in decision.rubric:
                out.append(
                    f"\n  Looks for: {concept.label} ({', '.join(concept.any)})", style="dim"
                )
        return out

    def fill_choices(self, decision: Decision) -> None:
        choices = self.query_one("#choices", OptionList)
        highlighted = choices.highlighted
        choices.clear_options()
        choices.add_options(
            [Option(self.option_text(decision, n), id=o.id) for n, o in enumerate(decision.options)]
        )
        choices.highlighted = highlighted if highlighted is not None else 0

    def option_text(self, decision: Decision, index: int) -> Text:
        option = decision.options[index]
        out = Text()
        if decision.kind == "multiple":
            out.append("[x] " if option.id in self.selected else "[ ] ")
        out.append(f"{index + 1}. ")
        out.append(option.text)
        if self.session.facilitator:
            out.append("\n    ")
            out.append_text(verdict_text(option.verdict))
            if option.findings:
                out.append(f"  · {', '.join(option.findings)}", style="dim")
            if option.next:
                out.append(f"  · leads to {option.next}", style="dim")
        return out

    # -- keys -----------------------------------------------------------------

    def action_digit(self, n: int) -> None:
        decision = self.decision
        choices = self.query_one("#choices", OptionList)
        if self.step is Step.CONFIDENCE and 1 <= n <= 5:
            choices.highlighted = n - 1
        elif self.step is Step.CHOICE and decision and decision.kind != "text":
            if n > len(decision.options):
                self.hint(
                    f"There are {len(decision.options)} options: press 1–{len(decision.options)}."
                )
                return
            choices.highlighted = n - 1
            if decision.kind == "multiple":
                self.toggle(decision.options[n - 1].id)

    def action_toggle_option(self) -> None:
        decision = self.decision
        highlighted = self.query_one("#choices", OptionList).highlighted
        multiple = decision is not None and decision.kind == "multiple"
        if self.step is Step.CHOICE and multiple and decision and highlighted is not None:
            self.toggle(decision.options[highlighted].id)

    def toggle(self, option_id: str) -> None:
        decision = self.decision
        if decision is None:
            return
        if option_id in self.selected:
            self.selected.remove(option_id)
        else:
            self.selected.append(option_id)
        choices = self.query_one("#choices", OptionList)
        for index in range(len(decision.options)):
            choices.replace_option_prompt_at_index(index, self.option_text(decision, index))

    @on(OptionList.OptionSelected, "#choices")
    def option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_confirm()

    @on(Input.Submitted, "#reason")
    def reason_given(self, event: Input.Submitted) -> None:
        event.stop()
        self.finish(reflection=event.value.strip())

    @on(Button.Pressed, "#submit")
    def submit_pressed(self) -> None:
        self.action_submit_text()

    @on(Button.Pressed, ".evidence")
    def open_evidence(self, event: Button.Pressed) -> None:
        stage = self.session.playthrough.current_stage
        if stage is None or event.button.name is None:
            return
        item = stage.evidence[int(event.button.name)]
        body = Text(item.title + "\n\n", style="bold")
        body.append(item.text)
        self.app.push_screen(PanelScreen(body))

    def action_submit_text(self) -> None:
        decision = self.decision
        if self.step is Step.CHOICE and decision is not None and decision.kind == "text":
            text = self.query_one("#written", TextArea).text
            if not text.strip():
                self.hint("Write something first; ctrl+s submits.")
                return
            self.written = text
            self.after_choice()

    def action_leave_field(self) -> None:
        if isinstance(self.focused, Input | TextArea):
            self.query_one("#body", VerticalScroll).focus()
            self.hint("Left the text field. Tab goes back to it.")

    def action_page(self, direction: int) -> None:
        body = self.query_one("#body", VerticalScroll)
        if direction < 0:
            body.scroll_page_up()
        else:
            body.scroll_page_down()

    def action_confirm(self) -> None:
        """Enter: the step's confirming action."""
        decision = self.decision
        choices = self.query_one("#choices", OptionList)
        if self.step is Step.READ:
            if self.decision is not None:
                self.start_decision()
            else:
                self.after_decisions()
        elif self.step is Step.CHOICE and decision is not None:
            if decision.kind == "text":
                return  # Enter makes a new line; ctrl+s submits
            if decision.kind == "single":
                if choices.highlighted is None:
                    return
                self.selected = [decision.options[choices.highlighted].id]
            elif not self.selected:
                self.hint("Choose at least one option first (1–9 or Space), then Enter.")
                return
            self.after_choice()
        elif self.step is Step.CONFIDENCE:
            if choices.highlighted is not None:
                self.confidence = choices.highlighted + 1
                self.after_confidence()
        elif self.step is Step.FEEDBACK:
            self.next_decision_or_outcome()
        elif self.step is Step.OUTCOME:
            self.leave_stage()

    # -- the flow -------------------------------------------------------------

    def start_decision(self) -> None:
        self.selected = []
        self.confidence = None
        self.written = None
        self.query_one("#written", TextArea).text = ""
        self.query_one("#choices", OptionList).highlighted = None
        self.show(Step.CHOICE)

    def after_choice(self) -> None:
        decision = self.decision
        if decision is not None and decision.ask_confidence:
            self.show(Step.CONFIDENCE)
        else:
            self.after_confidence()

    def after_confidence(self) -> None:
        decision = self.decision
        if decision is not None and decision.reflection and decision.kind != "text":
            self.show(Step.REFLECTION)
        else:
            self.finish(reflection=None)

    def finish(self, reflection: str | None) -> None:
        """Record the answer (saved before anything is shown), then show the feedback."""
        decision = self.decision
        if decision is None:
            return
        choice = [] if decision.kind == "text" else self.selected
        try:
            assessment = self.session.answer(
                decision.id,
                choice=choice,
                text=self.written if decision.kind == "text" else None,
                confidence=self.confidence,
                reflection=reflection if decision.reflection else None,
            )
        except SaveError as error:
            self.app.push_screen(
                PanelScreen(
                    Text(
                        "Your answer could not be saved, so it has not been recorded.\n\n"
                        f"{error}\n\nNothing earlier is lost. Free some space or check the "
                        "saves folder, then answer again; or press q to quit.",
                    )
                )
            )
            self.show(Step.CHOICE)
            return
        self.query_one("#feedback", Static).update(
            feedback_text(
                self.session.module,
                decision,
                assessment,
                self.confidence,
                reflection,
                self.written if decision.kind == "text" else None,
            )
        )
        self.show(Step.FEEDBACK)

    def next_decision_or_outcome(self) -> None:
        if self.decision is not None:
            self.start_decision()
        else:
            self.after_decisions()

    def after_decisions(self) -> None:
        """The stage's outcome, if it has one; else straight on to the next stage."""
        stage = self.session.playthrough.current_stage
        if stage is not None and (stage.outcome or stage.outcome_findings):
            self.show(Step.OUTCOME)
        else:
            self.leave_stage()

    def leave_stage(self) -> None:
        try:
            self.session.continue_()
        except SaveError as error:
            self.app.push_screen(PanelScreen(Text(f"Could not save your place.\n\n{error}")))
            return
        self.start_stage()
