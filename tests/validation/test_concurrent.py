"""`trainer validate`'s parsing and checks shared with forked children give the very report of
one process.

Every report is compared whole (each problem's severity, code, line, key path and message, in
order) with the checks run in one process, and each test requires that a child really ran
its share: over the shipped modules, the benchmark's generated modules of each format, broken
variants of them (both shares with "did you mean", so that the budget they share decides), and
the fuzzers' broken documents.
"""

from __future__ import annotations

import copy
import os
import sys
import threading

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.generate import module_text
from tests.content.shipped import SHIPPED, shipped_ids
from tests.validation.test_properties import (
    GOOD,
    GOOD_2,
    GOOD_2_PATHS,
    GOOD_3,
    GOOD_3_PATHS,
    GOOD_PATHS,
    SETTINGS,
    _mutate,
    format_2_values,
    format_3_values,
    values,
)
from trainer.content import forked, halves, validator
from trainer.content.validator import validate_text

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="forks only on Linux")


@pytest.fixture
def children(monkeypatch) -> list[tuple[str, bool]]:
    """Every file shares its parsing and checks, however small; each sharing is recorded:
    what the child was given to do, and whether it ran it to the end."""
    monkeypatch.setattr(validator, "_worth_sharing", lambda text: True)
    ran: list[tuple[str, bool]] = []
    real = forked.alongside

    def recorded(work, meanwhile):
        result = real(work, meanwhile)
        ran.append((work.__qualname__.split(".")[0], result[0]))
        return result

    monkeypatch.setattr(forked, "alongside", recorded)
    monkeypatch.setattr(halves, "alongside", recorded)
    return ran


def same_report(text: str, children: list[tuple[str, bool]]) -> None:
    """The report with children is the one-process report; a child checked its share of
    the meaning whenever the file parsed."""
    children.clear()
    plain = validate_text(text, "x.toml", build=False)
    assert children == []
    shared = validate_text(text, "x.toml", build=False, concurrent=True)
    assert shared.problems == plain.problems
    assert shared.lines() == plain.lines()
    parsed = not any(p.code in ("E001", "E002", "E003", "E004", "E005") for p in plain.problems)
    assert [ran for work, ran in children if work == "_Meaning"] == ([True] if parsed else [])


@pytest.mark.parametrize("path", SHIPPED, ids=shipped_ids())
def test_shipped_modules(path, children):
    same_report(path.read_text(encoding="utf-8"), children)


@pytest.mark.parametrize("version", [1, 2, 3])
def test_benchmark_modules(version, children):
    same_report(module_text(2000, version), children)


def _broken(version: int) -> str:
    """A generated module with problems in both shares: unknown findings and stages in the
    stages (checked here), unknown stages and sources in the case file (in the child), and
    thousands of them, more than a pipe holds at once."""
    text = module_text(300, version)
    text = text.replace('next = "s3"', 'next = "s3y"', 1)
    text = text.replace('outcome_findings = ["', 'outcome_findings = ["x', 5)
    text = text.replace('from_stage = "s1"', 'from_stage = "s1x"')
    text = text.replace('source = "src-review"', 'source = "src-reviews"', 40)
    return text.replace('from_stage = "s2', 'from_stage = "q2')


@pytest.mark.parametrize("version", [1, 2, 3])
def test_broken_benchmark_modules(version, children):
    text = _broken(version)
    report = validate_text(text, "x.toml", build=False)
    codes = {p.code for p in report.problems}
    assert {"E204", "E205"} <= codes
    if version == 3:
        assert {"E203", "E207"} <= codes
        assert any("did you mean" in p.message for p in report.problems if p.code == "E207")
    same_report(text, children)


def test_only_the_child_suggests(children):
    # The case file's suggestions draw on the budget the stages' would have: none here.
    text = module_text(200, 3).replace('from_stage = "s1"', 'from_stage = "s1x"')
    assert any("did you mean" in line for line in validate_text(text, "x.toml").lines())
    same_report(text, children)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(GOOD_PATHS), values | st.none()), min_size=1, max_size=4))
def test_broken_format_1_documents(children, changes):
    same_report(tomli_w.dumps(_mutate(copy.deepcopy(GOOD), changes)), children)


@SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(GOOD_2_PATHS), values | format_2_values | st.none()),
        min_size=1,
        max_size=4,
    )
)
def test_broken_format_2_documents(children, changes):
    same_report(tomli_w.dumps(_mutate(copy.deepcopy(GOOD_2), changes)), children)


@SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(GOOD_3_PATHS), values | format_3_values | st.none()),
        min_size=1,
        max_size=4,
    )
)
def test_broken_format_3_documents(children, changes):
    same_report(tomli_w.dumps(_mutate(copy.deepcopy(GOOD_3), changes)), children)


# -- the plumbing ---------------------------------------------------------------------------


def test_the_work_runs_in_another_process_while_the_rest_runs_here():
    here: list[int] = []
    ran, result = forked.alongside(os.getpid, lambda: here.append(os.getpid()))
    assert ran
    assert here == [os.getpid()]
    assert result != os.getpid()


def test_a_result_larger_than_a_pipe_holds_comes_whole():
    big = [("warning", "W401", ("findings", n), f"findings[{n}]", "x" * 200) for n in range(5000)]
    assert forked.alongside(lambda: big, lambda: None) == (True, big)


def test_a_failing_child_is_told_and_the_rest_still_runs():
    def fails() -> None:
        raise ValueError("broken")

    here: list[str] = []
    assert forked.alongside(fails, lambda: here.append("ran")) == (False, None)
    assert here == ["ran"]


def test_a_result_marshal_cannot_send_is_told():
    assert forked.alongside(lambda: object(), lambda: None) == (False, None)


def test_a_process_with_threads_does_not_fork():
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not forked.can_fork()
        here: list[str] = []
        assert forked.alongside(os.getpid, lambda: here.append("ran")) == (False, None)
        assert here == ["ran"]
    finally:
        release.set()
        thread.join()
    assert forked.can_fork() == sys.platform.startswith("linux")
