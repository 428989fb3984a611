"""`trainer export`: a cohort's answers as CSV, JSON or xAPI statements."""

from __future__ import annotations

import argparse
import sys

from trainer.commands._folders import check_output, print_parts, saves_folders, write_parts
from trainer.terminal import safe, warn


def run(args: argparse.Namespace) -> int:
    """Write the export to -o FILE (atomically; a device or named pipe as a stream) or to
    stdout. Every exporter escapes control, bidi and invisible characters, so what reaches a
    terminal is safe either way. `-o` inside a saves folder, or over a save, is refused
    before anything is read (`check_output`).

    The saves are read one at a time and each record's part of the export is kept on disk
    until all are read (`records.select`), so a cohort of any size takes about the same
    memory."""
    from trainer.cohort.exporters import FORMATS
    from trainer.cohort.records import Options, Record, plural, select

    options = Options(
        cohort=args.cohort,
        module=args.module,
        all_attempts=args.all_attempts,
        anonymise=args.anonymise,
        no_text=args.no_text,
        homepage=args.homepage or Options.homepage,
    )
    exporter = FORMATS[args.format]
    folders = saves_folders(args)
    to_stdout = args.output in (None, "-")
    output = None if to_stdout else check_output("export", args.output, folders)

    def part(record: Record) -> bytes:
        return exporter.part(record, options).encode("utf-8")

    with select(folders, options, part) as selection:
        for warning in selection.warnings:
            warn(warning)
        parts = exporter.whole(blob.decode("utf-8") for blob in selection)
        if output is None:
            print_parts(parts)
            return 0
        write_parts(output, parts)
    print(safe(f"Wrote {args.output} ({plural(len(selection), 'save')})."), file=sys.stderr)
    return 0
