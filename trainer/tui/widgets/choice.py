"""The choosing steps of a decision: a single or multiple choice (`ChoiceView`) and a rank
(`RankView`), with the texts they share (the prompt, an option as the preview shows it)."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from trainer.engine import ORDER_LABEL, Decision, Draft
from trainer.engine import Option as ModuleOption
from trainer.engine.order import is_shuffled
from trainer.errors import AnswerError
from trainer.sanitise import safe_text
from trainer.tui.render import verdict_text
from trainer.tui.widgets.option_step import OptionStep, option_row


class _DecisionStep(OptionStep):
    """An option step of a decision: what ChoiceView and RankView both hold."""

    def show_options(
        self,
        decision: Decision,
        number: int,
        of: int,
        preview: bool,
        options: tuple[ModuleOption, ...],
    ) -> None:
        """Keep the decision, its place in the stage and the options in the order shown."""
        self.decision = decision
        self.number = number
        self.of = of
        self.preview = preview
        self.options = options
        """The options in the order shown (`Deciding.options`)."""
        self.ids = [o.id for o in options]


class ChoiceView(_DecisionStep):
    """A single or multiple choice: the prompt, then the options, scrolling as one list.

    The options come in the order the engine says this trainee is shown them; a digit is a
    place in that order. Nothing is highlighted or ticked at first. The highlighted option is
    always scrolled wholly into view, and a mark says when more options lie above or below.
    The list keeps the focus (there is nothing else to Tab to), so Enter always confirms.
    """

    class Chosen(Message):
        """The options chosen (ids), to confirm."""

        def __init__(self, choice: tuple[str, ...]) -> None:
            super().__init__()
            self.choice = choice

    def __init__(
        self,
        decision: Decision,
        draft: Draft,
        number: int,
        of: int,
        preview: bool,
        options: tuple[ModuleOption, ...],
    ) -> None:
        super().__init__(classes="step choice")
        self.show_options(decision, number, of, preview, options)
        self.ticks = decision.kind == "multiple"
        self.ticked = list(draft.choice) if self.ticks else []
        self.first: str | None = draft.choice[0] if draft.choice else None
        count = len(decision.options)
        if decision.kind == "single":
            self.hint = f"Press 1–{count} or ↑ ↓ to choose, then Enter."
        else:
            self.hint = f"Press 1–{count} to tick or untick (or ↑ ↓ and Space), then Enter."

    def compose(self) -> ComposeResult:
        prompt = decision_prompt(self.decision, self.number, self.of)
        if self.preview:
            prompt.append("\n" + order_note(self.decision), style="dim")
        yield Static(prompt, classes="prompt")
        yield from self.option_list()

    def start_index(self) -> int | None:
        return None if self.first is None else self.ids.index(self.first)

    def row(self, index: int) -> RenderableType:
        option = self.options[index]
        marker = f"{index + 1}."
        if self.ticks:
            marker = ("[x] " if option.id in self.ticked else "[ ] ") + marker
        return option_row(marker, option_text(option, self.preview))

    def ticked_note(self) -> str:
        count = len(self.ticked)
        plural = "s" if count != 1 else ""
        return f"{count} option{plural} ticked. Enter confirms; a number unticks."

    def action_back(self) -> None:
        """Back to the stage's text, keeping what is highlighted or ticked for the return."""
        if self.ticks:
            kept = tuple(self.ticked)
        else:
            highlighted = self.choices.highlighted
            kept = () if highlighted is None else (self.ids[highlighted],)
        self.post_message(self.WentBack(kept))

    def highlight(self, index: int) -> None:
        if not self.ticks:
            self.say(f"Option {index + 1} highlighted: Enter chooses it.")
        self.call_after_refresh(self.choices.update_mark)

    def confirm(self) -> None:
        """Send up what is highlighted (a single choice) or ticked: the engine says whether
        it is an answer (`refused`)."""
        if self.ticks:
            self.post_message(self.Chosen(tuple(self.ticked)))
            return
        highlighted = self.choices.highlighted
        self.post_message(self.Chosen(() if highlighted is None else (self.ids[highlighted],)))

    def refused(self, error: AnswerError) -> str:
        count = len(self.ids)
        if self.ticks:
            return f"Nothing is ticked yet: press 1–{count} to tick, then Enter."
        return f"Nothing is chosen yet: press 1–{count}, then Enter."


