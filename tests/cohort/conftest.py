"""A small cohort of saves, made by playing the tutorial module through the engine with fixed clocks."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import tomli_w

from trainer.content import load_module
from trainer.engine import Module, PlayThrough
from trainer.engine.autoplay import Response, play
from trainer.paths import shipped_modules_dir
from trainer.saves import Attempt, LearnerInfo, ModuleInfo, SaveFile

TUTORIAL = shipped_modules_dir() / "tutorial-riverside.toml"

PLANS = {
    "aligned": {
        "first-response": {
            "choice": ["strategy-and-medical"],
            "confidence": 4,
            "reason": "+1 not yet mobile",
        },
        "the-visitor": {"choice": ["ask-name", "checks", "see-ruby-awake"], "confidence": 5},
        "how-it-feels": {"choice": ["comfortable"]},
        "differently": {"text": '=HYPERLINK("x") every adult; check; the baby'},
    },
    "branch": {
        "first-response": {"choice": ["advice-only"], "confidence": 5, "reason": "plausible"},
        "differently": {"text": "Be kinder."},
    },
    "unfinished": {
        "first-response": {"choice": ["advice-only"], "confidence": 5, "reason": "-"},
    },
}


def attempt_from(plan: str, number: int, start: datetime, module: Module | None = None) -> Attempt:
    module = module or load_module(TUTORIAL)
    moment = [start]

    def clock() -> datetime:
        moment[0] += timedelta(seconds=61)
        return moment[0]

    answers = PLANS[plan]

    def answerer(deciding):
        given = answers.get(deciding.decision.id)
        return None if given is None else Response(**given)

    pt = play(PlayThrough(module, clock=clock), answerer)
    registration = f"00000000-0000-4000-8000-{number:012d}"
    attempt = Attempt(number, registration, start.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    attempt.update_from(pt, pt.answers[-1].answered_at)
    return attempt


def write_cohort(folder: Path) -> Path:
    module = load_module(TUTORIAL)
    info = ModuleInfo.of(module)
    base = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    learners = [
        (LearnerInfo("sam-okafor", "Sam Okafor", "autumn"), ["branch", "aligned"]),
        (LearnerInfo("script", "<script>alert(1)</script>", "autumn"), ["unfinished"]),
        (LearnerInfo("zoe-o-brien", "Zoë O'Brien", "spring"), ["aligned"]),
    ]
    for index, (learner, plans) in enumerate(learners):
        attempts = [
            attempt_from(plan, n + 1, base + timedelta(days=index, hours=n))
            for n, plan in enumerate(plans)
        ]
        save = SaveFile(learner, info, attempts)
        target = folder / learner.id / f"{module.id}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(save.dumps(), encoding="utf-8")
    broken = folder / "broken" / "tutorial-riverside.toml"
    broken.parent.mkdir()
    broken.write_text("format = 99\n")
    return folder


@pytest.fixture
def cohort(tmp_path) -> Path:
    return write_cohort(tmp_path / "saves")


def not_judged_tutorial() -> Module:
    """The tutorial with its written question left without a rubric: recorded, not judged.

    It asks how sure the trainee is, so a sure answer to it could be mistaken for
    "sure and contrary" if anything counted it as contrary.
    """
    module = load_module(TUTORIAL)
    stages = []
    for stage in module.stages:
        decisions = tuple(
            dataclasses.replace(d, rubric=(), scored=False, ask_confidence=True)
            if d.id == "differently"
            else d
            for d in stage.decisions
        )
        stages.append(dataclasses.replace(stage, decisions=decisions))
    return dataclasses.replace(module, stages=tuple(stages))


PLANS["not-judged"] = {
    **PLANS["aligned"],
    "differently": {"text": "I would be kinder to the mother.", "confidence": 5},
}


def write_not_judged_cohort(folder: Path) -> Path:
    """Two saves whose written answer is not judged: one as written now, one as an old save wrote
    it (verdict "contrary", score 0, no concepts, no feedback_seen)."""
    module = not_judged_tutorial()
    info = ModuleInfo.of(module)
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    for learner in (
        LearnerInfo("noor-haddad", "Noor Haddad", "winter"),
        LearnerInfo("old-save", "Old Save", "winter"),
    ):
        attempt = attempt_from("not-judged", 1, start, module)
        data = SaveFile(learner, info, [attempt]).to_data()
        if learner.id == "old-save":
            written = data["attempts"][0]["answers"][-1]
            assert written["decision"] == "differently" and "score" not in written
            written.update(verdict="contrary", score=0.0)
            del data["attempts"][0]["feedback_seen"]
        target = folder / learner.id / f"{module.id}.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")
    return folder


@pytest.fixture
def not_judged(tmp_path) -> Path:
    return write_not_judged_cohort(tmp_path / "not-judged")
