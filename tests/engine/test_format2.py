"""Format 2 in the engine, per rule and per score: rank answers (Kendall distance and its
verdict bands), written answers compared by the trainee's ticks, polls and other answers
that are not judged, what happened at the time, the records of all these, and the module
score of a whole play of the format 2 sample.
"""

import itertools
import math
import tomllib
from fractions import Fraction
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engine.fixture import format2_module
from tests.engine.saved import resumed, saved
from tests.records import replace
from trainer.content import load_module
from trainer.engine import (
    NOT_JUDGED,
    Answer,
    Deciding,
    Decision,
    Feedback,
    Module,
    Option,
    PlayThrough,
    Stage,
    Step,
    assess,
    steps_of,
)
from trainer.engine.autoplay import Response, play
from trainer.engine.model import RANK_ALIGNED, RANK_CONTRARY
from trainer.engine.scoring import kendall_score, rank_verdict
from trainer.errors import AnswerError

SAMPLE = load_module(Path(__file__).parents[1] / "fixtures" / "format2.toml")
"""The fictional format 2 module: a single with `happened`, a rank, a poll, two texts."""
BUILT = format2_module()
"""Format 2 rules the sample does not reach (see `format2_module`)."""

PANEL = ("first", "second", "third", "fourth", "fifth")
"""The panel's order of BUILT's rank decision (its options are listed in another order)."""

SAMPLE_PLAN = {
    "first": Response(["visit"], confidence=4),
    "priorities": Response(["see-alone", "strategy", "records", "letter-home"]),
    "comfort": Response(["uneasy"]),
    "meeting": Response(["see-at-school", "conference"]),
    "differently": Response(text="See Mia on her own, the same day.", confidence=3),
    "notes": Response(text="Ask my supervisor about visits."),
}
BUILT_PLAN = {
    "order": Response(list(PANEL), confidence=3, reason="the child first"),
    "poll": Response(["visits", "court"]),
    "steps": Response(["m1", "m2"]),
    "phrased": Response(text="See the child alone.", confidence=2),
    "silent": Response(text="Nothing alone."),
}


def decision(decision_id: str, module: Module = SAMPLE) -> Decision:
    found = module.decision(decision_id)
    assert found is not None
    return found[1]


def facing_decision(decision_id: str, module: Module = SAMPLE) -> PlayThrough:
    """A play-through answered as planned up to `decision_id`, at that decision's choice."""
    plan = SAMPLE_PLAN if module is SAMPLE else BUILT_PLAN
    pt = play(
        PlayThrough(module),
        lambda deciding: (
            None if deciding.decision.id == decision_id else plan[deciding.decision.id]
        ),
    )
    facing = pt.facing()
    assert isinstance(facing, Deciding)
    assert facing.decision.id == decision_id and facing.step is Step.CHOICE
    return pt


def deciding(pt: PlayThrough) -> Deciding:
    facing = pt.facing()
    assert isinstance(facing, Deciding)
    return facing


def feedback(pt: PlayThrough) -> Feedback:
    facing = pt.facing()
    assert isinstance(facing, Feedback)
    assert facing.assessment is not None
    return facing


def last_answer(pt: PlayThrough) -> Answer:
    return pt.answers[-1]


# -- Kendall score --------------------------------------------------------------------------


def discordant(order, panel) -> int:
    """Brute force: the pairs the panel puts one way round and `order` the other."""
    return sum(
        1
        for a, b in itertools.combinations(panel, 2)  # a before b in the panel
        if order.index(a) > order.index(b)
    )


def with_discordant(panel, d: int) -> list:
    """A permutation of `panel` with exactly `d` pairs in the opposite order (Lehmer code)."""
    n = len(panel)
    assert 0 <= d <= n * (n - 1) // 2
    remaining = list(panel)
    order = []
    for i in range(n):
        skip = min(d, n - 1 - i)  # taking the element `skip` places on makes `skip` inversions
        order.append(remaining.pop(skip))
        d -= skip
    assert d == 0
    return order


def options(n: int) -> list[str]:
    return [f"o{i}" for i in range(1, n + 1)]


