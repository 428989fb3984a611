"""Write the synthetic demo cohort in saves/demo by playing the tutorial module through the engine.

    .venv/bin/python scripts/make_demo_saves.py

Fixed clocks and registrations: running it again gives the same files.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trainer.content import load_module
from trainer.engine import Deciding, PlayThrough
from trainer.engine.autoplay import Answerer, Response, play
from trainer.saves import Attempt, LearnerInfo, ModuleInfo, SaveFile
from trainer.saves.store import learner_slug

ROOT = Path(__file__).resolve().parents[1]
MODULE = ROOT / "modules" / "tutorial-riverside.toml"
TARGET = ROOT / "saves" / "demo"

Plan = dict[str, list[str] | str | None]
"""Answers by decision: option ids, or a written answer; None (or absent): stop there."""

# name, answers by decision, confidence
LEARNERS: list[tuple[str, Plan, int]] = [
    (
        "Demo Learner A",
        {
            "first-response": ["strategy-and-medical"],
            "first-steps": ["strategy", "medical", "ask-again"],
            "the-visitor": ["ask-name", "checks", "see-ruby-awake"],
            "how-it-feels": ["comfortable"],
            "visit-note": (
                "I saw Ruby asleep, not awake. A man was leaving as I arrived; Ms Brook says"
                " he is a friend. Next visit this week to see Ruby awake and ask his name."
            ),
        },
        4,
    ),
    (
        "Demo Learner B",
        {
            "first-response": ["home-visit"],
            "first-steps": ["medical", "strategy", "ask-again"],
            "the-visitor": ["ask-name", "accept-friend"],
            "how-it-feels": ["uneasy"],
            "visit-note": "Flat clean, Ruby asleep. A friend was there.",
        },
        5,
    ),
    (
        "Demo Learner C",
        {
            "first-response": ["advice-only"],
            "first-steps": ["ask-again", "strategy", "medical"],
            "second-response": ["second-visit"],
            "the-visitor": ["accept-friend", "note-jacket"],
            "how-it-feels": ["uneasy"],
            "visit-note": "All fine.",
        },
        5,
    ),
    (
        "Demo Learner D",
        {
            "first-response": ["strategy-and-medical"],
            "first-steps": ["strategy", "medical", "ask-again"],
            "the-visitor": ["ask-name", "see-ruby-awake"],
            "how-it-feels": None,
        },
        3,
    ),
    ("Demo Learner E", {"first-response": ["home-visit"], "the-visitor": None}, 2),
]
REASON = "The baby is not yet mobile."


def ticking_clock(start: datetime, step: timedelta) -> Callable[[], datetime]:
    """A clock that moves on by `step` each time it is read."""
    moment = [start]

    def clock() -> datetime:
        moment[0] += step
        return moment[0]

    return clock


def answering(plan: Plan, confidence: int) -> Answerer:
    """The plan's answer to each decision, with the confidence and reason where asked."""

    def answerer(deciding: Deciding) -> Response | None:
        decision = deciding.decision
        answer = plan.get(decision.id)
        if answer is None:
            return None
        return Response(
            choice=() if isinstance(answer, str) else answer,
            text=answer if isinstance(answer, str) else None,
            confidence=confidence if decision.ask_confidence else None,
            reason=REASON if decision.asks_reason else None,
        )

    return answerer


def main() -> None:
    module = load_module(MODULE)
    shutil.rmtree(TARGET, ignore_errors=True)
    for index, (name, plan, confidence) in enumerate(LEARNERS):
        start = datetime(2026, 10, 5, 10, 0, tzinfo=UTC) + timedelta(minutes=7 * index)
        clock = ticking_clock(start, timedelta(seconds=95))
        registration = str(uuid.uuid5(uuid.NAMESPACE_URL, f"trainer-demo/{name}"))
        # Seeded as the app seeds an attempt, so each answer records the order it was shown in.
        pt = play(PlayThrough(module, clock=clock, seed=registration), answering(plan, confidence))
        attempt = Attempt(1, registration, "2026-10-05T10:00:00.000Z")
        attempt.update_from(pt, pt.answers[-1].answered_at)
        learner = LearnerInfo(learner_slug(name), name, "demo")
        save = SaveFile(learner, ModuleInfo.of(module), [attempt])
        folder = TARGET / learner.id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "learner.toml").write_text(
            f'id = "{learner.id}"\nname = "{name}"\ncohort = "demo"\n'
        )
        (folder / f"{module.id}.toml").write_text(save.dumps(), encoding="utf-8")
    print(f"Wrote {len(LEARNERS)} demo learners to {TARGET}")


if __name__ == "__main__":
    main()
