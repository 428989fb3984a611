"""Where `export -o` and `report -o` may write: a character device or a named pipe is
written to as a stream and stays what it is (as root, a rename over `/dev/null` replaced
the machine's `/dev/null` with a regular file); a block device, a folder or a link is
refused; and nothing is written inside a saves folder (in use, or one that looks like one)
or over a save. Each refusal is one plain line, before any save is read."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.cohort.conftest import write_cohort
from trainer.cli import main
from trainer.commands._folders import write_parts
from trainer.errors import SaveError

ROOT = Path(__file__).resolve().parents[2]
as_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod needs root"
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def plain_refusal(err: str, *words: str) -> str:
    """The one line of a refusal (nothing read, so no skipped save's warning)."""
    (line,) = err.splitlines()
    assert "Traceback" not in err and "unexpected error" not in err
    for word in words:
        assert word in line, line
    return line


def stdout_export(capsys, saves: Path, fmt: str = "csv") -> str:
    status, out, _ = run(capsys, "export", "--format", fmt, "--saves", str(saves))
    assert status == 0
    return out


# --- Devices and named pipes --------------------------------------------------------------


@as_root
@pytest.mark.parametrize("command", ["export", "report"])
def test_a_character_device_is_written_to_and_stays_a_device(capsys, cohort, tmp_path, command):
    """`trainer export -o /dev/null` as root, on a harmless copy of /dev/null."""
    device = tmp_path / ("fake-devnull.html" if command == "report" else "fake-devnull")
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    before = os.lstat(device)
    argv = ["--format", "csv"] if command == "export" else []
    status, _, err = run(capsys, command, *argv, "--saves", str(cohort), "-o", str(device))
    assert status == 0, err
    after = os.lstat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino
    assert [p.name for p in tmp_path.iterdir() if ".tmp" in p.name] == []


def test_a_named_pipe_gets_the_export_as_a_stream(capsys, cohort, tmp_path):
    pipe = tmp_path / "to-the-gradebook"
    os.mkfifo(pipe)
    received: list[bytes] = []

    def read() -> None:
        with open(pipe, "rb") as reader:  # opens once the export opens the other end
            received.append(reader.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    status, _, err = run(
        capsys, "export", "--format", "csv", "--saves", str(cohort), "-o", str(pipe)
    )
    assert status == 0, err
    reader.join(timeout=30)
    assert received == [stdout_export(capsys, cohort).encode("utf-8")]
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_a_named_pipe_nobody_reads_yet_is_waited_for_and_said_so(cohort, tmp_path):
    pipe = tmp_path / "report.html"
    os.mkfifo(pipe)
    err_path = tmp_path / "err.txt"
    with open(err_path, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "trainer", "report", "--saves", str(cohort), "-o", str(pipe)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 60
        while "waiting for something to read the named pipe" not in err_path.read_text():
            assert process.poll() is None, err_path.read_text()
            assert time.monotonic() < deadline, "never said it was waiting"
            time.sleep(0.05)
        with open(pipe, "rb") as reader:
            page = reader.read()
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert page.lower().startswith(b"<!doctype html>") and page.rstrip().endswith(b"</html>")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert f"Wrote {pipe}" in err_path.read_text()


def trainer(*argv: str, **options) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "trainer", *argv],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
        **options,
    )


def test_the_systems_links_to_a_pipe_are_written_through(capsys, cohort, tmp_path):
    """`-o /dev/stdout` into a pipe, and a shell's `-o >(gzip > x.gz)` (a /dev/fd link)."""
    expected = stdout_export(capsys, cohort).encode("utf-8")
    argv = ["export", "--format", "csv", "--saves", str(cohort)]
    piped = trainer(*argv, "-o", "/dev/stdout", capture_output=True)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == expected
    read_end, write_end = os.pipe()
    received: list[bytes] = []

    def read() -> None:
        with open(read_end, "rb") as pipe:
            received.append(pipe.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    substituted = trainer(
        *argv, "-o", f"/dev/fd/{write_end}", pass_fds=(write_end,), capture_output=True
    )
    os.close(write_end)
    reader.join(timeout=30)
    assert substituted.returncode == 0, substituted.stderr
    assert received == [expected]


def test_dev_stdout_onto_a_file_and_a_link_of_ones_own_are_refused(cohort, tmp_path):
    argv = ["export", "--format", "csv", "--saves", str(cohort)]
    with open(tmp_path / "out.csv", "wb") as out:
        refused = trainer(*argv, "-o", "/dev/stdout", stdout=out, stderr=subprocess.PIPE)
    assert refused.returncode == 2
    assert refused.stderr.decode().endswith("(for standard output, -o -)\n")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    link = tmp_path / "to-the-pipe"
    link.symlink_to(pipe)
    refused = trainer(*argv, "-o", str(link), capture_output=True)
    assert refused.returncode == 2 and b"is a symbolic link" in refused.stderr


@as_root
def test_a_block_device_is_refused(capsys, cohort, tmp_path):
    device = tmp_path / "disk"
    os.mknod(device, 0o600 | stat.S_IFBLK, os.makedev(7, 250))
    status, _, err = run(
        capsys, "export", "--format", "csv", "--saves", str(cohort), "-o", str(device)
    )
    assert status == 2
    plain_refusal(err, f"-o {device} is a device", "a character device, or a named pipe")
    assert stat.S_ISBLK(os.lstat(device).st_mode)


def test_a_folder_is_refused(capsys, cohort, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    status, _, err = run(
        capsys, "export", "--format", "csv", "--saves", str(cohort), "-o", str(folder)
    )
    assert status == 2
    plain_refusal(err, f"-o {folder} is a folder")


def test_a_pipe_put_in_place_while_writing_is_not_replaced(tmp_path):
    target = tmp_path / "export.csv"

    def parts():
        yield "learner_id,learner_name\n"
        os.mkfifo(target)  # something else appears where the file goes, meanwhile
        yield "a,b\n"

    with pytest.raises(SaveError, match="a named pipe is in its place"):
        write_parts(target, parts())
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
    assert list(tmp_path.iterdir()) == [target]  # the temporary file is gone


# --- Saves folders --------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["export", "report"])
def test_inside_the_saves_folder_read_is_refused(capsys, cohort, command):
    target = cohort / "cohort.html"
    argv = ["--format", "csv"] if command == "export" else []
    status, out, err = run(capsys, command, *argv, "--saves", str(cohort), "-o", str(target))
    assert status == 2 and out == ""
    plain_refusal(err, f"trainer {command}: -o {target} is inside the saves folder {cohort}")
    assert not target.exists()


def test_over_a_save_is_refused_and_the_save_kept(capsys, cohort):
    """The review's `export -o SAVES/x/m.toml`: it replaced a save without a word."""
    save = cohort / "sam-okafor" / "tutorial-riverside.toml"
    before = save.read_bytes()
    status, _, err = run(
        capsys, "export", "--format", "csv", "--saves", str(cohort), "-o", str(save)
    )
    assert status == 2
    plain_refusal(err, "is inside the saves folder")
    assert save.read_bytes() == before
    assert [p.name for p in save.parent.iterdir() if ".tmp" in p.name] == []


def test_another_folder_that_looks_like_saves_is_refused(capsys, cohort, tmp_path):
    other = write_cohort(tmp_path / "last-year")
    claimed, unclaimed = other / "zoe-o-brien", other / "sam-okafor"
    (claimed / "learner.toml").write_text('id = "zoe-o-brien"\nname = "Zoë O\'Brien"\n')
    cases = {
        other / "x.csv": f"{other}, which looks like a saves folder (it holds ",
        claimed / "x.csv": f"{claimed}, which looks like a saves folder (it holds learner.toml)",
        claimed / "deeper" / "x.csv": f"{claimed}, which looks like a saves folder",
        unclaimed / "x.csv": "(it holds a save, tutorial-riverside.toml)",
    }
    for target, words in cases.items():
        status, _, err = run(
            capsys, "export", "--format", "csv", "--saves", str(cohort), "-o", str(target)
        )
        assert status == 2
        plain_refusal(err, words)
        assert not target.exists()
    room = tmp_path / "seminar-room"
    (room / ".room").mkdir(parents=True)
    status, _, err = run(capsys, "report", "--saves", str(cohort), "-o", str(room / "r.html"))
    assert status == 2
    plain_refusal(err, "looks like a saves folder (it holds .room)")


def test_a_link_into_the_saves_folder_is_seen_through(capsys, cohort, tmp_path):
    link = tmp_path / "shortcut"
    link.symlink_to(cohort)
    status, _, err = run(
        capsys, "export", "--format", "csv", "--saves", str(cohort), "-o", str(link / "x.csv")
    )
    assert status == 2
    plain_refusal(err, f"is inside the saves folder {cohort}")


def test_a_loose_save_is_not_replaced(capsys, cohort, tmp_path):
    """A save collected from a trainee's machine, alone in a folder of its own."""
    loose = tmp_path / "collected"
    loose.mkdir()
    save = cohort / "sam-okafor" / "tutorial-riverside.toml"
    copy = loose / save.name
    shutil.copy(save, copy)
    status, _, err = run(
        capsys, "export", "--format", "csv", "--saves", str(cohort), "-o", str(copy)
    )
    assert status == 2
    plain_refusal(err, f"{loose}, which looks like a saves folder (it holds a save, ")
    assert copy.read_bytes() == save.read_bytes()


def test_beside_the_saves_folder_is_written_as_before(capsys, cohort, tmp_path):
    target = tmp_path / "exports" / "cohort.csv"
    status, _, err = run(
        capsys, "export", "--format", "csv", "--saves", str(cohort), "-o", str(target)
    )
    assert status == 0, err
    assert target.read_bytes() == stdout_export(capsys, cohort).encode("utf-8")
