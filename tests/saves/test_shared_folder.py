"""A saves folder shared by a cohort: first sign-ins at once, a missing or damaged
learner.toml, symbolic links planted where the app writes, and things that are not files."""

from __future__ import annotations

import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.engine.fixture import fixture_module
from tests.saves.corpus import dumps, good_data
from trainer.cli import main
from trainer.errors import SaveError
from trainer.saves import iter_saves, read_save
from trainer.saves.store import SaveLockedError, SaveStore

MODULE = fixture_module()
ROUNDS = 20


def clock() -> datetime:
    return datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> SaveStore:
    return SaveStore(tmp_path / "saves", clock=clock)


# -- first sign-ins at once -----------------------------------------------------------


def _sign_in(root: str, name: str, barrier, results) -> None:  # runs in a child process
    barrier.wait(timeout=30)
    try:
        learner = SaveStore(root).learner(name)
        results.put((name, learner.id, learner.name))
    except BaseException as error:  # reported to the test, which fails on it
        results.put((name, "error", repr(error)))


def sign_in_at_once(root: Path, names: list[str]) -> dict[str, str]:
    """Sign every name in at the same moment, each in its own process: name -> learner id."""
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    barrier = context.Barrier(len(names))
    results = context.Queue()
    workers = [
        context.Process(target=_sign_in, args=(str(root), name, barrier, results))
        for name in names
    ]
    for worker in workers:
        worker.start()
    got = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    ids: dict[str, str] = {}
    for name, learner_id, detail in got:
        assert learner_id != "error", detail
        assert detail == name
        ids.setdefault(name, learner_id)
        assert ids[name] == learner_id, f"{name} got two folders"
    return ids


def owner(folder: Path) -> str:
    import tomllib

    return tomllib.loads((folder / "learner.toml").read_text(encoding="utf-8"))["name"]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_the_same_name_twice_at_once_gets_one_folder(tmp_path, round_):
    root = tmp_path / "saves"
    ids = sign_in_at_once(root, ["Sam Okafor", "Sam Okafor"])
    assert ids == {"Sam Okafor": "sam-okafor"}
    assert sorted(p.name for p in root.iterdir()) == ["sam-okafor"]
    assert owner(root / "sam-okafor") == "Sam Okafor"


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_names_with_one_slug_at_once_get_two_folders(tmp_path, round_):
    root = tmp_path / "saves"
    ids = sign_in_at_once(root, ["Zoe Smith", "Zoë Smith"])
    assert sorted(ids.values()) == ["zoe-smith", "zoe-smith-2"]
    for name, learner_id in ids.items():
        assert owner(root / learner_id) == name
    assert sorted(p.name for p in root.iterdir()) == ["zoe-smith", "zoe-smith-2"]


# -- a missing or damaged learner.toml --------------------------------------------------


def played(store: SaveStore, name: str) -> Path:
    """Sign in and answer the first decision; the save's path."""
    learner = store.learner(name, "autumn")
    with store.open(learner, MODULE) as save:
        save.record(save.playthrough().respond(["a"], confidence=3, reason="r"))
    return save.path


def test_a_missing_learner_toml_is_repaired_from_the_saves_beside_it(store):
    path = played(store, "Sam Okafor")
    (path.parent / "learner.toml").unlink()
    assert store.learner("Sam-Okafor!").id == "sam-okafor-2"  # another name: not given the folder
    learner = store.learner("sam okafor", "autumn")
    assert learner.id == "sam-okafor" and learner.name == "Sam Okafor"
    assert owner(path.parent) == "Sam Okafor"
    with store.open(learner, MODULE) as save:
        assert save.playthrough().answer_for("d-single") is not None  # progress resumes


@pytest.mark.parametrize(
    "content", [b"", b"name = [", b"\xff\xfe", b'id = "sam-okafor"\n', b'name = ""\n', b"name = 7\n"]
)
def test_an_unreadable_learner_toml_is_kept_and_repaired_from_the_saves(store, content):
    path = played(store, "Sam Okafor")
    damaged = path.parent / "learner.toml"
    damaged.write_bytes(content)
    os.utime(damaged, (0, 0))  # not one being written this moment
    learner = store.learner("Sam Okafor")
    assert learner.id == "sam-okafor"
    assert owner(path.parent) == "Sam Okafor"
    assert (path.parent / "learner.toml.unreadable-20261125T093000Z").read_bytes() == content


