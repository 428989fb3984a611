"""The answer being given, shown at the steps after the choice (`AnswerSoFar`), and the base
of those steps (`DraftStep`), which gives the box the rows its own controls leave."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from trainer.engine import Decision, Draft
from trainer.sanitise import safe_text
from trainer.tui.render import CONFIDENCE_WORDS
from trainer.tui.widgets.option_step import ChoiceList, option_row
from trainer.tui.widgets.step_view import StepView


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

    def answer_lines(self) -> list[Text]:
        """The answer at one line to each option (or to each line of text written)."""
        if self.decision.kind == "text":
            return [Text("  " + line) for line in (self.draft.text or "").strip().split("\n")]
        return [Text(f"{marker} {text}") for marker, text in self.chosen()]

    def compact(self, rows: int, question: bool = True) -> list[RenderableType]:
        """The question on one line (unless `question` is false), and the answer in `rows`
        rows at most (at least two): one line to each option (or line of text), the last row
        saying how many more."""
        lines = self.answer_lines()
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
            body = [option_row(marker, safe_text(Text(text))) for marker, text in self.chosen()]
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
