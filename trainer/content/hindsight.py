"""The hindsight check (format 2): nothing shown before a stage's outcome tells of a later event.

The trainee decides with what was known at the stage's `date`. The findings
linked from a stage's options and rubric concepts are shown in the feedback,
before the stage's outcome, so none may reveal an event after that date. The
outcome's findings are shown after it, and may reveal events up to the date of
the earliest stage that can follow (after the last stage, anything).

The stages that can follow come from the stage graph the reachability check
uses, so the whole check is linear in the module's size.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from trainer.content.dates import IsoDate, earliest_key, is_later

if TYPE_CHECKING:
    from trainer.content.locate import Path

Dated = tuple[IsoDate, str, str]
"""A parsed date, as written, and the id of the stage that has it."""
Link = tuple[dict[str, Any], str, int | None, str]
"""Where a finding is linked from (a table, its key, the position in that key's list, if it
is one), and the finding's id: the key path is made only for a warning."""


def hindsight_warnings(
    stages: list[dict[str, Any]],
    reveals: dict[str, tuple[IsoDate, str]],
    successors: list[set[int]],
    stage_dates: list[tuple[IsoDate, str] | None],
) -> list[tuple[Path, str]]:
    """Each finding shown before its time, as (key path of the link, message).

    Args:
        stages: the checked stage tables, in file order.
        reveals: each finding id with a sound `reveals` date: (parsed, as written).
        successors: for each stage, the indexes of the stages that can follow it.
        stage_dates: each stage's sound `date` (parsed, as written), or None.
    """
    dates: list[Dated | None] = [
        None if date is None else (date[0], date[1], str(stage.get("id")))
        for stage, date in zip(stages, stage_dates, strict=True)
    ]
    following = _earliest_following(dates, successors)
    problems: list[tuple[Path, str]] = []
    for index, stage in enumerate(stages):
        stage_id = stage.get("id")
        own = dates[index]
        if own is not None:
            for path, finding_id, revealed in _too_late(_shown_before_outcome(stage), reveals, own):
                problems.append(
                    (
                        path,
                        f"hindsight: finding {finding_id!r} reveals {revealed} but is shown at "
                        f"stage {stage_id!r} ({own[1]}), before the stage's outcome",
                    )
                )
        bound = following[index]
        if bound is not None:
            outcome = (
                (stage, "outcome_findings", position, finding_id)
                for position, finding_id in enumerate(stage.get("outcome_findings", ()))
            )
            for path, finding_id, revealed in _too_late(outcome, reveals, bound):
                problems.append(
                    (
                        path,
                        f"hindsight: finding {finding_id!r} reveals {revealed} but is shown in "
                        f"the outcome of stage {stage_id!r}, before stage {bound[2]!r} "
                        f"({bound[1]}), which can follow it",
                    )
                )
    return problems


def _earliest_following(
    dates: list[Dated | None], successors: list[set[int]]
) -> list[Dated | None]:
    """For each stage, the earliest dated stage that can follow it (through undated stages).

    Worked backwards: `next` only points forward, so each stage's successors are done first.
    """
    following: list[Dated | None] = [None] * len(dates)
    for index in range(len(dates) - 1, -1, -1):
        best: Dated | None = None
        for later in successors[index]:
            if later <= index:
                continue  # a backward next is an error of its own; it bounds nothing
            candidate = dates[later] or following[later]
            if candidate is not None and (
                best is None or earliest_key(candidate[0]) < earliest_key(best[0])
            ):
                best = candidate
        following[index] = best
    return following


def _shown_before_outcome(stage: dict[str, Any]) -> Iterator[Link]:
    """The findings a stage's feedback can show: from its options and its rubric concepts."""
    for decision in stage.get("decisions", ()):
        for option in decision.get("options", ()):
            for position, finding_id in enumerate(option.get("findings", ())):
                yield option, "findings", position, finding_id
        for concept in decision.get("rubric", ()):
            if "finding" in concept:
                yield concept, "finding", None, concept["finding"]


def _too_late(
    links: Iterator[Link],
    reveals: dict[str, tuple[IsoDate, str]],
    bound: Dated,
) -> Iterator[tuple[Path, str, str]]:
    """Each finding (once, at its first link) that reveals something later than `bound`."""
    seen: set[str] = set()
    for table, key, position, finding_id in links:
        if finding_id in seen:
            continue
        seen.add(finding_id)
        revealed = reveals.get(finding_id)
        if revealed is not None and is_later(revealed[0], bound[0]):
            path = table["_path"] + ((key,) if position is None else (key, position))
            yield path, finding_id, revealed[1]
