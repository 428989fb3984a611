"""The play-through: what the trainee faces, each move, branching, scoring, state and resume."""

import json
from datetime import UTC, datetime

import pytest

from tests.engine.fixture import fixture_module
from tests.engine.saved import resumed, saved
from tests.records import replace
from trainer.engine import (
    NOT_JUDGED,
    Answer,
    Deciding,
    Decision,
    Draft,
    Feedback,
    Finished,
    Module,
    Option,
    Outcome,
    PlayThrough,
    Reading,
    Stage,
    Step,
    steps_of,
)
from trainer.engine.autoplay import Response, play
from trainer.engine.playthrough import format_time
from trainer.errors import AnswerError

MODULE = fixture_module()


def fixed_clock():
    return datetime(2026, 11, 25, 10, 0, 0, 123456, tzinfo=UTC)


ALIGNED = {
    "d-single": Response(["a"], confidence=4, reason="the child"),
    "d-multiple": Response(["m1", "m2"]),
    "d-unscored": Response(["u1"]),
    "d-text": Response(text="every adult, challenge, focus on the child, share information"),
}


def answering(plan: dict[str, Response]):
    """An answerer that gives `plan`'s response to each decision, and stops where it has none."""
    return lambda deciding: plan.get(deciding.decision.id)


def played(plan: dict[str, Response], module: Module = MODULE, **kwargs) -> PlayThrough:
    return play(PlayThrough(module, **kwargs), answering(plan))


def decision(decision_id: str, module: Module = MODULE) -> Decision:
    found = module.decision(decision_id)
    assert found is not None
    return found[1]


def stage(stage_id: str, module: Module = MODULE) -> Stage:
    found = module.stage(stage_id)
    assert found is not None
    return found


def at_s2() -> PlayThrough:
    """Past stage 1 (answered, feedback and outcome seen), facing stage 2's narrative."""
    pt = PlayThrough(MODULE).respond(["a"], confidence=4, reason="r").proceed().proceed()
    assert pt.facing() == Reading(stage("s2"), 2)
    return pt


def not_judged_module() -> Module:
    """The fixture with its written question left without a rubric (so unscored)."""
    s1, s2, s3, s4 = MODULE.stages
    text = replace(s4.decisions[0], rubric=(), scored=False)
    return replace(
        MODULE, stages=(s1, s2, s3, replace(s4, decisions=(text,)))
    )


# -- facing() at each point -------------------------------------------------------------


def test_a_new_play_through_faces_the_first_stage():
    pt = PlayThrough(MODULE)
    assert pt.facing() == Reading(stage("s1"), 1)
    assert pt.current_stage.id == "s1" and pt.next_decision.id == "d-single"
    assert not pt.finished and pt.module_score is None and pt.answers == ()


def test_facing_at_every_point_of_the_aligned_path():
    s1, s2, s3, s4 = MODULE.stages
    pt = PlayThrough(MODULE)
    seen = []
    moves = [
        lambda p: p.finish_reading(),
        lambda p: p.choose(["a"]),
        lambda p: p.rate(4),
        lambda p: p.give_reason("the child"),
        lambda p: p.proceed(),  # feedback
        lambda p: p.proceed(),  # outcome
        lambda p: p.finish_reading(),
        lambda p: p.choose(["m1", "m2"]),
        lambda p: p.proceed(),  # feedback: on to the stage's second decision, no reading again
        lambda p: p.choose(["u1"]),
        lambda p: p.proceed(),  # feedback: stage 2 has no outcome, so on to stage 3
        lambda p: p.finish_reading(),  # stage 3 has no decisions: reading it moves on
        lambda p: p.finish_reading(),
        lambda p: p.choose(text="every adult"),
        lambda p: p.proceed(),
    ]
    for move in moves:
        seen.append(pt.facing())
        pt = move(pt)
    seen.append(pt.facing())
    kinds = [
        (type(f).__name__, getattr(f, "stage", None) and f.stage.id, getattr(f, "step", None))
        for f in seen
    ]
    assert kinds == [
        ("Reading", "s1", None),
        ("Deciding", "s1", Step.CHOICE),
        ("Deciding", "s1", Step.CONFIDENCE),
        ("Deciding", "s1", Step.REASON),
        ("Feedback", "s1", None),
        ("Outcome", "s1", None),
        ("Reading", "s2", None),
        ("Deciding", "s2", Step.CHOICE),
        ("Feedback", "s2", None),
        ("Deciding", "s2", Step.CHOICE),
        ("Feedback", "s2", None),
        ("Reading", "s3", None),
        ("Reading", "s4", None),
        ("Deciding", "s4", Step.CHOICE),
        ("Feedback", "s4", None),
        ("Finished", None, None),
    ]
    assert seen[0] == Reading(s1, 1) and seen[6] == Reading(s2, 2) and seen[11] == Reading(s3, 0)
    assert seen[5] == Outcome(s1)
    assert (seen[7].number, seen[7].of, seen[9].number, seen[9].of) == (1, 2, 2, 2)
    assert seen[-1] == Finished()
    assert pt.finished and pt.current_stage is None
    assert [s.id for s in pt.path] == ["s1", "s2", "s3", "s4"]


