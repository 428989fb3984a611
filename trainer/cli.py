"""The `trainer` command line: argparse, one handler module per command, loaded lazily.

Only the commands that open the app import Textual, so `validate`, `export` and
`--version` start fast. Every failure becomes one plain line on stderr and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Collection, Sequence
from typing import Any

from trainer.errors import TrainerError, UsageError
from trainer.gc_hold import hold_collection, resume_collection
from trainer.sanitise import safe

EXIT_USAGE = 2
THEME_HELP = "the app's colours: default or high-contrast (else TRAINER_THEME)"
NO_COMMAND = "open_app"
"""The module under `trainer.commands` that runs when no command is named: the app."""
OPENS_THE_APP = {NO_COMMAND, "play"}
"""Commands after which the app resumes garbage collection at its first frame
(`trainer.gc_hold`); every other command resumes it once its arguments are read."""


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def build_parser(named: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line, as documented in the README.

    Args:
        named: build only these commands (those named on the command line, as
            `parse_arguments` passes). argparse makes a parser, a help formatter and looks up
            translations for every command and argument added: the ten commands' parsers
            were a measurable part of every start (docs/performance.md), where only the
            command being run reads any. Such a parser reads a command line that names no
            other command as the whole one does; `parse_arguments` falls back to the whole
            one for help and for every usage error, whose messages list every command.
    """
    parser = _Parser(
        prog="trainer",
        description="Work through real child-protection cases and compare your decisions "
        "with what the serious case review found.",
    )
    parser.add_argument("--version", action=_ShowVersion, help="show the version and exit")
    parser.add_argument(
        "--saves", metavar="DIR", action=_SavesFolder, help="saves folder (else TRAINER_SAVES)"
    )
    parser.add_argument("--modules", metavar="DIR", help="extra folder of modules")
    parser.add_argument("--theme", metavar="NAME", help=THEME_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (help_text, add_arguments) in COMMANDS.items():
        if named is None or name in named:
            add_arguments(commands.add_parser(name, help=help_text))
    return parser


def parse_arguments(given: Sequence[str]) -> argparse.Namespace:
    """What the whole command line makes of `given`, building only the commands it names.

    A line that names a command names it by its exact name (argparse matches no prefix of a
    command), so the commands among its words are the only ones it can run. Help, and every
    usage error, are the whole parser's, so that they list every command."""
    if not any(_asks_for_help(word) for word in given):
        try:
            return build_parser(named=COMMANDS.keys() & set(given)).parse_args(given)
        except UsageError:
            pass  # said again, in the whole parser's words
    return build_parser().parse_args(given)


def _asks_for_help(word: str) -> bool:
    """Whether a word may be read as help: `-h` (perhaps with other short options after it),
    or `--help` or a prefix of it that argparse takes for it."""
    return word.startswith("-h") or (len(word) > 2 and "--help".startswith(word))


def _play(play: argparse.ArgumentParser) -> None:
    play.add_argument("module", metavar="MODULE", help="module id or path to a .toml file")
    play.add_argument("--learner", metavar="NAME", help="your name (skips the sign-in)")
    play.add_argument("--cohort", metavar="NAME", help="your cohort or group")
    play.add_argument("--saves", metavar="DIR", default=argparse.SUPPRESS)
    play.add_argument("--modules", metavar="DIR", default=argparse.SUPPRESS)
    play.add_argument(
        "--facilitator", action="store_true", help="preview with every verdict; writes no save"
    )
    play.add_argument(
        "--plain",
        action="store_true",
        help="plain lines on standard output, answers typed on standard input: for screen "
        "readers, braille displays and pipes",
    )
    play.add_argument("--theme", metavar="NAME", default=argparse.SUPPRESS, help=THEME_HELP)


def _seminar(seminar: argparse.ArgumentParser) -> None:
    seminar.add_argument("module", metavar="MODULE", help="module id or path to a .toml file")
    seminar.add_argument("--cohort", metavar="C", required=True, help="the cohort in the room")
    seminar.add_argument("--saves", metavar="DIR", default=argparse.SUPPRESS)
    seminar.add_argument("--modules", metavar="DIR", default=argparse.SUPPRESS)


def _modules(modules: argparse.ArgumentParser) -> None:
    modules.add_argument("--modules", metavar="DIR", default=argparse.SUPPRESS)


def _validate(validate: argparse.ArgumentParser) -> None:
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument("--strict", action="store_true", help="warnings fail too")
    validate.add_argument("--json", action="store_true", help="print one JSON object")


def _new(new: argparse.ArgumentParser) -> None:
    new.add_argument("id", metavar="ID")
    new.add_argument("--dir", metavar="DIR", default=".", help="folder to write it in")


HOMEPAGE_HELP = (
    "xAPI account homePage, your organisation's address (default: TRAINER_XAPI_HOMEPAGE, "
    "else https://trainer.invalid, a reserved name that is never a real site)"
)


def _export(export: argparse.ArgumentParser) -> None:
    export.add_argument("--format", required=True, choices=["csv", "json", "xapi"])
    _cohort_filters(export)
    export.add_argument("-o", "--output", metavar="FILE", default="-", help="file, or - for stdout")
    export.add_argument(
        "--all-attempts",
        action="store_true",
        help="every attempt, not only the latest finished and the one in progress",
    )
    export.add_argument("--anonymise", action="store_true", help="stable pseudonyms for learners")
    export.add_argument("--no-text", action="store_true", help="leave out written answers")
    export.add_argument("--homepage", metavar="URL", help=HOMEPAGE_HELP)


def _report(report: argparse.ArgumentParser) -> None:
    _cohort_filters(report)
    report.add_argument("-o", "--output", metavar="FILE.html", required=True)
    report.add_argument("--anonymise", action="store_true", help="stable pseudonyms for learners")
    report.add_argument("--no-text", action="store_true", help="leave out written answers")
    report.add_argument("--modules", metavar="DIR", default=argparse.SUPPRESS)


def _push(push: argparse.ArgumentParser) -> None:
    push.add_argument("--lrs", metavar="URL", required=True, help="the LRS endpoint")
    push.add_argument("--user", metavar="U", help="Basic auth user")
    push.add_argument(
        "--password-env", metavar="VAR", help="environment variable holding the password"
    )
    _cohort_filters(push)
    push.add_argument("--homepage", metavar="URL", help=HOMEPAGE_HELP)
    push.add_argument("--batch-size", type=int, default=500, metavar="N")


def _serve(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--saves", metavar="DIR", default=argparse.SUPPRESS)
    serve.add_argument("--modules", metavar="DIR", default=argparse.SUPPRESS)
    serve.add_argument("--public-url", metavar="URL")
    serve.add_argument(
        "--max-sessions",
        type=int,
        metavar="N",
        help="apps at once (default: 16 a processor core, within half the memory)",
    )


class _SavesFolder(argparse.Action):
    """`--saves DIR` before the command: the app and `play` take the last folder given (as
    `saves`); the cohort commands read every one given (`saves_given`), with their own."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        namespace.saves = values
        namespace.saves_given = [*(getattr(namespace, "saves_given", None) or []), values]


class _ShowVersion(argparse.Action):
    """`--version`: the version, `trainer.__version__` (a constant: reading the installed
    metadata would cost every command's start, docs/performance.md)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        from trainer import __version__

        print(f"trainer {__version__}")
        parser.exit()


def _cohort_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--saves",
        metavar="DIR",
        action="append",
        dest="cohort_saves",
        default=argparse.SUPPRESS,
        help="a saves folder; give it again to read several as one (else TRAINER_SAVES)",
    )
    parser.add_argument("--cohort", metavar="C", help="only this cohort")
    parser.add_argument("--module", metavar="ID", help="only this module")


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "play": ("start or resume a module (id or path)", _play),
    "seminar": ("the facilitator's live view of a room", _seminar),
    "modules": ("list the modules found", _modules),
    "validate": ("check module files or folders", _validate),
    "new": ("write a valid starter module to edit", _new),
    "progress": ("a cohort's progress", _cohort_filters),
    "export": ("export answers as CSV, JSON or xAPI", _export),
    "report": ("write a cohort report as one HTML file", _report),
    "push": ("send xAPI statements to a Learning Record Store", _push),
    "serve": ("serve the app to web browsers", _serve),
}
"""Each command: its line in `trainer --help`, and what adds its arguments."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    hold_collection()
    try:
        return _run(sys.argv[1:] if argv is None else list(argv))
    except (Exception, KeyboardInterrupt) as error:
        if _unexpected(error) and os.environ.get("TRAINER_DEBUG"):
            raise
        return _failed(error)
    finally:
        resume_collection()


def _run(given: list[str]) -> int:
    """Parse the arguments and run the command they name (the app if none)."""
    args = parse_arguments(given)
    command = args.command or NO_COMMAND
    if command not in OPENS_THE_APP:
        resume_collection()
    handler = importlib.import_module(f"trainer.commands.{command}")
    status: int = handler.run(args)
    return status


def _unexpected(error: BaseException) -> bool:
    """Whether a failure is none of those `_failed` words for itself (a bug, not a user's
    mistake or a file that cannot be read)."""
    return not isinstance(error, (TrainerError, KeyboardInterrupt, OSError))


def _failed(error: BaseException) -> int:
    """The exit status of a failure, its one line said on stderr (none for a closed pipe)."""
    if isinstance(error, UsageError):
        _say(str(error))
        return EXIT_USAGE
    if isinstance(error, TrainerError):
        _say(f"trainer: {error}")
        return 1
    if isinstance(error, KeyboardInterrupt):
        print("trainer: interrupted", file=sys.stderr)
        return 130
    if isinstance(error, BrokenPipeError):
        return 1
    if isinstance(error, OSError):
        _say(f"trainer: {_os_message(error)}")
        return 1
    # The last guard: a plain line, never a traceback (TRAINER_DEBUG shows it instead).
    _say(f"trainer: unexpected error ({type(error).__name__}: {error})")
    return 1


def _say(line: str) -> None:
    """An error as one line on stderr. Messages quote file names, ids and text from files
    anyone could have written: shown safe, so no ESC, control, bidi or invisible character
    reaches the terminal raw and a newline cannot start a second line."""
    print(safe(line), file=sys.stderr)


def _os_message(error: OSError) -> str:
    """A plain line for a file-system failure."""
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror or error.__class__.__name__}{where}"


if __name__ == "__main__":
    sys.exit(main())