@pytest.mark.parametrize("round_", range(5))
@pytest.mark.parametrize("damage", ["missing", "garbage"])
def test_two_sign_ins_at_once_repair_a_learner_toml_once(tmp_path, round_, damage):
    store = SaveStore(tmp_path / "saves", clock=clock)
    path = played(store, "Sam Okafor")
    learner_toml = path.parent / "learner.toml"
    if damage == "missing":
        learner_toml.unlink()
    else:
        learner_toml.write_text("name = [")
        os.utime(learner_toml, (0, 0))
    ids = sign_in_at_once(store.root, ["Sam Okafor", "Sam Okafor", "Sam-Okafor!"])
    assert ids == {"Sam Okafor": "sam-okafor", "Sam-Okafor!": "sam-okafor-2"}
    assert owner(path.parent) == "Sam Okafor"
    assert read_save(path).attempts[0].answers[0].decision_id == "d-single"


def test_a_learner_toml_lost_in_a_folder_that_says_nothing_else_is_reported(store):
    path = played(store, "Sam Okafor")
    path.write_text("not a save")
    path.with_name(path.name + ".bak").unlink(missing_ok=True)
    (path.parent / "learner.toml").unlink()
    with pytest.raises(SaveError) as raised:
        store.learner("Sam Okafor")
    message = str(raised.value)
    assert "no learner.toml" in message and "nothing in it says whose it is" in message
    assert "\n" not in message
    assert not (store.root / "sam-okafor-2").exists()  # never silently forked
    assert path.read_text() == "not a save"


@pytest.mark.parametrize(
    ("learner_id", "name"), [("sam-okafor", "Someone Else"), ("another-folder", "Sam Okafor")]
)
def test_saves_that_do_not_agree_whose_the_folder_is_are_reported(store, learner_id, name):
    path = played(store, "Sam Okafor")
    path.with_name("other.toml").write_bytes(dumps(good_data(learner_id, name)))
    (path.parent / "learner.toml").unlink()
    with pytest.raises(SaveError, match="its saves do not agree on whose it is"):
        store.learner("Sam Okafor")
    assert not (path.parent / "learner.toml").exists()


def test_a_folder_holding_only_locks_and_temporary_files_is_claimed(store):
    folder = store.root / "sam"
    folder.mkdir(parents=True)
    (folder / "fixture.toml.lock").write_text("")
    (folder / ".learner.toml.999999999.00ff.tmp").write_text("half")
    learner = store.learner("Sam")
    assert learner.id == "sam" and owner(folder) == "Sam"
    assert not (folder / ".learner.toml.999999999.00ff.tmp").exists()


# -- symbolic links: never written through, refused in plain words -----------------------


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "victim.txt"
    path.parent.mkdir()
    path.write_text("precious")
    return path


def test_a_symlinked_lock_is_refused_and_its_target_untouched(store, victim):
    learner = store.learner("Sam")
    lock = store.save_path(learner, MODULE.id).with_name("fixture.toml.lock")
    lock.symlink_to(victim)
    with pytest.raises(SaveError) as raised:
        store.open(learner, MODULE)
    assert str(raised.value) == f"could not open the save lock {lock} (a symbolic link is in its place)"
    assert victim.read_text() == "precious"


def test_a_symlinked_save_is_refused_and_its_target_untouched(store, victim):
    learner = store.learner("Sam")
    path = store.save_path(learner, MODULE.id)
    path.symlink_to(victim)
    with pytest.raises(SaveError) as raised:
        store.open(learner, MODULE)
    assert str(raised.value).startswith(f"{path} is a symbolic link, not a save; ")
    assert "\n" not in str(raised.value)
    assert victim.read_text() == "precious" and path.is_symlink()


def test_planted_temporary_symlinks_are_never_written_through(store, victim):
    learner = store.learner("Sam")
    path = store.save_path(learner, MODULE.id)
    planted = []
    for pid in [os.getpid(), *range(2, 400)]:  # every name an older version could have used
        for name in (f".{path.name}.{pid}.tmp", f".{path.name}.bak.{pid}.tmp"):
            link = path.with_name(name)
            link.symlink_to(victim)
            planted.append(link)
    with store.open(learner, MODULE) as save:
        save.record(save.playthrough().respond(["a"], confidence=3, reason="r"))
        save.record(save.playthrough().proceed().proceed())
    assert victim.read_text() == "precious"
    assert read_save(path).attempts[0].stages_done == ["s1"]
    assert not path.is_symlink() and not path.with_name(path.name + ".bak").is_symlink()


