"""The plain text of a decision's choice: the question with its options numbered (and the
facilitator's notes on them), the answer read back before it counts, and what to type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from trainer.engine import ORDER_LABEL, VERDICT_WORDS, Deciding, Decision
from trainer.engine.order import is_shuffled
from trainer.plain.screens import numbers_hint

if TYPE_CHECKING:
    from trainer.engine import Option


def options_lines(
    options: Sequence[Option], preview: bool, order_label: str = ORDER_LABEL
) -> str:
    """The options, numbered in the order shown; the preview adds the review's view of each
    (a rank option's place in the order `order_label` names)."""
    lines: list[str] = []
    for number, option in enumerate(options, start=1):
        lines.append(f"{number}. {option.text}")
        if preview:
            lines.append("   " + preview_note(option, order_label))
    return "\n".join(lines)


def order_note(decision: Decision) -> str:
    """The facilitator preview's word on the order of a decision's options."""
    if is_shuffled(decision):
        return "Shown in the file's order; each trainee sees them shuffled."
    return "Shown in this order to every trainee (shuffle = false)."


def preview_note(option: Option, order_label: str = ORDER_LABEL) -> str:
    """The facilitator's note on an option: its verdict, or its place in the rank decision's
    order named as the decision names it (`order_label`: never a panel's unless it says so)."""
    if option.rank is not None:
        parts = [f"Place in {order_label.strip()}: {option.rank}"]
    elif option.verdict:
        parts = [VERDICT_WORDS[option.verdict]]
    else:
        parts = ["No verdict (not judged)"]
    if option.happened:
        parts.append("what was done at the time")
    if option.findings:
        parts.append("findings: " + ", ".join(option.findings))
    if option.next:
        parts.append(f"leads to {option.next}")
    return " · ".join(parts)


def decision_text(deciding: Deciding, preview: bool) -> str:
    """A decision at its first step: its place in the stage, the question, and the options."""
    decision = deciding.decision
    out = [f"Decision {deciding.number} of {deciding.of}", decision.prompt]
    how = {
        "single": "Choose one.",
        "multiple": "Choose all that apply.",
        "rank": "Put every option in order of priority.",
        "text": "Write your answer.",
    }[decision.kind]
    out.append(how)
    if decision.kind == "text":
        if preview:
            out += [f"Looks for: {c.label} ({', '.join(c.any)})" for c in decision.rubric]
        return "\n".join(out)
    if preview:
        out.append(order_note(decision))
    lines = options_lines(deciding.options, preview, decision.order_label)
    return "\n".join([*out, "", lines])


def choice_prompt(decision: Decision, others: str) -> str:
    """What to type to answer a decision."""
    count = len(decision.options)
    back = "b goes back to the stage"
    if decision.kind == "single":
        what = f"Type the number of your choice, {numbers_hint(count)}, then Enter"
    elif decision.kind == "multiple":
        what = (
            f"Type the numbers of all your choices, {numbers_hint(count)}, separated by spaces "
            "or commas, such as 1 3, then Enter"
        )
    elif decision.kind == "rank":
        example = " ".join(str(n) for n in _example_order(count))
        what = (
            f"Type all {count} numbers in order of priority, first to last, separated by "
            f"spaces, such as {example}, then Enter"
        )
    else:
        what = "Type your answer; it may take several lines, and an empty line ends it"
        back = "a first line of just b goes back to the stage"
    return f"{what} ({back}; {others})."


def _example_order(count: int) -> list[int]:
    """An example order that is not the order shown (which would look like a suggestion)."""
    return [*range(2, count + 1), 1]


def chosen_text(deciding: Deciding, choice: tuple[str, ...], text: str | None) -> str:
    """The answer being given, before it is confirmed: "You chose 2: ..." or the order, each
    option by its number as shown."""
    decision = deciding.decision
    if decision.kind == "text":
        return "You wrote:\n" + (text or "").strip()
    numbers = {o.id: n for n, o in enumerate(deciding.options, start=1)}
    by_id = {o.id: o for o in decision.options}
    if decision.kind == "rank":
        lines = ["Your order, first to last:"]
        lines += [f"{place}. ({numbers[i]}) {by_id[i].text}" for place, i in enumerate(choice, 1)]
        return "\n".join(lines)
    if len(choice) == 1:
        return f"You chose {numbers[choice[0]]}: {by_id[choice[0]].text}"
    lines = [f"You chose {len(choice)} options:"]
    lines += [f"{numbers[i]}. {by_id[i].text}" for i in choice]
    return "\n".join(lines)


def kept_answer_prompt(others: str) -> str:
    """What to type where a written answer was kept from before."""
    return (
        "Press Enter on an empty line to go on with it as it is, type more lines to add to it "
        "(an empty line ends them), or type w to write it afresh (a first line of just b goes "
        f"back to the stage; {others})."
    )


def confirm_prompt(decision: Decision) -> str:
    """The question that makes a choice count, or takes it back."""
    again = "change it" if decision.kind == "text" else "choose again"
    return f"Type y to confirm it, or b to {again}."
