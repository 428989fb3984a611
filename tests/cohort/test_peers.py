"""How a group answered a decision: shares, a rank's average places, concepts covered."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.cohort.peers import peer_tally, tally
from trainer.content import load_module
from trainer.engine import PlayThrough
from trainer.engine.autoplay import Response, play
from trainer.saves.store import SaveStore

FORMAT2 = load_module(Path(__file__).parents[1] / "fixtures" / "format2.toml")


def answers_of(plans):
    """Play the format 2 sample once per plan; every answer recorded."""
    out = []
    for plan in plans:
        pt = play(PlayThrough(FORMAT2), lambda f, plan=plan: plan.get(f.decision.id))
        out.append(pt)
    return out


def decision(decision_id):
    return FORMAT2.decision(decision_id)[1]


def test_a_rank_decision_gives_each_options_average_place():
    orders = [
        ["see-alone", "strategy", "records", "letter-home"],
        ["strategy", "see-alone", "records", "letter-home"],
        ["letter-home", "see-alone", "strategy", "records"],
    ]
    plays = answers_of(
        [{"first": Response(["visit"], confidence=3), "priorities": Response(o)} for o in orders]
    )
    result = tally(decision("priorities"), [p.answer_for("priorities") for p in plays])
    by_id = {o.id: o for o in result.options}
    assert result.answered == 3
    assert by_id["see-alone"].mean_position == pytest.approx((1 + 2 + 2) / 3)
    assert by_id["letter-home"].mean_position == pytest.approx((4 + 4 + 1) / 3)
    assert by_id["see-alone"].rank == 1


def test_a_choice_gives_shares_and_counts_sure_and_contrary():
    plays = answers_of(
        [
            {"first": Response(["visit"], confidence=5)},
            {"first": Response(["letter"], confidence=5)},
            {"first": Response(["letter"], confidence=2)},
            {"first": Response(["school"], confidence=4)},
        ]
    )
    result = tally(decision("first"), [p.answer_for("first") for p in plays])
    shares = {o.id: o.share for o in result.options}
    assert shares == {"visit": 0.25, "letter": 0.5, "school": 0.25}
    assert result.sure_and_contrary == 1
    assert result.verdicts == {"aligned": 1, "contrary": 2, "partial": 1}


def test_peers_leave_out_the_trainee_other_cohorts_and_unreadable_saves(tmp_path):
    store = SaveStore(tmp_path)
    for name, cohort, option in [
        ("A", "x", "visit"),
        ("B", "x", "letter"),
        ("C", "y", "letter"),
        ("Me", "x", "school"),
    ]:
        learner = store.learner(name, cohort)
        with store.open(learner, FORMAT2) as save:
            plan = {"first": Response([option], confidence=3)}
            save.record(play(save.playthrough(), lambda f, plan=plan: plan.get(f.decision.id)))
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / f"{FORMAT2.id}.toml").write_text("not a save")
    result = peer_tally(tmp_path, FORMAT2.id, decision("first"), "x", "me")
    assert result.answered == 2
    assert {o.id: o.count for o in result.options} == {"visit": 1, "letter": 1, "school": 0}


def test_peers_and_the_seminar_never_read_through_a_link_in_a_learner_folders_place(tmp_path):
    """A learner folder that is a link to saves elsewhere: not followed, not counted."""
    from trainer.cohort.room_view import RoomReader

    outside, saves = tmp_path / "outside", tmp_path / "saves"
    for folder, names in ((outside, ["Far", "Away"]), (saves, ["A"])):
        store = SaveStore(folder)
        for name in names:
            learner = store.learner(name, "x")
            with store.open(learner, FORMAT2) as save:
                plan = {"first": Response(["visit"], confidence=3)}
                save.record(
                    play(save.playthrough(), lambda f, plan=plan: plan.get(f.decision.id))
                )
    (saves / "far").symlink_to(outside / "far", target_is_directory=True)
    (saves / "away").symlink_to(outside / "away", target_is_directory=True)
    assert peer_tally(saves, FORMAT2.id, decision("first"), "x", "me").answered == 1
    reading = RoomReader(saves, FORMAT2, "x").read()
    assert [s.learner.name for s in reading.saves] == ["A"] and reading.problem is None
