"""Whatever is typed, plain mode answers with plain lines and ends with status 0.

Lines drawn at random (the answers plain mode knows, mixed with any text at all: control
characters, escape sequences, other scripts, long lines) are fed to the tutorial. Every
run ends at the end of its input with status 0, its output plain and within 80 columns,
and its save readable and holding only whole answers.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.plain.scripts import run, save_path
from trainer.paths import shipped_modules_dir
from trainer.saves import read_save

TUTORIAL = shipped_modules_dir() / "tutorial-riverside.toml"
KNOWN = ["", "", "", "1", "2", "3", "1 2", "3 1 2", "y", "b", "4", "none", "c", "d1", "a2",
         "h", "g", "t", "p", "r", "n", "m", "for the child", "every adult"]
LINE = st.one_of(st.sampled_from(KNOWN), st.text(max_size=300).map(lambda s: s.replace("\n", " ")))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=60))
def test_any_lines_typed_end_with_status_0_and_plain_output(lines):
    with tempfile.TemporaryDirectory() as folder:
        saves = Path(folder)
        status, _ = run(TUTORIAL, lines, saves)  # run checks the output is plain
        assert status == 0
        (attempt,) = read_save(save_path(saves, "tutorial-riverside")).attempts
        assert all(answer.decision_id for answer in attempt.answers)


def test_digits_of_other_scripts_are_said_back_for_a_document_or_an_agency(tmp_path):
    """`²` and `١` are digits to `str.isdigit` but no number to `int`: typed for a document of
    the case file, an agency or a stage's document, each is said back like any other text."""
    lines = ["c", "d²", "a١", "", "", "", "²", ""]
    status, out = run(TUTORIAL, lines, tmp_path)
    assert status == 0
    for typed in ("d²", "a١"):
        assert f"Not understood: {typed!r}; press Enter to go back to where you were." in out
    assert "Not understood: '²'; press Enter to go on, or type 1 for a document." in out
