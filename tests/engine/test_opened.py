"""The record of what a trainee opened in the case file: each item once, at the stage and time
first opened, before which answers; nothing the case file does not hold yet; kept in the state."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.engine.saved import resumed, saved
from trainer.content import load_module
from trainer.engine import PlayThrough
from trainer.engine.opened import OpenedItem, opened_before
from trainer.errors import AnswerError

SAMPLE = load_module(Path(__file__).parents[1] / "fixtures" / "format3.toml")
"""Paths: referral -> home -> review ("visit"), or referral -> second-call -> home -> review."""


class Ticking:
    """A clock that moves on a minute a call."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def at_home() -> PlayThrough:
    """At the visit, having answered the first decision "visit" (the direct path)."""
    pt = PlayThrough(SAMPLE, clock=Ticking())
    return pt.respond(["visit"]).proceed()


def test_an_item_is_recorded_once_with_its_stage_time_title_and_key():
    pt = PlayThrough(SAMPLE, clock=Ticking())
    pt = pt.open_items([("document", "referral-letter"), ("chronology", "call")])
    assert pt.items_opened == (
        OpenedItem(
            "document",
            "referral-letter",
            "referral",
            "2026-11-25T09:01:00.000Z",
            0,
            "Health visitor's referral",
            True,
        ),
        OpenedItem(
            "chronology",
            "call",
            "referral",
            "2026-11-25T09:01:00.000Z",
            0,
            "2021-03-02, health visiting",
            True,
        ),
    )
    again = pt.open_item("document", "referral-letter")
    assert again is pt  # nothing new: the same play-through, nothing to save
    pt = pt.open_item("person", "mother")
    assert pt.items_opened[-1] == OpenedItem(
        "person", "mother", "referral", pt.items_opened[-1].at, 0, "Ms Kerr", False
    )
    assert pt.items_opened[-1].at > pt.items_opened[0].at


def test_an_item_opened_again_at_a_later_stage_keeps_its_first_opening():
    pt = PlayThrough(SAMPLE, clock=Ticking()).open_item("document", "gp-record")
    pt = pt.respond(["visit"]).proceed().open_item("document", "gp-record")
    assert [(i.id, i.stage, i.answers_so_far) for i in pt.items_opened] == [
        ("gp-record", "referral", 0)
    ]


def test_what_the_case_file_does_not_hold_yet_cannot_be_opened():
    pt = PlayThrough(SAMPLE, clock=Ticking())
    with pytest.raises(AnswerError, match="holds no document 'medical' here"):
        pt.open_item("document", "medical")  # from the visit, a stage later
    with pytest.raises(AnswerError, match="holds no person 'man'"):
        pt.open_item("person", "man")
    with pytest.raises(AnswerError, match="not a kind of case-file item"):
        pt.open_item("relation", "mother")
    # The second call's note is only on the path through the second call.
    with pytest.raises(AnswerError, match="second-note"):
        at_home().open_item("document", "second-note")
    assert pt.items_opened == ()


def test_a_stage_document_is_opened_by_its_case_file_id():
    pt = PlayThrough(SAMPLE, clock=Ticking()).open_item("evidence", "referral.evidence.1")
    assert pt.items_opened[0].title == "Duty log"
    with pytest.raises(AnswerError):
        pt.open_item("evidence", "referral.evidence.2")


def test_openings_say_which_answers_they_came_before():
    pt = PlayThrough(SAMPLE, clock=Ticking()).open_item("document", "gp-record")
    pt = at_home_from(pt).open_item("document", "medical")
    pt = pt.respond(["ask", "check"]).open_item("chronology", "visit")
    counts = {item.id: item.answers_so_far for item in pt.items_opened}
    assert counts == {"gp-record": 0, "medical": 1, "visit": 2}
    assert [i.id for i in opened_before(pt.items_opened, 0)] == ["gp-record"]
    assert [i.id for i in opened_before(pt.items_opened, 1)] == ["gp-record", "medical"]
    assert len(opened_before(pt.items_opened, 2)) == 3


def at_home_from(pt: PlayThrough) -> PlayThrough:
    return pt.respond(["visit"]).proceed()


def test_opening_changes_nothing_else():
    pt = at_home()
    facing = pt.facing()
    opened = pt.open_item("chronology", "visit")
    assert opened.facing() == facing
    assert (opened.answers, opened.stages_done, opened.feedback_seen) == (
        pt.answers,
        pt.stages_done,
        pt.feedback_seen,
    )


def test_the_record_is_kept_in_the_state_and_read_back():
    pt = at_home().open_items([("document", "medical"), ("person", "man")])
    state = json.loads(json.dumps(saved(pt)))
    assert state["opened"][0] == {
        "kind": "document",
        "id": "medical",
        "stage": "home",
        "at": pt.items_opened[0].at,
        "answers_so_far": 1,
        "title": "Paediatrician's report",
        "key": True,
    }
    again = resumed(SAMPLE, state)
    assert again.items_opened == pt.items_opened
    del state["opened"]  # a state from before the record was kept
    assert resumed(SAMPLE, state).items_opened == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "relation"}, "kind is 'relation'"),
        ({"id": 3}, "id should be text"),
        ({"at": "yesterday"}, "at is 'yesterday'"),
        ({"answers_so_far": -1}, "answers_so_far is -1"),
        ({"key": "yes"}, "key should be true or false"),
    ],
)
def test_a_record_out_of_place_is_refused_naming_the_key(data, message):
    good = {"kind": "document", "id": "d", "stage": "s", "at": "2026-11-25T09:00:00.000Z"}
    with pytest.raises((TypeError, ValueError), match=message):
        OpenedItem.from_data({**good, **data})
    with pytest.raises(KeyError):
        OpenedItem.from_data({k: v for k, v in good.items() if k != "stage"})
