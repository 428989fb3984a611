"""`trainer play MODULE --plain` as a pipe drives it: a fresh process, no terminal, answers from
a file on standard input, output to a pipe.

No escape sequence reaches the output, every line fits 80 columns (or COLUMNS), the save
holds the answers typed, failures are one line on stderr, and end of input is status 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.content.shipped import SHIPPED, shipped_ids
from tests.plain.scripts import aligned, assert_plain, begin, fresh, run, save_path, script
from trainer.content import load_module
from trainer.saves import read_save

ROOT = Path(__file__).resolve().parents[2]


def plain(
    argv: list[str], answers: bytes | str, *, columns: str | None = None, **env: str
) -> subprocess.CompletedProcess[bytes]:
    """`python -m trainer ARGV` with the answers on standard input, output through pipes."""
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    environment["PYTHONPATH"] = str(ROOT)
    if columns is not None:
        environment["COLUMNS"] = columns
    environment.update(env)
    data = answers.encode("utf-8") if isinstance(answers, str) else answers
    return subprocess.run(
        [sys.executable, "-m", "trainer", *argv],
        input=data,
        capture_output=True,
        timeout=120,
        env=environment,
        cwd=ROOT,
    )


def lines_file(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def answers_of(path: Path) -> list[dict]:
    (attempt,) = read_save(path).attempts
    assert attempt.finished
    return [{k: v for k, v in a.to_data().items() if k != "answered_at"} for a in attempt.answers]


@pytest.mark.parametrize("path", SHIPPED, ids=shipped_ids())
def test_a_module_played_through_pipes_to_the_end(path, tmp_path):
    module = load_module(path)
    lines = script(fresh(module), aligned)
    saves = tmp_path / "saves"
    begin(saves, path)
    done = plain(
        ["play", str(path), "--plain", "--learner", "Sam Okafor", "--cohort", "autumn",
         "--saves", str(saves)],
        lines_file(lines),
    )
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert_plain(out, 80)
    assert "1. " in out and "Type y to confirm it" in out
    run(path, lines, tmp_path / "in-process")
    assert answers_of(save_path(saves, module.id)) == answers_of(
        save_path(tmp_path / "in-process", module.id)
    )


def test_lines_wrap_at_the_terminal_width(tmp_path):
    tutorial = SHIPPED[-1]
    lines = script(fresh(load_module(tutorial)), aligned)
    done = plain(
        ["play", str(tutorial), "--plain", "--learner", "Sam", "--saves", str(tmp_path)],
        lines_file(lines[:12]),
        columns="50",
    )
    assert done.returncode == 0
    out = done.stdout.decode("utf-8")
    assert_plain(out, 50)
    assert max(len(line) for line in out.splitlines()) > 40


def test_escape_sequences_and_bytes_that_are_not_utf8_are_said_back_safely(tmp_path):
    tutorial = SHIPPED[-1]
    typed = b"\n\n\n\x1b[A\n\xff\xfe\n\x9b31m\n\xe2\x80\xae1\nq\n"
    done = plain(
        ["play", str(tutorial), "--plain", "--learner", "Sam", "--saves", str(tmp_path)], typed
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8")
    assert_plain(out, 80)
    assert "\\x1b[A" in out and "\u202e" not in out and "\\u202e" in out
    assert "Traceback" not in done.stderr.decode("utf-8", "replace")


def test_a_save_open_elsewhere_is_one_line_on_stderr(tmp_path):
    tutorial = SHIPPED[-1]
    argv = ["play", str(tutorial), "--plain", "--learner", "Sam", "--saves", str(tmp_path)]
    first = subprocess.Popen(
        [sys.executable, "-m", "trainer", *argv],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    try:
        # The save is written once its lock is held (the attempt starts): wait for it.
        save = tmp_path / "sam" / "tutorial-riverside.toml"
        deadline = time.monotonic() + 60
        while not save.exists():
            assert time.monotonic() < deadline, "the first run never opened the save"
            time.sleep(0.05)
        second = plain(argv, "\n")
        err = second.stderr.decode("utf-8")
        assert second.returncode == 1
        assert len(err.strip().splitlines()) == 1 and "open" in err, err
        assert second.stdout == b""
    finally:
        first.communicate(b"q\n", timeout=60)
    assert first.returncode == 0


def test_an_unknown_module_is_one_line_and_status_1(tmp_path):
    done = plain(["play", "no-such-module", "--plain", "--saves", str(tmp_path)], "")
    err = done.stderr.decode("utf-8")
    assert done.returncode == 1 and len(err.strip().splitlines()) == 1, err


def test_signing_in_on_standard_input(tmp_path):
    tutorial = SHIPPED[-1]
    argv = ["play", str(tutorial), "--plain", "--saves", str(tmp_path / "saves")]
    done = plain(argv, "\nAnn Lee\nspring\n\n")
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0
    assert "A name is needed" in out
    assert "Before you start" in out
    (attempt,) = read_save(tmp_path / "saves" / "ann-lee" / "tutorial-riverside.toml").attempts
    assert attempt.answers == []
    # Remembered, as the app's sign-in remembers it: Enter takes it next time.
    again = plain(argv, "\n\nq\n")
    said = " ".join(again.stdout.decode("utf-8").split())
    assert "Your name (just Enter for Ann Lee), then Enter:" in said
    assert "just Enter for spring, - for none" in said
    assert again.returncode == 0


def test_end_of_input_before_signing_in_saves_nothing(tmp_path):
    tutorial = SHIPPED[-1]
    done = plain(["play", str(tutorial), "--plain", "--saves", str(tmp_path / "saves")], "")
    assert done.returncode == 0
    assert "End of input: nothing was saved." in done.stdout.decode("utf-8")
    assert not (tmp_path / "saves").exists() or not any((tmp_path / "saves").rglob("*.toml"))


def test_the_facilitator_preview_in_plain_mode_shows_verdicts_and_writes_nothing(tmp_path):
    tutorial = SHIPPED[-1]
    saves = tmp_path / "saves"
    done = plain(
        ["play", str(tutorial), "--plain", "--facilitator", "--saves", str(saves)],
        "\n\n\n1\ny\n",
    )
    out = " ".join(done.stdout.decode("utf-8").split())
    assert done.returncode == 0
    assert "PREVIEW: nothing is saved" in out
    assert "Aligned with the review · what was done at the time" in out
    assert "Nothing was saved (facilitator preview)." in out
    assert not saves.exists()


RUN_WITHOUT_TEXTUAL = """
import sys
from trainer.cli import main
status = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
assert not loaded, loaded
sys.exit(status)
"""


def test_plain_mode_plays_a_module_to_its_debrief_without_loading_textual(tmp_path):
    """Plain mode shows the app's texts, built by modules that draw them with Textual only when
    the app draws them: here, from the first notice to the debrief (the case file, help,
    glossary, timeline, peers and the path review on the way), Textual is never loaded."""
    tutorial = SHIPPED[-1]
    lines = script(fresh(load_module(tutorial)), aligned)
    extra = ["c", "d1", "", "h", "g", "t"]
    lines = lines[:3] + extra + lines[3:]
    feedback = lines.index("for the child") + 1
    lines = lines[:feedback] + ["p"] + lines[feedback:] + ["r"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("COLUMNS", None)
    begin(tmp_path, tutorial)
    done = subprocess.run(
        [sys.executable, "-c", RUN_WITHOUT_TEXTUAL, "play", str(tutorial), "--plain",
         "--learner", "Sam Okafor", "--cohort", "autumn", "--saves", str(tmp_path)],
        input=lines_file(lines).encode("utf-8"),
        capture_output=True,
        timeout=120,
        env=environment,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr.decode()
    out = " ".join(done.stdout.decode("utf-8").split())
    for seen in ("Case file", "Help: plain mode", "Glossary", "Timeline of the case so far",
                 "How your cohort answered", "Debrief: ", "Your path through the case"):
        assert seen in out, seen