def test_feedback_carries_the_answer_and_its_assessment():
    pt = PlayThrough(MODULE).respond(["p"], confidence=2, reason="because")
    facing = pt.facing()
    assert isinstance(facing, Feedback)
    assert facing.stage.id == "s1" and facing.decision.id == "d-single"
    assert facing.answer == pt.answer_for("d-single")
    assert facing.assessment.verdict == "partial" and facing.assessment.score == 0.5


def test_a_stage_with_an_outcome_and_no_decisions_shows_its_outcome_after_reading():
    s1, s2, s3, s4 = MODULE.stages
    module = replace(
        MODULE, stages=(s1, s2, replace(s3, outcome="Later."), s4)
    )
    pt = play(PlayThrough(module), answering({**ALIGNED, "d-text": None}))  # stops at s4
    state = saved(pt)
    assert state["stages_done"] == ["s1", "s2", "s3"]
    # Again, stopping at stage 3 by hand:
    pt = resumed(module, {**state, "stages_done": ["s1", "s2"]})
    assert pt.facing() == Reading(stage("s3", module), 0)
    pt = pt.finish_reading()
    assert pt.facing() == Outcome(stage("s3", module))
    assert pt.proceed().facing() == Reading(stage("s4", module), 1)


# -- the steps of a decision -------------------------------------------------------------


def test_steps_are_choice_then_confidence_then_reason_and_only_those_asked():
    assert steps_of(decision("d-single")) == (Step.CHOICE, Step.CONFIDENCE, Step.REASON)
    assert steps_of(decision("d-multiple")) == (Step.CHOICE,)
    assert steps_of(decision("d-unscored")) == (Step.CHOICE,)
    assert steps_of(decision("d-text")) == (Step.CHOICE,)
    only_reason = replace(decision("d-single"), asks_confidence=False)
    assert steps_of(only_reason) == (Step.CHOICE, Step.REASON)
    only_confidence = replace(decision("d-single"), reason_prompt=None)
    assert steps_of(only_confidence) == (Step.CHOICE, Step.CONFIDENCE)


def test_a_written_answer_is_never_asked_for_a_reason():
    text = replace(decision("d-text"), reason_prompt="Why?", asks_confidence=True)
    assert not text.asks_reason
    assert steps_of(text) == (Step.CHOICE, Step.CONFIDENCE)


def test_deciding_says_the_steps_remaining_and_the_last():
    pt = PlayThrough(MODULE).finish_reading()
    facing = pt.facing()
    single = decision("d-single")
    assert facing == Deciding(
        stage("s1"), single, Step.CHOICE, Draft("d-single"), 1, 1, options=single.options
    )  # with no seed, the options are shown in the file's order
    assert facing.remaining == (Step.CHOICE, Step.CONFIDENCE, Step.REASON)
    assert not facing.last_step
    pt = pt.choose(["a"]).rate(3)
    assert pt.facing().remaining == (Step.REASON,) and pt.facing().last_step


