"""What is in the case file at a stage (format 3): the one rule every presenter follows.

The app, the plain mode, the Markdown debrief, the exports and the report each ask
`case_file_at(module, path)` (or `PlayThrough.case_file()`) and show what it says; none
decides again what the trainee knows.

**Known at stage S on path P.** P is the stages the trainee has reached, in the order
reached, and S is the last of them (the stage the case file is as at; at the end of the
module, the last stage played). An entry of the case file (a chronology entry, a person, a
relation, a document) is known at S on P when its `from_stage` is one of P's stages. So an
entry enters at its stage and stays on every later stage of every path through it; a stage
that a branch skipped adds nothing to that path's case file (what a branch-only stage tells
was never learned on a path that did not go through it). `next` points only forward, so the
stages of P are in file order, and "later on P" is "later in the file".

- A person stated more than once (the same `id`, each statement with a later `from_stage`)
  is known as the latest statement whose stage is on P; the earlier ones are kept beside it.
- A relation is known when its stage is on P and both its people are known (the validator
  makes sure they are on every path, E312; the rule holds whatever the file says). Between
  the same two people one relation is in force: the latest on P.
- A stage's `evidence` (format 2) is in the case file under the stage that holds it, from
  that stage on.
- An item is *new* when it entered (or, for a person or relation, was restated) at S, and
  S is not the first stage of P: at the first stage everything is new, so nothing is marked.

The chronology is in date order (ISO dates sort as text: `2007-04` before `2007-04-10`,
the coarser first), entries of one date in file order; people, relations and documents are
in file order. Working it out reads each entry once: time linear in the case file's size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from trainer.engine.model import (
    ChronologyEntry,
    Document,
    Evidence,
    Module,
    Person,
    Relation,
    Stage,
)

CASE_FILE_SECTIONS = ("chronology", "people", "documents")
"""The case file's sections, in the order the trainee moves through them."""

_IsNew = Callable[[str], bool]
"""Whether an item entering at a stage is new (see `case_file_at`)."""


@dataclass(frozen=True)
class KnownEntry:
    """A chronology entry known at the stage."""

    entry: ChronologyEntry
    new: bool
    """Entered at this stage (see the module's docstring)."""


@dataclass(frozen=True)
class KnownPerson:
    """A person as known at the stage: the latest statement on the path."""

    person: Person
    new: bool
    """First stated, or stated again, at this stage."""
    earlier: tuple[Person, ...] = ()
    """The statements on the path it replaces, oldest first."""

    @property
    def restated(self) -> bool:
        """Whether more is known of this person than when first stated."""
        return bool(self.earlier)


@dataclass(frozen=True)
class KnownRelation:
    """A relation in force at the stage: the latest between its two people on the path."""

    relation: Relation
    new: bool
    earlier: tuple[Relation, ...] = ()


@dataclass(frozen=True)
class KnownDocument:
    """An agency document in the case file at the stage."""

    document: Document
    new: bool


@dataclass(frozen=True)
class KnownEvidence:
    """A stage's evidence (format 2's documents), in the case file from that stage on."""

    stage: Stage
    number: int
    """Its place among the stage's evidence, from 1."""
    evidence: Evidence
    new: bool

    @property
    def id(self) -> str:
        """An id no chronology entry or document can have (ids hold no "."), for records."""
        return f"{self.stage.id}.evidence.{self.number}"


_Known = KnownEntry | KnownPerson | KnownRelation | KnownDocument | KnownEvidence


