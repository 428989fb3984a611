"""The saves folder: learner ids, atomic writes, the lock, unreadable saves, resume."""

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.engine.fixture import fixture_module
from trainer.engine.autoplay import Response, play
from trainer.errors import SaveError
from trainer.saves import read_save
from trainer.saves.store import SaveLockedError, SaveStore, learner_slug

MODULE = fixture_module()


def clock():
    return datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    return SaveStore(tmp_path / "saves", clock=clock)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Sam Okafor", "sam-okafor"),
        ("  Zoë   O'Brien ", "zoe-o-brien"),
        ("../../x", "x"),
        ("..", "learner"),
        ("", "learner"),
        ("🙂🙂", "learner"),
        ("CON", "con-learner"),
        ("a" * 1000, "a" * 64),
        ("x" * 63 + "-yyy", "x" * 63),
    ],
)
def test_learner_slug(name, slug):
    assert learner_slug(name) == slug


def test_learner_folders_are_claimed_and_reused(store):
    sam = store.learner("Sam Okafor", "autumn")
    assert sam.id == "sam-okafor" and sam.cohort == "autumn"
    assert store.learner("sam  okafor", "autumn").id == "sam-okafor"  # same person
    other = store.learner("Sam-Okafor!", None)  # same slug, a different name
    assert other.id == "sam-okafor-2"
    assert store.learner("Sam-Okafor!", None).id == "sam-okafor-2"
    assert (store.root / "sam-okafor" / "learner.toml").exists()


def test_hostile_names_stay_inside_the_saves_folder(store):
    for name in ["../../etc/passwd", "/abs/path", "CON", "🙂", "a" * 1000, "x\x00y", "[bold]B[/]"]:
        learner = store.learner(name)
        folder = (store.root / learner.id).resolve()
        assert folder.parent == store.root.resolve()


def test_a_name_with_nothing_left_is_refused(store):
    with pytest.raises(SaveError, match="name is needed"):
        store.learner(" \t\x07 ")


def test_record_writes_every_answer_and_keeps_the_previous_version(store):
    learner = store.learner("Sam")
    with store.open(learner, MODULE) as save:
        pt = save.playthrough()
        pt = pt.respond(["a"], confidence=4, reason="the child")
        save.record(pt)
        pt = pt.proceed().proceed()  # past the feedback and the outcome
        save.record(pt)
        pt = pt.respond(["m1"])
        save.record(pt)
    data = read_save(save.path)
    attempt = data.attempts[0]
    assert [a.decision_id for a in attempt.answers] == ["d-single", "d-multiple"]
    assert attempt.position == "s2" and attempt.finished_at is None
    assert attempt.answers[0].reason == "the child" and attempt.answers[0].confidence == 4
    backup = read_save(save.path.with_name(save.path.name + ".bak"))
    assert [a.decision_id for a in backup.attempts[0].answers] == ["d-single"]
    assert not list(save.path.parent.glob("*.tmp")) and not list(save.path.parent.glob(".*tmp"))


def test_resume_after_reopening(store):
    learner = store.learner("Sam")
    with store.open(learner, MODULE) as save:
        pt = save.playthrough()
        pt = pt.respond(["c"], confidence=1, reason="r")
        save.record(pt)
        registration = save.attempt.registration
    with store.open(learner, MODULE) as save:
        pt = save.playthrough()
        assert save.attempt.registration == registration
        assert pt.current_stage.id == "s1" and pt.next_decision is None  # feedback due
        pt = pt.proceed().proceed()  # past the feedback and the outcome
        assert pt.current_stage.id == "s3"  # the branch taken before quitting


def test_a_finished_attempt_is_kept_when_a_new_one_starts(store):
    learner = store.learner("Sam")
    with store.open(learner, MODULE) as save:
        pt = save.playthrough()
        plan = {"d-single": Response(["c"], None, 2, "r"), "d-text": Response(text="every adult")}
        pt = play(pt, lambda deciding: plan[deciding.decision.id])
        save.record(pt)
        assert save.attempt.finished and save.attempt.position == "end"
        assert save.attempt.finished_at == "2026-11-25T09:30:00.000Z"
        fresh = save.new_attempt()
        assert fresh.answers == () and save.attempt.number == 2
    data = read_save(save.path)
    assert [a.number for a in data.attempts] == [1, 2]
    assert data.attempts[0].score == pytest.approx(0.125)  # (0 + 1/4) / 2


def test_a_second_app_on_the_same_save_is_refused(store):
    learner = store.learner("Sam")
    with store.open(learner, MODULE), pytest.raises(SaveLockedError, match="open elsewhere"):
        store.open(learner, MODULE)
    with store.open(learner, MODULE):  # released on close
        pass


