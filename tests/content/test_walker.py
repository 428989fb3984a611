"""A walker that plays every path of every shipped module to its end.

A path is a distinct sequence of stages. At each decision the walker tries one
answer for each distinct place the answer can lead (an option's `next`, or
none), so every branch is taken without enumerating every combination of
answers; a separate test answers every option of every decision once.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from tests.content.shipped import SHIPPED, shipped_ids
from trainer.content import load_module
from trainer.engine import NOT_JUDGED, VERDICTS, Decision, Feedback, Module, PlayThrough, assess
from trainer.engine.autoplay import Response, play

MAX_PATHS = 10_000


def answers_that_branch(decision: Decision) -> list[Response]:
    """One answer per distinct destination this decision can send the trainee to."""
    confidence = 3 if decision.asks_confidence else None
    reason = "for the child" if decision.asks_reason else None
    if decision.kind == "text":
        return [Response(text="every adult, the child", confidence=confidence)]
    if decision.kind == "rank":
        # Every option is placed and none branches: the panel's order, then its reverse.
        order = list(decision.panel_order)
        return [
            Response(order, None, confidence, reason),
            Response(order[::-1], None, confidence, reason),
        ]
    by_target: dict[str | None, Response] = {}
    for option in decision.options:
        by_target.setdefault(option.next, Response([option.id], None, confidence, reason))
    if decision.kind == "multiple":
        every = Response([o.id for o in decision.options], None, confidence, reason)
        by_target.setdefault("all", every)
    return list(by_target.values())


def walk(module: Module) -> list[list[str]]:
    """Every stage path through the module, each played to its end."""
    finished: list[list[str]] = []

    def explore(pt: PlayThrough) -> None:
        assert len(finished) < MAX_PATHS, "more paths than a walker should meet"
        pt = play(pt, lambda deciding: None)  # on to the next decision, or the end
        if pt.finished:
            finished.append([s.id for s in pt.path])
            return
        decision = pt.next_decision
        assert decision is not None
        for response in answers_that_branch(decision):
            # Each move returns a new play-through: every branch starts from the same point.
            branch = pt.respond(
                response.choice, response.text, response.confidence, response.reason
            )
            feedback = branch.facing()
            assert isinstance(feedback, Feedback) and feedback.decision == decision
            if decision.judged:
                assert feedback.answer.verdict in VERDICTS
            else:
                assert feedback.answer.verdict == NOT_JUDGED and feedback.answer.score is None
            explore(branch)

    explore(PlayThrough(module))
    return finished


@pytest.mark.parametrize("path", SHIPPED, ids=shipped_ids())
def test_every_path_ends_and_every_stage_is_on_one(path):
    module = load_module(path)
    paths = walk(module)
    assert paths, "at least one path"
    reached = {stage for p in paths for stage in p}
    assert reached == {s.id for s in module.stages}, "every stage is on some path"
    assert all(p[-1] for p in paths)


@pytest.mark.parametrize("path", SHIPPED, ids=shipped_ids())
def test_every_option_of_every_decision_can_be_answered(path):
    module = load_module(path)
    for stage in module.stages:
        for decision in stage.decisions:
            if decision.kind == "text":
                answers = [{"text": "an answer"}]
            elif decision.kind == "rank":
                # Every option first once, the rest in the panel's order after it.
                panel = list(decision.panel_order)
                answers = [{"choice": [o, *(p for p in panel if p != o)]} for o in panel]
            else:
                answers = [{"choice": [o.id]} for o in decision.options]
            for kwargs in answers:
                result = assess(module, decision, **kwargs)
                if not decision.judged:
                    assert result.score is None and result.verdict is None
                    continue
                assert result.score is not None and 0 <= result.score <= 1
                for linked in result.findings:
                    assert linked.source is not None, f"{linked.finding.id} names its source"


STARTER = Path(str(resources.files("trainer.content").joinpath("starter.toml")))
FORMAT_2_SAMPLE = Path(__file__).parents[1] / "fixtures" / "format2.toml"


@pytest.mark.parametrize("path", [STARTER, FORMAT_2_SAMPLE], ids=["starter", "format2-sample"])
def test_the_starter_and_the_format_2_sample_play_every_path(path):
    module = load_module(path)
    paths = walk(module)
    assert {stage for p in paths for stage in p} == {s.id for s in module.stages}


def test_the_shipped_modules_are_there():
    assert len(SHIPPED) >= 2


def test_shipped_modules_are_strict_clean(capsys):
    from trainer.cli import main
    from trainer.paths import shipped_modules_dir

    assert main(["validate", "--strict", str(shipped_modules_dir())]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().err
