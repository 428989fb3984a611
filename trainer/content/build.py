"""Build the model from a checked document (the validator calls this once it finds no errors)."""

from __future__ import annotations

from typing import Any

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


def build_module(data: dict[str, Any]) -> Module:
    """A Module from a document whose keys and types the validator has checked."""
    debrief = data.get("debrief", {})
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
                s["id"], s["title"], s.get("publisher"), s.get("date"), s.get("url"), s.get("note")
            )
            for s in data.get("sources", ())
        ),
        findings=tuple(
            Finding(f["id"], f["text"], f["source"], f.get("quote"), f.get("locator"))
            for f in data.get("findings", ())
        ),
        glossary=tuple(GlossaryEntry(g["term"], g["definition"]) for g in data.get("glossary", ())),
        stages=tuple(_stage(s) for s in data["stages"]),
        debrief=Debrief(debrief.get("text"), tuple(debrief.get("prompts", ()))),
    )


def _stage(data: dict[str, Any]) -> Stage:
    return Stage(
        id=data["id"],
        title=data["title"],
        narrative=data["narrative"],
        date=data.get("date"),
        evidence=tuple(Evidence(e["title"], e["text"]) for e in data.get("evidence", ())),
        decisions=tuple(_decision(d) for d in data.get("decisions", ())),
        outcome=data.get("outcome"),
        outcome_findings=tuple(data.get("outcome_findings", ())),
        next=data.get("next"),
    )


def _decision(data: dict[str, Any]) -> Decision:
    return Decision(
        id=data["id"],
        prompt=data["prompt"],
        kind=data["kind"],
        options=tuple(
            Option(
                o["id"],
                o["text"],
                o["verdict"],
                o.get("feedback"),
                tuple(o.get("findings", ())),
                o.get("next"),
            )
            for o in data.get("options", ())
        ),
        ask_confidence=data.get("ask_confidence", False),
        reflection=data.get("reflection"),
        rubric=tuple(
            RubricConcept(c["id"], c["label"], tuple(c["any"]), c.get("finding"))
            for c in data.get("rubric", ())
        ),
        scored=data.get("scored", True),
    )
