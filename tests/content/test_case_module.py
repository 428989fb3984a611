"""The shipped case module against its sources and the brief: quotes, voices, dates, paths."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

from tests.content.shipped import SHIPPED
from trainer.content import load_module
from trainer.content.dates import is_later, parse_date
from trainer.engine import Decision, Module, PlayThrough
from trainer.engine.autoplay import Response, play

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "sources" / "000_2f2c72a19312f9c7.txt"
CASE = ROOT / "modules" / "peter-connelly-haringey.toml"


def seed_article() -> str:
    if not SEED.exists():
        message = f"the seed article is not beside the project ({SEED})"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI always has shared/ beside the clone
        pytest.skip(message)
    return "\n".join(SEED.read_text(encoding="utf-8").splitlines()[:115])


def is_seed(source: dict) -> bool:
    return "Report reveals damning failings" in source.get("title", "")


@pytest.fixture(scope="module")
def module() -> Module:
    return load_module(CASE)


@pytest.fixture(scope="module")
def data() -> dict:
    return tomllib.loads(CASE.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ quotations


def test_every_quote_from_the_seed_is_word_for_word_with_a_locator():
    article = seed_article()
    checked = 0
    for path in SHIPPED:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        seed_ids = {s["id"] for s in data.get("sources", []) if is_seed(s)}
        for finding in data.get("findings", []):
            if "quote" in finding:
                assert finding.get("locator"), f"{finding['id']} has a quote but no locator"
            if finding["source"] in seed_ids and "quote" in finding:
                assert finding["quote"] in article, f"{finding['id']}: quote not in the article"
                checked += 1
    assert checked >= 15, "the case module quotes the article"


def test_seed_locators_name_lines_that_hold_the_quote(data):
    article = seed_article().splitlines()
    seed_ids = {s["id"] for s in data["sources"] if is_seed(s)}
    for finding in data["findings"]:
        if finding["source"] not in seed_ids or "quote" not in finding:
            continue
        numbers = [int(n) for n in re.findall(r"\d+", finding["locator"].split(";")[0])]
        assert numbers, f"{finding['id']}: the locator names no line"
        lines = range(min(numbers), max(numbers) + 1)
        held = "\n".join(article[n - 1] for n in lines)
        assert finding["quote"] in held, f"{finding['id']}: not on lines {numbers}"


def test_only_sources_that_are_quoted_word_for_word_carry_quotes(data):
    # Beyond the seed there are only reports of the reviews, with no paragraph to cite:
    # their findings paraphrase and never quote.
    seed_ids = {s["id"] for s in data["sources"] if is_seed(s)}
    quoted = [f["id"] for f in data["findings"] if "quote" in f and f["source"] not in seed_ids]
    assert not quoted, f"quotes from sources other than the seed: {quoted}"


# ------------------------------------------------------------------ format 2: voices and dates


def test_the_case_module_is_format_3_with_every_source_a_kind(module):
    assert module.format == 3
    for source in module.sources:
        assert source.kind in ("review", "inquiry", "press", "commentary", "guidance"), source.id
        assert source.publisher and source.date, f"{source.id} cites publisher and date"


def test_every_finding_has_a_voice_a_locator_and_what_it_reveals(module):
    for finding in module.findings:
        assert finding.voice in ("review", "review-reported", "inquiry", "comment"), finding.id
        assert finding.locator, f"{finding.id} has a locator"
        assert finding.reveals and parse_date(finding.reveals), f"{finding.id}: reveals"
    # The guard is meaningful only if the dates differ: early findings, late findings.
    assert len({f.reveals for f in module.findings}) >= 8


def test_the_review_voice_is_kept_for_the_reviews_own_words(module, data):
    seed_ids = {s["id"] for s in data["sources"] if is_seed(s)}
    press_ids = {s.id for s in module.sources if s.kind == "press"}
    for finding in module.findings:
        if finding.voice != "review":
            continue
        # Only the reviews' words as the article prints them: a quote from the seed.
        assert finding.source in seed_ids and finding.quote, finding.id
        assert "reporter" not in (finding.locator or ""), finding.id
    for finding in module.findings:
        if finding.source in press_ids and finding.source not in seed_ids:
            assert finding.voice != "review", f"{finding.id}: a press report is not the review"


def test_comment_and_other_official_findings_say_who_spoke(module):
    by_speaker = {
        "NSPCC": "comment",
        "Sun": "comment",
        "minister": "comment",
        "General Medical Council": "inquiry",
        "General Social Care Council": "inquiry",
        "Ofsted": "inquiry",
        "Care Quality Commission": "inquiry",
        "Inspectorate of Constabulary": "inquiry",
        "joint area review": "inquiry",
    }
    seen = set()
    for finding in module.findings:
        if finding.voice in ("comment", "inquiry"):
            assert finding.said_by, f"{finding.id}: say who spoke"
        for speaker, voice in by_speaker.items():
            if speaker in (finding.said_by or ""):
                assert finding.voice == voice, f"{finding.id}: {speaker} is {voice}"
                seen.add(speaker)
    assert seen == set(by_speaker), f"not every speaker is heard: {set(by_speaker) - seen}"


def test_every_stage_with_decisions_has_an_iso_date_and_a_label(module):
    for stage in module.stages:
        if stage.decisions:
            assert stage.date and parse_date(stage.date), f"{stage.id}: ISO date"
            assert stage.date_label, f"{stage.id}: a date the trainee reads"
    dates = [parse_date(s.date) for s in module.stages if s.date]
    for earlier, later in zip(dates, dates[1:], strict=False):
        assert not is_later(earlier, later), "stages in date order"
    assert module.stages[0].date.startswith("2006-12")
    assert module.stages[-1].date.startswith("2007-08")


# ------------------------------------------------------------------ what the trainee sees first

GIVEAWAYS = ("bruis", "injur", "threshold", "not met", "death", "died", "foster", "friend", "doubt")


def test_titles_and_summary_give_nothing_away(module):
    for stage in module.stages:
        lowered = stage.title.lower()
        assert not any(word in lowered for word in GIVEAWAYS), f"title {stage.title!r}"
    summary = module.summary.lower()
    assert not any(word in summary for word in GIVEAWAYS), "the summary"
    assert "died" in module.content_warning, "the warning says what trainees consent to"


def test_the_support_text_gives_the_lines_a_trainee_may_need_and_speaks_to_lived_experience(module):
    support = module.support or ""
    numbers = re.findall(r"\d[\d ]{4,}\d", support)
    # Adults abused as children, a child at risk now (and the police for immediate danger),
    # and the 24-hour line, in that order: the crisis line is the last read.
    assert numbers == ["0808 801 0331", "0808 800 5000", "116 123"]
    assert "NAPAC" in support and "NSPCC" in support and "999" in support
    assert "worried about a child now" in support
    assert "Samaritans" in support and "day or night" in support
    assert "own experience" in support


def test_the_case_module_has_what_the_brief_asks(module):
    decisions = [d for s in module.stages for d in s.decisions]
    scored = [d for d in decisions if d.scored]
    assert len(scored) >= 10
    assert {d.kind for d in decisions} == {"single", "multiple", "text", "rank"}
    assert sum(d.asks_confidence for d in decisions) >= 10
    assert any(d.reason_prompt for d in decisions)
    assert len(module.glossary) >= 30
    assert module.content_warning and module.support and module.hindsight_note
    assert module.objectives
    april = [s for s in module.stages if (s.date or "").startswith("2007-04")]
    # The central question, where Peter goes in April, without the review's own phrase in the
    # prompt (a trainee who has read the press would recognise it): foster care is an answer.
    central = [d for s in april for d in s.decisions if d.kind == "single"]
    assert central and all("foster care" not in d.prompt.lower() for d in central)
    assert any(
        o.verdict == "aligned" and "foster care" in o.text.lower()
        for d in central
        for o in d.options
    )


# ------------------------------------------------------------------ the decisions


def test_a_rank_decision_orders_its_options_with_the_panels_reasons(module):
    ranks = [d for s in module.stages for d in s.decisions if d.kind == "rank"]
    assert ranks
    for decision in ranks:
        assert 3 <= len(decision.options) <= 9
        assert sorted(o.rank for o in decision.options) == list(range(1, len(decision.options) + 1))
        assert all(o.feedback and o.verdict is None for o in decision.options)
        assert decision.scored


def test_what_was_done_is_marked_and_is_not_always_wrong(module):
    marked = [
        (d, d.happened)
        for s in module.stages
        for d in s.decisions
        if d.scored and d.happened is not None
    ]
    assert len(marked) >= 6, "what was done at the time, wherever the record says"
    assert any(option.verdict == "aligned" for _, option in marked)
    # Not a tell: a trainee who simply avoids what was done must not score well by it.
    contrary = [d.id for d, option in marked if option.verdict == "contrary"]
    assert len(contrary) <= 0.6 * len(marked), f"what was done is contrary in {contrary}"


def test_a_rank_decision_is_never_presented_as_the_reviews_order(module):
    # The reviews set out no order of first steps: the prompt and every rationale say whose it is.
    for decision in (d for s in module.stages for d in s.decisions if d.kind == "rank"):
        assert "this module's suggested order" in decision.prompt
        assert "did not set out such a list" in decision.prompt
        for option in decision.options:
            assert option.feedback.startswith("This module's order, not the review's."), option.id


def test_opinion_and_routing_questions_are_polls_without_verdicts(module):
    polls = [
        d
        for s in module.stages
        for d in s.decisions
        if d.kind in ("single", "multiple") and not d.scored
    ]
    assert {d.id for d in polls} >= {"include-gp", "turning-point"}
    for decision in polls:
        assert all(o.verdict is None for o in decision.options), decision.id
        assert not decision.judged


def test_the_written_answer_is_compared_by_ticked_concepts(module):
    texts = [d for s in module.stages for d in s.decisions if d.kind == "text"]
    assert texts
    for decision in texts:
        assert decision.scoring == "self" and decision.claims_concepts
        assert len(decision.rubric) >= 4
        assert all(c.label and c.finding for c in decision.rubric)


def test_the_debrief_follows_pearls_and_the_systems_approach(module):
    text = module.debrief.text or ""
    prompts = module.debrief.prompts
    assert text.startswith("\nBefore anything else: how are you?") or text.startswith(
        "Before anything else: how are you?"
    )
    assert "feeling" in prompts[0], "the prompts open with reactions"
    assert "one thing you will do differently" in prompts[-1].lower(), "and close with practice"
    conditions = [
        "family and friends",
        "conference decisions",
        "records not linked",
        "consultants",
        "handover",
        "administrative errors",
        "agency staff",
        "caseloads",
    ]
    counterweights = [
        "well motivated",
        "demand for blame",
        "Hindsight bias",
        "numerous examples of good practice",
        "Ofsted judged that review inadequate",
    ]
    for phrase in conditions + counterweights:
        assert phrase in text, f"the debrief names {phrase!r}"
    for then_and_now in ("Working Together 2006", "Public Law Outline", "Re B", "Williams"):
        assert then_and_now in text
    assert "changed after Peter's death" not in text


# ------------------------------------------------------------------ hindsight and fairness


def test_the_glossary_gives_the_law_and_the_terms_not_the_answers(module):
    # Reachable with g at every stage: a definition must not answer a decision before it is made.
    answers = (
        "does not mean",  # a decision not to charge and the threshold (stages 3, 7, 9)
        "depends on the adults",  # the safety plan (stage 7)
        "different question",  # the developmental assessment (stage 11)
        "shapes what",  # how a referral is worded (stage 11)
        "may not be independent",  # the carers in an injury case (stage 1)
        "the local authority decides",  # legal advice and the decision (stage 9)
    )
    for entry in module.glossary:
        for answer in answers:
            assert answer not in entry.definition, f"{entry.term}: {answer!r}"


def test_the_last_stage_tells_only_what_the_social_worker_could_know(module):
    final = next(s for s in module.stages if s.id == "final-visits")
    documents = [d for d in module.documents if d.from_stage == "final-visits"]
    before = final.narrative + "".join(d.title + d.text for d in documents)
    # The consultants' warning went to the hospital trust's managers; it became public in 2009.
    assert "consultant" not in before
    assert "consultants had warned" in (final.outcome or "")
    # The 30 July visit is a decision, with what the public record says was seen.
    assert "smeared with chocolate" in final.narrative
    visit = final.decisions[0]
    assert visit.scored and "face" in visit.prompt
    assert any(o.happened for o in visit.options)
    assert "Crown Prosecution Service" in (final.outcome or "")


def test_the_harshest_reported_finding_stands_beside_the_kindest(module):
    looking_back = module.stages[-1]
    assert {"incompetence-reported", "chair-well-motivated"} <= set(looking_back.outcome_findings)
    text = module.debrief.text or ""
    assert "incompetence of almost all the staff" in text and "well motivated" in text


# ------------------------------------------------------------------ paths


def answers(decision: Decision) -> list[Response]:
    """One answer per place this decision can lead; a rank answer in the panel's order."""
    confidence = 3 if decision.asks_confidence else None
    reason = "for the child" if decision.asks_reason else None
    if decision.kind == "text":
        return [Response(text="every adult, the child", confidence=confidence)]
    if decision.kind == "rank":
        return [Response(decision.panel_order, None, confidence, reason)]
    by_target: dict[str | None, Response] = {}
    for option in decision.options:
        by_target.setdefault(option.next, Response([option.id], None, confidence, reason))
    return list(by_target.values())


