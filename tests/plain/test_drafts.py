"""Nothing typed is thrown away: text written in plain mode and not yet confirmed is kept as the
save's draft (on quitting, on end of input, even halfway through), and put back next time,
in plain mode or in the app, to go on with, add to or write afresh. A choice not yet
confirmed is never kept.
"""

from __future__ import annotations

from tests.plain.scripts import aligned, counted_script, fresh, run, save_path
from tests.tui.helpers import SIZE, TUTORIAL, facing, play_app
from tests.tui.test_play import through_notices
from trainer.content import load_module
from trainer.engine import Deciding, Step
from trainer.saves import read_save


def up_to_the_written_answer() -> list[str]:
    """The aligned script of the tutorial, up to its written answer's first line."""
    full = counted_script(fresh(load_module(TUTORIAL)), aligned)
    roles = [role for _, _, role in full]
    return [line for line, _, _ in full[: roles.index("text line")]]


def draft_of(saves):
    (attempt,) = read_save(save_path(saves, "tutorial-riverside")).attempts
    return attempt.draft


def said(out: str) -> str:
    return " ".join(out.split())


def test_end_of_input_halfway_through_a_written_answer_keeps_it_as_a_draft(tmp_path):
    head = up_to_the_written_answer()
    status, out = run(TUTORIAL, [*head, "I would ask who he is,", "and see Ruby awake"], tmp_path)
    assert status == 0
    assert "What you typed and have not yet confirmed is kept as a draft." in said(out)
    draft = draft_of(tmp_path)
    assert draft.decision_id == "differently"
    assert draft.text == "I would ask who he is,\nand see Ruby awake"
    (attempt,) = read_save(save_path(tmp_path, "tutorial-riverside")).attempts
    assert [a.decision_id for a in attempt.answers][-1] != "differently"  # never an answer

    # Next time it is there: Enter goes on with it as it is, and y submits it.
    status, out = run(TUTORIAL, ["", "", "", "y", "1 3"], tmp_path)
    text = said(out)
    assert "Your answer so far, kept from before (not yet submitted): I would ask who he is," \
        " and see Ruby awake" in text
    assert "You wrote: I would ask who he is, and see Ruby awake" in text
    (attempt,) = read_save(save_path(tmp_path, "tutorial-riverside")).attempts
    written = attempt.answers[-1]
    assert written.decision_id == "differently"
    assert written.text == "I would ask who he is,\nand see Ruby awake"
    assert attempt.draft is None


def test_a_kept_answer_can_be_added_to_or_written_afresh(tmp_path):
    head = up_to_the_written_answer()
    run(TUTORIAL, [*head, "First thoughts."], tmp_path)
    run(TUTORIAL, ["", "", "More thoughts.", ""], tmp_path)  # added, then input ends
    assert draft_of(tmp_path).text == "First thoughts.\nMore thoughts."
    run(TUTORIAL, ["", "", "w", "A new answer.", "", "y", "none"], tmp_path)
    (attempt,) = read_save(save_path(tmp_path, "tutorial-riverside")).attempts
    assert attempt.answers[-1].text == "A new answer." and attempt.draft is None


def test_quitting_at_the_confirmation_keeps_the_written_answer(tmp_path):
    head = up_to_the_written_answer()
    status, out = run(TUTORIAL, [*head, "Ask his name.", "", "q"], tmp_path)
    assert status == 0 and "kept as a draft" in said(out)
    assert draft_of(tmp_path).text == "Ask his name."


def test_a_choice_not_confirmed_is_not_kept(tmp_path):
    full = counted_script(fresh(load_module(TUTORIAL)), aligned)
    roles = [role for _, _, role in full]
    head = [line for line, _, _ in full[: roles.index("single choice") + 1]]
    status, out = run(TUTORIAL, head, tmp_path)  # chosen, not confirmed
    assert "kept as a draft" not in said(out)
    assert draft_of(tmp_path) is None


async def test_a_draft_kept_in_plain_mode_is_back_in_the_app(tmp_path):
    from textual.widgets import TextArea

    head = up_to_the_written_answer()
    run(TUTORIAL, [*head, "Typed in plain mode."], tmp_path)
    app = play_app(tmp_path, TUTORIAL)
    async with app.run_test(size=SIZE) as pilot:
        await through_notices(pilot)
        await pilot.press("enter")
        await pilot.pause()
        now = facing(app)
        assert isinstance(now, Deciding) and now.step is Step.CHOICE
        assert app.screen.query_one(TextArea).text == "Typed in plain mode."


def test_a_reason_kept_from_before_is_offered_and_enter_gives_it(tmp_path):
    """A reason typed in the app and left unconfirmed comes back in plain mode: the choice is
    asked again (it was not kept), and at the reason an empty line gives the one kept."""
    from trainer.saves.store import SaveStore
    from trainer.session import Session

    run(TUTORIAL, [], tmp_path)  # the attempt begun, as the other runs begin it
    store = SaveStore(tmp_path)
    learner = store.learner("Sam Okafor", "autumn")
    save = store.open(learner, load_module(TUTORIAL))
    session = Session.open(save, learner)
    session.move(lambda pt: pt.finish_reading())
    session.move(lambda pt: pt.choose((pt.facing().options[0].id,)))
    session.move(lambda pt: pt.rate(4))
    session.type("the bruise and her age")
    session.close()  # written as the save's draft
    assert draft_of(tmp_path).reason == "the bruise and her age"

    status, out = run(TUTORIAL, ["", "", "", "1", "y", "4", ""], tmp_path)
    text = said(out)
    assert "Your reason so far, kept from before: the bruise and her age" in text
    assert "or press Enter on an empty line to give the one kept from before" in text
    (attempt,) = read_save(save_path(tmp_path, "tutorial-riverside")).attempts
    assert attempt.answers[0].reason == "the bruise and her age"
    assert attempt.draft is None
