"""The plain text of the case file: its chronology, people, documents, and what to type there.

As the app's case file, but a list throughout: the people and how they are related are
plain lines (no drawing), and each document is numbered to be read (`d1`, `d2`, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.engine import Module
    from trainer.engine.casefile import CaseFile

RECONSTRUCTED = "Reconstructed from the published accounts"
"""The heading over a document written from the sources' account of one that is not public."""


def case_file_text(module: Module, case: CaseFile, agency: str | None = None) -> str:
    """The case file as it stands: the chronology (or one agency's), the people and how they
    are related (the plain list: no drawing), and the documents, numbered to be read."""
    out = [_heading(module, case)]
    if case.new_count:
        out.append("Items marked (new) came in at this stage.")
    out += _chronology_lines(case, agency)
    if agency:  # one agency's chronology, and its documents by their numbers in the list
        out += _agency_document_lines(case, agency)
        return "\n".join(out)
    agencies = case.agencies
    if len(agencies) > 1:
        named = "; ".join(f"{n}. {name}" for n, name in enumerate(agencies, start=1))
        out.append(f"Agencies: {named}")
    out += _people_lines(case)
    items = case_documents(case)
    if items:
        out += ["", f"Documents: {len(items)}"]
        for number, (title, about, new) in enumerate(items, start=1):
            out.append(f"{number}. {title}{f' ({about})' if about else ''}{_new(new)}")
    if case.empty:
        out += ["", "Nothing is in the case file yet."]
    return "\n".join(out)


def _heading(module: Module, case: CaseFile) -> str:
    """ "Case file", and the stage it stands at where there is one."""
    stage = case.stage
    if stage is None:
        return "Case file"
    place = f"stage {module.stage_number(stage.id)} of {len(module.stages)}"
    return f"Case file, as at {place}: {stage.title}"


def _chronology_lines(case: CaseFile, agency: str | None) -> list[str]:
    """The chronology (or one agency's), in date order, after a blank line."""
    entries = case.chronology_of(agency)
    heading = f"Chronology of {agency}" if agency else "Chronology"
    out = ["", f"{heading}: {_count(len(entries), 'entry', 'entries')}, in date order"]
    for known in entries:
        entry = known.entry
        out.append(f"- {entry.shown_date}, {entry.agency}: {entry.event}{_new(known.new)}")
    return out


def _agency_document_lines(case: CaseFile, agency: str) -> list[str]:
    """One agency's documents, by their numbers in the whole list (none: no lines)."""
    numbered = list(enumerate(case.documents, start=1))
    theirs = [(n, k) for n, k in numbered if k.document.agency == agency]
    if not theirs:
        return []
    return [
        "",
        f"Documents of {agency}:",
        *(f"{n}. {k.document.title}{_new(k.new)}" for n, k in theirs),
    ]


def _people_lines(case: CaseFile) -> list[str]:
    """The people, then how they are related, as plain lists (none: no lines)."""
    if not case.people:
        return []
    from trainer.engine.genogram import person_text, relation_text

    names = {known.person.id: known.person.name for known in case.people}
    out = ["", f"People: {len(case.people)}"]
    out += [f"- {person_text(k.person)}{_new(k.new)}" for k in case.people]
    if case.relations:
        out.append("How they are related:")
        out += [f"- {relation_text(k.relation, names)}{_new(k.new)}" for k in case.relations]
    return out


def case_documents(case: CaseFile) -> list[tuple[str, str, bool]]:
    """Each document in the case file as listed: title, what it is, whether new. Agencies'
    documents first, then each stage's own documents under the stage that holds it."""
    items = []
    for known in case.documents:
        document = known.document
        about = [part for part in (document.kind, document.agency, document.date) if part]
        if document.reconstructed:
            about.append("reconstructed")
        items.append((document.title, ", ".join(about), known.new))
    for evidence in case.evidence:
        items.append(
            (evidence.evidence.title, f"with the stage {evidence.stage.title}", evidence.new)
        )
    return items


def case_document_text(case: CaseFile, index: int) -> str:
    """One document of the case file, in full (`index` as `case_documents` numbers them)."""
    count = len(case.documents)
    if index < count:
        document = case.documents[index].document
        out = [f"Document {index + 1}: {document.title}"]
        about = [part for part in (document.kind, document.agency, document.date) if part]
        if about:
            out.append(", ".join(about))
        if document.reconstructed:
            out.append(RECONSTRUCTED)
        return "\n".join([*out, "", document.text])
    evidence = case.evidence[index - count]
    return (
        f"Document {index + 1}: {evidence.evidence.title}\nWith the stage "
        f"{evidence.stage.title}\n\n{evidence.evidence.text}"
    )


def case_file_prompt(case: CaseFile, others: str) -> str:
    """What to type in the case file."""
    parts = []
    documents = len(case_documents(case))
    if documents:
        parts.append(f"d and a document's number to read it (such as d1, up to d{documents})")
    agencies = len(case.agencies)
    if agencies > 1:
        parts.append(
            f"a and an agency's number for its chronology alone (a1 to a{agencies}; a for all)"
        )
    if parts:
        return f"Type {', or '.join(parts)}; or press Enter to go back ({others})."
    return f"Press Enter to go back ({others})."


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _new(new: bool) -> str:
    return " (new)" if new else ""
