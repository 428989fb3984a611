"""`trainer export`: a cohort's answers as CSV, JSON or xAPI statements."""

from __future__ import annotations

import argparse
import os
import sys

from trainer.commands._folders import (
    check_output,
    module_finder,
    print_parts,
    saves_folders,
    write_parts,
)
from trainer.sanitise import safe, warn

HOMEPAGE_VARIABLE = "TRAINER_XAPI_HOMEPAGE"
"""The environment variable that sets the xAPI account homePage when --homepage is not given."""


def xapi_homepage(args: argparse.Namespace) -> str:
    """The xAPI account homePage: --homepage, else TRAINER_XAPI_HOMEPAGE, else the default
    `https://trainer.invalid` (`.invalid` is reserved: it can never be a real site, so a
    statement sent before anyone set it names no one's organisation)."""
    from trainer.cohort.records import Options

    return getattr(args, "homepage", None) or os.environ.get(HOMEPAGE_VARIABLE) or Options.homepage


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
        homepage=xapi_homepage(args),
        modules=module_finder(args),
    )
    exporter = FORMATS[args.format]
    folders = saves_folders(args)
    to_stdout = args.output in (None, "-")
    output = None if to_stdout else check_output("export", args.output, folders)

    def part(record: Record) -> bytes:
        return exporter.part(record, options).encode("utf-8")

    with select(folders, options, part, on_cores=True) as selection:
        for warning in selection.warnings:
            warn(warning)
        parts = exporter.whole(blob.decode("utf-8") for blob in selection)
        if output is None:
            print_parts(parts)
            return 0
        write_parts(output, parts)
    print(safe(f"Wrote {args.output} ({plural(len(selection), 'save')})."), file=sys.stderr)
    return 0
