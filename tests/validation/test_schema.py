"""The module format is declared three times: the schema (keys the validator accepts), the
model (the record fields the engine reads) and the builder (which key fills which field).
These tests tie the three together, so a key added to one cannot be forgotten in another."""

from __future__ import annotations

from typing import Any

import pytest

from trainer.content import schema
from trainer.content.build import build_module
from trainer.engine import (
    Debrief,
    Decision,
    Evidence,
    Finding,
    GlossaryEntry,
    Module,
    Option,
    RubricConcept,
    Source,
    Stage,
)
from trainer.engine.model import ChronologyEntry, Document, Person, Relation

MODEL = {
    "module": Module,
    "source": Source,
    "finding": Finding,
    "glossary": GlossaryEntry,
    "stage": Stage,
    "evidence": Evidence,
    "decision": Decision,
    "option": Option,
    "concept": RubricConcept,
    "debrief": Debrief,
    "chronology": ChronologyEntry,
    "person": Person,
    "relation": Relation,
    "document": Document,
}
"""Each schema table and the record built from it."""
NOT_FROM_THE_FILE = {"module": {"path", "sha256"}}
"""Fields the loader fills from the file itself, not from a key."""


def test_every_table_has_a_record():
    assert set(MODEL) == set(schema.TABLES)


def _field(key: str, spec: schema.Key) -> str:
    """The model's field for a key (a relation's `from` is no Python name)."""
    return spec.field or key


@pytest.mark.parametrize("table", sorted(schema.TABLES))
def test_the_schema_keys_are_the_model_fields(table):
    fields = set(MODEL[table].__struct_fields__)
    keys = {_field(key, spec) for key, spec in schema.TABLES[table].items()}
    assert keys == fields - NOT_FROM_THE_FILE.get(table, set())


def _document(table: str, path: str, flag: bool) -> dict[str, Any]:
    """A table holding every key of the format, each with a value telling where it was
    (every boolean `flag`, so that both values are seen to pass through)."""
    document: dict[str, Any] = {}
    for key, spec in schema.TABLES[table].items():
        where = f"{path}.{key}"
        if spec.kind == schema.TEXT:
            document[key] = where
        elif spec.kind == schema.INTEGER:
            document[key] = len(where)
        elif spec.kind == schema.BOOLEAN:
            document[key] = flag
        elif spec.kind == schema.TEXT_LIST:
            document[key] = [where, where + "+"]
        elif spec.kind == schema.TABLE:
            assert spec.table is not None
            document[key] = _document(spec.table, where, flag)
        else:
            assert spec.table is not None
            document[key] = [_document(spec.table, f"{where}[{i}]", flag) for i in range(2)]
    return document


def _compare(table: str, document: dict[str, Any], built: Any, path: str) -> None:
    for key, spec in schema.TABLES[table].items():
        value = getattr(built, _field(key, spec))
        where = f"{path}.{key}"
        if spec.kind == schema.TABLE:
            assert spec.table is not None
            _compare(spec.table, document[key], value, where)
        elif spec.kind == schema.TABLE_LIST:
            assert spec.table is not None
            assert len(value) == len(document[key]), where
            for index, (element, made) in enumerate(zip(document[key], value, strict=True)):
                _compare(spec.table, element, made, f"{where}[{index}]")
        elif spec.kind == schema.TEXT_LIST:
            assert tuple(value) == tuple(document[key]), where
        else:
            assert value == document[key], f"{where}: the builder gave {value!r}"


@pytest.mark.parametrize("flag", [True, False])
def test_the_builder_fills_every_field_from_its_key(flag):
    # A document with every key of the newest format (each value distinct), built without
    # validation: every field of the model holds the value of the key of the same name.
    document = _document("module", "module", flag)
    document["format"] = max(schema.FORMATS)
    _compare("module", document, build_module(document), "module")


def test_every_key_exists_in_the_newest_format():
    newest = max(schema.FORMATS)
    for table, keys in schema.TABLES.items():
        for key, spec in keys.items():
            assert spec.since in schema.FORMATS, f"{table}.{key}"
            assert spec.exists_in(newest), f"{table}.{key}: format {newest} holds every key"
            if spec.optional_from is not None:
                assert spec.required and spec.optional_from in schema.FORMATS


def test_the_case_file_needs_format_3():
    module = schema.TABLES["module"]
    for key in ("chronology", "people", "relations", "documents"):
        assert module[key].since == schema.CASE_FILE == 3
        assert not module[key].exists_in(2)