class RankView(_DecisionStep):
    """A rank decision: the trainee presses option numbers in order of priority.

    The options come in the order the engine says this trainee is shown them (never the
    module's order); a digit is a place in that list. The list shows each option's place so
    far; Backspace takes back the last; Enter confirms once every option is placed. A mark
    says when options lie out of view.
    """

    BINDINGS = [Binding("backspace", "take_back", "Take back", show=False)]

    def __init__(
        self,
        decision: Decision,
        draft: Draft,
        number: int,
        of: int,
        preview: bool,
        options: tuple[ModuleOption, ...],
    ) -> None:
        super().__init__(classes="step choice")
        self.show_options(decision, number, of, preview, options)
        known = {o.id for o in decision.options}
        self.order: list[str] = [o for o in draft.choice if o in known]
        count = len(decision.options)
        self.hint = (
            f"Press 1–{count} in order of priority, first to last; Backspace takes back; "
            "Enter confirms."
        )

    def compose(self) -> ComposeResult:
        prompt = decision_prompt(self.decision, self.number, self.of)
        prompt.append("  (put every option in order of priority)", style="dim")
        if self.preview:
            prompt.append("\n" + order_note(self.decision), style="dim")
        yield Static(prompt, classes="prompt")
        list_and_mark = list(self.option_list())
        yield list_and_mark[0]
        yield Static(self.order_text(), id="order", classes="more")
        yield from list_and_mark[1:]

    def row(self, index: int) -> RenderableType:
        option = self.options[index]
        place = self.order.index(option.id) + 1 if option.id in self.order else None
        marker = f"[{place}]" if place is not None else "[ ]"
        text = option_text(option, self.preview, self.decision.order_label)
        return option_row(f"{marker} {index + 1}.", text)

    def order_text(self) -> Text:
        """The order placed so far, by the options' numbers as shown."""
        numbers = {option_id: i for i, option_id in enumerate(self.ids, start=1)}
        count = len(self.ids)
        if not self.order:
            return Text(f"Your order: nothing placed yet (0 of {count})")
        placed = ", ".join(str(numbers[o]) for o in self.order)
        return Text(f"Your order: {placed}  ({len(self.order)} of {count} placed)")

    def refresh_rows(self) -> None:
        """Show each option's place, and the order so far, again."""
        choices = self.choices
        for index in range(len(self.ids)):
            choices.replace_option_prompt_at_index(index, self.row(index))
        self.query_one("#order", Static).update(self.order_text())

    def picked(self, index: int) -> None:
        option_id, n = self.ids[index], index + 1
        if option_id in self.order:
            place = self.order.index(option_id) + 1
            self.say(f"Option {n} is already placed {place}; Backspace takes back the last.")
            return
        self.order.append(option_id)
        self.refresh_rows()
        left = len(self.ids) - len(self.order)
        self.say(
            f"Option {n} placed {len(self.order)}."
            + (f" {left} to place." if left else " All placed: Enter confirms.")
        )

    def action_take_back(self) -> None:
        if not self.order:
            self.say("Nothing is placed yet.")
            return
        self.order.pop()
        self.refresh_rows()
        self.say("Took back the last one.")

    def action_back(self) -> None:
        self.post_message(self.WentBack(tuple(self.order)))

    def confirm(self) -> None:
        """Send up the order so far: the engine says whether it is whole (`refused`)."""
        self.post_message(ChoiceView.Chosen(tuple(self.order)))

    def refused(self, error: AnswerError) -> str:
        count = len(self.ids)
        return (
            f"Place every option first: {len(self.order)} of {count} placed "
            f"(press 1–{count} in order)."
        )


def option_text(option: ModuleOption, preview: bool, order_label: str = ORDER_LABEL) -> Text:
    """An option's text; the facilitator preview adds what the review says of it, or a rank
    option's place in the decision's order, named as the decision names it (`order_label`):
    never a panel's unless the module says so."""
    text = Text(option.text)
    if not preview:
        return safe_text(text)
    text.append("\n")
    if option.rank is not None:
        text.append(f"Place in {order_label.strip()}: {option.rank}", style="bold")
    elif option.verdict:
        text.append_text(verdict_text(option.verdict))
    else:
        text.append("No verdict (not judged)", style="bold")
    if option.happened:
        text.append("  · what was done at the time", style="dim")
    if option.findings:
        text.append(f"  · {', '.join(option.findings)}", style="dim")
    if option.next:
        text.append(f"  · leads to {option.next}", style="dim")
    return safe_text(text)


def order_note(decision: Decision) -> str:
    """The facilitator preview's word on the order of a decision's options."""
    if is_shuffled(decision):
        return "Shown in the file's order; each trainee sees them shuffled."
    return "Shown in this order to every trainee (shuffle = false)."


def decision_prompt(decision: Decision, number: int, of: int) -> Text:
    """The question, with its place in the stage."""
    out = Text(f"Decision {number} of {of}", style="dim")
    out.append("\n" + decision.prompt, style="bold")
    if decision.kind == "multiple":
        out.append("  (choose all that apply)", style="dim")
    return safe_text(out)
