"""What the screens say, as text: whose order a rank is, findings referred to rather than
quoted again, a branch past a stage, the glossary so far, unticked suggestions, and wrapped
lines that keep their indent."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from tests.records import replace
from trainer.cohort.peers import DecisionTally, OptionTally
from trainer.content import load_module
from trainer.engine import Feedback, Module, Outcome, PlayThrough
from trainer.engine.autoplay import Response, play
from trainer.tui.hanging import HangingText, hang_of, hanging
from trainer.tui.render import (
    feedback_text,
    glossary_text,
    outcome_text,
    peers_text,
    review_text,
    stage_header,
)
from trainer.tui.widgets.steps import option_text

ROOT = Path(__file__).parents[2]
TUTORIAL = load_module(ROOT / "modules" / "tutorial-riverside.toml")
CASE = load_module(ROOT / "modules" / "peter-connelly-haringey.toml")
SAMPLE = load_module(ROOT / "tests" / "fixtures" / "format2.toml")

SAMPLE_PLAN = {
    "first": Response(["visit"], confidence=4),
    "priorities": Response(["see-alone", "records", "strategy", "letter-home"]),
    "comfort": Response(["uneasy"]),
    "meeting": Response(["see-at-school", "conference"]),
    "differently": Response(text="I believed her", confidence=2, concepts_ticked=()),
    "notes": Response(text="for me"),
}


def plain(text: Text) -> str:
    """The text with its lines' breaks folded, as a reader follows it."""
    return " ".join(text.plain.split())


def at_feedback(module: Module, plan: dict, decision_id: str) -> tuple[PlayThrough, Feedback]:
    """Play until the feedback on `decision_id`."""
    pt = PlayThrough(module)
    while True:
        facing = pt.facing()
        if isinstance(facing, Feedback) and facing.decision.id == decision_id:
            return pt, facing
        pt = play_one(pt, plan)


def play_one(pt: PlayThrough, plan: dict) -> PlayThrough:
    """One move of the scripted play."""
    facing = pt.facing()
    if isinstance(facing, Feedback | Outcome):
        return pt.proceed()
    if facing.__class__.__name__ == "Reading":
        return pt.finish_reading()
    response = plan[facing.decision.id]
    return pt.respond(
        response.choice, response.text, response.confidence, response.reason, response.concepts_ticked
    )


def with_order_label(module: Module, label: str) -> Module:
    """The module with its rank decision's order named `label`."""
    stages = []
    for stage in module.stages:
        decisions = tuple(
            replace(d, order_label=label) if d.kind == "rank" else d
            for d in stage.decisions
        )
        stages.append(replace(stage, decisions=decisions))
    return replace(module, stages=tuple(stages))


# -- whose order a rank is ---------------------------------------------------------------------


def test_rank_feedback_names_the_modules_suggested_order_never_the_review_panels():
    pt, facing = at_feedback(SAMPLE, SAMPLE_PLAN, "priorities")
    text = plain(feedback_text(SAMPLE, facing.decision, facing.answer, facing.assessment))
    assert "This module's suggested order, and the place you gave each" in text
    assert "1. See Mia on her own. (yours: 1)" in text
    assert "2. Hold a strategy discussion with the police. (yours: 3)" in text
    assert "review panel" not in text.casefold() and "Panel 1" not in text


def test_rank_feedback_names_the_order_as_the_decision_does():
    module = with_order_label(SAMPLE, "the review's order")
    pt, facing = at_feedback(module, SAMPLE_PLAN, "priorities")
    text = plain(feedback_text(module, facing.decision, facing.answer, facing.assessment))
    assert "The review's order, and the place you gave each" in text


def test_the_preview_names_a_rank_options_place_in_the_order_as_the_decision_does():
    decision = SAMPLE.decision("priorities")[1]
    first = next(o for o in decision.options if o.rank == 1)
    shown = plain(option_text(first, preview=True, order_label=decision.order_label))
    assert shown.startswith(f"{first.text} Place in this module's suggested order: 1 ·")
    named = plain(option_text(first, preview=True, order_label="the review's order"))
    assert named.startswith(f"{first.text} Place in the review's order: 1 ·")
    assert "panel" not in (shown + named).casefold()
    assert plain(option_text(first, preview=False)) == first.text, "a trainee sees no place"


def test_the_path_review_and_the_peers_name_the_order_too():
    done = play(PlayThrough(SAMPLE), lambda deciding: SAMPLE_PLAN[deciding.decision.id])
    review = plain(review_text(done, detailed=True))
    assert "This module's suggested order: See Mia on her own., Hold a strategy" in review
    assert "panel's order" not in review
    decision = SAMPLE.decision("priorities")[1]
    tally = DecisionTally(
        decision,
        answered=3,
        options=tuple(
            OptionTally(o.id, o.text, 3, 1.0, rank=o.rank, mean_position=float(o.rank or 0))
            for o in decision.options
        ),
    )
    peers = plain(peers_text(tally, 3))
    assert "This module's suggested order, with the average place your cohort gave" in peers
    assert "1. See Mia on her own. (cohort: 1.0)" in peers
    assert "panel" not in peers.casefold()


# -- findings referred to, not quoted again ---------------------------------------------------

