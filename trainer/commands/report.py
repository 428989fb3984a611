"""`trainer report -o FILE.html`: a self-contained HTML report of a cohort."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from trainer.commands._folders import check_output, module_finder, saves_folders, write_parts
from trainer.errors import UsageError
from trainer.sanitise import safe, warn


def run(args: argparse.Namespace) -> int:
    """Write the report atomically (a device or named pipe as a stream); modules are used
    where found, for stage titles and dates, options nobody chose and concepts' labels.

    Raises:
        UsageError: the output's name does not end in `.html`, or it is inside a saves
            folder or over a save (`check_output`); nothing is read or written.
        TrainerError: a folder is missing, or `--cohort` or `--module` matched no save.
    """
    import pickle

    from trainer.cohort.records import Options, Record, plural, select
    from trainer.cohort.report_page import report_order, report_parts
    output = Path(args.output)
    if output.suffix.lower() != ".html":
        raise UsageError(
            f"trainer report: the report is an HTML file, so -o needs a name ending in .html "
            f"(not {args.output}); to make a PDF, open the report in a browser and print it"
        )
    folders = saves_folders(args)
    output = check_output("report", args.output, folders)
    module_for = module_finder(args)
    options = Options(
        cohort=args.cohort,
        module=args.module,
        anonymise=args.anonymise,
        no_text=args.no_text,
        modules=module_for,
    )

    title = "Cohort report" + (f": {args.cohort}" if args.cohort else "")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")

    def kept(record: Record) -> bytes:
        return pickle.dumps(record, pickle.HIGHEST_PROTOCOL)

    # Each record is kept on disk until all are read, then read back module by module in
    # the order of its learner table, and counted as it comes (`report_parts`).
    with select(folders, options, kept, report_order, on_cores=True) as selection:
        for warning in selection.warnings:
            warn(warning)
        records = (pickle.loads(blob) for blob in selection)
        parts = report_parts(
            records,
            title,
            stamp,
            module_for,
            no_text=args.no_text,
            learners=selection.learners,
        )
        write_parts(output, parts)
    print(safe(f"Wrote {args.output} ({plural(len(selection), 'save')})."), file=sys.stderr)
    return 0
