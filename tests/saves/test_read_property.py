"""Property: any bytes or any TOML document read as a save give a SaveFile or a SaveError,
and whatever reads holds only values in range: the checks on read are the only gate."""

import contextlib
import copy
import math
import uuid
from datetime import UTC, datetime

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine.fixture import fixture_module
from trainer.engine import DECISION_KINDS, PlayThrough, format_time
from trainer.engine.answer import ANSWER_VERDICTS, MAX_DRAFT_CHARS, KeptDraft, is_utc_time
from trainer.engine.model import SCORINGS
from trainer.errors import SaveError
from trainer.saves import LearnerInfo, ModuleInfo, SaveFile, read_save
from trainer.saves.format import Attempt

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)
)
toml_values = st.recursive(
    st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = [
    "format",
    "learner",
    "module",
    "attempts",
    "id",
    "name",
    "answers",
    "number",
    "registration",
    "started_at",
    "stage",
    "decision",
    "kind",
    "verdict",
    "score",
    "choice",
]


def good_save() -> dict:
    module = fixture_module()
    pt = PlayThrough(module).respond(["a"], confidence=3, reason="r")
    attempt = Attempt(1, "0b6c6a52-8d0e-4d1c-9d59-1f6f0a0e4b21", "2026-01-01T00:00:00.000Z")
    pt = pt.proceed().proceed().respond(["m1", "m2"])
    attempt.update_from(pt, "2026-01-01T00:00:01.000Z")
    attempt.draft = KeptDraft("d-text", text="typed, not confirmed", reason="r")
    return SaveFile(LearnerInfo("sam", "Sam"), ModuleInfo.of(module), [attempt]).to_data()


@SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes(tmp_path, data):
    path = tmp_path / "x.toml"
    path.write_bytes(data)
    try:
        assert isinstance(read_save(path), SaveFile)
    except SaveError as error:
        assert str(path) in str(error)


@SETTINGS
@given(st.dictionaries(st.sampled_from(KEYS), toml_values, max_size=6))
def test_any_toml_document(tmp_path, document):
    path = tmp_path / "x.toml"
    path.write_text(tomli_w.dumps(document))
    with contextlib.suppress(SaveError):
        check_in_range(read_save(path))


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield prefix + (index,)
            yield from _paths(value, prefix + (index,))


GOOD = good_save()
GOOD_PATHS = list(_paths(GOOD))


@SETTINGS
@given(
    st.sampled_from(GOOD_PATHS),
    scalars | st.lists(scalars.filter(lambda v: v is not None), max_size=2),
)
def test_a_good_save_with_one_value_changed(tmp_path, where, value):
    data = copy.deepcopy(GOOD)
    target = data
    for key in where[:-1]:
        target = target[key]
    if value is None:
        del target[where[-1]]
    else:
        target[where[-1]] = value
    path = tmp_path / "x.toml"
    path.write_text(tomli_w.dumps(data))
    with contextlib.suppress(SaveError):
        check_in_range(read_save(path))


def test_the_good_save_round_trips(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(tomli_w.dumps(GOOD))
    assert read_save(path).to_data() == GOOD


def check_in_range(save: SaveFile) -> None:
    """What a save that reads may hold: every enumerated value one of those written, every
    number finite and in range, every time well formed, attempts in order."""
    assert save.format == 1
    assert 0 <= save.module.decisions <= 1_000_000
    numbers = [attempt.number for attempt in save.attempts]
    assert numbers == sorted(set(numbers)) and all(n >= 1 for n in numbers)
    for attempt in save.attempts:
        assert str(uuid.UUID(attempt.registration)) == attempt.registration.lower()
        assert is_utc_time(attempt.started_at)
        assert attempt.finished_at is None or is_utc_time(attempt.finished_at)
        assert attempt.score is None or (math.isfinite(attempt.score) and 0 <= attempt.score <= 1)
        for answer in attempt.answers:
            assert answer.kind in DECISION_KINDS
            assert answer.verdict in ANSWER_VERDICTS
            assert all(verdict in ANSWER_VERDICTS for _, _, verdict in answer.options)
            assert answer.scoring is None or answer.scoring in SCORINGS
            assert answer.score is None or (math.isfinite(answer.score) and 0 <= answer.score <= 1)
            assert answer.confidence is None or 1 <= answer.confidence <= 5
            assert answer.answered_at == "" or is_utc_time(answer.answered_at)
        if attempt.draft is not None:
            assert isinstance(attempt.draft.decision_id, str)
            for typed in (attempt.draft.text, attempt.draft.reason):
                assert typed is None or (isinstance(typed, str) and len(typed) <= MAX_DRAFT_CHARS)


def with_value(where: tuple, value) -> dict:
    data = copy.deepcopy(GOOD)
    target = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    return data


def reads(tmp_path, data: dict) -> bool:
    path = tmp_path / "x.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    try:
        check_in_range(read_save(path))
    except SaveError as error:
        assert "\n" not in str(error)
        return False
    return True


ANSWER = ("attempts", 0, "answers", 0)


@SETTINGS
@given(st.one_of(st.floats(), st.integers(min_value=-(2**63), max_value=2**63 - 1)))
def test_a_score_reads_if_and_only_if_it_is_a_finite_number_from_0_to_1(tmp_path, score):
    ok = math.isfinite(score) and 0 <= score <= 1
    assert reads(tmp_path, with_value((*ANSWER, "score"), score)) == ok
    assert reads(tmp_path, with_value(("attempts", 0, "score"), score)) == ok


@SETTINGS
@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_a_confidence_reads_if_and_only_if_it_is_1_to_5(tmp_path, confidence):
    assert reads(tmp_path, with_value((*ANSWER, "confidence"), confidence)) == (
        1 <= confidence <= 5
    )


@SETTINGS
@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_an_attempt_number_reads_if_and_only_if_it_is_a_count(tmp_path, number):
    assert reads(tmp_path, with_value(("attempts", 0, "number"), number)) == (
        1 <= number <= 1_000_000
    )


@SETTINGS
@given(
    st.sampled_from(["verdict", "kind", "scoring"]),
    st.one_of(st.sampled_from([*ANSWER_VERDICTS, *DECISION_KINDS, *SCORINGS]), st.text(max_size=12)),
)
def test_an_enumerated_value_reads_if_and_only_if_it_is_one_written(tmp_path, key, value):
    allowed = {"verdict": ANSWER_VERDICTS, "kind": DECISION_KINDS, "scoring": SCORINGS}[key]
    data = with_value((*ANSWER, key), value)
    if key == "verdict" and value == "":
        data["attempts"][0]["answers"][0].pop("score")  # not judged: no score
    assert reads(tmp_path, data) == (value in allowed)


@SETTINGS
@given(st.datetimes(min_value=datetime(1000, 1, 1), timezones=st.just(UTC)))
def test_every_time_the_app_writes_reads_back(tmp_path, moment):
    text = format_time(moment)  # (years before 1000 are not written with four digits)
    assert reads(tmp_path, with_value((*ANSWER, "answered_at"), text))
    assert reads(tmp_path, with_value(("attempts", 0, "started_at"), text))


@SETTINGS
@given(st.text(max_size=30))
def test_a_time_reads_if_and_only_if_it_is_iso_8601_utc(tmp_path, text):
    expected = is_utc_time(text)
    if expected:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        assert parsed.tzinfo is not None
    assert reads(tmp_path, with_value(("attempts", 0, "started_at"), text)) == expected
    assert reads(tmp_path, with_value(("attempts", 0, "finished_at"), text)) == expected


@SETTINGS
@given(st.one_of(st.uuids().map(str), st.text(max_size=40)))
def test_a_registration_reads_if_and_only_if_it_is_a_uuid(tmp_path, text):
    try:
        expected = str(uuid.UUID(text)) == text.lower() and len(text) == 36
    except ValueError:
        expected = False
    assert reads(tmp_path, with_value(("attempts", 0, "registration"), text)) == expected
