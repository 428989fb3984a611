"""The case file's three sections, Chronology, People and Documents, as widgets, and the texts
they show.

Each shows what the engine's `CaseFile` holds at the trainee's stage and nothing else: the
sections decide nothing about what is known, only how it reads. New items (entered at this
stage) are marked with a word, never by colour alone. `key` is never shown to a trainee: it
is for the report (the facilitator preview shows it, with each item's source and stage).

The genogram is the engine's drawing (`draw_genogram`), shown as text that never wraps: a
layout of the trainer's own rather than grandalf's layers or netext's graph widget, since a
genogram's couples, bars and households are not a general graph's edges (the reasons are in
`trainer.engine.genogram`), and the plain mode and the debrief need the same people without
Textual. A drawing wider than the screen scrolls sideways; the list under it says it all in
words.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from trainer.engine import (
    CaseFile,
    KnownDocument,
    KnownEntry,
    KnownEvidence,
    Module,
    draw_genogram,
    layout_genogram,
    person_text,
    relation_text,
)
from trainer.sanitise import safe, safe_output, safe_text

NEW = "● new"
"""The mark of an item that entered the case file at this stage."""
UPDATED = "● more known"
"""The mark of a person, or a relation, stated again at this stage with more known."""
RECONSTRUCTED = "Reconstructed from the published accounts"
"""The heading of a real case's documents, which are reconstructions (DESIGN, format 3)."""


def _mark(new: bool, restated: bool = False) -> Text:
    if not new:
        return Text()
    return Text(f"  {UPDATED if restated else NEW}", style="bold")


def _cited(module: Module, source_id: str | None) -> str:
    """A source as the preview names it: its id and title."""
    if not source_id:
        return "none"
    source = module.source(source_id)
    return source_id if source is None else f"{source_id}, “{source.title}”"


def _preview_line(
    module: Module, source: str | None, from_stage: str, key: bool, cite: bool = True
) -> Text:
    """What the facilitator preview adds under an item: its stage, its source, and `key`
    (which the trainee never sees: it is for the report)."""
    words = [f"from stage: {from_stage}"]
    if cite:
        words.append(f"source: {_cited(module, source)}")
    if key:
        words.append("key")
    return Text(" · ".join(words), style="dim italic")


# -- texts ------------------------------------------------------------------------------


@safe_output
def entry_text(known: KnownEntry) -> Text:
    """A chronology entry's first line: its date and agency, and its mark if new."""
    entry = known.entry
    out = Text(entry.shown_date, style="bold")
    out.append(f" · {entry.agency}")
    out.append_text(_mark(known.new))
    return out


@safe_output
def filter_text(agency: str | None, agencies: tuple[str, ...], shown: int, total: int) -> Text:
    """The line above the chronology: which agency it shows, and how to change it."""
    if agency is None:
        out = Text(f"All agencies · {total} entr{'y' if total == 1 else 'ies'}")
    else:
        out = Text(f"Only {agency} · {shown} of {total}")
    if len(agencies) > 1 or agency is not None:
        out.append("   f shows one agency at a time", style="dim")
    return out


def people_list(case_file: CaseFile, module: Module, preview: bool) -> Group:
    """The people and relations known at the stage, as a plain list: what the drawing shows,
    in words, so that nothing depends on the drawing. Each item has a hanging indent."""
    people = _bullets()
    for known in case_file.people:
        text = Text(person_text(known.person))
        text.append_text(_mark(known.new, known.restated))
        if known.new and known.restated:
            text.append(f"\nBefore: {known.earlier[-1].label}", style="dim")
        stage = known.person.from_stage
        people.add_row("•", safe_text(_with_preview(text, module, stage, preview)))
    names = {known.person.id: known.person.name for known in case_file.people}
    relations = _bullets()
    for known_relation in case_file.relations:
        text = Text(relation_text(known_relation.relation, names))
        text.append_text(_mark(known_relation.new, bool(known_relation.earlier)))
        if known_relation.new and known_relation.earlier:
            before = relation_text(known_relation.earlier[-1], names)
            text.append(f"\nBefore: {before}", style="dim")
        stage = known_relation.relation.from_stage
        relations.add_row("•", safe_text(_with_preview(text, module, stage, preview)))
    parts: list[RenderableType] = [Text("People", style="bold")]
    parts.append(people if case_file.people else Text("No one is in the case file yet."))
    if case_file.relations:
        parts += [Text("\nRelations", style="bold"), relations]
    return Group(*parts)


