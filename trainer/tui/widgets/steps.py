"""One widget per step the trainee can face in a stage: read, choose (or rank, or write),
say how sure, give a reason, tick what a written answer covered; and one `Page`, refilled,
for the feedback and for what happened.

Each view shows what the engine says (attributes down) and posts what the
trainee did as a message (messages up); the play screen turns each message
into an engine move. A view never records anything itself, nor decides what
is kept: text typed into a field is sent up as it is typed (`StepView.Typed`),
and the engine says what of it a save keeps.

No key seems dead: `Tab` moves only where there is somewhere to move to (a
stage's documents, a written answer's Submit button), and the status line then
says what `Enter` does there. A step whose only part is its list keeps the
focus on the list.
"""

from __future__ import annotations

import unicodedata

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

from trainer.engine import ORDER_LABEL, Decision, Draft, Stage
from trainer.engine import Option as ModuleOption
from trainer.engine.order import is_shuffled
from trainer.terminal import escaped, safe_text
from trainer.tui.render import CONFIDENCE_WORDS, verdict_text
from trainer.tui.widgets.more import READ_ON, list_mark, more_below, read_on


class StepView(Vertical, can_focus=True):
    """The part of the play screen that shows one step (focusable, so that leaving a text
    field leaves the focus on the step, where its keys still work)."""

    class Continued(Message):
        """Enter on a page: go on."""

    class WentBack(Message):
        """Escape outside a text field: go back one step."""

        def __init__(self, unconfirmed: tuple[str, ...] = (), typed: str | None = None) -> None:
            super().__init__()
            self.unconfirmed = unconfirmed
            """Options highlighted, ticked or placed and not confirmed."""
            self.typed = typed
            """The text in the step's field, not confirmed (None: the step has no field)."""

    class Typed(Message):
        """The text in the step's field changed (not confirmed)."""

        def __init__(self, view: StepView, text: str) -> None:
            super().__init__()
            self.view = view
            self.text = text

    class Status(Message):
        """Something to say in the status line."""

        def __init__(self, text: str, rows: int = 0) -> None:
            super().__init__()
            self.text = text
            self.rows = rows
            """The rows the status line keeps at the least (0: as many as the text takes)."""

    BINDINGS = [
        Binding("escape", "back", "Back", show=False),
        Binding("tab", "move_focus(1)", show=False),
        Binding("shift+tab", "move_focus(-1)", show=False),
    ]

    hint = ""
    """What the status line says when the step is shown."""

    @property
    def typed(self) -> str | None:
        """The text in the step's field, as typed so far (None: the step has no field)."""
        return None

    def action_back(self) -> None:
        self.post_message(self.WentBack())

    def action_move_focus(self, direction: int) -> None:
        """Tab: on to the next part of the step, if there is one, saying what Enter does
        there; where nothing else can take the focus, nothing happens."""
        screen = self.screen
        before = screen.focused
        if direction > 0:
            screen.focus_next()
        else:
            screen.focus_previous()
        if screen.focused is not before:
            # Once laid out again: a part taking the focus can change its height (a button's
            # border), and with it what lies below.
            self.call_after_refresh(self.say_focus_hint)

    def say_focus_hint(self) -> None:
        """Say what Enter does on the part of the step that has the focus."""
        self.say(self.focus_hint())

    def focus_hint(self) -> str:
        """What the status line says about the part of the step that has the focus."""
        return self.hint

    def say(self, text: str) -> None:
        """Put a line in the status line."""
        self.post_message(self.Status(text))

    def focus_first(self) -> None:
        """Give the step's main part the focus."""