def test_a_lock_held_by_another_live_process_is_refused_and_taken_over_once_it_dies(store):
    learner = store.learner("Sam")
    lock = store.save_path(learner, MODULE.id).with_name("fixture.toml.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import fcntl, os, sys, time
                fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)
                fcntl.flock(fd, fcntl.LOCK_EX)
                os.write(fd, b"pid = %d\\n" % os.getpid())
                print("held", flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(SaveLockedError, match=f"process {holder.pid}"):
            store.open(learner, MODULE)
    finally:
        holder.kill()
        holder.wait()
    assert lock.exists()  # left behind by a process that no longer runs
    with store.open(learner, MODULE) as save:
        assert save.playthrough().next_decision.id == "d-single"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not = [toml",
        b"\xff\xfe\x00binary",
        b"format = 2\n",
        b'format = 1\nlearner = "x"\n',
        b'format = 1\n[learner]\nid = 1\nname = "x"\n[module]\nid = "fixture"\n',
    ],
)
def test_an_unreadable_save_is_moved_aside_never_overwritten(store, content):
    learner = store.learner("Sam")
    path = store.save_path(learner, MODULE.id)
    path.write_bytes(content)
    with store.open(learner, MODULE) as save:
        assert "could not be read" in save.notice
        assert "a fresh attempt starts" in save.notice
        pt = save.playthrough()
        pt = pt.respond(["a"], confidence=3, reason="r")
        save.record(pt)
    moved = list(path.parent.glob("fixture.toml.unreadable-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == content
    assert moved[0].name == "fixture.toml.unreadable-20261125T093000Z"
    assert read_save(path).attempts[0].answers[0].decision_id == "d-single"


def test_an_unreadable_save_is_restored_from_its_backup(store):
    learner = store.learner("Sam")
    with store.open(learner, MODULE) as save:
        pt = save.playthrough()
        pt = pt.respond(["a"], confidence=3, reason="r")
        save.record(pt)
        pt = pt.proceed().proceed()
        save.record(pt)
    save.path.write_text("garbage = [")
    with store.open(learner, MODULE) as save:
        assert "restored" in save.notice
        assert save.playthrough().answer_for("d-single") is not None


def test_a_save_for_another_module_is_moved_aside(store):
    learner = store.learner("Sam")
    path = store.save_path(learner, MODULE.id)
    with store.open(learner, MODULE) as save:
        save.playthrough()
    path.write_text(path.read_text().replace('id = "fixture"', 'id = "other"'))
    path.with_name(path.name + ".bak").unlink(missing_ok=True)
    with store.open(learner, MODULE) as save:
        assert "belongs to module 'other'" in save.notice


def test_a_failed_write_says_so_and_keeps_the_previous_save(store, monkeypatch):
    learner = store.learner("Sam")
    with store.open(learner, MODULE) as save:
        pt = save.playthrough()
        pt = pt.respond(["a"], confidence=3, reason="r")
        save.record(pt)
        before = save.path.read_bytes()
        pt = pt.proceed().proceed()

        def no_space(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", no_space)
        with pytest.raises(SaveError, match="No space left on device.*unchanged"):
            save.record(pt)
        monkeypatch.undo()
        assert save.path.read_bytes() == before
        assert save.attempt.stages_done == []  # the in-memory record rolled back too
        save.record(pt)  # and the next write goes through
    assert read_save(save.path).attempts[0].stages_done == ["s1"]


def test_a_folder_that_cannot_be_created_gives_a_plain_error(tmp_path, monkeypatch):
    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(SaveError, match="could not create .*Permission denied"):
        SaveStore(tmp_path / "ro").learner("Sam")


def test_a_save_that_cannot_be_opened_for_writing_keeps_the_previous_one(store, monkeypatch):
    learner = store.learner("Sam")
    with store.open(learner, MODULE) as save:
        pt = save.playthrough()
        pt = pt.respond(["a"], confidence=3, reason="r")
        save.record(pt)
        before = save.path.read_bytes()

        real_open = os.open

        def denied(path, flags, *args, **kwargs):
            if flags & os.O_CREAT:
                raise PermissionError(13, "Permission denied")
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", denied)
        pt = pt.proceed().proceed()
        with pytest.raises(SaveError, match="Permission denied"):
            save.record(pt)
    assert save.path.read_bytes() == before


CRASH_SCRIPT = """
import os, sys
sys.path.insert(0, {root!r})
from tests.engine.fixture import fixture_module
from trainer.saves.store import SaveStore

store = SaveStore({saves!r})
learner = store.learner("Sam")
save = store.open(learner, fixture_module())
pt = save.playthrough()
pt = pt.respond(["a"], confidence=3, reason="r")
save.record(pt)
pt = pt.proceed().proceed()
real_replace = os.replace
def crash(src, dst):
    if str(dst).endswith("fixture.toml") and ".tmp" in str(src):
        os._exit(9)  # the process dies between the temporary write and the rename
    return real_replace(src, dst)
os.replace = crash
save.record(pt)
"""


def test_a_crash_between_write_and_rename_loses_nothing_acknowledged(tmp_path):
    saves = tmp_path / "saves"
    root = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT.format(root=root, saves=str(saves))], check=False
    )
    assert result.returncode == 9
    path = saves / "sam" / "fixture.toml"
    data = read_save(path)  # the last acknowledged version, whole
    assert [a.decision_id for a in data.attempts[0].answers] == ["d-single"]
    assert data.attempts[0].stages_done == []
    # The stray temporary file does not stop the next app, which resumes and writes normally.
    store = SaveStore(saves)
    with store.open(store.learner("Sam"), MODULE) as save:
        pt = save.playthrough()
        assert pt.next_decision is None and pt.current_stage.id == "s1"
        pt = pt.proceed().proceed()
        save.record(pt)
    assert read_save(path).attempts[0].stages_done == ["s1"]
