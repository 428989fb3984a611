"""Reading what a trainee types: option numbers, an order, the points a written answer covered.

Numbers are typed on one line, separated by spaces, commas or semicolons (`1 3`, `3,1,2`).
Each function gives what the answer means, or a plain sentence saying what is wrong with
it, which plain mode says back before asking again. Nothing here decides whether an answer
fits the decision beyond reading it: the engine does that when the move is made.
"""

from __future__ import annotations

import re

from trainer.engine import Deciding, Decision
from trainer.plain.screens import numbers_hint

_SEPARATORS = re.compile(r"[\s,;]+")


def numbers_in(answer: str) -> list[str]:
    """The words of an answer typed as numbers, "1 3", "1,3" or "1, 3"."""
    return [word for word in _SEPARATORS.split(answer) if word]


def read_numbers(answer: str, count: int, what: str) -> list[int] | str:
    """The numbers typed, each from 1 to `count` and none twice; or what is wrong, in words."""
    words = numbers_in(answer)
    if not words:
        return f"Nothing is chosen yet: type {numbers_hint(count)}."
    numbered = f"the {what}s are numbered {numbers_hint(count)}"
    numbers: list[int] = []
    for word in words:
        if not (word.isascii() and word.isdigit()):
            return f"Not a number: {word!r}; {numbered}."
        number = int(word)
        if not 1 <= number <= count:
            return f"There is no {number} here: {numbered}."
        if number in numbers:
            return f"{number} is typed twice: type each number once."
        numbers.append(number)
    return numbers


def read_choice(deciding: Deciding, answer: str) -> tuple[str, ...] | str:
    """The option ids an answer names, by their numbers as shown (`Deciding.options`), in the
    order typed; or what is wrong with it."""
    decision = deciding.decision
    count = len(deciding.options)
    read = read_numbers(answer, count, "option")
    if isinstance(read, str):
        return read
    if decision.kind == "single" and len(read) > 1:
        return f"Choose one only: type one number, {numbers_hint(count)}."
    if decision.kind == "rank" and len(read) < count:
        missing = [str(n) for n in range(1, count + 1) if n not in read]
        return (
            f"Every option needs a place: {len(read)} of {count} are placed, "
            f"{', '.join(missing)} not yet. Type all {count} numbers in order."
        )
    return tuple(deciding.options[n - 1].id for n in read)


def read_claim(decision: Decision, answer: str) -> tuple[str, ...] | str:
    """The concepts ticked as covered (none is an answer too); or what is wrong."""
    count = len(decision.rubric)
    if answer.lower() == "none":
        return ()
    if not answer:
        return (
            f"Type the numbers of the points your answer covered, {numbers_hint(count)}, "
            "or none."
        )
    read = read_numbers(answer, count, "point")
    if isinstance(read, str):
        return read
    return tuple(decision.rubric[n - 1].id for n in read)
