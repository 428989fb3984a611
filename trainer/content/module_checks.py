"""The second pass of validation: what the sound tables mean, table by table.

The module's own keys first (its format, id, minutes and language), then the ids of each
kind, the sources and findings, the stages with their decisions (`stage_checks`), the case
file (`casefile_checks`, format 3), what is never referenced or reached, the glossary
(`glossary_checks`) and, from format 2, the checks across the module: hindsight and the
writing of the items.
"""

from __future__ import annotations

import re

from trainer.content import schema
from trainer.content.checking import Links, Reporter, Table
from trainer.content.dates import IsoDate
from trainer.content.glossary_checks import check_glossary
from trainer.content.hindsight import hindsight_warnings
from trainer.content.item_writing import item_flaws, order_flaws
from trainer.content.stage_checks import StageDate, check_reachable, check_stages, successors
from trainer.engine.vocabulary import SOURCE_KINDS, VOICES

LANGUAGE_PATTERN = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_VOICES_OR_NONE = frozenset((*VOICES, None))

Reveals = dict[str, tuple[IsoDate, str]]
"""Each finding id with its sound `reveals` date (parsed, as written)."""


def check_format(reporter: Reporter, clean: Table) -> None:
    """The module's own keys: a format this trainer reads (E010), its id (E201), a positive
    number of minutes and a BCP 47 language tag (E106)."""
    version = clean.get("format")
    if version is not None and version not in schema.FORMATS:
        formats = schema.FORMATS
        supported = ", ".join(str(f) for f in formats[:-1]) + f" or {formats[-1]}"
        newer = " (a later format needs a newer trainer)" if version > formats[-1] else ""
        reporter.error(
            "E010",
            ("format",),
            f"format {version} is not supported; use format = {supported}{newer}",
        )
    if "id" in clean:
        reporter.check_id(clean["id"], ("id",))
    minutes = clean.get("estimated_minutes")
    if minutes is not None and minutes <= 0:
        reporter.error("E106", ("estimated_minutes",), "should be a positive number of minutes")
    language = clean.get("language")
    if language is not None and not LANGUAGE_PATTERN.match(language):
        reporter.error("E106", ("language",), f"{language!r} is not a BCP 47 tag such as 'en-GB'")


def check_meaning(reporter: Reporter, clean: Table, texts: list[str]) -> None:
    """Every rule about what the module's sound tables mean; `texts` are its sound texts
    outside the glossary."""
    sources: list[Table] = clean.get("sources", [])
    findings: list[Table] = clean.get("findings", [])
    glossary: list[Table] = clean.get("glossary", [])
    stages: list[Table] = clean.get("stages", [])
    source_ids = reporter.unique_ids(sources, "source id")
    finding_ids = reporter.unique_ids(findings, "finding id")
    reporter.unique_ids(glossary, "glossary term", key="term")
    stage_ids = reporter.unique_ids(stages, "stage id")
    if "stages" in clean and not stages:
        reporter.error("E305", ("stages",), "a module needs at least one stage")

    used_sources: set[str] = set()
    reveals = check_sources(reporter, sources, findings, source_ids, used_sources)
    order = {stage.get("id"): index for index, stage in enumerate(stages)}
    links = Links(reporter, finding_ids, stage_ids, order)
    stage_dates = check_stages(reporter, stages, links)
    graph = successors(stages)
    if reporter.version >= schema.CASE_FILE:
        # Imported here: only a format 3 module has a case file to check.
        from trainer.content.casefile_checks import CaseFileChecker, StageFacts

        facts = StageFacts(stage_ids, order, stage_dates, graph)
        CaseFileChecker(reporter, clean, facts, source_ids, used_sources).check()

    _never_referenced(reporter, findings, finding_ids, links.used_findings, "finding", "W401")
    _never_referenced(reporter, sources, source_ids, used_sources, "source", "W402")
    check_reachable(reporter, stages, stage_ids, graph)
    check_glossary(reporter, glossary, texts)
    if reporter.version >= 2:
        _check_across(reporter, stages, reveals, graph, stage_dates)


def check_sources(
    reporter: Reporter,
    sources: list[Table],
    findings: list[Table],
    source_ids: set[str],
    used_sources: set[str],
) -> Reveals:
    """The sources' kinds (format 2), then the findings' voices, `reveals` dates and sources;
    each finding's sound `reveals` date, for the hindsight check. A source a finding names is
    used (W402)."""
    if reporter.version >= 2:
        for table in sources:
            reporter.allowed(table, "kind", SOURCE_KINDS)
    reveals: Reveals = {}
    for finding in findings:
        if reporter.version >= 2:
            _voice_and_reveals(reporter, finding, reveals)
        source = finding.get("source")
        if source is None:
            continue
        if source in source_ids:
            used_sources.add(source)
        else:
            reporter.error(
                "E203",
                finding["_path"] + ("source",),
                f"unknown source {source!r}; {reporter.known(source_ids, 'source')}",
            )
    return reveals


def _voice_and_reveals(reporter: Reporter, finding: Table, reveals: Reveals) -> None:
    """Format 2: a finding's voice is one of the format's (E106), and its `reveals` an ISO
    date (E107), kept for the hindsight check when sound."""
    if finding.get("voice") not in _VOICES_OR_NONE:
        reporter.allowed(finding, "voice", VOICES)
    if "reveals" not in finding:
        return
    revealed = reporter.iso_date(finding, "reveals")
    if revealed is not None and isinstance(finding.get("id"), str):
        reveals.setdefault(finding["id"], revealed)


def _never_referenced(
    reporter: Reporter, tables: list[Table], ids: set[str], used: set[str], kind: str, code: str
) -> None:
    """A warning for each finding or source (of a sound, unique id) that nothing names."""
    for table in tables:
        if table.get("id") in ids and table["id"] not in used:
            reporter.warn(code, table["_path"], f"{kind} {table['id']!r} is never referenced")


def _check_across(
    reporter: Reporter,
    stages: list[Table],
    reveals: Reveals,
    graph: list[set[int]],
    stage_dates: list[StageDate],
) -> None:
    """Format 2's checks across the module: hindsight (W407) and the writing of the items
    (W408 to W412), and what the options' order gives away (W414, W415, E308)."""
    for path, message in hindsight_warnings(stages, reveals, graph, stage_dates):
        reporter.warn("W407", path, message)
    decisions = [d for stage in stages for d in stage.get("decisions", [])]
    for code, path, message in item_flaws(decisions):
        reporter.warn(code, path, message)
    for code, path, message in order_flaws(decisions):
        reporter.report("error" if code[0] == "E" else "warning", code, path, message)
