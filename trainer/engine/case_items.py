"""The case file's records in the module model (format 3): chronology entries, people, the
relations between them and agency documents, each known from a stage on (what the case file
holds at a stage is `trainer.engine.casefile`)."""

from __future__ import annotations

import msgspec


class ChronologyEntry(msgspec.Struct, frozen=True):
    """A dated event in the case file's chronology (format 3), known from `from_stage` on."""

    id: str
    date: str
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD): the chronology is in date order."""
    agency: str
    """Whose record it is: "police", "health visiting", "children's social care", ..."""
    event: str
    from_stage: str
    """The stage from which the practitioner has it; it stays on every later stage."""
    date_label: str | None = None
    """The date as the trainee sees it ("early April 2007")."""
    source: str | None = None
    """A source id: shown in the preview and the exports, not to the trainee."""
    key: bool = False
    """An entry the review says mattered."""

    @property
    def shown_date(self) -> str:
        """The date as the trainee sees it: the label, else the date."""
        return self.date_label or self.date


class Person(msgspec.Struct, frozen=True):
    """Someone in the genogram (format 3), as the practitioner knows them from `from_stage`.

    A later statement of the same `id` (with a later `from_stage`) replaces this one from
    its stage on: what is known of a person grows as the case goes on.
    """

    id: str
    label: str
    """Who they are, as known then: "Mr H: Ms A's male friend; surname not known"."""
    from_stage: str
    sex: str = "unknown"
    """female, male or unknown."""
    born: int | None = None
    """The year of birth, where known."""
    deceased: bool = False
    child: bool = False
    """The subject child (drawn doubled)."""
    household: bool = False
    """Lives in the child's household."""
    identified: bool = True
    """False for a person whose identity is not known: drawn with "?", often the lesson."""

    @property
    def name(self) -> str:
        """The name the drawing shows: the label up to its first colon, else the label."""
        head, colon, _ = self.label.partition(":")
        return head.strip() if colon and head.strip() else self.label.strip()


class Relation(msgspec.Struct, frozen=True):
    """How two people are related (format 3), known from `from_stage` on.

    A later relation between the same two people replaces this one from its stage on (a
    friend who turns out to be a partner).
    """

    from_person: str
    """The first person's id (the `from` key): the parent, or the carer."""
    to_person: str
    """The second person's id (the `to` key)."""
    kind: str
    """parent, partner, ex-partner, sibling, friend or carer."""
    from_stage: str
    note: str | None = None

    @property
    def pair(self) -> frozenset[str]:
        """The two people, in no order: one relation between them is in force at a time."""
        return frozenset((self.from_person, self.to_person))


class Document(msgspec.Struct, frozen=True):
    """An agency's document in the case file (format 3), there from `from_stage` on."""

    id: str
    title: str
    text: str
    from_stage: str
    kind: str | None = None
    """referral, record, minutes, report, letter, plan, assessment or other."""
    agency: str | None = None
    date: str | None = None
    """An ISO date."""
    key: bool = False
    """A document the review says mattered."""
    source: str | None = None
    reconstructed: bool = False
    """Written from the sources' account of a document that is not public."""
