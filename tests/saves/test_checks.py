"""Saves are checked when read: every kind of corrupt save is refused with one plain line,
and a save with a byte-order mark is read as the save without it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.saves.corpus import CORPUS, TOLERATED, dumps, good_data
from trainer.engine import format_time
from trainer.engine.answer import is_utc_time
from trainer.errors import SaveError
from trainer.saves import read_save

GOOD = good_data()


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 40


def test_the_good_save_reads(tmp_path):
    path = tmp_path / "good.toml"
    path.write_bytes(dumps(GOOD))
    assert read_save(path).to_data() == GOOD


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_every_corrupt_save_is_refused_with_one_plain_line(tmp_path, kind):
    path = tmp_path / f"{kind}.toml"
    path.write_bytes(CORPUS[kind](GOOD))
    with pytest.raises(SaveError) as raised:
        read_save(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    reason = message.removeprefix(f"{path}: ")
    assert reason and reason.isprintable(), repr(message)  # one line, no control characters
    assert len(message) < 400
    assert "Traceback" not in message and "Error" not in reason


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("score-nan", "attempt 1, answer 1: score is nan; it must be a number from 0 to 1"),
        ("score-negative", "score is -0.5; it must be a number from 0 to 1"),
        ("attempt-score-nan", "attempt 1: score is nan; it must be a number from 0 to 1"),
        ("confidence-99", "confidence is 99; it must be a whole number from 1 to 5"),
        ("verdict-unknown", "verdict is 'maybe'; it must be 'aligned', 'partial', 'contrary' or empty"),
        ("option-verdict-markup", "answer 1: option 1: verdict is"),
        ("kind-unknown", "kind is 'essay'; it must be 'single', 'multiple', 'text' or 'rank'"),
        ("scoring-unknown", "attempt 2, answer 4: scoring is 'vibes'"),
        ("started-empty", "attempt 1: started_at is ''; it must be a UTC time like 2026-11-25T09:00:01.000Z"),
        ("started-yesterday", "started_at is 'yesterday'"),
        ("started-missing", "attempt 1: the key 'started_at' is missing"),
        ("finished-soon", "finished_at is 'soon'"),
        ("answered-with-newline", "answered_at is '2026-10-03T09:01:01.000Z\\n'"),
        ("registration-not-uuid", "registration is 'not-a-uuid'; it must be a UUID"),
        ("attempts-out-of-order", "attempt 2: number is 1, after attempt 2: attempts must be numbered in order"),
        ("attempt-number-huge", "number is a number of 19 digits"),
        ("decisions-negative", "module: decisions is -1"),
        ("format-2", "save format 2 is not one this version reads (it reads 1)"),
        ("format-true", "save format true is not one this version reads"),
        ("empty", "it is empty"),
        ("nested-too-deep", "not valid TOML (nested too deeply)"),
        ("not-utf8", "not a text file (not UTF-8)"),
    ],
)
def test_the_message_says_where_and_why(tmp_path, kind, says):
    path = tmp_path / "x.toml"
    path.write_bytes(CORPUS[kind](GOOD))
    with pytest.raises(SaveError) as raised:
        read_save(path)
    assert says in str(raised.value)


def test_a_byte_order_mark_is_read_past(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(TOLERATED["utf8-bom"](GOOD))
    assert read_save(path).to_data() == GOOD


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-25T09:00:01.000Z",
        "2026-11-25T09:00:01Z",
        "2026-11-25T09:00:01.5Z",
        "2024-02-29T23:59:59.999999Z",
    ],
)
def test_utc_times_that_read(text):
    assert is_utc_time(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "2026-11-25",
        "2026-11-25 09:00:01Z",
        "2026-11-25T09:00:01.000",
        "2026-11-25T09:00:01.000+00:00",
        "2026-11-25T09:00:01.000z",
        "2026-11-31T09:00:01.000Z",
        "2025-02-29T09:00:01.000Z",
        "2026-11-25T24:00:00.000Z",
        "0000-01-01T00:00:00.000Z",
        "2026-11-25T09:00:01.0000000Z",
        "2026-11-25T09:00:01.000Z\n",
        " 2026-11-25T09:00:01.000Z",
        "２０２６-11-25T09:00:01.000Z",
    ],
)
def test_times_that_do_not(text):
    assert not is_utc_time(text)


def test_every_time_the_app_writes_reads():
    moment = datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    for step in range(200):
        assert is_utc_time(format_time(moment + timedelta(days=step * 37, microseconds=step * 7919)))
