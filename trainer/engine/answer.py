"""A recorded answer: what was asked, what the trainee answered, and how it compared.

An answer carries everything the exports need, so a folder of saves can be
reported on without the module files. Whether it was judged is recorded in
the answer itself: a not-judged answer has an empty verdict and no score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from trainer.engine.fields import Fields, describe, is_utc_time, shown
from trainer.engine.model import DECISION_KINDS, SCORINGS
from trainer.engine.plain_answer import ANSWER_VERDICTS, MAX_SECONDS, NOT_JUDGED, plain_values

__all__ = [
    "ANSWER_VERDICTS",
    "MAX_DRAFT_CHARS",
    "MAX_SECONDS",
    "NOT_JUDGED",
    "Answer",
    "Fields",
    "KeptDraft",
    "describe",
    "is_utc_time",
    "shown",
]
# `Fields`, `describe`, `is_utc_time` and `shown` are `trainer.engine.fields`'; they are named
# here too because the save format and the validator import them from this module.


@dataclass(frozen=True)
class Answer:
    """One recorded answer: what was asked, what was answered, and how it compared."""

    stage_id: str
    decision_id: str
    prompt: str
    kind: str
    choice: tuple[str, ...] = ()
    choice_texts: tuple[str, ...] = ()
    text: str | None = None
    reason: str | None = None
    confidence: int | None = None
    verdict: str = NOT_JUDGED
    """"aligned", "partial", "contrary", or "" when the answer is not judged."""
    score: float | None = None
    """0..1, or None when the answer is not judged."""
    scored: bool = True
    concepts_matched: tuple[str, ...] = ()
    concepts_missed: tuple[str, ...] = ()
    answered_at: str = ""
    options: tuple[tuple[str, str, str], ...] = ()
    """Every option the decision offered, as (id, text, verdict): exports need no module."""
    findings: tuple[str, ...] = ()
    """Ids of the findings shown with the feedback."""
    missed_findings: tuple[str, ...] = ()
    """Ids of findings behind aligned options left out, or behind concepts missed."""
    concepts_claimed: tuple[str, ...] = ()
    """Concepts the trainee ticked as covered (written answers compared by the trainee)."""
    panel_order: tuple[str, ...] = ()
    """A rank decision: the option ids in the review panel's order (`choice` is the trainee's)."""
    happened: str | None = None
    """The id of the option marked as what was done at the time, if the decision marks one."""
    scoring: str | None = None
    """How a written answer was compared: "self" (the trainee's ticks), "phrases" or "none";
    None for other kinds, and in saves made before this was recorded."""
    shown_order: tuple[str, ...] = ()
    """A choice or rank decision: its option ids in the order the trainee was shown them (the
    digits they pressed were places in it); empty for a written answer, and in saves made
    before the order was shuffled (those were shown in the file's order)."""
    seconds: float | None = None
    """Seconds from the decision first shown to the answer confirmed, to a tenth, time the app
    was not running left out (`PlayThrough.shown`, `PlayThrough.left`); None in saves made
    before this was kept, and where the decision was never marked shown."""

    @property
    def chose_what_happened(self) -> bool | None:
        """Whether the answer included what was done at the time; None if nothing is marked."""
        if self.happened is None or self.kind == "rank":  # a rank answer places every option
            return None
        return self.happened in self.choice

    @property
    def judged(self) -> bool:
        """Whether the answer was compared with the review (it has a verdict)."""
        return self.verdict != NOT_JUDGED

    @property
    def counts(self) -> bool:
        """Whether the answer counts towards the module score: judged and scored."""
        return self.judged and self.scored and self.score is not None

    def to_data(self) -> dict[str, Any]:
        """Plain data for a save file (no None values: TOML has no null), in the save's key
        order; the lists of `_LISTED_WHEN_EMPTY` are written even when empty."""
        data: dict[str, Any] = {
            "stage": self.stage_id,
            "decision": self.decision_id,
            "prompt": self.prompt,
            "kind": self.kind,
            "choice": list(self.choice),
            "choice_texts": list(self.choice_texts),
            "verdict": self.verdict,
            "score": self.score,
            "scored": self.scored,
            "concepts_matched": list(self.concepts_matched),
            "concepts_missed": list(self.concepts_missed),
            "answered_at": self.answered_at,
            "options": [{"id": i, "text": t, "verdict": v} for i, t, v in self.options],
            "findings": list(self.findings),
            "missed_findings": list(self.missed_findings),
            "text": self.text,
            "reflection": self.reason,
            "confidence": self.confidence,
            "concepts_claimed": list(self.concepts_claimed),
            "panel_order": list(self.panel_order),
            "happened": self.happened,
            "scoring": self.scoring,
            "shown_order": list(self.shown_order),
            "seconds": self.seconds,
        }
        return {
            key: value
            for key, value in data.items()
            if value is not None and (value != [] or key in _LISTED_WHEN_EMPTY)
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Answer:
        """Read an answer back from plain data, checking every value as it is read.

        Raises KeyError (a key is missing), TypeError (a value of the wrong type) or
        ValueError (a value out of its range: a verdict, kind or scoring not among those
        written, a score outside 0 to 1 or not finite, a confidence outside 1 to 5, a time
        not in the form `format_time` writes). Each message names the key.

        A written answer recorded before "not judged" existed, with no rubric concepts
        at all, was never compared with anything: it reads back as not judged.
        """
        # A save the app wrote passes every check: a cohort command reads tens of thousands
        # of answers, so those are taken in one look; anything else, and anything in doubt,
        # goes the checked way, which says what is wrong.
        values = plain_values(data) if type(data) is dict else None
        if values is not None:
            return cls(**values)
        return cls._read_checked(data)

    @classmethod
    def _read_checked(cls, data: Mapping[str, Any]) -> Answer:
        """`from_data` value by value, each failure worded by `Fields`."""
        fields = Fields(data)
        kind = fields.one_of("kind", DECISION_KINDS)
        verdict = fields.one_of("verdict", ANSWER_VERDICTS)
        score = fields.number("score", 0.0, 1.0)
        matched = fields.texts("concepts_matched")
        missed = fields.texts("concepts_missed")
        concepts_ticked = fields.texts("concepts_claimed")
        scored = fields.flag("scored", True)
        if kind == "text" and not scored and not matched and not missed and not concepts_ticked:
            verdict, score = NOT_JUDGED, None
        if verdict == NOT_JUDGED:
            score = None
        elif score is None:
            raise KeyError("score")
        answered_at = fields.time("answered_at")
        return cls(
            stage_id=fields.text("stage"),
            decision_id=fields.text("decision"),
            prompt=fields.text("prompt", ""),
            kind=kind,
            choice=fields.texts("choice"),
            choice_texts=fields.texts("choice_texts"),
            text=fields.optional_text("text"),
            reason=fields.optional_text("reflection"),
            confidence=fields.whole("confidence", 1, 5, None),
            verdict=verdict,
            score=score,
            scored=scored,
            concepts_matched=matched,
            concepts_missed=missed,
            answered_at="" if answered_at is None else answered_at,
            options=tuple(_option(i, o) for i, o in enumerate(fields.tables("options"), 1)),
            findings=fields.texts("findings"),
            missed_findings=fields.texts("missed_findings"),
            concepts_claimed=concepts_ticked,
            panel_order=fields.texts("panel_order"),
            happened=fields.optional_text("happened"),
            scoring=fields.one_of("scoring", SCORINGS, None),
            shown_order=fields.texts("shown_order"),
            seconds=fields.number("seconds", 0.0, MAX_SECONDS),
        )


_LISTED_WHEN_EMPTY = frozenset(
    {
        "choice",
        "choice_texts",
        "concepts_matched",
        "concepts_missed",
        "options",
        "findings",
        "missed_findings",
    }
)
"""The lists an answer's save data holds even when empty (the others are left out then)."""

MAX_DRAFT_CHARS = 100_000
"""The most characters a draft's text or reason may hold: some forty pages, more than any
answer needs. A save keeps no more, and a save that holds more is not one the app wrote."""


@dataclass(frozen=True)
class KeptDraft:
    """What a save keeps of an answer being given: the text typed and not yet confirmed.

    Only typed text is kept (a written answer, a one-line reason), never a choice. It is
    never an answer: exports, progress, the report and peers read `Answer`s alone.
    """

    decision_id: str
    text: str | None = None
    """The written answer as typed (a text decision), or None."""
    reason: str | None = None
    """The one-line reason as typed (where the decision asks for one), or None."""
    seconds: float | None = None
    """Seconds the decision had been on the screen when the app was last left (counted on
    from there on resume), or None when none were counted."""

    @property
    def typed(self) -> bool:
        """Whether it keeps text typed (not only the time counted)."""
        return self.text is not None or self.reason is not None

    def to_data(self) -> dict[str, Any]:
        """Plain data for a save file (absent keys for what was not typed)."""
        data: dict[str, Any] = {"decision": self.decision_id}
        if self.text is not None:
            data["text"] = self.text
        if self.reason is not None:
            data["reason"] = self.reason
        if self.seconds is not None:
            data["seconds"] = self.seconds
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> KeptDraft:
        """Read a draft back, checking every value as an answer's are.

        Raises KeyError (no decision), TypeError (a value that is not text) or ValueError
        (a text longer than `MAX_DRAFT_CHARS`). Control characters are kept as typed:
        whatever shows a draft shows it safe, as it does an answer's text.
        """
        fields = Fields(data)
        decision_id = fields.text("decision")
        typed = [fields.optional_text("text"), fields.optional_text("reason")]
        for key, value in zip(("text", "reason"), typed, strict=True):
            if value is not None and len(value) > MAX_DRAFT_CHARS:
                raise ValueError(
                    f"{key} is {len(value):,} characters long; a draft holds at most "
                    f"{MAX_DRAFT_CHARS:,}"
                )
        return cls(decision_id, typed[0], typed[1], fields.number("seconds", 0.0, MAX_SECONDS))


def _option(index: int, data: Any) -> tuple[str, str, str]:
    """One offered option as (id, text, verdict); a failure says which option."""
    try:
        fields = Fields(data)
        return (fields.text("id"), fields.text("text"), fields.one_of("verdict", ANSWER_VERDICTS))
    except KeyError as error:
        raise ValueError(f"option {index}: the key {error.args[0]!r} is missing") from None
    except (TypeError, ValueError) as error:
        raise type(error)(f"option {index}: {error}") from None
