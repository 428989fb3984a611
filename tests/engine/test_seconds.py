"""The seconds each answer took: from the decision first shown to the answer confirmed, the
time the app was not running left out; kept in the draft across a quit; read back tolerant of
saves made before they were kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.engine.saved import resumed, saved
from trainer.content import load_module
from trainer.engine import Answer, PlayThrough
from trainer.engine.answer import KeptDraft
from trainer.paths import shipped_modules_dir

SAMPLE = load_module(Path(__file__).parents[1] / "fixtures" / "format3.toml")
TUTORIAL = load_module(shipped_modules_dir() / "tutorial-riverside.toml")
"""Its first decision asks for confidence and a reason."""


class Clock:
    """A clock moved on by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_the_seconds_run_from_the_decision_shown_to_the_answer_confirmed():
    clock = Clock()
    pt = PlayThrough(SAMPLE, clock=clock).finish_reading()
    clock.wait(300)  # reading the stage is not the decision's time
    pt = pt.shown()
    clock.wait(20)
    pt = pt.shown()  # shown again (back from the case file, say): still counting from before
    clock.wait(22.46)
    pt = pt.respond(["visit"])
    assert pt.answers[0].seconds == 42.5
    assert pt.answers[0].to_data()["seconds"] == 42.5


def test_a_decision_never_marked_shown_has_no_seconds():
    pt = PlayThrough(SAMPLE, clock=Clock()).respond(["visit"])
    assert pt.answers[0].seconds is None
    assert "seconds" not in pt.answers[0].to_data()


def test_the_time_the_app_was_left_is_not_counted_and_the_seconds_so_far_are_kept():
    clock = Clock()
    pt = PlayThrough(SAMPLE, clock=clock).finish_reading().shown()
    clock.wait(10)
    pt = pt.left()
    assert pt.kept_draft == KeptDraft("first", seconds=10.0)
    assert not pt.kept_draft.typed
    state = saved(pt)
    assert state["draft"] == {"decision": "first", "seconds": 10.0}
    clock.wait(86_400)  # a day away
    again = resumed(SAMPLE, state, clock)
    clock.wait(600)  # back at the stage's text: the decision is not yet shown
    assert again.shown() is again
    again = again.finish_reading().shown()
    clock.wait(5)
    again = again.respond(["visit"])
    assert again.answers[0].seconds == 15.0


def test_leaving_twice_or_with_nothing_counting_changes_nothing():
    clock = Clock()
    pt = PlayThrough(SAMPLE, clock=clock)
    assert pt.left() is pt and pt.shown() is pt  # at the stage's text: nothing to count
    pt = pt.finish_reading().shown()
    clock.wait(3)
    left = pt.left()
    clock.wait(50)
    assert left.left() is left
    assert left.kept_draft is not None and left.kept_draft.seconds == 3.0


def test_writes_while_counting_do_not_change_the_kept_draft():
    clock = Clock()
    pt = PlayThrough(SAMPLE, clock=clock).finish_reading().shown()
    clock.wait(30)
    assert pt.kept_draft is None  # only the seconds banked on leaving are kept


def test_text_typed_and_seconds_are_kept_together():
    clock = Clock()
    pt = PlayThrough(TUTORIAL, clock=clock).finish_reading().shown()
    facing = pt.facing()
    pt = pt.choose([facing.options[0].id]).rate(3)
    pt = pt.typed("because").shown()
    clock.wait(7.25)
    kept = pt.left().kept_draft
    assert kept == KeptDraft(facing.decision.id, reason="because", seconds=7.2)
    assert KeptDraft.from_data(kept.to_data()) == kept


def test_saves_from_before_read_without_seconds_and_bad_seconds_are_refused():
    data = PlayThrough(SAMPLE, clock=Clock()).respond(["visit"]).answers[0].to_data()
    assert Answer.from_data(data).seconds is None
    assert Answer.from_data({**data, "seconds": 12}).seconds == 12.0
    for bad in (-1, "12", True, float("nan"), 1e12):
        with pytest.raises((TypeError, ValueError), match="seconds"):
            Answer.from_data({**data, "seconds": bad})
    assert KeptDraft.from_data({"decision": "first"}).seconds is None
    with pytest.raises(ValueError, match="seconds"):
        KeptDraft.from_data({"decision": "first", "seconds": -3})
