"""Validate a module file: every problem in one run, each with its line, key path and code.

    modules/x.toml:212: E204 stages[3].decisions[0].options[1].findings[0]: unknown finding ...

Validation never raises: whatever the bytes, the result is a Report. When it
holds no errors, `Report.module` is the module built from the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

# tomli, not the standard library's tomllib (a copy of an older tomli): its wheels for
# CPython are compiled with mypyc, and it parses a large module several times faster than
# tomllib (docs/performance.md). Where no compiled wheel exists tomli is pure Python, as fast as
# tomllib. From 2.4 it reads TOML 1.1, which adds the escapes \e and \xHH.
import tomli

from trainer.content import MAX_BYTES, schema
from trainer.content.checking import ID_PATTERN as ID_PATTERN
from trainer.content.checking import Links
from trainer.content.dates import IsoDate, parse_date
from trainer.content.decisions import check_decision
from trainer.content.hindsight import hindsight_warnings
from trainer.content.items import item_flaws, order_flaws
from trainer.content.locate import Path, format_path, line_of, locate_keys
from trainer.content.schema import BOOLEAN, TABLE_LIST, TEXT, TEXT_LIST
from trainer.engine import normalise
from trainer.engine.model import DECISION_KINDS, SOURCE_KINDS, VOICES

Severity = Literal["error", "warning"]
_VOICES_OR_NONE = frozenset((*VOICES, None))
LANGUAGE_PATTERN = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
# Control characters (Unicode category Cc) but newline and tab, and the bidirectional controls.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Characters a reader cannot see, or that break a line where the text does not: zero-width
# spaces and joiners, the word joiner, a byte order mark, left-to-right and right-to-left marks,
# the Arabic letter mark, the line and paragraph separators, and tag characters.
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u061c\u2028\u2029\U000e0000-\U000e007f]")
# Either of the two, as one set: one search clears a clean text.
_SUSPECT = re.compile(f"[{_FORBIDDEN.pattern[1:-1]}{_INVISIBLE.pattern[1:-1]}]")
# The ASCII characters of the set, as bytes to delete.
_ASCII_SUSPECT = bytes(c for c in range(128) if _SUSPECT.match(chr(c)))
# An escape that can write a character of the set: \b, \e, \f, \r, \x.., \u..., \U...
_ESCAPE = re.compile(r"\\[befrxuU]")

# Runs of what `normalise` reads as spaces: \W is the categories P, S, Z, C and M, and _ is P.
_SEPARATORS = re.compile(r"[\W_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

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


@dataclass(frozen=True)
class Problem:
    """One problem in a module file."""

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


@dataclass
class Report:
    """What validating one file found, and the module when there were no errors."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    module: Any = None
    """The Module built from the file, or None when there are errors (or none was asked for)."""

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
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        report.problems.append(_syntax_problem(error))
        return report
    except RecursionError:
        report.problems.append(
            Problem("error", "E005", None, None, "", "arrays or tables are nested too deeply")
        )
        return report
    checker = _Checker(data, text)
    module = checker.run(build)
    report.problems = sorted(checker.problems(), key=lambda p: (p.line is None, p.line or 0))
    if report.errors == 0 and module is not None:
        report.module = module
    return report


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


def _clean_file(text: str) -> bool:
    """Whether a file holds no character the text checks report, nor an escape that can write
    one: then every text in it is clean, and this one pass settles them all."""
    if text.isascii():
        # Deleting the ASCII ones from bytes takes a millisecond where a search takes twenty.
        data = text.encode("ascii")
        if len(data.translate(None, _ASCII_SUSPECT)) != len(data):
            return False
    elif _SUSPECT.search(text) is not None:
        return False
    return _ESCAPE.search(text) is None


def _describe(value: Any) -> str:
    """What kind of value it is, in the save reader's words (only a wrong value needs them)."""
    from trainer.engine.answer import describe

    return describe(value)


def _known(values: Iterable[str]) -> str:
    listed = sorted(set(values))
    shown = ", ".join(listed[:8]) + (", ..." if len(listed) > 8 else "")
    return f"known: {shown}" if listed else "none are defined"