def _bullets() -> Table:
    """A list whose items hang under their bullet."""
    table = Table.grid(padding=(0, 1, 0, 0))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    return table


def _with_preview(text: Text, module: Module, stage: str, preview: bool) -> Text:
    """`text`, with the preview's line on where it comes from (in the preview only)."""
    if preview:
        text.append("\n")
        text.append_text(_preview_line(module, None, stage, False, cite=False))
    return text


def genogram_text(case_file: CaseFile) -> Text:
    """The genogram of the people known at the stage, drawn with the standard symbols and
    its key; one line per line of the drawing, never wrapped."""
    people = [known.person for known in case_file.people]
    relations = [known.relation for known in case_file.relations]
    drawing = draw_genogram(layout_genogram(people, relations))
    return safe_text(Text("\n".join(drawing), no_wrap=True, overflow="ignore"))


def _document_facts(kind: str | None, agency: str | None, date: str | None) -> str:
    return " · ".join(part for part in (kind, agency, date) if part)


@safe_output
def document_row(known: KnownDocument, module: Module, preview: bool) -> Text:
    """A document as a row of the list: its title, then what it is, whose and when."""
    document = known.document
    out = Text(document.title, style="bold")
    out.append_text(_mark(known.new))
    facts = _document_facts(document.kind, document.agency, document.date)
    if facts:
        out.append("\n" + facts, style="dim")
    if preview:
        out.append("\n")
        out.append_text(_preview_line(module, document.source, document.from_stage, document.key))
    return out


@safe_output
def evidence_row(known: KnownEvidence) -> Text:
    """A stage's document (format 2) as a row of the list."""
    out = Text(known.evidence.title, style="bold")
    out.append_text(_mark(known.new))
    return out


@safe_output
def document_text(known: KnownDocument | KnownEvidence, module: Module, preview: bool) -> Text:
    """A document opened to read: its title, what it is, and its text."""
    if isinstance(known, KnownEvidence):
        out = Text(known.evidence.title + "\n", style="bold")
        stage = known.stage
        out.append(f"Given at: {stage.title}", style="dim")
        if stage.shown_date:
            out.append(f" · {stage.shown_date}", style="dim")
        out.append("\n\n" + known.evidence.text)
        return out
    document = known.document
    out = Text(document.title + "\n", style="bold")
    facts = _document_facts(document.kind, document.agency, document.date)
    if facts:
        out.append(facts + "\n", style="dim")
    if document.reconstructed:
        out.append(
            f"{RECONSTRUCTED}: written from what the sources say of it; not the original.\n",
            style="italic",
        )
    if preview:
        line = _preview_line(module, document.source, document.from_stage, document.key)
        out.append_text(line)
        out.append("\n")
    out.append("\n" + document.text)
    return out


# -- widgets ----------------------------------------------------------------------------


class ChronologySection(VerticalScroll):
    """The chronology known so far, in date order, one agency at a time or all of them."""

    def __init__(self, case_file: CaseFile, module: Module, preview: bool) -> None:
        super().__init__(id="chronology", classes="section")
        self.case_file = case_file
        self.module = module
        self.preview = preview
        self.agency: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="chronology-filter", classes="filter")
        yield Static(id="chronology-empty", classes="empty")
        for known in self.case_file.chronology:
            yield Static(self._entry(known), name=known.entry.id, classes="entry")

    def on_mount(self) -> None:
        self.show_agency(None)

    def _entry(self, known: KnownEntry) -> Group:
        event = safe_text(Text(known.entry.event))
        parts: list[RenderableType] = [entry_text(known), Padding(event, (0, 0, 0, 2))]
        if self.preview:
            line = _preview_line(
                self.module, known.entry.source, known.entry.from_stage, known.entry.key
            )
            parts.append(Padding(safe_text(line), (0, 0, 0, 2)))
        return Group(*parts)

    def show_agency(self, agency: str | None) -> None:
        """Show only one agency's entries (None: all)."""
        self.agency = agency
        shown = {known.entry.id for known in self.case_file.chronology_of(agency)}
        for widget in self.query(".entry"):
            widget.display = widget.name in shown
        total = len(self.case_file.chronology)
        line = filter_text(agency, self.case_file.agencies, len(shown), total)
        self.query_one("#chronology-filter", Static).update(line)
        empty = self.query_one("#chronology-empty", Static)
        empty.display = not shown
        if not total:
            empty.update("Nothing is in the chronology yet.")
        elif not shown:
            empty.update(safe(f"No entries from {agency} yet: f shows the next agency."))
        self.scroll_home(animate=False)

    def in_view(self) -> list[str]:
        """The ids of the entries on the screen now: those whose date and first line of what
        happened are (a date alone at the foot of the screen has not been read)."""
        top = round(self.scroll_y)
        bottom = top + self.size.height
        seen = []
        for widget in self.query(".entry"):
            region = widget.virtual_region
            if not (widget.display and widget.name and region.height):
                continue
            shown = min(region.bottom, bottom) - max(region.y, top)
            if shown >= min(2, region.height):
                seen.append(widget.name)
        return seen

    def new_below(self) -> int:
        """How many new entries lie below the screen (shown under the filter)."""
        bottom = round(self.scroll_y) + self.size.height
        new = {k.entry.id for k in self.case_file.chronology_of(self.agency) if k.new}
        return sum(
            1
            for widget in self.query(".entry")
            if widget.display and widget.name in new and widget.virtual_region.y >= bottom
        )