def test_the_draft_holds_each_step_and_nothing_is_recorded_before_the_last():
    pt = PlayThrough(MODULE, clock=fixed_clock).finish_reading()
    pt = pt.choose(["p"])
    assert pt.facing().draft == Draft("d-single", Step.CONFIDENCE, ("p",))
    assert pt.answers == ()
    pt = pt.rate(2)
    assert pt.facing().draft == Draft("d-single", Step.REASON, ("p",), confidence=2)
    assert pt.answers == () and saved(pt)["answers"] == []
    pt = pt.give_reason("  because   of\tthe child ")
    assert len(pt.answers) == 1
    answer = pt.answer_for("d-single")
    assert answer.reason == "because of the child"  # one line, spaces folded
    assert answer.confidence == 2 and answer.choice == ("p",)


def test_nothing_is_chosen_for_the_trainee():
    pt = PlayThrough(MODULE).finish_reading()
    with pytest.raises(AnswerError, match="choose an option first"):
        pt.choose()
    at_multiple = at_s2().finish_reading()
    with pytest.raises(AnswerError, match="at least one option"):
        at_multiple.choose([])
    at_text = played({**ALIGNED, "d-text": None})
    for empty in (None, "", "   \n\t"):
        with pytest.raises(AnswerError, match="write an answer"):
            at_text.choose(text=empty)


def test_confidence_has_no_default_and_ranges_1_to_5():
    pt = PlayThrough(MODULE).finish_reading().choose(["a"])
    for bad in (0, 6, -1, True, False):
        with pytest.raises(AnswerError, match="1 to 5"):
            pt.rate(bad)
    with pytest.raises(AnswerError, match="the step due is confidence, not reason"):
        pt.give_reason("a reason")
    with pytest.raises(AnswerError, match="how sure"):
        PlayThrough(MODULE).respond(["a"], reason="r")  # a scripted answer must give it too
    assert pt.rate(1).facing().draft.confidence == 1
    assert pt.rate(5).facing().draft.confidence == 5


@pytest.mark.parametrize("empty", ["", " ", "\t\n  "])
def test_an_empty_reason_is_refused(empty):
    pt = PlayThrough(MODULE).finish_reading().choose(["a"]).rate(3)
    with pytest.raises(AnswerError, match="a reason is needed"):
        pt.give_reason(empty)
    assert pt.answers == () and pt.facing().step is Step.REASON
    with pytest.raises(AnswerError, match="a reason is needed"):
        PlayThrough(MODULE).respond(["a"], confidence=3, reason=empty)
    with pytest.raises(AnswerError, match="a reason is needed"):
        PlayThrough(MODULE).respond(["a"], confidence=3)


def test_a_step_out_of_turn_is_refused():
    pt = PlayThrough(MODULE)
    with pytest.raises(AnswerError, match="no decision is due"):
        pt.choose(["a"])  # the stage has not been read
    pt = pt.finish_reading()
    with pytest.raises(AnswerError, match="the step due is choice, not confidence"):
        pt.rate(3)
    with pytest.raises(AnswerError, match="the step due is choice, not reason"):
        pt.give_reason("because")
    with pytest.raises(AnswerError, match="no stage to read"):
        pt.finish_reading()
    with pytest.raises(AnswerError, match="no feedback or outcome"):
        pt.proceed()
    with pytest.raises(AnswerError, match="no step to go back"):
        PlayThrough(MODULE).back()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"choice": ["a", "p"]}, "exactly one"),
        ({"choice": ["zz"]}, "no option 'zz'"),
        ({"text": "words"}, "choose an option first"),
        ({"choice": ["a"], "text": "words"}, "takes a choice"),
    ],
)
def test_a_choice_that_does_not_fit_is_refused(kwargs, message):
    pt = PlayThrough(MODULE).finish_reading()
    with pytest.raises(AnswerError, match=message):
        pt.choose(**kwargs)


def test_options_are_recorded_in_the_decisions_order():
    pt = at_s2().finish_reading().choose(["m3", "m1"])
    assert pt.answer_for("d-multiple").choice == ("m1", "m3")
    assert pt.answer_for("d-multiple").choice_texts == ("Check the adults", "Trust the account")
    with pytest.raises(AnswerError, match="chosen twice"):
        at_s2().finish_reading().choose(["m1", "m1"])


# -- back ----------------------------------------------------------------------------------


