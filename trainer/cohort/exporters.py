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
from collections.abc import Callable
from typing import Any

from trainer.cohort.records import Options, Record, happened_word
from trainer.cohort.xapi import statements
from trainer.engine import Answer
from trainer.terminal import json_safe, safe

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
]
"""The brief's columns, then format 2's, appended so existing readers keep their places."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMAT = "trainer-export"
EXPORT_VERSION = 1


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula, nor a terminal as a control sequence."""
    value = safe(value, newlines=True)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def number(value: float | None) -> str:
    """A score as text: up to four decimals, no trailing noise."""
    return "" if value is None else f"{round(value, 4):g}"


def response(answer: Answer, options: Options) -> tuple[str, str]:
    """The response column (ids, or the written text) and the response_text column.

    A rank answer's ids and texts are in the trainee's order, as the save records them.
    """
    if answer.kind == "text":
        return ("" if options.no_text else answer.text or ""), ""
    return ";".join(answer.choice), ";".join(answer.choice_texts)


def to_csv(records: list[Record], options: Options) -> str:
    """One row per learner and answered decision, columns as the brief lists them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        for attempt in record.attempts:
            for answer in attempt.answers:
                ids, texts = response(answer, options)
                reflection = "" if options.no_text else answer.reflection or ""
                row = [
                    record.learner_id,
                    record.learner_name,
                    record.cohort,
                    record.save.module.id,
                    record.save.module.version,
                    str(attempt.number),
                    answer.stage_id,
                    answer.decision_id,
                    answer.kind,
                    ids,
                    texts,
                    reflection,
                    answer.verdict,  # empty when not judged
                    number(answer.score),  # empty when not judged
                    "" if answer.confidence is None else str(answer.confidence),
                    ";".join(answer.concepts_matched),
                    answer.answered_at,
                    ";".join(answer.concepts_claimed),
                    happened_word(answer),
                ]
                writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def _answer_json(answer: Answer, options: Options) -> dict[str, Any]:
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
    data["reflection"] = None if options.no_text else answer.reflection
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


def to_json(records: list[Record], options: Options) -> str:
    """The same content as the CSV, nested by learner, module and attempt."""
    learners: dict[str, dict[str, Any]] = {}
    for record in records:
        learner = learners.setdefault(
            record.learner_id,
            {
                "id": record.learner_id,
                "name": record.learner_name,
                "cohort": record.cohort or None,
                "modules": [],
            },
        )
        module = record.save.module
        learner["modules"].append(
            {
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
                        "answers": [_answer_json(a, options) for a in attempt.answers],
                    }
                    for attempt in record.attempts
                ],
                "findings": _findings_json(record),
            }
        )
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "learners": list(learners.values()),
    }
    return _json(document)


def to_xapi(records: list[Record], options: Options) -> str:
    """A JSON array of xAPI 1.0.3 statements: what an LRS takes in one POST."""
    return _json(statements(records, options))


EXPORTERS: dict[str, Callable[[list[Record], Options], str]] = {
    "csv": to_csv,
    "json": to_json,
    "xapi": to_xapi,
}
