"""The command line as a user meets it: installed entry point, one-line errors, exit codes."""

import contextlib
import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer import __version__
from trainer.cli import COMMANDS, NO_COMMAND, build_parser, main, parse_arguments
from trainer.errors import UsageError

TRAINER = shutil.which("trainer", path=str(Path(sys.executable).parent))


def test_version_from_the_installed_entry_point():
    assert TRAINER, "the trainer command is installed beside this Python"
    result = subprocess.run([TRAINER, "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"trainer {__version__}"


@pytest.mark.parametrize("command", [NO_COMMAND, *COMMANDS])
def test_every_command_and_no_command_have_a_module_that_runs_them(command):
    """The command line imports `trainer.commands.<command>` by name: each must be there."""
    module = importlib.import_module(f"trainer.commands.{command}")
    assert callable(module.run)


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("trainer ")


def _parsed(parse, argv):
    """What a parse makes of argv: the namespace, or the usage error."""
    try:
        return vars(parse(argv))
    except UsageError as error:
        return str(error)


PARSE_CASES = [
    [],
    ["play", "m.toml", "--learner", "Ann", "--cohort", "c"],
    ["--saves", "a", "play", "m", "--saves", "b", "--facilitator"],
    ["--saves", "export", "play", "m"],  # a folder named like a command
    ["--saves", "play", "export", "--format", "csv"],
    ["--modules", "d", "seminar", "m", "--cohort", "c"],
    ["seminar", "m"],
    ["modules", "--modules", "d"],
    ["validate", "a.toml", "b", "--strict", "--json"],
    ["validate"],
    ["new", "my-case", "--dir", "out"],
    ["progress", "--saves", "a", "--saves", "b", "--cohort", "c", "--module", "m"],
    ["export", "--format", "xapi", "-o", "f", "--all-attempts", "--anonymise", "--no-text"],
    ["export", "--format", "pdf"],
    ["report", "-o", "r.html", "--modules", "d"],
    ["push", "--lrs", "http://x", "--user", "u", "--password-env", "P", "--batch-size", "9"],
    ["push", "--batch-size", "many"],
    ["serve", "--host", "0.0.0.0", "--port", "9", "--public-url", "http://h"],
    ["play", "--bogus"],
    ["no-such-command"],
    ["--bogus", "play", "m"],
]


@pytest.mark.parametrize("argv", PARSE_CASES, ids=" ".join)
def test_the_parser_of_the_named_commands_reads_as_the_whole_one(argv):
    assert _parsed(parse_arguments, argv) == _parsed(build_parser().parse_args, argv)


@pytest.mark.parametrize("argv", PARSE_CASES, ids=" ".join)
def test_a_line_read_by_the_named_commands_alone_is_read_alike(argv):
    """Where the parser of only the named commands reads a line without error, it reads it as
    the whole parser does (on an error `parse_arguments` asks the whole parser again)."""
    named = build_parser(named=set(argv) & COMMANDS.keys())
    if isinstance(lean := _parsed(named.parse_args, argv), dict):
        assert lean == _parsed(build_parser().parse_args, argv)


@pytest.mark.parametrize("asking", ["--help", "-h", "--he"])
@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_the_whole_parsers(command, asking, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    argv = [command, asking] if command else [asking]
    helps = []
    for parse in (parse_arguments, build_parser().parse_args):
        with pytest.raises(SystemExit):
            parse(argv)
        helps.append(capsys.readouterr().out)
    assert helps[0] == helps[1] and "usage: trainer" in helps[0]
    if not command:
        assert all(name in helps[0] for name in COMMANDS), "help lists every command"


@pytest.mark.parametrize(
    "argv",
    [["no-such-command"], ["export"], ["export", "--format", "pdf"], ["--bogus"], ["play"]],
)
def test_usage_errors_are_one_line_and_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


# -- play with a saves folder that cannot be written, or a named pipe in it -----

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_SKIP = "running as root, which ignores folder permissions (the os.open variant covers it)"
MODULE_ID = "tutorial-riverside"

READ_ONLY = """
import errno, os, sys
real_open = os.open
def refusing_open(path, flags, *args, **kwargs):
    if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))
    return real_open(path, flags, *args, **kwargs)
def refusing_replace(src, dst, *args, **kwargs):
    raise PermissionError(errno.EACCES, "Permission denied", str(src))
if "open" in sys.argv[1]:
    os.open = refusing_open
if "replace" in sys.argv[1]:
    os.replace = refusing_replace
from trainer.cli import COMMANDS, build_parser, main
from trainer.errors import UsageError
sys.exit(main(sys.argv[2:]))
"""


def signed_in_before(saves: Path) -> Path:
    """A saves folder where Sam has signed in before, so signing in again writes nothing."""
    folder = saves / "sam"
    folder.mkdir(parents=True)
    (folder / "learner.toml").write_text('id = "sam"\nname = "Sam"\n', encoding="utf-8")
    return folder


def play_argv(saves: Path) -> list[str]:
    return ["play", MODULE_ID, "--learner", "Sam", "--saves", str(saves)]


def run_trainer(argv: list[str]) -> subprocess.CompletedProcess[str]:
    assert TRAINER
    return subprocess.run(
        [TRAINER, *argv], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
    )


def run_read_only(what: str, argv: list[str]) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh process where creating, writing or renaming files fails."""
    return subprocess.run(
        [sys.executable, "-c", READ_ONLY, what, *argv],
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )


def one_plain_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("trainer: ")
    return lines[0]


@contextlib.contextmanager
def read_only_folders(*folders: Path) -> Iterator[None]:
    for folder in folders:
        folder.chmod(0o555)
    try:
        yield
    finally:
        for folder in folders:
            folder.chmod(0o755)


@pytest.mark.skipif(ROOT_USER, reason=ROOT_SKIP)
def test_play_with_a_read_only_saves_folder_is_one_plain_line(tmp_path):
    saves = tmp_path / "saves"
    folder = signed_in_before(saves)
    with read_only_folders(saves, folder):
        line = one_plain_line(run_trainer(play_argv(saves)))
    lock = folder / f"{MODULE_ID}.toml.lock"
    assert line == f"trainer: could not open the save lock {lock} (Permission denied)"


@pytest.mark.skipif(ROOT_USER, reason=ROOT_SKIP)
def test_play_for_a_new_learner_in_a_read_only_saves_folder_is_one_plain_line(tmp_path):
    saves = tmp_path / "saves"
    saves.mkdir()
    with read_only_folders(saves):
        line = one_plain_line(run_trainer(play_argv(saves)))
    assert line == f"trainer: could not create {saves / 'sam'} (Permission denied)"


def test_play_where_nothing_can_be_written_is_one_plain_line(tmp_path):
    saves = tmp_path / "saves"
    folder = signed_in_before(saves)
    line = one_plain_line(run_read_only("open", play_argv(saves)))
    lock = folder / f"{MODULE_ID}.toml.lock"
    assert line == f"trainer: could not open the save lock {lock} (Permission denied)"


def test_play_with_a_named_pipe_in_place_of_the_lock_is_one_plain_line(tmp_path):
    saves = tmp_path / "saves"
    lock = signed_in_before(saves) / f"{MODULE_ID}.toml.lock"
    os.mkfifo(lock)
    line = one_plain_line(run_trainer(play_argv(saves)))
    assert line == f"trainer: could not open the save lock {lock} (a named pipe is in its place)"


def test_play_with_a_named_pipe_in_place_of_the_save_it_cannot_move_is_one_plain_line(tmp_path):
    saves = tmp_path / "saves"
    save = signed_in_before(saves) / f"{MODULE_ID}.toml"
    os.mkfifo(save)
    line = one_plain_line(run_read_only("replace", play_argv(saves)))
    assert line == (
        f"trainer: the save {save} could not be read (a named pipe, not a regular file) "
        "nor moved aside (Permission denied); it is unchanged"
    )


# -- nothing from a file reaches the terminal raw ---------------------------------------------

ESC_KEY = '"\\u001b]0;pwned\\u0007\\u202e" = 1\n'
"""A module's top-level key whose name sets the terminal's title, then reverses the line."""
ESC_FILE = "\x1b]52;c;cm0gLXJmIH4=\x07.toml"
"""A file name that writes the facilitator's clipboard if printed raw."""
RAW = (b"\x1b", b"\x07", b"\x00", b"\xc2\x9b", b"\xe2\x80\xae", b"\xe2\x81\xa6")
"""ESC, BEL, NUL, the C1 CSI, RLO and LRI, as UTF-8."""


def hostile_modules(folder: Path) -> Path:
    """The tutorial with a key named by an escape sequence, in a file so named too."""
    folder.mkdir()
    shipped = Path(__file__).parents[1] / "modules" / f"{MODULE_ID}.toml"
    text = shipped.read_text(encoding="utf-8")
    first_table = text.index("\n[") + 1
    (folder / ESC_FILE).write_text(
        text[:first_table] + ESC_KEY + text[first_table:], encoding="utf-8"
    )
    return folder


def test_validate_shows_key_names_and_file_names_escaped(tmp_path, capsys):
    folder = hostile_modules(tmp_path / "modules")
    assert main(["validate", str(folder)]) == 1
    out, err = capsys.readouterr()
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in out + err
    (line,) = [line for line in out.splitlines() if "E103" in line]
    assert "\\x1b]52;c;cm0gLXJmIH4=\\x07.toml" in line
    assert "E103 \\x1b]0;pwned\\x07\\u202e: unknown key" in line


def test_validate_json_escapes_what_it_quotes_and_reads_back_the_same(tmp_path, capsys):
    import json

    folder = hostile_modules(tmp_path / "modules")
    assert main(["validate", "--json", str(folder)]) == 1
    out = capsys.readouterr().out
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in out
    (report,) = json.loads(out)["files"]
    assert report["path"] == str(folder / ESC_FILE)
    assert "\x1b]0;pwned\x07\u202e" in {problem["key"] for problem in report["problems"]}


def test_the_modules_list_names_a_broken_file_escaped(tmp_path, capsys):
    folder = hostile_modules(tmp_path / "modules")
    assert main(["modules", "--modules", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    (line,) = [line for line in err.splitlines() if line.startswith("trainer: skipped ")]
    assert "\\x1b]52;c;cm0gLXJmIH4=\\x07.toml" in line


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["validate", "\x1b]0;pwned\x07\nsecond line"], 2),  # a usage error
        (["export", "--format", "csv", "--saves", "\x1b]0;pwned\x07"], 1),  # a trainer error
        (["report", "--saves", "cohort", "-o", "\x1b]0;pwned\x07/r.html"], 1),  # a file-system error
        (["report", "--saves", ".", "-o", "\x1b]0;pwned\x07.html"], 2),  # inside the saves folder
    ],
)
def test_error_lines_show_what_they_quote_escaped(argv, status, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cohort").mkdir()
    (tmp_path / "\x1b]0;pwned\x07").write_text("a file, where a folder would be")
    assert main(argv) == status
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert len(err.splitlines()) == 1 and "\\x1b]0;pwned\\x07" in err


def test_no_command_writes_a_raw_escape_to_the_terminal(tmp_path):
    """Every cohort command and validate, run as a facilitator runs them, on hostile saves
    and modules: stdout and stderr carry no ESC, BEL, NUL, C1 or bidi control."""
    from tests.cohort.conftest import write_hostile_cohort

    saves = write_hostile_cohort(tmp_path / "saves")
    modules = hostile_modules(tmp_path / "modules")
    runs = [
        ["progress", "--saves", str(saves)],
        ["export", "--format", "csv", "--saves", str(saves)],
        ["export", "--format", "json", "--saves", str(saves), "--all-attempts"],
        ["export", "--format", "xapi", "--saves", str(saves)],
        ["export", "--format", "csv", "--saves", str(saves), "-o", str(tmp_path / "a.csv")],
        ["report", "--saves", str(saves), "-o", str(tmp_path / "r.html")],
        ["validate", str(modules)],
        ["validate", "--json", str(modules)],
        ["modules", "--modules", str(modules)],
        ["export", "--format", "csv", "--saves", str(tmp_path / ESC_FILE)],
    ]
    assert TRAINER
    shown = []
    for argv in runs:
        result = subprocess.run(
            [TRAINER, *argv], capture_output=True, timeout=60, stdin=subprocess.DEVNULL
        )
        assert b"Traceback" not in result.stderr, (argv, result.stderr[-2000:])
        for stream in (result.stdout, result.stderr):
            for raw in RAW:
                assert raw not in stream, (argv, raw, stream[:2000])
        shown.append(result.stdout + result.stderr)
    assert b"Mallory <script>" in shown[0] and b"\\x1b]0;pwned\\x07" in shown[0]
    assert all(b"\\x1b]" in output for output in shown)  # each shows an escape, visibly
    for written in (tmp_path / "a.csv", tmp_path / "r.html"):
        assert b"\x1b" not in written.read_bytes() and b"\x00" not in written.read_bytes()