def walk(module: Module) -> list[list[str]]:
    """Every stage path through the module, each played to its end."""
    finished: list[list[str]] = []

    def explore(pt: PlayThrough) -> None:
        pt = play(pt, lambda deciding: None)
        if pt.finished:
            finished.append([s.id for s in pt.path])
            return
        decision = pt.next_decision
        assert decision is not None
        for response in answers(decision):
            explore(
                pt.respond(response.choice, response.text, response.confidence, response.reason)
            )

    explore(PlayThrough(module))
    return finished


def test_the_final_visits_are_on_every_path(module):
    paths = walk(module)
    assert len(paths) == 2, "with the GP stage and without it"
    for path in paths:
        assert "final-visits" in path and path[-1] == "looking-back"
        assert path.index("final-visits") > path.index("legal-meeting")
    assert any("gp-consultation" in p for p in paths)
    assert any("gp-consultation" not in p for p in paths)


def test_the_review_aligned_path_scores_full_marks_except_what_is_ticked(module):
    def aligned(deciding) -> Response:
        decision = deciding.decision
        confidence = 3 if decision.asks_confidence else None
        reason = "for the child" if decision.asks_reason else None
        if decision.kind == "text":
            every = [c.id for c in decision.rubric]
            return Response(text="an answer", confidence=confidence, concepts_ticked=every)
        if decision.kind == "rank":
            return Response(decision.panel_order, None, confidence, reason)
        if not decision.judged:
            return Response([decision.options[0].id], None, confidence, reason)
        best = [o.id for o in decision.options if o.verdict == "aligned"]
        return Response(best if decision.kind == "multiple" else best[:1], None, confidence, reason)

    pt = play(PlayThrough(module), aligned)
    assert pt.finished and pt.module_score == pytest.approx(1.0)


# ------------------------------------------------------------------ names

NAMES = ["Tracey", "Barker", "Owen", "Shoesmith"]


def test_the_household_is_named_by_the_reviews_labels(data):
    # The adults are Ms A and Mr H, as the reviews call them; only quotations keep other words.
    text = CASE.read_text(encoding="utf-8")
    for quote in {f.get("quote", "") for f in data["findings"]}:
        text = text.replace(quote, "")
    for name in NAMES:
        assert name not in text, f"{name} appears outside a quotation"
    assert "Ms A" in text and "Mr H" in text


def test_practitioners_are_named_by_role_only():
    # Titles before a name are kept for the reviews' labels; public figures go by full name.
    text = CASE.read_text(encoding="utf-8")
    titled = set(re.findall(r"\b(?:Mr|Ms|Mrs|Miss|Dr)\.? [A-Z][A-Za-z]*", text))
    assert titled <= {"Ms A", "Mr H"}, f"named by title: {sorted(titled - {'Ms A', 'Mr H'})}"
