"""What validation reports: the diagnostic codes, each problem, and the report of a file."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning"]

CODES: dict[str, str] = {
    "E001": "TOML syntax error",
    "E002": "not a text file (not UTF-8, or binary)",
    "E003": "file too large",
    "E004": "empty file",
    "E005": "nested too deeply",
    "E010": "unsupported format version",
    "E101": "missing required key",
    "E102": "wrong type",
    "E103": "unknown key",
    "E104": "empty text where text is required",
    "E105": "control character in text",
    "E106": "value not allowed",
    "E107": "not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD, a real date)",
    "E201": "bad id",
    "E202": "duplicate id",
    "E203": "unknown source",
    "E204": "unknown finding",
    "E205": "unknown stage in next",
    "E206": "next points backward or to its own stage",
    "E207": "unknown stage in from_stage",
    "E208": "unknown person in a relation",
    "E301": "choice decision with fewer than two options",
    "E302": "choice decision with no aligned option",
    "E303": "scored text decision without a rubric",
    "E304": "options on a text decision",
    "E305": "module without stages",
    "E306": "happened on more than one option of a decision",
    "E307": "rank decision whose ranks are not exactly 1 to n",
    "E308": "key that does not fit the decision's kind",
    "E309": "rank decision with fewer than 3 or more than 9 options",
    "E310": "unscored choice decision whose options mix verdicts and none",
    "E311": "case-file entry dated after the stage it enters at",
    "E312": "relation entering before a person it names is known",
    "E313": "relation of a person to themselves",
    "W401": "finding never referenced",
    "W402": "source never referenced",
    "W403": "stage no play-through can reach",
    "W404": "option without feedback",
    "W405": "glossary term that appears in no text",
    "W406": "judged decision with no finding behind any option or concept",
    "W407": "hindsight: a finding, or a case-file text, shown before its time",
    "W408": "aligned option much longer than every other",
    "W409": "aligned option the longest in most decisions",
    "W410": "multiple decision with fewer than two options to leave out",
    "W411": "what happened is contrary wherever it is marked",
    "W412": "option reading all of the above or none of the above",
    "W413": "invisible or line-separator character in text",
    "W414": "options kept in the file's order with an aligned option first",
    "W415": "rank options kept in the file's order, which is the rank order",
}
"""Every diagnostic code, stable across versions; the authoring guide lists them with examples."""


class Problem(NamedTuple):
    """One problem in a module file (a named tuple, as `Report` says)."""

    severity: Severity
    code: str
    line: int | None
    column: int | None
    key: str
    message: str

    def format(self, path: str) -> str:
        """`FILE:LINE: CODE KEY.PATH: message` (LINE and KEY.PATH left out where unknown)."""
        where = f"{path}:{self.line}" if self.line is not None else path
        key = f" {self.key}:" if self.key else ""
        return f"{where}: {self.code}{key} {self.message}"

    def to_json(self) -> dict[str, Any]:
        """The problem as the `--json` output shows it."""
        return {
            "severity": self.severity,
            "code": self.code,
            "line": self.line,
            "column": self.column,
            "key": self.key,
            "message": self.message,
        }


class Report:
    """What validating one file found, and the module when there were no errors.

    A plain class, as `Problem` is a named tuple: `trainer validate` imports no dataclasses
    (with `inspect`, a measurable part of its start; docs/performance.md, "Figures behind
    the code")."""

    __slots__ = ("module", "path", "problems")

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.module: Any = None
        """The Module built from the file, or None when there are errors (or none was
        asked for)."""

    def __repr__(self) -> str:
        return f"Report({self.path!r}, {len(self.problems)} problems)"

    @property
    def errors(self) -> int:
        """How many errors."""
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many warnings."""
        return sum(p.severity == "warning" for p in self.problems)

    def lines(self) -> list[str]:
        """Every problem as one line."""
        return [p.format(self.path) for p in self.problems]
