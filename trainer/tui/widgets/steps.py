"""One widget per thing the trainee can face in a stage: read, choose, say how sure, give a
reason, see the feedback, see what happened.

Each view shows what the engine says (attributes down) and posts what the
trainee did as a message (messages up); the play screen turns each message
into an engine move. A view never records anything itself.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from trainer.engine import Decision, Draft, Stage
from trainer.engine import Option as ModuleOption
from trainer.engine.order import is_shuffled
from trainer.terminal import safe_text
from trainer.tui.render import CONFIDENCE_WORDS, chosen_lines, verdict_text


class StepView(Vertical, can_focus=True):
    """The part of the play screen that shows one step (focusable, so that leaving a text
    field leaves the focus on the step, where its keys still work)."""

    class Continued(Message):
        """Enter on a page: go on."""

    class WentBack(Message):
        """Escape outside a text field: go back one step."""

        def __init__(self, unconfirmed: tuple[str, ...] = ()) -> None:
            super().__init__()
            self.unconfirmed = unconfirmed

    class Status(Message):
        """Something to say in the status line."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    BINDINGS = [Binding("escape", "back", "Back", show=False)]

    hint = ""
    """What the status line says when the step is shown."""

    def action_back(self) -> None:
        self.post_message(self.WentBack())

    def say(self, text: str) -> None:
        """Put a line in the status line."""
        self.post_message(self.Status(text))

    def focus_first(self) -> None:
        """Give the step's main part the focus."""


