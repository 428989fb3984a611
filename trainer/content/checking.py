"""What the validator's checkers share: the reporter they report every problem to, and the
links to findings and stages, each checked where it is written.

The validator (`trainer.content.validator`) reads the file; `key_checks` checks its keys and
types; the rules about what the sound tables mean live in checkers of their own (the module's
tables in `module_checks`, the stages in `stage_checks`, one per decision kind in `decisions`,
the case file's in `casefile_checks`, the glossary in `glossary_checks`), which report
through a `Reporter`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from trainer.content.dates import IsoDate, parse_date
from trainer.content.problems import Problem, Severity
from trainer.engine.vocabulary import END

if TYPE_CHECKING:
    from trainer.content.locate import Path

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
"""An id, matched with `fullmatch` (a `$` would let a trailing newline through)."""

Table = dict[str, Any]
"""A checked table of the file: its sound keys, with `_path` (its key path) and `_given` (the
keys written, sound or not)."""


SUGGESTION_BUDGET = 20_000
"""How many candidates "did you mean" may weigh in one file, all told: a file with thousands
of unknown ids among thousands of known ones still validates in moments (the later
problems are reported without a suggestion)."""


class Reporter:
    """The problems found in one file, as every checker reports them, and the small checks
    the checkers share (ids, allowed values, dates).

    Each problem is kept with the key path whose line it has: lines are located once every
    problem is known (`problems`).
    """

    def __init__(self, text: str, version: int = 1) -> None:
        self.text = text
        self.version = version
        """The module format the file is checked as."""
        self._budget = SUGGESTION_BUDGET
        self._known: dict[str, str] = {}
        self.found: list[tuple[Severity, str, Path, Path, str]] = []
        """Each problem as (severity, code, the key path whose line it has, the key path
        shown, message)."""

    def problems(self) -> list[Problem]:
        """Every problem found, with its line: of its key path, else of the nearest ancestor
        located (line 1 for the top level). A clean module locates nothing, and a module with
        problems only the keys of the tables they are in (the line-finder is not even
        imported for a clean one)."""
        if not self.found:
            return []
        from trainer.content.locate import format_path, line_of, locate_keys

        tables = {where[:end] for _, _, where, _, _ in self.found for end in range(len(where))}
        lines = locate_keys(self.text, tables) if tables else {}
        return [
            Problem(
                severity,
                code,
                line_of(lines, where) if where else 1,
                None,
                format_path(shown),
                message,
            )
            for severity, code, where, shown, message in self.found
        ]

    def has_errors(self) -> bool:
        """Whether any problem found so far is an error."""
        return any(found[0] == "error" for found in self.found)

    # -- reporting ------------------------------------------------------------

    def suggest(self, value: str, choices: Collection[str]) -> str:
        """ "; did you mean ...?" while the file's suggestion budget lasts, else nothing."""
        if len(choices) > self._budget:
            return ""
        self._budget -= len(choices)
        return _suggest(value, choices)

    def known(self, values: Collection[str], kind: str) -> str:
        """The "known: ..." list of one kind of id, made once per file."""
        if kind not in self._known:
            self._known[kind] = _known(values)
        return self._known[kind]

    def report(self, severity: Severity, code: str, path: Path, message: str) -> None:
        """Report a problem at a key path."""
        self.found.append((severity, code, path, path, message))

    def error(self, code: str, path: Path, message: str) -> None:
        """Report an error at a key path."""
        self.report("error", code, path, message)

    def warn(self, code: str, path: Path, message: str) -> None:
        """Report a warning at a key path."""
        self.report("warning", code, path, message)

    def missing(self, table_path: Path, key: str, why: str = "") -> None:
        """E101 for a key the table should hold; `why` says when it is required, if not always."""
        # The line of the table that should hold the key (line 1 for the top level).
        self.found.append(
            (
                "error",
                "E101",
                table_path,
                table_path + (key,),
                f"missing required key {key!r}" + (f" ({why})" if why else ""),
            )
        )

    # -- shared checks --------------------------------------------------------

    def check_id(self, value: str, path: Path) -> bool:
        """E201 unless `value` is an id."""
        if ID_PATTERN.fullmatch(value):
            return True
        self.error(
            "E201",
            path,
            f"bad id {value!r}: use lower-case letters, digits and '-', starting with a letter "
            "or digit, at most 64 characters",
        )
        return False

    def unique_ids(self, items: list[Table], kind: str, key: str = "id") -> set[str]:
        """E202 for each repeated id (E201 for a bad one); the ids that are sound."""
        seen: set[str] = set()
        is_id = key == "id"
        fold = key == "term"
        for item in items:
            value = item.get(key)
            if value is None:
                continue
            if is_id and ID_PATTERN.fullmatch(value) is None:
                self.check_id(value, item["_path"] + (key,))
                continue
            folded = value.casefold() if fold else value
            if folded in seen:
                self.error("E202", item["_path"] + (key,), f"duplicate {kind} {value!r}")
            seen.add(folded)
        return seen

    def allowed(self, table: Table, key: str, choices: tuple[str, ...]) -> bool:
        """E106 unless the table's `key`, where present, is one of `choices`."""
        value = table.get(key)
        if value is None or value in choices:
            return True
        self.error(
            "E106",
            table["_path"] + (key,),
            f"{key} {value!r} is not one of {', '.join(choices)}{self.suggest(value, choices)}",
        )
        return False

    def iso_date(self, table: Table, key: str) -> tuple[IsoDate, str] | None:
        """The table's `key` as an ISO date (parsed, as written); E107 when it is not one."""
        value = table.get(key)
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.error(
                "E107",
                table["_path"] + (key,),
                f"{value!r} is not an ISO date: write a real year, month or day as "
                "YYYY, YYYY-MM or YYYY-MM-DD (2007, 2007-04, 2007-04-10)",
            )
            return None
        return parsed, value


