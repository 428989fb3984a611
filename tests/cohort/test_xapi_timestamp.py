"""An answer saved without its time gives a statement with no timestamp, never an empty one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.cohort.conftest import TUTORIAL, attempt_from
from tests.records import replace
from trainer.cohort.records import Options, Record
from trainer.cohort.xapi import attempt_statements
from trainer.content import load_module
from trainer.saves import LearnerInfo, ModuleInfo, SaveFile


def test_an_answer_without_a_time_has_no_timestamp():
    attempt = attempt_from("aligned", 1, datetime(2026, 10, 3, 9, 0, tzinfo=UTC))
    first = replace(attempt.answers[0], answered_at="")
    attempt.answers = [first, *attempt.answers[1:]]
    save = SaveFile(LearnerInfo("sam", "Sam"), ModuleInfo.of(load_module(TUTORIAL)), [attempt])
    statements = attempt_statements(Record(Path("x.toml"), save, (attempt,)), attempt, Options())
    answered = [s for s in statements if s["verb"]["id"].endswith("/answered")]
    assert "timestamp" not in answered[0]
    assert all(s["timestamp"] for s in answered[1:])
