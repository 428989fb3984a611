"""Sign-in: the trainee's name and, optionally, their cohort."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Static

from trainer.sanitise import safe
from trainer.tui.screens.flow_screen import FlowScreen
from trainer.tui.widgets.footer import KeyLine


class ContinueButton(Button, inherit_css=False):
    """Textual's primary button, with only the rules this one uses.

    A Button brings its stylesheet for every variant, style and colour mode (7 KB of CSS):
    parsing it, and checking its rules against every widget, was a measurable part of the
    sign-in's first frame (docs/performance.md). These are Textual 8's rules for a primary
    button in the default style, as drawn (the sign-in's snapshot is unchanged)."""

    DEFAULT_CSS = """
    ContinueButton {
        width: auto;
        min-width: 16;
        height: auto;
        line-pad: 1;
        text-align: center;
        content-align: center middle;
        pointer: pointer;
        text-style: bold;
        color: $button-color-foreground;
        background: $primary;
        border: none;
        border-top: tall $primary-lighten-3;
        border-bottom: tall $primary-darken-3;
        &:focus {
            text-style: $button-focus-text-style;
            background-tint: $foreground 5%;
        }
        &:hover {
            background: $primary-darken-2;
            border-top: tall $primary;
        }
        &.-active {
            background: $primary;
            border-bottom: tall $primary-lighten-3;
            border-top: tall $primary-darken-3;
            tint: $background 30%;
        }
    }
    """


class FormInput(Input, inherit_css=False):
    """Textual's input, with only the rules this form uses, as `ContinueButton` is for its
    button: its compact, invalid and ANSI variants are never drawn here, and parsing and
    matching their rules was part of the sign-in's first frame (docs/performance.md). The
    labels above the inputs are `Static`s with the rules of Textual's `Label` they use
    (`app.tcss`), for the same reason."""

    COMPONENT_CLASSES = Input.COMPONENT_CLASSES
    DEFAULT_CSS = """
    FormInput {
        background: $surface;
        color: $foreground;
        padding: 0 2;
        border: tall $border-blurred;
        width: 100%;
        height: 3;
        scrollbar-size-horizontal: 0;
        pointer: text;
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
        }
        &>.input--cursor {
            background: $input-cursor-background;
            color: $input-cursor-foreground;
            text-style: $input-cursor-text-style;
        }
        &>.input--selection {
            background: $input-selection-background;
            color: $input-selection-foreground;
        }
        &>.input--placeholder, &>.input--suggestion {
            color: $text-disabled;
        }
    }
    """


class SignInScreen(FlowScreen[tuple[str, str | None]]):
    """Ask for a name and a cohort; dismiss with both."""

    def __init__(self, name: str = "", cohort: str | None = None, error: str = "") -> None:
        super().__init__(classes="signin")
        self.initial_name = name
        self.initial_cohort = cohort or ""
        self.error = error
        # Welcome back: one Enter continues with the name and cohort remembered. Focused as
        # the screen is composed, where the app has focus (in a terminal): otherwise Textual
        # focuses the page first and the form is styled for focus twice.
        self.first_field = "#continue" if name and not error else "#name"
        # Textual reads AUTO_FOCUS from the instance; it is a class variable only in its type.
        self.AUTO_FOCUS = self.first_field  # type: ignore[misc]

    def compose(self) -> ComposeResult:
        yield Static(Text("Case-study trainer", style="bold"), classes="screen-title")
        with VerticalScroll(classes="page"):
            yield Static(
                Text(
                    "Work through a real case, decide at each point what should happen next, "
                    "and see how your answer compares with what the review found.\n\n"
                    "Your answers are saved under your name as you go."
                ),
                classes="page-text",
            )
            yield Static("Your name", classes="label")
            yield FormInput(self.initial_name, placeholder="e.g. Sam Okafor", id="name")
            yield Static("Cohort or group (optional)", classes="label")
            yield FormInput(
                self.initial_cohort, placeholder="e.g. autumn-2026", id="cohort", max_length=200
            )
            yield Static(Text(safe(self.error)), id="signin-error", classes="error")
            yield ContinueButton("Continue", id="continue", variant="primary")
        yield KeyLine()

    def on_mount(self) -> None:
        # An app served to a browser starts without focus, and Textual focuses nothing then.
        self.query_one(self.first_field).focus()

    @on(Input.Submitted, "#name")
    def name_entered(self) -> None:
        if not self.query_one("#name", Input).value.strip():
            self.query_one("#signin-error", Static).update(Text("Please enter your name."))
            return
        self.query_one("#signin-error", Static).update("")
        self.query_one("#cohort", Input).focus()

    @on(Input.Submitted, "#cohort")
    @on(Button.Pressed, "#continue")
    def submit(self) -> None:
        name = " ".join(self.query_one("#name", Input).value.split())
        cohort = " ".join(self.query_one("#cohort", Input).value.split()) or None
        if not name:
            self.query_one("#signin-error", Static).update(Text("Please enter your name."))
            self.query_one("#name", Input).focus()
            return
        self.dismiss((name, cohort))
