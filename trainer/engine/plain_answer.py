"""An answer read from a save in one look, when every value is plainly as the app writes it.

`Answer.from_data` checks each value with `Fields`, which says what is wrong with a value
that is; a cohort command reads tens of thousands of answers, nearly all written by the
app. `plain_values` takes such an answer with plain type and range tests and gives the very
values the checked reading would; at the first value in any doubt it gives None, and the
checked reading decides (and words the failure). The verdicts and limits an answer is read
against live here, below `answer`, which names them too.
"""

from __future__ import annotations

from typing import Any

from trainer.engine.fields import is_utc_time
from trainer.engine.vocabulary import DECISION_KINDS, SCORINGS, VERDICTS

NOT_JUDGED = ""
"""The verdict recorded for an answer that is not compared with the review."""

ANSWER_VERDICTS: tuple[str, ...] = (*VERDICTS, NOT_JUDGED)
"""Every verdict an answer or one of its options may record: "" is not judged."""

MAX_SECONDS = 10.0**9
"""More seconds than any decision is open for (some thirty years): a save holding more is
not one the app wrote."""

_LISTS = (
    "choice",
    "choice_texts",
    "concepts_matched",
    "concepts_missed",
    "findings",
    "missed_findings",
    "concepts_claimed",
    "panel_order",
    "shown_order",
)
"""The keys (and the answer's fields) that hold lists of text; absent is empty."""
_TEXTS = (
    ("stage", "stage_id", False),
    ("decision", "decision_id", False),
    ("prompt", "prompt", ""),
    ("text", "text", None),
    ("reflection", "reason", None),
    ("happened", "happened", None),
)
"""The save's keys that hold text, the answer's fields, and each one's value when absent
(False: the key is required)."""


def plain_values(data: dict[str, Any]) -> dict[str, Any] | None:
    """The `Answer` fields `Answer.from_data` reads from `data`, when every value is plainly
    as the app writes it; None when any is not."""
    values: dict[str, Any] = {}
    if not (_texts(data, values) and _lists(data, values) and _scalars(data, values)):
        return None
    options = _options(data.get("options", []))
    if options is None:
        return None
    values["options"] = options
    return values


def _texts(data: dict[str, Any], values: dict[str, Any]) -> bool:
    """The texts into `values`; False if one is missing where required, or not text."""
    for key, field, absent in _TEXTS:
        if key in data:
            value = data[key]
            if type(value) is not str:
                return False
            values[field] = value
        elif absent is False:
            return False
        else:
            values[field] = absent
    return True


def _lists(data: dict[str, Any], values: dict[str, Any]) -> bool:
    """The lists of text into `values` as tuples; False if one is not a list of text."""
    for key in _LISTS:
        if key not in data:
            values[key] = ()
            continue
        value = data[key]
        if type(value) is not list:
            return False
        for item in value:
            if type(item) is not str:
                return False
        values[key] = tuple(value)
    return True


def _scalars(data: dict[str, Any], values: dict[str, Any]) -> bool:
    """Kind, verdict, score, scored, confidence, answered_at, scoring and seconds into
    `values`, as the checked reading gives them; False if any is in doubt."""
    return _judgement(data, values) and _extras(data, values)


def _judgement(data: dict[str, Any], values: dict[str, Any]) -> bool:
    """Kind, verdict, score and scored into `values`; False if any is in doubt."""
    kind, verdict = data.get("kind"), data.get("verdict")
    scored = data.get("scored", True)
    if kind not in DECISION_KINDS or verdict not in ANSWER_VERDICTS or type(scored) is not bool:
        return False
    score = _number(data, "score", 1.0)
    if score is False:
        return False
    if kind == "text" and not (scored or _any_concepts(values)):
        verdict = NOT_JUDGED  # written before "not judged" existed, compared with nothing
    if verdict == NOT_JUDGED:
        score = None
    elif score is None:
        return False  # the checked reading reports the missing score
    values.update(kind=kind, verdict=verdict, score=score, scored=scored)
    return True


def _extras(data: dict[str, Any], values: dict[str, Any]) -> bool:
    """Confidence, answered_at, scoring and seconds into `values`; False if any is in
    doubt."""
    confidence, scoring = data.get("confidence"), data.get("scoring")
    if confidence is not None and (type(confidence) is not int or not 1 <= confidence <= 5):
        return False
    if scoring is not None and scoring not in SCORINGS:
        return False
    seconds = _number(data, "seconds", MAX_SECONDS)
    answered_at = _time(data, "answered_at")
    if seconds is False or answered_at is None:
        return False
    values.update(confidence=confidence, answered_at=answered_at, scoring=scoring, seconds=seconds)
    return True


def _any_concepts(values: dict[str, Any]) -> bool:
    """Whether the answer names any rubric concept, matched, missed or claimed."""
    return bool(
        values["concepts_matched"] or values["concepts_missed"] or values["concepts_claimed"]
    )


def _number(data: dict[str, Any], key: str, high: float) -> float | None | bool:
    """A number from 0 to `high` as a float, None when absent, False when in doubt."""
    if key not in data:
        return None
    value = data[key]
    if (type(value) is float or type(value) is int) and 0.0 <= value <= high:
        return float(value)
    return False


def _time(data: dict[str, Any], key: str) -> str | None:
    """A UTC time as `format_time` writes it, "" when absent, None when in doubt."""
    if key not in data:
        return ""
    value = data[key]
    if type(value) is not str or not is_utc_time(value):
        return None
    return value


def _options(items: Any) -> tuple[tuple[str, str, str], ...] | None:
    """The options as (id, text, verdict); None if any is not plainly so."""
    if type(items) is not list:
        return None
    options = []
    for item in items:
        if type(item) is not dict:
            return None
        id_, text, verdict = item.get("id"), item.get("text"), item.get("verdict")
        if type(id_) is not str or type(text) is not str or verdict not in ANSWER_VERDICTS:
            return None
        options.append((id_, text, verdict))
    return tuple(options)
