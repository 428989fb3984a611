"""The Markdown debrief: the score, each answer as given, concepts, findings with their quotes."""

from __future__ import annotations

import pytest

from tests.cohort.conftest import TUTORIAL, not_judged_tutorial, write_not_judged_cohort
from tests.engine.fixture import fixture_module
from tests.records import replace
from trainer.content import load_module
from trainer.debrief_markdown import debrief_markdown
from trainer.engine import Finding, Module, PlayThrough, Source
from trainer.engine.autoplay import Response, play
from trainer.saves import read_save

WHEN = "2026-11-25T10:00:00.000Z"


def module_with_cited_findings() -> Module:
    """The fixture, its option texts ending in full stops, a quotation holding quote marks."""
    module = fixture_module()
    s1, s2, s3, s4 = module.stages
    multiple = s2.decisions[0]
    options = tuple(replace(o, text=o.text + ".") for o in multiple.options)
    s2 = replace(s2, decisions=(replace(multiple, options=options),))
    return replace(
        module,
        sources=(Source("src", "A review", publisher="The Board", date="2009"),),
        findings=(
            Finding(
                "f-act", "Act early.", "src", quote='He said "it was fine" twice.', locator="para 1"
            ),
            *module.findings[1:],
        ),
        stages=(s1, replace(s2, next="s4"), s3, s4),
    )


MODULE = module_with_cited_findings()

PLAN = {
    "d-single": Response(["p"], confidence=4, reason="Keep the child* in _view_ #1"),
    "d-multiple": Response(["m1", "m3", "m4"]),
    "d-text": Response(text="I'd challenge every adult."),
}


def debrief(plan=PLAN, module=MODULE) -> str:
    pt = play(PlayThrough(module), lambda deciding: plan.get(deciding.decision.id))
    return debrief_markdown(pt, "Sam Okafor", 2, WHEN)


def section(text: str, number: int) -> str:
    """One decision's part of the debrief."""
    return text.split(f"\n### {number}. ")[1].split("\n### ")[0].split("\n## ")[0]


def test_the_head_names_learner_attempt_version_and_the_score_as_a_mean():
    text = debrief()
    assert text.startswith("# Debrief: Fixture\n\n- Learner: Sam Okafor\n- Attempt: 2\n")
    # 0.5, 0.25 (multiple: (1 - 1) / 2 is 0; m4 is partial: 0) and 0.5: mean 1/3
    assert "- Score: 33%, the mean of 3 scored decisions\n" in text
    assert f"- Written: {WHEN}\n" in text
    assert text.endswith("2. Two?\n") and "\n\n\n" not in text


@pytest.mark.parametrize(
    ("plan", "score"),
    [
        (
            {"d-single": Response(["a"], confidence=4, reason="r")},
            "100%, the mean of 1 scored decision",
        ),
        ({}, "not scored (no scored decision was answered)"),
    ],
)
def test_the_score_says_how_many_scored_decisions_it_is_the_mean_of(plan, score):
    assert f"- Score: {score}\n" in debrief(plan)


def test_each_chosen_option_of_a_multiple_answer_has_its_own_line_with_its_verdict():
    part = section(debrief(), 2)
    assert ".;" not in part and "; " not in part
    assert (
        "- Your answer:\n"
        "  - Check the adults. (Aligned with the review)\n"
        "  - Trust the account. (Contrary to the review)\n"
        "  - Write a note. (Partly aligned)\n"
        "- Options aligned with the review that you left out:\n"
        "  - Ask the police.\n"
        "- Verdict: Contrary to the review (score 0%)\n"
    ) in part


def test_a_single_answer_its_reason_verdict_and_confidence():
    part = section(debrief(), 1)
    assert (
        "- Your answer: Wait a little\n"
        "- Your reason: Keep the child* in _view_ #1\n"  # exactly as typed: nothing escaped
        "- Verdict: Partly aligned (score 50%)\n"
        "- How sure you were: 4 of 5\n"
    ) in part


