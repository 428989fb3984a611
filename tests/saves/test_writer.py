"""The save written after each move is `SaveFile.dumps`'s text, byte for byte, though only
what changed is made again (`trainer.saves.writer`)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import tomli_w

from tests.cohort.conftest import (
    write_cohort,
    write_format2_cohort,
    write_hostile_cohort,
    write_two_modules,
)
from tests.tui.helpers import FIXTURES, Clock
from trainer.content import load_module
from trainer.engine import Deciding, Feedback, Outcome, PlayThrough, Reading
from trainer.errors import SaveError
from trainer.saves import SaveFile, iter_saves, read_save
from trainer.saves.store import SaveStore
from trainer.saves.writer import SaveWriter
from trainer.session import Session

FORMAT2 = Path(__file__).parents[1] / "fixtures" / "format2.toml"


@pytest.mark.parametrize(
    "write", [write_cohort, write_format2_cohort, write_hostile_cohort, write_two_modules]
)
def test_every_save_of_the_test_cohorts_is_written_as_dumps_writes_it(tmp_path, write):
    writer = SaveWriter()
    saves = [save for _, save in iter_saves(write(tmp_path / "c")) if isinstance(save, SaveFile)]
    assert saves
    for save in saves:
        assert writer.text(save) == save.dumps()
        assert SaveWriter().text(save) == save.dumps()


def test_an_attempt_without_answers_and_a_save_without_attempts(tmp_path):
    module = load_module(FORMAT2)
    store = SaveStore(tmp_path, Clock())
    with store.open(store.learner("Sam", None), module) as save:
        writer = SaveWriter()
        assert writer.text(save.save) == save.save.dumps()  # one attempt, nothing answered
        save.save.attempts.clear()
        assert writer.text(save.save) == save.save.dumps()
        assert "attempts = []" in writer.text(save.save)


def random_move(rng: random.Random, pt: PlayThrough):
    """A move a trainee could make now, at random: answers of every kind, text with quotes,
    backslashes, newlines and escapes, going back, typing a draft."""
    facing = pt.facing()
    if isinstance(facing, Reading):
        return PlayThrough.finish_reading
    if isinstance(facing, Feedback | Outcome):
        return PlayThrough.proceed
    assert isinstance(facing, Deciding)
    decision = facing.decision
    words = ['She said "no"', "C:\\path", "line one\nline two", "\x1b]0;t\x07", "Zoë", "'''"]
    if rng.random() < 0.1:
        return lambda p: p.back()
    step = facing.step.value
    if step == "choice":
        if decision.kind == "text":
            if rng.random() < 0.2:
                return lambda p: p.typed(rng.choice(words))
            return lambda p: p.choose(text=" ".join(rng.sample(words, 3)))
        ids = [o.id for o in facing.options]
        if decision.kind == "rank":
            rng.shuffle(ids)
            return lambda p: p.choose(ids)
        if decision.kind == "multiple":
            return lambda p: p.choose(rng.sample(ids, rng.randint(1, len(ids))))
        return lambda p: p.choose([rng.choice(ids)])
    if step == "confidence":
        return lambda p: p.rate(rng.randint(1, 5))
    if step == "reason":
        if rng.random() < 0.2:
            return lambda p: p.typed(rng.choice(words))
        return lambda p: p.give_reason(rng.choice(words))
    return lambda p: p.tick_concepts([c.id for c in decision.rubric if rng.random() < 0.5])


@pytest.mark.parametrize("module_path", [FORMAT2, FIXTURES / "literal.toml"])
@pytest.mark.parametrize("seed", range(3))
def test_each_write_of_a_played_save_is_what_dumps_writes(tmp_path, module_path, seed):
    rng = random.Random(seed)
    module = load_module(module_path)
    store = SaveStore(tmp_path, Clock())
    learner = store.learner(f"Learner {seed}", "autumn")
    writes = 0
    with store.open(learner, module) as save:
        session = Session.open(save, learner)
        for attempt in range(2):
            for _ in range(400):
                if session.playthrough.finished:
                    break
                before = save.path.read_bytes()
                session.move(random_move(rng, session.playthrough))
                session.flush()
                written = save.path.read_bytes()
                writes += written != before
                assert written.decode("utf-8") == save.save.dumps()
            assert session.playthrough.finished
            if attempt == 0:
                session.new_attempt()
                assert save.path.read_text(encoding="utf-8") == save.save.dumps()
        session.close()
    assert writes >= 5
    assert read_save(save.path).attempts[0].answers == save.save.attempts[0].answers


def test_a_write_that_fails_leaves_the_next_one_whole(tmp_path, monkeypatch):
    module = load_module(FORMAT2)
    store = SaveStore(tmp_path, Clock())
    learner = store.learner("Sam", None)
    with store.open(learner, module) as save:
        session = Session.open(save, learner)
        rng = random.Random(7)
        while not session.playthrough.answers:
            session.move(random_move(rng, session.playthrough))
        import trainer.saves.store as store_module

        real = store_module.atomic_write

        def failing(*args, **kwargs):
            raise SaveError("the disk is full")

        monkeypatch.setattr(store_module, "atomic_write", failing)
        pt = session.playthrough
        for _ in range(20):
            move = random_move(rng, pt)
            try:
                session.move(move)
            except SaveError:
                break
        monkeypatch.setattr(store_module, "atomic_write", real)
        while not session.playthrough.finished:
            session.move(random_move(rng, session.playthrough))
        assert save.path.read_text(encoding="utf-8") == save.save.dumps()
        session.close()


def test_dumps_is_tomli_w_of_the_whole_save(tmp_path):
    # The writer is compared with `dumps`; `dumps` is the whole save through tomli_w.
    save = next(
        s for _, s in iter_saves(write_format2_cohort(tmp_path / "c")) if isinstance(s, SaveFile)
    )
    assert save.dumps() == tomli_w.dumps(save.to_data(), multiline_strings=True)