def test_a_symlinked_backup_is_replaced_not_followed(store, victim):
    learner = store.learner("Sam")
    path = store.save_path(learner, MODULE.id)
    path.with_name(path.name + ".bak").symlink_to(victim)
    with store.open(learner, MODULE) as save:
        save.record(save.playthrough().respond(["a"], confidence=3, reason="r"))
        save.record(save.playthrough().proceed().proceed())
    assert victim.read_text() == "precious"
    assert not path.with_name(path.name + ".bak").is_symlink()


def test_a_symlinked_learner_folder_is_refused(store, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    store.root.mkdir(parents=True)
    (store.root / "sam").symlink_to(outside, target_is_directory=True)
    with pytest.raises(SaveError) as raised:
        store.learner("Sam")
    assert str(raised.value).startswith(f"{store.root / 'sam'} is a symbolic link, not a learner folder;")
    assert list(outside.iterdir()) == []


def test_a_learner_folder_swapped_for_a_symlink_after_sign_in_is_refused(store, tmp_path):
    learner = store.learner("Sam")
    folder = store.root / learner.id
    outside = tmp_path / "elsewhere"
    folder.rename(outside)
    folder.symlink_to(outside, target_is_directory=True)
    with pytest.raises(SaveError, match="is a symbolic link, not a learner folder"):
        store.open(learner, MODULE)
    assert sorted(p.name for p in outside.iterdir()) == ["learner.toml"]


def test_a_symlinked_learner_toml_is_refused(store, victim):
    folder = store.root / "sam"
    folder.mkdir(parents=True)
    (folder / "learner.toml").symlink_to(victim)
    with pytest.raises(SaveError, match="is a symbolic link"):
        store.learner("Sam")
    assert victim.read_text() == "precious"


def test_a_symlinked_file_written_atomically_is_refused(tmp_path, victim):
    from trainer.saves.atomic import atomic_write

    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    with pytest.raises(SaveError, match="is a symbolic link"):
        atomic_write(link, "x", keep_backup=False)
    assert victim.read_text() == "precious"


# -- named pipes, devices and links where the cohort commands read ----------------------


def test_pipes_devices_and_links_in_a_saves_folder_are_skipped_with_a_warning(tmp_path, capsys):
    root = tmp_path / "saves"
    good = root / "amal" / "tutorial-riverside.toml"
    good.parent.mkdir(parents=True)
    good.write_bytes(dumps(good_data("amal", "Amal")))
    fifo = root / "amal" / "pipe.toml"
    os.mkfifo(fifo)
    link = root / "amal" / "link.toml"
    link.symlink_to(good)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "tutorial-riverside.toml").write_bytes(dumps(good_data("eve", "Eve")))
    folder_link = root / "eve"
    folder_link.symlink_to(outside, target_is_directory=True)
    skipped = {fifo: "a named pipe", link: "a symbolic link", folder_link: "a symbolic link"}
    try:
        device = root / "amal" / "device.toml"
        os.mknod(device, stat.S_IFCHR | 0o600, os.stat("/dev/null").st_rdev)
        skipped[device] = "a device"
    except (OSError, AttributeError):  # not allowed here: the pipe stands for it
        pass
    results = dict(iter_saves(root))
    assert set(results) == {good, *skipped}
    assert read_save(good).to_data() == results[good].to_data()  # type: ignore[union-attr]
    for path, kind in skipped.items():
        assert isinstance(results[path], SaveError)
        assert str(results[path]).startswith(f"{path}: {kind}")
    assert main(["progress", "--saves", str(root)]) == 0
    out, err = capsys.readouterr()
    for path in skipped:
        assert sum(f"skipped {path}:" in line for line in err.splitlines()) == 1
    assert "Amal" in out and "Eve" not in out


# -- the lock -------------------------------------------------------------------------


HOLDER = """
import sys, time
sys.path.insert(0, {root!r})
from tests.engine.fixture import fixture_module
from trainer.saves.store import SaveStore
store = SaveStore({saves!r})
save = store.open(store.learner("Sam"), fixture_module())
print("held", flush=True)
time.sleep(60)
"""


def test_a_save_open_in_another_app_is_refused_and_taken_over_when_it_dies(store):
    learner = store.learner("Sam")
    root = str(Path(__file__).resolve().parents[2])
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOLDER.format(root=root, saves=str(store.root)))],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(SaveLockedError) as raised:
            store.open(learner, MODULE)
        assert str(raised.value) == (
            f"'Fixture' for Sam is open elsewhere (process {holder.pid}); close it there first"
        )
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with store.open(learner, MODULE) as save:  # the dead app's lock is taken over
        save.record(save.playthrough().respond(["a"], confidence=3, reason="r"))
        with pytest.raises(SaveLockedError):
            store.open(learner, MODULE)  # and held against a second app in this process
