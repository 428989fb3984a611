"""`trainer modules`: list the modules found, with id, title, version, decisions and path: a
table where it fits the terminal, else a record per module."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence

from trainer.sanitise import safe, warn

HEADER = ("ID", "TITLE", "VERSION", "DECISIONS", "PATH")


def run(args: argparse.Namespace) -> int:
    """Print a plain table of the modules found, or, where the table's rows would not fit
    the terminal, a record per module over a few lines (as `trainer progress` does); files
    with errors are named on stderr. A pipe or a file, unless COLUMNS says otherwise, gets
    the table. Titles, ids and file names come from files anyone could have written: shown
    safe."""
    from trainer.content import list_modules

    entries, broken = list_modules(getattr(args, "modules", None))
    for report in broken:
        warn(
            f"skipped {report.path}: {report.errors} error(s); run 'trainer validate {report.path}'"
        )
    if not entries:
        print("No modules found.", file=sys.stderr)
        return 0
    rows = [
        tuple(safe(cell) for cell in (e.id, e.title, e.version, str(e.decisions), str(e.path)))
        for e in entries
    ]
    table = table_lines([HEADER, *rows])
    width = terminal_width()
    fits = width is None or max(len(line) for line in table) <= width
    lines = table if fits else record_lines(rows, width or 80)
    sys.stdout.write("".join(line + "\n" for line in lines))
    return 0


def table_lines(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """The rows as columns two spaces apart, the decisions right-aligned, the path last."""
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        cells = [row[i].ljust(widths[i]) if i != 3 else row[i].rjust(widths[i]) for i in range(4)]
        lines.append("  ".join([*cells, row[4]]))
    return lines


def record_lines(rows: Sequence[tuple[str, ...]], width: int) -> list[str]:
    """A record per module for a terminal of `width` columns: the id with its version and
    decisions, then its title and path, indented. A title wraps between its words; an id
    or a path longer than the line is left whole for the terminal to wrap, never cut."""
    lines: list[str] = []
    for module_id, title, version, decisions, path in rows:
        noun = "decision" if decisions == "1" else "decisions"
        if lines:
            lines.append("")
        lines += textwrap.wrap(
            f"{module_id}  version {version}  {decisions} {noun}",
            width,
            subsequent_indent="    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines += textwrap.wrap(
            title,
            width,
            initial_indent="    ",
            subsequent_indent="    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines.append(f"    {path}")
    return lines


def terminal_width() -> int | None:
    """The terminal's width: COLUMNS if set, else the terminal's own; None for a pipe or a
    file, which gets whole rows."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None
