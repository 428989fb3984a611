"""`trainer validate PATH... [--strict] [--json]`: check module files or folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.errors import UsageError
from trainer.sanitise import json_safe, safe

if TYPE_CHECKING:
    from trainer.content.problems import Report


def _files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.toml") if p.is_file())
            if not found:
                raise UsageError(f"trainer validate: no .toml files in {name}")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"trainer validate: no such file or folder: {name}")
    return files


def run(args: argparse.Namespace) -> int:
    """Validate every file named (folders: every *.toml below); exit 0, 1 or 2.

    Messages quote key names and values from the files: each line is printed safe (an ESC,
    control, bidi or invisible character shows as its escape, and a newline cannot start a
    line of its own); the JSON writes them as JSON escapes."""
    from trainer.content import validate_file

    reports = [validate_file(path, build=False) for path in _files(args.paths)]
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    if args.json:
        _print_json(reports, errors, warnings)
    else:
        _print_lines(reports, errors, warnings)
    if errors or (args.strict and warnings):
        return 1
    return 0


def _print_json(reports: list[Report], errors: int, warnings: int) -> None:
    """The `--json` document, on stdout."""
    import json

    document = {
        "files": [{"path": r.path, "problems": [p.to_json() for p in r.problems]} for r in reports],
        "errors": errors,
        "warnings": warnings,
    }
    print(json_safe(json.dumps(document, indent=2, ensure_ascii=False)))


def _print_lines(reports: list[Report], errors: int, warnings: int) -> None:
    """A line on stdout for each problem, then the counts on stderr."""
    for report in reports:
        for line in report.lines():
            print(safe(line))
    print(
        f"{_counted(len(reports), 'file')}: {_counted(errors, 'error')}, "
        f"{_counted(warnings, 'warning')}",
        file=sys.stderr,
    )


def _counted(count: int, noun: str) -> str:
    """`1 file`, `2 files`."""
    return f"{count} {noun}{'s' if count != 1 else ''}"
