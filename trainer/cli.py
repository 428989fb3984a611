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
from collections.abc import Sequence
from typing import Any

from trainer.errors import TrainerError, UsageError
from trainer.terminal import safe

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, as documented in the README."""
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    play = commands.add_parser("play", help="start or resume a module (id or path)")
    play.add_argument("module", metavar="MODULE", help="module id or path to a .toml file")
    play.add_argument("--learner", metavar="NAME", help="your name (skips the sign-in)")
    play.add_argument("--cohort", metavar="NAME", help="your cohort or group")
    play.add_argument("--saves", metavar="DIR", default=argparse.SUPPRESS)
    play.add_argument("--modules", metavar="DIR", default=argparse.SUPPRESS)
    play.add_argument(
        "--facilitator", action="store_true", help="preview with every verdict; writes no save"
    )

    seminar = commands.add_parser("seminar", help="the facilitator's live view of a room")
    seminar.add_argument("module", metavar="MODULE", help="module id or path to a .toml file")
    seminar.add_argument("--cohort", metavar="C", required=True, help="the cohort in the room")
    seminar.add_argument("--saves", metavar="DIR", default=argparse.SUPPRESS)
    seminar.add_argument("--modules", metavar="DIR", default=argparse.SUPPRESS)

    modules = commands.add_parser("modules", help="list the modules found")
    modules.add_argument("--modules", metavar="DIR", default=argparse.SUPPRESS)

    validate = commands.add_parser("validate", help="check module files or folders")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument("--strict", action="store_true", help="warnings fail too")
    validate.add_argument("--json", action="store_true", help="print one JSON object")

    new = commands.add_parser("new", help="write a valid starter module to edit")
    new.add_argument("id", metavar="ID")
    new.add_argument("--dir", metavar="DIR", default=".", help="folder to write it in")

    progress = commands.add_parser("progress", help="a cohort's progress")
    _cohort_filters(progress)

    export = commands.add_parser("export", help="export answers as CSV, JSON or xAPI")
    export.add_argument("--format", required=True, choices=["csv", "json", "xapi"])
    _cohort_filters(export)
    export.add_argument("-o", "--output", metavar="FILE", default="-", help="file, or - for stdout")
    export.add_argument("--all-attempts", action="store_true", help="every attempt, not the last")
    export.add_argument("--anonymise", action="store_true", help="stable pseudonyms for learners")
    export.add_argument("--no-text", action="store_true", help="leave out written answers")
    export.add_argument("--homepage", metavar="URL", help="xAPI account homePage")

    report = commands.add_parser("report", help="write a cohort report as one HTML file")
    _cohort_filters(report)
    report.add_argument("-o", "--output", metavar="FILE.html", required=True)
    report.add_argument("--anonymise", action="store_true", help="stable pseudonyms for learners")
    report.add_argument("--no-text", action="store_true", help="leave out written answers")
    report.add_argument("--modules", metavar="DIR", default=argparse.SUPPRESS)

    push = commands.add_parser("push", help="send xAPI statements to a Learning Record Store")
    push.add_argument("--lrs", metavar="URL", required=True, help="the LRS endpoint")
    push.add_argument("--user", metavar="U", help="Basic auth user")
    push.add_argument(
        "--password-env", metavar="VAR", help="environment variable holding the password"
    )
    _cohort_filters(push)
    push.add_argument("--homepage", metavar="URL", help="xAPI account homePage")
    push.add_argument("--batch-size", type=int, default=500, metavar="N")

    serve = commands.add_parser("serve", help="serve the app to web browsers")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--saves", metavar="DIR", default=argparse.SUPPRESS)
    serve.add_argument("--modules", metavar="DIR", default=argparse.SUPPRESS)
    serve.add_argument("--public-url", metavar="URL")
    return parser


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
    """`--version`: the installed version, read only when asked for (importlib.metadata costs
    about 50 ms, which every other command would pay at start)."""

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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        command = args.command or "app"
        handler = importlib.import_module(f"trainer.commands.{command}")
        status: int = handler.run(args)
        return status
    except UsageError as error:
        _say(str(error))
        return EXIT_USAGE
    except TrainerError as error:
        _say(f"trainer: {error}")
        return 1
    except KeyboardInterrupt:
        print("trainer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except OSError as error:
        _say(f"trainer: {_os_message(error)}")
        return 1
    except Exception as error:  # the last guard: a plain line, never a traceback
        if os.environ.get("TRAINER_DEBUG"):
            raise
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
