"""The facilitator's hold file: it lapses when not renewed, renews and releases only its own
seminar's hold, and says in a line why it could not be written."""

from __future__ import annotations

import os
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest

from trainer.errors import SaveError
from trainer.saves.room import (
    HOLD_LAPSES_AFTER,
    MAX_HOLD_BYTES,
    HoldWatch,
    SeminarHold,
    hold,
    hold_path,
    read_hold,
    read_hold_file,
    release,
    renew,
)

MODULE = "tutorial-riverside"
NOON = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return NOON + timedelta(seconds=seconds)


def test_a_hold_holds_until_a_minute_without_renewal(tmp_path):
    hold(tmp_path, MODULE, "autumn", "home", now=NOON)
    assert read_hold_file(tmp_path, MODULE, "autumn").renewed == NOON
    assert read_hold(tmp_path, MODULE, "autumn", now=NOON) == "home"
    assert read_hold(tmp_path, MODULE, "autumn", now=at(59)) == "home"
    assert read_hold(tmp_path, MODULE, "autumn", now=at(60)) == "home"
    assert read_hold(tmp_path, MODULE, "autumn", now=at(61)) is None
    assert read_hold(tmp_path, MODULE, "autumn", now=at(3600)) is None
    assert timedelta(seconds=60) == HOLD_LAPSES_AFTER


def test_a_hold_stamped_in_the_future_is_bounded(tmp_path):
    """A clock a little ahead still holds; one far ahead cannot hold for ever."""
    hold(tmp_path, MODULE, "autumn", "home", now=at(30))
    assert read_hold(tmp_path, MODULE, "autumn", now=NOON) == "home"
    hold(tmp_path, MODULE, "autumn", "home", now=at(24 * 3600))
    assert read_hold(tmp_path, MODULE, "autumn", now=NOON) is None


def test_the_reader_uses_the_real_clock_unless_told(tmp_path):
    hold(tmp_path, MODULE, "autumn", "home")
    assert read_hold(tmp_path, MODULE, "autumn") == "home"
    hold(tmp_path, MODULE, "autumn", "home", now=datetime.now(UTC) - timedelta(minutes=5))
    assert read_hold(tmp_path, MODULE, "autumn") is None


@pytest.mark.parametrize(
    "text",
    [
        'stage = "home"\ncohort = "autumn"\n',  # the old format: no time
        'stage = "home"\nrenewed = 2026-12-07T12:00:00\n',  # no offset: anyone's local time
        'stage = "home"\nrenewed = "2026-12-07T12:00:00Z"\n',  # a string, not a time
    ],
)
def test_a_hold_without_a_usable_time_counts_as_released(tmp_path, text):
    path = hold_path(tmp_path, MODULE, "autumn")
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    assert read_hold_file(tmp_path, MODULE, "autumn").stage == "home"
    assert read_hold(tmp_path, MODULE, "autumn", now=NOON) is None


def test_renewing_moves_the_time_on_for_the_seminar_that_holds(tmp_path):
    hold(tmp_path, MODULE, "autumn", "home", held_by="a", now=NOON)
    renewed = renew(tmp_path, MODULE, "autumn", "a", now=at(10))
    assert renewed is not None and renewed.renewed == at(10) and renewed.stage == "home"
    assert read_hold(tmp_path, MODULE, "autumn", now=at(65)) == "home"
    # Another seminar renews nothing, and writes nothing.
    before = hold_path(tmp_path, MODULE, "autumn").read_bytes()
    assert renew(tmp_path, MODULE, "autumn", "b", now=at(20)) is None
    assert hold_path(tmp_path, MODULE, "autumn").read_bytes() == before


def test_a_seminar_lets_go_only_of_its_own_hold(tmp_path):
    first = SeminarHold(tmp_path, MODULE, "autumn", clock=lambda: NOON)
    second = SeminarHold(tmp_path, MODULE, "autumn", clock=lambda: at(5))
    assert first.held_by != second.held_by
    first.hold("home")
    second.hold("second-call")  # taken over: the second seminar's hold now
    assert not first.renew() and first.stage is None
    assert first.let_go() is None
    assert read_hold(tmp_path, MODULE, "autumn", now=at(6)) == "second-call"
    assert second.let_go() == "second-call"
    assert not hold_path(tmp_path, MODULE, "autumn").exists()
    assert second.let_go() is None  # once only


def test_a_hold_released_elsewhere_is_not_renewed_back(tmp_path):
    seminar = SeminarHold(tmp_path, MODULE, "autumn", clock=lambda: NOON)
    seminar.hold("home")
    assert release(tmp_path, MODULE, "autumn")  # `r` in another seminar
    assert not seminar.renew()
    assert not hold_path(tmp_path, MODULE, "autumn").exists()
    assert not release(tmp_path, MODULE, "autumn")  # nothing to release: no error


def test_release_with_a_holder_leaves_another_seminars_hold(tmp_path):
    hold(tmp_path, MODULE, "autumn", "home", held_by="b", now=NOON)
    assert not release(tmp_path, MODULE, "autumn", held_by="a")
    assert hold_path(tmp_path, MODULE, "autumn").exists()
    assert release(tmp_path, MODULE, "autumn", held_by="b")


