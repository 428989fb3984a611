"""Every scoring rule of the brief, one test each."""


import pytest

from tests.engine.fixture import fixture_module
from tests.records import replace
from trainer.engine import assess, match_phrase, normalise, verdict_for_score
from trainer.errors import AnswerError

MODULE = fixture_module()


def decision(decision_id: str):
    found = MODULE.decision(decision_id)
    assert found is not None
    return found[1]


@pytest.mark.parametrize(
    ("choice", "verdict", "score"),
    [(["a"], "aligned", 1.0), (["p"], "partial", 0.5), (["c"], "contrary", 0.0)],
)
def test_single_takes_the_options_verdict(choice, verdict, score):
    result = assess(MODULE, decision("d-single"), choice)
    assert (result.verdict, result.score) == (verdict, score)
    assert [c.option.id for c in result.chosen] == choice


def test_single_links_the_options_findings_with_their_source():
    result = assess(MODULE, decision("d-single"), ["a"])
    assert [(f.finding.id, f.source.id) for f in result.findings] == [("f-act", "src")]
    assert result.findings[0].finding.quote == "act early"


@pytest.mark.parametrize(
    ("choice", "score", "verdict"),
    [
        (["m1", "m2"], 1.0, "aligned"),
        (["m1"], 0.5, "partial"),
        (["m1", "m2", "m3"], 0.5, "partial"),  # (2 - 1) / 2
        (["m1", "m3"], 0.0, "contrary"),  # (1 - 1) / 2
        (["m3"], 0.0, "contrary"),  # max(0, -1/2)
        (["m4"], 0.0, "contrary"),  # partial options neither add nor take away
        (["m1", "m2", "m4"], 1.0, "aligned"),
    ],
)
def test_multiple_score_formula(choice, score, verdict):
    result = assess(MODULE, decision("d-multiple"), choice)
    assert result.score == pytest.approx(score)
    assert result.verdict == verdict


def test_multiple_lists_every_chosen_option_and_names_aligned_ones_left_out():
    result = assess(MODULE, decision("d-multiple"), ["m3", "m1"])
    assert [(c.option.id, c.option.verdict) for c in result.chosen] == [
        ("m1", "aligned"),
        ("m3", "contrary"),
    ]
    assert [o.id for o in result.missed] == ["m2"]


def test_text_score_is_matched_concepts_over_all():
    result = assess(
        MODULE, decision("d-text"), text="I'd CHALLENGE the account, and find every adult."
    )
    assert result.concepts_matched == ("adults", "challenge")
    assert result.concepts_missed == ("child", "share")
    assert result.score == 0.5 and result.verdict == "partial"
    # Feedback names, for each missed concept, the finding behind it (when it has one).
    assert [f.finding.id for f in result.findings] == ["f-child"]


def test_text_full_and_empty_answers():
    full = "Every adult; challenging; focus on the child; share information."
    assert assess(MODULE, decision("d-text"), text=full).verdict == "aligned"
    empty = assess(MODULE, decision("d-text"), text="")
    assert (empty.score, empty.verdict) == (0.0, "contrary")


def test_verdict_follows_score():
    assert [verdict_for_score(s) for s in (0, 0.01, 0.5, 0.99, 1)] == [
        "contrary",
        "partial",
        "partial",
        "partial",
        "aligned",
    ]


def test_normalise_nfkc_casefold_and_punctuation():
    assert normalise("ＳＴＲＡßE—non-accidental, (Mr. H's)") == [
        "strasse",
        "non",
        "accidental",
        "mr",
        "h",
        "s",
    ]


@pytest.mark.parametrize(
    ("phrase", "text", "hit"),
    [
        ("adult", "every adult here", True),
        ("adult", "the adults", False),  # word boundaries
        ("adult*", "the adults", True),  # prefix
        ("challeng*", "Challenging!", True),
        ("focus on the child", "Focus on the child.", True),
        ("focus on the child", "focus on the children", False),
        ("focus on the child*", "focus on the children", True),
        ("non-accidental", "non accidental injury", True),
        ("mr h", "Mr. H was there", True),
        ("*", "anything", False),
        ("", "anything", False),
        ("care", "childcare", False),
    ],
)
def test_match_phrase(phrase, text, hit):
    assert match_phrase(phrase, normalise(text)) is hit


def test_reflection_gets_concepts_but_does_not_change_the_score():
    with_reason = assess(MODULE, decision("d-single"), ["p"], reason="For the child's sake")
    without = assess(MODULE, decision("d-single"), ["p"])
    assert with_reason.score == without.score == 0.5
    assert [(r.concept.id, r.matched) for r in with_reason.reason_concepts] == [
        ("k-child", True)
    ]


@pytest.mark.parametrize(
    ("decision_id", "kwargs", "message"),
    [
        ("d-single", {"choice": []}, "exactly one"),
        ("d-single", {"choice": ["a", "p"]}, "exactly one"),
        ("d-single", {"choice": ["zz"]}, "no option 'zz'"),
        ("d-multiple", {"choice": []}, "at least one"),
        ("d-multiple", {"choice": ["m1", "m1"]}, "chosen twice"),
        ("d-single", {"text": "words"}, "takes a choice"),
        ("d-text", {"choice": ["a"]}, "written answer"),
    ],
)
def test_answers_that_do_not_fit_are_refused(decision_id, kwargs, message):
    with pytest.raises(AnswerError, match=message):
        assess(MODULE, decision(decision_id), **kwargs)


def test_a_written_question_without_a_rubric_is_not_judged():
    bare = replace(decision("d-text"), rubric=(), scored=False)
    assert not bare.judged
    result = assess(MODULE, bare, text="Anything at all.")
    assert result.verdict is None and result.score is None and not result.judged
    assert result.concepts == () and result.findings == ()
    assert result.concepts_matched == result.concepts_missed == ()
    with pytest.raises(AnswerError, match="written answer"):
        assess(MODULE, bare, ["a"])


def test_every_other_decision_is_judged():
    for decision_id in ("d-single", "d-multiple", "d-unscored", "d-text"):
        assert decision(decision_id).judged
        assert assess_any(decision(decision_id)).judged


def assess_any(found):
    if found.kind == "text":
        return assess(MODULE, found, text="")
    return assess(MODULE, found, [found.options[0].id])