CASE_PLAN = {
    "where-now": Response(["foster-carers"], confidence=3, reason="safe"),
    "conference-decision": Response(["register-and-proceedings"], confidence=3),
    "go-home": Response(["written-agreement"], confidence=3, reason="who is there"),
    "the-man": Response(["ask-details", "agency-checks"], confidence=3, reason="ask him"),
    "foster-care": Response(["foster-now"], confidence=3, reason="second injury"),
    "april-priorities": Response(
        [
            "safe-tonight",
            "police-strategy",
            "cp-medical",
            "who-cares-for-him",
            "legal-planning",
            "clinic-letter",
        ],
        confidence=3,
    ),
}
QUOTE = "He needs to be checked out and his involvement with and relationship to"


def test_a_finding_quoted_with_an_earlier_answer_is_not_quoted_again():
    pt, facing = at_feedback(CASE, CASE_PLAN, "the-man")
    args = (CASE, facing.decision, facing.answer, facing.assessment)
    assert QUOTE in plain(feedback_text(*args)), "without the play-through, quoted in full"
    text = plain(feedback_text(*args, pt=pt))
    assert "The review said the man needed to be checked" in text
    assert QUOTE not in text
    assert "(Quoted in full earlier.)" in text
    # Its source is still named, as the review's words quoted by the press.
    assert "— the review's words, quoted in The Independent (Press Association), 26 October" in text


def test_an_outcome_refers_once_to_the_findings_shown_with_its_stages_answers():
    pt = PlayThrough(CASE)
    while not (isinstance(pt.facing(), Outcome) and pt.facing().stage.id == "april-2007"):
        pt = play_one(pt, CASE_PLAN)
    stage = CASE.stage("april-2007")
    text = plain(outcome_text(CASE, stage, pt=pt))
    assert text.count("The findings shown with your answers apply here too.") == 1
    assert "As shown with your answer" not in text
    # Both findings were shown with the answers: neither is quoted again.
    assert "officials should have placed him" not in text
    # What happened names the report it draws on, in its own words on the screen.
    told = plain(Text(stage.outcome or ""))
    assert told in text
    assert "The Press Association's report of 26 October 2010, in The Independent" in told
    assert "According to the article" not in told and "As the article" not in told


# -- a branch past a stage ------------------------------------------------------------------

TUTORIAL_PLAN = {
    "first-response": Response(["strategy-and-medical"], confidence=4, reason="not mobile"),
    "first-steps": Response(["strategy", "medical", "ask-again"]),
    "the-visitor": Response(["ask-name"], confidence=4),
}


def test_the_header_says_which_stages_the_path_went_past_by_number_only():
    pt = play(PlayThrough(TUTORIAL), lambda deciding: TUTORIAL_PLAN.get(deciding.decision.id))
    home = TUTORIAL.stage("home")
    header = stage_header(TUTORIAL, home, pt=pt).plain
    assert header.startswith("Stage 3 of 4 · March 2025 · stage 2 is not on your path\n")
    assert "second call" not in header  # the title of a stage not reached never shows
    assert "not on your path" not in stage_header(TUTORIAL, TUTORIAL.stage("bruise"), pt=pt).plain
    assert "not on your path" not in stage_header(TUTORIAL, home).plain


# -- the glossary so far --------------------------------------------------------------------


def test_the_trainees_glossary_has_only_the_terms_used_so_far_the_facilitators_all():
    pt = PlayThrough(CASE)
    text = plain(glossary_text(CASE, pt))
    assert "Terms used in the case so far; more are added as you go on." in text
    assert "strategy discussion" in text
    assert "standard of proof" not in text and "Re B (2008)" not in text
    everything = plain(glossary_text(CASE))
    assert "standard of proof" in everything and "so far" not in everything


# -- a suggestion left unticked -------------------------------------------------------------


def test_an_unticked_suggestion_says_so():
    plan = {**SAMPLE_PLAN, "differently": Response(text="I did not see her alone", confidence=2, concepts_ticked=())}
    pt, facing = at_feedback(SAMPLE, plan, "differently")
    text = plain(feedback_text(SAMPLE, facing.decision, facing.answer, facing.assessment))
    assert "[ ] See the child alone (suggested from your words, not ticked)" in text


# -- hanging indents ------------------------------------------------------------------------


def test_the_screens_texts_are_drawn_with_hanging_indents():
    pt, facing = at_feedback(CASE, CASE_PLAN, "the-man")
    body = feedback_text(CASE, facing.decision, facing.answer, facing.assessment, pt=pt)
    assert isinstance(body, HangingText)
    lines = body.visualize().wrapped(40).plain.splitlines()
    # Every line of an indented paragraph wraps to its indent, never to the margin.
    for before, line in zip(lines, lines[1:], strict=False):
        if before.startswith("  ") and len(before) > 30 and line and not line.startswith(" "):
            raise AssertionError(f"{before!r} then {line!r}")


def test_a_wrapped_item_goes_on_under_its_first_word():
    text = hanging(Text("  • Use the app: read a stage, open a document, decide, and read it."))
    assert text.visualize().wrapped(40).plain.splitlines() == [
        "  • Use the app: read a stage, open a",
        "    document, decide, and read it.",
    ]
    quoted = hanging(Text("  “a quotation that runs on past the end of one line”"))
    assert quoted.visualize().wrapped(30).plain.splitlines()[1].startswith("   ")
    assert [hang_of(s) for s in ("  1. x", "[x] y", "plain", "  — cite")] == [5, 4, 0, 4]
