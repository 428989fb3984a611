"""One answer's review, worked out once: the one citation rule (the app's, the save's and the
report's citations agree), findings by voice, and the facts every presenter lays out."""

from __future__ import annotations

from pathlib import Path

from trainer.content import load_module
from trainer.debrief_markdown import debrief_markdown
from trainer.engine import Answer, Finding, LinkedFinding, PlayThrough, Source
from trainer.engine.autoplay import Response, play
from trainer.review.answer_review import AnswerReview, by_voice
from trainer.review.citation import citation, cite, reader_locator, source_citation
from trainer.review.words import NOT_JUDGED_WORDS, answer_verdict_said, verdict_said
from trainer.saves.format import FindingInfo
from trainer.texts.feedback import review_text

ROOT = Path(__file__).parents[1]
SAMPLE = load_module(ROOT / "tests" / "fixtures" / "format2.toml")
PLAN = {
    "first": Response(["visit"], confidence=4),
    "priorities": Response(["see-alone", "records", "strategy", "letter-home"]),
    "comfort": Response(["uneasy"]),
    "meeting": Response(["see-at-school"]),
    "differently": Response(text="I believed her", confidence=2, concepts_ticked=()),
    "notes": Response(text="for me"),
}
PAPER = Source("paper", "Report reveals failings", publisher="The Paper", date="2010", kind="press")
REVIEW = Source("scr", "Serious case review", publisher="The Board", date="2009", kind="review")


def finding(**given: str) -> Finding:
    return Finding(**{"id": "f", "text": "Something was missed.", "source": "scr", **given})


def test_a_citation_gives_publisher_date_and_title_and_as_much_locator_as_asked():
    linked = LinkedFinding(finding(locator="paragraph 3.2; line 40 of the saved page"), REVIEW)
    assert citation(linked, "none") == "The Board, 2009, “Serious case review”"
    assert citation(linked) == "The Board, 2009, “Serious case review”, paragraph 3.2"
    assert citation(linked, "full") == (
        "The Board, 2009, “Serious case review”, paragraph 3.2; line 40 of the saved page"
    )
    assert reader_locator("line 40 of the saved page") is None


def test_who_said_it_comes_first_and_the_reviews_words_in_the_press_are_said_to_be_quoted():
    said = LinkedFinding(finding(said_by="the NSPCC", voice="comment", source="paper"), PAPER)
    assert citation(said, "none") == "the NSPCC, in The Paper, 2010, “Report reveals failings”"
    quoted = LinkedFinding(finding(voice="review", source="paper"), PAPER)
    assert citation(quoted, "none") == (
        "the review's words, quoted in The Paper, 2010, “Report reveals failings”"
    )
    missing = LinkedFinding(finding(source="gone"), None)
    assert citation(missing, "none") == "gone"


def test_the_save_and_the_report_cite_a_finding_as_the_app_does():
    """The save records the source by the same rule, and the report cites the record so."""
    for source, given in (
        (REVIEW, {"locator": "section 4", "said_by": "the panel"}),
        (REVIEW, {"locator": "line 12"}),
        (None, {"source": "unknown-source"}),
    ):
        found = finding(**given)
        info = FindingInfo.of(found, source)
        assert info.source == source_citation(source, found.source)
        cited = cite(info.source, info.locator, info.said_by)
        assert cited == citation(LinkedFinding(found, source), "full")


def test_findings_are_grouped_by_voice_in_the_briefs_order_and_empty_voices_left_out():
    comment = LinkedFinding(finding(id="c", voice="comment"), REVIEW)
    own = LinkedFinding(finding(id="r"), REVIEW)  # a format 1 finding is the review's
    reported = LinkedFinding(finding(id="p", voice="review-reported"), PAPER)
    groups = by_voice([comment, own, reported])
    assert [g.heading for g in groups] == [
        "What the review found",
        "The review, as reported",
        "Comment",
    ]
    assert [[f.finding.id for f in g.findings] for g in groups] == [["r"], ["p"], ["c"]]


def test_a_verdict_is_said_with_its_sign_and_an_answer_not_judged_is_never_contrary():
    assert verdict_said("aligned") == "✓ Aligned with the review"
    assert verdict_said("odd") == "? odd"
    unjudged = Answer("s", "d", "Which?", "single", verdict="")
    assert answer_verdict_said(unjudged) == f"– {NOT_JUDGED_WORDS}"
    assert AnswerReview(unjudged).verdict_said == f"– {NOT_JUDGED_WORDS}"
    assert AnswerReview(None).verdict_said == ""


def played() -> PlayThrough:
    return play(PlayThrough(SAMPLE), lambda facing: PLAN[facing.decision.id])


def test_a_rank_answers_review_places_each_option_in_the_modules_order_beside_the_trainees():
    row = next(r for r in played().review() if r.decision.id == "priorities")
    review = AnswerReview.of(row)
    assert row.assessment is not None
    assert [p.option.id for p in review.places] == [o.id for o in row.assessment.panel_order]
    mine = ["see-alone", "records", "strategy", "letter-home"]
    assert [p.yours for p in review.places] == [
        mine.index(p.option.id) + 1 for p in review.places
    ]
    assert review.order_name == row.decision.order_label[:1].upper() + row.decision.order_label[1:]


def test_a_multiple_answers_review_names_the_aligned_options_left_out_as_the_save_has_them():
    row = next(r for r in played().review() if r.decision.id == "meeting")
    review = AnswerReview.of(row)
    assert row.answer is not None and row.answer.judged
    aligned = [t for i, t, v in row.answer.options if v == "aligned" and i != "see-at-school"]
    assert review.left_out == tuple(aligned)
    assert aligned, "the fixture's meeting decision has an aligned option left out"
    markdown = debrief_markdown(played(), "Ann", 1, "now")
    assert "- Options aligned with the review that you left out:" in markdown


def test_every_presenter_says_an_answer_not_judged_in_the_same_words():
    pt = played()
    notes = next(r for r in pt.review() if r.decision.id == "notes")
    assert notes.answer is not None and not notes.answer.judged
    assert NOT_JUDGED_WORDS in debrief_markdown(pt, "Ann", 1, "now")
    assert NOT_JUDGED_WORDS in review_text(pt, detailed=False).plain
    assert AnswerReview.of(notes).compared is None
