"""Properties: whatever a file holds, validation gives a report and loading a ModuleError."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.validation.base import BASE, BASE2
from trainer.content import load_module, validate_text
from trainer.content.validator import Report, occurs, spaced_words
from trainer.engine import (
    case_file_at,
    draw_genogram,
    layout_genogram,
    match_phrase,
    normalise,
    relation_text,
)
from trainer.errors import ModuleError

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

leaves = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.datetimes(),
)
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=25,
)
MODULE_KEYS = [
    "format",
    "id",
    "title",
    "version",
    "summary",
    "stages",
    "findings",
    "sources",
    "glossary",
    "decisions",
    "options",
    "rubric",
    "next",
    "kind",
    "verdict",
    "any",
    "debrief",
    "narrative",
    "voice",
    "reveals",
    "date",
    "happened",
    "rank",
    "scoring",
    "scored",
    "chronology",
    "people",
    "relations",
    "documents",
    "from_stage",
    "from",
    "to",
    "sex",
    "born",
    "identified",
    "household",
    "agency",
    "event",
    "key",
    "reconstructed",
]


def check(text: str | bytes, tmp_path) -> None:
    report = validate_text(text, "x.toml")
    assert isinstance(report, Report)
    assert (report.module is None) == (report.errors > 0)
    for problem in report.problems:
        assert problem.code[0] in "EW" and problem.message
        assert problem.line is None or problem.line >= 1
    path = tmp_path / "x.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    try:
        module = load_module(path)
    except ModuleError as error:
        assert str(error)
        return
    play_to_the_end(module)


def play_to_the_end(module) -> None:
    """A module that validates clean plays to its end through the engine, answered simply."""
    from trainer.engine import PlayThrough
    from trainer.engine.autoplay import Response, play

    def answer(deciding) -> Response:
        decision = deciding.decision
        confidence = 3 if decision.asks_confidence else None
        reason = "because" if decision.asks_reason else None
        if decision.kind == "text":
            return Response(text="an answer", confidence=confidence, concepts_ticked=())
        if decision.kind == "rank":
            return Response(decision.panel_order, confidence=confidence, reason=reason)
        return Response([decision.options[0].id], confidence=confidence, reason=reason)

    pt = play(PlayThrough(module), answer)
    assert pt.finished
    score = pt.module_score
    assert score is None or 0 <= score <= 1
    # The case file at every stage of the path, and its genogram, drawn and listed.
    path = [stage.id for stage in pt.path]
    for end in range(1, len(path) + 1):
        case_file = case_file_at(module, path[:end])
        people = [known.person for known in case_file.people]
        relations = [known.relation for known in case_file.relations]
        names = {person.id: person.name for person in people}
        assert all(names.get(r.from_person) and names.get(r.to_person) for r in relations)
        lines = draw_genogram(layout_genogram(people, relations))
        assert all(line == line.rstrip() for line in lines)
        assert all(relation_text(r, names) for r in relations)


@SETTINGS
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(tmp_path, data):
    check(data, tmp_path)


@SETTINGS
@given(st.dictionaries(st.sampled_from(MODULE_KEYS) | st.text(max_size=8), values, max_size=8))
def test_arbitrary_toml_documents(tmp_path, document):
    check(tomli_w.dumps(document), tmp_path)


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def _at(data, path):
    for key in path:
        data = data[key]
    return data


GOOD = tomllib.loads(BASE)
GOOD_PATHS = list(_paths(GOOD))
FORMAT_2 = (Path(__file__).parents[1] / "fixtures" / "format2.toml").read_text(encoding="utf-8")
GOOD_2 = tomllib.loads(FORMAT_2)
GOOD_2_PATHS = list(_paths(GOOD_2))
# Values a format 2 key might plausibly hold, wrong or right, beside arbitrary ones.
format_2_values = st.sampled_from(
    [
        "rank",
        "single",
        "multiple",
        "text",
        "review",
        "review-reported",
        "comment",
        "self",
        "phrases",
        "none",
        "2030-02-30",
        "2030-13",
        "0000",
        "2031",
        "2030-01-09",
        "aligned",
        "contrary",
        True,
        False,
        0,
        1,
        3,
        10,
        -1,
    ]
)


def _mutate(document, changes):
    for where, value in changes:
        target = document
        try:
            for key in where[:-1]:
                target = target[key]
            if isinstance(target, dict) != isinstance(where[-1], str):
                continue  # an earlier change replaced a table with a list or back
            if value is None:
                del target[where[-1]]
            else:
                target[where[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this path
    return document


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(GOOD_PATHS), values | st.none()), min_size=1, max_size=4))
def test_module_shaped_documents_with_wrong_values_anywhere(tmp_path, changes):
    check(tomli_w.dumps(_mutate(copy.deepcopy(GOOD), changes)), tmp_path)


@SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(GOOD_2_PATHS), values | format_2_values | st.none()),
        min_size=1,
        max_size=4,
    )
)
def test_format_2_documents_with_wrong_values_anywhere(tmp_path, changes):
    check(tomli_w.dumps(_mutate(copy.deepcopy(GOOD_2), changes)), tmp_path)


GOOD_2_TABLES = [()] + [p for p in GOOD_2_PATHS if isinstance(_at(GOOD_2, p), dict)]
FORMAT_3 = (Path(__file__).parents[1] / "fixtures" / "format3.toml").read_text(encoding="utf-8")
GOOD_3 = tomllib.loads(FORMAT_3)
GOOD_3_PATHS = list(_paths(GOOD_3))
GOOD_3_TABLES = [()] + [p for p in GOOD_3_PATHS if isinstance(_at(GOOD_3, p), dict)]
# Values a case-file key might plausibly hold, wrong or right: stage and person ids, the
# kinds, sexes and dates of the format, years.
format_3_values = st.sampled_from(
    [
        "referral",
        "second-call",
        "home",
        "review",
        "mother",
        "man",
        "sam",
        "father",
        "female",
        "male",
        "unknown",
        "parent",
        "partner",
        "ex-partner",
        "sibling",
        "carer",
        "report",
        "letter",
        "2021-05",
        "2020",
        2019,
        1700,
        True,
        False,
        "Seen in August 2031.",
    ]
)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(GOOD_2_TABLES),
            st.sampled_from(MODULE_KEYS),
            values | format_2_values,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_format_2_documents_with_keys_added_anywhere(tmp_path, additions):
    changes = [(table + (key,), value) for table, key, value in additions]
    check(tomli_w.dumps(_mutate(copy.deepcopy(GOOD_2), changes)), tmp_path)


@SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(GOOD_3_PATHS), values | format_3_values | st.none()),
        min_size=1,
        max_size=4,
    )
)
def test_format_3_documents_with_wrong_values_anywhere(tmp_path, changes):
    check(tomli_w.dumps(_mutate(copy.deepcopy(GOOD_3), changes)), tmp_path)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(GOOD_3_TABLES),
            st.sampled_from(MODULE_KEYS),
            values | format_3_values,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_format_3_documents_with_keys_added_anywhere(tmp_path, additions):
    changes = [(table + (key,), value) for table, key, value in additions]
    check(tomli_w.dumps(_mutate(copy.deepcopy(GOOD_3), changes)), tmp_path)


@SETTINGS
@given(st.lists(st.sampled_from(GOOD_3_PATHS), min_size=1, max_size=6))
def test_format_3_documents_with_entries_removed(tmp_path, removed):
    # Removing people, relations, stages or keys leaves dangling ids and paths to be found.
    check(tomli_w.dumps(_mutate(copy.deepcopy(GOOD_3), [(p, None) for p in removed])), tmp_path)


def test_the_format_3_sample_is_strict_clean():
    assert validate_text(FORMAT_3, "format3.toml").problems == []


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text_around_a_format_2_module(tmp_path, noise):
    check(BASE2 + noise, tmp_path)
    check(FORMAT_2 + noise, tmp_path)
    check(FORMAT_3 + noise, tmp_path)


def test_the_format_2_sample_is_strict_clean():
    assert validate_text(FORMAT_2, "format2.toml").problems == []


words = st.lists(st.sampled_from(["a", "ab", "abc", "b", "ba", "c"]), max_size=12)


@SETTINGS
@given(words, st.lists(st.sampled_from(["a", "ab", "b", "ba", "c", "*", ",", " "]), max_size=5))
def test_the_glossary_search_agrees_with_the_engine_matching(text_words, phrase_parts):
    # The validator looks for glossary terms with one substring search; it must find
    # exactly what the engine's phrase matching finds.
    phrase = " ".join(phrase_parts)
    text = " ".join(text_words)
    spaced = " " + " ".join(normalise(text)) + " "
    assert occurs(phrase, spaced) == match_phrase(phrase, normalise(text))


# Letters, digits, marks (combining, and a Devanagari vowel sign), punctuation, spaces of
# several kinds, controls, compatibility forms NFKC rewrites, and a letter case folding grows.
SCRIPTS = (
    "aZ9_-.,'\u2019 \t\n\u00a0\u2028\u200b\x85\u00e9\u0301\u0915\u093f\ufb01\u2460\u00df\u0130"
)


@SETTINGS
@given(st.one_of(st.text(max_size=200), st.text(alphabet=SCRIPTS, max_size=200)))
def test_the_glossary_words_of_any_text_are_the_engines(text):
    # The validator finds a large text's words by a pattern, not character by character.
    assert spaced_words(text) == " " + " ".join(normalise(text)) + " "


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text_around_a_good_module(tmp_path, noise):
    check(BASE + noise, tmp_path)


@pytest.mark.parametrize("depth", [10, 1000, 100_000])
def test_deep_nesting(tmp_path, depth):
    check("x = " + "[" * depth + "]" * depth + "\n", tmp_path)
    check("x = " + "{a = " * depth + "1" + "}" * depth + "\n", tmp_path)


def test_a_50_megabyte_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "big.toml"
    with open(path, "wb") as handle:
        handle.write(BASE.encode())
        handle.write(b"# padding\n" * (5 * 1024 * 1024))
    with pytest.raises(ModuleError, match="larger than 5 MB"):
        load_module(path)
