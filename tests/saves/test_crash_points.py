"""SIGKILL before every fsync, link and rename of a write, and of a first sign-in.

A child process signs in, opens the fixture module and records answers, printing a line
each time a write has returned (the answer is acknowledged: its feedback would be shown).
Before the Nth call to os.fsync, os.link or os.replace it kills itself with SIGKILL, for
every N until a run gets through: so every step of every write is interrupted once. After
each kill the last acknowledged save must be whole and readable (or the next write's,
whole), nothing may be half-written, the learner keeps one folder, and after the save is
next opened no temporary file is left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine.fixture import fixture_module
from trainer.saves import read_save
from trainer.saves.store import SaveStore

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

ROOT = Path(__file__).resolve().parents[2]
MODULE = fixture_module()

CHILD = """
import os, signal, sys
sys.path.insert(0, {root!r})
from tests.engine.fixture import fixture_module
from trainer.saves.store import SaveStore

phase, target = sys.argv[1], int(sys.argv[2])
calls = [0]

def kill_before(name):
    real = getattr(os, name)
    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == target:
            print("killed before", name, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    setattr(os, name, wrapper)

def arm():
    for name in ("fsync", "link", "replace"):
        kill_before(name)

store = SaveStore({saves!r})
if phase == "sign-in":
    arm()
learner = store.learner("Sam Okafor", "autumn")
save = store.open(learner, fixture_module())
pt = save.playthrough()  # starts the attempt: a first write
print("ack start", flush=True)
pt = pt.respond(["a"], confidence=3, reason="r")
save.record(pt)
print("ack d-single", flush=True)
if phase == "record":
    arm()
pt = pt.proceed().proceed()
save.record(pt)
print("ack s1", flush=True)
pt = pt.respond(["m1"])
save.record(pt)
print("ack d-multiple", flush=True)
save.close()
print("done", flush=True)
"""

ACKED = {
    # what each acknowledgement promises the save holds: (answers, stages done)
    "ack start": ((), ()),
    "ack d-single": (("d-single",), ()),
    "ack s1": (("d-single",), ("s1",)),
    "ack d-multiple": (("d-single", "d-multiple"), ("s1",)),
}
ORDER = list(ACKED)


def run_child(saves: Path, phase: str, target: int) -> tuple[int, list[str]]:
    script = CHILD.format(root=str(ROOT), saves=str(saves))
    result = subprocess.run(
        [sys.executable, "-c", script, phase, str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout.splitlines()


def state(path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    attempt = read_save(path).attempts[-1]
    return tuple(a.decision_id for a in attempt.answers), tuple(attempt.stages_done)


def check_after_kill(saves: Path, lines: list[str]) -> None:
    acked = [line for line in lines if line in ACKED]
    folders = [p.name for p in saves.iterdir()] if saves.exists() else []
    assert len(folders) <= 1, f"the learner was split: {folders}"
    folder = saves / "sam-okafor"
    path = folder / "fixture.toml"
    # Nothing half-written: whatever TOML file is there reads whole.
    if (folder / "learner.toml").exists():
        assert "Sam Okafor" in (folder / "learner.toml").read_text(encoding="utf-8")
    found = state(path) if path.exists() else None
    if acked:
        last = ORDER.index(acked[-1])
        # The last acknowledged state, or the one being written when the process died.
        allowed = [ACKED[ORDER[last]]] + ([ACKED[ORDER[last + 1]]] if last + 1 < len(ORDER) else [])
        assert found in allowed, (lines, found)
    backup = path.with_name("fixture.toml.bak")
    if backup.exists():
        read_save(backup)
    # The next sign-in finds the same folder; the next open resumes and clears what was left.
    store = SaveStore(saves)
    learner = store.learner("Sam Okafor", "autumn")
    assert learner.id == "sam-okafor"
    with store.open(learner, MODULE) as save:
        assert save.notice is None, save.notice
        assert (state(path) if path.exists() else None) == found  # opening changes nothing
        left = sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))
        assert left == [], left
    assert sorted(p.name for p in saves.iterdir()) == ["sam-okafor"]


@pytest.mark.parametrize("phase", ["sign-in", "record"])
def test_sigkill_before_every_fsync_link_and_replace(tmp_path, phase):
    killed = 0
    for target in range(1, 60):
        saves = tmp_path / f"run-{target}"
        status, lines = run_child(saves, phase, target)
        if status == 0:
            assert lines[-1] == "done"
            break
        assert status == -signal.SIGKILL, (status, lines)
        assert any(line.startswith("killed before") for line in lines)
        killed += 1
        check_after_kill(saves, lines)
    else:
        pytest.fail("the child never got through")
    # Every write has at least its temporary file's fsync, the rename and the folder's fsync.
    assert killed >= (12 if phase == "sign-in" else 8), killed
    print(f"{phase}: killed before each of {killed} steps")


def test_a_kill_mid_write_leaves_a_temporary_file_that_the_next_open_removes(tmp_path):
    saves = tmp_path / "saves"
    status, lines = run_child(saves, "record", 2)  # after the temporary file's fsync
    assert status == -signal.SIGKILL
    folder = saves / "sam-okafor"
    left = [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert left and all(p.name.startswith(".fixture.toml.") for p in left)
    store = SaveStore(saves)
    with store.open(store.learner("Sam Okafor"), MODULE):
        pass
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert state(folder / "fixture.toml") == ACKED["ack d-single"]


def test_another_saves_temporary_files_and_a_live_writers_are_left_alone(tmp_path):
    store = SaveStore(tmp_path / "saves")
    learner = store.learner("Sam Okafor")
    folder = store.root / learner.id
    other = folder / f".other.toml.{os.getpid() + 100000}.00ff.tmp"  # another save's
    parent = folder / f".fixture.toml.{os.getppid()}.00ff.tmp"  # a running process's, fresh
    dead = folder / ".fixture.toml.999999999.00ff.tmp"  # no such process
    old_style = folder / ".fixture.toml.999999998.tmp"  # as an older version named them
    for path in (other, parent, dead, old_style):
        path.write_text("half")
    with store.open(learner, MODULE):
        pass
    assert other.exists() and parent.exists()
    assert not dead.exists() and not old_style.exists()
    old = parent.stat().st_mtime - 3600
    os.utime(parent, (old, old))  # an hour old: whoever made it is not writing it
    with store.open(learner, MODULE):
        pass
    assert not parent.exists() and other.exists()
