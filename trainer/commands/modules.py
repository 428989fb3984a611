"""`trainer modules`: list the modules found, with id, title, version, decisions and path."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    """Print a plain table of the modules found; files with errors are named on stderr."""
    from trainer.content import list_modules

    entries, broken = list_modules(getattr(args, "modules", None))
    for report in broken:
        print(
            f"trainer: skipped {report.path}: {report.errors} error(s); "
            f"run 'trainer validate {report.path}'",
            file=sys.stderr,
        )
    if not entries:
        print("No modules found.", file=sys.stderr)
        return 0
    rows = [("ID", "TITLE", "VERSION", "DECISIONS", "PATH")]
    rows += [(e.id, e.title, e.version, str(e.decisions), str(e.path)) for e in entries]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [row[i].ljust(widths[i]) if i != 3 else row[i].rjust(widths[i]) for i in range(4)]
        print("  ".join([*cells, row[4]]))
    return 0
