"""Exporters: a registry of pure functions from records to text (CSV, JSON, xAPI).

Each is deterministic: the same saves give the same bytes, with keys in a
fixed order and times as the saves recorded them.

None writes a control, bidi or invisible format character raw, whether the export goes
to a file or to a terminal: CSV cells show each as a visible escape (`\\x1b`, `\\u202e`;
newlines and tabs kept), JSON and xAPI write each as a JSON escape (`\\u001b`), which
reads back as the same text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from trainer.cohort.records import Options, Record, happened_word
from trainer.cohort.xapi import attempt_statements
from trainer.engine import Answer
from trainer.engine.opened import OpenedItem, opened_before
from trainer.sanitise import json_safe, safe

CSV_COLUMNS = [
    "learner_id",
    "learner_name",
    "cohort",
    "module_id",
    "module_version",
    "attempt",
    "stage_id",
    "decision_id",
    "kind",
    "response",
    "response_text",
    "reflection",
    "verdict",
    "score",
    "confidence",
    "concepts_matched",
    "answered_at",
    "concepts_claimed",
    "happened",
    "seconds",
    "documents_opened",
]
"""The brief's columns, then format 2's, then format 3's (how long each answer took, what was
opened before it), each appended so existing readers keep their places."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PRINTABLE_FORMULA_STARTS = frozenset(start for start in FORMULA_STARTS if start.isprintable())
"""The formula starts a cell of printable ASCII can have (tab and return are not printable)."""
EXPORT_FORMAT = "trainer-export"
EXPORT_VERSION = 1


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula, nor a terminal as a control sequence."""
    if not (value.isascii() and value.isprintable()):  # printable ASCII is safe as it is
        value = safe(value, newlines=True)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_cells(cells: list[str]) -> list[str]:
    """`safe_cell` of each cell: a row of printable ASCII, as nearly every row is, needs no
    escape, only a look at each cell's first character."""
    joined = "".join(cells)
    if joined.isascii() and joined.isprintable():
        starts = _PRINTABLE_FORMULA_STARTS
        return [cell if cell[:1] not in starts else "'" + cell for cell in cells]
    return [safe_cell(cell) for cell in cells]


def number(value: float | None) -> str:
    """A score as text: up to four decimals, no trailing noise."""
    return "" if value is None else f"{round(value, 4):g}"


def response(answer: Answer, options: Options) -> tuple[str, str]:
    """The response column (ids, or the written text) and the response_text column (the
    chosen options' texts, or the written text again: a spreadsheet's text column always
    holds the words).

    A rank answer's ids and texts are in the trainee's order, as the save records them.
    """
    if answer.kind == "text":
        written = "" if options.no_text else answer.text or ""
        return written, written
    return ";".join(answer.choice), ";".join(answer.choice_texts)


def to_csv(records: Iterable[Record], options: Options) -> str:
    """One row per learner and answered decision, columns as the brief lists them."""
    return "".join(csv_parts([csv_rows(record, options) for record in records]))


CSV_HEADER = "".join(f"{column}," for column in CSV_COLUMNS)[:-1] + "\r\n"


def csv_parts(rows: Iterable[str]) -> Iterator[str]:
    """The CSV file in parts: the header, then each record's rows (`csv_rows`) as given."""
    yield CSV_HEADER
    yield from rows


class _RowWriter:
    """A CSV writer into one reused buffer: the rows of one record at a time."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")


_row_writer = _RowWriter()


def csv_rows(record: Record, options: Options) -> str:
    """A record's CSV rows: one per attempt selected and answered decision."""
    buffer, writer = _row_writer.buffer, _row_writer.writer
    buffer.seek(0)
    buffer.truncate()
    learner = (
        safe_cell(record.learner_id),
        safe_cell(record.learner_name),
        safe_cell(record.cohort),
        safe_cell(record.save.module.id),
        safe_cell(record.save.module.version),
    )
    for attempt in record.attempts:
        number_cell = safe_cell(str(attempt.number))
        for index, answer in enumerate(attempt.answers):
            ids, texts = response(answer, options)
            reason = "" if options.no_text else answer.reason or ""
            row = [
                answer.stage_id,
                answer.decision_id,
                answer.kind,
                ids,
                texts,
                reason,
                answer.verdict,  # empty when not judged
                number(answer.score),  # empty when not judged
                "" if answer.confidence is None else str(answer.confidence),
                ";".join(answer.concepts_matched),
                answer.answered_at,
                ";".join(answer.concepts_claimed),
                happened_word(answer),
                number(answer.seconds),  # empty in saves from before it was kept
                ";".join(opened_refs(attempt.opened, index)),
            ]
            writer.writerow([*learner, number_cell, *safe_cells(row)])
    return buffer.getvalue()


def opened_refs(opened: Sequence[OpenedItem], index: int) -> list[str]:
    """The case-file items opened before the attempt's answer at `index` (its place in the
    order recorded), as `kind:id`, since an id is unique within its kind only."""
    return [item.ref for item in opened_before(opened, index)]


