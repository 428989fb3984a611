"""The case file's rules (format 3): each kind of entry checked by a small checker of its own.

Every entry names the stage it enters at (`from_stage`, E207 when there is no such stage); a
dated entry may not be dated after that stage (E311); ids are unique per kind (E202), but a
person may be stated again, and two people's relation restated, at a later stage; a relation
names people of the case file (E208), two different ones (E313), each known by its stage on
every path that reaches it (E312); kinds and sexes are the format's (E106). Anything shown
that mentions a date later than the stage it enters at is a hindsight warning (W407).

"Known on every path" is worked out on the stage graph the reachability check uses, one
pass over the stages in file order (`next` points only forward), each stage holding the set
of people stated on every path to it as the bits of one integer: time linear in the number
of stages and relations, whatever the number of play-throughs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from trainer.content.checking import Reporter, Table
from trainer.content.dates import IsoDate, is_later, mentioned_dates
from trainer.engine.vocabulary import DOCUMENT_KINDS, RELATION_KINDS, SEXES

BORN = (1850, 2100)
"""The years a person may be born in (a typing slip such as 20006 is caught)."""
SHOWN_TEXTS = {
    "chronology": ("event", "date_label"),
    "people": ("label",),
    "relations": ("note",),
    "documents": ("title", "text"),
}
"""The texts of each kind the trainee reads, checked for hindsight."""


class StageFacts:
    """What the case file's checks need to know of the stages (all from one pass; a plain
    class: `trainer validate` imports no dataclasses, as `problems.Report` says)."""

    __slots__ = ("dates", "ids", "index", "successors")

    def __init__(
        self,
        ids: set[str],
        index: dict[Any, int],
        dates: Sequence[tuple[IsoDate, str] | None],
        successors: Sequence[set[int]],
    ) -> None:
        self.ids = ids
        """The sound stage ids."""
        self.index = index
        """Each stage id and its place in the file."""
        self.dates = dates
        """Each stage's sound date (parsed, as written), or None."""
        self.successors = successors
        """Each stage's possible successors (indexes)."""

    def place(self, stage_id: object) -> int | None:
        """A stage's place in the file, or None when there is no such stage."""
        return self.index.get(stage_id) if isinstance(stage_id, str) else None


