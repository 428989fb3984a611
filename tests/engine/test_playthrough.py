"""The play-through: position, order, branching, unscored decisions, state and resume."""

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from tests.engine.fixture import fixture_module
from trainer.engine import PlayThrough
from trainer.engine.playthrough import format_time
from trainer.errors import AnswerError

MODULE = fixture_module()


def fixed_clock():
    return datetime(2026, 11, 25, 10, 0, 0, 123456, tzinfo=UTC)


def play(pt: PlayThrough, plan: dict[str, dict]) -> None:
    """Answer whatever is due from `plan` and move on, until the module ends."""
    while not pt.finished:
        decision = pt.next_decision
        if decision is None:
            pt.continue_()
            continue
        pt.answer(decision.id, **plan[decision.id])


ALIGNED = {
    "d-single": {"choice": ["a"], "confidence": 4, "reflection": "the child"},
    "d-multiple": {"choice": ["m1", "m2"]},
    "d-unscored": {"choice": ["u1"]},
    "d-text": {"text": "every adult, challenge, focus on the child, share information"},
}


def test_start_position():
    pt = PlayThrough(MODULE)
    assert pt.current_stage.id == "s1"
    assert pt.next_decision.id == "d-single"
    assert not pt.finished and pt.module_score is None


def test_aligned_path_visits_every_stage_through_stage_next():
    pt = PlayThrough(MODULE, clock=fixed_clock)
    play(pt, ALIGNED)
    assert [s.id for s in pt.path] == ["s1", "s2", "s3", "s4"]
    assert pt.module_score == 1.0
    assert pt.finished and pt.current_stage is None


def test_option_next_branches_past_a_stage():
    pt = PlayThrough(MODULE)
    play(pt, {**ALIGNED, "d-single": {"choice": ["c"], "confidence": 1}})
    assert [s.id for s in pt.path] == ["s1", "s3", "s4"]
    # the mean of the scored decisions on the path: 0 and 1
    assert pt.module_score == 0.5


def test_branching_looks_at_the_last_decision_first():
    # d-unscored (the stage's last decision) sends to s4, overriding the stage's own next (s3)
    pt = PlayThrough(MODULE)
    play(pt, {**ALIGNED, "d-unscored": {"choice": ["u2"]}})
    assert [s.id for s in pt.path] == ["s1", "s2", "s4"]


def test_unscored_decision_is_recorded_but_left_out_of_the_score():
    pt = PlayThrough(MODULE)
    play(pt, {**ALIGNED, "d-unscored": {"choice": ["u2"]}})
    unscored = pt.answer_for("d-unscored")
    assert unscored.scored is False and unscored.verdict == "contrary" and unscored.score == 0
    assert pt.module_score == 1.0


def test_a_stage_without_decisions_waits_for_continue():
    pt = PlayThrough(MODULE)
    play_until = {**ALIGNED}
    pt.answer("d-single", **play_until["d-single"])
    pt.continue_()
    pt.answer("d-multiple", **play_until["d-multiple"])
    pt.answer("d-unscored", **play_until["d-unscored"])
    assert pt.next_decision is None and pt.current_stage.id == "s2"  # outcome due
    assert pt.continue_().id == "s3"
    assert pt.next_decision is None
    assert pt.continue_().id == "s4"


def test_decisions_come_in_order_and_once():
    pt = PlayThrough(MODULE)
    with pytest.raises(AnswerError, match="due now is 'd-single'"):
        pt.answer("d-multiple", choice=["m1"])
    pt.answer("d-single", choice=["a"], confidence=3)
    with pytest.raises(AnswerError, match="no decision is due"):
        pt.answer("d-single", choice=["a"], confidence=3)
    with pytest.raises(AnswerError):
        PlayThrough(MODULE).continue_()  # decisions still to answer


def test_confidence_is_asked_where_the_decision_says_and_ranges_1_to_5():
    pt = PlayThrough(MODULE)
    with pytest.raises(AnswerError, match="how sure"):
        pt.answer("d-single", choice=["a"])
    for bad in (0, 6):
        with pytest.raises(AnswerError, match="1 to 5"):
            pt.answer("d-single", choice=["a"], confidence=bad)
    assert pt.answers == []  # nothing recorded by a refused answer