def _known(values: Iterable[str]) -> str:
    listed = sorted(set(values))
    shown = ", ".join(listed[:8]) + (", ..." if len(listed) > 8 else "")
    return f"known: {shown}" if listed else "none are defined"


def _suggest(value: str, choices: Iterable[str]) -> str:
    import difflib  # only a module with a problem needs it: not imported before the first frame

    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class Links:
    """The findings and stages a module defines, and the links to them.

    Each link names the table and key it is written at: its key path is made only for a
    problem (a large module has thousands of sound links).
    """

    def __init__(
        self,
        reporter: Reporter,
        finding_ids: set[str],
        stage_ids: set[str],
        order: dict[Any, int],
    ) -> None:
        self.reporter = reporter
        self.finding_ids = finding_ids
        self.stage_ids = stage_ids
        self.order = order
        """Each stage id with its index in the file."""
        self.used_findings: set[str] = set()

    def finding(self, finding_id: str, table: Table, key: str, position: int | None = None) -> None:
        """E204 unless the finding exists; a finding linked is used (W401)."""
        if finding_id in self.finding_ids:
            self.used_findings.add(finding_id)
            return
        reporter = self.reporter
        reporter.error(
            "E204",
            table["_path"] + ((key,) if position is None else (key, position)),
            f"unknown finding {finding_id!r}{reporter.suggest(finding_id, self.finding_ids)}; "
            f"{reporter.known(self.finding_ids, 'finding')}",
        )

    def next(self, target: str, table: Table, index: int) -> None:
        """E205 for an unknown stage, E206 for one that is not later than stage `index`."""
        if target == END:
            return
        path = table["_path"] + ("next",)
        reporter = self.reporter
        if target not in self.stage_ids:
            reporter.error(
                "E205",
                path,
                f"unknown stage {target!r}{reporter.suggest(target, self.stage_ids)}; "
                f'use a stage id or "end"; {reporter.known(self.stage_ids, "stage")}',
            )
        elif self.order[target] <= index:
            where = "its own stage" if self.order.get(target) == index else "an earlier stage"
            reporter.error(
                "E206",
                path,
                f"next {target!r} points to {where}; next may only point forward",
            )