def rank_decision(n: int) -> Decision:
    return Decision(
        "r",
        "Order these.",
        "rank",
        tuple(Option(o, o.upper(), None, rank=i) for i, o in enumerate(options(n), 1)),
    )


@pytest.mark.parametrize("n", range(3, 10))
def test_the_panels_own_order_scores_one(n):
    assert kendall_score(options(n), options(n)) == 1


@pytest.mark.parametrize("n", range(3, 10))
def test_the_reversed_order_scores_zero(n):
    assert kendall_score(options(n)[::-1], options(n)) == 0


@pytest.mark.parametrize(("n", "at"), [(n, at) for n in range(3, 10) for at in range(n - 1)])
def test_one_adjacent_swap_costs_one_pair_of_all(n, at):
    order = options(n)
    order[at], order[at + 1] = order[at + 1], order[at]
    assert kendall_score(order, options(n)) == pytest.approx(1 - 1 / (n * (n - 1) / 2))


def test_the_helpers_build_the_distances_they_claim():
    for n in range(3, 10):
        for d in range(n * (n - 1) // 2 + 1):
            order = with_discordant(options(n), d)
            assert sorted(order) == sorted(options(n))
            assert discordant(order, options(n)) == d


permutation_pairs = st.integers(3, 9).flatmap(
    lambda n: st.tuples(st.permutations(options(n)), st.permutations(options(n)))
)


@settings(max_examples=300, deadline=None)
@given(permutation_pairs)
def test_kendall_score_properties(pair):
    order, panel = pair
    n = len(panel)
    score = kendall_score(order, panel)
    assert 0 <= score <= 1
    assert score == kendall_score(panel, order)
    assert score == pytest.approx(1 - discordant(order, panel) / (n * (n - 1) / 2))


@settings(max_examples=100, deadline=None)
@given(permutation_pairs)
def test_assess_scores_a_rank_answer_by_kendall_whatever_the_file_order(pair):
    order, listed = pair
    n = len(order)
    # The options are listed in the file in `listed` order; their ranks say the panel's.
    ranked = Decision(
        "r",
        "Order these.",
        "rank",
        tuple(Option(o, o.upper(), None, rank=int(o[1:])) for o in listed),
    )
    module = replace(BUILT, stages=())
    result = assess(module, ranked, order)
    assert ranked.panel_order == tuple(options(n))
    assert result.score == kendall_score(order, options(n))
    assert result.verdict == rank_verdict(result.score)
    assert [o.id for o in result.order] == list(order)
    assert [o.id for o in result.panel_order] == options(n)


def exact_verdict(n: int, d: int) -> str:
    score = 1 - Fraction(d, n * (n - 1) // 2)
    if score >= Fraction(4, 5):
        return "aligned"
    if score < Fraction(1, 2):
        return "contrary"
    return "partial"


def test_the_bands_at_every_distance_agree_with_exact_arithmetic():
    """Floating point never moves a real answer across a band boundary, for 3 to 9 options."""
    assert (RANK_ALIGNED, RANK_CONTRARY) == (0.8, 0.5)
    for n in range(3, 10):
        for d in range(n * (n - 1) // 2 + 1):
            score = kendall_score(with_discordant(options(n), d), options(n))
            assert rank_verdict(score) == exact_verdict(n, d), (n, d, score)


@pytest.mark.parametrize(
    ("n", "d", "score", "verdict"),
    [
        (5, 2, 0.8, "aligned"),  # 10 pairs: exactly 0.8
        (6, 3, 0.8, "aligned"),  # 15 pairs: exactly 0.8
        (8, 6, 1 - 6 / 28, "partial"),  # 0.786: the closest below 0.8 of 3..9 options
        (5, 3, 0.7, "partial"),
        (5, 5, 0.5, "partial"),  # exactly 0.5
        (4, 3, 0.5, "partial"),
        (8, 14, 0.5, "partial"),
        (7, 11, 1 - 11 / 21, "contrary"),  # 0.476: the closest below 0.5 of 3..9 options
        (5, 6, 0.4, "contrary"),
        (5, 0, 1.0, "aligned"),
        (5, 10, 0.0, "contrary"),
    ],
)
def test_rank_verdict_bands_on_real_orders(n, d, score, verdict):
    order = with_discordant(options(n), d)
    assert kendall_score(order, options(n)) == score
    result = assess(replace(BUILT, stages=()), rank_decision(n), order)
    assert (result.score, result.verdict) == (score, verdict)


def test_the_closest_scores_below_the_boundaries_are_the_ones_tested():
    below_08 = max(
        1 - d / (n * (n - 1) / 2)
        for n in range(3, 10)
        for d in range(n * (n - 1) // 2 + 1)
        if 1 - Fraction(d, n * (n - 1) // 2) < Fraction(4, 5)
    )
    below_05 = max(
        1 - d / (n * (n - 1) / 2)
        for n in range(3, 10)
        for d in range(n * (n - 1) // 2 + 1)
        if 1 - Fraction(d, n * (n - 1) // 2) < Fraction(1, 2)
    )
    assert below_08 == 1 - 6 / 28 and below_05 == 1 - 11 / 21


@pytest.mark.parametrize(
    ("score", "verdict"),
    [
        (1.0, "aligned"),
        (0.8, "aligned"),
        (math.nextafter(0.8, 0), "partial"),
        (0.5, "partial"),
        (math.nextafter(0.5, 0), "contrary"),
        (0.0, "contrary"),
    ],
)
def test_rank_verdict_boundaries(score, verdict):
    assert rank_verdict(score) == verdict


# -- rank answers through the play-through ----------------------------------------------------


def test_a_rank_decision_asks_the_order_then_how_sure_then_why():
    assert steps_of(decision("order", BUILT)) == (Step.CHOICE, Step.CONFIDENCE, Step.REASON)
    assert steps_of(decision("priorities")) == (Step.CHOICE,)
    assert decision("order", BUILT).judged and decision("priorities").judged
    assert decision("order", BUILT).panel_order == PANEL


@pytest.mark.parametrize(
    "choice",
    [
        [],
        ["first", "second", "third", "fourth"],  # one left out
        ["first", "second", "third", "fourth", "fifth", "first"],  # one too many
        ["first", "second", "third", "fourth", "first"],  # a duplicate
        ["first", "second", "third", "fourth", "sixth"],  # an unknown id
    ],
)
def test_choose_refuses_anything_but_every_option_once(choice):
    pt = facing_decision("order", BUILT)
    with pytest.raises(AnswerError):
        pt.choose(choice)
    with pytest.raises(AnswerError):
        assess(BUILT, decision("order", BUILT), choice)
    assert pt.facing().step is Step.CHOICE and pt.answers == ()


def test_a_rank_answer_keeps_the_trainees_order_and_the_panels():
    trainee = ["second", "first", "third", "fifth", "fourth"]  # two adjacent swaps: d = 2
    pt = facing_decision("order", BUILT).choose(trainee)
    assert deciding(pt).step is Step.CONFIDENCE
    assert deciding(pt).draft.choice == tuple(trainee)
    pt = pt.rate(4)
    assert deciding(pt).step is Step.REASON and deciding(pt).last_step
    pt = pt.give_reason("  the  child first ")
    answer = last_answer(pt)
    texts = {o.id: o.text for o in decision("order", BUILT).options}
    assert answer.kind == "rank"
    assert answer.choice == tuple(trainee)
    assert answer.choice_texts == tuple(texts[i] for i in trainee)
    assert answer.panel_order == PANEL
    assert (answer.verdict, answer.score) == ("aligned", 0.8)
    assert (answer.confidence, answer.reason) == (4, "the child first")
    assert answer.options == tuple(
        (o.id, o.text, NOT_JUDGED) for o in decision("order", BUILT).options
    )
    assert answer.findings == ("f-adults", "f-child", "f-act")  # every option's, in file order
    assert answer.missed_findings == ()
    assert answer.happened is None and answer.chose_what_happened is None
    assert answer.counts

    shown = feedback(pt)
    assessment = shown.assessment
    assert [o.id for o in assessment.order] == trainee
    assert [o.id for o in assessment.panel_order] == list(PANEL)
    assert [o.rank for o in assessment.panel_order] == [1, 2, 3, 4, 5]
    assert (assessment.verdict, assessment.score, assessment.kind) == ("aligned", 0.8, "rank")
    assert [r.concept.id for r in assessment.reason_concepts if r.matched] == ["k-child"]
    assert assessment.chosen == () and assessment.missed == ()


def test_a_rank_answer_without_confidence_or_reason_is_recorded_at_once():
    pt = facing_decision("priorities").choose(["letter-home", "records", "strategy", "see-alone"])
    answer = last_answer(pt)
    assert (answer.verdict, answer.score) == ("contrary", 0.0)
    assert answer.confidence is None and answer.reason is None
    assert answer.panel_order == ("see-alone", "strategy", "records", "letter-home")


def test_going_back_from_a_rank_answers_confidence_keeps_the_order():
    trainee = ["fifth", "fourth", "third", "second", "first"]
    pt = facing_decision("order", BUILT).choose(trainee).back()
    assert deciding(pt).step is Step.CHOICE
    assert deciding(pt).draft.choice == tuple(trainee)


def test_a_rank_answer_survives_a_save_and_is_reassessed_the_same():
    trainee = ["second", "first", "third", "fourth", "fifth"]
    pt = facing_decision("order", BUILT).respond(trainee, confidence=2, reason="r")
    again = resumed(BUILT, saved(pt))
    assert again.answers == pt.answers
    assert again.assessment_for("order") == pt.assessment_for("order")
    assert again.assessment_for("order").score == pytest.approx(0.9)


# -- written answers compared by the trainee ("self") --------------------------------------


def at_claim(text: str) -> PlayThrough:
    pt = facing_decision("differently").choose(text=text)
    assert deciding(pt).step is Step.CONFIDENCE and deciding(pt).suggested == ()
    pt = pt.rate(3)
    assert deciding(pt).step is Step.TICK and deciding(pt).last_step
    return pt


def test_self_is_the_default_in_format_2_and_asks_the_ticks_last():
    written = decision("differently")
    assert written.scoring == "self" and written.claims_concepts and written.judged
    assert steps_of(written) == (Step.CHOICE, Step.CONFIDENCE, Step.TICK)
    no_confidence = replace(written, asks_confidence=False)
    assert steps_of(no_confidence) == (Step.CHOICE, Step.TICK)
    with_reflection = replace(written, reason_prompt="Why?")
    assert steps_of(with_reflection) == (Step.CHOICE, Step.CONFIDENCE, Step.TICK)


def test_the_claim_step_suggests_the_concepts_the_phrases_found():
    pt = at_claim("I would go today and see her on her own.")
    assert deciding(pt).suggested == ("alone", "sooner")
    assert deciding(pt).draft.text == "I would go today and see her on her own."
    assert deciding(pt).draft.confidence == 3
    assert pt.answers[-1].decision_id != "differently"  # nothing recorded before the ticks
    assert at_claim("Ring the school back.").facing().suggested == ()


def test_ticking_nothing_is_an_answer_that_scores_zero():
    pt = at_claim("See her on her own.").tick_concepts([])
    answer = last_answer(pt)
    assert answer.decision_id == "differently"
    assert (answer.verdict, answer.score) == ("contrary", 0.0)
    assert answer.concepts_matched == ("alone",)
    assert answer.concepts_claimed == ()
    assert answer.concepts_missed == ("alone", "sooner")
    assert answer.missed_findings == ("see-the-child", "reported-delay")
    assert answer.counts


def test_ticking_every_concept_scores_one_even_where_no_phrase_matched():
    pt = at_claim("Ring the school back.").tick_concepts(["sooner", "alone"])
    answer = last_answer(pt)
    assert (answer.verdict, answer.score) == ("aligned", 1.0)
    assert answer.concepts_matched == ()
    assert answer.concepts_claimed == ("alone", "sooner")  # in the rubric's order
    assert answer.concepts_missed == () and answer.missed_findings == ()
    assessment = feedback(pt).assessment
    assert assessment.findings == ()
    assert [(r.matched, r.ticked, r.covered, r.self_assessed) for r in assessment.concepts] == [
        (False, True, True, True),
        (False, True, True, True),
    ]


def test_one_tick_of_two_is_partly_aligned():
    answer = last_answer(at_claim("Ring the school back.").tick_concepts(["sooner"]))
    assert (answer.verdict, answer.score) == ("partial", 0.5)
    assert answer.concepts_missed == ("alone",)
    assert answer.missed_findings == ("see-the-child",)


def test_an_unknown_concept_is_refused_and_nothing_is_recorded():
    pt = at_claim("See her on her own.")
    with pytest.raises(AnswerError):
        pt.tick_concepts(["alone", "courage"])
    assert deciding(pt).step is Step.TICK
    with pytest.raises(AnswerError):
        assess(SAMPLE, decision("differently"), text="x", concepts_ticked=["courage"])


def test_a_phrase_match_the_trainee_does_not_tick_does_not_count():
    """Negation fools phrases: "I believed her" is not challenging her; the trainee decides."""
    text = "I believed her that she fell, and I did not see her on her own."
    pt = at_claim(text)
    assert deciding(pt).suggested == ("alone",)
    pt = pt.tick_concepts([])
    answer = last_answer(pt)
    assert answer.concepts_matched == ("alone",) and answer.concepts_claimed == ()
    assert "alone" in answer.concepts_missed and answer.score == 0
    alone = feedback(pt).assessment.concepts[0]
    assert (alone.concept.id, alone.matched, alone.ticked, alone.covered) == (
        "alone",
        True,
        False,
        False,
    )
    assert [f.finding.id for f in feedback(pt).assessment.findings] == [
        "see-the-child",
        "reported-delay",
    ]


def test_respond_ticks_what_is_suggested_unless_told_otherwise():
    pt = facing_decision("differently")
    suggested = last_answer(pt.respond(text="On her own, today.", confidence=1))
    assert suggested.concepts_claimed == ("alone", "sooner") and suggested.score == 1
    told = last_answer(pt.respond(text="On her own, today.", confidence=1, concepts_ticked=["alone"]))
    assert told.concepts_claimed == ("alone",) and told.score == 0.5


def test_back_from_the_claim_goes_to_confidence_with_the_text_kept():
    text = "See her on her own."
    pt = at_claim(text).back()
    assert deciding(pt).step is Step.CONFIDENCE
    assert deciding(pt).draft.text == text and deciding(pt).draft.confidence == 3
    pt = pt.back()
    assert deciding(pt).step is Step.CHOICE and deciding(pt).draft.text == text
    pt = pt.choose(text=text + " Today.").rate(5)
    assert deciding(pt).suggested == ("alone", "sooner")
    answer = last_answer(pt.tick_concepts(["alone"]))
    assert (answer.text, answer.confidence, answer.score) == (text + " Today.", 5, 0.5)


def test_a_self_assessed_answer_is_reassessed_from_its_ticks_after_a_save():
    pt = at_claim("See her on her own.").tick_concepts(["sooner"])
    again = resumed(SAMPLE, saved(pt))
    assessment = again.assessment_for("differently")
    assert assessment.concepts_claimed == ("sooner",)
    assert assessment.concepts_matched == ("alone",)
    assert assessment.concepts_missed == ("alone",)
    assert assessment.score == 0.5


def test_phrases_scoring_keeps_format_1s_rule_with_no_ticks():
    written = decision("phrased", BUILT)
    assert not written.claims_concepts and written.judged
    assert steps_of(written) == (Step.CHOICE, Step.CONFIDENCE)
    pt = facing_decision("phrased", BUILT).choose(text="I'd see the child alone.").rate(2)
    answer = last_answer(pt)
    assert (answer.verdict, answer.score) == ("partial", 0.5)
    assert answer.concepts_matched == ("alone",) and answer.concepts_claimed == ()
    assert answer.concepts_missed == ("adults",) and answer.missed_findings == ("f-adults",)
    assessment = feedback(pt).assessment
    assert [(r.matched, r.ticked, r.covered, r.self_assessed) for r in assessment.concepts] == [
        (True, False, True, False),
        (False, False, False, False),
    ]


@pytest.mark.parametrize(("module", "decision_id"), [(SAMPLE, "notes"), (BUILT, "silent")])
def test_none_scoring_is_not_judged(module, decision_id):
    written = decision(decision_id, module)
    assert written.scoring == "none" and not written.judged and not written.claims_concepts
    assert steps_of(written) == (Step.CHOICE,)
    pt = facing_decision(decision_id, module).choose(text="Alone, today, on her own.")
    answer = last_answer(pt)
    assert (answer.verdict, answer.score) == (NOT_JUDGED, None)
    assert answer.concepts_matched == answer.concepts_claimed == answer.concepts_missed == ()
    assert answer.text == "Alone, today, on her own." and not answer.counts
    assessment = feedback(pt).assessment
    assert (assessment.verdict, assessment.score, assessment.judged) == (None, None, False)
    assert assessment.concepts == ()


def test_a_none_answer_is_left_out_of_the_module_score_even_when_marked_scored():
    assert decision("silent", BUILT).scored  # the flag alone does not make it count
    pt = play(PlayThrough(BUILT), lambda d: BUILT_PLAN[d.decision.id])
    assert [a.decision_id for a in pt.counted_answers] == ["order", "steps", "phrased"]
    assert pt.module_score == pytest.approx((1.0 + 1.0 + 0.5) / 3)


# -- polls ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "decision_id", "choice"),
    [(SAMPLE, "comfort", ["uneasy"]), (BUILT, "poll", ["visits", "neither"])],
)
def test_a_poll_is_recorded_but_not_judged(module, decision_id, choice):
    poll = decision(decision_id, module)
    assert not poll.judged and not poll.scored
    pt = facing_decision(decision_id, module).choose(choice)
    answer = last_answer(pt)
    texts = {o.id: o.text for o in poll.options}
    assert answer.choice == tuple(choice)
    assert answer.choice_texts == tuple(texts[i] for i in choice)
    assert (answer.verdict, answer.score, answer.judged, answer.counts) == (
        NOT_JUDGED,
        None,
        False,
        False,
    )
    assert {verdict for _, _, verdict in answer.options} == {NOT_JUDGED}
    assert answer.missed_findings == ()
    assessment = feedback(pt).assessment
    assert (assessment.verdict, assessment.score, assessment.judged) == (None, None, False)
    assert [c.option.id for c in assessment.chosen] == choice
    assert assessment.missed == ()


def test_a_poll_is_left_out_of_the_module_score_even_when_marked_scored():
    scored_poll = replace(decision("comfort"), scored=True)
    assert not scored_poll.judged
    result = assess(SAMPLE, scored_poll, ["comfortable"])
    assert (result.verdict, result.score) == (None, None)
    call = SAMPLE.stages[0]
    decisions = tuple(scored_poll if d.id == "comfort" else d for d in call.decisions)
    module = replace(
        SAMPLE, stages=(replace(call, decisions=decisions), *SAMPLE.stages[1:])
    )
    pt = play(PlayThrough(module), lambda d: SAMPLE_PLAN[d.decision.id])
    comfort = pt.answer_for("comfort")
    assert comfort.scored and not comfort.counts
    assert "comfort" not in [a.decision_id for a in pt.counted_answers]


def test_a_poll_still_takes_at_least_one_option():
    with pytest.raises(AnswerError):
        facing_decision("poll", BUILT).choose([])
    with pytest.raises(AnswerError):
        facing_decision("comfort").choose(["comfortable", "uneasy"])


# -- what happened at the time ------------------------------------------------------------


@pytest.mark.parametrize(("choice", "chose"), [("letter", True), ("visit", False)])
def test_a_single_decision_says_whether_the_answer_was_what_happened(choice, chose):
    assert decision("first").happened.id == "letter"
    result = assess(SAMPLE, decision("first"), [choice])
    assert result.happened.id == "letter"
    assert result.chose_what_happened is chose
    pt = facing_decision("first").respond([choice], confidence=2)
    answer = last_answer(pt)
    assert answer.happened == "letter" and answer.chose_what_happened is chose
    assert feedback(pt).assessment.chose_what_happened is chose
    back = Answer.from_data(answer.to_data())
    assert back.happened == "letter" and back.chose_what_happened is chose
    again = resumed(SAMPLE, saved(pt))
    assert again.answer_for("first").chose_what_happened is chose


@pytest.mark.parametrize(("choice", "chose"), [(["m1", "m2"], True), (["m1", "m3"], False)])
def test_a_multiple_decision_says_whether_the_answer_included_what_happened(choice, chose):
    result = assess(BUILT, decision("steps", BUILT), choice)
    assert result.happened.id == "m2" and result.chose_what_happened is chose
    answer = last_answer(facing_decision("steps", BUILT).choose(choice))
    assert answer.happened == "m2" and answer.chose_what_happened is chose


@pytest.mark.parametrize(
    ("module", "decision_id", "response"),
    [
        (SAMPLE, "comfort", Response(["uneasy"])),
        (BUILT, "poll", Response(["court"])),
        (SAMPLE, "differently", Response(text="On her own.", confidence=1)),
        (SAMPLE, "priorities", Response(["see-alone", "strategy", "records", "letter-home"])),
    ],
)
def test_nothing_marked_as_happened_gives_none(module, decision_id, response):
    assert decision(decision_id, module).happened is None
    pt = facing_decision(decision_id, module).respond(
        response.choice, response.text, response.confidence
    )
    answer = last_answer(pt)
    assert answer.happened is None and answer.chose_what_happened is None
    assert "happened" not in answer.to_data()
    assessment = feedback(pt).assessment
    assert assessment.happened is None and assessment.chose_what_happened is None


# -- answers as data ----------------------------------------------------------------------


def every_field_answer() -> Answer:
    return Answer(
        stage_id="s",
        decision_id="d",
        prompt="Order these.",
        kind="rank",
        choice=("b", "a", "c"),
        choice_texts=("B", "A", "C"),
        text="A written answer.",
        reason="Because.",
        confidence=4,
        verdict="partial",
        score=2 / 3,
        scored=False,
        concepts_matched=("x",),
        concepts_missed=("y",),
        answered_at="2030-01-10T09:00:00.000Z",
        options=(("a", "A", ""), ("b", "B", ""), ("c", "C", "")),
        findings=("f1", "f2"),
        missed_findings=("f3",),
        concepts_claimed=("x", "z"),
        panel_order=("a", "b", "c"),
        happened="b",
    )


def test_an_answer_with_every_new_field_round_trips_through_data_and_toml():
    answer = every_field_answer()
    data = answer.to_data()
    assert data["concepts_claimed"] == ["x", "z"]
    assert data["panel_order"] == ["a", "b", "c"]
    assert data["happened"] == "b"
    assert Answer.from_data(data) == answer
    assert Answer.from_data(tomllib.loads(tomli_w.dumps(data))) == answer
    # A rank answer places every option: "did it choose what happened?" is not asked of it.
    assert Answer.from_data(data).chose_what_happened is None
    single = replace(answer, kind="single", choice=("b",))
    assert Answer.from_data(single.to_data()).chose_what_happened is True


def test_every_answer_of_a_whole_play_round_trips():
    for module, plan in ((SAMPLE, SAMPLE_PLAN), (BUILT, BUILT_PLAN)):
        pt = play(PlayThrough(module), lambda d, plan=plan: plan[d.decision.id])
        assert pt.finished
        for answer in pt.answers:
            assert Answer.from_data(answer.to_data()) == answer
            assert Answer.from_data(tomllib.loads(tomli_w.dumps(answer.to_data()))) == answer
        again = resumed(module, tomllib.loads(tomli_w.dumps(saved(pt))))
        assert again.answers == pt.answers and again.finished
        assert again.module_score == pt.module_score


def test_an_answer_without_format_2_keys_writes_none_of_them():
    data = replace(
        every_field_answer(), concepts_claimed=(), panel_order=(), happened=None
    ).to_data()
    assert not {"concepts_claimed", "panel_order", "happened"} & set(data)


def test_an_old_answer_without_the_new_keys_reads_back_with_defaults():
    old = {
        "stage": "s1",
        "decision": "d-single",
        "prompt": "What now?",
        "kind": "single",
        "choice": ["a"],
        "choice_texts": ["Act"],
        "verdict": "aligned",
        "score": 1.0,
        "scored": True,
        "concepts_matched": [],
        "concepts_missed": [],
        "answered_at": "2026-11-25T10:00:00.123Z",
        "options": [{"id": "a", "text": "Act", "verdict": "aligned"}],
        "findings": ["f-act"],
        "missed_findings": [],
    }
    answer = Answer.from_data(old)
    assert answer.concepts_claimed == () and answer.panel_order == ()
    assert answer.happened is None and answer.chose_what_happened is None
    assert (answer.verdict, answer.score, answer.counts) == ("aligned", 1.0, True)


def test_an_unscored_self_assessed_answer_with_every_tick_and_no_phrase_reads_back_judged():
    """Regression: every concept ticked and none matched leaves matched and missed empty; the
    ticks still show it was compared, so it must not read back as an old not-judged answer.
    """
    written = replace(decision("differently"), scored=False)
    module = replace(
        SAMPLE,
        stages=(Stage("only", "Only", "Narrative.", date="2030-03", decisions=(written,)),),
    )
    pt = PlayThrough(module).respond(
        text="Ring the school.", confidence=2, concepts_ticked=["alone", "sooner"]
    )
    answer = last_answer(pt)
    assert (answer.concepts_matched, answer.concepts_missed) == ((), ())
    assert (answer.verdict, answer.score) == ("aligned", 1.0)
    assert Answer.from_data(answer.to_data()) == answer


# -- a whole play of the format 2 sample ------------------------------------------------------


def test_a_whole_play_of_the_sample_scores_the_mean_of_its_judged_scored_answers():
    plan = {
        "first": Response(["school"], confidence=3),  # partial: 0.5
        # one adjacent swap of four options, 1 of 6 pairs: 1 - 1/6
        "priorities": Response(["strategy", "see-alone", "records", "letter-home"]),
        "comfort": Response(["comfortable"]),  # a poll: not judged
        "meeting": Response(["see-at-school", "wait"]),  # 1 aligned, 1 contrary of 2: 0
        # the phrases find "alone" only, and respond ticks what is suggested: 1 of 2
        "differently": Response(text="I would see Mia alone.", confidence=2),
        "notes": Response(text="Read the review again, today, alone."),  # not judged
    }
    seen: list[tuple[str, Step]] = []

    def answerer(facing: Deciding) -> Response:
        seen.append((facing.decision.id, facing.step))
        return plan[facing.decision.id]

    pt = play(PlayThrough(SAMPLE), answerer)
    assert pt.finished
    assert seen == [(d, Step.CHOICE) for d in plan]
    by_id = {a.decision_id: a for a in pt.answers}
    assert [a.decision_id for a in pt.answers] == list(plan)
    assert (by_id["first"].verdict, by_id["first"].score) == ("partial", 0.5)
    assert by_id["first"].chose_what_happened is False
    assert (by_id["priorities"].verdict, by_id["priorities"].score) == ("aligned", 1 - 1 / 6)
    assert (by_id["comfort"].verdict, by_id["comfort"].score) == (NOT_JUDGED, None)
    assert (by_id["differently"].verdict, by_id["differently"].score) == ("partial", 0.5)
    assert by_id["differently"].concepts_claimed == ("alone",)
    assert (by_id["notes"].verdict, by_id["notes"].score) == (NOT_JUDGED, None)
    assert (by_id["meeting"].verdict, by_id["meeting"].score) == ("contrary", 0.0)
    assert by_id["meeting"].chose_what_happened is True
    counted = ["first", "priorities", "meeting", "differently"]
    assert [a.decision_id for a in pt.counted_answers] == counted
    assert pt.module_score == pytest.approx((0.5 + (1 - 1 / 6) + 0 + 0.5) / 4, abs=1e-12)
    assert pt.module_score == pytest.approx(11 / 24, abs=1e-12)