class Page(StepView):
    """A page of text to read; Enter shows its next page until its last line is in view, then
    continues; the arrows, PageUp, PageDown, Home and End scroll.

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

    more_hint = READ_ON
    """The hint while part of the page is out of view."""

    def __init__(self, body: Text, hint: str, back: bool = False) -> None:
        super().__init__(classes="step page-step")
        self.body = safe_text(body)
        self.hint = hint
        self.can_go_back = back
        self._said: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.body, classes="page-text")

    def on_mount(self) -> None:
        for name in ("scroll_y", "virtual_size"):
            self.watch(self, name, self.update_hint, init=False)

    def on_resize(self, _: Resize) -> None:
        self.call_after_refresh(self.update_hint)

    def focus_first(self) -> None:
        self.focus()

    def focus_hint(self) -> str:
        return self.more_hint if more_below(self) else self.hint

    def update_hint(self, *_: object) -> None:
        """Say whether Enter reads on or goes on, once each time that changes."""
        if not self.display or self.screen.focused is not self:
            return
        if self.focus_hint() != self._said:
            self.say_focus_hint()

    def say_focus_hint(self) -> None:
        """Say the hint, keeping the status line as tall as the taller of the page's two
        hints: were it to change height between them, the page's own height would change,
        and with it whether anything lies below (a hint on one line revealing the last line,
        the other on two hiding it again, for ever)."""
        self._said = self.focus_hint()
        width = max(self.size.width - 2, 1)  # the status line's: as wide, the same padding
        console = self.app.console
        rows = max(len(Text(hint).wrap(console, width)) for hint in (self.hint, self.more_hint))
        self.post_message(self.Status(self._said, rows))

    def show(self, body: Text) -> None:
        """Show another text on the same page, from its top."""
        self.body = safe_text(body)
        self.query_one(".page-text", Static).update(self.body)
        self.scroll_home(animate=False)
        self._said = None
        self.call_after_refresh(self.update_hint)

    def action_go_on(self) -> None:
        if more_below(self):
            read_on(self)
            return
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
        if stage.evidence:
            self.more_hint = READ_ON + " Tab reaches the documents."

    def focus_hint(self) -> str:
        focused = self.screen.focused
        if isinstance(focused, Button) and focused.name is not None:
            title = self.stage.evidence[int(focused.name)].title
            return f"Enter opens “{title}”; Tab moves on."
        return super().focus_hint()

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
    confirm, even with nothing highlighted (the step then says what to press).

    Given a mark (`mark_with`), it keeps it saying whether options lie out of view."""

    class Confirm(Message):
        """Enter (or a click) on the list."""

    def __init__(self, *options: Option, id: str | None = None) -> None:
        super().__init__(*options, id=id)
        # OptionList highlights its first option when built with options: nothing is
        # chosen for the trainee, so take that back.
        self.highlighted = None
        self._mark: Static | None = None

    def action_select(self) -> None:
        self.post_message(self.Confirm())

    def mark_with(self, mark: Static) -> None:
        """Keep `mark` saying whether options lie above or below the view."""
        self._mark = mark
        for name in ("scroll_y", "virtual_size"):
            self.watch(self, name, self.update_mark, init=False)
        self.call_after_refresh(self.update_mark)

    def on_resize(self, _: Resize) -> None:
        if self._mark is not None:
            self.call_after_refresh(self.update_mark)

    def update_mark(self, *_: object) -> None:
        if self._mark is not None:
            self._mark.update(list_mark(self))


def _option_row(marker: str, text: Text) -> RenderableType:
    """An option with a hanging indent: wrapped lines align under its text, not its number."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(marker), text)
    return grid


class ChoiceView(StepView, can_focus=False):
    """A single or multiple choice: the prompt, then the options, scrolling as one list.

    The options come in the order the engine says this trainee is shown them; a digit is a
    place in that order. Nothing is highlighted or ticked at first. The highlighted option is
    always scrolled wholly into view, and a mark says when more options lie above or below.
    The list keeps the focus (there is nothing else to Tab to), so Enter always confirms.
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
        self.query_one("#more", Static).update(list_mark(self.query_one(ChoiceList)))

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


