"""`trainer report -o FILE.html`: a self-contained HTML report of a cohort."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from trainer.commands._folders import saves_folders
from trainer.errors import TrainerError, UsageError
from trainer.terminal import safe, warn


def run(args: argparse.Namespace) -> int:
    """Write the report atomically; modules are used where found, for stage titles and dates,
    options nobody chose and concepts' labels.

    Raises:
        UsageError: the output's name does not end in `.html` (nothing is written).
        TrainerError: a folder is missing, or `--cohort` or `--module` matched no save.
    """
    from trainer.cohort.records import Options, plural, read_records
    from trainer.cohort.report import report_html
    from trainer.content import find_module, load_module
    from trainer.engine import Module
    from trainer.saves.atomic import atomic_write

    output = Path(args.output)
    if output.suffix.lower() != ".html":
        raise UsageError(
            f"trainer report: the report is an HTML file, so -o needs a name ending in .html "
            f"(not {args.output}); to make a PDF, open the report in a browser and print it"
        )
    options = Options(
        cohort=args.cohort, module=args.module, anonymise=args.anonymise, no_text=args.no_text
    )
    records, warnings = read_records(saves_folders(args), options)
    for warning in warnings:
        warn(warning)

    @cache
    def module_for(module_id: str) -> Module | None:
        try:
            return load_module(find_module(module_id, getattr(args, "modules", None)))
        except TrainerError:
            return None

    title = "Cohort report" + (f": {args.cohort}" if args.cohort else "")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    html = report_html(records, title, stamp, module_for, no_text=args.no_text)
    atomic_write(output, html, False)
    print(safe(f"Wrote {args.output} ({plural(len(records), 'save')})."), file=sys.stderr)
    return 0
