"""A move costs the same at the end of a long module as at the start of a short one.

A move (the engine's, then the save written) cost 21 ms at 100 stages, 62 ms at 500 and
148 ms at 1,000: the path was walked again from the first stage, decisions and findings were
searched for, and the whole save was made again, at every move. The work is counted here,
not timed: the Python function calls one move makes, at the end of a 600-stage module and
at the end of a 30-stage one. What is still linear in the path is done by Python's own
built-ins (copying a list, joining the save's parts, writing it), which no call counts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from tests.engine.saved import resumed, saved
from tests.tui.helpers import Clock
from trainer.content.validator import validate_text
from trainer.engine import Deciding, Module, PlayThrough, Reading
from trainer.saves.store import SaveStore
from trainer.session import Session


def long_module(stages: int) -> Module:
    """A valid format 1 module: each stage a narrative, one decision (its options citing a
    finding each), and an outcome."""
    out = [
        'format = 1\nid = "long"\ntitle = "Long"\nversion = "1"\nsummary = "S."\n',
        '[[sources]]\nid = "src"\ntitle = "A source"\n',
    ]
    for n in range(stages):
        out.append(f'[[findings]]\nid = "f{n}"\ntext = "Finding {n}."\nsource = "src"\n')
    for n in range(stages):
        out.append(
            f'[[stages]]\nid = "s{n}"\ntitle = "Stage {n}"\nnarrative = "Narrative {n}."\n'
            f'outcome = "Outcome {n}."\n\n'
            f'[[stages.decisions]]\nid = "d{n}"\nprompt = "What now?"\nkind = "single"\n'
            f"ask_confidence = true\n\n"
            f'[[stages.decisions.options]]\nid = "a"\ntext = "Act"\nverdict = "aligned"\n'
            f'feedback = "Yes."\nfindings = ["f{n}"]\n\n'
            f'[[stages.decisions.options]]\nid = "b"\ntext = "Wait"\nverdict = "contrary"\n'
            f'feedback = "No."\nfindings = ["f{n}"]\n'
        )
    report = validate_text("\n".join(out), "long.toml")
    assert report.module is not None, report.problems[:3]
    return report.module


def next_move(pt: PlayThrough) -> Callable[[PlayThrough], PlayThrough]:
    facing = pt.facing()
    if isinstance(facing, Reading):
        return PlayThrough.finish_reading
    if isinstance(facing, Deciding):
        if facing.step.value == "confidence":
            return lambda p: p.rate(4)
        return lambda p: p.choose(["a"])
    return PlayThrough.proceed


def calls(work: Callable[[], object]) -> int:
    """The Python function calls `work` makes."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count


MOVES_MEASURED = 25
"""Moves counted: five stages' worth (read, choose, rate, feedback, outcome)."""


def engine_calls(stages: int) -> int:
    """The calls of the last `MOVES_MEASURED` moves of a module, each followed by what the
    screen asks (what the trainee faces, where they are, the score so far)."""
    pt = PlayThrough(long_module(stages), seed="00000000-0000-4000-8000-000000000001")
    total = 5 * stages
    for _ in range(total - MOVES_MEASURED - 1):
        pt = next_move(pt)(pt)
        _ = (pt.facing(), pt.current_stage, pt.module_score, pt.kept_draft)

    def last_moves() -> None:
        nonlocal pt
        for _ in range(MOVES_MEASURED):
            pt = next_move(pt)(pt)
            pt.facing()
            _ = (pt.current_stage, pt.module_score, pt.kept_draft)

    return calls(last_moves)


def session_calls(stages: int, folder: Path) -> int:
    """The same, through a session: each move saved before it is adopted."""
    module = long_module(stages)
    store = SaveStore(folder, Clock())
    learner = store.learner("Sam", None)
    with store.open(learner, module) as save:
        session = Session.open(save, learner)
        for _ in range(5 * stages - MOVES_MEASURED - 1):
            session.move(next_move(session.playthrough))
            session.playthrough.facing()

        def last_moves() -> None:
            for _ in range(MOVES_MEASURED):
                session.move(next_move(session.playthrough))
                session.playthrough.facing()

        counted = calls(last_moves)
        assert not session.playthrough.finished
        session.close()
    return counted


def test_the_engines_moves_cost_no_more_at_the_end_of_a_long_module():
    short, long = engine_calls(30), engine_calls(600)
    assert long <= short * 1.05 + 10, (short, long)


def test_a_saved_move_costs_no_more_at_the_end_of_a_long_module(tmp_path):
    short = session_calls(30, tmp_path / "short")
    long = session_calls(600, tmp_path / "long")
    assert long <= short * 1.05 + 10, (short, long)


def test_a_resumed_long_attempt_is_walked_once(tmp_path):
    """A play-through made from a save walks its path once, then each move from there."""
    module = long_module(300)
    pt = PlayThrough(module)
    while not pt.finished and len(pt.answers) < 250:
        pt = next_move(pt)(pt)
    again = resumed(module, saved(pt))
    first = calls(again.facing)
    assert first > 300  # the path walked, stage by stage
    assert calls(again.facing) < 50  # and kept
    assert again.facing() == pt.facing()
    moved = next_move(again)(again)
    assert calls(moved.facing) < first / 10
    assert moved.path == next_move(pt)(pt).path and moved.module_score == pt.module_score
