"""The order options are shown in: shuffled per attempt from its registration, the same on
every resume, never a rank decision's own order, the file's where `shuffle = false` or
where there is no seed (the preview)."""

from __future__ import annotations

import uuid

import pytest

from tests.content.shipped import SHIPPED
from tests.engine.fixture import fixture_module
from tests.engine.saved import resumed, saved
from tests.records import replace
from trainer.content import load_module
from trainer.engine import Deciding, Decision, Module, Option, PlayThrough, Stage
from trainer.engine.autoplay import Response, play
from trainer.engine.order import is_shuffled, shown_options
from trainer.saves import read_save
from trainer.saves.store import SaveStore

PC = next(path for path in SHIPPED if path.stem == "peter-connelly-haringey")
MODULE = load_module(PC)
RANK = MODULE.decision("april-priorities")[1]
REGISTRATION = "00000000-0000-4000-8000-000000000001"
SEEDS = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"trainer-test/{n}")) for n in range(200)]
"""Registrations as the saves write them (UUIDs), fixed so that every run checks the same."""


def ids(options: tuple[Option, ...]) -> list[str]:
    return [o.id for o in options]


def test_the_same_registration_always_gives_the_same_order():
    first = shown_options(RANK, REGISTRATION)
    assert shown_options(RANK, REGISTRATION) == first
    assert sorted(ids(first)) == sorted(ids(RANK.options)), "every option, each once"


def test_the_order_is_pinned_so_that_a_save_resumes_the_same_on_any_python():
    """The order comes from SHA-256 alone: this is what it gives, on every Python and machine.
    A change here would show a resumed attempt its options in another order."""
    assert ids(shown_options(RANK, REGISTRATION)) == [
        "police-strategy",
        "who-cares-for-him",
        "legal-planning",
        "cp-medical",
        "clinic-letter",
        "safe-tonight",
    ]


def test_different_registrations_give_the_shipped_rank_decision_different_orders():
    orders = {tuple(ids(shown_options(RANK, seed))) for seed in SEEDS[:6]}
    assert len(orders) >= 5, orders


def test_a_rank_decision_is_never_shown_in_its_rank_order():
    for seed in SEEDS:
        assert tuple(ids(shown_options(RANK, seed))) != RANK.panel_order, seed


def test_a_draw_that_gives_the_rank_order_is_turned_round():
    """With three options one draw in six is the panel's order: it is shown turned by one."""
    three = replace(RANK, options=RANK.options[:3])
    in_panel_order = 0
    for seed in SEEDS:
        drawn = tuple(sorted(three.options, key=lambda o, s=seed: _digest(s, three, o)))
        shown = shown_options(three, seed)
        assert tuple(o.id for o in shown) != three.panel_order
        if tuple(o.id for o in drawn) == three.panel_order:
            in_panel_order += 1
            assert shown == drawn[1:] + drawn[:1]
        else:
            assert shown == drawn
    assert in_panel_order > 0, "the turn was exercised"


def _digest(seed: str, decision: Decision, option: Option) -> bytes:
    import hashlib

    return hashlib.sha256(f"{seed}\n{decision.id}\n{option.id}".encode()).digest()


def test_every_choice_kind_is_shuffled_and_the_position_of_the_aligned_option_varies():
    single = MODULE.decision("june-action")[1]
    multiple = MODULE.decision("while-waiting")[1]
    for decision in (single, multiple, RANK):
        assert is_shuffled(decision)
        firsts = {shown_options(decision, seed)[0].id for seed in SEEDS[:40]}
        assert len(firsts) >= 3, (decision.id, firsts)
    aligned_first = sum(shown_options(single, seed)[0].verdict == "aligned" for seed in SEEDS)
    assert aligned_first < len(SEEDS) / 2, "the aligned option is not usually first"


def test_shuffle_false_keeps_the_file_order():
    kept = MODULE.decision("turning-point")[1]
    assert not kept.shuffle and not is_shuffled(kept)
    for seed in SEEDS[:20]:
        assert shown_options(kept, seed) == kept.options
    rank_kept = replace(RANK, shuffle=False)
    assert shown_options(rank_kept, REGISTRATION) == RANK.options


def test_no_seed_shows_the_file_order_and_a_written_decision_has_no_options():
    assert shown_options(RANK, None) == RANK.options
    written = MODULE.decision("adults-reflection")[1]
    assert not is_shuffled(written) and shown_options(written, REGISTRATION) == ()


