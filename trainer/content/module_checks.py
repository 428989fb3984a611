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
from trainer.content.checking import Found, Links, Reporter, Table
from trainer.content.dates import IsoDate
from trainer.content.glossary_checks import check_glossary
from trainer.content.hindsight import hindsight_warnings
from trainer.content.item_writing import item_flaws, order_flaws
from trainer.content.locate import Path
from trainer.content.problems import Severity
from trainer.content.stage_checks import (
    StageDate,
    check_reachable,
    check_stages,
    sound_date,
    successors,
)
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


def check_meaning(
    reporter: Reporter, clean: Table, texts: list[str], *, concurrent: bool = False
) -> None:
    """Every rule about what the module's sound tables mean; `texts` are its sound texts
    outside the glossary.

    With `concurrent`, the case file, the glossary and hindsight are checked in a forked
    child while the stages are checked here (`forked`), where this process may fork; the
    problems are the same, in the same order, either way."""
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
    meaning = _Meaning(reporter, clean, texts, source_ids, used_sources, links, reveals)
    if concurrent:
        meaning.check_alongside()
    else:
        meaning.check_stages()
        meaning.check_rest()


class _Meaning:
    """The checks of meaning after the ids and sources: the stages' (`check_stages`), then
    the rest (`check_rest`), which needs of the stages' only their dates and graph; or the
    rest's case file, glossary and hindsight in a forked child while the stages are checked
    here (`check_alongside`)."""

    def __init__(
        self,
        reporter: Reporter,
        clean: Table,
        texts: list[str],
        source_ids: set[str],
        used_sources: set[str],
        links: Links,
        reveals: Reveals,
    ) -> None:
        self.reporter = reporter
        self.clean = clean
        self.texts = texts
        self.source_ids = source_ids
        self.used_sources = used_sources
        self.links = links
        self.reveals = reveals
        self.stages: list[Table] = clean.get("stages", [])
        self.stage_dates: list[StageDate] = []
        self.graph: list[set[int]] = []

    def check_stages(self) -> None:
        """The stages' links and decisions; their dates and graph, for the rest."""
        self.stage_dates = check_stages(self.reporter, self.stages, self.links)
        self.graph = successors(self.stages)

    def check_rest(self) -> None:
        """Every check after the stages', in the order of their problems."""
        self._check_case_file()
        self._check_referenced()
        self._check_texts(hindsight=True, items=True)

    def check_alongside(self) -> None:
        """`check_stages` then `check_rest`, with the stage graph, the case file, the glossary
        and hindsight in a forked child, while the stages and the writing of the items are
        checked here (and hindsight too where there is a case file, which is the child's
        larger share). The child's problems are put where the rest's order has them; without
        a child, or where the two shares' "did you mean" would have drawn on one budget
        (`Reporter.suggest`), the rest is checked here after all."""
        from trainer.content.forked import alongside

        reporter = self.reporter
        left = reporter.suggestions_left
        hindsight_here = reporter.version >= schema.CASE_FILE
        flaws: list[tuple[Severity, str, Path, str]] = []

        def here() -> None:
            self.stage_dates = check_stages(reporter, self.stages, self.links)
            if hindsight_here:
                self.graph = successors(self.stages)
                flaws.extend(
                    ("warning", "W407", path, message) for path, message in self._hindsight()
                )
            if reporter.version >= 2:
                flaws.extend(_item_flaws(self.stages))

        def child() -> tuple[list[set[int]], list[Found], set[str], list[Found], int]:
            # The dates as the stages' own check finds them, which the parent is making.
            version_2 = reporter.version >= 2
            self.stage_dates = [sound_date(stage) for stage in self.stages] if version_2 else []
            self.graph = successors(self.stages)
            start = len(reporter.found)
            self._check_case_file()
            middle = len(reporter.found)
            self._check_texts(hindsight=not hindsight_here, items=False)
            found = reporter.found
            return (
                self.graph,
                found[start:middle],
                self.used_sources,
                found[middle:],
                reporter.suggestions_left,
            )

        ran, result = alongside(child, here)
        self.graph = result[0] if ran else successors(self.stages)
        if not ran or (reporter.suggestions_left != left and result[4] != left):
            self.check_rest()
            return
        _, case_file, used_sources, texts, child_left = result
        reporter.found.extend(case_file)
        reporter.suggestions_left -= left - child_left
        self.used_sources.update(used_sources)
        self._check_referenced()
        reporter.found.extend(texts)
        for severity, code, path, message in flaws:
            reporter.report(severity, code, path, message)

    def _check_case_file(self) -> None:
        """Format 3: the case file's rules."""
        if self.reporter.version < schema.CASE_FILE:
            return
        # Imported here: only a format 3 module has a case file to check.
        from trainer.content.casefile_checks import CaseFileChecker, StageFacts

        links = self.links
        facts = StageFacts(links.stage_ids, links.order, self.stage_dates, self.graph)
        CaseFileChecker(
            self.reporter, self.clean, facts, self.source_ids, self.used_sources
        ).check()

    def _check_referenced(self) -> None:
        """What is never referenced (W401, W402) or reached (W403)."""
        reporter, links = self.reporter, self.links
        findings: list[Table] = self.clean.get("findings", [])
        sources: list[Table] = self.clean.get("sources", [])
        _never_referenced(
            reporter, findings, links.finding_ids, links.used_findings, "finding", "W401"
        )
        _never_referenced(reporter, sources, self.source_ids, self.used_sources, "source", "W402")
        check_reachable(reporter, self.stages, links.stage_ids, self.graph)

    def _check_texts(self, *, hindsight: bool, items: bool) -> None:
        """The glossary, then from format 2 hindsight and the writing of the items (each where
        asked)."""
        reporter = self.reporter
        check_glossary(reporter, self.clean.get("glossary", []), self.texts)
        if reporter.version < 2:
            return
        if hindsight:
            for path, message in self._hindsight():
                reporter.warn("W407", path, message)
        if items:
            for severity, code, path, message in _item_flaws(self.stages):
                reporter.report(severity, code, path, message)

    def _hindsight(self) -> list[tuple[Path, str]]:
        """Format 2: each finding shown before its time (W407)."""
        return hindsight_warnings(self.stages, self.reveals, self.graph, self.stage_dates)


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


def _item_flaws(stages: list[Table]) -> list[tuple[Severity, str, Path, str]]:
    """Format 2: the writing of the items (W408 to W412), and what the options' order gives
    away (W414, W415, E308), in the order they are reported."""
    decisions = [d for stage in stages for d in stage.get("decisions", [])]
    flaws: list[tuple[Severity, str, Path, str]] = [
        ("warning", code, path, message) for code, path, message in item_flaws(decisions)
    ]
    flaws.extend(
        ("error" if code[0] == "E" else "warning", code, path, message)
        for code, path, message in order_flaws(decisions)
    )
    return flaws
