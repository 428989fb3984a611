"""Saves in places that cannot be written, and things other than files where a save should be.

A named pipe opened for reading blocks until somebody writes to it, so every
test that puts one where the app reads runs under `fails_rather_than_hangs`:
if the code under test ever opens the pipe, the test fails instead of hanging
the run.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainer import paths
from trainer.content import load_module
from trainer.errors import SaveError
from trainer.saves import read_save
from trainer.saves.lock import SaveLock
from trainer.saves.room import hold_path, read_hold
from trainer.saves.store import SaveStore, remembered_sign_in

MODULE = load_module(paths.shipped_modules_dir() / "tutorial-riverside.toml")
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_SKIP = "running as root, which ignores folder permissions (the os.open variant covers it)"
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT


def clock() -> datetime:
    return datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> SaveStore:
    return SaveStore(tmp_path / "saves", clock=clock)


@contextlib.contextmanager
def fails_rather_than_hangs(fifo: Path, seconds: float = 10) -> Iterator[None]:
    """Open the pipe if the code under test is still running after `seconds`.

    A reader (or writer) blocked opening a named pipe is released when the other end is
    opened; it is closed again at once, so the reader sees an empty file (the writer a broken
    pipe) and returns, and the test fails here.
    """
    done = threading.Event()
    rescued: list[bool] = []

    def rescue() -> None:
        if done.wait(seconds):
            return
        while not done.wait(0.2):
            rescued.append(True)
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_RDWR | os.O_NONBLOCK))

    watchdog = threading.Thread(target=rescue, daemon=True)
    watchdog.start()
    try:
        yield
    finally:
        done.set()
        watchdog.join()
    assert not rescued, f"{fifo} was opened and blocked: it should have been refused unopened"


def make_fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def make_socket(path: Path) -> Path:
    if len(str(path).encode()) > 100:
        pytest.skip("the temporary folder's path is too long for a Unix socket")
    path.parent.mkdir(parents=True, exist_ok=True)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
    return path


def make_folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def is_fifo(path: Path) -> bool:
    return stat.S_ISFIFO(path.lstat().st_mode)


# -- named pipes, sockets and folders in place of files -------------------------


@pytest.mark.parametrize(
    ("make", "kind"),
    [(make_fifo, "a named pipe"), (make_socket, "a socket"), (make_folder, "a folder")],
)
def test_reading_a_save_refuses_anything_but_a_file(tmp_path, make, kind):
    path = make(tmp_path / "sam" / "tutorial-riverside.toml")
    with fails_rather_than_hangs(path), pytest.raises(SaveError) as raised:
        read_save(path)
    assert str(raised.value) == f"{path}: {kind}, not a regular file"


def test_a_symlink_to_a_named_pipe_is_refused_too(tmp_path):
    fifo = make_fifo(tmp_path / "pipe")
    link = tmp_path / "tutorial-riverside.toml"
    link.symlink_to(fifo)
    with fails_rather_than_hangs(fifo), pytest.raises(SaveError) as raised:
        read_save(link)
    assert str(raised.value) == f"{link}: a symbolic link, not a regular file"


def test_a_named_pipe_in_place_of_a_save_is_moved_aside_unopened(store):
    learner = store.learner("Sam")
    path = make_fifo(store.save_path(learner, MODULE.id))
    with fails_rather_than_hangs(path), store.open(learner, MODULE) as save:
        assert save.notice is not None
        assert "could not be read (a named pipe, not a regular file)" in save.notice
        assert "a fresh attempt starts" in save.notice
        assert save.save.attempts == []
    moved = path.with_name("tutorial-riverside.toml.unreadable-20261125T093000Z")
    assert is_fifo(moved)  # kept as it was: renamed, never read
    assert not path.exists()
    assert store.progress(learner, MODULE.id) is None


def test_a_named_pipe_in_place_of_the_backup_is_not_restored(store):
    learner = store.learner("Sam")
    path = store.save_path(learner, MODULE.id)
    path.write_text("not = [toml")
    backup = make_fifo(path.with_name(path.name + ".bak"))
    with fails_rather_than_hangs(backup), store.open(learner, MODULE) as save:
        assert save.notice is not None and "a fresh attempt starts" in save.notice
    assert is_fifo(backup)


def test_progress_for_the_module_list_does_not_wait_on_a_named_pipe(store):
    learner = store.learner("Sam")
    path = make_fifo(store.save_path(learner, MODULE.id))
    with fails_rather_than_hangs(path):
        assert store.progress(learner, MODULE.id) is None


def test_a_named_pipe_in_place_of_learner_toml_is_moved_aside_unread(store):
    folder = store.root / "sam"
    fifo = make_fifo(folder / "learner.toml")
    with fails_rather_than_hangs(fifo):
        learner = store.learner("Sam")
    assert learner.id == "sam" and learner.name == "Sam"  # the folder holds no saves: claimed
    assert is_fifo(folder / "learner.toml.unreadable-20261125T093000Z")  # kept, never opened
    assert "Sam" in (folder / "learner.toml").read_text()


def test_a_named_pipe_in_place_of_the_remembered_sign_in_is_not_read():
    fifo = make_fifo(paths.config_file())
    with fails_rather_than_hangs(fifo):
        assert remembered_sign_in() is None


def test_a_sign_in_or_room_file_nested_too_deeply_is_read_as_none(tmp_path):
    """The TOML parser stops a deep nesting with RecursionError, not a syntax error."""
    deep = "name = " + "[" * 2000 + "]" * 2000 + "\n"
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(deep, encoding="utf-8")
    assert remembered_sign_in() is None
    hold = hold_path(tmp_path, "tutorial-riverside", "autumn")
    hold.parent.mkdir(parents=True, exist_ok=True)
    hold.write_text(deep.replace("name", "stage"), encoding="utf-8")
    assert read_hold(tmp_path, "tutorial-riverside", "autumn") is None


@pytest.mark.parametrize(("make", "kind"), [(make_fifo, "a named pipe"), (make_folder, "a folder")])
def test_something_other_than_a_file_in_place_of_the_lock_is_refused(store, make, kind):
    learner = store.learner("Sam")
    path = store.save_path(learner, MODULE.id)
    lock = make(path.with_name(path.name + ".lock"))
    with pytest.raises(SaveError) as raised:
        store.open(learner, MODULE)
    assert str(raised.value) == f"could not open the save lock {lock} ({kind} is in its place)"


def test_a_named_pipe_planted_where_a_temporary_file_went_is_removed_unopened(store):
    learner = store.learner("Sam")
    path = store.save_path(learner, MODULE.id)
    # Temporary names are random now; this is where an older version put its own.
    tmp = make_fifo(path.with_name(f".{path.name}.{os.getpid()}.tmp"))
    with fails_rather_than_hangs(tmp), store.open(learner, MODULE) as save:
        save.new_attempt()
    assert not os.path.lexists(tmp)  # unlinked, never opened
    assert read_save(path).attempts[0].number == 1


# -- a read-only saves folder ---------------------------------------------------


@pytest.fixture
def read_only(monkeypatch):
    """Make every open that would create or write a file fail as on a read-only folder."""

    def install(code: int = errno.EACCES) -> None:
        real_open = os.open

        def refusing_open(path, flags, *args, **kwargs):
            if flags & WRITING:
                raise OSError(code, os.strerror(code), str(path))
            return real_open(path, flags, *args, **kwargs)

        def refusing_replace(src, dst, *args, **kwargs):
            raise OSError(code, os.strerror(code), str(src))

        monkeypatch.setattr(os, "open", refusing_open)
        monkeypatch.setattr(os, "replace", refusing_replace)

    return install


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.EACCES, "Permission denied"), (errno.EROFS, "Read-only file system")],
)
def test_opening_a_save_in_a_read_only_folder_is_a_plain_save_error(store, read_only, code, reason):
    learner = store.learner("Sam")
    lock = store.save_path(learner, MODULE.id).with_name("tutorial-riverside.toml.lock")
    read_only(code)
    with pytest.raises(SaveError) as raised:
        store.open(learner, MODULE)
    assert str(raised.value) == f"could not open the save lock {lock} ({reason})"


@pytest.mark.skipif(ROOT_USER, reason=ROOT_SKIP)
def test_opening_a_save_in_a_folder_made_read_only_is_a_plain_save_error(store):
    learner = store.learner("Sam")
    folder = store.root / learner.id
    folder.chmod(0o555)
    try:
        with pytest.raises(SaveError) as raised:
            store.open(learner, MODULE)
    finally:
        folder.chmod(0o755)
    lock = folder / "tutorial-riverside.toml.lock"
    assert str(raised.value) == f"could not open the save lock {lock} (Permission denied)"


def test_signing_in_where_learner_toml_cannot_be_written_is_a_plain_save_error(store, read_only):
    (store.root / "sam").mkdir(parents=True)  # an empty folder: claimed by writing learner.toml
    read_only()
    with pytest.raises(SaveError) as raised:
        store.learner("Sam")
    message = str(raised.value)
    assert message.startswith(f"could not write {store.root / 'sam' / 'learner.toml'} (")
    assert "Permission denied" in message


@pytest.mark.skipif(ROOT_USER, reason=ROOT_SKIP)
def test_signing_in_to_a_saves_folder_made_read_only_is_a_plain_save_error(store):
    store.root.mkdir()
    store.root.chmod(0o555)
    try:
        with pytest.raises(SaveError, match=r"could not create .*sam \(Permission denied\)"):
            store.learner("Sam")
    finally:
        store.root.chmod(0o755)


def test_an_unreadable_save_that_cannot_be_moved_aside_is_left_as_it_was(store, monkeypatch):
    learner = store.learner("Sam")
    path = store.save_path(learner, MODULE.id)
    path.write_text("not = [toml")

    def refusing_replace(src, dst, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(src))

    monkeypatch.setattr(os, "replace", refusing_replace)
    with pytest.raises(SaveError) as raised:
        store.open(learner, MODULE)
    message = str(raised.value)
    assert message.startswith(f"the save {path} could not be read (not valid TOML")
    assert message.endswith("nor moved aside (Permission denied); it is unchanged")
    assert "\n" not in message
    assert path.read_text() == "not = [toml"
    monkeypatch.undo()
    with store.open(learner, MODULE) as save:  # the lock was let go
        assert save.notice is not None


def test_a_lock_that_cannot_be_written_is_a_plain_save_error(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    lock = SaveLock(tmp_path / "m.toml.lock")
    with pytest.raises(SaveError) as raised:
        lock.acquire("the module")
    assert (
        str(raised.value) == f"could not write the save lock {lock.path} (No space left on device)"
    )
    assert not lock.held
