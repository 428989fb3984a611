"""The facilitator's live room: learners and their stages, the live answers, the hold."""

from __future__ import annotations

from tests.tui.helpers import SIZE, TUTORIAL
from tests.tui.test_group import others_answer
from trainer.cli import main
from trainer.content import load_module
from trainer.saves.room import hold_path, read_hold
from trainer.tui.seminar import SeminarApp


def text_of(app, selector: str) -> str:
    return " ".join(app.query_one(selector).content.plain.split())


async def test_the_room_shows_learners_answers_and_holds(tmp_path, monkeypatch):
    monkeypatch.setattr(SeminarApp, "REFRESH_SECONDS", 0.05)
    others_answer(tmp_path, ["Ann Peer", "Ben Peer"])
    others_answer(tmp_path, ["Ann Other"], cohort="spring")
    app = SeminarApp(tmp_path, load_module(TUTORIAL), "autumn")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        learners = text_of(app, "#learners")
        assert "Ann Peer: stage 3, A visit to the flat · 1 answered" in learners
        assert "Ben Peer" in learners and "Ann Other" not in learners
        answers = text_of(app, "#answers")
        assert "2 answered · 0 sure (4–5) and contrary" in answers
        assert "1 ( 50%) Hold a strategy discussion" in answers
        assert "✓ Aligned with the review" in answers
        # A third learner answers while the screen is open: it shows by itself.
        others_answer(tmp_path, ["Cal Peer"])
        await pilot.pause(0.3)
        assert "3 answered" in text_of(app, "#answers")
        await pilot.press("down", "down", "h")
        await pilot.pause()
        assert read_hold(tmp_path, "tutorial-riverside", "autumn") == "home"
        assert "Room held at: A visit to the flat" in text_of(app, "#seminar-title")
        assert read_hold(tmp_path, "tutorial-riverside", "spring") is None
        await pilot.press("r")
        await pilot.pause()
        assert not hold_path(tmp_path, "tutorial-riverside", "autumn").exists()
        assert "Room open" in text_of(app, "#seminar-title")


def test_the_seminar_command_errors_are_one_line(tmp_path, capsys):
    assert main(["seminar", "no-such-module", "--cohort", "a", "--saves", str(tmp_path)]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    missing = tmp_path / "nowhere"
    assert main(["seminar", "tutorial-riverside", "--cohort", "a", "--saves", str(missing)]) == 1
    assert "no saves folder" in capsys.readouterr().err