SUGGESTION_BUDGET = 20_000
"""How many candidates "did you mean" may weigh in one file, all told: a file with thousands
of unknown ids among thousands of known ones still validates in moments (the later
problems are reported without a suggestion)."""


def _suggest(value: str, choices: Iterable[str]) -> str:
    import difflib  # only a module with a problem needs it: not imported before the first frame

    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Layout:
    """The keys a table of one kind may hold in one format, and those it must hold (in the
    schema's order): worked out once per file, not once per table (a large module has
    thousands)."""

    __slots__ = ("keys", "required")

    def __init__(self, spec: dict[str, schema.Key], version: int) -> None:
        self.keys = {key: ks for key, ks in spec.items() if ks.exists_in(version)}
        self.required = tuple(key for key, ks in spec.items() if ks.required_in(version))


class _Checker:
    """One pass over the parsed document, collecting every problem."""

    def __init__(self, data: dict[str, Any], text: str) -> None:
        self.version = 1
        self.data = data
        self.text = text
        self._budget = SUGGESTION_BUDGET
        self._known: dict[str, str] = {}
        self._found: list[tuple[Severity, str, Path, str, str]] = []
        """Each problem as (severity, code, the key path whose line it has, the key path
        shown, message): lines are located once every problem is known (`problems`)."""
        self.texts: list[str] = []
        """Every sound text outside the glossary, gathered in the one pass (for W405)."""
        self._layouts: dict[tuple[str, int], _Layout] = {}
        self.suspect = None if _clean_file(text) else _SUSPECT.search
        """How to search a text for a character to report; None when the file holds none."""
        self._case_file_reported = False

    def problems(self) -> list[Problem]:
        """Every problem found, with its line: of its key path, else of the nearest ancestor
        located (line 1 for the top level). A clean module locates nothing, and a module with
        problems only the keys of the tables they are in."""
        tables = {where[:end] for _, _, where, _, _ in self._found for end in range(len(where))}
        lines = locate_keys(self.text, tables) if tables else {}
        return [
            Problem(severity, code, line_of(lines, where) if where else 1, None, key, message)
            for severity, code, where, key, message in self._found
        ]

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
        self._found.append((severity, code, path, format_path(path), message))

    def error(self, code: str, path: Path, message: str) -> None:
        self.report("error", code, path, message)

    def warn(self, code: str, path: Path, message: str) -> None:
        self.report("warning", code, path, message)

    def missing(self, table_path: Path, key: str, why: str = "") -> None:
        """E101 for a key the table should hold; `why` says when it is required, if not always."""
        # The line of the table that should hold the key (line 1 for the top level).
        self._found.append(
            (
                "error",
                "E101",
                table_path,
                format_path(table_path + (key,)),
                f"missing required key {key!r}" + (f" ({why})" if why else ""),
            )
        )

    # -- structure ------------------------------------------------------------

    def run(self, build: bool = True) -> Any:
        declared = self.data.get("format")
        # The keys a file may hold follow its format; an unknown format is checked as format 1
        # (and reported as E010).
        self.version = declared if declared in schema.FORMATS else 1
        clean = self.table("module", self.data, ())
        self.check_format(clean)
        self.check_semantics(clean)
        if not build or any(found[0] == "error" for found in self._found):
            return None
        from trainer.content.build import build_module  # `trainer validate` builds none

        return build_module(clean)

    def table(self, name: str, value: dict[str, Any], path: Path) -> dict[str, Any]:
        """Check a table's keys and types; return only the keys whose values are sound."""
        spec = schema.TABLES[name]
        version = self.version
        layout = self._layouts.get((name, version))
        if layout is None:
            layout = self._layouts[name, version] = _Layout(spec, version)
        keys = layout.keys
        # This loop runs for every key of the file (about 100,000 in a large module), so the
        # sound values of the common kinds are taken here, without a call, a key path or a
        # second search per text; anything else goes to `value`, which says what is wrong.
        texts = self.texts if path[:1] != ("glossary",) else None
        suspect = self.suspect
        clean: dict[str, Any] = {}
        for key, item in value.items():
            key_spec = keys.get(key)
            if key_spec is None:
                self.unknown(spec, key, path)
                continue
            kind = key_spec.kind
            if kind == TEXT:
                if (
                    type(item) is str
                    and (suspect is None or suspect(item) is None)
                    and (not key_spec.required or not item.isspace() and item)
                ):
                    clean[key] = item
                    if texts is not None:
                        texts.append(item)
                    continue
            elif kind == TABLE_LIST:
                if type(item) is list:
                    clean[key] = self.tables(key_spec.table, item, path + (key,))
                    continue
            elif kind == BOOLEAN:
                if type(item) is bool:
                    clean[key] = item
                    continue
            elif kind == TEXT_LIST and suspect is None and type(item) is list:
                for element in item:
                    if type(element) is not str:
                        break
                else:
                    clean[key] = item.copy()
                    if texts is not None:
                        texts += item
                    continue
            checked = self.value(key_spec, item, path + (key,))
            if checked is not None:
                clean[key] = checked
        for key in layout.required:
            if key not in value:
                self.missing(path, key)
        return clean

    def unknown(self, spec: dict[str, schema.Key], key: str, path: Path) -> None:
        """E103 for a key the table may not hold, in any format or in this one; the case
        file's keys in an older format are one problem, naming the format they need."""
        key_spec = spec.get(key)
        if key_spec is None:
            self.error("E103", path + (key,), f"unknown key {key!r}{self.suggest(key, spec)}")
            return
        if key_spec.since == schema.CASE_FILE:
            if not self._case_file_reported:
                self._case_file_reported = True
                module = schema.TABLES["module"]
                keys = [k for k in self.data if k in module and module[k].since == key_spec.since]
                declared = self.data.get("format")
                says = "has no format" if declared is None else f"says format = {declared!r}"
                self.error(
                    "E103",
                    path + (key,),
                    f"the case file ({', '.join(keys)}) needs format = {key_spec.since}; "
                    f"this file {says}",
                )
            return
        self.error(
            "E103",
            path + (key,),
            f"unknown key {key!r} in format {self.version}; "
            f"it is a format {key_spec.since} key (format = {key_spec.since})",
        )

    def tables(self, name: str | None, items: list[Any], path: Path) -> list[dict[str, Any]]:
        """Check an array of tables; each sound table gets its key path and the keys written."""
        assert name is not None
        tables = []
        for index, element in enumerate(items):
            if not isinstance(element, dict):
                self.error("E102", path + (index,), f"should be a table, not {_describe(element)}")
                continue
            where = path + (index,)
            checked = self.table(name, element, where)
            checked["_path"] = where
            # The keys written, sound or not: a key required only in some cases is reported
            # missing only when it is absent, not when its value was already reported.
            checked["_given"] = element.keys()
            tables.append(checked)
        return tables

    def value(self, spec: schema.Key, item: Any, path: Path) -> Any:
        kind = spec.kind
        if kind == schema.TEXT:
            if not isinstance(item, str):
                return self.wrong_type(spec, item, path)
            if not self.clean_text(item, path):
                return None
            if spec.required and not item.strip():
                self.error("E104", path, "is empty; write the text")
                return None
            return item
        if kind == schema.INTEGER:
            if isinstance(item, bool) or not isinstance(item, int):
                return self.wrong_type(spec, item, path)
            return item
        if kind == schema.BOOLEAN:
            if not isinstance(item, bool):
                return self.wrong_type(spec, item, path)
            return item
        if kind == schema.TEXT_LIST:
            if not isinstance(item, list):
                return self.wrong_type(spec, item, path)
            good = []
            for index, element in enumerate(item):
                if not isinstance(element, str):
                    self.error("E102", path + (index,), f"should be text, not {_describe(element)}")
                elif self.clean_text(element, path + (index,)):
                    good.append(element)
            return good
        if kind == schema.TABLE:
            if not isinstance(item, dict):
                return self.wrong_type(spec, item, path)
            assert spec.table is not None
            return self.table(spec.table, item, path)
        # TABLE_LIST
        if not isinstance(item, list):
            return self.wrong_type(spec, item, path)
        return self.tables(spec.table, item, path)

    def wrong_type(self, spec: schema.Key, item: Any, path: Path) -> None:
        wanted = schema.TYPE_WORDS[spec.kind]
        self.error("E102", path, f"should be {wanted}, not {_describe(item)}")
        return None

    def clean_text(self, text: str, path: Path) -> bool:
        # Nearly every text is clean: one search settles it, the two below say what was found.
        if _SUSPECT.search(text) is None:
            if path[:1] != ("glossary",):
                self.texts.append(text)
            return True
        found = _FORBIDDEN.search(text)
        if found is None:
            hidden = _INVISIBLE.search(text)
            if hidden is not None:
                self.warn(
                    "W413",
                    path,
                    f"invisible or line-separator character U+{ord(hidden.group()):04X} at "
                    f"character {hidden.start() + 1}; a reader cannot see it: remove it",
                )
            if path[:1] != ("glossary",):
                self.texts.append(text)
            return True
        self.error(
            "E105",
            path,
            f"control character U+{ord(found.group()):04X} at character {found.start() + 1}; "
            "only newline and tab are allowed",
        )
        return False

    # -- meaning --------------------------------------------------------------

    def check_format(self, clean: dict[str, Any]) -> None:
        version = clean.get("format")
        if version is not None and version not in schema.FORMATS:
            formats = schema.FORMATS
            supported = ", ".join(str(f) for f in formats[:-1]) + f" or {formats[-1]}"
            newer = " (a later format needs a newer trainer)" if version > formats[-1] else ""
            self.error(
                "E010",
                ("format",),
                f"format {version} is not supported; use format = {supported}{newer}",
            )
        if "id" in clean:
            self.check_id(clean["id"], ("id",))
        minutes = clean.get("estimated_minutes")
        if minutes is not None and minutes <= 0:
            self.error("E106", ("estimated_minutes",), "should be a positive number of minutes")
        language = clean.get("language")
        if language is not None and not LANGUAGE_PATTERN.match(language):
            self.error("E106", ("language",), f"{language!r} is not a BCP 47 tag such as 'en-GB'")

    def check_id(self, value: str, path: Path) -> bool:
        if ID_PATTERN.fullmatch(value):
            return True
        self.error(
            "E201",
            path,
            f"bad id {value!r}: use lower-case letters, digits and '-', starting with a letter "
            "or digit, at most 64 characters",
        )
        return False

    def unique_ids(self, items: list[dict[str, Any]], kind: str, key: str = "id") -> set[str]:
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

    def check_semantics(self, clean: dict[str, Any]) -> None:
        sources: list[dict[str, Any]] = clean.get("sources", [])
        findings: list[dict[str, Any]] = clean.get("findings", [])
        glossary: list[dict[str, Any]] = clean.get("glossary", [])
        stages: list[dict[str, Any]] = clean.get("stages", [])
        source_ids = self.unique_ids(sources, "source id")
        finding_ids = self.unique_ids(findings, "finding id")
        self.unique_ids(glossary, "glossary term", key="term")
        stage_ids = self.unique_ids(stages, "stage id")
        if "stages" in clean and not stages:
            self.error("E305", ("stages",), "a module needs at least one stage")

        if self.version >= 2:
            for source_table in sources:
                self.allowed(source_table, "kind", SOURCE_KINDS)
        used_sources: set[str] = set()
        reveals = self.check_findings(findings, source_ids, used_sources)
        order = {stage.get("id"): index for index, stage in enumerate(stages)}
        links = Links(self, finding_ids, stage_ids, order)
        stage_dates = self.check_stages(stages, links)
        successors = _successors(stages)
        if self.version >= schema.CASE_FILE:
            # Imported here: only a format 3 module has a case file to check.
            from trainer.content.casefile_checks import CaseFileChecker, StageFacts

            facts = StageFacts(stage_ids, order, stage_dates, successors)
            CaseFileChecker(self, clean, facts, source_ids, used_sources).check()

        for finding in findings:
            if finding.get("id") in finding_ids and finding["id"] not in links.used_findings:
                self.warn(
                    "W401", finding["_path"], f"finding {finding['id']!r} is never referenced"
                )
        for source in sources:
            if source.get("id") in source_ids and source["id"] not in used_sources:
                self.warn("W402", source["_path"], f"source {source['id']!r} is never referenced")
        self.check_reachable(stages, stage_ids, successors)
        self.check_glossary(clean, glossary)
        if self.version >= 2:
            for path, message in hindsight_warnings(stages, reveals, successors, stage_dates):
                self.warn("W407", path, message)
            decisions = [d for stage in stages for d in stage.get("decisions", [])]
            for code, path, message in item_flaws(decisions):
                self.warn(code, path, message)
            for code, path, message in order_flaws(decisions):
                self.report("error" if code[0] == "E" else "warning", code, path, message)

    def check_findings(
        self, findings: list[dict[str, Any]], source_ids: set[str], used_sources: set[str]
    ) -> dict[str, tuple[IsoDate, str]]:
        """Voices, `reveals` dates and sources of the findings; each finding's sound
        `reveals` date (parsed, as written), for the hindsight check."""
        reveals: dict[str, tuple[IsoDate, str]] = {}
        version_2 = self.version >= 2
        for finding in findings:
            if version_2:
                if finding.get("voice") not in _VOICES_OR_NONE:
                    self.allowed(finding, "voice", VOICES)
                if "reveals" in finding:
                    revealed = self.iso_date(finding, "reveals")
                    if revealed is not None and isinstance(finding.get("id"), str):
                        reveals.setdefault(finding["id"], revealed)
            source = finding.get("source")
            if source is None:
                continue
            if source in source_ids:
                used_sources.add(source)
            else:
                self.error(
                    "E203",
                    finding["_path"] + ("source",),
                    f"unknown source {source!r}; {self.known(source_ids, 'source')}",
                )
        return reveals

    def check_stages(
        self, stages: list[dict[str, Any]], links: Links
    ) -> list[tuple[IsoDate, str] | None]:
        """Each stage's links and decisions; from format 2, each stage's sound date (parsed,
        as written) or None (format 1: no dates)."""
        decision_ids: set[str] = set()
        stage_dates: list[tuple[IsoDate, str] | None] = []
        version_2 = self.version >= 2
        for index, stage in enumerate(stages):
            if version_2:
                stage_dates.append(self.check_stage_date(stage))
            for position, finding_id in enumerate(stage.get("outcome_findings", ())):
                links.finding(finding_id, stage, "outcome_findings", position)
            if "next" in stage:
                links.next(stage["next"], stage, index)
            for decision in stage.get("decisions", []):
                check_decision(self, links, decision_ids, decision, index)
                self.check_order_label(decision)
        return stage_dates

    def check_order_label(self, decision: dict[str, Any]) -> None:
        """`order_label` names whose order a rank decision's ranks are: on any other kind it
        names nothing (E308), and it cannot be blank, since every screen shows it (E104)."""
        if "order_label" not in decision:
            return
        path: Path = decision["_path"] + ("order_label",)
        kind = decision.get("kind")
        if kind in DECISION_KINDS and kind != "rank":
            self.error(
                "E308",
                path,
                f"order_label is for rank decisions; a {kind} decision has no order to name",
            )
        elif not decision["order_label"].strip():
            self.error("E104", path, "is empty; say whose order it is, or leave the key out")

    def allowed(self, table: dict[str, Any], key: str, choices: tuple[str, ...]) -> bool:
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

    def iso_date(self, table: dict[str, Any], key: str) -> tuple[IsoDate, str] | None:
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

    def check_stage_date(self, stage: dict[str, Any]) -> tuple[IsoDate, str] | None:
        """Format 2: a stage's date is ISO, and a stage with decisions has one (for hindsight).
        The date when it is sound (parsed, as written)."""
        if "date" in stage:
            return self.iso_date(stage, "date")
        if stage.get("decisions") and "date" not in stage["_given"]:
            self.missing(
                stage["_path"],
                "date",
                "a stage with decisions needs its ISO date, to check its feedback for "
                "hindsight; date_label is what the trainee sees",
            )
        return None

    def check_reachable(
        self, stages: list[dict[str, Any]], stage_ids: set[str], successors: list[set[int]]
    ) -> None:
        """Warn about stages no play-through reaches, in time linear in the module's size."""
        if not stages:
            return
        seen = {0}
        todo = [0]
        while todo:
            for following in successors[todo.pop()]:
                if following not in seen:
                    seen.add(following)
                    todo.append(following)
        for index, stage in enumerate(stages):
            if index not in seen and stage.get("id") in stage_ids:
                self.warn("W403", stage["_path"], f"no play-through reaches stage {stage['id']!r}")

    def check_glossary(self, clean: dict[str, Any], glossary: list[dict[str, Any]]) -> None:
        if not glossary:
            return
        words = spaced_words("\n".join(self.texts))
        terms = [entry.get("term") or "" for entry in glossary]
        present = terms_present(terms, words)
        for entry, term, found in zip(glossary, terms, present, strict=True):
            if term and not found:
                self.warn("W405", entry["_path"], f"the term {term!r} appears in no other text")


