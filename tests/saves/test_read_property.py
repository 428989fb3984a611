"""Property: any bytes or any TOML document read as a save give a SaveFile or a SaveError."""

import contextlib

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine.fixture import fixture_module
from trainer.engine import PlayThrough
from trainer.errors import SaveError
from trainer.saves import LearnerInfo, ModuleInfo, SaveFile, read_save
from trainer.saves.format import Attempt

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
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
    attempt = Attempt(1, "reg", "2026-01-01T00:00:00.000Z")
    attempt.update_from(pt, "2026-01-01T00:00:01.000Z")
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
        read_save(path)


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
    import copy

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
        read_save(path)


def test_the_good_save_round_trips(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(tomli_w.dumps(GOOD))
    assert read_save(path).to_data() == GOOD
