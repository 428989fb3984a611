"""Build the model from a checked document (the validator calls this once it finds no errors)."""

from __future__ import annotations

from typing import Any

from trainer.content.schema import default_scoring
from trainer.engine import (
    ORDER_LABEL,
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


def build_module(data: dict[str, Any]) -> Module:
    """A Module from a document whose keys and types the validator has checked."""
    debrief = data.get("debrief", {})
    version = data["format"]
    return Module(
        format=data["format"],
        id=data["id"],
        title=data["title"],
        version=data["version"],
        summary=data["summary"],
        language=data.get("language", "en-GB"),
        estimated_minutes=data.get("estimated_minutes"),
        authors=tuple(data.get("authors", ())),
        content_warning=data.get("content_warning"),
        support=data.get("support"),
        hindsight_note=data.get("hindsight_note"),
        objectives=tuple(data.get("objectives", ())),
        sources=tuple(
            Source(
                s["id"],
                s["title"],
                s.get("publisher"),
                s.get("date"),
                s.get("url"),
                s.get("note"),
                s.get("kind"),
            )
            for s in data.get("sources", ())
        ),
        findings=tuple(
            Finding(
                f["id"],
                f["text"],
                f["source"],
                f.get("quote"),
                f.get("locator"),
                f.get("voice"),
                f.get("said_by"),
                f.get("reveals"),
            )
            for f in data.get("findings", ())
        ),
        glossary=tuple(GlossaryEntry(g["term"], g["definition"]) for g in data.get("glossary", ())),
        stages=tuple(_stage(s, version) for s in data["stages"]),
        debrief=Debrief(debrief.get("text"), tuple(debrief.get("prompts", ()))),
        chronology=tuple(_chronology_entry(c) for c in data.get("chronology", ())),
        people=tuple(_person(p) for p in data.get("people", ())),
        relations=tuple(_relation(r) for r in data.get("relations", ())),
        documents=tuple(_document(d) for d in data.get("documents", ())),
    )


def _chronology_entry(data: dict[str, Any]) -> ChronologyEntry:
    return ChronologyEntry(
        id=data["id"],
        date=data["date"],
        agency=data["agency"],
        event=data["event"],
        from_stage=data["from_stage"],
        date_label=data.get("date_label"),
        source=data.get("source"),
        key=data.get("key", False),
    )


def _person(data: dict[str, Any]) -> Person:
    return Person(
        id=data["id"],
        label=data["label"],
        from_stage=data["from_stage"],
        sex=data.get("sex", "unknown"),
        born=data.get("born"),
        deceased=data.get("deceased", False),
        child=data.get("child", False),
        household=data.get("household", False),
        identified=data.get("identified", True),
    )


def _relation(data: dict[str, Any]) -> Relation:
    return Relation(
        from_person=data["from"],
        to_person=data["to"],
        kind=data["kind"],
        from_stage=data["from_stage"],
        note=data.get("note"),
    )


def _document(data: dict[str, Any]) -> Document:
    return Document(
        id=data["id"],
        title=data["title"],
        text=data["text"],
        from_stage=data["from_stage"],
        kind=data.get("kind"),
        agency=data.get("agency"),
        date=data.get("date"),
        key=data.get("key", False),
        source=data.get("source"),
        reconstructed=data.get("reconstructed", False),
    )


def _stage(data: dict[str, Any], version: int) -> Stage:
    return Stage(
        id=data["id"],
        title=data["title"],
        narrative=data["narrative"],
        date=data.get("date"),
        evidence=tuple(Evidence(e["title"], e["text"]) for e in data.get("evidence", ())),
        decisions=tuple(_decision(d, version) for d in data.get("decisions", ())),
        outcome=data.get("outcome"),
        outcome_findings=tuple(data.get("outcome_findings", ())),
        next=data.get("next"),
        date_label=data.get("date_label"),
    )


def _decision(data: dict[str, Any], version: int) -> Decision:
    return Decision(
        id=data["id"],
        prompt=data["prompt"],
        kind=data["kind"],
        options=tuple(
            Option(
                o["id"],
                o["text"],
                o.get("verdict"),
                o.get("feedback"),
                tuple(o.get("findings", ())),
                o.get("next"),
                o.get("happened", False),
                o.get("rank"),
            )
            for o in data.get("options", ())
        ),
        asks_confidence=data.get("ask_confidence", False),
        reason_prompt=data.get("reflection"),
        rubric=tuple(
            RubricConcept(c["id"], c["label"], tuple(c["any"]), c.get("finding"))
            for c in data.get("rubric", ())
        ),
        scored=data.get("scored", True),
        scoring=data.get("scoring", default_scoring(version)),
        order_label=data.get("order_label", ORDER_LABEL),
        shuffle=data.get("shuffle", True),
    )
