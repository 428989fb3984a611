"""A save's draft: text typed and not yet confirmed, kept on the attempt (`[attempts.draft]`),
read back checked like every other value, and never an answer."""

from datetime import UTC, datetime

import pytest
import tomli_w

from tests.engine.fixture import fixture_module
from tests.saves.corpus import CORPUS, dumps, good_data
from trainer.engine.answer import KeptDraft
from trainer.engine.autoplay import Response, play
from trainer.errors import SaveError
from trainer.saves import read_save
from trainer.saves.store import SaveStore

MODULE = fixture_module()


def clock():
    return datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    return SaveStore(tmp_path / "saves", clock=clock)


def test_a_reason_typed_is_written_as_the_attempts_draft_and_read_back(store):
    learner = store.learner("Sam")
    with store.open(learner, MODULE) as save:
        pt = save.playthrough().finish_reading().choose(["p"]).rate(2).typed("because\tof the child")
        save.record(pt)
    text = save.path.read_text(encoding="utf-8")
    assert "[attempts.draft]" in text and 'decision = "d-single"' in text
    attempt = read_save(save.path).attempts[0]
    assert attempt.answers == [] and attempt.draft == KeptDraft(
        "d-single", reason="because\tof the child"
    )
    with store.open(learner, MODULE) as save:
        pt = save.playthrough().finish_reading().choose(["a"]).rate(5)
        assert pt.facing().draft.reason == "because\tof the child"
        save.record(pt.give_reason("because of the child"))
    attempt = read_save(save.path).attempts[0]
    assert attempt.draft is None and attempt.answers[0].reason == "because of the child"
    assert "[attempts.draft]" not in save.path.read_text(encoding="utf-8")


def test_a_written_draft_keeps_its_lines_and_odd_characters(store):
    typed = 'Line one\n\n"quoted" \\ back\x1b[2J\u202e\ttab 👩\u200d👧'
    learner = store.learner("Sam")
    with store.open(learner, MODULE) as save:
        plan = {"d-single": Response(["a"], None, 1, "r"), "d-multiple": Response(["m1"])}
        plan["d-unscored"] = Response(["u1"])
        pt = play(save.playthrough(), lambda deciding: plan.get(deciding.decision.id))
        assert pt.next_decision.id == "d-text"
        save.record(pt.typed(typed))
    assert read_save(save.path).attempts[0].draft == KeptDraft("d-text", text=typed)


def test_a_save_from_before_drafts_reads_with_none_and_is_written_the_same(tmp_path):
    data = good_data()
    assert all("draft" not in attempt for attempt in data["attempts"])
    path = tmp_path / "x.toml"
    path.write_bytes(dumps(data))
    save = read_save(path)
    assert [attempt.draft for attempt in save.attempts] == [None, None]
    assert save.to_data() == data


def test_keys_a_reader_does_not_know_are_passed_over(tmp_path):
    """Why a save with a draft still reads in a trainer from before drafts: the reader reads
    the keys it knows. (Such a trainer, writing the save again, leaves the draft out: the
    typed text is lost there, never an answer.)"""
    data = good_data()
    data["attempts"][0]["from_the_future"] = {"decision": "x", "colour": 3}
    data["attempts"][0]["answers"][0]["also_new"] = [1, 2]
    path = tmp_path / "x.toml"
    path.write_bytes(dumps(data))
    attempt = read_save(path).attempts[0]
    assert attempt.draft is None and attempt.answers[0].decision_id


def test_the_draft_table_round_trips_through_toml(tmp_path):
    data = good_data()
    data["attempts"][1]["draft"] = {"decision": "differently", "text": "a\nb", "reason": "c"}
    path = tmp_path / "x.toml"
    path.write_text(tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")
    save = read_save(path)
    assert save.attempts[1].draft == KeptDraft("differently", "a\nb", "c")
    assert save.to_data() == data


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("draft-a-text", "attempt 1, draft: it should be a table, not text"),
        ("draft-decision-missing", "attempt 1, draft: the key 'decision' is missing"),
        ("draft-text-a-number", "attempt 1, draft: text should be text, not a whole number"),
        ("draft-reason-a-list", "attempt 1, draft: reason should be text, not a list"),
        ("draft-huge", "attempt 1, draft: text is 100,001 characters long"),
    ],
)
def test_a_draft_of_the_wrong_shape_makes_the_save_unreadable_like_any_value(
    tmp_path, kind, says
):
    path = tmp_path / "x.toml"
    path.write_bytes(CORPUS[kind](good_data()))
    with pytest.raises(SaveError) as raised:
        read_save(path)
    assert says in str(raised.value)


def test_a_save_with_an_unreadable_draft_is_moved_aside_and_its_backup_restored(store):
    learner = store.learner("Sam")
    with store.open(learner, MODULE) as save:
        save.record(save.playthrough().finish_reading().choose(["p"]).rate(2).typed("first words"))
        save.record(save.playthrough().respond(["a"], confidence=3, reason="r"))
    text = save.path.read_text(encoding="utf-8")
    save.path.write_text(text + '\n[attempts.draft]\ndecision = "d-single"\nreason = 7\n')
    with store.open(learner, MODULE) as save:
        assert "restored" in save.notice
        assert save.playthrough().kept_draft == KeptDraft("d-single", reason="first words")