def _successors(stages: list[dict[str, Any]]) -> list[set[int]]:
    """Each stage's possible successors (indexes) under the branching rule; "end" is none.

    A stage goes where the first `next` among its last decision's chosen options says,
    else the decisions before, else its own `next`, else the following stage. A decision
    every one of whose options names a `next` always decides, hiding what comes before
    it. A rank decision places every option, so its options never branch.
    """
    index_of = {stage.get("id"): i for i, stage in enumerate(stages)}
    successors: list[set[int]] = []
    for index, stage in enumerate(stages):
        targets: set[str] = set()
        fallback_possible = True
        for decision in reversed(stage.get("decisions", [])):
            if not fallback_possible:
                break
            if decision.get("kind") == "rank":
                continue
            options = decision.get("options", [])
            targets.update(o["next"] for o in options if "next" in o)
            if options and all("next" in o for o in options):
                fallback_possible = False  # this decision always names where to go
        if fallback_possible:
            if "next" in stage:
                targets.add(stage["next"])
            elif index + 1 < len(stages):
                targets.add(stages[index + 1].get("id", ""))
        successors.append({index_of[t] for t in targets if t in index_of})
    return successors


def spaced_words(text: str) -> str:
    """The words `normalise` reads in a text, each between single spaces (and a space at
    each end).

    The same words, found faster in a large text: where the text is not ASCII, one pattern
    finds the runs of punctuation, symbols, separators and controls between them, where
    normalise looks up each character's category (docs/performance.md, "Validate").
    """
    if text.isascii():
        return " " + " ".join(normalise(text)) + " "
    folded = unicodedata.normalize("NFKC", text).casefold()
    separators = _SEPARATORS
    # Combining marks (category M) are kept in the words: the ones in the text are left out.
    marks = {ch for ch in _NON_ASCII.findall(folded) if unicodedata.category(ch)[0] == "M"}
    if marks:
        separators = re.compile(f"(?:[^\\w{re.escape(''.join(sorted(marks)))}]|_)+")
    return " " + separators.sub(" ", folded).strip(" ") + " "


