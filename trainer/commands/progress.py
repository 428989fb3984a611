"""`trainer progress`: the cohort's progress as a table, or a record per learner where the
table would not fit the terminal."""

from __future__ import annotations

import argparse
import dataclasses
import marshal
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from trainer.commands._folders import module_finder, saves_folders
from trainer.sanitise import safe, warn

if TYPE_CHECKING:
    from rich.console import Console, JustifyMethod
    from rich.table import Table

    from trainer.cohort.records import Record, Selection
    from trainer.cohort.standing import ProgressRow

COLUMNS = ("Learner", "Cohort", "Module", "Attempt", "Answered", "Score", "Finished", "In progress")
LAST_COLUMN = "Last activity (UTC)"
CHUNK = 1000
"""Rows rendered by Rich at a time: a table of a whole cohort is never built."""


def run(args: argparse.Namespace) -> int:
    """Print a row per learner and module (the attempt that counts, and any attempt in
    progress after it): a Rich table if it fits the terminal's width (a pipe or file, unless COLUMNS
    says otherwise, gets whole rows), else a record per learner over several lines: a name,
    cohort or id is wrapped, never cut. Skipped saves are named on stderr.

    Names, cohorts and module ids come from saves anyone could have written: each is shown
    safe (no ESC, control, bidi or invisible character reaches the terminal raw), and as
    text, never markup.

    The saves are read once and each attempt's row kept on disk (`records.select`); the
    table's column widths are measured over every row first, then the table is printed
    a thousand rows at a time with those widths, as Rich prints the whole table."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.measure import Measurement

    from trainer.cohort.records import Options, select
    from trainer.cohort.standing import iter_progress_records, wrap

    folders = saves_folders(args)
    where = ", ".join(str(folder) for folder in folders)
    # Each learner's attempt that counts, with the attempt in progress after it (`records`).
    options = Options(cohort=args.cohort, module=args.module, modules=module_finder(args))
    with select(folders, options, _rows_blob, on_cores=True) as selection:
        for warning in selection.warnings:
            warn(warning)
        if not len(selection):
            print(safe(f"No saves found in {where}."), file=sys.stderr)
            return 0
        console = Console(markup=False, highlight=False, width=10_000)
        widths = _widths(console, (_cells(row) for row in _rows(selection)))
        title = safe(f"Progress in {where}")
        wanted = Measurement.get(console, console.options, _table(title, widths)).maximum
        width = _width()
        if width is None or wanted <= width:
            console.width = width or max(200, wanted)
            _print_table(console, title, widths, (_cells(row) for row in _rows(selection)))
            return 0
        lines = wrap([title], width, cell_width=cell_len)
        lines += iter_progress_records(_rows(selection), width, safe, cell_len)
        for line in lines:
            sys.stdout.write(line + "\n")
    return 0


def _rows_blob(record: Record) -> bytes:
    from trainer.cohort.standing import record_rows

    return marshal.dumps([dataclasses.astuple(row) for row in record_rows(record)])


def _rows(selection: Selection) -> Iterator[ProgressRow]:
    from trainer.cohort.standing import ProgressRow

    for blob in selection:
        for fields in marshal.loads(blob):
            yield ProgressRow(*fields)


def _cells(row: ProgressRow) -> tuple[str, ...]:
    from trainer.debrief_markdown import percent

    answered = f"{row.in_progress_answered}/{row.in_progress_total}"
    cells = (
        row.learner,
        row.cohort,
        row.module,
        str(row.attempt),
        f"{row.answered}/{row.total}",
        percent(row.score) if row.score is not None else "-",
        "yes" if row.finished else "no",
        f"attempt {row.in_progress}, {answered}" if row.in_progress else "",
        row.last_activity.replace("T", " ")[:16],
    )
    return tuple(safe(cell) for cell in cells)


def _widths(console: Console, rows: Iterable[tuple[str, ...]]) -> list[int]:
    """Each column's width as Rich measures it for the whole table: its widest cell."""
    from rich.measure import Measurement

    widths = [len(column) for column in (*COLUMNS, LAST_COLUMN)]
    for cells in rows:
        for index, cell in enumerate(cells):
            if cell.isascii() and cell.isprintable() and ":" not in cell:
                width = len(cell)  # what Rich measures, quickly (":" may start an emoji code)
            else:
                width = Measurement.get(console, console.options, cell).maximum
            if width > widths[index]:
                widths[index] = width
    return widths


def _table(title: str | None, widths: list[int], header: bool = True) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_header=header)
    for column, width in zip((*COLUMNS, LAST_COLUMN), widths, strict=True):
        justify: JustifyMethod = "right" if column in ("Attempt", "Answered") else "left"
        table.add_column(column, justify=justify, width=width)
    return table


def _print_table(
    console: Console, title: str, widths: list[int], rows: Iterable[tuple[str, ...]]
) -> None:
    """The table, as Rich prints it whole: printed a chunk of rows at a time, each chunk a
    table with the same column widths, less the edges between chunks."""
    chunk: list[tuple[str, ...]] = []
    first = True
    for cells in rows:
        if len(chunk) == CHUNK:
            _print_chunk(console, title, widths, chunk, first, last=False)
            chunk, first = [], False
        chunk.append(cells)
    _print_chunk(console, title, widths, chunk, first, last=True)


def _print_chunk(
    console: Console,
    title: str,
    widths: list[int],
    rows: list[tuple[str, ...]],
    first: bool,
    last: bool,
) -> None:
    table = _table(title if first else None, widths, header=first)
    for cells in rows:
        table.add_row(*cells)
    with console.capture() as capture:
        console.print(table)
    lines = capture.get().split("\n")[:-1]
    if not first:
        lines = lines[1:]  # the top edge
    if not last:
        lines = lines[:-1]  # the bottom edge
    sys.stdout.write("".join(line + "\n" for line in lines))


def _width() -> int | None:
    """The terminal's width: COLUMNS if set, else the terminal's own; None for a pipe or a
    file, which gets whole rows."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None
