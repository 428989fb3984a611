"""The stages' rules: their dates, links and decisions, and the stage graph of the branching.

Each stage's `outcome_findings` and `next` are links (E204, E205, E206); from format 2 a
stage's date is ISO (E107), and a stage with decisions has one (E101), for the hindsight
check. Each decision is checked by the checker of its kind (`decisions`).

The stage graph (each stage's possible successors) is what reachability (W403), hindsight
(W407) and the case file's "known on every path" (E312) are worked out on, in time linear in
the module's size: never by enumerating play-throughs, whose number grows exponentially with
the branches. Because `next` only points forward, every play-through ends.
"""

from __future__ import annotations

from trainer.content.checking import Links, Reporter, Table
from trainer.content.dates import IsoDate
from trainer.content.decisions import check_decision

StageDate = tuple[IsoDate, str] | None
"""A stage's sound date (parsed, as written), or None."""


def check_stages(reporter: Reporter, stages: list[Table], links: Links) -> list[StageDate]:
    """Each stage's links and decisions; from format 2, each stage's sound date (format 1
    has none: the list is then empty)."""
    decision_ids: set[str] = set()
    stage_dates: list[StageDate] = []
    version_2 = reporter.version >= 2
    for index, stage in enumerate(stages):
        if version_2:
            stage_dates.append(check_stage_date(reporter, stage))
        for position, finding_id in enumerate(stage.get("outcome_findings", ())):
            links.finding(finding_id, stage, "outcome_findings", position)
        if "next" in stage:
            links.next(stage["next"], stage, index)
        for decision in stage.get("decisions", []):
            check_decision(reporter, links, decision_ids, decision, index)
    return stage_dates


def check_stage_date(reporter: Reporter, stage: Table) -> StageDate:
    """Format 2: a stage's date is ISO, and a stage with decisions has one (for hindsight).
    The date when it is sound (parsed, as written)."""
    if "date" in stage:
        return reporter.iso_date(stage, "date")
    if stage.get("decisions") and "date" not in stage["_given"]:
        reporter.missing(
            stage["_path"],
            "date",
            "a stage with decisions needs its ISO date, to check its feedback for "
            "hindsight; date_label is what the trainee sees",
        )
    return None


def check_reachable(
    reporter: Reporter, stages: list[Table], stage_ids: set[str], successors: list[set[int]]
) -> None:
    """Warn about stages no play-through reaches, in time linear in the module's size."""
    if not stages:
        return
    seen = {0}
    todo = [0]
    while todo:
        for following in successors[todo.pop()]:
            if following not in seen:
                seen.add(following)
                todo.append(following)
    for index, stage in enumerate(stages):
        if index not in seen and stage.get("id") in stage_ids:
            reporter.warn("W403", stage["_path"], f"no play-through reaches stage {stage['id']!r}")


def successors(stages: list[Table]) -> list[set[int]]:
    """Each stage's possible successors (indexes) under the branching rule; "end" is none.

    A stage goes where the first `next` among its last decision's chosen options says,
    else the decisions before, else its own `next`, else the following stage. A decision
    every one of whose options names a `next` always decides, hiding what comes before
    it. A rank decision places every option, so its options never branch.
    """
    index_of = {stage.get("id"): i for i, stage in enumerate(stages)}
    graph: list[set[int]] = []
    for index, stage in enumerate(stages):
        targets, decided = _decision_targets(stage.get("decisions", []))
        if not decided:
            targets.update(_fallback(stages, index))
        graph.append({index_of[t] for t in targets if t in index_of})
    return graph


def _decision_targets(decisions: list[Table]) -> tuple[set[str], bool]:
    """The stages the decisions' options name, last decision first, up to the first that
    always decides (every option names a `next`); and whether one does."""
    targets: set[str] = set()
    for decision in reversed(decisions):
        if decision.get("kind") == "rank":
            continue
        options = decision.get("options", [])
        targets.update(o["next"] for o in options if "next" in o)
        if options and all("next" in o for o in options):
            return targets, True
    return targets, False


def _fallback(stages: list[Table], index: int) -> tuple[str, ...]:
    """Where a stage goes when no option says: its own `next`, else the following stage (none
    after the last)."""
    stage = stages[index]
    if "next" in stage:
        return (stage["next"],)
    if index + 1 < len(stages):
        return (stages[index + 1].get("id", ""),)
    return ()