class CaseFileChecker:
    """Checks the case file's four kinds of entry; each rule a method of its own."""

    def __init__(
        self,
        reporter: Reporter,
        clean: Table,
        stages: StageFacts,
        source_ids: set[str],
        used_sources: set[str],
    ) -> None:
        self.reporter = reporter
        self.stages = stages
        self.source_ids = source_ids
        self.used_sources = used_sources
        self.chronology: list[Table] = clean.get("chronology", [])
        self.people: list[Table] = clean.get("people", [])
        self.relations: list[Table] = clean.get("relations", [])
        self.documents: list[Table] = clean.get("documents", [])

    def check(self) -> None:
        """Every rule of the case file."""
        reporter = self.reporter
        reporter.unique_ids(self.chronology, "chronology id")
        reporter.unique_ids(self.documents, "document id")
        for kind, entries in (
            ("chronology", self.chronology),
            ("people", self.people),
            ("relations", self.relations),
            ("documents", self.documents),
        ):
            for entry in entries:
                stage = self.from_stage(entry)
                if stage is not None:
                    self.hindsight(entry, stage, SHOWN_TEXTS[kind])
                if "source" in entry:
                    self.source(entry)
        for entry in self.chronology:
            self.dated(entry, "date")
        for document in self.documents:
            self.document(document)
        people = self.check_people()
        self.check_relations(people)

    # -- what every entry has -------------------------------------------------------

    def from_stage(self, entry: Table) -> int | None:
        """The index of the entry's stage; E207 when there is no such stage."""
        stage_id = entry.get("from_stage")
        if stage_id is None:
            return None
        index = self.stages.index.get(stage_id)
        if index is not None and stage_id in self.stages.ids:
            return index
        reporter = self.reporter
        reporter.error(
            "E207",
            entry["_path"] + ("from_stage",),
            f"unknown stage {stage_id!r}{reporter.suggest(stage_id, self.stages.ids)}; "
            f"from_stage is the stage from which the practitioner has it; "
            f"{reporter.known(self.stages.ids, 'stage')}",
        )
        return None

    def source(self, entry: Table) -> None:
        """E203 unless the entry's source exists; a source named is used (W402)."""
        source = entry["source"]
        if source in self.source_ids:
            self.used_sources.add(source)
            return
        reporter = self.reporter
        reporter.error(
            "E203",
            entry["_path"] + ("source",),
            f"unknown source {source!r}{reporter.suggest(source, self.source_ids)}; "
            f"{reporter.known(self.source_ids, 'source')}",
        )

    def dated(self, entry: Table, key: str) -> None:
        """The entry's date is ISO (E107) and not after its stage's date (E311)."""
        date = self.reporter.iso_date(entry, key)
        stage_date = self.stage_date(entry)
        if date is None or stage_date is None:
            return
        if is_later(date[0], stage_date[0]):
            self.reporter.error(
                "E311",
                entry["_path"] + (key,),
                f"dated {date[1]}, after stage {entry['from_stage']!r} ({stage_date[1]}) "
                "where it enters the case file: nothing is in the case file before it "
                "happened; give it a later from_stage",
            )

    def stage_date(self, entry: Table) -> tuple[IsoDate, str] | None:
        index = self.stages.place(entry.get("from_stage"))
        return None if index is None else self.stages.dates[index]

    def hindsight(self, entry: Table, index: int, keys: Iterable[str]) -> None:
        """W407 for a text shown from the entry's stage that mentions a later date."""
        stage_date = self.stages.dates[index]
        if stage_date is None:
            return
        for key in keys:
            text = entry.get(key)
            if not text:
                continue
            for date, written in mentioned_dates(text):
                if is_later(date, stage_date[0]):
                    self.reporter.warn(
                        "W407",
                        entry["_path"] + (key,),
                        f"hindsight: mentions {written!r}, later than stage "
                        f"{entry['from_stage']!r} ({stage_date[1]}) where it enters the case "
                        "file",
                    )
                    break

    # -- each kind ------------------------------------------------------------------

    def document(self, document: Table) -> None:
        """A document's kind, date, and the source a reconstruction is written from."""
        self.reporter.allowed(document, "kind", DOCUMENT_KINDS)
        self.dated(document, "date")
        if document.get("reconstructed") is True and "source" not in document["_given"]:
            self.reporter.missing(
                document["_path"],
                "source",
                "a reconstructed document says which source it is written from",
            )

    def check_people(self) -> dict[str, list[Table]]:
        """Each person's statements, in file order; E202 for one not later than the one
        before it, E106 for a sex or a year of birth the format does not know."""
        reporter = self.reporter
        statements: dict[str, list[Table]] = {}
        for person in self.people:
            reporter.allowed(person, "sex", SEXES)
            born = person.get("born")
            if born is not None and not BORN[0] <= born <= BORN[1]:
                reporter.error(
                    "E106",
                    person["_path"] + ("born",),
                    f"born {born} is not a year from {BORN[0]} to {BORN[1]}",
                )
            person_id = person.get("id")
            if person_id is None or not (
                _is_id(person_id) or reporter.check_id(person_id, person["_path"] + ("id",))
            ):
                continue
            said = statements.setdefault(person_id, [])
            if said and not self.later(person, said[-1]):
                reporter.error(
                    "E202",
                    person["_path"] + ("id",),
                    f"duplicate person id {person_id!r}: a person is stated again only at a "
                    f"later stage, to say what is known from then on (stated at stage "
                    f"{said[-1].get('from_stage')!r}, here at {person.get('from_stage')!r})",
                )
                continue
            said.append(person)
        return statements

    def later(self, entry: Table, before: Table) -> bool:
        """Whether the entry's stage comes after the earlier statement's (unknown: yes, its
        stage is reported already)."""
        here = self.stages.place(entry.get("from_stage"))
        there = self.stages.place(before.get("from_stage"))
        return here is None or there is None or here > there

    def check_relations(self, people: dict[str, list[Table]]) -> None:
        """Kinds, people named, restatements, and each person known where the relation enters."""
        reporter = self.reporter
        stated: dict[frozenset[str], Table] = {}
        known = _KnownOnEveryPath(self.stages, people)
        for relation in self.relations:
            reporter.allowed(relation, "kind", RELATION_KINDS)
            ends = [relation.get(key) for key in ("from", "to")]
            if not self.named(relation, people, ends):
                continue
            first, second = str(ends[0]), str(ends[1])
            pair = frozenset((first, second))
            before = stated.get(pair)
            if before is not None and not self.later(relation, before):
                reporter.error(
                    "E202",
                    relation["_path"],
                    f"duplicate relation between {ends[0]!r} and {ends[1]!r}: two people have "
                    f"one relation at a time, stated again only at a later stage (stated at "
                    f"stage {before.get('from_stage')!r}, here at "
                    f"{relation.get('from_stage')!r})",
                )
                continue
            stated[pair] = relation
            for key, person_id in (("from", first), ("to", second)):
                message = known.missing(person_id, relation.get("from_stage"))
                if message is not None:
                    reporter.error("E312", relation["_path"] + (key,), message)

    def named(self, relation: Table, people: dict[str, list[Table]], ends: list[object]) -> bool:
        """Whether both ends are people of the case file (E208), and two of them (E313)."""
        reporter = self.reporter
        sound = True
        for key, person_id in zip(("from", "to"), ends, strict=True):
            if person_id is None:
                sound = False
            elif person_id not in people:
                reporter.error(
                    "E208",
                    relation["_path"] + (key,),
                    f"unknown person {person_id!r}"
                    f"{reporter.suggest(str(person_id), people)}; "
                    f"{reporter.known(people, 'person')}",
                )
                sound = False
        if sound and ends[0] == ends[1]:
            reporter.error(
                "E313",
                relation["_path"] + ("to",),
                f"a relation joins two people; from and to are both {ends[0]!r}",
            )
            sound = False
        return sound


