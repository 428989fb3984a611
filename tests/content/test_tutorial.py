"""The tutorial against the December 2026 review (item 25): one history whatever the trainee
chooses, "happened" only where it happened, a rank decision to learn the keys on, a small case
file that tells its story, a written task of its own, and the support lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.content.shipped import SHIPPED
from tests.content.test_case_file import every_stage
from trainer.content import load_module
from trainer.engine import Module

TUTORIAL = next(p for p in SHIPPED if Path(p).stem == "tutorial-riverside")
CASE = next(p for p in SHIPPED if Path(p).stem == "peter-connelly-haringey")


@pytest.fixture(scope="module")
def tutorial() -> Module:
    return load_module(TUTORIAL)


def test_it_is_format_3_and_short(tutorial):
    assert tutorial.format == 3
    assert (tutorial.estimated_minutes or 0) <= 15
    assert sum(len(s.decisions) for s in tutorial.stages) <= 7
    assert "format 3" in TUTORIAL.read_text(encoding="utf-8").splitlines()[3]


def test_the_branch_is_supposed_and_the_history_is_one(tutorial):
    first, branch = tutorial.stage("bruise"), tutorial.stage("second-call")
    assert first is not None and branch is not None
    # What was done is said as such, whatever the trainee chose; the branch says it is supposed.
    assert (first.outcome or "").startswith("What was done:")
    assert branch.narrative.startswith("Suppose") and "Suppose" in branch.title
    assert "never came" in (branch.outcome or "")
    advice = next(o for o in first.decisions[0].options if o.id == "advice-only")
    assert "would have" in (advice.feedback or "") and "first missed chance" not in (
        advice.feedback or ""
    )


def test_happened_is_marked_only_where_it_happened(tutorial):
    marked = {
        stage.id: [o.id for d in stage.decisions for o in d.options if o.happened]
        for stage in tutorial.stages
    }
    assert marked == {
        "bruise": ["strategy-and-medical"],
        "second-call": [],
        "home": ["accept-friend"],
        "looking-back": [],
    }


def test_a_rank_decision_of_three_teaches_the_keys(tutorial):
    (rank,) = [d for s in tutorial.stages for d in s.decisions if d.kind == "rank"]
    assert len(rank.options) == 3 and rank.scored
    assert rank.order_label == "this module's suggested order"
    assert all(o.feedback for o in rank.options)
    # On every path: it is in the first stage, before the branch.
    assert rank in tutorial.stage("bruise").decisions


def test_the_written_task_is_not_the_real_modules(tutorial):
    case = load_module(CASE)
    (written,) = [d for s in tutorial.stages for d in s.decisions if d.kind == "text"]
    real = [d for s in case.stages for d in s.decisions if d.kind == "text"]
    assert "note" in written.prompt and "differently" not in written.prompt
    assert all(written.prompt != d.prompt for d in real)
    labels = {c.label for c in written.rubric}
    assert not labels & {c.label for d in real for c in d.rubric}
    assert len(written.rubric) >= 3


def test_the_support_text_gives_the_lines_a_trainee_may_need(tutorial):
    support = tutorial.support or ""
    numbers = re.findall(r"\d[\d ]{4,}\d", support)
    assert numbers == ["0808 801 0331", "0808 800 5000", "116 123"]
    assert "Samaritans" in support and "worried about a child now" in support


def test_the_case_file_is_small_and_tells_its_story(tutorial):
    assert 3 <= len(tutorial.chronology) <= 10 and tutorial.documents
    # The supposed second call puts nothing in the case file.
    assert not any(e.from_stage == "second-call" for e in tutorial.chronology)
    assert not any(d.from_stage == "second-call" for d in tutorial.documents)
    seen_the_man = 0
    for stages, case_file in every_stage(tutorial):
        man = case_file.person("the-man")
        if stages[-1] in ("bruise", "second-call"):
            assert man is None, "nobody has seen him yet"
        else:
            # The review found no one asked who he was: he stays unidentified.
            assert man is not None and not man.identified
            seen_the_man += 1
    assert seen_the_man