def test_back_goes_from_reason_to_confidence_to_choice_to_the_stage_keeping_the_draft():
    pt = PlayThrough(MODULE).finish_reading().choose(["p"]).rate(2)
    assert pt.facing().step is Step.REASON
    pt = pt.back()
    facing = pt.facing()
    assert facing.step is Step.CONFIDENCE
    assert facing.draft.choice == ("p",) and facing.draft.confidence == 2  # shown again
    pt = pt.back()
    facing = pt.facing()
    assert facing.step is Step.CHOICE and facing.draft.choice == ("p",)
    pt = pt.back()
    assert pt.facing() == Reading(stage("s1"), 1)
    with pytest.raises(AnswerError, match="no step to go back"):
        pt.back()
    # Reading the stage again restores the answer being given, at its first step.
    facing = pt.finish_reading().facing()
    assert isinstance(facing, Deciding) and facing.step is Step.CHOICE
    assert facing.draft.choice == ("p",) and facing.draft.confidence == 2
    assert pt.answers == ()


def test_a_new_choice_after_going_back_replaces_the_old_one_and_keeps_the_rating():
    pt = PlayThrough(MODULE, clock=fixed_clock).finish_reading().choose(["p"]).rate(2).back().back()
    pt = pt.choose(["a"])
    assert pt.facing().draft == Draft("d-single", Step.CONFIDENCE, ("a",), confidence=2)
    pt = pt.rate(4).give_reason("sure now")
    answer = pt.answer_for("d-single")
    assert (answer.choice, answer.confidence, answer.verdict) == (("a",), 4, "aligned")


def test_a_recorded_answer_cannot_be_taken_back():
    pt = PlayThrough(MODULE).respond(["a"], confidence=3, reason="r")
    assert isinstance(pt.facing(), Feedback)
    with pytest.raises(AnswerError, match="no step to go back"):
        pt.back()
    with pytest.raises(AnswerError, match="no decision is due"):
        pt.choose(["c"])
    with pytest.raises(AnswerError, match="no decision is due"):
        pt.proceed().respond(["c"], confidence=3, reason="r")  # the outcome is due


def test_back_from_a_later_decision_of_a_stage_goes_to_the_stage():
    pt = at_s2().respond(["m1"]).proceed()
    assert pt.facing().decision.id == "d-unscored"
    pt = pt.back()
    assert pt.facing() == Reading(stage("s2"), 1)
    assert pt.finish_reading().facing().decision.id == "d-unscored"


# -- a move returns a new play-through -----------------------------------------------------


def test_a_move_leaves_the_play_through_it_was_made_on_unchanged():
    start = PlayThrough(MODULE, clock=fixed_clock)
    before = start.facing()
    reading = start.finish_reading()
    chosen = reading.choose(["c"])
    rated = chosen.rate(1)
    answered = rated.give_reason("no need")
    assert start.facing() == before and start.answers == ()
    assert reading.facing().step is Step.CHOICE and reading.facing().draft == Draft("d-single")
    assert chosen.facing().step is Step.CONFIDENCE
    assert rated.facing().step is Step.REASON and rated.answers == ()
    assert len(answered.answers) == 1
    # Two futures from one point do not share anything.
    other = rated.back().back().choose(["a"]).rate(5).give_reason("act")
    assert answered.answer_for("d-single").choice == ("c",)
    assert other.answer_for("d-single").choice == ("a",)


def test_a_refused_move_leaves_the_play_through_as_it_was():
    pt = PlayThrough(MODULE).finish_reading().choose(["a"]).rate(3)
    state, facing = saved(pt), pt.facing()
    for refused in (
        lambda: pt.give_reason(" "),
        lambda: pt.rate(4),
        lambda: pt.choose(["c"]),
        lambda: pt.proceed(),
        lambda: pt.finish_reading(),
    ):
        with pytest.raises(AnswerError):
            refused()
        assert saved(pt) == state and pt.facing() == facing


def test_a_play_through_is_frozen():
    pt = PlayThrough(MODULE)
    with pytest.raises(AttributeError):
        pt.answers = ()  # type: ignore[misc]
    assert isinstance(pt.answers, tuple) and isinstance(pt.stages_done, tuple)


# -- recording -----------------------------------------------------------------------------


