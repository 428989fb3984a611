"""`trainer progress`: the cohort's progress as a table, or a record per learner where the
table would not fit the terminal."""

from __future__ import annotations

import argparse
import os
import shutil
import sys

from trainer.commands._folders import saves_folders
from trainer.terminal import safe, warn

COLUMNS = ("Learner", "Cohort", "Module", "Attempt", "Answered", "Score", "Finished")


def run(args: argparse.Namespace) -> int:
    """Print a Rich table if it fits the terminal's width (a pipe or file, unless COLUMNS
    says otherwise, gets whole rows), else a record per learner over several lines: a name,
    cohort or id is wrapped, never cut. Skipped saves are named on stderr.

    Names, cohorts and module ids come from saves anyone could have written: each is shown
    safe (no ESC, control, bidi or invisible character reaches the terminal raw), and as
    text, never markup."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table

    from trainer.cohort.progress import progress_records, progress_rows, wrap
    from trainer.cohort.records import Options, read_records
    from trainer.debrief import percent

    folders = saves_folders(args)
    where = ", ".join(str(folder) for folder in folders)
    options = Options(cohort=args.cohort, module=args.module, all_attempts=True)
    records, warnings = read_records(folders, options)
    for warning in warnings:
        warn(warning)
    rows = progress_rows(records)
    if not rows:
        print(safe(f"No saves found in {where}."), file=sys.stderr)
        return 0
    table = Table(title=safe(f"Progress in {where}"), title_justify="left")
    for column in COLUMNS:
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
    width = _width()
    console = Console(markup=False, highlight=False, width=10_000)
    wanted = Measurement.get(console, console.options, table).maximum
    if width is None or wanted <= width:
        console.width = width or max(200, wanted)
        console.print(table)
        return 0
    title = wrap([safe(f"Progress in {where}")], width, cell_width=cell_len)
    lines = [*title, *progress_records(rows, width, safe, cell_len)]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _width() -> int | None:
    """The terminal's width: COLUMNS if set, else the terminal's own; None for a pipe or a
    file, which gets whole rows."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None
