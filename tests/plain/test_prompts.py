"""What plain mode asks, and what it does with answers it cannot take.

An answer that cannot be taken (a number out of range, a word, a number twice, nothing at
all) gets one plain line saying what to type, and the same question again; nothing is
recorded from it. Only what is confirmed counts, and going back takes a step back as the
app's Escape does.
"""

from __future__ import annotations

import io

from tests.plain.scripts import (
    COHORT,
    NAME,
    aligned,
    clock,
    counted_script,
    fresh,
    run,
    save_data,
    save_path,
    script,
)
from trainer.content import load_module
from trainer.engine import Deciding, Finished, Reading
from trainer.paths import shipped_modules_dir
from trainer.plain.start import play_plain
from trainer.saves import read_save
from trainer.saves.room import hold, release

TUTORIAL = shipped_modules_dir() / "tutorial-riverside.toml"
CONNELLY = shipped_modules_dir() / "peter-connelly-haringey.toml"


def with_bad_answers(path, bad: dict[str, list[str]]) -> list[str]:
    """The aligned script, each kind of line preceded (the first time) by the bad answers."""
    full = counted_script(fresh(load_module(path)), aligned)
    lines: list[str] = []
    for line, _, role in full:
        lines += bad.pop(role, [])
        lines.append(line)
    assert not bad, f"never asked: {sorted(bad)}"
    return lines


def clean_save(path, tmp_path) -> dict:
    module = load_module(path)
    run(path, script(fresh(module), aligned), tmp_path / "clean")
    return save_data(save_path(tmp_path / "clean", module.id))


def test_answers_that_cannot_be_taken_are_asked_again_and_never_recorded(tmp_path):
    bad = {
        "stage": ["y", "5"],
        "single choice": ["7", "x", "1 2", "0", "", "two", "1.5"],
        "single confirm": ["maybe", ""],
        "confidence": ["9", "", "four", "0"],
        "reason": [""],
        "multiple choice": ["6", "1 1", "1;x"],
        "text line": ["", "h"],
        "claim": ["9", "", "1 1", "all"],
        "feedback": ["x"],
        "outcome": ["p"],
    }
    lines = with_bad_answers(TUTORIAL, bad)
    status, out = run(TUTORIAL, lines, tmp_path / "plain")
    assert status == 0
    assert save_data(save_path(tmp_path / "plain", "tutorial-riverside")) == clean_save(
        TUTORIAL, tmp_path
    )
    for said in [
        "Not understood: 'y'; press Enter to go on, or type 1 for a document.",
        "There is no 7 here: the options are numbered 1 to 3.",
        "Not a number: 'x'; the options are numbered 1 to 3.",
        "Choose one only: type one number, 1 to 3.",
        "There is no 0 here: the options are numbered 1 to 3.",
        "Nothing is chosen yet: type 1 to 3.",
        "Not understood: 'maybe'; type y to confirm it, or b to choose again.",
        "Not understood: '9'; type one number from 1 to 5.",
        "A reason is needed: type one line, then Enter.",
        "There is no 6 here: the options are numbered 1 to 5.",
        "1 is typed twice: type each number once.",
        "Nothing is written yet: type your answer first.",
        "There is no 9 here: the points are numbered 1 to 3.",
        "Type the numbers of the points your answer covered, 1 to 3, or none.",
        "Not understood: 'x'; to go on, press Enter on an empty line.",
        "Not understood: 'p'; to go on, press Enter on an empty line.",
    ]:
        assert said in " ".join(out.split()), said


def test_a_rank_needs_every_option_once(tmp_path):
    module = load_module(CONNELLY)
    (count,) = [
        len(d.options) for s in module.stages for d in s.decisions if d.kind == "rank"
    ]
    lines = with_bad_answers(
        CONNELLY, {"rank choice": ["1 2", "1 1 2 3 4 5", f"{count + 1}", "1 2 3 4 5 x"]}
    )
    status, out = run(CONNELLY, lines, tmp_path / "plain")
    assert status == 0
    assert save_data(save_path(tmp_path / "plain", module.id)) == clean_save(CONNELLY, tmp_path)
    said = " ".join(out.split())
    assert f"Every option needs a place: 2 of {count} are placed, 3, 4, 5, 6 not yet." in said
    assert "1 is typed twice: type each number once." in said
    assert f"There is no {count + 1} here: the options are numbered 1 to {count}." in said
    assert "Your order, first to last:" in said