def test_answer_records_everything_exports_need():
    pt = PlayThrough(MODULE, clock=fixed_clock).respond(["p"], confidence=2, reason="because")
    answer = pt.answer_for("d-single")
    assert answer.stage_id == "s1" and answer.prompt == "What now?" and answer.kind == "single"
    assert answer.choice == ("p",) and answer.choice_texts == ("Wait a little",)
    assert answer.reason == "because" and answer.confidence == 2
    assert (answer.verdict, answer.score, answer.scored) == ("partial", 0.5, True)
    assert answer.judged and answer.counts
    assert answer.answered_at == "2026-11-25T10:00:00.123Z"
    assert answer.options == (
        ("a", "Act", "aligned"),
        ("p", "Wait a little", "partial"),
        ("c", "Do nothing", "contrary"),
    )
    assert answer.findings == ("f-act",)
    assert answer.missed_findings == ("f-act",)  # behind the aligned option left out


def test_a_written_answer_records_its_concepts_and_the_findings_behind_those_missed():
    pt = played({**ALIGNED, "d-text": Response(text="I'd challenge every adult.")})
    answer = pt.answer_for("d-text")
    assert answer.text == "I'd challenge every adult." and answer.reason is None
    assert answer.concepts_matched == ("adults", "challenge")
    assert answer.concepts_missed == ("child", "share")
    assert (answer.verdict, answer.score) == ("partial", 0.5)
    assert answer.findings == ("f-child",) and answer.missed_findings == ("f-child",)


def test_respond_answers_from_the_narrative_or_the_first_step_and_faces_feedback():
    from_reading = PlayThrough(MODULE).respond(["a"], confidence=3, reason="r")
    from_choice = PlayThrough(MODULE).finish_reading().respond(["a"], confidence=3, reason="r")
    for pt in (from_reading, from_choice):
        assert isinstance(pt.facing(), Feedback)
    assert from_reading.answers[0].choice == from_choice.answers[0].choice == ("a",)
    with pytest.raises(AnswerError, match="no decision is due"):
        played(ALIGNED).respond(["a"])


def test_respond_ignores_values_for_steps_the_decision_does_not_take():
    pt = at_s2().respond(["m1", "m2"], confidence=5, reason="unasked")
    answer = pt.answer_for("d-multiple")
    assert answer.confidence is None and answer.reason is None


# -- branching, unscored, not judged ----------------------------------------------------


def test_aligned_path_visits_every_stage_through_stage_next():
    pt = played(ALIGNED, clock=fixed_clock)
    assert [s.id for s in pt.path] == ["s1", "s2", "s3", "s4"]
    assert pt.module_score == 1.0
    assert pt.finished and pt.current_stage is None and pt.facing() == Finished()
    assert pt.stages_done == ("s1", "s2", "s3", "s4")


def test_option_next_branches_past_a_stage():
    pt = played({**ALIGNED, "d-single": Response(["c"], confidence=1, reason="wait")})
    assert [s.id for s in pt.path] == ["s1", "s3", "s4"]
    assert pt.module_score == 0.5  # the mean of the scored decisions on the path: 0 and 1


def test_branching_looks_at_the_last_decision_first():
    # d-unscored (the stage's last decision) sends to s4, overriding the stage's own next (s3)
    pt = played({**ALIGNED, "d-unscored": Response(["u2"])})
    assert [s.id for s in pt.path] == ["s1", "s2", "s4"]


def test_without_any_next_the_following_stage_in_the_file_comes():
    s1, s2, s3, s4 = MODULE.stages
    module = replace(MODULE, stages=(s1, replace(s2, next=None), s3, s4))
    pt = played(ALIGNED, module)
    assert [s.id for s in pt.path] == ["s1", "s2", "s3", "s4"]
    assert pt.next_stage_id(s4) == "end"


def test_unscored_decision_is_recorded_but_left_out_of_the_score():
    pt = played({**ALIGNED, "d-unscored": Response(["u2"])})
    unscored = pt.answer_for("d-unscored")
    assert unscored.scored is False and unscored.verdict == "contrary" and unscored.score == 0
    assert unscored.judged and not unscored.counts
    assert pt.module_score == 1.0
    assert "d-unscored" not in [a.decision_id for a in pt.counted_answers]


