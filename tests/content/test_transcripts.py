"""Transcript tests: plain-text plans of answers, played through the engine, with what to expect.

Each `transcripts/*.txt` holds one line per decision:

    DECISION_ID | choice=a,b | expect verdict=aligned score=1 findings=f1,f2
    DECISION_ID | text=written answer | expect verdict=partial score=0.5 findings=f3

and ends with `END score=0.83` (the module score to two decimals). `#` starts a comment;
`# module: ID` names the module. Confidence and reflection are filled in where asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.content.shipped import SHIPPED
from trainer.content import load_module
from trainer.engine import Deciding, PlayThrough
from trainer.engine.autoplay import Response, play

PLANS = sorted((Path(__file__).parent / "transcripts").glob("*.txt"))


@dataclass
class Step:
    decision: str
    answer: dict
    expect: dict[str, str]
    line: int


def parse(path: Path) -> tuple[str, list[Step], str | None]:
    module_id = ""
    steps: list[Step] = []
    end_score = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("# module:"):
            module_id = line.split(":", 1)[1].strip()
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("END"):
            end_score = line.split("score=", 1)[1].strip()
            continue
        parts = [p.strip() for p in line.split("|")]
        answer: dict = {}
        expect: dict[str, str] = {}
        for part in parts[1:]:
            if part.startswith("choice="):
                answer["choice"] = [c for c in part[len("choice=") :].split(",") if c]
            elif part.startswith("text="):
                answer["text"] = part[len("text=") :]
            elif part.startswith("expect"):
                for item in part[len("expect") :].split():
                    key, _, value = item.partition("=")
                    expect[key] = value
        steps.append(Step(parts[0], answer, expect, number))
    return module_id, steps, end_score


def module_path(module_id: str) -> Path:
    for path in SHIPPED:
        if load_module(path).id == module_id:
            return path
    raise AssertionError(f"no shipped module {module_id!r}")


def test_there_are_plans_for_every_shipped_module():
    named = {parse(p)[0] for p in PLANS}
    assert {load_module(p).id for p in SHIPPED} <= named


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_transcript(plan):
    module_id, steps, end_score = parse(plan)
    module = load_module(module_path(module_id))
    lines = iter(steps)

    def answerer(deciding: Deciding) -> Response:
        due = deciding.decision
        step = next(lines, None)
        assert step is not None, f"{plan.name}: {due.id} has no line"
        assert due.id == step.decision, f"{plan.name}:{step.line}: due is {due.id}"
        return Response(
            step.answer.get("choice", ()),
            step.answer.get("text"),
            3 if due.asks_confidence else None,
            "because of the child" if due.asks_reason else None,
        )

    pt = play(PlayThrough(module), answerer)
    assert pt.finished
    left = next(lines, None)
    assert left is None, f"{plan.name}:{left.line}: the module ended before {left.decision}"
    answers = {a.decision_id: a for a in pt.answers}
    assert [a.decision_id for a in pt.answers] == [step.decision for step in steps]
    for step in steps:
        answer = answers[step.decision]
        where = f"{plan.name}:{step.line}"
        if "verdict" in step.expect:
            assert answer.verdict == step.expect["verdict"], where
        if "score" in step.expect:
            expected_score = float(step.expect["score"])
            assert answer.score == pytest.approx(expected_score, abs=0.005), where
        if "findings" in step.expect:
            expected = [f for f in step.expect["findings"].split(",") if f]
            assert list(answer.findings) == expected, where
    if end_score is not None:
        assert pt.module_score == pytest.approx(float(end_score), abs=0.005)
