"""Validation holds the garbage collector while it checks a file, and gives it back as it
found it: on where it was on, off where the caller had turned it off."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tests.validation.base import BASE
from trainer.content.validator import validate_text

MODULE = BASE


@pytest.fixture
def collector_state() -> Iterator[None]:
    """Whatever a test does to the collector is undone after it."""
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_on_again_after_a_file_is_checked(collector_state: None) -> None:
    gc.enable()
    report = validate_text(MODULE, "collector.toml", build=False)
    assert report.errors == 0, report.lines()
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(collector_state: None) -> None:
    gc.disable()
    validate_text(MODULE, "collector.toml", build=False)
    assert not gc.isenabled()


def test_the_collector_is_on_again_after_a_file_with_errors(collector_state: None) -> None:
    gc.enable()
    report = validate_text(MODULE.replace("format = ", "formats = ", 1), "bad.toml")
    assert report.errors
    assert gc.isenabled()