def test_a_quotation_is_a_blockquote_under_its_finding_with_the_source_after_it():
    part = section(debrief(), 1)
    assert (
        "What the review found:\n"
        "\n"
        "- Act early.\n"
        "\n"
        '  > He said "it was fine" twice.\n'
        "\n"
        "  Source: The Board, 2009, “A review”, para 1\n"
    ) in part
    assert '"He said' not in part and '\\"' not in part


def test_a_finding_without_a_quotation_gives_its_source():
    part = section(debrief(), 2)
    assert "- Know every adult.\n\n  Source: The Board, 2009, “A review”, para 2\n" in part
    assert ">" not in part


def test_a_written_answer_lists_the_concepts_found_and_missed_with_the_finding_behind_each():
    part = section(debrief(), 3)
    assert "- Your answer: I'd challenge every adult.\n" in part
    assert "- Verdict: Partly aligned (score 50%)\n" in part
    assert "Concepts your answer showed:\n\n- Every adult\n- Challenge\n" in part
    assert (
        "Concepts your answer missed, and the finding behind each:\n"
        "\n"
        "- The child. The review found: Keep the child in focus.\n"
        "\n"
        "  Source: The Board, 2009, “A review”, para 3\n"
        "\n"
        "- Share (no finding is linked to it)\n"
    ) in part
    assert "What the review found" not in part  # the findings are those behind the missed


def test_a_reason_lists_its_concepts_found_and_missed():
    found = section(debrief(), 1)
    assert "Concepts your reason showed:\n\n- Child\n" in found
    assert "Concepts your reason missed" not in found
    missed = section(debrief({**PLAN, "d-single": Response(["p"], confidence=4, reason="wait")}), 1)
    assert "Concepts your reason showed: none.\n" in missed
    assert (
        "Concepts your reason missed, and the finding behind each:\n\n"
        "- Child. The review found: Keep the child in focus.\n"
    ) in missed


def test_a_written_answer_over_several_lines_stays_inside_its_list_item():
    text = debrief({**PLAN, "d-text": Response(text="First line.\nSecond line.\n\nThird.")})
    assert "- Your answer: First line.\n  Second line.\n\n  Third.\n" in section(text, 3)


def test_an_unscored_decision_says_so():
    module = replace(
        MODULE, stages=(MODULE.stages[0], fixture_module().stages[1], *MODULE.stages[2:])
    )
    text = debrief({**PLAN, "d-unscored": Response(["u2"])}, module)
    part = section(text, 3)
    assert part.startswith("Second\n\nHow do you feel?")
    assert "- Verdict: Contrary to the review (not scored)\n" in part


def test_an_unfinished_attempt_shows_the_decision_due_as_not_answered():
    text = debrief({"d-single": PLAN["d-single"]})
    part = section(text, 2)
    assert "- Your answer: (not answered)\n- Verdict: not answered\n" in part


# -- not judged ------------------------------------------------------------------------


def test_a_not_judged_written_answer_is_recorded_not_judged():
    module = replace(
        MODULE,
        stages=(
            *MODULE.stages[:3],
            replace(
                MODULE.stages[3],
                decisions=(
                    replace(MODULE.stages[3].decisions[0], rubric=(), scored=False),
                ),
            ),
        ),
    )
    text = debrief({**PLAN, "d-text": Response(text="I would be kinder.")}, module)
    part = section(text, 3)
    assert "- Your answer: I would be kinder.\n" in part
    assert "- Recorded, not judged: this question is not compared with the review.\n" in part
    assert "Verdict" not in part and "Contrary" not in part and "Concepts" not in part
    assert "- Score: 25%, the mean of 2 scored decisions\n" in text  # left out of the score


@pytest.mark.parametrize("learner", ["noor-haddad", "old-save"])
@pytest.mark.parametrize("module", ["as played", "shipped"])
def test_a_save_holding_a_not_judged_written_answer_debriefs_it_as_not_judged(
    tmp_path, learner, module
):
    folder = write_not_judged_cohort(tmp_path / "saves")
    found = module == "as played"
    played = not_judged_tutorial() if found else load_module(TUTORIAL)
    save = read_save(folder / learner / "tutorial-riverside.toml")
    pt = save.attempts[0].playthrough(played)
    assert pt.finished
    text = debrief_markdown(pt, save.learner.name, 1, WHEN)
    part = text.split("Write the note you would make")[1].split("\n## ")[0]
    assert "- Your answer: I would be kinder to the mother.\n" in part
    assert "- Recorded, not judged: this question is not compared with the review.\n" in part
    assert "Contrary" not in part and "Verdict" not in part
    assert "- Score: 100%, the mean of 3 scored decisions\n" in text


