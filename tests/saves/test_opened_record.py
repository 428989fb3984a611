"""The case-file items opened, in the save: written with the attempt, read back on resume,
checked on read like every value, and absent from older saves without harm."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import tomli_w

from trainer.content import load_module
from trainer.errors import SaveError
from trainer.saves import read_save
from trainer.saves.format import SaveFile
from trainer.saves.store import SaveStore

SAMPLE = load_module(Path(__file__).parents[1] / "fixtures" / "format3.toml")


def clock():
    return datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    return SaveStore(tmp_path / "saves", clock=clock)


def test_what_was_opened_is_saved_and_resumed(store):
    learner = store.learner("Sam")
    with store.open(learner, SAMPLE) as save:
        pt = save.playthrough().open_items([("document", "referral-letter"), ("person", "sam")])
        save.record(pt)
        pt = pt.respond(["visit"]).proceed().open_item("document", "medical")
        save.record(pt)
    attempt = read_save(save.path).attempts[0]
    assert [(i.kind, i.id, i.stage, i.answers_so_far, i.key) for i in attempt.opened] == [
        ("document", "referral-letter", "referral", 0, True),
        ("person", "sam", "referral", 0, False),
        ("document", "medical", "home", 1, True),
    ]
    assert attempt.opened[0].at == "2026-11-25T09:30:00.000Z"
    text = save.path.read_text(encoding="utf-8")
    assert '[[attempts.opened]]\nkind = "document"\nid = "referral-letter"' in text
    with store.open(learner, SAMPLE) as save:
        assert save.playthrough().items_opened == pt.items_opened


def test_a_save_without_the_record_reads_as_nothing_opened(store):
    learner = store.learner("Sam")
    with store.open(learner, SAMPLE) as save:
        save.record(save.playthrough().respond(["visit"]))
    text = save.path.read_text(encoding="utf-8")
    assert "opened" not in text  # nothing opened: nothing written
    assert read_save(save.path).attempts[0].opened == []


def saved_with(opened: list[dict]) -> str:
    data = {
        "format": 1,
        "learner": {"id": "sam", "name": "Sam"},
        "module": {"id": "m", "title": "M", "version": "1"},
        "attempts": [
            {
                "number": 1,
                "registration": "0b6c6f6e-1d2a-4c1b-9a55-2f8e6a1c3d4e",
                "started_at": "2026-11-25T09:00:00.000Z",
                "opened": opened,
            }
        ],
    }
    return tomli_w.dumps(data)


def test_a_record_out_of_place_makes_the_save_unreadable_saying_where():
    good = {"kind": "document", "id": "d", "stage": "s", "at": "2026-11-25T09:00:00.000Z"}
    assert SaveFile.loads(saved_with([good])).attempts[0].opened[0].id == "d"
    with pytest.raises(SaveError, match=r"attempt 1, opened 2: kind is 'relation'"):
        SaveFile.loads(saved_with([good, {**good, "kind": "relation"}]))
    with pytest.raises(SaveError, match=r"attempt 1, opened 1: the key 'at' is missing"):
        SaveFile.loads(saved_with([{k: v for k, v in good.items() if k != "at"}]))
