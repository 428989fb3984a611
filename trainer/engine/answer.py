"""A recorded answer: what was asked, what the trainee answered, and how it compared.

An answer carries everything the exports need, so a folder of saves can be
reported on without the module files. Whether it was judged is recorded in
the answer itself: a not-judged answer has an empty verdict and no score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NOT_JUDGED = ""
"""The verdict recorded for an answer that is not compared with the review."""


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
    reflection: str | None = None
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
        """Plain data for a save file (no None values: TOML has no null)."""
        data: dict[str, Any] = {
            "stage": self.stage_id,
            "decision": self.decision_id,
            "prompt": self.prompt,
            "kind": self.kind,
            "choice": list(self.choice),
            "choice_texts": list(self.choice_texts),
            "verdict": self.verdict,
        }
        if self.score is not None:
            data["score"] = self.score
        data.update(
            {
                "scored": self.scored,
                "concepts_matched": list(self.concepts_matched),
                "concepts_missed": list(self.concepts_missed),
                "answered_at": self.answered_at,
                "options": [{"id": i, "text": t, "verdict": v} for i, t, v in self.options],
                "findings": list(self.findings),
                "missed_findings": list(self.missed_findings),
            }
        )
        if self.text is not None:
            data["text"] = self.text
        if self.reflection is not None:
            data["reflection"] = self.reflection
        if self.confidence is not None:
            data["confidence"] = self.confidence
        if self.concepts_claimed:
            data["concepts_claimed"] = list(self.concepts_claimed)
        if self.panel_order:
            data["panel_order"] = list(self.panel_order)
        if self.happened is not None:
            data["happened"] = self.happened
        if self.scoring is not None:
            data["scoring"] = self.scoring
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Answer:
        """Read an answer back from plain data; KeyError/TypeError/ValueError if malformed.

        A written answer recorded before "not judged" existed, with no rubric concepts
        at all, was never compared with anything: it reads back as not judged.
        """
        confidence = data.get("confidence")
        text = data.get("text")
        reflection = data.get("reflection")
        happened = data.get("happened")
        score = data.get("score")
        kind = _str(data["kind"])
        verdict = _str(data["verdict"])
        matched = _strs(data.get("concepts_matched", []))
        missed = _strs(data.get("concepts_missed", []))
        claimed = _strs(data.get("concepts_claimed", []))
        scored = _bool(data.get("scored", True))
        if kind == "text" and not scored and not matched and not missed and not claimed:
            verdict, score = NOT_JUDGED, None
        if verdict == NOT_JUDGED:
            score = None
        elif score is None:
            raise KeyError("score")
        return cls(
            stage_id=_str(data["stage"]),
            decision_id=_str(data["decision"]),
            prompt=_str(data.get("prompt", "")),
            kind=kind,
            choice=_strs(data.get("choice", [])),
            choice_texts=_strs(data.get("choice_texts", [])),
            text=None if text is None else _str(text),
            reflection=None if reflection is None else _str(reflection),
            confidence=None if confidence is None else _int(confidence),
            verdict=verdict,
            score=None if score is None else _float(score),
            scored=scored,
            concepts_matched=matched,
            concepts_missed=missed,
            answered_at=_str(data.get("answered_at", "")),
            options=tuple(
                (_str(o["id"]), _str(o["text"]), _str(o["verdict"]))
                for o in _check_list(data.get("options", []))
            ),
            findings=_strs(data.get("findings", [])),
            missed_findings=_strs(data.get("missed_findings", [])),
            concepts_claimed=claimed,
            panel_order=_strs(data.get("panel_order", [])),
            happened=None if happened is None else _str(happened),
            scoring=None if data.get("scoring") is None else _str(data["scoring"]),
        )


def _check_list(value: Any) -> list[Any] | tuple[Any, ...]:
    if not isinstance(value, list | tuple):
        raise TypeError(f"expected a list, found {type(value).__name__}")
    return value


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(_str(x) for x in _check_list(value))


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, found {type(value).__name__}")
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, found {type(value).__name__}")
    return float(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, found {type(value).__name__}")
    return value
