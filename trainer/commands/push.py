"""`trainer push --lrs URL`: send xAPI statements to a Learning Record Store, with an outbox."""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from collections.abc import Callable
from typing import Any

from trainer import paths
from trainer.commands._folders import module_finder, saves_folders
from trainer.commands.export import xapi_homepage
from trainer.errors import UsageError
from trainer.terminal import warn

DEADLINE_VARIABLE = "TRAINER_PUSH_DEADLINE"


def run(args: argparse.Namespace) -> int:
    """Push every statement not yet accepted; one summary line; exit 1 if anything is left."""
    from trainer.cohort.lrs_endpoint import Endpoint, Timeouts
    from trainer.cohort.outbox import Outbox
    from trainer.cohort.pushing import push
    from trainer.cohort.records import Options, Record, select
    from trainer.cohort.xapi import record_statements

    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if password is None:
            raise UsageError(
                f"trainer push: the environment variable {args.password_env} is not set"
            )
    endpoint = Endpoint.parse(args.lrs, args.user, password)
    timeouts = Timeouts(batch=_deadline(Timeouts.batch))
    options = Options(
        cohort=args.cohort,
        module=args.module,
        all_attempts=True,
        homepage=xapi_homepage(args),
        modules=module_finder(args),
    )
    # Each save's statements are built as it is read, and the save let go: holding a
    # cohort's saves until its statements were built cost a fifth of the time, and memory.
    built: list[list[dict[str, Any]]] = []

    def build(record: Record) -> bytes:
        built.append(record_statements(record, options))
        return b""

    with select(saves_folders(args), options, build) as selection:
        for warning in selection.warnings:
            print(f"trainer: {warning}", file=sys.stderr)
        batch = [statement for number in selection.order for statement in built[number]]
    built.clear()
    folder = paths.outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)

    with contextlib.ExitStack() as stack:
        advance: list[Callable[[int], None]] = []

        def started(total: int) -> None:
            """A bar on stderr (stdout keeps the summary alone, for a log or a script) for a
            push of more than one batch, to the number of statements still to send."""
            if sys.stderr.isatty() and total > args.batch_size:
                from rich.console import Console
                from rich.markup import escape
                from rich.progress import Progress

                bar = stack.enter_context(Progress(console=Console(stderr=True), transient=True))
                task = bar.add_task(f"Sending to {escape(endpoint.url)}", total=total)
                advance.append(lambda n: bar.advance(task, n))

        def progress(n: int) -> None:
            for step in advance:
                step(n)

        result = push(
            batch,
            endpoint,
            folder,
            args.batch_size,
            progress=progress,
            timeouts=timeouts,
            started=started,
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