def test_a_written_question_without_a_rubric_is_recorded_not_judged():
    module = not_judged_module()
    assert not decision("d-text", module).judged and decision("d-text").judged
    pt = played({**ALIGNED, "d-text": Response(text="I would be kinder.")}, module)
    answer = pt.answer_for("d-text")
    assert answer.verdict == NOT_JUDGED == "" and answer.score is None
    assert not answer.judged and not answer.counts and answer.scored is False
    assert answer.text == "I would be kinder."
    assert answer.concepts_matched == answer.concepts_missed == ()
    assert answer.findings == answer.missed_findings == ()
    assert "score" not in answer.to_data() and answer.to_data()["verdict"] == ""
    assert pt.module_score == 1.0  # left out of the module score
    assert [a.decision_id for a in pt.counted_answers] == ["d-single", "d-multiple"]
    feedback = played({**ALIGNED, "d-text": None}, module).respond(text="x").facing()
    assert isinstance(feedback, Feedback)
    assert feedback.assessment.verdict is None and not feedback.assessment.judged


def test_a_not_judged_answer_reads_back_not_judged():
    pt = played({**ALIGNED, "d-text": Response(text="kinder")}, not_judged_module())
    again = resumed(pt.module, json.loads(json.dumps(saved(pt))))
    answer = again.answer_for("d-text")
    assert answer == pt.answer_for("d-text") and not answer.judged and answer.score is None


def test_an_old_saves_unscored_written_answer_with_no_concepts_reads_back_not_judged():
    pt = played({**ALIGNED, "d-text": Response(text="kinder")}, not_judged_module())
    state = saved(pt)
    old = state["answers"][-1]
    old.update(verdict="contrary", score=0.0)  # what was recorded before "not judged" existed
    again = resumed(pt.module, state)
    answer = again.answer_for("d-text")
    assert answer.verdict == "" and answer.score is None and not answer.judged
    # A scored one, or one with concepts, was judged: it keeps its verdict.
    for changes in ({"scored": True}, {"concepts_missed": ["k"]}):
        kept = {**state, "answers": [*state["answers"][:-1], {**old, **changes}]}
        answer = resumed(pt.module, kept).answer_for("d-text")
        assert (answer.verdict, answer.score) == ("contrary", 0.0)


def test_a_judged_answer_without_a_score_is_malformed():
    pt = PlayThrough(MODULE).respond(["a"], confidence=3, reason="r")
    (answer,) = saved(pt)["answers"]
    del answer["score"]
    with pytest.raises(KeyError):
        Answer.from_data(answer)


# -- stages without decisions, outcome, finished -----------------------------------------


def test_a_stage_without_decisions_is_read_then_left():
    pt = played({**ALIGNED, "d-text": None})
    assert pt.stages_done == ("s1", "s2", "s3")
    again = resumed(MODULE, {**saved(pt), "stages_done": ["s1", "s2"]})
    assert again.facing() == Reading(stage("s3"), 0)
    assert again.finish_reading().facing() == Reading(stage("s4"), 1)
    assert again.finish_reading().stages_done == ("s1", "s2", "s3")


def test_the_outcome_follows_the_stages_last_feedback():
    pt = PlayThrough(MODULE).respond(["a"], confidence=3, reason="r")
    assert isinstance(pt.facing(), Feedback)
    pt = pt.proceed()
    assert pt.facing() == Outcome(stage("s1")) and pt.stages_done == ()
    pt = pt.proceed()
    assert pt.stages_done == ("s1",) and pt.facing() == Reading(stage("s2"), 2)


def test_moves_after_the_end_are_refused():
    pt = played(ALIGNED)
    assert pt.facing() == Finished()
    with pytest.raises(AnswerError, match="finished"):
        pt.proceed()
    for move in (pt.finish_reading, pt.back, lambda: pt.choose(["a"]), lambda: pt.rate(3)):
        with pytest.raises(AnswerError):
            move()


def test_play_stops_where_the_answerer_gives_nothing():
    pt = played({"d-single": ALIGNED["d-single"]})
    facing = pt.facing()
    assert isinstance(facing, Deciding) and facing.decision.id == "d-multiple"
    assert [a.decision_id for a in pt.answers] == ["d-single"]
    assert play(pt, answering(ALIGNED)).finished  # and goes on from there


def test_an_empty_module_is_finished_at_once():
    module = replace(MODULE, stages=())
    assert PlayThrough(module).facing() == Finished() and PlayThrough(module).path == []


