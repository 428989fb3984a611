"""The module model: plain, immutable dataclasses for a case module in format v1.

The loader in `trainer.content` builds these from TOML; the engine plays them.
Nothing here knows about files, screens or saves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

Verdict = Literal["aligned", "partial", "contrary"]
DecisionKind = Literal["single", "multiple", "text"]

VERDICTS: tuple[Verdict, ...] = ("aligned", "partial", "contrary")
DECISION_KINDS: tuple[DecisionKind, ...] = ("single", "multiple", "text")
END = "end"
"""The `next` value that finishes the module."""

VERDICT_WORDS: dict[str, str] = {
    "aligned": "Aligned with the review",
    "partial": "Partly aligned",
    "contrary": "Contrary to the review",
}
"""How each verdict is said in words: feedback never relies on colour alone."""


@dataclass(frozen=True)
class Source:
    """A document the module's findings come from."""

    id: str
    title: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Finding:
    """Something a review found, with where it says so."""

    id: str
    text: str
    source: str
    quote: str | None = None
    locator: str | None = None


@dataclass(frozen=True)
class GlossaryEntry:
    """A term and its definition, in the module's own words."""

    term: str
    definition: str


@dataclass(frozen=True)
class Evidence:
    """A document the trainee may open at a stage."""

    title: str
    text: str


@dataclass(frozen=True)
class Option:
    """One answer to a choice decision, with the review's verdict on it."""

    id: str
    text: str
    verdict: Verdict
    feedback: str | None = None
    findings: tuple[str, ...] = ()
    next: str | None = None


@dataclass(frozen=True)
class RubricConcept:
    """A concept looked for in a written answer or reflection."""

    id: str
    label: str
    any: tuple[str, ...]
    finding: str | None = None


@dataclass(frozen=True)
class Decision:
    """A question the trainee answers at a stage."""

    id: str
    prompt: str
    kind: DecisionKind
    options: tuple[Option, ...] = ()
    ask_confidence: bool = False
    reflection: str | None = None
    rubric: tuple[RubricConcept, ...] = ()
    scored: bool = True

    @property
    def judged(self) -> bool:
        """Whether an answer to this decision is compared with the review at all.

        The one rule every screen, record, export and report follows: a written
        question with no rubric has nothing to be compared with, so it is recorded,
        never judged (the validator allows that only when it is unscored).
        """
        return not (self.kind == "text" and not self.rubric)

    @property
    def asks_reason(self) -> bool:
        """Whether a one-line reason is asked after the choice (never after a written answer)."""
        return bool(self.reflection) and self.kind != "text"

    def option(self, option_id: str) -> Option | None:
        """The option with this id, or None."""
        for option in self.options:
            if option.id == option_id:
                return option
        return None


@dataclass(frozen=True)
class Stage:
    """A point in the case: what was known then, and what was decided."""

    id: str
    title: str
    narrative: str
    date: str | None = None
    evidence: tuple[Evidence, ...] = ()
    decisions: tuple[Decision, ...] = ()
    outcome: str | None = None
    outcome_findings: tuple[str, ...] = ()
    next: str | None = None


@dataclass(frozen=True)
class Debrief:
    """Text and reflection prompts for after the module."""

    text: str | None = None
    prompts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Module:
    """A whole case module, as a facilitator wrote it."""

    format: int
    id: str
    title: str
    version: str
    summary: str
    language: str = "en-GB"
    estimated_minutes: int | None = None
    authors: tuple[str, ...] = ()
    content_warning: str | None = None
    support: str | None = None
    hindsight_note: str | None = None
    objectives: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    findings: tuple[Finding, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    stages: tuple[Stage, ...] = ()
    debrief: Debrief = field(default_factory=Debrief)
    path: str | None = None
    """Where the module was read from, if from a file."""
    sha256: str | None = None
    """Hex digest of the file's bytes, recorded in saves."""

    @cached_property
    def _stage_positions(self) -> dict[str, int]:
        positions: dict[str, int] = {}
        for index, stage in enumerate(self.stages):
            positions.setdefault(stage.id, index)
        return positions

    def stage(self, stage_id: str) -> Stage | None:
        """The stage with this id, or None."""
        index = self._stage_positions.get(stage_id)
        return None if index is None else self.stages[index]

    def stage_number(self, stage_id: str) -> int:
        """A stage's place in the file (1-based), or 0 if there is no such stage."""
        index = self._stage_positions.get(stage_id)
        return 0 if index is None else index + 1

    def stage_after(self, stage_id: str) -> Stage | None:
        """The stage that follows this one in the file, or None after the last."""
        index = self._stage_positions.get(stage_id)
        if index is None or index + 1 >= len(self.stages):
            return None
        return self.stages[index + 1]

    def finding(self, finding_id: str) -> Finding | None:
        """The finding with this id, or None."""
        for finding in self.findings:
            if finding.id == finding_id:
                return finding
        return None

    def source(self, source_id: str) -> Source | None:
        """The source with this id, or None."""
        for source in self.sources:
            if source.id == source_id:
                return source
        return None

    def decision(self, decision_id: str) -> tuple[Stage, Decision] | None:
        """The decision with this id and the stage that holds it, or None."""
        for stage in self.stages:
            for decision in stage.decisions:
                if decision.id == decision_id:
                    return stage, decision
        return None

    @property
    def decision_count(self) -> int:
        """How many decisions the module holds, on every path."""
        return sum(len(stage.decisions) for stage in self.stages)
