"""The save records the order each decision's options were shown in (`shown_order`), reads it
back, and reads older saves that have none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import tomli
import tomli_w

from tests.engine.fixture import fixture_module
from trainer.engine import Answer
from trainer.engine.order import shown_options
from trainer.errors import SaveError
from trainer.saves import SaveFile, read_save
from trainer.saves.store import SaveStore

MODULE = fixture_module()


def clock():
    return datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def test_an_answer_keeps_the_order_shown_through_the_file(tmp_path):
    store = SaveStore(tmp_path, clock=clock)
    learner = store.learner("Sam Okafor")
    with store.open(learner, MODULE) as save:
        pt = save.playthrough().finish_reading()
        shown = tuple(o.id for o in pt.facing().options)
        save.record(pt.respond([shown[1]], confidence=2, reason="because"))
        registration = save.attempt.registration
    decision = MODULE.decision("d-single")[1]
    assert shown == tuple(o.id for o in shown_options(decision, registration))
    text = save.path.read_text(encoding="utf-8")
    assert "shown_order = [" in text
    answer = read_save(save.path).attempts[-1].answers[0]
    assert answer.shown_order == shown and answer.choice == (shown[1],)


def test_the_order_shown_round_trips_and_is_left_out_when_there_is_none():
    at = "2026-11-25T09:30:00.000Z"
    answer = Answer(
        "s", "d", "Which?", "single", ("b",), answered_at=at, shown_order=("c", "a", "b")
    )
    data = answer.to_data()
    assert data["shown_order"] == ["c", "a", "b"]
    assert Answer.from_data(data) == answer
    written = Answer("s", "t", "Write.", "text", text="words", answered_at=at)
    assert "shown_order" not in written.to_data()
    assert Answer.from_data(written.to_data()).shown_order == ()


def test_an_older_save_without_the_order_shown_reads_as_shown_in_the_files_order(tmp_path):
    store = SaveStore(tmp_path, clock=clock)
    learner = store.learner("Sam Okafor")
    with store.open(learner, MODULE) as save:
        pt = save.playthrough().respond(["a"], confidence=2, reason="because")
        save.record(pt)
    data = tomli.loads(save.path.read_text(encoding="utf-8"))
    del data["attempts"][-1]["answers"][0]["shown_order"]
    older = tomli_w.dumps(data)
    answer = SaveFile.loads(older).attempts[-1].answers[0]
    assert answer.shown_order == () and answer.choice == ("a",)
    with store.open(learner, MODULE) as save:
        save.path.write_text(older, encoding="utf-8")
    with store.open(learner, MODULE) as save:  # and resumes as before
        assert save.playthrough().answer_for("d-single").choice == ("a",)


@pytest.mark.parametrize("value", ["c, a, b", [1, 2]])
def test_an_order_shown_of_the_wrong_type_is_refused_with_its_name(tmp_path, value):
    store = SaveStore(tmp_path, clock=clock)
    learner = store.learner("Sam Okafor")
    with store.open(learner, MODULE) as save:
        save.record(save.playthrough().respond(["a"], confidence=2, reason="because"))
    data = tomli.loads(save.path.read_text(encoding="utf-8"))
    data["attempts"][-1]["answers"][0]["shown_order"] = value
    with pytest.raises(SaveError, match="answer 1: shown_order should be a list of text"):
        SaveFile.loads(tomli_w.dumps(data))