class RankView(StepView, can_focus=False):
    """A rank decision: the trainee presses option numbers in order of priority.

    The options come in the order the engine says this trainee is shown them (never the
    module's order); a digit is a place in that list. The list shows each option's place so
    far; Backspace takes back the last; Enter confirms once every option is placed. A mark
    says when options lie out of view.
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
        yield Static("", id="more", classes="more")

    def on_mount(self) -> None:
        self.query_one(ChoiceList).mark_with(self.query_one("#more", Static))

    def focus_first(self) -> None:
        self.query_one(ChoiceList).focus()

    def option_row(self, index: int) -> RenderableType:
        option = self.options[index]
        place = self.order.index(option.id) + 1 if option.id in self.order else None
        marker = f"[{place}]" if place is not None else "[ ]"
        text = option_text(option, self.preview, self.decision.order_label)
        return _option_row(f"{marker} {index + 1}.", text)

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
    """A step after the choice: it shows the answer drafted so far, until it is confirmed.

    The answer's box takes the room the step's own controls leave it, never theirs: with
    many options chosen, or a long written answer, it shows the first and says how many
    more, so the controls (the levels of how sure, the reason's field, the points to tick)
    are always in view.
    """

    list_rows = 0
    """The rows the step's list needs at the least (0: the step has no list)."""

    def __init__(self, decision: Decision, draft: Draft, name: str) -> None:
        super().__init__(classes=f"step {name}")
        self.decision = decision
        self.draft = draft

    def on_resize(self, _: Resize) -> None:
        self.call_after_refresh(self.fit_answer)

    def fit_answer(self) -> None:
        """Give the answer's box the rows the other parts of the step do not need."""
        box = self.query_one(AnswerSoFar)
        needed = box.styles.margin.top + box.styles.margin.bottom
        for child in self.children:
            if child is box or not child.display:
                continue
            needed += child.styles.margin.top + child.styles.margin.bottom
            if isinstance(child, ChoiceList):
                needed += self.list_rows
            else:
                needed += child.outer_size.height
        box.fit(self.content_size.height - needed)


class ClaimView(DraftStep, can_focus=False):
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
        self.list_rows = min(count, 3)
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
        yield Static("", id="more", classes="more")

    def on_mount(self) -> None:
        self.query_one(ChoiceList).mark_with(self.query_one("#more", Static))

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


def editable(text: str) -> str:
    """Text put back into a field to edit: control characters other than newline and tab
    (from a save someone else wrote) shown as escapes, never sent to the terminal."""
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch) != "Cc" else escaped(ch) for ch in text
    )


