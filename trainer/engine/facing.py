"""What the trainee faces next: the answer of `PlayThrough.facing()`.

Like ink's `Continue()` and `currentChoices`, one call says where the trainee
is; a player (the app, a test, a script) shows it and sends back what was
chosen. Each kind is a small frozen record:

- `Reading`: a stage's narrative and documents.
- `Deciding`: a decision, at one of its steps (choice, confidence, reason, ticks),
  with the answer drafted so far and its options in the order shown. Nothing is
  recorded until the last step.
- `Feedback`: how the last recorded answer compares with the review.
- `Outcome`: what actually happened after the stage.
- `Finished`: the end of the module (the debrief).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from trainer.engine.answer import Answer, KeptDraft
from trainer.engine.model import Decision, Option, Stage

if TYPE_CHECKING:
    from trainer.engine.scoring import Assessment


class Step(StrEnum):
    """A step of answering a decision, in the brief's order."""

    CHOICE = "choice"
    """Choose option(s), or write the answer."""
    CONFIDENCE = "confidence"
    """How sure are you? 1 to 5."""
    REASON = "reason"
    """A one-line reason, where the decision asks for one."""
    TICK = "claim"
    """A written answer compared by the trainee: tick the concepts it covered."""


def steps_of(decision: Decision) -> tuple[Step, ...]:
    """The steps a decision takes, in order: the answer, how sure, then the reason or the ticks.

    The concepts to tick come last: they show what the review weighed, which must not
    colour how sure the trainee says they are.
    """
    steps = [Step.CHOICE]
    if decision.asks_confidence:
        steps.append(Step.CONFIDENCE)
    if decision.asks_reason:
        steps.append(Step.REASON)
    if decision.claims_concepts:
        steps.append(Step.TICK)
    return tuple(steps)


@dataclass(frozen=True)
class Draft:
    """An answer being given: what the trainee has chosen and typed so far.

    Of a draft, a save keeps only the text typed (`PlayThrough.kept_draft`): a written
    answer and a reason come back on resume; a choice, a confidence or ticks do not.
    """

    decision_id: str
    step: Step = Step.CHOICE
    choice: tuple[str, ...] = ()
    text: str | None = None
    """The written answer, as typed or as submitted (a text decision)."""
    confidence: int | None = None
    reason: str | None = None
    """The one-line reason, as typed or as confirmed."""
    concepts_ticked: tuple[str, ...] | None = None
    """Concepts ticked as covered; None until the trainee has been at that step."""
    elapsed: float = 0.0
    """Seconds the decision was on the screen before `shown_at` (earlier runs of the app)."""
    shown_at: datetime | None = None
    """When the decision was shown in this run of the app, or None while it is not being
    counted (not yet shown, or the app was left): see `PlayThrough.shown`."""

    @classmethod
    def resumed(cls, kept: KeptDraft) -> Draft:
        """The draft a save kept, back at the decision's first step with its text and the
        seconds counted so far (counting starts again when the decision is shown)."""
        return cls(kept.decision_id, text=kept.text, reason=kept.reason,
                   elapsed=kept.seconds or 0.0)

    def seconds(self, now: datetime) -> float | None:
        """Seconds counted up to `now`, to a tenth; None when the decision was never shown."""
        if self.shown_at is None and not self.elapsed:
            return None
        running = 0.0 if self.shown_at is None else (now - self.shown_at).total_seconds()
        return round(self.elapsed + max(running, 0.0), 1)


@dataclass(frozen=True)
class Reading:
    """A stage to read before its decisions (or before its outcome)."""

    stage: Stage
    decisions_left: int
    """How many of the stage's decisions are still to answer."""


@dataclass(frozen=True)
class Deciding:
    """A decision at one of its steps."""

    stage: Stage
    decision: Decision
    step: Step
    draft: Draft
    number: int
    """The decision's place in its stage (1-based)."""
    of: int
    """How many decisions the stage holds."""
    suggested: tuple[str, ...] = ()
    """At the claim step: the concepts the rubric's phrases found in the answer (pre-ticked)."""
    options: tuple[Option, ...] = ()
    """The decision's options in the order shown to this trainee (shuffled per attempt unless
    the decision says `shuffle = false`): a digit pressed is a place in this order."""

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step this decision takes."""
        return steps_of(self.decision)

    @property
    def remaining(self) -> tuple[Step, ...]:
        """This step and those after it."""
        steps = self.steps
        return steps[steps.index(self.step) :]

    @property
    def last_step(self) -> bool:
        """Whether confirming this step records the answer."""
        return len(self.remaining) == 1


@dataclass(frozen=True)
class Feedback:
    """How a recorded answer compares with the review."""

    stage: Stage
    decision: Decision
    answer: Answer
    assessment: Assessment | None
    """None when the module changed under a resumed answer (the answer still stands)."""


@dataclass(frozen=True)
class Outcome:
    """What happened after the stage."""

    stage: Stage


@dataclass(frozen=True)
class Finished:
    """The module has been played to its end: the debrief is due."""


Facing = Reading | Deciding | Feedback | Outcome | Finished
