"""`trainer modules`: list the modules found, with id, title, version, decisions and path."""

from __future__ import annotations

import argparse
import sys

from trainer.terminal import safe, warn


def run(args: argparse.Namespace) -> int:
    """Print a plain table of the modules found; files with errors are named on stderr.
    Titles, ids and file names come from files anyone could have written: shown safe."""
    from trainer.content import list_modules

    entries, broken = list_modules(getattr(args, "modules", None))
    for report in broken:
        warn(
            f"skipped {report.path}: {report.errors} error(s); run 'trainer validate {report.path}'"
        )
    if not entries:
        print("No modules found.", file=sys.stderr)
        return 0
    rows: list[tuple[str, ...]] = [("ID", "TITLE", "VERSION", "DECISIONS", "PATH")]
    rows += [
        tuple(safe(cell) for cell in (e.id, e.title, e.version, str(e.decisions), str(e.path)))
        for e in entries
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [row[i].ljust(widths[i]) if i != 3 else row[i].rjust(widths[i]) for i in range(4)]
        print("  ".join([*cells, row[4]]))
    return 0
