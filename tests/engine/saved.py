"""A play-through as a save keeps it and brings it back, for the engine's tests: through the
attempt table the app writes (`Attempt.update_from`, `Attempt.to_data`) and reads back
(`Attempt.from_data`, `Attempt.playthrough`), so that a test of resuming tests what the app
resumes from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.records import replace
from trainer.engine import Module, PlayThrough
from trainer.engine.clock import Clock, utc_now
from trainer.saves import Attempt

PLAY_KEYS = ("stages_done", "feedback_seen", "answers", "draft", "opened")
"""The keys of an attempt's table that hold the play-through (the rest is the attempt's own:
its number, registration, times, position and score)."""
_STARTED = "2026-01-01T09:00:00.000Z"
_REGISTRATION = "00000000-0000-4000-8000-0000000000aa"


def saved(pt: PlayThrough) -> dict[str, Any]:
    """The play-through's part of the attempt table a save holds: the stages and feedback
    moved past and the answers; the text typed for the answer being given and the case-file
    items opened, when there are any."""
    attempt = Attempt(1, _REGISTRATION, _STARTED)
    attempt.update_from(pt, _STARTED)
    data = attempt.to_data()
    return {key: data[key] for key in PLAY_KEYS if key in data}


def resumed(
    module: Module,
    state: Mapping[str, Any],
    clock: Clock = utc_now,
    registration: str | None = None,
) -> PlayThrough:
    """The play-through an attempt whose table holds `state` (as `saved` gives it) brings back
    over `module`. Given a `registration`, its options are shown in that attempt's order, as
    the app resumes one; without, in the file's order, as the tests' play-throughs made with no
    seed show them.

    Raises what `Attempt.from_data` raises for a malformed table: KeyError, TypeError or
    ValueError for the attempt's own values, the save's reason with where it is for an answer,
    a draft or an opened item.
    """
    data = {"number": 1, "registration": registration or _REGISTRATION, "started_at": _STARTED}
    pt = Attempt.from_data({**data, **state}).playthrough(module, clock)
    return pt if registration is not None else replace(pt, seed=None)
