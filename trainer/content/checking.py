"""What the validator's small checkers share: the reporting they call back to, and the links
to findings and stages, each checked where it is written.

The validator (`trainer.content.validate`) reads the file and checks its keys and types; the
rules about what the sound tables mean live in checkers of their own (one per decision kind
in `decisions`, the case file's in `casefile_checks`), which report through a `Reporter`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any, Protocol

from trainer.content.dates import IsoDate
from trainer.content.locate import Path
from trainer.engine.model import END

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
"""An id, matched with `fullmatch` (a `$` would let a trailing newline through)."""

Table = dict[str, Any]
"""A checked table of the file: its sound keys, with `_path` (its key path) and `_given` (the
keys written, sound or not)."""


class Reporter(Protocol):
    """How a checker reports a problem, and the checks it borrows from the validator."""

    version: int
    """The module format the file is checked as."""

    def error(self, code: str, path: Path, message: str) -> None:
        """Report an error at a key path."""

    def warn(self, code: str, path: Path, message: str) -> None:
        """Report a warning at a key path."""

    def missing(self, table_path: Path, key: str, why: str = "") -> None:
        """E101 for a key the table should hold."""

    def suggest(self, value: str, choices: Collection[str]) -> str:
        """ "; did you mean ...?" while the file's budget for suggestions lasts."""

    def known(self, values: Collection[str], kind: str) -> str:
        """The "known: ..." list of one kind of id."""

    def allowed(self, table: Table, key: str, choices: tuple[str, ...]) -> bool:
        """E106 unless the table's `key`, where present, is one of `choices`."""

    def check_id(self, value: str, path: Path) -> bool:
        """E201 unless `value` is an id."""

    def unique_ids(self, items: list[Table], kind: str, key: str = "id") -> set[str]:
        """E202 for each repeated id; the ids that are sound."""

    def iso_date(self, table: Table, key: str) -> tuple[IsoDate, str] | None:
        """The table's `key` as an ISO date (parsed, as written); E107 when it is not one."""


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
