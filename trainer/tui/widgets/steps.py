"""One widget per step the trainee can face in a stage: read, choose (or rank, or write),
say how sure, give a reason, tick what a written answer covered; and one `Page`, refilled,
for the feedback and for what happened. Each lives in a module of its own; this one names
them all, for the play screen.

Each view shows what the engine says (attributes down) and posts what the trainee did as a
message (messages up); the play screen turns each message into an engine move. A view never
records anything itself, nor decides what is kept, nor whether an answer will do: it sends
up what was chosen or typed, and when the engine refuses it, the view only says which of its
keys give what is missing (`StepView.refused`). Text typed into a field is sent up as it is
typed (`StepView.Typed`), and the engine says what of it a save keeps.

No key seems dead: `Tab` moves only where there is somewhere to move to (a stage's
documents, a written answer's Submit button), and the status line then says what `Enter`
does there. A step whose only part is its list keeps the focus on the list.

    step_view.py   StepView: the base, its messages and keys
    page.py        Page (feedback, what happened), StageView (a stage and its documents)
    option_step.py ChoiceList, OptionStep: the base of every step with a numbered list
    choice.py      ChoiceView (single, multiple), RankView; the prompt and option texts
    written.py     WrittenView (a written answer)
    answer_box.py  AnswerSoFar, DraftStep: the steps after the choice show the answer so far
    follow_up.py   ConfidenceView, TickView, ReasonView
"""

from trainer.tui.widgets.answer_box import AnswerSoFar, DraftStep
from trainer.tui.widgets.choice import (
    ChoiceView,
    RankView,
    decision_prompt,
    option_text,
    order_note,
)
from trainer.tui.widgets.follow_up import ConfidenceView, ReasonView, TickView
from trainer.tui.widgets.option_step import ChoiceList, OptionStep, option_row
from trainer.tui.widgets.page import Page, StageView
from trainer.tui.widgets.step_view import StepView
from trainer.tui.widgets.written import WrittenView, editable

__all__ = [
    "AnswerSoFar",
    "ChoiceList",
    "ChoiceView",
    "TickView",
    "ConfidenceView",
    "DraftStep",
    "OptionStep",
    "Page",
    "RankView",
    "ReasonView",
    "StageView",
    "StepView",
    "WrittenView",
    "decision_prompt",
    "editable",
    "option_row",
    "option_text",
    "order_note",
]
