"""The quick reading of an answer (`plain_answer`) gives what the checked reading gives.

`Answer.from_data` takes a plain dict in one look when every value is as the app writes it,
and reads anything else value by value with `Fields`. A read-only mapping always goes the
checked way, so each case here is read both ways and the two must agree: the same answer,
or the same failure with the same message.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.engine.answer import Answer
from trainer.engine.plain_answer import plain_values

WRITTEN: dict[str, Any] = {
    "stage": "s1",
    "decision": "d1",
    "prompt": "What now?",
    "kind": "multiple",
    "choice": ["a", "b"],
    "choice_texts": ["Visit", "Call"],
    "verdict": "partial",
    "score": 0.5,
    "scored": True,
    "concepts_matched": [],
    "concepts_missed": [],
    "answered_at": "2026-11-25T09:00:01.000Z",
    "options": [
        {"id": "a", "text": "Visit", "verdict": "aligned"},
        {"id": "b", "text": "Call", "verdict": "contrary"},
    ],
    "findings": ["f1"],
    "missed_findings": [],
    "confidence": 4,
    "shown_order": ["b", "a"],
    "seconds": 12.5,
}
"""An answer as the app writes it (every kind of key present)."""


def read(data: Any) -> tuple[str, Any]:
    """What `Answer.from_data` makes of `data`: ("answer", it) or (the error's type, its
    message)."""
    try:
        return "answer", Answer.from_data(data)
    except (KeyError, TypeError, ValueError) as error:
        return type(error).__name__, str(error)


def both(data: dict[str, Any]) -> None:
    """The quick and the checked readings agree on `data`."""
    assert read(data) == read(MappingProxyType(data))


def test_an_answer_the_app_wrote_is_read_in_one_look() -> None:
    assert plain_values(WRITTEN) is not None
    both(WRITTEN)


def test_a_written_answer_from_before_not_judged_reads_as_not_judged() -> None:
    old = dict(WRITTEN, kind="text", text="I would visit.", scored=False, verdict="contrary")
    assert plain_values(old) is not None
    assert read(old)[1].verdict == ""
    assert read(old)[1].score is None
    both(old)


def test_values_in_doubt_go_the_checked_way_with_the_same_message() -> None:
    for key, value in [
        ("score", float("nan")),
        ("score", True),
        ("score", 2),
        ("confidence", 0),
        ("confidence", True),
        ("answered_at", ""),
        ("answered_at", "2026-11-31T09:00:00.000Z"),
        ("choice", ["a", 1]),
        ("choice", "a"),
        ("text", None),
        ("prompt", 3),
        ("scoring", "guess"),
        ("options", [{"id": "a", "text": "Visit"}]),
        ("options", ["a"]),
        ("seconds", -1),
    ]:
        data = dict(WRITTEN, **{key: value})
        assert plain_values(data) is None, (key, value)
        both(data)
    for key in ("stage", "decision", "kind", "verdict", "score"):
        data = {k: v for k, v in WRITTEN.items() if k != key}
        both(data)


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 7),
    st.floats(allow_nan=True),
    st.sampled_from(["", "a", "aligned", "partial", "text", "rank", "self", "phrases", "none"]),
    st.sampled_from(["2026-11-25T09:00:01.000Z", "2026-02-30T09:00:01.000Z"]),
    st.lists(st.sampled_from(["a", "b", ""]), max_size=3),
    st.lists(st.one_of(st.text(max_size=2), st.integers()), max_size=2),
    st.lists(
        st.fixed_dictionaries(
            {"id": st.sampled_from(["a", 1]), "text": st.just("T")},
            optional={"verdict": st.sampled_from(["aligned", "", "maybe"])},
        ),
        max_size=2,
    ),
)


@settings(max_examples=1500, deadline=None)
@given(
    changes=st.dictionaries(
        st.sampled_from(
            sorted(
                {
                    *WRITTEN,
                    "text",
                    "reflection",
                    "happened",
                    "scoring",
                    "panel_order",
                    "concepts_claimed",
                }
            )
        ),
        VALUES,
        max_size=4,
    ),
    dropped=st.sets(st.sampled_from(sorted(WRITTEN)), max_size=3),
)
def test_any_answer_reads_the_same_both_ways(changes: dict[str, Any], dropped: set[str]) -> None:
    data = {k: v for k, v in {**WRITTEN, **changes}.items() if k not in dropped}
    both(data)
