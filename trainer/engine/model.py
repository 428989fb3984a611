"""The module model: plain, immutable records for a case module (formats 1, 2 and 3).

The loader in `trainer.content` builds these from TOML; the engine plays them.
Nothing here knows about files, screens or saves.

The records are msgspec Structs, not dataclasses: every start that opens a module defines
them before its first frame, and a dataclass is defined by compiling the source of each of
its methods, many times what defining a Struct costs (docs/performance.md, "Figures behind
the code"). A Struct is frozen, compared and hashed by its fields, as the
dataclasses were; `msgspec.structs.replace` makes a changed copy.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import msgspec

from trainer.engine.vocabulary import DECISION_KINDS as DECISION_KINDS
from trainer.engine.vocabulary import DOCUMENT_KINDS as DOCUMENT_KINDS
from trainer.engine.vocabulary import END as END
from trainer.engine.vocabulary import ORDER_LABEL as ORDER_LABEL
from trainer.engine.vocabulary import RANK_ALIGNED as RANK_ALIGNED
from trainer.engine.vocabulary import RANK_CONTRARY as RANK_CONTRARY
from trainer.engine.vocabulary import RELATION_KINDS as RELATION_KINDS
from trainer.engine.vocabulary import SCORINGS as SCORINGS
from trainer.engine.vocabulary import SEXES as SEXES
from trainer.engine.vocabulary import SOURCE_KINDS as SOURCE_KINDS
from trainer.engine.vocabulary import VERDICTS as VERDICTS
from trainer.engine.vocabulary import VOICE_HEADINGS as VOICE_HEADINGS
from trainer.engine.vocabulary import VOICES as VOICES
from trainer.engine.vocabulary import DecisionKind as DecisionKind
from trainer.engine.vocabulary import Scoring as Scoring

# The words a module's values are drawn from are `trainer.engine.vocabulary`'s, which the
# validator reads without the model's classes; the model names them too.
from trainer.engine.vocabulary import Verdict as Verdict
from trainer.engine.vocabulary import decision_judged as decision_judged

if TYPE_CHECKING:
    # The case file's records (format 3) are `trainer.engine.case_items`'; the model names
    # them too, as the module holds them (`__getattr__` below).
    from trainer.engine.case_items import ChronologyEntry as ChronologyEntry
    from trainer.engine.case_items import Document as Document
    from trainer.engine.case_items import Person as Person
    from trainer.engine.case_items import Relation as Relation

_CASE_ITEMS = ("ChronologyEntry", "Document", "Person", "Relation")


def __getattr__(name: str) -> Any:
    """The case file's record classes, imported when first asked for (PEP 562). A module
    with no case file holds none, so opening it (a module found valid before is unpickled
    from the cache) defines none of their classes before the first frame; unpickling a
    module that holds some imports them by their own module's name."""
    if name in _CASE_ITEMS:
        from trainer.engine import case_items

        value = getattr(case_items, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

VERDICT_WORDS: dict[str, str] = {
    "aligned": "Aligned with the review",
    "partial": "Partly aligned",
    "contrary": "Contrary to the review",
}
"""How each verdict is said in words: feedback never relies on colour alone."""


class Source(msgspec.Struct, frozen=True):
    """A document the module's findings come from."""

    id: str
    title: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    note: str | None = None
    kind: str | None = None
    """Format 2: review, inquiry, press, commentary or guidance."""


class Finding(msgspec.Struct, frozen=True):
    """Something a review found, with where it says so."""

    id: str
    text: str
    source: str
    quote: str | None = None
    locator: str | None = None
    voice: str | None = None
    """Format 2: review, review-reported, inquiry or comment (format 1: None, shown as review)."""
    said_by: str | None = None
    """Format 2: who said it, e.g. "the NSPCC"."""
    reveals: str | None = None
    """Format 2: ISO date of the latest event of the case the finding discloses."""

    @property
    def heading_voice(self) -> str:
        """The voice the finding is shown under (a format 1 finding is the review's)."""
        return self.voice or "review"


class GlossaryEntry(msgspec.Struct, frozen=True):
    """A term and its definition, in the module's own words."""

    term: str
    definition: str


class Evidence(msgspec.Struct, frozen=True):
    """A document the trainee may open at a stage."""

    title: str
    text: str


class Option(msgspec.Struct, frozen=True):
    """One answer to a choice decision, with the review's verdict on it."""

    id: str
    text: str
    verdict: Verdict | None
    """None on a rank option, and on every option of a decision that is not judged."""
    feedback: str | None = None
    """Why, in the review's terms; on a rank option, the panel's rationale."""
    findings: tuple[str, ...] = ()
    next: str | None = None
    happened: bool = False
    """Format 2: this is what was actually done at the time."""
    rank: int | None = None
    """Format 2, rank decisions: the panel's place for this option (1 = first)."""


class RubricConcept(msgspec.Struct, frozen=True):
    """A concept looked for in a written answer or reflection."""

    id: str
    label: str
    any: tuple[str, ...]
    finding: str | None = None


class Decision(msgspec.Struct, frozen=True):
    """A question the trainee answers at a stage."""

    id: str
    prompt: str
    kind: DecisionKind
    options: tuple[Option, ...] = ()
    asks_confidence: bool = False
    reason_prompt: str | None = None
    rubric: tuple[RubricConcept, ...] = ()
    scored: bool = True
    scoring: Scoring = "phrases"
    """How a written answer is compared: format 1 always `phrases`; format 2 `self` by default."""
    order_label: str = ORDER_LABEL
    """Format 2, rank decisions: whose order the options' ranks are, as every screen, the
    debrief and the report name it ("the review's order" only where a source sets one out)."""
    shuffle: bool = True
    """Whether trainees see the options in an order shuffled per attempt (every format); the
    key is format 2's, and `shuffle = false` keeps the file's order where it carries meaning."""

    @property
    def judged(self) -> bool:
        """Whether an answer to this decision is compared with the review at all.

        The one rule every screen, record, export and report follows. Not judged:
        a written question with `scoring = "none"` or with no rubric (nothing to be
        compared with), and a choice whose options carry no verdict (a poll, allowed
        only when unscored). A rank decision is always judged against the panel.
        """
        verdicts = (option.verdict for option in self.options)
        return decision_judged(self.kind, verdicts, self.scoring, bool(self.rubric))

    @property
    def claims_concepts(self) -> bool:
        """Whether the trainee ticks the concepts their written answer covered (`self`)."""
        return self.kind == "text" and self.scoring == "self" and bool(self.rubric)

    @property
    def panel_order(self) -> tuple[str, ...]:
        """A rank decision's option ids in the review panel's order."""
        ranked = sorted((o for o in self.options if o.rank is not None), key=lambda o: o.rank or 0)
        return tuple(o.id for o in ranked)

    @property
    def happened(self) -> Option | None:
        """The option marked as what was actually done at the time, if any."""
        for option in self.options:
            if option.happened:
                return option
        return None

    @property
    def asks_reason(self) -> bool:
        """Whether a one-line reason is asked after the choice (never after a written answer)."""
        return bool(self.reason_prompt) and self.kind != "text"

    def option(self, option_id: str) -> Option | None:
        """The option with this id, or None."""
        for option in self.options:
            if option.id == option_id:
                return option
        return None


class Stage(msgspec.Struct, frozen=True):
    """A point in the case: what was known then, and what was decided."""

    id: str
    title: str
    narrative: str
    date: str | None = None
    """Format 1: a label such as `2007-04`; format 2: an ISO date (YYYY, YYYY-MM, YYYY-MM-DD)."""
    evidence: tuple[Evidence, ...] = ()
    decisions: tuple[Decision, ...] = ()
    outcome: str | None = None
    outcome_findings: tuple[str, ...] = ()
    next: str | None = None
    date_label: str | None = None
    """Format 2: the date as the trainee sees it ("early April 2007")."""

    @property
    def shown_date(self) -> str | None:
        """The date as the trainee sees it: the label, else the date."""
        return self.date_label or self.date


class Debrief(msgspec.Struct, frozen=True):
    """Text and reflection prompts for after the module."""

    text: str | None = None
    prompts: tuple[str, ...] = ()


class Module(msgspec.Struct, frozen=True, dict=True):
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
    debrief: Debrief = msgspec.field(default_factory=Debrief)
    chronology: tuple[ChronologyEntry, ...] = ()
    """Format 3: the case file's dated events."""
    people: tuple[Person, ...] = ()
    """Format 3: the genogram's people, each statement of a person in its own entry."""
    relations: tuple[Relation, ...] = ()
    """Format 3: how the genogram's people are related."""
    documents: tuple[Document, ...] = ()
    """Format 3: the agencies' documents."""
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

    # Looked up by id at every move (a decision's feedback, its findings): by a search they
    # cost the module's length each time, and a play-through the square of it.

    @cached_property
    def _findings_by_id(self) -> dict[str, Finding]:
        found: dict[str, Finding] = {}
        for finding in self.findings:
            found.setdefault(finding.id, finding)
        return found

    @cached_property
    def _sources_by_id(self) -> dict[str, Source]:
        found: dict[str, Source] = {}
        for source in self.sources:
            found.setdefault(source.id, source)
        return found

    @cached_property
    def _decisions_by_id(self) -> dict[str, tuple[Stage, Decision]]:
        found: dict[str, tuple[Stage, Decision]] = {}
        for stage in self.stages:
            for decision in stage.decisions:
                found.setdefault(decision.id, (stage, decision))
        return found

    def finding(self, finding_id: str) -> Finding | None:
        """The finding with this id (the first, if the file repeats it), or None."""
        return self._findings_by_id.get(finding_id)

    def source(self, source_id: str) -> Source | None:
        """The source with this id (the first, if the file repeats it), or None."""
        return self._sources_by_id.get(source_id)

    def decision(self, decision_id: str) -> tuple[Stage, Decision] | None:
        """The decision with this id and the stage that holds it (the first, if the file
        repeats it), or None."""
        return self._decisions_by_id.get(decision_id)

    @property
    def decision_count(self) -> int:
        """How many decisions the module holds, on every path."""
        return sum(len(stage.decisions) for stage in self.stages)
