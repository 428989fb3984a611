"""What a trainee has been shown so far: the stages a branch went past, the findings already
quoted, and the glossary terms the case has used (trainer.engine.seen)."""

from __future__ import annotations

from pathlib import Path

from trainer.content import load_module
from trainer.engine import (
    PlayThrough,
    findings_shown_before,
    findings_shown_with,
    glossary_seen,
    skipped_before,
)
from trainer.engine.autoplay import Response, play

MODULES = Path(__file__).parents[2] / "modules"
TUTORIAL = load_module(MODULES / "tutorial-riverside.toml")
CASE = load_module(MODULES / "peter-connelly-haringey.toml")


def until(module, answers, stop):
    """Play `module` with `answers` (decision id: Response), stopping at decision `stop`."""
    return play(
        PlayThrough(module),
        lambda deciding: None if deciding.decision.id == stop else answers[deciding.decision.id],
    )


TUTORIAL_ALIGNED = {
    "first-response": Response(["strategy-and-medical"], confidence=4, reason="not mobile"),
    "first-steps": Response(["strategy", "medical", "ask-again"]),
    "second-response": Response(["second-strategy"], confidence=4),
    "the-visitor": Response(["ask-name", "checks"], confidence=4),
    "how-it-feels": Response(["uneasy"]),
    "visit-note": Response(text="I saw the man leave; Ruby asleep."),
}


def test_a_branch_past_a_stage_is_told_by_its_number_at_the_stage_after_it():
    pt = until(TUTORIAL, TUTORIAL_ALIGNED, "the-visitor")
    home = TUTORIAL.stage("home")
    assert [s.id for s in pt.path] == ["bruise", "home"]
    assert skipped_before(pt, home) == (2,)
    assert skipped_before(pt, TUTORIAL.stage("bruise")) == ()


def test_no_stage_is_passed_on_a_path_through_every_stage():
    answers = {**TUTORIAL_ALIGNED, "first-response": Response(["advice-only"], confidence=4, reason="r")}
    pt = until(TUTORIAL, answers, "the-visitor")
    assert [s.id for s in pt.path] == ["bruise", "second-call", "home"]
    assert all(skipped_before(pt, stage) == () for stage in pt.path)


def test_a_stage_not_reached_has_nothing_passed_before_it():
    pt = PlayThrough(TUTORIAL)
    assert skipped_before(pt, TUTORIAL.stage("home")) == ()


def test_findings_quoted_with_earlier_answers_are_known_at_later_feedback():
    case_answers = {
        "where-now": Response(["foster-carers"], confidence=3, reason="safe"),
        "conference-decision": Response(["register-and-proceedings"], confidence=3),
        "go-home": Response(["written-agreement"], confidence=3, reason="who is there"),
        "the-man": Response(["ask-details", "agency-checks"], confidence=3, reason="ask him"),
    }
    pt = until(CASE, case_answers, "foster-care")
    spring = CASE.stage("spring-2007")
    # Stage 3's answer quoted the review on the man; stage 4's feedback then refers to it.
    before = findings_shown_before(pt, spring, "the-man")
    assert {"hovering-not-known", "checked-out"} <= before
    assert "hovering-not-known" in findings_shown_with(pt, spring)
    # The outcomes of the stages before count too; this stage's own answers do not.
    assert "friend-placement" in findings_shown_before(pt, CASE.stage("return-home"))
    first = CASE.stage("hospital-referral")
    assert findings_shown_before(pt, first, "where-now") == frozenset()


def test_the_glossary_holds_only_terms_the_case_has_used():
    fresh = PlayThrough(CASE)
    terms = {entry.term for entry in glossary_seen(fresh)}
    assert "strategy discussion" in terms  # in the first stage's narrative
    # A legal point the case reaches only at the legal planning meeting is not explained yet.
    assert "standard of proof" not in terms and "legal planning meeting" not in terms
    assert "threshold criteria" not in terms
    later = until(
        CASE,
        {
            "where-now": Response(["foster-carers"], confidence=3, reason="safe"),
            "conference-decision": Response(["register-and-proceedings"], confidence=3),
            "go-home": Response(["home-under-plan"], confidence=3, reason="she cooperates"),
        },
        "the-man",
    )
    grown = {entry.term for entry in glossary_seen(later)}
    assert terms < grown and "disguised compliance" in grown  # from the January feedback


def test_the_whole_glossary_once_the_module_is_finished():
    done = play(PlayThrough(TUTORIAL), lambda deciding: TUTORIAL_ALIGNED[deciding.decision.id])
    assert done.finished and glossary_seen(done) == TUTORIAL.glossary
