"""Validate a module file: every problem in one run, each with its line, key path and code.

    modules/x.toml:212: E204 stages[3].decisions[0].options[1].findings[0]: unknown finding ...

Validation never raises: whatever the bytes, the result is a Report. When it
holds no errors, `Report.module` is the module built from the file.

The file is read and parsed here; its keys and types are checked in one pass (`key_checks`),
then what the sound tables mean (`module_checks`, and the checkers it calls), every problem
reported to one `Reporter`, which locates their lines once all are known.
"""

from __future__ import annotations

import gc
import re
from typing import Any

# tomli, not the standard library's tomllib (a copy of an older tomli): its wheels for
# CPython are compiled with mypyc, and it parses a large module several times faster than
# tomllib (docs/performance.md). Where no compiled wheel exists tomli is pure Python, as fast as
# tomllib. From 2.4 it reads TOML 1.1, which adds the escapes \e and \xHH.
import tomli

from trainer.content import MAX_BYTES, schema
from trainer.content.checking import ID_PATTERN as ID_PATTERN
from trainer.content.checking import SUGGESTION_BUDGET as SUGGESTION_BUDGET
from trainer.content.checking import Reporter
from trainer.content.glossary_checks import SUBSTRING_BUDGET as SUBSTRING_BUDGET
from trainer.content.glossary_checks import occurs as occurs
from trainer.content.glossary_checks import spaced_words as spaced_words
from trainer.content.glossary_checks import terms_present as terms_present
from trainer.content.key_checks import KeyChecker
from trainer.content.module_checks import check_format, check_meaning
from trainer.content.problems import CODES as CODES
from trainer.content.problems import Problem as Problem
from trainer.content.problems import Report as Report
from trainer.content.problems import Severity as Severity


def validate_file(path: Any, *, build: bool = True) -> Report:
    """Validate a module file; never raises. With `build=False` the report holds no module
    (checking a file needs none, and building one costs a large module a tenth of its
    time)."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        report = Report(name)
        report.problems.append(
            Problem("error", "E002", None, None, "", f"cannot read the file ({error.strerror})")
        )
        return report
    return validate_text(data, name, build=build)


def validate_text(text: str | bytes, path: str, *, build: bool = True) -> Report:
    """Validate a module given as text or bytes; `path` names it in messages. Never raises.
    The report holds the module built from it when there are no errors, unless `build` is
    False."""
    report = Report(path)
    if isinstance(text, bytes):
        decoded = _decode(text, report)
        if decoded is None:
            return report
        text = decoded
    elif len(text) > MAX_BYTES:
        report.problems.append(_too_large())
        return report
    text = text.removeprefix("\ufeff")
    if not text.strip():
        report.problems.append(Problem("error", "E004", 1, None, "", "the file is empty"))
        return report
    # The collector is held over the parse and the checks: both make tables, sets and lists
    # that live until the report is made, and next to no garbage, while the collector would
    # walk the parsed file and all they made, again and again, finding nothing
    # (docs/performance.md, "Validate and export against tomli").
    collecting = gc.isenabled()
    gc.disable()
    try:
        _parse_and_check(report, text, build)
    finally:
        if collecting:
            gc.enable()
    return report


def _parse_and_check(report: Report, text: str, build: bool) -> None:
    """The file parsed and checked: every problem into the report, and the module where one
    is built."""
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        report.problems.append(_syntax_problem(error))
        return
    except RecursionError:
        report.problems.append(
            Problem("error", "E005", None, None, "", "arrays or tables are nested too deeply")
        )
        return
    report.problems, module = _check(data, text, build)
    if report.errors == 0 and module is not None:
        report.module = module


def _too_large() -> Problem:
    return Problem(
        "error", "E003", None, None, "", f"the file is larger than {MAX_BYTES // 1024 // 1024} MB"
    )


def _decode(data: bytes, report: Report) -> str | None:
    if len(data) > MAX_BYTES:
        report.problems.append(_too_large())
        return None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        report.problems.append(
            Problem("error", "E002", line, None, "", "the file is binary (it holds a NUL byte)")
        )
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        report.problems.append(
            Problem("error", "E002", line, None, "", "the file is not UTF-8 text")
        )
        return None


def _syntax_problem(error: tomli.TOMLDecodeError) -> Problem:
    message = str(error)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    line = int(match.group(1)) if match else None
    column = int(match.group(2)) if match else None
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or "syntax error"
    if re.search(r"\(at end of document\)", message):
        message = message.replace(" (at end of document)", " at the end of the file")
    where = f" at column {column}" if column is not None else ""
    return Problem("error", "E001", line, column, "", f"TOML syntax error{where}: {message}")


def _check(data: dict[str, Any], text: str, build: bool) -> tuple[list[Problem], Any]:
    """Every problem of a parsed file, in line order; and the module built from it when it
    has no error and `build` asks for one."""
    declared = data.get("format")
    # The keys a file may hold follow its format; an unknown format is checked as format 1
    # (and reported as E010).
    reporter = Reporter(text, declared if declared in schema.FORMATS else 1)
    keys = KeyChecker(reporter, data, text)
    clean = keys.table("module", data, ())
    check_format(reporter, clean)
    check_meaning(reporter, clean, keys.texts)
    problems = sorted(reporter.problems(), key=lambda p: (p.line is None, p.line or 0))
    if not build or reporter.has_errors():
        return problems, None
    from trainer.content.build import build_module  # `trainer validate` builds none

    return problems, build_module(clean)