class WrittenView(StepView):
    """A written answer: several lines; Enter makes a new line, ctrl+s submits.

    The text is sent up as it is typed, so that going back, or quitting, keeps it as a
    draft; it is there again, to carry on with, when the trainee comes back.
    """

    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("enter", "edit", show=False),
    ]

    class Written(Message):
        """The written answer, to confirm."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    hint = "Write your answer: Enter makes a new line, ctrl+s submits."
    left_hint = (
        "Left the text field: Enter or Tab goes back to it, ctrl+s submits; Escape again goes "
        "back."
    )

    def __init__(
        self, decision: Decision, draft: Draft, number: int, of: int, preview: bool
    ) -> None:
        super().__init__(classes="step written")
        self.decision = decision
        self.number = number
        self.of = of
        self.preview = preview
        self.text = editable(draft.text or "")

    def compose(self) -> ComposeResult:
        prompt = decision_prompt(self.decision, self.number, self.of)
        if self.preview:
            for concept in self.decision.rubric:
                prompt.append(
                    f"\n  Looks for: {concept.label} ({', '.join(concept.any)})", style="dim"
                )
        yield Static(safe_text(prompt), classes="prompt")  # the rubric's words: shown safe
        yield TextArea(self.text, id="written", soft_wrap=True)
        yield Button("Submit (ctrl+s)", id="submit")

    @property
    def typed(self) -> str:
        return self.query_one(TextArea).text

    def focus_first(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)  # back to change it: carry on where it ended

    def focus_hint(self) -> str:
        focused = self.screen.focused
        if isinstance(focused, Button):
            return "Enter submits your answer; Tab goes back to the text."
        if focused is self:
            return self.left_hint
        return self.hint

    @on(TextArea.Changed, "#written")
    def changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(self.Typed(self, event.text_area.text))

    def action_edit(self) -> None:
        """Enter with the step itself focused (after Escape): back into the text."""
        self.focus_first()
        self.say(self.hint)

    def action_back(self) -> None:
        area = self.query_one(TextArea)
        if area.has_focus:
            self.focus()
            self.say(self.left_hint)
            return
        self.post_message(self.WentBack(typed=area.text))

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        text = self.query_one(TextArea).text
        if not text.strip():
            self.say("Write your answer first; ctrl+s submits it.")
            self.query_one(TextArea).focus()
            return
        self.post_message(self.Written(text))


class AnswerSoFar(Static):
    """The answer being given, shown at the steps after the choice until it is confirmed:
    the options in the order given (a rank's in the trainee's order), or the text written.

    It fits the rows it is given (`fit`): everything where it can; else the question on
    one line; else one line to each option; else the first options and how many more. How
    sure the trainee said they are, and that Escape goes back, are always shown.
    """

    def __init__(self, decision: Decision, draft: Draft, with_confidence: bool = False) -> None:
        super().__init__(classes="answer-so-far")
        self.decision = decision
        self.draft = draft
        self.with_confidence = with_confidence
        self.update(Group(*self.compact(3)))

    def chosen(self) -> list[tuple[str, str]]:
        """Each option chosen as (marker, text), in the answer's order."""
        by_id = {option.id: option for option in self.decision.options}
        options = [by_id[i] for i in self.draft.choice if i in by_id]
        if self.decision.kind == "rank":
            return [(f"{place}.", o.text) for place, o in enumerate(options, start=1)]
        return [("•", o.text) for o in options]

    def head(self, one_line: bool) -> list[RenderableType]:
        prompt = Text(self.decision.prompt, style="dim")
        if one_line:
            prompt.no_wrap, prompt.overflow = True, "ellipsis"
        return [Text("Your answer", style="bold"), safe_text(prompt)]

    def tail(self) -> list[RenderableType]:
        tail: list[RenderableType] = []
        if self.with_confidence and self.draft.confidence is not None:
            words = CONFIDENCE_WORDS[self.draft.confidence]
            tail.append(Text(f"How sure: {self.draft.confidence} of 5 ({words})"))
        tail.append(Text("Escape goes back to change it.", style="dim"))
        return tail

    def compact(self, rows: int, question: bool = True) -> list[RenderableType]:
        """The question on one line (unless `question` is false), and the answer in `rows`
        rows at most (at least two): one line to each option (or line of text), the last row
        saying how many more."""
        if self.decision.kind == "text":
            lines = [Text("  " + line) for line in (self.draft.text or "").strip().split("\n")]
        else:
            lines = [Text(f"{marker} {text}") for marker, text in self.chosen()]
        keep = len(lines) if len(lines) <= rows else max(rows - 1, 1)
        body: list[RenderableType] = []
        for line in lines[:keep]:
            line.no_wrap, line.overflow = True, "ellipsis"
            body.append(safe_text(line))
        rest = len(lines) - keep
        if rest:
            what = f"line{'s' if rest != 1 else ''}" if self.decision.kind == "text" else ""
            body.append(Text(f"  … and {rest} more {what}".rstrip(), style="dim"))
        head = self.head(one_line=True)
        return [*(head if question else head[:1]), *body, *self.tail()]

    def full(self, one_line_prompt: bool) -> list[RenderableType]:
        """The question (whole, or on one line), and the whole answer, wrapped."""
        if self.decision.kind == "text":
            written = Text("  " + (self.draft.text or "").strip().replace("\n", "\n  "))
            body: list[RenderableType] = [safe_text(written)]
        else:
            body = [_option_row(marker, safe_text(Text(text))) for marker, text in self.chosen()]
        return [*self.head(one_line_prompt), *body, *self.tail()]

    def fit(self, rows: int) -> None:
        """Show as much of the answer as fits in `rows` rows (at least its first line)."""
        width = self.content_region.width
        if width <= 0:
            return
        console = self.app.console
        options = console.options.update(width=width, height=None)

        def height(parts: list[RenderableType]) -> int:
            return sum(len(console.render_lines(part, options, pad=False)) for part in parts)

        count = self.line_count()
        candidates = [self.full(False), self.full(True), self.compact(count)]
        candidates += [self.compact(n) for n in range(count - 1, 0, -1)]
        candidates.append(self.compact(1, question=False))
        for parts in candidates:
            if height(parts) <= rows:
                break
        self.update(Group(*parts))

    def line_count(self) -> int:
        """How many lines the answer takes at one line to an option (or to a line of text)."""
        if self.decision.kind == "text":
            return max(len((self.draft.text or "").strip().split("\n")), 1)
        return max(len(self.chosen()), 1)