@dataclass(frozen=True)
class CaseFile:
    """Everything in the case file at one stage of one path."""

    stage: Stage | None
    """The stage it is as at; None before the first stage."""
    chronology: tuple[KnownEntry, ...] = ()
    """Date order; entries of one date in file order."""
    people: tuple[KnownPerson, ...] = ()
    relations: tuple[KnownRelation, ...] = ()
    documents: tuple[KnownDocument, ...] = ()
    evidence: tuple[KnownEvidence, ...] = ()
    """Grouped by stage, in path order."""

    @property
    def empty(self) -> bool:
        """Whether nothing is in the case file yet."""
        return not (self.chronology or self.people or self.documents or self.evidence)

    @property
    def agencies(self) -> tuple[str, ...]:
        """The agencies of the chronology's entries and the documents, alphabetically: what
        the chronology can be filtered to."""
        names = {known.entry.agency for known in self.chronology}
        names.update(k.document.agency for k in self.documents if k.document.agency)
        return tuple(sorted(names, key=lambda name: (name.casefold(), name)))

    def chronology_of(self, agency: str | None = None) -> tuple[KnownEntry, ...]:
        """The chronology, or only one agency's entries."""
        if agency is None:
            return self.chronology
        return tuple(known for known in self.chronology if known.entry.agency == agency)

    def documents_of(self, agency: str | None = None) -> tuple[KnownDocument, ...]:
        """The documents, or only one agency's."""
        if agency is None:
            return self.documents
        return tuple(known for known in self.documents if known.document.agency == agency)

    def person(self, person_id: str) -> Person | None:
        """A person as known at the stage, or None when not (yet) known."""
        for known in self.people:
            if known.person.id == person_id:
                return known.person
        return None

    @property
    def new_count(self) -> int:
        """How many items entered, or were restated, at this stage."""
        groups: Sequence[Sequence[_Known]]
        groups = (self.chronology, self.people, self.relations, self.documents, self.evidence)
        return sum(known.new for group in groups for known in group)


def case_file_at(module: Module, path: Sequence[str]) -> CaseFile:
    """The case file at the last stage of `path`, the ids of the stages reached in order.

    Ids the module no longer has (a save made before an edit) add nothing.
    """
    position = {stage_id: index for index, stage_id in enumerate(path)}
    if not position:
        return CaseFile(None)
    current = path[-1]
    marks_new = len(path) > 1

    def is_new(stage_id: str) -> bool:
        return marks_new and stage_id == current

    chronology = sorted(
        (
            (entry.date, index, KnownEntry(entry, is_new(entry.from_stage)))
            for index, entry in enumerate(module.chronology)
            if entry.from_stage in position
        ),
        key=lambda item: (item[0], item[1]),
    )
    people = _people(module.people, position, is_new)
    known_ids = {known.person.id for known in people}
    return CaseFile(
        stage=module.stage(current),
        chronology=tuple(known for _, _, known in chronology),
        people=people,
        relations=_relations(module.relations, position, is_new, known_ids),
        documents=tuple(
            KnownDocument(document, is_new(document.from_stage))
            for document in module.documents
            if document.from_stage in position
        ),
        evidence=_evidence(module, path, is_new),
    )


def _people(
    people: Sequence[Person], position: dict[str, int], is_new: _IsNew
) -> tuple[KnownPerson, ...]:
    """Each person stated on the path, as its latest statement, in order of first mention."""
    statements: dict[str, list[Person]] = {}
    for person in people:
        if person.from_stage in position:
            statements.setdefault(person.id, []).append(person)
    known = []
    for said in statements.values():
        said.sort(key=lambda person: position[person.from_stage])
        latest = said[-1]
        known.append(KnownPerson(latest, is_new(latest.from_stage), tuple(said[:-1])))
    return tuple(known)


def _relations(
    relations: Sequence[Relation],
    position: dict[str, int],
    is_new: _IsNew,
    known_ids: set[str],
) -> tuple[KnownRelation, ...]:
    """The relation in force between each two known people, in order of first mention."""
    stated: dict[frozenset[str], list[Relation]] = {}
    for relation in relations:
        if (
            relation.from_stage in position
            and relation.from_person in known_ids
            and relation.to_person in known_ids
        ):
            stated.setdefault(relation.pair, []).append(relation)
    known = []
    for said in stated.values():
        said.sort(key=lambda relation: position[relation.from_stage])
        latest = said[-1]
        known.append(KnownRelation(latest, is_new(latest.from_stage), tuple(said[:-1])))
    return tuple(known)


def _evidence(module: Module, path: Sequence[str], is_new: _IsNew) -> tuple[KnownEvidence, ...]:
    found: list[KnownEvidence] = []
    for stage_id in dict.fromkeys(path):
        stage = module.stage(stage_id)
        if stage is None:
            continue
        new = is_new(stage.id)
        found.extend(
            KnownEvidence(stage, number, evidence, new)
            for number, evidence in enumerate(stage.evidence, start=1)
        )
    return tuple(found)
