"""The two modules of the national review into Arthur's and Star's murders, against their sources.

Every quotation must be word for word in the excerpts file (`../shared/sources/
star-arthur-excerpts.md`, beside the project, as the Peter Connelly seed is), in the excerpt its
locator names; the voices, dates, names and decisions must be what the brief asks of a case module.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from pathlib import Path

import pytest

from trainer.content import load_module
from trainer.content.dates import is_later, parse_date
from trainer.engine import Module, PlayThrough
from trainer.engine.autoplay import Response, play
from trainer.engine.casefile import case_file_at

ROOT = Path(__file__).resolve().parents[2]
EXCERPTS = ROOT.parent / "shared" / "sources" / "star-arthur-excerpts.md"
STAR = ROOT / "modules" / "star-hobson-bradford.toml"
ARTHUR = ROOT / "modules" / "arthur-labinjo-hughes-solihull.toml"
MODULES = [STAR, ARTHUR]
IDS = ["star", "arthur"]


def excerpts() -> dict[str, str]:
    """Each excerpt's exact words by its id (Q01...): the `>` lines under its heading."""
    if not EXCERPTS.exists():
        message = f"the excerpts file is not beside the project ({EXCERPTS})"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI always has shared/ beside the clone
        pytest.skip(message)
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in EXCERPTS.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"## (Q\d+)\s*", line)
        if heading:
            current = found.setdefault(heading.group(1), [])
        elif line.startswith("## ") or line.startswith("# "):
            current = None
        elif current is not None and line.startswith(">"):
            current.append(re.sub(r"^> ?", "", line))
    return {key: "\n".join(lines) for key, lines in found.items()}


