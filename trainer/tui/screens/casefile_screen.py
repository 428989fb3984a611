"""The case file (format 3): the chronology, the people and the documents known at the
trainee's stage, over the play screen.

The play screen pushes this screen with `c`; `Escape` pops it, and the play screen, which is
never composed again, is back exactly as it was: the same step, its focus, and whatever was
highlighted, ticked or typed. The decision step and the case file are never on the screen
together.

What is in it is the engine's answer (`PlayThrough.case_file()`): the screen adds nothing and
hides nothing but the filter's choice. What the trainee opens is recorded through the
session (`PlayThrough.open_items`, saved like an answer; see `trainer.engine.opened` for what
counts as opened): a document when it is opened, a chronology entry when it is on the screen,
the people when their section is shown.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static

from trainer.engine import CASE_FILE_SECTIONS, CaseFile, KnownDocument, KnownEvidence
from trainer.errors import AnswerError, SaveError
from trainer.sanitise import safe, safe_text
from trainer.session import Session
from trainer.tui.screens.casefile_sections import (
    ChronologySection,
    DocumentsSection,
    PeopleSection,
    document_text,
)
from trainer.tui.screens.notice import PanelScreen
from trainer.tui.widgets.footer import KeyLine
from trainer.tui.widgets.more import more_below

SECTION_TITLES = {"chronology": "Chronology", "people": "People", "documents": "Documents"}
HINTS = {
    "chronology": "Date order; f shows one agency at a time. ← →: sections",
    "people": "The family drawn, then as a list. PageDown scrolls.",
    "documents": "↑ ↓ choose a document, Enter opens it. ← →: sections",
}


class CaseFileScreen(Screen[None]):
    """The case file at the trainee's stage, one section at a time; Escape goes back."""

    CSS_PATH = "casefile.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", priority=True),
        Binding("c", "close", "Back", show=False),
        # The sections change from anywhere, even where a list or a scroll would take the
        # arrows: the arrows are the sections' keys (DESIGN, format 3).
        Binding("left", "section(-1)", "Section", priority=True, key_display="← →"),
        Binding("right", "section(1)", show=False, priority=True),
        Binding("tab", "section(1)", show=False),
        Binding("shift+tab", "section(-1)", show=False),
        Binding("f", "filter", "Agency"),
        Binding("shift+left", "sideways(-1)", show=False),
        Binding("shift+right", "sideways(1)", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(classes="case-file")
        self.session = session
        self.preview = session.is_preview
        self.case_file: CaseFile = session.playthrough.case_file()
        self.section = CASE_FILE_SECTIONS[0]
        self.agency: str | None = None

    def compose(self) -> ComposeResult:
        module = self.session.module
        yield Static(self.title_text(), classes="screen-title")
        yield Static(id="tabs")
        yield ChronologySection(self.case_file, module, self.preview)
        yield PeopleSection(self.case_file, module, self.preview)
        yield DocumentsSection(self.case_file, module, self.preview)
        yield Static(id="more", classes="more")
        yield Static(id="status", classes="hint")
        yield KeyLine()

    def on_mount(self) -> None:
        for name in CASE_FILE_SECTIONS[1:]:
            self.section_widget(name).display = False
        for widget in (self.section_widget("chronology"), self.section_widget("people")):
            self.watch(widget, "scroll_y", self.scrolled, init=False)
            self.watch(widget, "virtual_size", self.scrolled, init=False)
        self.watch(self.section_widget("people"), "scroll_x", self.scrolled, init=False)
        documents = self.query_one("#documents", OptionList)
        self.watch(documents, "scroll_y", self.scrolled, init=False)
        self.show_section("chronology")

    def title_text(self) -> Text:
        """ "Case file · as at stage 2 of 4 · April 2021" over the stage's title, as the play
        screen's header has them; the preview adds that nothing is saved."""
        out = Text("Case file", style="bold")
        stage = self.case_file.stage
        if stage is not None:
            module = self.session.module
            out.append(f" · as at stage {module.stage_number(stage.id)} of {len(module.stages)}")
            if stage.shown_date:
                out.append(f" · {stage.shown_date}")
        if self.preview:
            out.append("   PREVIEW · nothing is saved", style="bold")
        if stage is not None:
            out.append("\n" + stage.title, style="dim")
        return safe_text(out)

    def tabs_text(self) -> Text:
        """The three sections, the one shown in brackets, with counts of what is new."""
        case_file = self.case_file
        counts = {
            "chronology": [k.new for k in case_file.chronology],
            "people": [k.new for k in case_file.people],
            "documents": [k.new for k in case_file.documents] + [k.new for k in case_file.evidence],
        }
        out = Text()
        for name in CASE_FILE_SECTIONS:
            marks = counts[name]
            label = f"{SECTION_TITLES[name]} ({len(marks)}"
            label += f", {sum(marks)} new)" if any(marks) else ")"
            if name == self.section:
                out.append(f"[ {label} ]", style="bold reverse")
            else:
                out.append(f"  {label}  ")
            out.append(" ")
        return out

    def section_widget(self, name: str) -> Widget:
        """The widget of a section."""
        ids = {"chronology": "#chronology", "people": "#people", "documents": "#documents-section"}
        return self.query_one(ids[name])

    def focus_target(self, name: str) -> Widget:
        """Where the keys go in a section: its scroll, or the list of documents."""
        if name == "documents":
            return self.query_one("#documents", OptionList)
        return self.section_widget(name)

    # -- moving about ---------------------------------------------------------------------

    def show_section(self, name: str) -> None:
        """Show one section (the others hidden), give it the keys, and record what it shows."""
        with self.app.batch_update():
            for other in CASE_FILE_SECTIONS:
                self.section_widget(other).display = other == name
            self.section = name
            self.query_one("#tabs", Static).update(self.tabs_text())
            self.focus_target(name).focus()
            self.status(HINTS[name])
        if name == "people":
            self.record([("person", known.person.id) for known in self.case_file.people])
        self.call_after_refresh(self.scrolled)

    def action_section(self, step: int) -> None:
        index = CASE_FILE_SECTIONS.index(self.section)
        self.show_section(CASE_FILE_SECTIONS[(index + step) % len(CASE_FILE_SECTIONS)])

    def action_filter(self) -> None:
        """Show the next agency's entries and documents; after the last, all again."""
        agencies = self.case_file.agencies
        if not agencies:
            self.status("There is nothing to filter yet.")
            return
        if self.section == "people":
            self.status("The people are all shown: f filters the chronology and the documents.")
            return
        choices: list[str | None] = [None, *agencies]
        self.agency = choices[(choices.index(self.agency) + 1) % len(choices)]
        self.query_one(ChronologySection).show_agency(self.agency)
        self.query_one(DocumentsSection).show_agency(self.agency)
        shown = "every agency" if self.agency is None else self.agency
        self.status(f"Showing {shown}. f shows the next agency.")
        self.call_after_refresh(self.scrolled)

    def action_sideways(self, step: int) -> None:
        """Scroll a drawing wider than the screen (the arrows alone change section)."""
        if self.section == "people":
            people = self.section_widget("people")
            people.scroll_to(x=people.scroll_x + step * 20, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def scrolled(self, *_: object) -> None:
        """After any scroll or change of size: mark what lies out of view, and record the
        chronology entries now on the screen."""
        if not self.is_attached:
            return
        section = self.section
        parts: list[str] = []
        if section == "documents":
            scroller: Widget = self.query_one("#documents", OptionList)
        else:
            scroller = self.section_widget(section)
        if round(scroller.scroll_y) > 0:
            parts.append("▲ more above")
        if more_below(scroller):
            below = "▼ more below"
            if section == "chronology":
                new = self.query_one(ChronologySection).new_below()
                if new:
                    below += f" ({new} new)"
            parts.append(below + ": PageDown")
        if round(scroller.scroll_x) < scroller.max_scroll_x:
            parts.append("▶ more to the right: shift+→")
        self.query_one("#more", Static).update(Text("  ·  ".join(parts)))
        if section == "chronology":
            entries = self.query_one(ChronologySection).in_view()
            self.record([("chronology", entry) for entry in entries])

    # -- opening documents, and the record -------------------------------------------------

    @on(DocumentsSection.Open)
    def open_document(self, message: DocumentsSection.Open) -> None:
        known = self.find_document(message.kind, message.item_id)
        if known is None:
            return
        self.record([(message.kind, message.item_id)])
        body = document_text(known, self.session.module, self.preview)
        self.app.push_screen(PanelScreen(body))

    def find_document(self, kind: str, item_id: str) -> KnownDocument | KnownEvidence | None:
        """A document of the case file, by kind and id."""
        if kind == "document":
            return next((k for k in self.case_file.documents if k.document.id == item_id), None)
        return next((k for k in self.case_file.evidence if k.id == item_id), None)

    def record(self, items: list[tuple[str, str]]) -> None:
        """Record items as opened (each only the first time: the engine says which are new)."""
        if not items:
            return
        try:
            self.session.move(lambda pt: pt.open_items(items))
        except AnswerError as error:  # the screen only offers what the case file holds
            self.status(str(error).capitalize() + ".")
        except SaveError as error:
            self.status(f"What you opened could not be recorded in your save: {error}")

    def status(self, text: str) -> None:
        """Say something in the status line (always literal text)."""
        self.query_one("#status", Static).update(Text(safe(text)))
