"""End of input at every step: plain mode saves what was confirmed, exits 0, and resumes.

The aligned play-through's script is cut after a line: the run ends with status 0, its
save holds exactly the answers confirmed by then, and a second run, from the script that
the saved attempt calls for, finishes the module with the very save an uninterrupted run
leaves. The tutorial is cut after every line in turn: a notice, a stage, each kind's
choice and confirmation, a line of a written answer, how sure, a reason, the ticks,
feedback, what happened. Every other shipped module is cut after the first line of each
kind the tutorial does not have (a rank's order) and after its last line; in the slow
suite, after every line.
"""

from __future__ import annotations

import pytest

from tests.content.shipped import SHIPPED, shipped_ids
from tests.plain.scripts import aligned, counted_script, fresh, run, save_data, save_path, script
from trainer.content import load_module
from trainer.paths import shipped_modules_dir
from trainer.saves import read_save
from trainer.saves.store import SaveStore

TUTORIAL = shipped_modules_dir() / "tutorial-riverside.toml"


def roles_of(path) -> set[str]:
    return {role for _, _, role in counted_script(fresh(load_module(path)), aligned)}


def first_of_each_new_kind(full: list[tuple[str, int, str]]) -> list[int]:
    """Where to cut: after the first line of each kind the tutorial lacks, and the last."""
    roles = [role for _, _, role in full]
    new = set(roles) - roles_of(TUTORIAL)
    return sorted({roles.index(role) + 1 for role in new} | {len(full)})


OTHERS = [path for path in SHIPPED if path.name != TUTORIAL.name]


@pytest.mark.parametrize("path", OTHERS, ids=[path.stem for path in OTHERS])
def test_end_of_input_after_each_kind_of_line_the_tutorial_lacks(path, tmp_path):
    cut_and_resume(path, tmp_path, first_of_each_new_kind)


def test_the_tutorial_asks_every_kind_of_line_but_a_rank():
    assert roles_of(TUTORIAL) >= {
        "notice", "stage", "feedback", "outcome", "confidence", "reason", "claim",
        "single choice", "single confirm", "multiple choice", "multiple confirm",
        "text line", "text end", "text confirm",
    }


def test_end_of_input_after_every_line_of_the_tutorial(tmp_path):
    cut_and_resume(TUTORIAL, tmp_path, lambda full: list(range(len(full) + 1)))


@pytest.mark.slow
@pytest.mark.parametrize("path", SHIPPED, ids=shipped_ids())
def test_end_of_input_after_every_line(path, tmp_path):
    cut_and_resume(path, tmp_path, lambda full: list(range(len(full) + 1)))


def cut_and_resume(path, tmp_path, cuts) -> None:
    module = load_module(path)
    full = counted_script(fresh(module), aligned)
    lines = [line for line, _, _ in full]
    run(path, lines, tmp_path / "whole")
    whole = save_data(save_path(tmp_path / "whole", module.id))
    answers = whole["attempts"][0]["answers"]
    for cut in cuts(full):
        saves = tmp_path / str(cut)
        status, out = run(path, lines[:cut], saves)
        assert status == 0
        ended = "to carry on where you left off." if cut < len(lines) else "Your answers are saved."
        assert out.rstrip().endswith(ended), out[-300:]
        assert "End of input." in out
        confirmed = full[cut - 1][1] if cut else 0
        (attempt,) = read_save(save_path(saves, module.id)).attempts
        assert len(attempt.answers) == confirmed, (cut, lines[:cut][-3:])
        assert save_data(save_path(saves, module.id))["attempts"][0].get("answers", []) == (
            answers[:confirmed]
        )
        # Resume: what the save holds now decides the rest of the script.
        with SaveStore(saves).open(SaveStore(saves).learner("Sam Okafor", "autumn"), module) as save:
            resumed = save.playthrough()
        status, _ = run(path, script(resumed, aligned), saves)
        assert status == 0
        assert save_data(save_path(saves, module.id)) == whole, cut
