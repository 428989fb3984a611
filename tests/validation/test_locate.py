"""Key lines: every key and table of a module is found on the line that writes it."""

from __future__ import annotations

import time
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest

from benchmarks.generate import module_text
from tests.validation.base import BASE, BASE2
from trainer.content.locate import Path, line_of, locate_keys


def _tables(value: dict[str, Any], path: Path = ()) -> Iterator[tuple[Path, str | None, Any]]:
    """Each key path of a parsed document, with the header that opens it (None for a key),
    and its value."""
    for key, item in value.items():
        if isinstance(item, list) and item and all(isinstance(e, dict) for e in item):
            for index, element in enumerate(item):
                yield path + (key, index), key, element
                yield from _tables(element, path + (key, index))
        elif isinstance(item, dict):
            yield path + (key,), key, item
            yield from _tables(item, path + (key,))
        else:
            yield path + (key,), None, item


SPACED = (
    BASE.replace('id = "s1"', '  id   =   "s1"   # the first stage')
    .replace('title = "One"', "title = 'One'\t")
    .replace('outcome_findings = ["f1"]', "outcome_findings = [ 'f1' ,  ]  # linked")
    .replace('narrative = "Later."', 'narrative = """Later.\n[[stages]]\nid = "not a key"\n"""')
    .replace('prompt = "Write."', 'prompt = "Write \\"this\\"; # not a comment"')
)


@pytest.mark.parametrize(
    "text",
    [BASE, BASE2, SPACED, module_text(12), module_text(12, 2)],
    ids=["base", "base2", "spaced", "generated", "generated2"],
)
def test_every_key_is_located_on_the_line_that_writes_it(text):
    written = text.split("\n")
    located = locate_keys(text)
    previous = 0
    for path, header, value in _tables(tomllib.loads(text)):
        assert located[path] > previous, path  # in the file's order: each on its own line
        previous = located[path]
        line = written[located[path] - 1].strip()
        if header is None:
            assert line.split("=")[0].strip() == path[-1], (path, line)
            if isinstance(value, str) and "\n" not in value and '"' not in value:
                assert value in line, (path, line)
        else:
            assert line.strip("[]").split(".")[-1] == header, (path, line)


@pytest.mark.parametrize(
    "text",
    [BASE2, SPACED, SPACED.replace("\n", "\r\n"), module_text(12, 2)],
    ids=["base2", "spaced", "crlf", "generated2"],
)
def test_a_path_has_the_same_line_when_only_its_tables_are_read(text):
    everything = locate_keys(text)
    for path in [*everything, ("stages", 1, "decisions", 0, "nothing"), ("nothing", 3)]:
        tables = {path[:end] for end in range(len(path))}
        assert line_of(locate_keys(text, tables), path) == line_of(everything, path), path


@pytest.mark.parametrize(
    "tail",
    [" " * 200_000, " \t" * 100_000, "  b = 2".rjust(200_000), "a = [1," + " " * 200_000 + "\n2]"],
    ids=["spaces", "tabs", "indented-key", "open-array"],
)
def test_long_runs_of_spaces_take_linear_time(tail):
    # Patterns whose parts could share the spaces took minutes on such a last line.
    text = "[[stages]]\nid = 'x'\n" + tail
    started = time.perf_counter()
    located = locate_keys(text)
    assert time.perf_counter() - started < 5
    assert located[("stages", 0, "id")] == 2
