"""The authoring guide's examples are what the validator accepts, and its codes are the
validator's: a module in the guide is strict-clean, and every code is listed once."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from trainer.content import CODES, schema, validate_text

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
TEXT = GUIDE.read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```toml\n(.*?)^```$", TEXT, flags=re.DOTALL | re.MULTILINE)
MODULES = [b for b in BLOCKS if b.startswith("format = ")]
FRAGMENTS = [b for b in BLOCKS if not b.startswith("format = ")]
KEYS = {key for table in schema.TABLES.values() for key in table}


def test_the_guide_has_whole_modules_and_fragments():
    assert len(MODULES) >= 2 and FRAGMENTS


@pytest.mark.parametrize("block", MODULES, ids=[f"module-{i}" for i in range(len(MODULES))])
def test_every_module_in_the_guide_is_strict_clean(block):
    report = validate_text(block, "authoring.md")
    assert report.problems == [], report.lines()


def _keys(data, found):
    if isinstance(data, dict):
        for key, value in data.items():
            found.add(key)
            _keys(value, found)
    elif isinstance(data, list):
        for value in data:
            _keys(value, found)
    return found


@pytest.mark.parametrize("block", FRAGMENTS, ids=[f"fragment-{i}" for i in range(len(FRAGMENTS))])
def test_every_fragment_in_the_guide_is_toml_with_known_keys(block):
    assert _keys(tomllib.loads(block), set()) <= KEYS


def test_every_code_is_in_the_guide_once():
    listed = re.findall(r"^\| ([EW]\d{3}) \|", TEXT, flags=re.MULTILINE)
    assert sorted(listed) == sorted(CODES)
    assert len(listed) == len(set(listed))