def test_a_format_2_debrief_has_voices_orders_ticks_and_what_was_done():
    from pathlib import Path

    from trainer.content import load_module
    from trainer.engine.autoplay import Response, play

    module = load_module(Path(__file__).parent / "fixtures" / "format2.toml")
    answers = {
        "first": Response(["visit"], confidence=4),
        "priorities": Response(["see-alone", "records", "strategy", "letter-home"]),
        "comfort": Response(["uneasy"]),
        "meeting": Response(["see-at-school", "conference"]),
        "differently": Response(text="I believed her", confidence=2, concepts_ticked=()),
        "notes": Response(text="for me"),
    }
    pt = play(PlayThrough(module), lambda facing: answers[facing.decision.id])
    text = debrief_markdown(pt, "Sam", 1, "2026-11-25T10:00:00.000Z")
    first = text[text.index("### 1.") : text.index("### 2.")]
    assert first.index("What the review found:") < first.index("Comment:")
    assert "staff were under great pressure" in first[first.index("Comment:") :]
    assert "a children's charity, in A children's charity, 15 March 2031" in first
    assert "What was done at the time: Write to the family and offer a meeting." in first
    rank = text[text.index("### 2.") : text.index("### 3.")]
    assert "- Your order:\n  1. See Mia on her own.\n  2. Check the records" in rank
    assert "- This module's suggested order:\n  1. See Mia on her own.\n  2. Hold a strategy" in rank
    assert "panel" not in text.casefold()
    poll = text[text.index("### 3.") : text.index("### 4.")]
    assert "Recorded, not judged" in poll and "Verdict" not in poll
    written = text[text.index("### 5.") : text.index("### 6.")]
    assert "- [ ] See the child alone" in written and "- [ ] Act sooner" in written
    assert "Verdict: Contrary to the review" in written


def tutorial_debrief(plan: str) -> str:
    from tests.cohort.conftest import PLANS

    answers = PLANS[plan]
    pt = play(
        PlayThrough(load_module(TUTORIAL)),
        lambda d: Response(**answers[d.decision.id]) if d.decision.id in answers else None,
    )
    return debrief_markdown(pt, "Sam Okafor", 1, WHEN)


def test_the_case_file_as_known_at_the_end_of_the_path_played_follows_the_decisions():
    text = tutorial_debrief("aligned")
    assert text.index("## Decisions") < text.index("## The case file as known at the end")
    assert text.index("## The case file as known at the end") < text.index("## Looking back")
    case = text.split("## The case file as known at the end\n")[1].split("\n## ")[0]
    # The chronology in date order, a key entry said in words; the people as the plain list
    # (no drawing), then how they are related.
    assert "### Chronology\n\n- October 2024, midwifery: Ruby born at full term." in case
    assert "Referred to children's social care. (the review says this mattered)" in case
    assert "### People\n\n- Ms Brook: Ruby's mother (female; lives in the household)" in case
    assert "- Ms Brook is a parent of Ruby" in case
    assert "Man on stairs" in case  # known from the visit on
    assert not any(c in case for c in "─│┌└├")
    # The second call is only supposed (it did not happen): on the path through it the case
    # file holds what it holds on the other paths, and no second bruise.
    branch = tutorial_debrief("branch")
    assert "A second bruise has been seen" in branch  # the supposed call's decision was played
    known = branch.split("## The case file as known at the end\n")[1].split("\n## ")[0]
    assert known == case
    assert "behind Ruby's ear" not in known and "second bruise" not in case


def test_an_attempt_stopped_early_gives_the_case_file_as_it_stood_then():
    case = tutorial_debrief("unfinished").split("## The case file as known at the end\n")[1]
    assert "Man on stairs" not in case and "Strategy discussion" not in case.split("\n## ")[0]


def test_a_module_without_a_case_file_has_no_such_section():
    assert "## The case file" not in debrief()