def test_the_play_through_faces_the_decision_with_its_options_in_the_order_shown():
    module = fixture_module()
    seeded = PlayThrough(module, seed=REGISTRATION).finish_reading().facing()
    plain = PlayThrough(module).finish_reading().facing()
    assert isinstance(seeded, Deciding) and isinstance(plain, Deciding)
    decision = seeded.decision
    assert seeded.options == shown_options(decision, REGISTRATION)
    assert plain.options == decision.options, "no seed: the file's order"


def _module_with(decision: Decision) -> Module:
    return Module(1, "m", "M", "1", "S.", stages=(Stage("s", "S", "N.", decisions=(decision,)),))


def test_the_answer_records_the_order_shown_and_the_choice_in_the_files_order():
    decision = Decision(
        "d",
        "Which?",
        "multiple",
        tuple(Option(f"o{n}", f"Option {n}", "aligned" if n < 3 else "contrary") for n in range(6)),
    )
    module = _module_with(decision)
    pt = PlayThrough(module, seed=REGISTRATION).finish_reading()
    shown = pt.facing().options
    assert ids(shown) != ids(decision.options), "this registration shuffles these"
    picked = [shown[4].id, shown[1].id]  # in the order ticked
    drafted = pt.choose(picked)
    answer = drafted.answer_for("d")
    assert answer is not None
    assert answer.shown_order == tuple(ids(shown))
    in_file_order = tuple(o.id for o in decision.options if o.id in picked)
    assert answer.choice == in_file_order, "exports list options in the module's order"


def test_a_rank_answer_records_the_order_shown_beside_the_trainees_order():
    module = _module_with(RANK)
    pt = PlayThrough(module, seed=REGISTRATION).finish_reading()
    shown = ids(pt.facing().options)
    answer = pt.respond(shown, confidence=3, reason="r").answer_for(RANK.id)  # 1, 2, 3, ...
    assert answer.shown_order == tuple(shown) and answer.choice == tuple(shown)
    assert answer.score is not None and answer.score < 1, "pressing 1 to 6 is not the panel's order"


def test_a_written_answer_records_no_order():
    module = fixture_module()
    pt = play(
        PlayThrough(module, seed=REGISTRATION),
        lambda d: Response(text="the child") if d.decision.kind == "text" else _any(d),
    )
    written = [a for a in pt.answers if a.kind == "text"]
    assert written and all(a.shown_order == () for a in written)
    chosen = [a for a in pt.answers if a.kind != "text"]
    assert chosen and all(len(a.shown_order) == len(a.options) for a in chosen)


def _any(deciding: Deciding) -> Response:
    decision = deciding.decision
    return Response(
        [deciding.options[0].id],
        confidence=3 if decision.asks_confidence else None,
        reason="r" if decision.asks_reason else None,
    )


def test_a_resumed_attempt_shows_its_options_in_its_registrations_order():
    pt = PlayThrough(MODULE, seed=REGISTRATION)
    again = resumed(MODULE, saved(pt), registration=REGISTRATION)
    assert again.seed == REGISTRATION and again == pt


@pytest.fixture
def store(tmp_path):
    return SaveStore(tmp_path)


def _to_the_rank_decision(deciding: Deciding) -> Response | None:
    """Answer by id up to the rank decision, then stop there."""
    decision = deciding.decision
    if decision.id == RANK.id:
        return None
    option = next((o for o in decision.options if o.verdict == "aligned"), decision.options[0])
    return Response(
        [option.id] if decision.options else (),
        text="the child" if decision.kind == "text" else None,
        confidence=3 if decision.asks_confidence else None,
        reason="because" if decision.asks_reason else None,
    )


def test_a_resumed_attempt_shows_the_same_order_and_a_new_attempt_its_own(store):
    learner = store.learner("Sam Okafor", "autumn")
    with store.open(learner, MODULE) as save:
        registration = save.attempt.registration
        pt = play(save.playthrough(), _to_the_rank_decision)
        save.record(pt)
        facing = pt.facing()
        if not isinstance(facing, Deciding):
            facing = pt.finish_reading().facing()
        assert isinstance(facing, Deciding) and facing.decision.id == RANK.id
        first_time = facing.options
        assert first_time == shown_options(RANK, registration)
    with store.open(learner, MODULE) as save:
        resumed = save.playthrough()
        assert resumed.seed == registration
        again = resumed.facing()
        if not isinstance(again, Deciding):
            again = resumed.finish_reading().facing()
        assert again.options == first_time, "the same order on resume"
        answered = again.decision.id
        save.record(resumed.respond(ids(again.options), confidence=3, reason="r"))
        second = save.new_attempt()
        assert second.seed == save.attempt.registration != registration
    recorded = read_save(save.path).attempts[0].answers[-1]
    assert recorded.decision_id == answered and recorded.shown_order == tuple(ids(first_time))