def test_a_file_where_the_room_folder_goes_is_one_line(tmp_path):
    (tmp_path / ".room").write_text("not a folder", encoding="utf-8")
    with pytest.raises(SaveError) as raised:
        hold(tmp_path, MODULE, "autumn", "home")
    message = str(raised.value)
    assert "\n" not in message and f"{tmp_path / '.room'} is a file, not a folder" in message
    with pytest.raises(SaveError, match="is a file, not a folder"):
        release(tmp_path, MODULE, "autumn")
    assert read_hold(tmp_path, MODULE, "autumn") is None


def test_a_folder_where_the_hold_file_goes_is_left_alone(tmp_path):
    folder = hold_path(tmp_path, MODULE, "autumn")
    folder.mkdir(parents=True)
    (folder / "keep").write_text("x", encoding="utf-8")
    with pytest.raises(SaveError, match="is a folder, not a hold file"):
        hold(tmp_path, MODULE, "autumn", "home")
    with pytest.raises(SaveError, match="is a folder, not a hold file"):
        release(tmp_path, MODULE, "autumn")
    assert (folder / "keep").read_text(encoding="utf-8") == "x"
    assert read_hold(tmp_path, MODULE, "autumn") is None


def test_a_link_where_the_hold_file_goes_is_not_followed(tmp_path):
    target = tmp_path / "elsewhere.toml"
    target.write_text('stage = "home"\nrenewed = 2026-12-07T12:00:00Z\n', encoding="utf-8")
    path = hold_path(tmp_path, MODULE, "autumn")
    path.parent.mkdir(parents=True)
    path.symlink_to(target)
    assert read_hold(tmp_path, MODULE, "autumn", now=NOON) is None
    with pytest.raises(SaveError, match="is a symbolic link"):
        hold(tmp_path, MODULE, "autumn", "home")
    assert target.read_text(encoding="utf-8").startswith('stage = "home"')


def test_a_link_where_the_room_folder_goes_is_not_followed(tmp_path):
    """`.room` itself a link to a folder elsewhere: nothing is written, read or removed
    through it."""
    saves, elsewhere = tmp_path / "saves", tmp_path / "elsewhere"
    saves.mkdir()
    elsewhere.mkdir()
    (saves / ".room").symlink_to(elsewhere, target_is_directory=True)
    planted = elsewhere / hold_path(saves, MODULE, "autumn").name
    planted.write_text(f'stage = "home"\nrenewed = {NOON:%Y-%m-%dT%H:%M:%SZ}\n', encoding="utf-8")
    before = planted.read_bytes()
    with pytest.raises(SaveError) as raised:
        hold(saves, MODULE, "autumn", "april")
    message = str(raised.value)
    assert "\n" not in message and f"{saves / '.room'} is a symbolic link" in message
    with pytest.raises(SaveError, match="is a symbolic link"):
        release(saves, MODULE, "autumn")
    with pytest.raises(SaveError, match="is a symbolic link"):
        SeminarHold(saves, MODULE, "autumn").hold("april")
    assert planted.read_bytes() == before and sorted(os.listdir(elsewhere)) == [planted.name]
    assert read_hold_file(saves, MODULE, "autumn") is None  # the planted hold is not read
    assert read_hold(saves, MODULE, "autumn", now=NOON) is None
    assert HoldWatch(saves, MODULE, "autumn").stage(now=NOON) is None


def test_the_watch_reads_the_hold_only_when_it_changed(tmp_path):
    watch = HoldWatch(tmp_path, MODULE, "autumn")
    assert [watch.stage(now=at(0)) for _ in range(3)] == [None] * 3 and watch.reads == 0
    hold(tmp_path, MODULE, "autumn", "home", now=NOON)
    assert [watch.stage(now=at(1)) for _ in range(50)] == ["home"] * 50
    assert watch.reads == 1  # a stat a look, and one read
    assert watch.stage(now=at(61)) is None and watch.reads == 1  # lapsed: the time says so
    hold(tmp_path, MODULE, "autumn", "april", now=at(60))  # renewed, at another stage
    assert watch.stage(now=at(61)) == "april" and watch.reads == 2
    release(tmp_path, MODULE, "autumn")
    assert watch.stage(now=at(62)) is None and watch.reads == 2


def test_a_huge_hold_file_is_refused_unread(tmp_path):
    """A hold file is a few lines: one of 50 MB (a stage line, then a long comment) is not
    read, neither by the seminar nor, every second, by each trainee's app."""
    path = hold_path(tmp_path, MODULE, "autumn")
    path.parent.mkdir(parents=True)
    with open(path, "wb") as handle:
        handle.write(f'stage = "home"\nrenewed = {NOON:%Y-%m-%dT%H:%M:%SZ}\n#'.encode())
        handle.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    try:
        assert read_hold_file(tmp_path, MODULE, "autumn") is None
        assert read_hold(tmp_path, MODULE, "autumn", now=NOON) is None
        assert HoldWatch(tmp_path, MODULE, "autumn").stage(now=NOON) is None
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * MAX_HOLD_BYTES, peak