def test_continue_after_the_end_is_refused():
    pt = PlayThrough(MODULE)
    play(pt, ALIGNED)
    with pytest.raises(AnswerError, match="finished"):
        pt.continue_()


def test_answer_records_everything_exports_need():
    pt = PlayThrough(MODULE, clock=fixed_clock)
    pt.answer("d-single", choice=["p"], confidence=2, reflection="because")
    answer = pt.answer_for("d-single")
    assert answer.stage_id == "s1" and answer.prompt == "What now?" and answer.kind == "single"
    assert answer.choice == ("p",) and answer.choice_texts == ("Wait a little",)
    assert answer.reflection == "because" and answer.confidence == 2
    assert (answer.verdict, answer.score, answer.scored) == ("partial", 0.5, True)
    assert answer.answered_at == "2026-11-25T10:00:00.123Z"
    assert [o[0] for o in answer.options] == ["a", "p", "c"]
    assert answer.findings == ("f-act",)
    assert answer.missed_findings == ("f-act",)


def test_state_round_trips_through_json():
    pt = PlayThrough(MODULE, clock=fixed_clock)
    pt.answer("d-single", choice=["a"], confidence=5, reflection="child first")
    pt.continue_()
    pt.answer("d-multiple", choice=["m1", "m3"])
    state = json.loads(json.dumps(pt.to_state()))
    again = PlayThrough.from_state(MODULE, state)
    assert again.answers == pt.answers
    assert again.next_decision.id == "d-unscored"
    assert again.to_state() == pt.to_state()


def test_resume_at_the_first_unanswered_decision_after_quitting_mid_stage():
    pt = PlayThrough(MODULE)
    pt.answer("d-single", choice=["a"], confidence=5)
    pt.continue_()
    pt.answer("d-multiple", choice=["m1"])
    again = PlayThrough.from_state(MODULE, pt.to_state())
    assert again.current_stage.id == "s2" and again.next_decision.id == "d-unscored"


def test_a_module_edited_since_still_resumes_where_its_ids_exist():
    pt = PlayThrough(MODULE)
    pt.answer("d-single", choice=["a"], confidence=5)
    pt.continue_()
    # The new version drops stage s2's first decision and adds a new first stage decision.
    s1, s2, s3, s4 = MODULE.stages
    edited = dataclasses.replace(
        MODULE, stages=(s1, dataclasses.replace(s2, decisions=s2.decisions[1:]), s3, s4)
    )
    pt.answer("d-multiple", choice=["m1", "m2"])
    again = PlayThrough.from_state(edited, pt.to_state())
    assert again.answer_for("d-multiple") is not None  # kept in the state
    assert again.current_stage.id == "s2" and again.next_decision.id == "d-unscored"
    assert any(a["decision"] == "d-multiple" for a in again.to_state()["answers"])


def test_review_rows_follow_the_path():
    pt = PlayThrough(MODULE)
    play(pt, {**ALIGNED, "d-single": {"choice": ["c"], "confidence": 1}})
    rows = pt.review()
    assert [r.decision.id for r in rows] == ["d-single", "d-text"]
    assert rows[0].assessment.verdict == "contrary"


@pytest.mark.parametrize(
    "state",
    [
        {"answers": "nope"},
        {"answers": [{"stage": 1}]},
        {"answers": [{"stage": "s1", "decision": "d", "kind": "single", "verdict": "x"}]},
        {"stages_done": [1]},
        {
            "answers": [
                {
                    **{"stage": "s", "decision": "d", "kind": "k", "verdict": "v", "score": 1},
                    "choice": "abc",
                }
            ]
        },
    ],
)
def test_malformed_state_raises_plain_python_errors(state):
    with pytest.raises((KeyError, TypeError, ValueError)):
        PlayThrough.from_state(MODULE, state)


def test_format_time_is_utc_with_milliseconds_and_z():
    assert (
        format_time(datetime(2026, 1, 2, 3, 4, 5, 6000, tzinfo=UTC)) == "2026-01-02T03:04:05.006Z"
    )