class PeopleSection(ScrollableContainer):
    """The genogram, and under it the same people and relations as a plain list."""

    def __init__(self, case_file: CaseFile, module: Module, preview: bool) -> None:
        super().__init__(id="people", classes="section")
        self.case_file = case_file
        self.module = module
        self.preview = preview

    def compose(self) -> ComposeResult:
        if self.case_file.people:
            yield Static(genogram_text(self.case_file), id="genogram")
        yield Static(people_list(self.case_file, self.module, self.preview), id="people-list")


class DocumentsSection(Vertical):
    """The documents known so far: Enter opens the one highlighted. A real case's documents,
    reconstructions, are listed under their own heading; a stage's documents (format 2)
    under the stage that gave them."""

    class Open(Message):
        """A document to open: its kind (document or evidence) and id."""

        def __init__(self, kind: str, item_id: str) -> None:
            super().__init__()
            self.kind = kind
            self.item_id = item_id

    def __init__(self, case_file: CaseFile, module: Module, preview: bool) -> None:
        super().__init__(id="documents-section", classes="section")
        self.case_file = case_file
        self.module = module
        self.preview = preview

    def compose(self) -> ComposeResult:
        yield OptionList(id="documents")

    def on_mount(self) -> None:
        self.show_agency(None)

    def show_agency(self, agency: str | None) -> None:
        """List only one agency's documents (None: all, with the stages' documents)."""
        listing = self.query_one(OptionList)
        listing.clear_options()
        options = self.document_options(agency)
        if agency is None:
            options += self.evidence_options(first=not options)
        if not options:
            empty = "No documents yet." if agency is None else f"No documents from {agency} yet."
            options.append(Option(Text(empty), disabled=True))
        listing.add_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        listing.highlighted = first

    def document_options(self, agency: str | None) -> list[Option]:
        """The agencies' documents (one agency's, or all), reconstructions under a heading of
        their own; headed wherever anything else is listed too."""
        documents = self.case_file.documents_of(agency)
        groups = (
            ("Agency documents", [k for k in documents if not k.document.reconstructed]),
            (RECONSTRUCTED, [k for k in documents if k.document.reconstructed]),
        )
        options: list[Option] = []
        headed = bool(groups[1][1]) or bool(self.case_file.evidence and agency is None)
        for heading, members in groups:
            if members and headed:
                options.append(_heading(heading, first=not options))
            options += map(self.document_option, members)
        return options

    def document_option(self, known: KnownDocument) -> Option:
        """One document's row, to open."""
        row = document_row(known, self.module, self.preview)
        return Option(row, id=f"document:{known.document.id}")

    def evidence_options(self, first: bool) -> list[Option]:
        """The stages' documents, each under the stage that gave it."""
        options: list[Option] = []
        stage_id = None
        for known in self.case_file.evidence:
            if known.stage.id != stage_id:
                stage_id = known.stage.id
                heading = f"Given at: {known.stage.title}"
                options.append(_heading(heading, first=first and not options))
            options.append(Option(evidence_row(known), id=f"evidence:{known.id}"))
        return options

    @on(OptionList.OptionSelected, "#documents")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, item_id = (event.option.id or "").partition(":")
        if item_id:
            self.post_message(self.Open(kind, item_id))


def _heading(text: str, first: bool) -> Option:
    """A heading in the list of documents (a blank line above it, but for the first)."""
    out = Text() if first else Text("\n")
    out.append(text, style="bold underline")
    return Option(safe_text(out), disabled=True)