def data_of(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def shown_texts(data: dict) -> list[str]:
    """Every text the trainee reads, outside the findings' own quotes: narratives, outcomes,
    documents, prompts, options, feedback, rubric labels, the debrief and the notices."""
    texts = [data.get(key, "") for key in ("summary", "content_warning", "hindsight_note")]
    texts += [f["text"] for f in data["findings"]]
    texts += [g["definition"] for g in data.get("glossary", [])]
    for stage in data["stages"]:
        texts += [stage["title"], stage["narrative"], stage.get("outcome", "")]
        texts += [e["text"] for e in stage.get("evidence", [])]
        for decision in stage.get("decisions", []):
            texts += [decision["prompt"], decision.get("reflection", "")]
            for option in decision.get("options", []):
                texts += [option["text"], option.get("feedback", "")]
            texts += [c["label"] for c in decision.get("rubric", [])]
    texts += [data["debrief"]["text"], *data["debrief"]["prompts"]]
    return texts + case_file_texts(data)


def case_file_texts(data: dict, before: str | None = None) -> list[str]:
    """The case file's texts: chronology events, people's labels, relations' notes, documents;
    with `before`, only those that enter the file before that stage."""
    order = [stage["id"] for stage in data["stages"]]
    limit = order.index(before) if before else len(order)
    texts = []
    for kind, keys in (
        ("chronology", ("event", "date_label")),
        ("people", ("label",)),
        ("relations", ("note",)),
        ("documents", ("title", "text")),
    ):
        for entry in data.get(kind, []):
            if order.index(entry["from_stage"]) < limit:
                texts += [entry.get(key, "") for key in keys]
    return texts


def folded(text: str) -> str:
    """Curly quotes and apostrophes as straight ones, so that "..." and “...” compare alike."""
    table = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
    return unicodedata.normalize("NFC", text).translate(table)


@pytest.fixture(scope="module", params=MODULES, ids=IDS)
def path(request) -> Path:
    return request.param


@pytest.fixture(scope="module")
def module(path) -> Module:
    return load_module(path)


@pytest.fixture(scope="module")
def data(path) -> dict:
    return data_of(path)


# ------------------------------------------------------------------ quotations


def test_every_quote_is_word_for_word_in_the_excerpt_its_locator_names(data):
    held = excerpts()
    quoted = 0
    for finding in data["findings"]:
        locator = finding.get("locator", "")
        named = re.match(r"(Q\d+)\b", locator)
        assert named, f"{finding['id']}: the locator starts with the excerpt's id"
        assert named.group(1) in held, f"{finding['id']}: no excerpt {named.group(1)}"
        if "quote" in finding:
            assert finding["quote"] in held[named.group(1)], (
                f"{finding['id']}: the quote is not word for word in {named.group(1)}"
            )
            quoted += 1
    assert quoted >= 15, "the module quotes its sources"


def test_words_in_quotation_marks_anywhere_are_from_the_excerpts(data):
    # Narratives, feedback and the debrief may put a source's words in quotation marks; a
    # paraphrase never is. Single quotes mark a term or a title, not a quotation.
    everything = folded("\n".join(excerpts().values()))
    quoted = []
    for text in shown_texts(data):
        quoted += re.findall(r'"([^"]+)"', folded(text))
    assert quoted, "some source words are shown in quotation marks"
    for words in quoted:
        assert words in everything, f"in quotation marks but not in the excerpts: {words!r}"


def url_of(text: str, excerpt: str) -> str | None:
    """The URL the excerpts file gives for an excerpt, following "as Qnn" to the one it names."""
    block = text.split(f"## {excerpt}\n", 1)[1].split("\n## ", 1)[0]
    own = re.search(r"URL: (https?://\S+)", block)
    if own:
        return own.group(1)
    pointer = re.search(r"URL: as (Q\d+)", block)
    return url_of(text, pointer.group(1)) if pointer else None


def test_every_finding_cites_the_page_its_excerpt_comes_from(data):
    excerpts()  # skips, or fails on CI, as the quotation tests do
    text = EXCERPTS.read_text(encoding="utf-8")
    sources = {s["id"]: s for s in data["sources"]}
    for finding in data["findings"]:
        excerpt = re.match(r"(Q\d+)", finding["locator"]).group(1)
        source = sources[finding["source"]]
        assert source.get("url"), f"{source['id']} gives its address"
        assert url_of(text, excerpt) == source["url"], (
            f"{finding['id']}: {excerpt} is not from {source['id']}"
        )


# ------------------------------------------------------------------ sources and voices


def test_sources_have_a_kind_a_publisher_and_a_date(module):
    assert module.format == 3
    for source in module.sources:
        assert source.kind in ("review", "inquiry", "press", "commentary", "guidance"), source.id
        assert source.publisher and source.date, f"{source.id} cites publisher and date"


def test_every_finding_has_a_voice_a_locator_and_what_it_reveals(module):
    for finding in module.findings:
        assert finding.voice in ("review", "review-reported", "inquiry", "comment"), finding.id
        assert finding.locator, finding.id
        assert finding.reveals and parse_date(finding.reveals), f"{finding.id}: reveals"
    assert len({f.reveals for f in module.findings}) >= 6, "early findings and late ones"


def test_the_review_voice_is_kept_for_whole_sentences_it_is_quoted_as_saying(module):
    # The review's report was not available: "review" is only a sentence a source prints as the
    # review's own, quoted; a summary with a quoted phrase in it stays "review-reported".
    for finding in module.findings:
        if finding.voice == "review":
            assert finding.quote and len(finding.quote.split()) >= 10, finding.id
            assert "quoting" in finding.locator, f"{finding.id}: the locator says who quotes"
        if finding.voice in ("comment", "inquiry"):
            assert finding.said_by, f"{finding.id}: say who spoke"
        if "summary" in finding.locator or "paraphrase" in finding.locator:
            assert finding.voice != "review", f"{finding.id}: a summary is not the review"
    voices = {f.voice for f in module.findings}
    assert voices == {"review", "review-reported", "inquiry", "comment"}, voices


def test_the_chair_and_family_are_never_the_review(module):
    for finding in module.findings:
        who = (finding.said_by or "").lower()
        if "great-grandfather" in who or "leader of" in who or "press statement" in who:
            assert finding.voice == "comment", finding.id
        if "independent report" in who or "inspection" in who or "conduct" in who:
            assert finding.voice == "inquiry", finding.id


# ------------------------------------------------------------------ dates and hindsight


def test_stages_run_in_date_order_and_every_decision_has_a_date_the_trainee_reads(module):
    for stage in module.stages:
        if stage.decisions:
            assert stage.date and parse_date(stage.date), f"{stage.id}: ISO date"
            assert stage.date_label, f"{stage.id}: a date the trainee reads"
    dates = [parse_date(s.date) for s in module.stages if s.date]
    for earlier, later in zip(dates, dates[1:], strict=False):
        assert not is_later(earlier, later), "stages in date order"
    assert module.stages[0].date.startswith("2020")
    assert module.stages[-1].id == "looking-back"


GIVEAWAYS = ("bruis", "injur", "death", "died", "murder", "malicious", "killed", "closed")


def test_titles_and_summary_give_nothing_away(module):
    for stage in module.stages[:-1]:
        lowered = stage.title.lower()
        assert not any(word in lowered for word in GIVEAWAYS), f"title {stage.title!r}"
    summary = module.summary.lower()
    assert not any(word in summary for word in GIVEAWAYS), "the summary"
    assert "died" in module.content_warning, "the warning says what trainees consent to"


def test_the_death_is_told_only_once_the_decisions_are_past(data):
    # Before the last stage nothing the trainee reads before answering tells of the death.
    for stage in data["stages"][:-1]:
        before = [stage["title"], stage["narrative"]]
        before += [e["text"] for e in stage.get("evidence", [])]
        for decision in stage.get("decisions", []):
            before.append(decision["prompt"])
            before += [o["text"] for o in decision.get("options", [])]
        for text in before:
            lowered = text.lower()
            assert "died" not in lowered and "murder" not in lowered, stage["id"]
    last = data["stages"][-1]["id"]
    for text in case_file_texts(data, before=last):
        lowered = text.lower()
        for word in ("died", "dies", "murder", "convicted", "sentenced"):
            assert word not in lowered, f"the case file tells of the end before it: {text!r}"


# ------------------------------------------------------------------ what the brief asks


def test_the_module_has_what_the_brief_asks(module):
    decisions = [d for s in module.stages for d in s.decisions]
    assert len(decisions) >= 8
    assert len([d for d in decisions if d.scored]) >= 8
    assert {d.kind for d in decisions} == {"single", "multiple", "text", "rank"}
    assert sum(d.asks_confidence for d in decisions) >= 8
    assert any(d.reason_prompt for d in decisions)
    assert len(module.glossary) >= 25
    assert module.content_warning and module.support and module.hindsight_note
    assert len(module.objectives) >= 5


def test_what_was_done_is_marked_and_is_not_always_wrong(module):
    marked = [d.happened for s in module.stages for d in s.decisions if d.happened is not None]
    assert len(marked) >= 5, "what was done at the time, wherever the record says"
    assert any(option.verdict != "contrary" for option in marked)


def test_the_rank_says_whose_order_it_is(module):
    ranks = [d for s in module.stages for d in s.decisions if d.kind == "rank"]
    assert ranks
    for decision in ranks:
        assert decision.order_label == "this module's suggested order"
        assert "this module's suggested order" in decision.prompt
        assert "no such list" in decision.prompt
        assert all(o.feedback and o.findings for o in decision.options)


def test_the_written_answer_is_compared_by_ticked_concepts(module):
    texts = [d for s in module.stages for d in s.decisions if d.kind == "text"]
    assert texts
    for decision in texts:
        assert decision.scoring == "self" and decision.claims_concepts
        assert len(decision.rubric) >= 5
        assert all(c.label and c.finding for c in decision.rubric)


def test_the_support_text_gives_a_24_hour_line_and_speaks_to_lived_experience(module):
    support = module.support or ""
    assert "Samaritans" in support and "116 123" in support and "day or night" in support
    assert "own experience" in support and "worried about a child now" in support


def test_the_debrief_follows_pearls_with_counterweights_and_then_and_now(module):
    text = module.debrief.text or ""
    prompts = module.debrief.prompts
    assert text.lstrip().startswith("Before anything else: how are you?")
    for heading in ("What happened, in brief.", "Why it made sense at the time.", "Then and now."):
        assert heading in text
    for counterweight in ("arm's length", "Hindsight bias", "not new issues", "4 or 5 sure"):
        assert counterweight in text, counterweight
    for now in ("Working Together to Safeguard Children 2018", "2023", "As at 2025"):
        assert now in text, now
    assert "feeling" in prompts[0], "the prompts open with reactions"
    assert "one thing you will do differently" in prompts[-1].lower(), "and close with practice"


def test_the_lockdown_and_the_front_door_are_in_the_debrief():
    star = load_module(STAR).debrief.text or ""
    arthur = load_module(ARTHUR).debrief.text or ""
    for condition in ("high volumes", "turmoil", "vacancies", "agency", "lockdown"):
        assert condition in star, condition
    for condition in ("lockdown", "multi-agency safeguarding hub", "another had the matter"):
        assert condition in arthur, condition


# ------------------------------------------------------------------ the case file


def test_the_chronology_has_fifteen_sourced_entries_before_the_end(module):
    # Each entry names its source and its agency; fifteen or more are in the file while the
    # trainee is still deciding, not only in the look back.
    last = module.stages[-1].id
    during = [e for e in module.chronology if e.from_stage != last]
    assert len(during) >= 15, len(during)
    for entry in module.chronology:
        assert entry.source and entry.agency and entry.event, entry.id
    assert len({e.agency for e in module.chronology}) >= 4, "several agencies' records"
    assert any(e.key for e in module.chronology)


def test_every_document_is_a_reconstruction_with_its_source(module):
    assert len(module.documents) >= 6
    for document in module.documents:
        assert document.reconstructed and document.source, document.id
        assert document.kind and document.agency and document.date, document.id
    assert any(d.key for d in module.documents), "the documents the review says mattered"


def test_the_case_file_grows_stage_by_stage(module):
    counts = []
    for index in range(len(module.stages)):
        path = [s.id for s in module.stages[: index + 1]]
        known = case_file_at(module, path)
        counts.append((len(known.chronology), len(known.people), len(known.documents)))
    for earlier, later in zip(counts, counts[1:], strict=False):
        assert all(b >= a for a, b in zip(earlier, later, strict=True)), counts
    assert counts[0][0] < counts[-2][0] < counts[-1][0], "more is known as the case goes on"


def test_the_household_is_drawn_as_professionals_understood_it(module):
    # The child and the adults convicted are in the genogram from the first stage; what is
    # learned later is stated again, not written in from the start.
    first = case_file_at(module, [module.stages[0].id])
    people = {known.person.id: known.person for known in first.people}
    children = [p for p in people.values() if p.child]
    assert len(children) == 1 and children[0].household
    assert "partner" in people and "father" in people and "mother" in people
    end = case_file_at(module, [s.id for s in module.stages])
    restated = {known.person.id for known in end.people if known.restated}
    assert {"partner", children[0].id} <= restated
    assert any(known.person.deceased for known in end.people)
    assert not any(known.person.deceased for known in first.people)


def test_the_unchecked_background_is_shown_as_unchecked_until_the_end():
    module = load_module(STAR)
    before_end = case_file_at(module, [s.id for s in module.stages[:-1]])
    partner = next(k.person for k in before_end.people if k.person.id == "partner")
    assert "not been checked" in partner.label and "restraining" not in partner.label
    end = case_file_at(module, [s.id for s in module.stages])
    partner = next(k.person for k in end.people if k.person.id == "partner")
    assert "restraining order in 2015" in partner.label and "no checks" in partner.label


# ------------------------------------------------------------------ names

PRIVATE = [
    "Holly",
    "Jones",
    "Anita",
    "Annetta",
    "Rachel",
    "Jordan",
    "Joanne",
    "Fawcett",
    r"Frank\b",
    "Walker",
    "Screwfix",
    "Wesley",
]
"""People who called children's social care, a commissioner, and details of place the press gave:
the module names them by relationship or not at all."""

PUBLIC = {
    STAR: ["Star Hobson", "Frankie Smith", "Savannah Brockhill", "Arthur Labinjo-Hughes"],
    ARTHUR: ["Arthur Labinjo-Hughes", "Emma Tustin", "Thomas Hughes", "Star Hobson"],
}


def without_quotes(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    for finding in data_of(path)["findings"]:
        text = text.replace(finding.get("quote", "\0"), "")
    return text


def test_the_children_and_the_convicted_adults_are_named_and_no_one_else(path):
    text = without_quotes(path)
    for name in PUBLIC[path]:
        assert name in text, name
    for name in PRIVATE:
        assert not re.search(rf"\b{name}", text), f"{name} appears outside a quotation"


def test_practitioners_are_named_by_role_only(path):
    # A title before a name: only the MP who spoke in public, by her own name.
    text = path.read_text(encoding="utf-8")
    titled = set(re.findall(r"\b(?:Mr|Ms|Mrs|Miss|Dr)\.? [A-Z][A-Za-z]*", text))
    assert titled <= {"Dr Caroline"}, f"named by title: {sorted(titled)}"


# ------------------------------------------------------------------ paths


def test_one_path_runs_through_every_stage_to_the_end(module):
    pt = play(PlayThrough(module), lambda deciding: _first_answer(deciding.decision))
    assert pt.finished
    assert [s.id for s in pt.path] == [s.id for s in module.stages]


def test_the_aligned_path_scores_full_marks(module):
    def aligned(deciding) -> Response:
        decision = deciding.decision
        confidence = 3 if decision.asks_confidence else None
        reason = "for the child" if decision.asks_reason else None
        if decision.kind == "text":
            return Response(
                text="an answer", confidence=confidence, concepts_ticked=[c.id for c in decision.rubric]
            )
        if decision.kind == "rank":
            return Response(decision.panel_order, None, confidence, reason)
        if not decision.judged:
            return Response([decision.options[0].id], None, confidence, reason)
        best = [o.id for o in decision.options if o.verdict == "aligned"]
        return Response(best if decision.kind == "multiple" else best[:1], None, confidence, reason)

    pt = play(PlayThrough(module), aligned)
    assert pt.finished and pt.module_score == pytest.approx(1.0)


def _first_answer(decision) -> Response:
    confidence = 3 if decision.asks_confidence else None
    reason = "for the child" if decision.asks_reason else None
    if decision.kind == "text":
        return Response(text="an answer", confidence=confidence)
    if decision.kind == "rank":
        return Response(decision.panel_order, None, confidence, reason)
    return Response([decision.options[0].id], None, confidence, reason)
