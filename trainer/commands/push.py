"""`trainer push --lrs URL`: send xAPI statements to a Learning Record Store, with an outbox."""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator

from trainer import paths
from trainer.commands._folders import module_finder, saves_folders
from trainer.commands.export import xapi_homepage
from trainer.errors import UsageError
from trainer.sanitise import warn

DEADLINE_VARIABLE = "TRAINER_PUSH_DEADLINE"


def run(args: argparse.Namespace) -> int:
    """Push every statement not yet accepted; one summary line; exit 1 if anything is left."""
    from trainer.cohort.lrs_endpoint import Endpoint, Timeouts
    from trainer.cohort.outbox import Outbox
    from trainer.cohort.pushing import push_lines
    from trainer.cohort.records import Options, Record, select
    from trainer.cohort.xapi import record_statements, statement_bytes

    endpoint = Endpoint.parse(args.lrs, args.user, _password(args))
    timeouts = Timeouts(batch=_deadline(Timeouts.batch))
    options = Options(
        cohort=args.cohort,
        module=args.module,
        all_attempts=True,
        homepage=xapi_homepage(args),
        modules=module_finder(args),
    )

    def encode(record: Record) -> bytes:
        """A save's statements, built as it is read and kept encoded (its id, a space, the
        bytes to send, a line each): no statement object outlives its save."""
        return "".join(
            f"{statement['id']} {statement_bytes(statement)}\n"
            for statement in record_statements(record, options)
        ).encode("utf-8")

    folder = paths.outbox_dir()
    with select(saves_folders(args), options, encode, on_cores=True) as selection:
        for warning in selection.warnings:
            print(f"trainer: {warning}", file=sys.stderr)
        folder.mkdir(parents=True, exist_ok=True)
        with contextlib.ExitStack() as stack:
            bar = _Bar(stack, endpoint.url, args.batch_size)
            result = push_lines(
                _lines(selection),
                endpoint,
                folder,
                args.batch_size,
                progress=bar.advance,
                timeouts=timeouts,
                started=bar.start,
            )
    print(f"{endpoint.url}: {result.summary()}")
    for note in result.notes:
        warn(note)
    for statement_id, why in result.refused:
        print(f"trainer: refused {statement_id}: {why}", file=sys.stderr)
    if result.refused:
        refused_path = Outbox(folder, endpoint).refused_path
        print(f"trainer: refused statements are kept in {refused_path}", file=sys.stderr)
    if result.stopped:
        print(
            f"trainer: stopped: {result.stopped}; what was not sent stays queued", file=sys.stderr
        )
        return 1
    return 1 if result.refused else 0


def _lines(blobs: Iterable[bytes]) -> Iterator[tuple[str, str]]:
    """Each statement's id and bytes, from the blobs `run` keeps for each save, in order."""
    for blob in blobs:
        # Split at "\n" alone, which JSON escapes in every string; str.splitlines would also
        # split at the line and paragraph separators a trainee's text may hold.
        for line in blob.decode("utf-8").split("\n")[:-1]:
            statement_id, _, statement = line.partition(" ")
            yield statement_id, statement


class _Bar:
    """A bar on stderr (stdout keeps the summary alone, for a log or a script) for a push of
    more than one batch, to the number of statements still to send."""

    def __init__(self, stack: contextlib.ExitStack, url: str, batch_size: int) -> None:
        self._stack = stack
        self._url = url
        self._batch_size = batch_size
        self._advance: Callable[[int], None] | None = None

    def start(self, total: int) -> None:
        if sys.stderr.isatty() and total > self._batch_size:
            from rich.console import Console
            from rich.markup import escape
            from rich.progress import Progress

            bar = self._stack.enter_context(Progress(console=Console(stderr=True), transient=True))
            task = bar.add_task(f"Sending to {escape(self._url)}", total=total)
            self._advance = lambda n: bar.advance(task, n)

    def advance(self, count: int) -> None:
        if self._advance is not None:
            self._advance(count)


def _password(args: argparse.Namespace) -> str | None:
    """The password from the variable `--password-env` names, if any."""
    if not args.password_env:
        return None
    password = os.environ.get(args.password_env)
    if password is None:
        raise UsageError(f"trainer push: the environment variable {args.password_env} is not set")
    return password


def _deadline(default: float) -> float:
    """Seconds one batch's request may take in all: TRAINER_PUSH_DEADLINE, if set."""
    value = os.environ.get(DEADLINE_VARIABLE)
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise UsageError(f"trainer push: {DEADLINE_VARIABLE} should be a number of seconds above 0")
    return seconds
