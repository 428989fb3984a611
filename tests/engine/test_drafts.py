"""Text typed and not yet confirmed: the engine keeps it through going back, says what of it a
save keeps (`kept_draft`), and puts it back on resume. Choices are never kept."""

import tomllib

import pytest
import tomli_w

from tests.engine import saved
from tests.engine.fixture import fixture_module
from tests.engine.test_format2 import SAMPLE, at_claim, deciding, facing_decision
from tests.records import replace
from trainer.engine import Deciding, Draft, PlayThrough, Reading, Step
from trainer.engine.answer import MAX_DRAFT_CHARS, KeptDraft
from trainer.errors import AnswerError

MODULE = fixture_module()
"""d-single asks a choice, how sure, and a reason; d-text is a written answer."""


def at_reason() -> PlayThrough:
    pt = PlayThrough(MODULE).finish_reading().choose(["p"]).rate(2)
    assert deciding(pt).step is Step.REASON
    return pt


def resumed(pt: PlayThrough) -> PlayThrough:
    """The play-through as a save brings it back: through its state, written as TOML."""
    state = tomllib.loads(tomli_w.dumps(saved.saved(pt)))
    return saved.resumed(pt.module, state)


# -- a reason ---------------------------------------------------------------------------------


def test_a_reason_typed_is_kept_going_back_and_forth():
    pt = at_reason().typed("because the child")
    assert pt.kept_draft == KeptDraft("d-single", reason="because the child")
    pt = pt.back(typed="because the child was not seen")  # Escape, Escape: to how sure
    assert deciding(pt).step is Step.CONFIDENCE
    pt = pt.back().back()  # to the choice, then to the stage
    assert isinstance(pt.facing(), Reading)
    pt = pt.finish_reading().choose(["a"]).rate(4)
    now = deciding(pt)
    assert now.step is Step.REASON and now.draft.reason == "because the child was not seen"
    assert pt.answers == (), "nothing typed is an answer"


def test_a_reason_typed_survives_a_save_but_the_choice_and_confidence_do_not():
    pt = at_reason().typed("because the child")
    again = resumed(pt)
    assert isinstance(again.facing(), Reading), "the stage is shown first, as on any resume"
    now = deciding(again.finish_reading())
    assert now.step is Step.CHOICE and now.draft.choice == () and now.draft.confidence is None
    pt = again.finish_reading().choose(["c"]).rate(1)
    assert deciding(pt).draft.reason == "because the child"
    answer = pt.give_reason(deciding(pt).draft.reason).answers[0]
    assert answer.choice == ("c",) and answer.reason == "because the child"


def test_once_the_answer_is_recorded_nothing_is_kept():
    pt = at_reason().typed("  because  ")
    pt = pt.give_reason("because")
    assert len(pt.answers) == 1 and pt.kept_draft is None and "draft" not in saved.saved(pt)


# -- a written answer -----------------------------------------------------------------------


def at_written() -> PlayThrough:
    return facing_decision("differently")


def test_a_written_answer_typed_is_kept_back_to_the_stage_and_on_resume():
    pt = at_written().typed("See Mia\non her own")
    assert pt.kept_draft == KeptDraft("differently", text="See Mia\non her own")
    pt = pt.back(typed="See Mia\non her own, today")
    assert isinstance(pt.facing(), Reading)
    assert deciding(pt.finish_reading()).draft.text == "See Mia\non her own, today"
    again = resumed(pt)
    assert deciding(again.finish_reading()).draft.text == "See Mia\non her own, today"


def test_a_submitted_written_answer_is_a_draft_until_its_ticks_are_given():
    text = "See her on her own, the same day."
    pt = at_claim(text)
    assert deciding(pt).step is Step.TICK and pt.answers[-1].decision_id != "differently"
    assert pt.kept_draft == KeptDraft("differently", text=text)
    again = resumed(pt).finish_reading()
    now = deciding(again)
    assert now.step is Step.CHOICE and now.draft.text == text, "back at the text, to submit"
    assert now.draft.confidence is None and now.draft.concepts_ticked is None
    answer = again.respond(text=now.draft.text, confidence=2).answers[-1]
    assert answer.text == text and answer.decision_id == "differently"


def test_ticks_given_for_one_text_are_dropped_when_the_text_is_edited():
    text = "See her on her own."
    ticked = Draft("differently", text=text, concepts_ticked=("alone",))
    pt = replace(at_written(), draft=ticked)
    assert deciding(pt.typed(text)).draft.concepts_ticked == ("alone",), "the same text keeps them"
    assert deciding(pt.typed(text + " Today.")).draft.concepts_ticked is None
    assert deciding(pt.back(typed=text + " Today.").finish_reading()).draft.concepts_ticked is None


def test_only_typed_text_is_kept_and_only_for_the_decision_due():
    pt = PlayThrough(MODULE).finish_reading().choose(["a"])
    assert pt.kept_draft is None, "a choice is never kept"
    with pytest.raises(AnswerError, match="nothing to type at the confidence step"):
        pt.typed("x")
    with pytest.raises(AnswerError, match="nothing to type at the choice step"):
        PlayThrough(MODULE).finish_reading().typed("x")
    with pytest.raises(AnswerError, match="no decision is due"):
        PlayThrough(MODULE).typed("x")
    blank = at_reason().typed(" \n\t ")
    assert blank.kept_draft is None, "nothing but spaces is nothing typed"
    # A draft for a decision not due (a save made before the module changed) is not used.
    stray = PlayThrough(MODULE, draft=Draft("d-text", text="old"))
    assert stray.kept_draft is None
    facing = stray.finish_reading().facing()
    assert isinstance(facing, Deciding) and facing.draft == Draft("d-single")


def test_a_kept_draft_is_never_longer_than_a_save_holds():
    huge = "x" * (MAX_DRAFT_CHARS + 10)
    kept = at_written().typed(huge).kept_draft
    assert kept is not None and len(kept.text) == MAX_DRAFT_CHARS


def test_text_is_kept_exactly_as_typed():
    typed = "Line one\n\n\tindented «quoted» \x1b[31m and a ZWJ 👩\u200d👧"
    pt = resumed(at_written().typed(typed))
    assert deciding(pt.finish_reading()).draft.text == typed


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"text": "x"}, "'decision'"),
        ({"decision": 7}, "decision should be text"),
        ({"decision": "d", "text": ["a"]}, "text should be text, not a list"),
        ({"decision": "d", "reason": 1.5}, "reason should be text, not a number"),
        ({"decision": "d", "text": "x" * (MAX_DRAFT_CHARS + 1)}, "a draft holds at most"),
    ],
)
def test_a_draft_that_is_not_one_the_app_wrote_is_refused(data, says):
    with pytest.raises((KeyError, TypeError, ValueError), match=says):
        KeptDraft.from_data(data)


def test_the_sample_module_has_what_these_tests_use():
    written = SAMPLE.decision("differently")[1]
    assert written.kind == "text" and written.claims_concepts and written.asks_confidence
    single = MODULE.decision("d-single")[1]
    assert single.asks_reason and single.asks_confidence