def _answer_json(answer: Answer, options: Options, opened: Sequence[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "stage_id": answer.stage_id,
        "decision_id": answer.decision_id,
        "prompt": answer.prompt,
        "kind": answer.kind,
        "response": list(answer.choice),
        "response_text": list(answer.choice_texts),
    }
    if answer.kind == "text":
        data["response"] = None if options.no_text else answer.text
        data["response_text"] = None
    data["reflection"] = None if options.no_text else answer.reason
    data.update(
        {
            # Not judged (nothing to compare with): no verdict and no score, never "contrary".
            "verdict": answer.verdict if answer.judged else None,
            "score": answer.score if answer.judged else None,
            "scored": answer.scored,
            "confidence": answer.confidence,
            "concepts_matched": list(answer.concepts_matched),
            "concepts_missed": list(answer.concepts_missed),
            "findings": list(answer.findings),
            "missed_findings": list(answer.missed_findings),
            "answered_at": answer.answered_at,
            "concepts_claimed": list(answer.concepts_claimed),
            # A rank answer: `response` is the trainee's order, this the review panel's.
            "panel_order": list(answer.panel_order) if answer.kind == "rank" else None,
            "happened": answer.happened,
            "chose_what_happened": answer.chose_what_happened,
            "seconds": answer.seconds,
            "documents_opened": list(opened),
        }
    )
    return data


def _findings_json(record: Record) -> list[dict[str, Any]]:
    """Each finding the exported answers cite, with its source and locator where the save has
    them (a save written before they were recorded has only the ids: nulls)."""
    cited: list[str] = []
    for attempt in record.attempts:
        for answer in attempt.answers:
            for finding_id in (*answer.findings, *answer.missed_findings):
                if finding_id not in cited:
                    cited.append(finding_id)
    out = []
    for finding_id in cited:
        info = record.save.module.finding(finding_id)
        entry: dict[str, Any] = {"id": finding_id}
        for key in ("text", "voice", "said_by", "source", "locator"):
            entry[key] = (getattr(info, key) or None) if info is not None else None
        out.append(entry)
    return out


def _json(value: Any) -> str:
    """Indented JSON, UTF-8 as it is but for unsafe characters, which are JSON escapes."""
    return json_safe(json.dumps(value, indent=2, ensure_ascii=False)) + "\n"


def _indented(text: str, indent: str) -> str:
    """JSON text (as `json.dumps(..., indent=2)` writes it) as it reads nested `indent` deep:
    a newline inside a string is always written `\\n`, so every newline is between values."""
    return indent + text.replace("\n", "\n" + indent)


JSON_START = f'{{\n  "format": "{EXPORT_FORMAT}",\n  "version": {EXPORT_VERSION},\n  "learners": ['


def json_part(record: Record, options: Options) -> str:
    """A record's part of the JSON export: its learner's id (as JSON) and heading, and its
    module with the attempts selected, apart by NULs (JSON text writes a NUL as `\\u0000`)."""
    learner = {
        "id": record.learner_id,
        "name": record.learner_name,
        "cohort": record.cohort or None,
    }
    module = record.save.module
    entry = {
        "id": module.id,
        "title": module.title,
        "version": module.version,
        "attempts": [
            {
                "number": attempt.number,
                "registration": attempt.registration,
                "started_at": attempt.started_at,
                "finished_at": attempt.finished_at,
                "score": attempt.score,
                "answers": [
                    _answer_json(a, options, opened_refs(attempt.opened, i))
                    for i, a in enumerate(attempt.answers)
                ],
            }
            for attempt in record.attempts
        ],
        "findings": _findings_json(record),
    }
    heading = _json(learner)[:-3] + ',\n  "modules": ['  # less the closing "\n}\n"
    return "\0".join(
        (
            json.dumps(record.learner_id, ensure_ascii=False),
            _indented(heading, "    "),
            _indented(_json(entry)[:-1], "        "),
        )
    )


def json_parts(parts: Iterable[str]) -> Iterator[str]:
    """The JSON export in parts, from each record's `json_part` in learner order: the records
    of one learner (by id) are one entry of `learners`, headed as the first of them is."""
    yield JSON_START
    learner = None
    for part in parts:
        learner_id, heading, module = part.split("\0")
        if learner is None:
            yield "\n" + heading + "\n" + module
        elif learner_id != learner:
            yield "\n      ]\n    },\n" + heading + "\n" + module
        else:
            yield ",\n" + module
        learner = learner_id
    yield "]\n}\n" if learner is None else "\n      ]\n    }\n  ]\n}\n"


def to_json(records: Iterable[Record], options: Options) -> str:
    """The same content as the CSV, nested by learner, module and attempt."""
    return "".join(json_parts(json_part(record, options) for record in records))


def xapi_part(record: Record, options: Options) -> str:
    """A record's statements as they stand in the xAPI export's array, comma-separated."""
    return ",".join(
        "\n" + _indented(_json(statement)[:-1], "  ")
        for attempt in record.attempts
        for statement in attempt_statements(record, attempt, options)
    )


def xapi_parts(parts: Iterable[str]) -> Iterator[str]:
    """The xAPI export in parts: one JSON array of every record's statements, in order."""
    yield "["
    empty = True
    for part in parts:
        if part:
            yield part if empty else "," + part
            empty = False
    yield "]\n" if empty else "\n]\n"


def to_xapi(records: Iterable[Record], options: Options) -> str:
    """A JSON array of xAPI 1.0.3 statements: what an LRS takes in one POST."""
    return "".join(xapi_parts(xapi_part(record, options) for record in records))


@dataclass(frozen=True)
class Exporter:
    """How one format is written: each record's part (text), then the parts as a whole."""

    part: Callable[[Record, Options], str]
    whole: Callable[[Iterable[str]], Iterator[str]]


FORMATS: dict[str, Exporter] = {
    "csv": Exporter(csv_rows, csv_parts),
    "json": Exporter(json_part, json_parts),
    "xapi": Exporter(xapi_part, xapi_parts),
}
"""Each format's parts, for a command that streams a cohort (`records.select`)."""

EXPORTERS: dict[str, Callable[[list[Record], Options], str]] = {
    "csv": to_csv,
    "json": to_json,
    "xapi": to_xapi,
}
"""Each format from records in memory, in learner and module order."""
