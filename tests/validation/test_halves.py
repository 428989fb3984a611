"""A module parsed and key-checked in two halves at once is the module so checked whole, or is
checked whole.

`check_in_halves` and `check_first_half` must give the key pass over the whole file (every
sound key and value, in the same order, every text and every problem) or None, never a
different one: over generated documents of every shape tomli-w writes, and over the files
whose halves would not add up.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import tomli
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.generate import module_text
from tests.validation.test_properties import SETTINGS, values
from trainer.content import forked, schema
from trainer.content.checking import Reporter
from trainer.content.halves import check_in_halves
from trainer.content.key_checks import KeyChecker

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="forks only on Linux")


def ordered(value: Any) -> Any:
    """A checked value with every table's key order and every value's type made comparable
    (the keys written, `_given`, are only ever asked whether they hold a key)."""
    if isinstance(value, dict):
        return [
            (key, sorted(item) if key == "_given" else ordered(item)) for key, item in value.items()
        ]
    if isinstance(value, list | tuple):
        return [ordered(item) for item in value]
    return (type(value).__name__, repr(value))


def key_pass(text: str) -> Any:
    """The key pass over the whole file: its sound keys, texts, problems and the suggestion
    budget left."""
    document = tomli.loads(text)
    declared = document.get("format")
    keys = KeyChecker(Reporter(text, declared if declared in schema.FORMATS else 1), document, text)
    return _result(keys, keys.table("module", document, ()))


def parse_in_halves(text: str) -> Any:
    """The key pass in halves, or None where the file must be checked whole."""
    halves = check_in_halves(text)
    return None if halves is None else _result(*halves)


def _result(keys: KeyChecker, clean: dict[str, Any]) -> Any:
    reporter = keys.reporter
    return ordered(clean), keys.texts, reporter.found, reporter.suggestions_left


def same_or_none(text: str) -> bool:
    """Whether the halves gave the key pass over the whole; False when they gave nothing."""
    halved = parse_in_halves(text)
    if halved is None:
        return False
    assert halved == key_pass(text)
    return True


@pytest.mark.parametrize("version", [1, 2, 3])
def test_benchmark_modules_are_parsed_in_halves(version):
    assert same_or_none(module_text(300, version))


# A stage's values, without dates (no key keeps one); the keys before and after the stages
# may hold anything.
plain = st.recursive(
    st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
# A stage's keys, mostly known ones: an unknown key's "did you mean" in both halves has the
# file checked whole.
tables = st.dictionaries(
    st.sampled_from(list(schema.TABLES["stage"])) | st.text(max_size=6),
    plain,
    min_size=1,
    max_size=5,
)


module_keys = st.sampled_from(list(schema.TABLES["module"])) | st.text(max_size=6)


@SETTINGS
@given(
    st.dictionaries(module_keys, values, max_size=4),
    st.lists(tables, min_size=4, max_size=16),
    st.dictionaries(module_keys, values, max_size=4),
)
def test_generated_documents(before, stages, after):
    document = {**before, "stages": stages, **{k: v for k, v in after.items() if k != "stages"}}
    text = tomli_w.dumps(document)
    same_or_none(text)


def _stages(count: int) -> str:
    return "".join(
        f'[[stages]]\nid = "s{n}"\ntitle = "Stage {n}"\nnarrative = "{"x" * 40}"\n\n'
        for n in range(count)
    )


def test_an_array_of_stages_written_as_a_value_is_parsed_whole():
    # The whole file is an error (a header cannot add to an array written as a value),
    # though each half parses.
    text = 'stages = [{id = "a"}]\n[meta]\nx = 1\n' + "# " + "y" * 2000 + "\n" + _stages(3)
    assert parse_in_halves(text) is None
    with pytest.raises(tomli.TOMLDecodeError):
        tomli.loads(text)


def test_stages_as_a_table_is_parsed_whole():
    text = "[stages]\nx = 1\n" + "# " + "y" * 2000 + "\n" + _stages(3)
    assert parse_in_halves(text) is None


def test_a_table_in_both_halves_is_parsed_whole():
    # Valid as a whole (a table added to under a second header), but only TOML's rules for
    # both halves at once could say so: parsed whole.
    text = "[extra.a]\nx = 1\n" + _stages(40) + "[extra.b]\ny = 2\n"
    assert tomli.loads(text)["extra"] == {"a": {"x": 1}, "b": {"y": 2}}
    assert parse_in_halves(text) is None


def test_a_header_inside_a_string_is_not_a_cut():
    inside = "\n".join(["[[stages]]"] * 40)
    text = _stages(2) + f'[[stages]]\nid = "long"\nnote = """\n{inside}\n"""\n'
    assert not same_or_none(text)
    assert len(tomli.loads(text)["stages"]) == 3


def test_a_toml_date_in_the_second_half():
    # What tomli reads as a date is no sound value of any key: the key pass reports it and
    # keeps nothing the child could not send.
    text = _stages(20) + '[[stages]]\nid = "late"\ndate = 2007-08-03\n'
    assert tomli.loads(text)["stages"][-1]["date"] == datetime.date(2007, 8, 3)
    assert same_or_none(text)


@pytest.mark.parametrize(
    "broken", ['id = "unclosed\n', "id = 1\nid = 2\n", "x = [\n", "= 1\n"], ids=repr
)
@pytest.mark.parametrize("where", ["first", "second"])
def test_a_half_that_does_not_parse_is_parsed_whole(broken, where):
    text = _stages(10) + broken + _stages(30) if where == "first" else _stages(40) + broken
    assert parse_in_halves(text) is None


def test_the_first_header_as_the_cut():
    text = 'format = 3\nid = "m"\n' + "# " + "y" * 4000 + "\n" + _stages(3) + "[[findings]]\n"
    assert same_or_none(text)


def test_crlf_lines():
    assert same_or_none(_stages(30).replace("\n", "\r\n"))


def test_no_header_past_the_middle():
    assert parse_in_halves(_stages(3) + "# " + "y" * 4000 + "\n") is None