SUBSTRING_BUDGET = 20_000_000
"""Up to this many characters searched in all (terms times the text's length), each term is
looked for by a substring search of its own; beyond it, all at once (`phrases_found`)."""


def terms_present(terms: list[str], spaced: str) -> list[bool]:
    """For each glossary term, whether it occurs in the words of `spaced_words`.

    A few terms are each one substring search of the text (`occurs`), quickest for a
    module's usual dozens; many terms in a large text are found in one pass over its words
    (`phrases_found`), as a search for each would take the product of the two: 20,000 terms
    against a 400,000-word module took minutes, and took the first app start that met it
    in a shared modules folder as long.
    """
    if len(terms) * len(spaced) <= SUBSTRING_BUDGET:
        return [occurs(term, spaced) for term in terms]
    from trainer.engine.phrases import phrases_found

    return phrases_found(terms, spaced.split())


def occurs(phrase: str, spaced: str) -> bool:
    """Whether a phrase occurs in words joined by single spaces (with a space at each end).

    The same rule as the engine's `match_phrase` (whole words, a final `*` matching its
    word as a prefix), as one substring search rather than a scan for each phrase.
    """
    stripped = phrase.strip()
    wanted = normalise(stripped.rstrip("*"))
    if not wanted:
        return False
    tail = "" if stripped.endswith("*") else " "
    return " " + " ".join(wanted) + tail in spaced
