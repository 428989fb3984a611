"""How a finding's source is cited: the one rule the app, the debrief, the saves and the
report all follow (publisher, date, “title”; who said it first)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from trainer.engine import LinkedFinding, Source

Locator = Literal["none", "reader", "full"]
"""How much of a finding's locator a citation gives (see `citation`)."""

QUOTING_KINDS = ("press", "commentary")
"""Sources that can only quote a review: its own words found there are said to be quoted."""

_READER_LOCATOR = re.compile(
    r"(?:section|sections|paragraph|paragraphs|para|paras|page|pages|chapter|part|annex|"
    r"appendix|recommendation)\s+\S",
    re.IGNORECASE,
)
"""A locator a reader can follow in the source itself: a section, paragraph or page."""


def source_citation(source: Source | None, source_id: str) -> str:
    """A source as a reader cites it: publisher, date, “title”; its id where the module
    does not hold it."""
    if source is None:
        return source_id
    parts = [p for p in (source.publisher, source.date) if p]
    return ", ".join([*parts, f"“{source.title}”"])


def reader_locator(locator: str | None) -> str | None:
    """The part of a finding's locator that helps a reader find the words ("paragraph 3.2"),
    or None: a line of a saved web page, or a note on how the words were reported, is the
    facilitator's (the preview, the path review and the exports show it whole)."""
    if not locator:
        return None
    first = locator.split(";")[0].strip()
    return first if _READER_LOCATOR.match(first) else None


def cite(source: str, where: str | None = None, said_by: str = "", quoted: bool = False) -> str:
    """A cited source (`source_citation`) with the place in it, led by who said it.

    Who said it comes first. The review's own words printed by the press (`quoted`) are
    said to be quoted there, so that they are never taken for the reporter's, nor a
    reporter's summary for the review's."""
    cited = ", ".join(part for part in (source, where) if part)
    if said_by:
        return f"{said_by}, in {cited}"
    if quoted:
        return f"the review's words, quoted in {cited}"
    return cited


def citation(linked: LinkedFinding, locator: Locator = "reader") -> str:
    """Where a finding comes from, as a reader cites it: publisher, date, “title”.

    Args:
        locator: "none" as the app's feedback cites (the brief: the trainee reads publisher,
            date and title); "reader" adds a section or paragraph where the locator gives
            one, for a document read away from the app; "full" the whole locator, as the
            facilitator preview and the path review show it.
    """
    finding, source = linked.finding, linked.source
    where = (
        finding.locator
        if locator == "full"
        else reader_locator(finding.locator)
        if locator == "reader"
        else None
    )
    quoted = finding.voice == "review" and source is not None and source.kind in QUOTING_KINDS
    return cite(source_citation(source, finding.source), where, finding.said_by or "", quoted)