def _is_id(value: str) -> bool:
    from trainer.content.checking import ID_PATTERN

    return ID_PATTERN.fullmatch(value) is not None


class _KnownOnEveryPath:
    """Which people are in the case file on every path to each stage (worked out when first
    asked, once for the whole file)."""

    def __init__(self, stages: StageFacts, people: dict[str, list[Table]]) -> None:
        self.stages = stages
        self.people = people
        self._must: list[int | None] | None = None
        self._bit = {person_id: 1 << n for n, person_id in enumerate(people)}

    def must(self) -> list[int | None]:
        """For each stage, the people stated on every path to it (as bits); None for a
        stage no path reaches."""
        if self._must is not None:
            return self._must
        count = len(self.stages.successors)
        stated = self._stated(count)
        before: list[int | None] = [None] * count
        must: list[int | None] = [None] * count
        if count:
            before[0] = 0
        for at in range(count):
            reached = before[at]
            if reached is None:
                continue
            must[at] = known = reached | stated[at]
            for following in self.stages.successors[at]:
                if following <= at:
                    continue  # a backward next is an error of its own
                earlier = before[following]
                before[following] = known if earlier is None else earlier & known
        self._must = must
        return must

    def _stated(self, count: int) -> list[int]:
        """For each of the `count` stages, the people stated at it (as bits)."""
        stated = [0] * count
        for person_id, said in self.people.items():
            for person in said:
                at = self.stages.place(person.get("from_stage"))
                if at is not None:
                    stated[at] |= self._bit[person_id]
        return stated

    def missing(self, person_id: str, stage_id: object) -> str | None:
        """Why a person is not known on every path to the stage, or None when they are (or
        when no path reaches the stage, which W403 reports, or the person's stages are
        unknown, which E207 reports)."""
        index = self.stages.place(stage_id)
        if index is None:
            return None
        known = self.must()[index]
        if known is None or known & self._bit[person_id]:
            return None
        places = [self.stages.place(p.get("from_stage")) for p in self.people[person_id]]
        first = min((place for place in places if place is not None), default=None)
        if first is None:
            return None
        where = f"stated from stage {self.people[person_id][0].get('from_stage')!r}"
        if first > index:
            return (
                f"person {person_id!r} enters the case file later ({where}) than this "
                f"relation (stage {stage_id!r}): a relation enters no earlier than its people"
            )
        return (
            f"person {person_id!r} is not in the case file on every path to stage "
            f"{stage_id!r} ({where}, which a path can skip): a relation enters no earlier "
            "than its people, on every path"
        )