def test_a_choice_taken_back_is_not_recorded_and_b_goes_back_a_step(tmp_path):
    module = load_module(TUTORIAL)
    full = counted_script(fresh(module), aligned)
    first = [role for _, _, role in full].index("single choice")
    head = [line for line, _, _ in full[:first]]
    choice, _, _ = full[first]
    # Choose, take it back, choose again and confirm; back from how sure to the choice; back
    # from the choice to the stage; then the whole decision again, and end there.
    lines = head + ["3", "b", choice, "y", "b", "b", "", choice, "y", "4"]
    status, out = run(TUTORIAL, lines, tmp_path)
    assert status == 0
    said = " ".join(out.split())
    assert "Taken back: nothing is recorded." in said
    assert said.count("Stage 1 of 4") == 2  # the stage again, after b from the choice
    assert said.count("How sure are you of this answer?") == 2
    assert said.count("In one line: what weighed most with you?") == 1
    (attempt,) = read_save(save_path(tmp_path, module.id)).attempts
    assert attempt.answers == []  # the reason was never given: nothing is recorded


def test_help_glossary_and_timeline_answer_at_any_question_and_the_question_comes_back(tmp_path):
    lines = ["h", "", "", "g", "t", "?"]
    status, out = run(TUTORIAL, lines, tmp_path)
    assert status == 0
    said = " ".join(out.split())
    assert "Help: plain mode" in said and said.count("Help: plain mode") == 2
    assert "Glossary" in said and "Timeline of the case so far" in said
    assert "Talk to your facilitator" in said or "Support" in said
    # The stage's question is asked again after each answer that was not one.
    assert said.count("Press Enter to go on to the decision, or type 1 to read a document") == 4


def test_a_document_is_read_by_its_number(tmp_path):
    module = load_module(TUTORIAL)
    document = module.stages[0].evidence[0]
    status, out = run(TUTORIAL, ["", "", "1"], tmp_path)
    assert status == 0
    said = " ".join(out.split())
    assert f"Document 1 of 1: {document.title}" in said
    assert " ".join(document.text.split()) in said


def test_q_saves_and_quits_with_status_0(tmp_path):
    module = load_module(TUTORIAL)
    lines = script(fresh(module), aligned)
    first_feedback = 10  # well into the first decision's feedback or beyond
    status, out = run(TUTORIAL, [*lines[:first_feedback], "q", *lines[first_feedback:]], tmp_path)
    assert status == 0
    assert "End of input" not in out
    assert out.rstrip().endswith("to carry on where you left off.")


def test_the_prompt_names_the_numbers_that_exist_and_what_else_works(tmp_path):
    status, out = run(TUTORIAL, ["", "", ""], tmp_path)
    said = " ".join(out.split())
    assert (
        "Type the number of your choice, 1 to 3, then Enter (b goes back to the stage; h for "
        "help; c for the case file; q saves and quits)."
    ) in said
    shown = fresh(load_module(TUTORIAL)).finish_reading().facing().options
    assert f"1. {shown[0].text[:30]}" in said and f"3. {shown[2].text[:30]}" in said


def test_a_module_without_a_case_file_offers_none(tmp_path):
    from tests.tui.helpers import FIXTURE

    status, out = run(FIXTURE, ["", ""], tmp_path)
    said = " ".join(out.split())
    assert status == 0 and "Pick [italic]one[/italic]" in said
    assert "c for the case file" not in said
    assert (
        "Type the number of your choice, 1 to 2, then Enter (b goes back to the stage; h for "
        "help; q saves and quits)."
    ) in said


def test_the_debrief_reviews_keeps_a_markdown_file_and_asks_before_a_new_attempt(
    tmp_path, monkeypatch
):
    debriefs = tmp_path / "debriefs"
    monkeypatch.setattr("trainer.paths.debriefs_dir", lambda: debriefs)
    module = load_module(TUTORIAL)
    lines = script(fresh(module), aligned)
    status, out = run(TUTORIAL, [*lines, "r", "m", "m", "x", "n", "n", "n", "y"], tmp_path)
    assert status == 0
    said = " ".join(out.split())
    assert "Debrief: Tutorial: the Riverside referral (fictional), attempt 1" in said
    assert "Your score: 100%" in said
    assert "Your path through the case" in said
    assert [p.name for p in sorted(debriefs.iterdir())] == [
        "tutorial-riverside-attempt-1-debrief-2.md",
        "tutorial-riverside-attempt-1-debrief.md",
    ]
    assert "Not understood: 'x'; type r, m, n or q." in said
    assert "Start attempt 2?" in said and "Nothing changed: this is still your debrief." in said
    # y started attempt 2: its opening notices follow, and the first attempt is kept.
    assert said.rindex("Before you start") > said.rindex("Start attempt 2?")
    attempts = read_save(save_path(tmp_path, module.id)).attempts
    assert [a.number for a in attempts] == [1, 2] and attempts[0].finished


def test_a_finished_attempt_opens_on_its_debrief(tmp_path):
    module = load_module(TUTORIAL)
    run(TUTORIAL, script(fresh(module), aligned), tmp_path)
    status, out = run(TUTORIAL, [], tmp_path)
    assert status == 0
    assert out.lstrip().startswith("Debrief: ")
    assert out.rstrip().endswith("Your answers are saved.")


