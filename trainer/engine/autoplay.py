"""Playing a module by script: the one play loop that tests, the walker, the demo saves and the
benchmarks share, over the same moves the app makes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from trainer.engine.facing import Deciding, Feedback, Finished, Outcome, Reading
from trainer.engine.playthrough import PlayThrough


@dataclass(frozen=True)
class Response:
    """A scripted answer to one decision: what to give at each step it asks for."""

    choice: Sequence[str] = ()
    text: str | None = None
    confidence: int | None = None
    reason: str | None = None
    concepts_ticked: Sequence[str] | None = None
    """What to tick as covered after a written answer compared by the trainee; None ticks just
    what the rubric's phrases suggest."""


Answerer = Callable[[Deciding], Response | None]
"""Gives the answer to a decision, or None to stop there (the attempt left unfinished)."""


def play(pt: PlayThrough, answerer: Answerer) -> PlayThrough:
    """Play on from wherever `pt` is: read each stage, answer each decision through `answerer`,
    move past each feedback and outcome, until the end or until `answerer` returns None.
    """
    while True:
        facing = pt.facing()
        if isinstance(facing, Finished):
            return pt
        if isinstance(facing, Reading):
            pt = pt.finish_reading()
        elif isinstance(facing, Deciding):
            response = answerer(facing)
            if response is None:
                return pt
            pt = pt.respond(
                response.choice,
                response.text,
                response.confidence,
                response.reason,
                response.concepts_ticked,
            )
        elif isinstance(facing, Feedback | Outcome):
            pt = pt.proceed()
