"""A learner's session over their save: what is written when it opens, and when its
play-through is made."""

from datetime import UTC, datetime

import pytest

from tests.engine.fixture import fixture_module
from trainer.engine.autoplay import Response, play
from trainer.saves import read_save
from trainer.saves.store import SaveStore
from trainer.session import Session

MODULE = fixture_module()
PLAN = {"d-single": Response(["c"], None, 2, "r"), "d-text": Response(text="every adult")}


def clock():
    return datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    return SaveStore(tmp_path / "saves", clock=clock)


def test_a_new_attempt_is_written_at_once_and_played_through_when_first_asked_for(store):
    learner = store.learner("Sam")
    with store.open(learner, MODULE) as save:
        session = Session.open(save, learner)
        # On disk before the first screen: the seminar sees the learner at the first stage.
        (attempt,) = read_save(save.path).attempts
        assert attempt.position == MODULE.stages[0].id and attempt.answers == []
        assert session._playthrough is None
        assert not session.started and not session.finished
        made = session.playthrough
        assert made == save.playthrough() and session.playthrough is made
        session.move(lambda pt: pt.respond(["c"], confidence=1, reason="r"))
        assert session.started
    assert read_save(save.path).attempts[0].answers[0].choice == ("c",)


def test_an_attempt_under_way_is_played_through_at_once(store):
    learner = store.learner("Sam")
    with store.open(learner, MODULE) as save:
        save.record(save.playthrough().respond(["c"], confidence=1, reason="r"))
    with store.open(learner, MODULE) as save:
        session = Session.open(save, learner)
        assert session._playthrough is not None and session.started and not session.finished


def test_a_finished_attempt_opens_finished(store):
    learner = store.learner("Sam")
    with store.open(learner, MODULE) as save:
        save.record(play(save.playthrough(), lambda deciding: PLAN[deciding.decision.id]))
    with store.open(learner, MODULE) as save:
        session = Session.open(save, learner)
        assert session.finished