def test_a_held_stage_waits_for_the_facilitator_then_goes_on(tmp_path):
    module = load_module(TUTORIAL)
    saves = tmp_path / "saves"
    hold(saves, module.id, "autumn", module.stages[0].id)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            release(saves, module.id, "autumn")

    stdout = io.StringIO()
    status = play_plain(
        str(TUTORIAL), stdin=io.StringIO("\n\n\n"), stdout=stdout, saves=saves, learner=NAME,
        cohort=COHORT, clock=clock, remember=False, width=80, hold_poll=0.01, sleep=sleep,
    )
    assert status == 0
    said = " ".join(stdout.getvalue().split())
    assert waits == [0.01, 0.01, 0.01]
    assert said.index("Waiting for the facilitator") < said.index(
        "The facilitator has opened this stage."
    ) < said.index("Decision 1 of 1")


def test_an_answer_that_cannot_be_saved_is_not_recorded_and_can_be_confirmed_again(
    tmp_path, monkeypatch
):
    from trainer.errors import SaveError
    from trainer.saves.store import ModuleSave

    record = ModuleSave.record
    failures = []

    def failing_once(self, playthrough):
        if playthrough.answers and not failures:
            failures.append(1)
            raise SaveError("the disk is full")
        record(self, playthrough)

    monkeypatch.setattr(ModuleSave, "record", failing_once)
    module = load_module(TUTORIAL)
    lines = script(fresh(module), aligned)
    reason = lines.index("for the child")
    # The reason is given twice: the first time its save fails, so it is asked again.
    status, out = run(TUTORIAL, [*lines[: reason + 1], *lines[reason:]], tmp_path)
    assert status == 0
    said = " ".join(out.split())
    assert (
        "Your answer could not be saved (the disk is full), so it has not been recorded, and no "
        "feedback is shown. Everything you confirmed earlier is safe."
    ) in said
    assert said.index("the disk is full") < said.index("How your answer compares")
    (attempt,) = read_save(save_path(tmp_path, module.id)).attempts
    assert attempt.finished and len(failures) == 1


def test_options_are_numbered_in_the_order_this_attempt_shows_them(tmp_path):
    """Shuffled per attempt, as in the app: the numbers typed are places in the list printed."""
    module = load_module(CONNELLY)
    pt = fresh(module)
    orders = []
    while not isinstance(now := pt.facing(), Finished):
        if isinstance(now, Deciding) and now.decision.kind != "text":
            orders.append((now.decision, now.options))
        if isinstance(now, Deciding):
            pt = pt.respond(*_first_shown(now))
        else:
            pt = pt.finish_reading() if isinstance(now, Reading) else pt.proceed()
    assert any(shown != decision.options for decision, shown in orders), "some are shuffled"
    _, shown = orders[0]
    status, out = run(CONNELLY, ["", "", "", "1", "y"], tmp_path)
    decision_screen = out.split("Decision 1 of", 1)[1].splitlines()
    listed = [line for line in decision_screen if line[:2] in {f"{n}." for n in range(1, 10)}]
    assert [line.split(". ", 1)[1][:25] for line in listed[: len(shown)]] == [
        option.text[:25] for option in shown
    ]
    assert f"You chose 1: {shown[0].text[:30]}" in " ".join(out.split())


def _first_shown(deciding):
    decision = deciding.decision
    if decision.kind == "text":
        return ((), "my notes", 3, "r", ())
    choice = [o.id for o in deciding.options] if decision.kind == "rank" else [
        deciding.options[0].id
    ]
    return (choice, None, 3, "r", None)


def test_the_preview_lists_options_in_the_files_order_and_says_so(tmp_path):
    module = load_module(TUTORIAL)
    status, out = run(TUTORIAL, ["", "", ""], tmp_path, learner=None, is_preview=True)
    said = " ".join(out.split())
    decision = module.stages[0].decisions[0]
    assert "Shown in the file's order; each trainee sees them shuffled." in said
    assert f"1. {decision.options[0].text[:30]}" in said


def test_the_preview_names_a_rank_options_place_in_the_order_as_the_decision_does():
    """Plain mode's preview, as the app's: the module's order by its `order_label`, never a
    review panel's unless the module says so."""
    from pathlib import Path

    from trainer.plain.choice_texts import options_lines

    module = load_module(Path(__file__).parents[1] / "fixtures" / "format2.toml")
    decision = module.decision("priorities")[1]
    said = options_lines(decision.options, True, decision.order_label)
    first = next(o for o in decision.options if o.rank == 1)
    assert f"{first.text}\n   Place in this module's suggested order: 1 ·" in said
    assert "panel" not in said.casefold()
    named = options_lines(decision.options, True, "the review's order")
    assert "Place in the review's order: 1" in named
    assert "Place in" not in options_lines(decision.options, False, decision.order_label)
