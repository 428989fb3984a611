"""A corpus of corrupt saves: each a good tutorial save with one thing wrong.

Every kind here must be refused by `read_save` with one plain line, skipped with a
warning by the cohort commands, and moved aside (kept) when the app opens it. A save
with a UTF-8 byte-order mark is not corrupt: it is `TOLERATED`, and reads as the save
without the mark.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import tomli_w

from tests.cohort.conftest import TUTORIAL, attempt_from
from trainer.content import load_module
from trainer.saves import LearnerInfo, ModuleInfo, SaveFile

Data = dict[str, Any]


def good_data(learner_id: str = "corpus", name: str = "Corpus Learner") -> Data:
    """A finished, two-attempt tutorial save as the app writes it, as plain data."""
    module = load_module(TUTORIAL)
    start = datetime(2026, 10, 3, 9, 0, tzinfo=UTC)
    attempts = [
        attempt_from("branch", 1, start),
        attempt_from("aligned", 2, start.replace(hour=11)),
    ]
    return SaveFile(LearnerInfo(learner_id, name, "autumn"), ModuleInfo.of(module), attempts).to_data()


def dumps(data: Data) -> bytes:
    return tomli_w.dumps(data, multiline_strings=True).encode("utf-8")


def _answer(data: Data, attempt: int = 0, index: int = 0) -> Data:
    return data["attempts"][attempt]["answers"][index]


def _change(edit: Callable[[Data], object]) -> Callable[[Data], bytes]:
    def build(data: Data) -> bytes:
        data = copy.deepcopy(data)
        edit(data)
        return dumps(data)

    return build


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Data], bytes]:
    def edit(data: Data) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return _change(edit)


def _drop(path: tuple[Any, ...]) -> Callable[[Data], bytes]:
    def edit(data: Data) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return _change(edit)


def _text(edit: Callable[[str], str]) -> Callable[[Data], bytes]:
    return lambda data: edit(dumps(data).decode("utf-8")).encode("utf-8")


def _swap_attempt_numbers(data: Data) -> None:
    data["attempts"][0]["number"], data["attempts"][1]["number"] = 2, 1


ANSWER = ("attempts", 0, "answers", 0)
"""The first answer of the first attempt: a judged single choice with a confidence."""
ATTEMPT = ("attempts", 0)
DEEP = "[" * 200 + '"x"' + "]" * 200

CORPUS: dict[str, Callable[[Data], bytes]] = {
    # numbers out of range, or not numbers at all
    "score-nan": _set((*ANSWER, "score"), float("nan")),
    "score-inf": _set((*ANSWER, "score"), float("inf")),
    "score-minus-inf": _set((*ANSWER, "score"), float("-inf")),
    "score-negative": _set((*ANSWER, "score"), -0.5),
    "score-above-one": _set((*ANSWER, "score"), 1.5),
    "score-huge-int": _set((*ANSWER, "score"), 10**18),
    "score-text": _set((*ANSWER, "score"), "1.0"),
    "attempt-score-nan": _set((*ATTEMPT, "score"), float("nan")),
    "attempt-score-two": _set((*ATTEMPT, "score"), 2),
    "confidence-99": _set((*ANSWER, "confidence"), 99),
    "confidence-zero": _set((*ANSWER, "confidence"), 0),
    "confidence-fraction": _set((*ANSWER, "confidence"), 3.5),
    "confidence-text": _set((*ANSWER, "confidence"), "4"),
    "confidence-bool": _set((*ANSWER, "confidence"), True),
    # enumerated values
    "verdict-unknown": _set((*ANSWER, "verdict"), "maybe"),
    "verdict-markup": _set((*ANSWER, "verdict"), 'x"/><script>alert(1)</script>'),
    "option-verdict-markup": _set(
        (*ANSWER, "options", 0, "verdict"), 'x"/><script>alert(1)</script><rect class="'
    ),
    "kind-unknown": _set((*ANSWER, "kind"), "essay"),
    "scoring-unknown": _set(("attempts", 1, "answers", 3, "scoring"), "vibes"),
    "voice-unknown": _set(("module", "findings", 0, "voice"), "shouting"),
    "format-2": _set(("format",), 2),
    "format-99": _set(("format",), 99),
    "format-text": _set(("format",), "1"),
    "format-true": _set(("format",), True),
    "format-missing": _drop(("format",)),
    # times
    "started-empty": _set((*ATTEMPT, "started_at"), ""),
    "started-yesterday": _set((*ATTEMPT, "started_at"), "yesterday"),
    "started-missing": _drop((*ATTEMPT, "started_at")),
    "started-impossible-date": _set((*ATTEMPT, "started_at"), "2026-13-45T25:61:00.000Z"),
    "started-local-time": _set((*ATTEMPT, "started_at"), "2026-10-03T09:00:00+01:00"),
    "started-toml-datetime": _text(
        lambda t: t.replace('started_at = "2026-10-03T09:00:00.000Z"', "started_at = 2026-10-03T09:00:00Z")
    ),
    "finished-soon": _set((*ATTEMPT, "finished_at"), "soon"),
    "answered-yesterday": _set((*ANSWER, "answered_at"), "yesterday"),
    "answered-empty": _set((*ANSWER, "answered_at"), ""),
    "answered-with-newline": _set((*ANSWER, "answered_at"), "2026-10-03T09:01:01.000Z\n"),
    # attempts and counts
    "registration-not-uuid": _set((*ATTEMPT, "registration"), "not-a-uuid"),
    "registration-missing": _drop((*ATTEMPT, "registration")),
    "attempt-number-zero": _set((*ATTEMPT, "number"), 0),
    "attempt-number-negative": _set((*ATTEMPT, "number"), -1),
    "attempt-number-huge": _set((*ATTEMPT, "number"), 9_000_000_000_000_000_000),
    "attempts-out-of-order": _change(_swap_attempt_numbers),
    "attempts-same-number": _set(("attempts", 1, "number"), 1),
    "decisions-negative": _set(("module", "decisions"), -1),
    "decisions-huge": _set(("module", "decisions"), 10**18),
    # missing keys and wrong types
    "learner-missing": _drop(("learner",)),
    "learner-name-missing": _drop(("learner", "name")),
    "learner-id-empty": _set(("learner", "id"), ""),
    "module-missing": _drop(("module",)),
    "module-id-number": _set(("module", "id"), 7),
    "attempts-a-table": _set(("attempts",), {"number": 1}),
    "answers-text": _set((*ATTEMPT, "answers"), "none"),
    "answer-text": _set((*ATTEMPT, "answers"), ["an answer"]),
    "choice-numbers": _set((*ANSWER, "choice"), [1, 2]),
    "scored-text": _set((*ANSWER, "scored"), "yes"),
    "judged-without-score": _drop((*ANSWER, "score")),
    "stage-missing": _drop((*ANSWER, "stage")),
    "feedback-seen-text": _set((*ATTEMPT, "feedback_seen"), "all"),
    "draft-a-text": _set((*ATTEMPT, "draft"), "half an answer"),
    "draft-decision-missing": _set((*ATTEMPT, "draft"), {"text": "half an answer"}),
    "draft-text-a-number": _set((*ATTEMPT, "draft"), {"decision": "differently", "text": 7}),
    "draft-reason-a-list": _set((*ATTEMPT, "draft"), {"decision": "x", "reason": ["a"]}),
    "draft-huge": _set((*ATTEMPT, "draft"), {"decision": "differently", "text": "x" * 100_001}),
    "deep-nesting": _text(lambda t: t.replace('choice = [\n    "advice-only",\n]', f"choice = {DEEP}", 1)),
    # not a save at all
    "empty": lambda data: b"",
    "not-toml": lambda data: b"format = 1\n[learner\nname = 'x'\n",
    "not-utf8": lambda data: dumps(data) + b"# \xff\xfe\n",
    "utf16": lambda data: dumps(data).decode("utf-8").encode("utf-16"),
    "nul-bytes": lambda data: b"\x00" * 64,
    "nested-too-deep": lambda data: b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "bom-then-garbage": lambda data: b"\xef\xbb\xbfnot = [toml",
}
"""Each kind of corrupt save, built from a good save's data."""

TOLERATED: dict[str, Callable[[Data], bytes]] = {
    "utf8-bom": lambda data: b"\xef\xbb\xbf" + dumps(data),
}
"""Saves that look odd but are read, as the save without the oddity."""
