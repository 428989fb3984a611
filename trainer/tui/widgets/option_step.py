"""The numbered list every choosing step shows (`ChoiceList`), and `OptionStep`, the base of
the steps whose main part it is: a choice, a rank, how sure, the points a written answer
covered."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from trainer.tui.widgets.more import list_mark
from trainer.tui.widgets.step_view import StepView


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
        """Say whether options lie above or below the view."""
        if self._mark is not None:
            self._mark.update(list_mark(self))


def option_row(marker: str, text: Text) -> RenderableType:
    """An option with a hanging indent: wrapped lines align under its text, not its number."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(marker), text)
    return grid


class OptionStep(StepView, can_focus=False):
    """A step whose main part is a numbered list: a digit is a place in the list as shown,
    the list keeps the focus (so Enter always confirms), and a mark says when options lie
    above or below the view. Where options are ticked (`ticks`), Space or a digit ticks and
    unticks one.

    A subclass gives the list's ids (`ids`) and rows (`row`), and says what a digit
    (`picked`), a highlight (`highlight`) and Enter (`confirm`) do.
    """

    BINDINGS = [
        *[Binding(str(n), f"digit({n})", show=False) for n in range(1, 10)],
        Binding("space", "tick", "Tick", show=False),
    ]

    list_id = "choices"
    """The list's id (the play screen's stylesheet sizes it)."""
    noun = "option"
    """What the list holds, in what the status line says."""
    ticks = False
    """Whether the trainee ticks options (several may be chosen)."""

    def __init__(self, classes: str) -> None:
        super().__init__(classes=classes)
        self.ids: list[str] = []
        """The options' ids, in the order shown."""
        self.ticked: list[str] = []
        """The options ticked so far (`ticks`), in the order ticked."""

    @property
    def choices(self) -> ChoiceList:
        """The list."""
        return self.query_one(ChoiceList)

    def row(self, index: int) -> RenderableType:
        """The row of the option at `index` in the list."""
        raise NotImplementedError

    def option_list(self) -> ComposeResult:
        """The list, and the mark below it."""
        yield ChoiceList(
            *[Option(self.row(i), id=option_id) for i, option_id in enumerate(self.ids)],
            id=self.list_id,
        )
        yield Static("", id="more", classes="more")

    def start_index(self) -> int | None:
        """The option highlighted when the step is shown (None: nothing is)."""
        return None

    def on_mount(self) -> None:
        start = self.start_index()
        if start is not None:
            self.choices.highlighted = start
        self.choices.mark_with(self.query_one("#more", Static))

    def focus_first(self) -> None:
        self.choices.focus()

    def out_of_range(self) -> str:
        """What the status line says of a digit past the last option."""
        count = len(self.ids)
        return f"There are {count} {self.noun}s here: press 1–{count}."

    def action_digit(self, n: int) -> None:
        if n > len(self.ids):
            self.say(self.out_of_range())
            return
        choices = self.choices
        choices.highlighted = n - 1
        choices.scroll_to_highlight()
        self.picked(n - 1)

    def picked(self, index: int) -> None:
        """A digit was pressed for the option at `index` (now highlighted): a ticking step
        ticks or unticks it."""
        if self.ticks:
            self.toggle(index)

    def action_tick(self) -> None:
        if not self.ticks:
            return
        highlighted = self.choices.highlighted
        if highlighted is None:
            self.say(
                f"Highlight a{'n' if self.noun[0] in 'aeiou' else ''} {self.noun} first "
                "(↑ ↓), or press its number."
            )
            return
        self.toggle(highlighted)

    def toggle(self, index: int) -> None:
        """Tick the option at `index`, or untick it."""
        option_id = self.ids[index]
        if option_id in self.ticked:
            self.ticked.remove(option_id)
        else:
            self.ticked.append(option_id)
        self.choices.replace_option_prompt_at_index(index, self.row(index))
        self.say(self.ticked_note())

    def ticked_note(self) -> str:
        """What the status line says once an option is ticked or unticked."""
        return ""

    def highlight(self, index: int) -> None:
        """The option at `index` was highlighted (by a key or the mouse)."""

    def confirm(self) -> None:
        """Enter on the list: send up what is chosen."""

    @on(OptionList.OptionHighlighted)
    def option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """An option highlighted by the trainee (`highlight`), not by the list itself."""
        event.stop()
        if event.option_list.highlighted != event.option_index:
            return  # stale: OptionList's own first highlight, taken back when it was built
        self.highlight(event.option_index)

    @on(ChoiceList.Confirm)
    def list_confirmed(self, event: ChoiceList.Confirm) -> None:
        """Enter on the list (`confirm`)."""
        event.stop()
        self.confirm()