# -- module score and review ------------------------------------------------------------


def test_module_score_is_the_mean_of_the_scored_answers_on_the_path():
    pt = played(
        {
            "d-single": Response(["p"], confidence=3, reason="r"),  # 0.5
            "d-multiple": Response(["m1"]),  # 0.5
            "d-unscored": Response(["u1"]),  # unscored: left out
            "d-text": Response(text="every adult"),  # 0.25
        }
    )
    assert pt.module_score == pytest.approx((0.5 + 0.5 + 0.25) / 3)
    assert [a.decision_id for a in pt.counted_answers] == ["d-single", "d-multiple", "d-text"]


def test_module_score_follows_the_path_not_every_answer_in_the_state():
    # An answer to a decision off the path (kept from an edited module) does not count.
    pt = played({**ALIGNED, "d-single": Response(["c"], confidence=1, reason="r")})
    stray = replace(played(ALIGNED).answer_for("d-multiple"), score=0.0)
    with_stray = PlayThrough(MODULE, (*pt.answers, stray), pt.stages_done)
    assert with_stray.module_score == pt.module_score == 0.5


def test_review_rows_follow_the_path():
    pt = played({**ALIGNED, "d-single": Response(["c"], confidence=1, reason="r")})
    rows = pt.review()
    assert [r.decision.id for r in rows] == ["d-single", "d-text"]
    assert rows[0].assessment.verdict == "contrary"
    assert rows[0].answer == pt.answer_for("d-single")


# -- state and resume ---------------------------------------------------------------------


def test_state_round_trips_through_json():
    pt = PlayThrough(MODULE, clock=fixed_clock).respond(["a"], confidence=5, reason="child first")
    pt = pt.proceed().proceed().respond(["m1", "m3"])
    state = json.loads(json.dumps(saved(pt)))
    assert state["stages_done"] == ["s1"] and state["feedback_seen"] == ["d-single"]
    again = resumed(MODULE, state, clock=fixed_clock)
    assert again.answers == pt.answers
    assert saved(again) == saved(pt)
    assert again.facing() == pt.facing()


def test_resume_after_an_answer_faces_its_feedback_until_moved_past():
    pt = PlayThrough(MODULE).respond(["c"], confidence=1, reason="r")
    again = resumed(MODULE, saved(pt))
    facing = again.facing()
    assert isinstance(facing, Feedback) and facing.decision.id == "d-single"
    assert resumed(MODULE, saved(again)).facing() == facing  # and again
    moved = again.proceed()
    assert moved.facing() == Outcome(stage("s1"))
    moved_past = resumed(MODULE, saved(moved))
    assert moved_past.facing() == Outcome(stage("s1"))
    assert moved_past.proceed().facing() == Reading(stage("s3"), 0)  # the branch taken before


def test_an_old_state_without_feedback_seen_faces_no_feedback():
    pt = PlayThrough(MODULE).respond(["a"], confidence=3, reason="r")
    state = saved(pt)
    del state["feedback_seen"]
    again = resumed(MODULE, state)
    assert again.feedback_seen == ("d-single",)  # every answered one counts as seen
    assert again.facing() == Outcome(stage("s1"))
    mid_stage = saved(at_s2().respond(["m1"]))
    del mid_stage["feedback_seen"]
    assert resumed(MODULE, mid_stage).facing() == Reading(stage("s2"), 1)


def test_resume_mid_stage_reads_the_stage_again_then_the_next_decision():
    pt = at_s2().respond(["m1"]).proceed()
    again = resumed(MODULE, saved(pt))
    assert again.current_stage.id == "s2" and again.next_decision.id == "d-unscored"
    assert again.facing() == Reading(stage("s2"), 1)
    facing = again.finish_reading().facing()
    assert facing.decision.id == "d-unscored" and (facing.number, facing.of) == (2, 2)


def test_the_draft_is_not_saved():
    pt = PlayThrough(MODULE).finish_reading().choose(["a"]).rate(4)
    state = saved(pt)
    assert state == {"stages_done": [], "feedback_seen": [], "answers": []}
    again = resumed(MODULE, state)
    assert again.facing() == Reading(stage("s1"), 1)
    assert again.finish_reading().facing().draft == Draft("d-single")


