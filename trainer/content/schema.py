"""The keys of module format 1: which tables hold which keys, their types, and what is required."""

from __future__ import annotations

from dataclasses import dataclass

# Kinds of value a key may hold.
TEXT = "text"
INTEGER = "integer"
BOOLEAN = "boolean"
TEXT_LIST = "list of text"
TABLE = "table"
TABLE_LIST = "array of tables"

TYPE_WORDS = {
    TEXT: "text",
    INTEGER: "a whole number",
    BOOLEAN: "true or false",
    TEXT_LIST: "a list of text",
    TABLE: "a table",
    TABLE_LIST: "an array of tables ([[...]])",
}


@dataclass(frozen=True)
class Key:
    """One key of a table: its kind, whether it is required, and the table it holds."""

    kind: str
    required: bool = False
    table: str | None = None
    """For TABLE and TABLE_LIST: the name of the table spec of each element."""


TABLES: dict[str, dict[str, Key]] = {
    "module": {
        "format": Key(INTEGER, True),
        "id": Key(TEXT, True),
        "title": Key(TEXT, True),
        "version": Key(TEXT, True),
        "summary": Key(TEXT, True),
        "language": Key(TEXT),
        "estimated_minutes": Key(INTEGER),
        "authors": Key(TEXT_LIST),
        "content_warning": Key(TEXT),
        "support": Key(TEXT),
        "hindsight_note": Key(TEXT),
        "objectives": Key(TEXT_LIST),
        "sources": Key(TABLE_LIST, table="source"),
        "findings": Key(TABLE_LIST, table="finding"),
        "glossary": Key(TABLE_LIST, table="glossary"),
        "stages": Key(TABLE_LIST, True, table="stage"),
        "debrief": Key(TABLE, table="debrief"),
    },
    "source": {
        "id": Key(TEXT, True),
        "title": Key(TEXT, True),
        "publisher": Key(TEXT),
        "date": Key(TEXT),
        "url": Key(TEXT),
        "note": Key(TEXT),
    },
    "finding": {
        "id": Key(TEXT, True),
        "text": Key(TEXT, True),
        "source": Key(TEXT, True),
        "quote": Key(TEXT),
        "locator": Key(TEXT),
    },
    "glossary": {"term": Key(TEXT, True), "definition": Key(TEXT, True)},
    "stage": {
        "id": Key(TEXT, True),
        "title": Key(TEXT, True),
        "date": Key(TEXT),
        "narrative": Key(TEXT, True),
        "evidence": Key(TABLE_LIST, table="evidence"),
        "decisions": Key(TABLE_LIST, table="decision"),
        "outcome": Key(TEXT),
        "outcome_findings": Key(TEXT_LIST),
        "next": Key(TEXT),
    },
    "evidence": {"title": Key(TEXT, True), "text": Key(TEXT, True)},
    "decision": {
        "id": Key(TEXT, True),
        "prompt": Key(TEXT, True),
        "kind": Key(TEXT, True),
        "options": Key(TABLE_LIST, table="option"),
        "ask_confidence": Key(BOOLEAN),
        "reflection": Key(TEXT),
        "rubric": Key(TABLE_LIST, table="concept"),
        "scored": Key(BOOLEAN),
    },
    "option": {
        "id": Key(TEXT, True),
        "text": Key(TEXT, True),
        "verdict": Key(TEXT, True),
        "feedback": Key(TEXT),
        "findings": Key(TEXT_LIST),
        "next": Key(TEXT),
    },
    "concept": {
        "id": Key(TEXT, True),
        "label": Key(TEXT, True),
        "any": Key(TEXT_LIST, True),
        "finding": Key(TEXT),
    },
    "debrief": {"text": Key(TEXT), "prompts": Key(TEXT_LIST)},
}
