"""The record of what a trainee opened in the case file (format 3), for the exports and the
report: which items, at which stage, when, and so before which answers.

**What counts as opened.** Each kind of item is opened where its content is read:

- `document` (an agency document) and `evidence` (a stage's document of format 2, in the
  case file under its stage): when the trainee opens it to read, from the case file or
  from the stage.
- `chronology` (an entry of the chronology): when the entry is on the screen (its date and
  the first line of what happened), since the chronology's list is its content; an entry
  the trainee never scrolled to, or filtered out, is not opened.
- `person`: when the People section, whose drawing shows everyone known, is shown.

Relations are not recorded: they are read with the people. An item is recorded once per
attempt, the first time it is opened; what it was called and whether the module marks it
`key` are kept with it, so the exports and the report need no module file to name it.

`answers_so_far` is how many answers the attempt had recorded when the item was opened: it
was opened before each later answer (`opened_before`). Counting answers rather than
comparing times keeps the order exact when two moments share a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trainer.engine.fields import Fields

if TYPE_CHECKING:
    from trainer.engine.casefile import CaseFile

OPENED_KINDS = ("chronology", "person", "document", "evidence")
"""The kinds of case-file item whose opening is recorded; ids are unique within a kind."""
MAX_OPENED_ANSWERS = 1_000_000
"""More answers before an opening than any save holds: such a record is not one."""


@dataclass(frozen=True)
class OpenedItem:
    """A case-file item the trainee opened, as recorded the first time it was opened."""

    kind: str
    """chronology, person, document or evidence (`OPENED_KINDS`)."""
    id: str
    """The item's id in the module (evidence: `<stage>.evidence.<n>`, see `KnownEvidence`)."""
    stage: str
    """The stage the trainee was at when it was first opened."""
    at: str
    """When it was first opened: a UTC time as `format_time` writes it."""
    answers_so_far: int = 0
    """How many answers the attempt had recorded by then: it came before every later one."""
    title: str = ""
    """What it was called where it was listed: a document's title, a chronology entry's date
    and agency, a person's name as then known."""
    key: bool = False
    """Whether the module marks it as one the review says mattered."""

    @property
    def ref(self) -> str:
        """`kind:id`: one text that names the item among every kind's ids."""
        return f"{self.kind}:{self.id}"

    def to_data(self) -> dict[str, Any]:
        """Plain data for a save (no None: TOML has no null)."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "stage": self.stage,
            "at": self.at,
            "answers_so_far": self.answers_so_far,
        }
        if self.title:
            data["title"] = self.title
        if self.key:
            data["key"] = True
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> OpenedItem:
        """Read a record back, checking each value; raises KeyError, TypeError or ValueError
        naming the key when one is missing or out of place."""
        fields = Fields(data)
        return cls(
            kind=fields.one_of("kind", OPENED_KINDS),
            id=fields.text("id"),
            stage=fields.text("stage"),
            at=fields.time("at", required=True) or "",
            answers_so_far=fields.whole("answers_so_far", 0, MAX_OPENED_ANSWERS, 0),
            title=fields.text("title", ""),
            key=fields.flag("key", False),
        )


def opened_before(items: Iterable[OpenedItem], answer_index: int) -> tuple[OpenedItem, ...]:
    """The items opened before the attempt's answer at `answer_index` (0 for its first
    answer, in the order the answers were recorded) was confirmed."""
    return tuple(item for item in items if item.answers_so_far <= answer_index)


def case_file_item(case_file: CaseFile, kind: str, item_id: str) -> tuple[str, bool] | None:
    """What an item in the case file is called and whether it is `key`; None when the case
    file does not hold it (yet), or its kind is not recorded."""
    named = _NAMED.get(kind)
    return None if named is None else named(case_file, item_id)


def _chronology_entry(case_file: CaseFile, item_id: str) -> tuple[str, bool] | None:
    for known in case_file.chronology:
        if known.entry.id == item_id:
            return f"{known.entry.shown_date}, {known.entry.agency}", known.entry.key
    return None


def _person(case_file: CaseFile, item_id: str) -> tuple[str, bool] | None:
    for known in case_file.people:
        if known.person.id == item_id:
            return known.person.name, False
    return None


def _document(case_file: CaseFile, item_id: str) -> tuple[str, bool] | None:
    for known in case_file.documents:
        if known.document.id == item_id:
            return known.document.title, known.document.key
    return None


def _evidence(case_file: CaseFile, item_id: str) -> tuple[str, bool] | None:
    for known in case_file.evidence:
        if known.id == item_id:
            return known.evidence.title, False
    return None


_NAMED: dict[str, Callable[[CaseFile, str], tuple[str, bool] | None]] = {
    "chronology": _chronology_entry,
    "person": _person,
    "document": _document,
    "evidence": _evidence,
}
"""How each kind of item recorded is found in the case file: its name and whether it is key."""


def newly_opened(
    recorded: Sequence[OpenedItem],
    case_file: CaseFile,
    items: Iterable[tuple[str, str]],
    at: str,
    answers_so_far: int,
) -> tuple[OpenedItem, ...]:
    """Records for those of `items` ((kind, id) pairs) not opened before in the attempt.

    Raises:
        ValueError: an item the case file does not hold at its stage (nothing later than
            the trainee's stage is ever opened), or of a kind not recorded.
    """
    if case_file.stage is None:
        raise ValueError("there is no case file before the first stage")
    done = {(item.kind, item.id) for item in recorded}
    new: list[OpenedItem] = []
    for kind, item_id in items:
        if kind not in OPENED_KINDS:
            raise ValueError(f"{kind!r} is not a kind of case-file item")
        if (kind, item_id) in done:
            continue
        found = case_file_item(case_file, kind, item_id)
        if found is None:
            raise ValueError(f"the case file holds no {kind} {item_id!r} here")
        title, key = found
        done.add((kind, item_id))
        new.append(OpenedItem(kind, item_id, case_file.stage.id, at, answers_so_far, title, key))
    return tuple(new)