class Page(StepView):
    """A page of text to read; Enter continues, the arrows, PageUp, PageDown, Home and End
    scroll.

    The page scrolls itself rather than holding a scrolling container: each layer of
    widgets is drawn on every frame, and going on to feedback is the moment a trainee waits
    for (one layer fewer took about a fifth off drawing it; see docs/performance.md)."""

    BINDINGS = [
        Binding("enter", "go_on", "Continue"),
        Binding("up", "scroll_up", show=False),
        Binding("down", "scroll_down", show=False),
        Binding("home", "scroll_home", show=False),
        Binding("end", "scroll_end", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
    ]

    def __init__(self, body: Text, hint: str, back: bool = False) -> None:
        super().__init__(classes="step page-step")
        self.body = safe_text(body)
        self.hint = hint
        self.can_go_back = back

    def compose(self) -> ComposeResult:
        yield Static(self.body, classes="page-text")

    def focus_first(self) -> None:
        self.focus()

    def show(self, body: Text) -> None:
        """Show another text on the same page, from its top."""
        self.body = safe_text(body)
        self.query_one(".page-text", Static).update(self.body)
        self.scroll_home(animate=False)

    def action_go_on(self) -> None:
        self.post_message(self.Continued())

    def action_back(self) -> None:
        if self.can_go_back:
            self.post_message(self.WentBack())

    def action_page(self, direction: int) -> None:
        if direction < 0:
            self.scroll_page_up()
        else:
            self.scroll_page_down()


class StageView(Page):
    """A stage's narrative and the documents the trainee may open."""

    class OpenDocument(Message):
        """A document button was pressed."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, stage: Stage, decisions_left: int) -> None:
        if decisions_left:
            plural = "s" if decisions_left != 1 else ""
            hint = (
                f"Read the stage, then press Enter to decide ({decisions_left} decision{plural})."
            )
        else:
            hint = "Read the stage, then press Enter to continue."
        if stage.evidence:
            hint += " Tab reaches the documents."
        super().__init__(Text(stage.narrative), hint)
        self.stage = stage

    def compose(self) -> ComposeResult:
        yield Static(self.body, classes="page-text")
        if self.stage.evidence:
            yield Static(Text("Documents", style="bold"), classes="page-text")
            with Horizontal(id="evidence"):
                for index, item in enumerate(self.stage.evidence):
                    # A Text label: a title such as "Minutes [sic]" is shown as written.
                    label = Text("Open: ")
                    label.append(item.title)
                    yield Button(safe_text(label), name=str(index), classes="evidence")

    @on(Button.Pressed, ".evidence")
    def open_document(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.OpenDocument(int(event.button.name or 0)))


class ChoiceList(OptionList):
    """An option list that starts with nothing highlighted, and where Enter always asks to
    confirm, even with nothing highlighted (the step then says what to press)."""

    class Confirm(Message):
        """Enter (or a click) on the list."""

    def __init__(self, *options: Option, id: str | None = None) -> None:
        super().__init__(*options, id=id)
        # OptionList highlights its first option when built with options: nothing is
        # chosen for the trainee, so take that back.
        self.highlighted = None

    def action_select(self) -> None:
        self.post_message(self.Confirm())


def _option_row(marker: str, text: Text) -> RenderableType:
    """An option with a hanging indent: wrapped lines align under its text, not its number."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(marker), text)
    return grid


class ChoiceView(StepView):
    """A single or multiple choice: the prompt, then the options, scrolling as one list.

    The options come in the order the engine says this trainee is shown them; a digit is a
    place in that order. Nothing is highlighted or ticked at first. The highlighted option is
    always scrolled wholly into view, and a mark says when more options lie above or below.
    """

    BINDINGS = [
        *[Binding(str(n), f"digit({n})", show=False) for n in range(1, 10)],
        Binding("space", "tick", "Tick", show=False),
    ]

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
        self.decision = decision
        self.number = number
        self.of = of
        self.preview = preview
        self.options = options
        """The options in the order shown (`Deciding.options`)."""
        self.ticked: list[str] = list(draft.choice) if decision.kind == "multiple" else []
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
        yield ChoiceList(
            *[Option(self.option_row(i), id=o.id) for i, o in enumerate(self.options)],
            id="choices",
        )
        yield Static("", id="more", classes="more")

    def on_mount(self) -> None:
        choices = self.query_one(ChoiceList)
        if self.first is not None:
            ids = [o.id for o in self.options]
            choices.highlighted = ids.index(self.first)
        self.watch(choices, "scroll_y", self.update_more, init=False)
        self.watch(choices, "virtual_size", self.update_more, init=False)
        self.call_after_refresh(self.update_more)

    def focus_first(self) -> None:
        self.query_one(ChoiceList).focus()

    def option_row(self, index: int) -> RenderableType:
        option = self.options[index]
        marker = f"{index + 1}."
        if self.decision.kind == "multiple":
            marker = ("[x] " if option.id in self.ticked else "[ ] ") + marker
        return _option_row(marker, option_text(option, self.preview))

    def on_resize(self, _: Resize) -> None:
        self.call_after_refresh(self.update_more)

    def update_more(self, *_: object) -> None:
        """Say whether options lie out of view above or below."""
        choices = self.query_one(ChoiceList)
        above = choices.scroll_y > 0
        below = choices.scroll_y < choices.max_scroll_y
        parts = []
        if above:
            parts.append("▲ more above")
        if below:
            parts.append("▼ more below")
        text = " · ".join(parts) + ("  (↑ ↓ to see them)" if parts else "")
        self.query_one("#more", Static).update(Text(text))

    def action_back(self) -> None:
        """Back to the stage's text, keeping what is highlighted or ticked for the return."""
        if self.decision.kind == "multiple":
            kept = tuple(self.ticked)
        else:
            highlighted = self.query_one(ChoiceList).highlighted
            kept = () if highlighted is None else (self.options[highlighted].id,)
        self.post_message(self.WentBack(kept))

    def action_digit(self, n: int) -> None:
        count = len(self.decision.options)
        if n > count:
            self.say(f"There are {count} options here: press 1–{count}.")
            return
        choices = self.query_one(ChoiceList)
        choices.highlighted = n - 1
        choices.scroll_to_highlight()
        if self.decision.kind == "multiple":
            self.toggle(n - 1)

    def action_tick(self) -> None:
        highlighted = self.query_one(ChoiceList).highlighted
        if self.decision.kind != "multiple":
            return
        if highlighted is None:
            self.say("Highlight an option first (↑ ↓), or press its number.")
            return
        self.toggle(highlighted)

    def toggle(self, index: int) -> None:
        option_id = self.options[index].id
        if option_id in self.ticked:
            self.ticked.remove(option_id)
        else:
            self.ticked.append(option_id)
        choices = self.query_one(ChoiceList)
        choices.replace_option_prompt_at_index(index, self.option_row(index))
        count = len(self.ticked)
        plural = "s" if count != 1 else ""
        self.say(f"{count} option{plural} ticked. Enter confirms; a number unticks.")

    @on(OptionList.OptionHighlighted, "#choices")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_list.highlighted != event.option_index:
            return  # stale: OptionList's own first highlight, taken back when it was built
        if self.decision.kind == "single":
            self.say(f"Option {event.option_index + 1} highlighted: Enter chooses it.")
        self.call_after_refresh(self.update_more)

    @on(ChoiceList.Confirm)
    def confirm(self, event: ChoiceList.Confirm) -> None:
        event.stop()
        count = len(self.decision.options)
        if self.decision.kind == "single":
            highlighted = self.query_one(ChoiceList).highlighted
            if highlighted is None:
                self.say(f"Nothing is chosen yet: press 1–{count}, then Enter.")
                return
            self.post_message(self.Chosen((self.options[highlighted].id,)))
            return
        if not self.ticked:
            self.say(f"Nothing is ticked yet: press 1–{count} to tick, then Enter.")
            return
        self.post_message(self.Chosen(tuple(self.ticked)))

    class Chosen(Message):
        """The options chosen (ids), to confirm."""

        def __init__(self, choice: tuple[str, ...]) -> None:
            super().__init__()
            self.choice = choice


def option_text(option: ModuleOption, preview: bool) -> Text:
    """An option's text; the facilitator preview adds what the review says of it."""
    text = Text(option.text)
    if not preview:
        return safe_text(text)
    text.append("\n")
    if option.rank is not None:
        text.append(f"Panel's place: {option.rank}", style="bold")
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


class RankView(StepView):
    """A rank decision: the trainee presses option numbers in order of priority.

    The options come in the order the engine says this trainee is shown them (never the
    panel's order); a digit is a place in that list. The list shows each option's place so
    far; Backspace takes back the last; Enter confirms once every option is placed.
    """

    BINDINGS = [
        *[Binding(str(n), f"digit({n})", show=False) for n in range(1, 10)],
        Binding("backspace", "take_back", "Take back", show=False),
    ]

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
        self.decision = decision
        self.number = number
        self.of = of
        self.preview = preview
        self.options = options
        """The options in the order shown (`Deciding.options`)."""
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
        yield ChoiceList(
            *[Option(self.option_row(i), id=o.id) for i, o in enumerate(self.options)],
            id="choices",
        )
        yield Static(self.order_text(), id="order", classes="more")

    def focus_first(self) -> None:
        self.query_one(ChoiceList).focus()

    def option_row(self, index: int) -> RenderableType:
        option = self.options[index]
        place = self.order.index(option.id) + 1 if option.id in self.order else None
        marker = f"[{place}]" if place is not None else "[ ]"
        return _option_row(f"{marker} {index + 1}.", option_text(option, self.preview))

    def order_text(self) -> Text:
        numbers = {o.id: i for i, o in enumerate(self.options, start=1)}
        count = len(self.decision.options)
        if not self.order:
            return Text(f"Your order: nothing placed yet (0 of {count})")
        placed = ", ".join(str(numbers[o]) for o in self.order)
        return Text(f"Your order: {placed}  ({len(self.order)} of {count} placed)")

    def refresh_rows(self) -> None:
        choices = self.query_one(ChoiceList)
        for index in range(len(self.options)):
            choices.replace_option_prompt_at_index(index, self.option_row(index))
        self.query_one("#order", Static).update(self.order_text())

    def action_digit(self, n: int) -> None:
        count = len(self.decision.options)
        if n > count:
            self.say(f"There are {count} options here: press 1–{count}.")
            return
        option = self.options[n - 1]
        choices = self.query_one(ChoiceList)
        choices.highlighted = n - 1
        choices.scroll_to_highlight()
        if option.id in self.order:
            place = self.order.index(option.id) + 1
            self.say(f"Option {n} is already placed {place}; Backspace takes back the last.")
            return
        self.order.append(option.id)
        self.refresh_rows()
        left = count - len(self.order)
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

    @on(OptionList.OptionHighlighted, "#choices")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    @on(ChoiceList.Confirm)
    def confirm(self, event: ChoiceList.Confirm) -> None:
        event.stop()
        count = len(self.decision.options)
        if len(self.order) < count:
            self.say(
                f"Place every option first: {len(self.order)} of {count} placed "
                f"(press 1–{count} in order)."
            )
            return
        self.post_message(ChoiceView.Chosen(tuple(self.order)))


class DraftStep(StepView):
    """A step after the choice: it shows the answer drafted so far, until it is confirmed."""

    def __init__(self, decision: Decision, draft: Draft, name: str) -> None:
        super().__init__(classes=f"step {name}")
        self.decision = decision
        self.draft = draft


class ClaimView(DraftStep):
    """A written answer compared by the trainee: tick the concepts the answer covered.

    Concepts the rubric's phrases found are ticked to begin with and marked
    "suggested": phrases cannot tell "I challenged her" from "I believed her", so the
    trainee decides.
    """

    BINDINGS = [
        *[Binding(str(n), f"digit({n})", show=False) for n in range(1, 10)],
        Binding("space", "tick", "Tick", show=False),
    ]

    class Claimed(Message):
        """The concepts ticked, to confirm."""

        def __init__(self, concepts: tuple[str, ...]) -> None:
            super().__init__()
            self.concepts = concepts

    def __init__(self, decision: Decision, draft: Draft, suggested: tuple[str, ...]) -> None:
        super().__init__(decision, draft, "claim")
        self.suggested = suggested
        start = draft.claimed if draft.claimed is not None else suggested
        self.ticked: list[str] = [c.id for c in decision.rubric if c.id in start]
        count = len(decision.rubric)
        self.hint = (
            f"Tick what your answer covered: 1–{count} or Space ticks and unticks; Enter confirms."
        )

    def compose(self) -> ComposeResult:
        yield AnswerSoFar(self.decision, self.draft, with_confidence=True)
        prompt = Text("What the review weighed", style="bold")
        prompt.append(
            "\nTick each point your answer covered. Ticks marked “suggested” come from words "
            "in your answer: check them, since words can mislead.",
            style="dim",
        )
        yield Static(prompt, classes="prompt")
        yield ChoiceList(
            *[Option(self.row(i), id=c.id) for i, c in enumerate(self.decision.rubric)],
            id="choices",
        )

    def focus_first(self) -> None:
        self.query_one(ChoiceList).focus()

    def row(self, index: int) -> RenderableType:
        concept = self.decision.rubric[index]
        marker = ("[x] " if concept.id in self.ticked else "[ ] ") + f"{index + 1}."
        text = Text(concept.label)
        if concept.id in self.suggested:
            text.append("  (suggested)", style="dim")
        return _option_row(marker, safe_text(text))

    def toggle(self, index: int) -> None:
        concept_id = self.decision.rubric[index].id
        if concept_id in self.ticked:
            self.ticked.remove(concept_id)
        else:
            self.ticked.append(concept_id)
        self.query_one(ChoiceList).replace_option_prompt_at_index(index, self.row(index))
        self.say(f"{len(self.ticked)} of {len(self.decision.rubric)} ticked. Enter confirms.")

    def action_digit(self, n: int) -> None:
        count = len(self.decision.rubric)
        if n > count:
            self.say(f"There are {count} points here: press 1–{count}.")
            return
        choices = self.query_one(ChoiceList)
        choices.highlighted = n - 1
        choices.scroll_to_highlight()
        self.toggle(n - 1)

    def action_tick(self) -> None:
        highlighted = self.query_one(ChoiceList).highlighted
        if highlighted is None:
            self.say("Highlight a point first (↑ ↓), or press its number.")
            return
        self.toggle(highlighted)

    @on(OptionList.OptionHighlighted, "#choices")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    @on(ChoiceList.Confirm)
    def confirm(self, event: ChoiceList.Confirm) -> None:
        event.stop()
        order = [c.id for c in self.decision.rubric]
        self.post_message(self.Claimed(tuple(sorted(self.ticked, key=order.index))))


class WrittenView(StepView):
    """A written answer: several lines; Enter makes a new line, ctrl+s submits."""

    BINDINGS = [Binding("ctrl+s", "submit", "Submit")]

    class Written(Message):
        """The written answer, to confirm."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(
        self, decision: Decision, draft: Draft, number: int, of: int, preview: bool
    ) -> None:
        super().__init__(classes="step written")
        self.decision = decision
        self.number = number
        self.of = of
        self.preview = preview
        self.text = draft.text or ""
        self.hint = "Write your answer: Enter makes a new line, ctrl+s submits."

    def compose(self) -> ComposeResult:
        prompt = decision_prompt(self.decision, self.number, self.of)
        if self.preview:
            for concept in self.decision.rubric:
                prompt.append(
                    f"\n  Looks for: {concept.label} ({', '.join(concept.any)})", style="dim"
                )
        yield Static(prompt, classes="prompt")
        yield TextArea(self.text, id="written", soft_wrap=True)
        yield Button("Submit (ctrl+s)", id="submit")

    def focus_first(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)  # back to change it: carry on where it ended

    def action_back(self) -> None:
        area = self.query_one(TextArea)
        if area.has_focus:
            self.focus()
            self.say("Left the text field: Tab goes back to it; Escape again goes back.")
            return
        self.post_message(self.WentBack())

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        text = self.query_one(TextArea).text
        if not text.strip():
            self.say("Write your answer first; ctrl+s submits it.")
            self.query_one(TextArea).focus()
            return
        self.post_message(self.Written(text))


class AnswerSoFar(Static):
    """The answer being given, shown at the confidence and reason steps until it is confirmed."""

    def __init__(self, decision: Decision, draft: Draft, with_confidence: bool = False) -> None:
        head = Text("Your answer\n", style="bold")
        head.append(decision.prompt, style="dim")
        parts: list[RenderableType] = [head]
        if decision.kind == "text":
            written = chosen_lines(decision, draft.choice, draft.text)
            written.rstrip()
            parts.append(written)
        # Named by text, in the order chosen: a rank in the trainee's order, others as shown.
        for place, option_id in enumerate(draft.choice, start=1):
            option = decision.option(option_id)
            if option is not None:
                marker = f"{place}." if decision.kind == "rank" else "•"
                parts.append(_option_row(marker, Text(option.text)))
        tail = Text()
        if with_confidence and draft.confidence is not None:
            words = CONFIDENCE_WORDS[draft.confidence]
            tail.append(f"How sure: {draft.confidence} of 5 ({words})\n")
        tail.append("Escape goes back to change it.", style="dim")
        parts.append(tail)
        shown = [safe_text(part) if isinstance(part, Text) else part for part in parts]
        super().__init__(Group(*shown), classes="answer-so-far")


class ConfidenceView(DraftStep):
    """How sure are you? 1 to 5, with no level chosen for the trainee."""

    BINDINGS = [*[Binding(str(n), f"digit({n})", show=False) for n in range(1, 10)]]

    class Rated(Message):
        """The confidence chosen, to confirm."""

        def __init__(self, confidence: int) -> None:
            super().__init__()
            self.confidence = confidence

    hint = "Press 1–5 to say how sure you are, then Enter. Escape goes back."

    def __init__(self, decision: Decision, draft: Draft) -> None:
        super().__init__(decision, draft, "confidence")

    def compose(self) -> ComposeResult:
        yield AnswerSoFar(self.decision, self.draft)
        yield Static(Text("How sure are you of this answer?", style="bold"), classes="prompt")
        yield ChoiceList(
            *[
                Option(Text(f"{n}. {words.capitalize()}"), id=str(n))
                for n, words in CONFIDENCE_WORDS.items()
            ],
            id="confidence",
        )

    def on_mount(self) -> None:
        if self.draft.confidence is not None:
            self.query_one(ChoiceList).highlighted = self.draft.confidence - 1

    def focus_first(self) -> None:
        self.query_one(ChoiceList).focus()

    def action_digit(self, n: int) -> None:
        if n > 5:
            self.say("Press 1–5: 1 is not at all sure, 5 is very sure.")
            return
        self.query_one(ChoiceList).highlighted = n - 1

    @on(ChoiceList.Confirm)
    def confirm(self, event: ChoiceList.Confirm) -> None:
        event.stop()
        highlighted = self.query_one(ChoiceList).highlighted
        if highlighted is None:
            self.say("Say how sure you are first: press 1–5, then Enter.")
            return
        self.post_message(self.Rated(highlighted + 1))


class ReasonView(DraftStep):
    """A one-line reason: it cannot be left empty."""

    BINDINGS = [Binding("enter", "submit", show=False)]

    class Reasoned(Message):
        """The reason given, to confirm."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    hint = "Type one line, then Enter. Escape leaves the field; Escape again goes back."

    def __init__(self, decision: Decision, draft: Draft) -> None:
        super().__init__(decision, draft, "reason")

    def compose(self) -> ComposeResult:
        yield AnswerSoFar(self.decision, self.draft, with_confidence=True)
        yield Static(Text(self.decision.reflection or "Why?", style="bold"), classes="prompt")
        yield Input(
            self.draft.reason or "", id="reason", placeholder="One line, then Enter", max_length=500
        )

    def focus_first(self) -> None:
        self.query_one(Input).focus()

    def action_back(self) -> None:
        field = self.query_one(Input)
        if field.has_focus:
            self.focus()
            self.say("Left the field: Tab goes back to it; Escape again goes back a step.")
            return
        self.post_message(self.WentBack())

    @on(Input.Submitted, "#reason")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        field = self.query_one(Input)
        reason = " ".join(field.value.split())
        if not reason:
            self.say("A reason is needed: type one line, then Enter.")
            field.focus()
            return
        self.post_message(self.Reasoned(reason))


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
