"""Plain mode's case file: shown as it stands, its documents read by number, its chronology
by agency; what is listed on the screen is recorded as opened, as the app does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.plain import case_texts

if TYPE_CHECKING:
    from trainer.plain.player import PlainPlayer


class CaseFileBrowser:
    """The case file as it stands when opened, browsed until Enter goes back to the question
    that was being asked (the player's commands work here too)."""

    def __init__(self, player: PlainPlayer) -> None:
        self.player = player
        self.case = player.pt.case_file()
        self.agency: str | None = None
        """The agency whose chronology alone is shown; None for the whole case file."""

    def browse(self) -> None:
        """Show the case file, then follow what is typed until an empty line."""
        self.show()
        while True:
            prompt = case_texts.case_file_prompt(self.case, self.player.others)
            answer = self.player.console.ask(prompt).lower()
            if not answer:
                return
            if answer == "c":  # the whole case file again, not a second one inside this
                self.show_agency(None)
            elif not (self.player.command(answer) or self.follow(answer)):
                self.player.say_back(answer, "press Enter to go back to where you were")

    def follow(self, answer: str) -> bool:
        """`d2` reads a document, `a3` shows one agency's chronology and `a` all of it again;
        False for anything else."""
        number = answer[1:].strip()
        agencies = self.case.agencies
        if answer[0] == "d" and _numbered(number, len(case_texts.case_documents(self.case))):
            self.read_document(int(number) - 1)
        elif answer == "a" and self.agency is not None:
            self.show_agency(None)
        elif answer[0] == "a" and _numbered(number, len(agencies)):
            self.show_agency(agencies[int(number) - 1])
        else:
            return False
        return True

    def show_agency(self, agency: str | None) -> None:
        """Show one agency's part of the case file, or (None) the whole of it."""
        self.agency = agency
        self.show()

    def show(self) -> None:
        """The case file (or one agency's part) printed: every entry listed is on the
        screen, so opened; the people too, when listed (the app's rule)."""
        case, agency = self.case, self.agency
        self.player.show(case_texts.case_file_text(self.player.session.module, case, agency))
        items = [("chronology", k.entry.id) for k in case.chronology_of(agency)]
        if agency is None:
            items += [("person", k.person.id) for k in case.people]
        self.player.record_opened(items)

    def read_document(self, index: int) -> None:
        """One document in full (numbered as `case_texts.case_documents` lists them), opened."""
        case = self.case
        self.player.show(case_texts.case_document_text(case, index))
        count = len(case.documents)
        if index < count:
            self.player.record_opened([("document", case.documents[index].document.id)])
        else:
            self.player.record_opened([("evidence", case.evidence[index - count].id)])


def _numbered(number: str, count: int) -> bool:
    """Whether `number` is typed as one of 1 to `count` (in ASCII digits: `²` is a digit to
    `isdigit` but no number to `int`)."""
    return number.isascii() and number.isdigit() and 1 <= int(number) <= count
