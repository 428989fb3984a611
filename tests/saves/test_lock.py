"""The save lock: taken with `flock` on POSIX, and seen by filelock (which takes it on
Windows) as filelock's own lock is seen here."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from trainer.errors import SaveError
from trainer.saves import lock as lock_module
from trainer.saves.lock import SaveLock, SaveLockedError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX's")

FILELOCK_HOLDER = """
import sys, time
from filelock import FileLock
lock = FileLock({path!r}, thread_local=False)
lock.acquire(blocking=False)
print("held", flush=True)
time.sleep(60)
"""

SAVELOCK_HOLDER = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from trainer.saves.lock import SaveLock
lock = SaveLock(Path({path!r}))
lock.acquire("the module")
print("held", flush=True)
time.sleep(60)
"""

FILELOCK_TRY = """
from filelock import FileLock, Timeout
try:
    FileLock({path!r}, thread_local=False).acquire(blocking=False)
except Timeout:
    print("refused")
else:
    print("taken")
"""


def _hold(script: str, path: Path) -> subprocess.Popen[str]:
    root = str(Path(__file__).resolve().parents[2])
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script.format(path=str(path), root=root))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    return holder


def _filelock_tries(path: Path) -> str:
    """What filelock, in another process, makes of the lock: "refused" or "taken"."""
    tried = subprocess.run(
        [sys.executable, "-c", FILELOCK_TRY.format(path=str(path))],
        capture_output=True,
        text=True,
        check=True,
    )
    return tried.stdout.strip()


def test_a_lock_filelock_holds_is_refused_and_taken_once_let_go(tmp_path):
    path = tmp_path / "m.toml.lock"
    holder = _hold(FILELOCK_HOLDER, path)
    try:
        with pytest.raises(SaveLockedError, match="the module is open elsewhere"):
            SaveLock(path).acquire("the module")
    finally:
        holder.kill()
        holder.wait()
    lock = SaveLock(path)
    lock.acquire("the module")
    assert lock.held
    assert f"pid = {os.getpid()}" in path.read_text()
    lock.release()
    assert not lock.held
    assert path.exists()  # left in place, unlocked, for the next app to lock the same file


def test_filelock_is_refused_a_lock_taken_here_until_it_is_let_go(tmp_path):
    path = tmp_path / "m.toml.lock"
    holder = _hold(SAVELOCK_HOLDER, path)
    try:
        assert _filelock_tries(path) == "refused"
        with pytest.raises(SaveLockedError, match=f"open elsewhere \\(process {holder.pid}\\)"):
            SaveLock(path).acquire("the module")
    finally:
        holder.kill()
        holder.wait()
    assert _filelock_tries(path) == "taken"


def test_a_second_lock_in_the_same_process_is_refused_and_the_first_kept(tmp_path):
    path = tmp_path / "m.toml.lock"
    first = SaveLock(path)
    first.acquire("the module")
    with pytest.raises(SaveLockedError):
        SaveLock(path).acquire("the module")
    assert first.held  # the refused one's descriptor, closed, did not let go of the first
    with pytest.raises(SaveLockedError):
        SaveLock(path).acquire("the module")
    first.release()
    first.release()  # twice is harmless
    second = SaveLock(path)
    second.acquire("the module")
    second.release()


def test_a_pipe_swapped_in_after_the_look_is_refused_unread(tmp_path, monkeypatch):
    """The path is looked at before it is opened; a named pipe put there in between is seen on
    the open descriptor (opened without blocking) and refused."""
    path = tmp_path / "m.toml.lock"
    os.mkfifo(path)
    monkeypatch.setattr(lock_module, "kind_of", lambda path: None)
    lock = SaveLock(path)
    with pytest.raises(SaveError) as raised:
        lock.acquire("the module")
    assert (
        str(raised.value) == f"could not open the save lock {path} (a named pipe is in its place)"
    )
    assert not lock.held


def test_a_link_swapped_in_after_the_look_is_not_followed(tmp_path, monkeypatch):
    victim = tmp_path / "victim"
    victim.write_text("untouched")
    path = tmp_path / "m.toml.lock"
    path.symlink_to(victim)
    monkeypatch.setattr(lock_module, "kind_of", lambda path: None)
    with pytest.raises(SaveError) as raised:
        SaveLock(path).acquire("the module")
    assert str(raised.value) == (
        f"could not open the save lock {path} (a symbolic link is in its place)"
    )
    assert victim.read_text() == "untouched"


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.ENOSYS, "Function not implemented"), (errno.ENOLCK, "No locks available")],
)
def test_a_file_system_without_locks_is_a_plain_save_error(tmp_path, monkeypatch, code, reason):
    """Fault injection: `flock` refused as on a file system without it (ENOSYS) or with its
    lock service down (ENOLCK). The lock file is left, unlocked; nothing is held."""
    import fcntl

    def refused(fd: int, operation: int) -> None:
        raise OSError(code, reason)

    monkeypatch.setattr(fcntl, "flock", refused)
    path = tmp_path / "m.toml.lock"
    lock = SaveLock(path)
    with pytest.raises(SaveError) as raised:
        lock.acquire("the module")
    assert str(raised.value) == f"could not open the save lock {path} ({reason})"
    assert not lock.held
