"""Plain mode played through on every shipped module (and the test fixtures: formats 1 to 3,
phrase-scored writing, polls), compared with the saves the app writes.

Each module is played to its end twice, once with the review's answers and once against
them (so every decision kind is answered, and the branches both ways), from a script of
typed lines; the save plain mode leaves is the save the app's moves leave for the same
answers, and the output is plain at 80 columns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.content.shipped import SHIPPED, shipped_ids
from tests.plain.scripts import (
    against,
    aligned,
    fresh,
    play_like_the_app,
    run,
    save_data,
    save_path,
    script,
)
from trainer.content import load_module
from trainer.saves import read_save

POLICIES = {"aligned": aligned, "against": against}
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = [
    ROOT / "tests" / "fixtures" / "format2.toml",  # phrase-scored writing, polls, branches
    ROOT / "tests" / "fixtures" / "format3.toml",
    ROOT / "tests" / "tui" / "fixtures" / "literal.toml",  # format 1, markup shown as typed
    ROOT / "tests" / "tui" / "fixtures" / "long.toml",
]
MODULES = [*SHIPPED, *FIXTURES]
MODULE_IDS = [*shipped_ids(), *(f"fixture-{path.stem}" for path in FIXTURES)]


@pytest.mark.parametrize("policy", POLICIES, ids=list(POLICIES))
@pytest.mark.parametrize("path", MODULES, ids=MODULE_IDS)
def test_a_module_played_in_plain_mode_saves_what_the_app_saves(path, policy, tmp_path):
    module = load_module(path)
    lines = script(fresh(module), POLICIES[policy])
    status, out = run(path, lines, tmp_path / "plain")
    assert status == 0
    plain_save = save_path(tmp_path / "plain", module.id)
    (attempt,) = read_save(plain_save).attempts
    assert attempt.finished, out[-2000:]
    app_save = play_like_the_app(tmp_path / "app", path, module, POLICIES[policy])
    assert save_data(plain_save) == save_data(app_save)
    assert "Debrief: " in out and "Your answers are saved." in out


def test_the_shipped_modules_hold_every_kind_of_decision():
    """So the runs above answer every kind: single, multiple, rank, and a written answer
    whose concepts the trainee ticks."""
    kinds = {
        (d.kind, d.claims_concepts)
        for path in SHIPPED
        for stage in load_module(path).stages
        for d in stage.decisions
    }
    assert {("single", False), ("multiple", False), ("rank", False), ("text", True)} <= kinds


@pytest.mark.parametrize("path", SHIPPED, ids=shipped_ids())
def test_every_answer_recorded_is_exactly_the_answer_typed(path, tmp_path):
    module = load_module(path)
    lines = script(fresh(module), against)
    run(path, lines, tmp_path)
    (attempt,) = read_save(save_path(tmp_path, module.id)).attempts
    assert attempt.finished and attempt.answers
    for answer in attempt.answers:
        found = module.decision(answer.decision_id)
        assert found is not None
        stage, decision = found
        response = against(_deciding(decision, stage))
        if decision.kind == "rank":
            assert answer.choice == tuple(response.choice)
        elif decision.kind == "text":
            assert answer.text == response.text and answer.concepts_claimed == ()
        else:
            assert set(answer.choice) == set(response.choice)
        if decision.asks_confidence:
            assert answer.confidence == response.confidence
        if decision.asks_reason:
            assert answer.reason == response.reason


def _deciding(decision, stage):
    from trainer.engine import Deciding, Draft, Step

    return Deciding(stage, decision, Step.CHOICE, Draft(decision.id), 1, 1)
