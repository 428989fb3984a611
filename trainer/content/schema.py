"""The keys of module formats 1, 2 and 3: which tables hold which keys, their types, and what
is required. A key with `since = 2` exists only from format 2 (format 1 files do not know it),
one with `since = 3` only in format 3 (the case file).

Some format 2 keys are required only in some tables of their kind, which the validator
decides (`trainer.content.validator`): a stage's `date` when the stage has decisions, an
option's `verdict` in a scored single or multiple decision, its `rank` in a rank decision.
The model's records have a field for each key here, and `build.py` fills it; a test
(tests/validation/test_schema.py) keeps the three in step."""

from __future__ import annotations

from typing import NamedTuple

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


class Key(NamedTuple):
    """One key of a table: its kind, whether it is required, and the table it holds (a named
    tuple: `trainer validate` imports no dataclasses, as `problems.Report` says)."""

    kind: str
    required: bool = False
    table: str | None = None
    """For TABLE and TABLE_LIST: the name of the table spec of each element."""
    since: int = 1
    """The first module format that has this key."""
    optional_from: int | None = None
    """A required key that is required only before this format (from it, the validator
    decides when it is needed: `verdict` is needed only on a scored choice's options)."""
    field: str | None = None
    """The model's field for the key, where the key is no Python name (a relation's `from`)
    or the code's word differs from the format's (a decision's `reflection` is the prompt
    for a reason, `Decision.reason_prompt`; the file's keys never change)."""

    def exists_in(self, format_version: int) -> bool:
        """Whether a module of this format may hold the key."""
        return format_version >= self.since

    def required_in(self, format_version: int) -> bool:
        """Whether a module of this format must hold the key."""
        if not self.required or not self.exists_in(format_version):
            return False
        return self.optional_from is None or format_version < self.optional_from


def default_scoring(format_version: int) -> str:
    """How a written answer is compared where its decision has no `scoring`: by the trainee's
    ticks from format 2, by phrases in format 1 (which knows no other way)."""
    return "self" if format_version >= 2 else "phrases"


FORMATS = (1, 2, 3)
"""The module formats this version reads."""
CASE_FILE = 3
"""The format of the case file: its top-level keys need `format = 3`."""


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
        "chronology": Key(TABLE_LIST, table="chronology", since=CASE_FILE),
        "people": Key(TABLE_LIST, table="person", since=CASE_FILE),
        "relations": Key(TABLE_LIST, table="relation", since=CASE_FILE),
        "documents": Key(TABLE_LIST, table="document", since=CASE_FILE),
    },
    "source": {
        "id": Key(TEXT, True),
        "title": Key(TEXT, True),
        "publisher": Key(TEXT),
        "date": Key(TEXT),
        "url": Key(TEXT),
        "note": Key(TEXT),
        "kind": Key(TEXT, True, since=2),
    },
    "finding": {
        "id": Key(TEXT, True),
        "text": Key(TEXT, True),
        "source": Key(TEXT, True),
        "quote": Key(TEXT),
        "locator": Key(TEXT),
        "voice": Key(TEXT, True, since=2),
        "said_by": Key(TEXT, since=2),
        "reveals": Key(TEXT, since=2),
    },
    "glossary": {"term": Key(TEXT, True), "definition": Key(TEXT, True)},
    "stage": {
        "id": Key(TEXT, True),
        "title": Key(TEXT, True),
        "date": Key(TEXT),  # format 1: a label; format 2: an ISO date, needed with decisions
        "date_label": Key(TEXT, since=2),
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
        "ask_confidence": Key(BOOLEAN, field="asks_confidence"),
        "reflection": Key(TEXT, field="reason_prompt"),
        "rubric": Key(TABLE_LIST, table="concept"),
        "scored": Key(BOOLEAN),
        "scoring": Key(TEXT, since=2),
        "order_label": Key(TEXT, since=2),  # rank decisions only
        "shuffle": Key(BOOLEAN, since=2),
    },
    "option": {
        "id": Key(TEXT, True),
        "text": Key(TEXT, True),
        "verdict": Key(TEXT, True, optional_from=2),
        "feedback": Key(TEXT),
        "findings": Key(TEXT_LIST),
        "next": Key(TEXT),
        "happened": Key(BOOLEAN, since=2),
        "rank": Key(INTEGER, since=2),  # required on, and only on, a rank decision's options
    },
    "concept": {
        "id": Key(TEXT, True),
        "label": Key(TEXT, True),
        "any": Key(TEXT_LIST, True),
        "finding": Key(TEXT),
    },
    "debrief": {
        "text": Key(TEXT),
        "prompts": Key(TEXT_LIST),
    },  # The case file (format 3): every table of it is new in format 3, so its keys are not
    # marked `since`; the module's keys that hold them are.
    "chronology": {
        "id": Key(TEXT, True),
        "date": Key(TEXT, True),
        "date_label": Key(TEXT),
        "agency": Key(TEXT, True),
        "event": Key(TEXT, True),
        "from_stage": Key(TEXT, True),
        "source": Key(TEXT),
        "key": Key(BOOLEAN),
    },
    "person": {
        "id": Key(TEXT, True),
        "label": Key(TEXT, True),
        "from_stage": Key(TEXT, True),
        "sex": Key(TEXT),
        "born": Key(INTEGER),
        "deceased": Key(BOOLEAN),
        "child": Key(BOOLEAN),
        "household": Key(BOOLEAN),
        "identified": Key(BOOLEAN),
    },
    "relation": {
        "from": Key(TEXT, True, field="from_person"),
        "to": Key(TEXT, True, field="to_person"),
        "kind": Key(TEXT, True),
        "from_stage": Key(TEXT, True),
        "note": Key(TEXT),
    },
    "document": {
        "id": Key(TEXT, True),
        "title": Key(TEXT, True),
        "text": Key(TEXT, True),
        "from_stage": Key(TEXT, True),
        "kind": Key(TEXT),
        "agency": Key(TEXT),
        "date": Key(TEXT),
        "key": Key(BOOLEAN),
        "source": Key(TEXT),
        "reconstructed": Key(BOOLEAN),
    },
}
