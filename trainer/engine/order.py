"""The order a decision's options are shown in: shuffled per attempt, so that nothing is given
away by position.

A trainee who notices that the first option is usually right, or that a rank decision lists
its steps in the panel's order, can score well without reading the case. So the options of a
single, multiple or rank decision are shown in an order drawn from the attempt's registration
(a UUID) and the decision's id: the same attempt always sees the same order (a resumed attempt
too), another attempt most likely another one. A decision whose order carries meaning (a
scale, times of day) says `shuffle = false` and keeps the file's order, as does a play-through
with no seed (the facilitator preview, and scripts that play by option id).

The order is worked out from SHA-256 alone: each option's place is the digest of the seed, the
decision id and the option id, sorted. Neither `hash()` (salted per process) nor `random`
(whose shuffle may change between Python versions) is used, so a save resumed by another
Python, on another machine, shows the trainee exactly what they saw before.
"""

from __future__ import annotations

import hashlib

from trainer.engine.model import Decision, Option

SHUFFLED_KINDS = frozenset(("single", "multiple", "rank"))
"""The kinds of decision whose options are shuffled (a written answer has none)."""


def is_shuffled(decision: Decision) -> bool:
    """Whether trainees see this decision's options in an order of their own (not the file's)."""
    return decision.shuffle and decision.kind in SHUFFLED_KINDS and len(decision.options) > 1


def shown_options(decision: Decision, seed: str | None) -> tuple[Option, ...]:
    """The decision's options in the order the trainee is shown them.

    Args:
        seed: the attempt's registration; None shows the file's order.

    A rank decision is never shown in the panel's order: were the draw to give it, the
    options are turned round by one place (which, for two or more, is another order).
    """
    options = decision.options
    if seed is None or not is_shuffled(decision):
        return options
    prefix = f"{seed}\n{decision.id}\n"

    def place(option: Option) -> bytes:
        return hashlib.sha256((prefix + option.id).encode("utf-8")).digest()

    shown = tuple(sorted(options, key=place))
    if decision.kind == "rank" and tuple(o.id for o in shown) == decision.panel_order:
        shown = shown[1:] + shown[:1]
    return shown
