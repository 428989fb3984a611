"""`trainer export`: a cohort's answers as CSV, JSON or xAPI statements."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.commands._folders import saves_folders
from trainer.terminal import safe, warn


def run(args: argparse.Namespace) -> int:
    """Write the export to -o FILE (atomically) or to stdout. Every exporter escapes control,
    bidi and invisible characters, so what reaches a terminal is safe either way."""
    from trainer.cohort.exporters import EXPORTERS
    from trainer.cohort.records import Options, plural, read_records
    from trainer.saves.atomic import atomic_write

    options = Options(
        cohort=args.cohort,
        module=args.module,
        all_attempts=args.all_attempts,
        anonymise=args.anonymise,
        no_text=args.no_text,
        homepage=args.homepage or Options.homepage,
    )
    records, warnings = read_records(saves_folders(args), options)
    for warning in warnings:
        warn(warning)
    text = EXPORTERS[args.format](records, options)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic_write(Path(args.output), text, keep_backup=False)
        print(safe(f"Wrote {args.output} ({plural(len(records), 'save')})."), file=sys.stderr)
    return 0
