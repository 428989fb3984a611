"""The path a play-through has walked and the answers on it that count: worked out from its
answers, or carried on from the play-through a move was made from.

A move only ever adds (an answer, a stage or a feedback moved past), so what was worked out
from the old lists still holds and is extended, not worked out again from the first stage: a
move costs the same at the end of a long module as at its start
(`tests/engine/test_move_cost.py`). What is carried waits in the new play-through's
`__dict__`, under the names below, until its cached property is first asked for.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from trainer.engine.model import END, Stage

if TYPE_CHECKING:
    from trainer.engine.answer import Answer
    from trainer.engine.position import Position

Walked = tuple[tuple[Stage, ...], Stage | None, frozenset[str]]
"""The stages on the path so far, the current one (None once finished), and the path's ids."""
Counted = tuple[tuple["Answer", ...], int]
"""The answers on the path that count, in its order, and how many of them are the last
stage's."""


def carry(old: Position, moved: Position) -> None:
    """Give `moved`, made from `old` by a move, what `old` worked out that still holds."""
    known, carried = old.__dict__, moved.__dict__
    if _grown(moved.answers, old.answers):
        if "_answers_by_decision" in known:
            found = dict(known["_answers_by_decision"])
            for answer in moved.answers[len(old.answers) :]:
                found.setdefault(answer.decision_id, answer)
            carried["_answers_by_decision"] = found
        if _grown(moved.stages_done, old.stages_done):
            _carry_path(known, carried)
    seen, old_seen = moved.feedback_seen or (), old.feedback_seen or ()
    if _grown(seen, old_seen) and "_feedback_seen_ids" in known:
        carried["_feedback_seen_ids"] = known["_feedback_seen_ids"].union(seen[len(old_seen) :])


def _grown(new: Sequence[Any], old: Sequence[Any]) -> bool:
    """Whether `new` is `old` with items added at its end (or `old` itself)."""
    return new[: len(old)] == old


def _carry_path(known: dict[str, Any], carried: dict[str, Any]) -> None:
    """The path and the answers counted, carried on: what the old play-through carried and
    never worked out holds for the new one too."""
    walked = known.get("_walked", known.get("_walk_from"))
    if walked is None:
        return
    carried["_walk_from"] = walked
    if "_counted" in known:
        carried["_counted_from"] = (known["_counted"], len(walked[0]))
    elif "_counted_from" in known:
        carried["_counted_from"] = known["_counted_from"]


def walk(pt: Position, before: Walked | None) -> Walked:
    """The path `pt` has walked: from the first stage, or on from where the play-through it
    was made from stood (`before`): every stage behind that one's current stage stays behind
    it, as it was, and the current one may be done now."""
    if before is None:
        path: tuple[Stage, ...] = ()
        stage = pt.module.stages[0] if pt.module.stages else None
        ids: frozenset[str] = frozenset()
        done: Collection[str] = set(pt.stages_done)
    else:
        path, stage, ids = before
        if stage is None:
            return before  # finished stays finished: nothing follows the end
        path, ids, done = path[:-1], ids - {stage.id}, pt.stages_done
    walked: list[Stage] = []
    seen: set[str] = set()
    while stage is not None and stage.id not in ids and stage.id not in seen:
        seen.add(stage.id)
        walked.append(stage)
        if not (stage.id in done and pt.stage_complete(stage)):
            return (*path, *walked), stage, ids.union(seen)
        stage = _after(pt, stage)
    return (*path, *walked), None, ids.union(seen)


def _after(pt: Position, stage: Stage) -> Stage | None:
    """The stage the path goes to after `stage`, or None at the end."""
    following = pt.next_stage_id(stage)
    return None if following == END else pt.module.stage(following)


def count(
    path: Sequence[Stage], by_decision: Mapping[str, Answer], before: tuple[Counted, int] | None
) -> Counted:
    """The answers on `path` that count: all looked at, or, `before` being what the
    play-through a move was made from counted and how long its path was, only its last stage
    and those after it (the stages before its last are the same)."""
    counted: list[Answer] = []
    start = 0
    if before is not None:
        (old_counted, old_last), old_length = before
        if old_length:
            counted = list(old_counted[: len(old_counted) - old_last])
            start = old_length - 1
    last = 0
    for stage in path[start:]:
        last = 0
        for decision in stage.decisions:
            answer = by_decision.get(decision.id)
            if answer is not None and answer.counts:
                counted.append(answer)
                last += 1
    return tuple(counted), last
