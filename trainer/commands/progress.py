"""`trainer progress`: the cohort's progress as a table."""

from __future__ import annotations

import argparse
import sys

from trainer import paths
from trainer.terminal import safe, warn


def run(args: argparse.Namespace) -> int:
    """Print a Rich table; skipped saves are named on stderr.

    Names, cohorts and module ids come from saves anyone could have written: each cell is
    shown safe (no ESC, control, bidi or invisible character reaches the terminal raw), and
    as text, never markup."""
    from rich.console import Console
    from rich.table import Table

    from trainer.cohort.progress import progress_rows
    from trainer.cohort.records import Options, read_records
    from trainer.debrief import percent

    root = paths.saves_dir(getattr(args, "saves", None))
    options = Options(cohort=args.cohort, module=args.module, all_attempts=True)
    records, warnings = read_records(root, options)
    for warning in warnings:
        warn(warning)
    rows = progress_rows(records)
    if not rows:
        print(safe(f"No saves found in {root}."), file=sys.stderr)
        return 0
    table = Table(title=safe(f"Progress in {root}"), title_justify="left")
    for column in ("Learner", "Cohort", "Module", "Attempt", "Answered", "Score", "Finished"):
        table.add_column(column, justify="right" if column in ("Attempt", "Answered") else "left")
    table.add_column("Last activity (UTC)")
    for row in rows:
        cells = (
            row.learner,
            row.cohort,
            row.module,
            str(row.attempt),
            f"{row.answered}/{row.total}",
            percent(row.score) if row.score is not None else "-",
            "yes" if row.finished else "no",
            row.last_activity.replace("T", " ")[:16],
        )
        table.add_row(*(safe(cell) for cell in cells))
    # A pipe or file gets whole rows; a terminal gets its own width.
    width = None if sys.stdout.isatty() else 200
    Console(markup=False, highlight=False, width=width).print(table)
    return 0