def test_a_module_edited_since_still_resumes_where_its_ids_exist():
    pt = at_s2().respond(["m1", "m2"])
    # The new version drops stage s2's first decision.
    s1, s2, s3, s4 = MODULE.stages
    edited = replace(
        MODULE, stages=(s1, replace(s2, decisions=s2.decisions[1:]), s3, s4)
    )
    again = resumed(edited, saved(pt))
    assert again.answer_for("d-multiple") is not None  # kept in the state
    assert again.assessment_for("d-multiple") is None  # nothing left to compare it with
    assert again.current_stage.id == "s2" and again.next_decision.id == "d-unscored"
    assert again.facing() == Reading(stage("s2", edited), 1)
    assert any(a["decision"] == "d-multiple" for a in saved(again)["answers"])


def test_an_answer_the_edited_module_no_longer_accepts_still_faces_its_feedback():
    pt = PlayThrough(MODULE).respond(["p"], confidence=2, reason="r")
    s1, *rest = MODULE.stages
    single = s1.decisions[0]
    fewer = replace(single, options=tuple(o for o in single.options if o.id != "p"))
    edited = replace(
        MODULE, stages=(replace(s1, decisions=(fewer,)), *rest)
    )
    facing = resumed(edited, saved(pt)).facing()
    assert isinstance(facing, Feedback) and facing.assessment is None
    assert facing.answer.verdict == "partial"  # the answer still stands as recorded


@pytest.mark.parametrize(
    "answer",
    [
        {"stage": 1},
        {"stage": "s1", "decision": "d", "kind": "single", "verdict": "x"},
        {
            **{"stage": "s", "decision": "d", "kind": "k", "verdict": "v", "score": 1},
            "choice": "abc",
        },
    ],
)
def test_a_malformed_answer_raises_plain_python_errors(answer):
    with pytest.raises((KeyError, TypeError, ValueError)):
        Answer.from_data(answer)


@pytest.mark.parametrize(
    "state",
    [
        {"answers": "nope"},
        {"stages_done": [1]},
        {"feedback_seen": "d-single"},
        {"feedback_seen": [1]},
    ],
)
def test_a_malformed_attempt_raises_plain_python_errors(state):
    with pytest.raises((KeyError, TypeError, ValueError)):
        resumed(MODULE, state)


def test_format_time_is_utc_with_milliseconds_and_z():
    assert (
        format_time(datetime(2026, 1, 2, 3, 4, 5, 6000, tzinfo=UTC)) == "2026-01-02T03:04:05.006Z"
    )


# -- a long module ------------------------------------------------------------------------


def long_module(stages: int) -> Module:
    options = (Option("a", "Yes", "aligned"), Option("b", "No", "contrary"))
    return Module(
        format=1,
        id="long",
        title="Long",
        version="1",
        summary="Many stages.",
        stages=tuple(
            Stage(f"s{n}", f"S{n}", "Text.", decisions=(Decision(f"d{n}", "?", "single", options),))
            for n in range(stages)
        ),
    )


def test_a_thousand_stage_module_resumes_and_plays_on_walking_the_path_once(monkeypatch):
    module = long_module(1000)
    first = PlayThrough(module).respond(["a"]).answers[0]
    # The first 999 stages answered, as a save would hold them; the last one played here.
    answers = [
        replace(first, stage_id=f"s{n}", decision_id=f"d{n}") for n in range(999)
    ]
    done = [f"s{n}" for n in range(999)]
    calls = 0
    real = PlayThrough.next_stage_id

    def counted(self, stage):
        nonlocal calls
        calls += 1
        return real(self, stage)

    monkeypatch.setattr(PlayThrough, "next_stage_id", counted)
    resumed = PlayThrough(module, answers, done)
    for _ in range(50):
        assert resumed.facing() == Reading(module.stages[999], 1)
    assert calls == 999  # one walk along the path, worked out once and kept
    assert len(resumed.path) == 1000 and calls == 999

    calls = 0
    pt = play(resumed, lambda deciding: Response(["a"]))
    assert pt.finished and len(pt.answers) == 1000 and pt.module_score == 1.0
    assert calls < 10 * 1000  # a handful of moves, each a new play-through walking once