class ConfidenceView(DraftStep, can_focus=False):
    """How sure are you? 1 to 5, with no level chosen for the trainee."""

    BINDINGS = [*[Binding(str(n), f"digit({n})", show=False) for n in range(1, 10)]]

    class Rated(Message):
        """The confidence chosen, to confirm."""

        def __init__(self, confidence: int) -> None:
            super().__init__()
            self.confidence = confidence

    hint = "Press 1–5 to say how sure you are, then Enter. Escape goes back."
    list_rows = len(CONFIDENCE_WORDS)

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
        yield Static("", id="more", classes="more")

    def on_mount(self) -> None:
        if self.draft.confidence is not None:
            self.query_one(ChoiceList).highlighted = self.draft.confidence - 1
        self.query_one(ChoiceList).mark_with(self.query_one("#more", Static))

    def focus_first(self) -> None:
        self.query_one(ChoiceList).focus()

    def action_digit(self, n: int) -> None:
        if n > 5:
            self.say("Press 1–5: 1 is not at all sure, 5 is very sure.")
            return
        choices = self.query_one(ChoiceList)
        choices.highlighted = n - 1
        choices.scroll_to_highlight()

    @on(OptionList.OptionHighlighted, "#confidence")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_list.highlighted != event.option_index:
            return  # stale: OptionList's own first highlight, taken back when it was built
        level = event.option_index + 1
        self.say(f"{level} ({CONFIDENCE_WORDS[level]}) highlighted: Enter confirms it.")

    @on(ChoiceList.Confirm)
    def confirm(self, event: ChoiceList.Confirm) -> None:
        event.stop()
        highlighted = self.query_one(ChoiceList).highlighted
        if highlighted is None:
            self.say("Say how sure you are first: press 1–5, then Enter.")
            return
        self.post_message(self.Rated(highlighted + 1))


class ReasonView(DraftStep):
    """A one-line reason: it cannot be left empty. What is typed is sent up as it is typed,
    so that going back, or quitting, keeps it."""

    BINDINGS = [Binding("enter", "submit", show=False)]

    class Reasoned(Message):
        """The reason given, to confirm."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    hint = "Type one line, then Enter. Escape leaves the field; Escape again goes back."
    left_hint = (
        "Left the field: Enter confirms the reason, Tab goes back to it; Escape again goes "
        "back a step."
    )
    MAX_LENGTH = 500

    def __init__(self, decision: Decision, draft: Draft) -> None:
        super().__init__(decision, draft, "reason")

    def compose(self) -> ComposeResult:
        yield AnswerSoFar(self.decision, self.draft, with_confidence=True)
        prompt = Text(self.decision.reflection or "Why?", style="bold")
        yield Static(safe_text(prompt), classes="prompt")  # the module's words: shown safe
        reason = editable(self.draft.reason or "")[: self.MAX_LENGTH]
        # Not selected on focus: typing would replace a reason kept from before.
        yield Input(
            reason,
            id="reason",
            placeholder="One line, then Enter",
            max_length=self.MAX_LENGTH,
            select_on_focus=False,
        )

    @property
    def typed(self) -> str:
        return self.query_one(Input).value

    def focus_first(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.action_end()  # a reason kept from before: carry on where it ended

    def focus_hint(self) -> str:
        return self.left_hint if self.screen.focused is self else self.hint

    @on(Input.Changed, "#reason")
    def changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Typed(self, event.value))

    def action_back(self) -> None:
        field = self.query_one(Input)
        if field.has_focus:
            self.focus()
            self.say(self.left_hint)
            return
        self.post_message(self.WentBack(typed=field.value))

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
