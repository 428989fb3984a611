"""Plain mode at a decision: the choice (or the writing) read back and confirmed, then one
line for each step after it (how sure, a reason, the points a written answer covered).

A choice counts only once confirmed: "You chose 2: ..." is read back and `y` makes the
move (`b` takes it back). What is typed for a written answer or a reason is kept as a draft
as it is typed, so quitting halfway loses none of it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from trainer.engine import Deciding, Decision, PlayThrough, Step
from trainer.plain import choice_texts, screens
from trainer.plain.answers import read_choice, read_claim

if TYPE_CHECKING:
    from trainer.plain.player import PlainPlayer
    from trainer.session import Move


class DecisionSteps:
    """One decision's questions, asked through the player (its commands, moves and
    say-backs); each method returns once its step has moved on, or gone back."""

    def __init__(self, player: PlainPlayer) -> None:
        self.player = player
        self.console = player.console
        self.session = player.session

    def choosing(self, facing: Deciding) -> None:
        """A decision's question and options; the choice (or the writing) until confirmed."""
        decision = facing.decision
        self.player.show(choice_texts.decision_text(facing, self.player.preview))
        while True:
            if decision.kind == "text":
                text = self.written(decision)
                if text is None:
                    continue
                if text == "b":
                    self.player.move(lambda pt: pt.back())
                    return
                choice: tuple[str, ...] = ()
            else:
                answer = self.player.ask(choice_texts.choice_prompt(decision, self.player.others))
                if answer is None:
                    continue
                if answer.lower() == "b":
                    self.player.move(lambda pt: pt.back())
                    return
                read = read_choice(facing, answer)
                if isinstance(read, str):
                    self.console.say(read)
                    continue
                choice, text = read, None
            self.console.say(choice_texts.chosen_text(facing, choice, text))
            if self.confirmed(decision, choice, text):
                return

    def confirmed(self, decision: Decision, choice: tuple[str, ...], text: str | None) -> bool:
        """Ask to confirm the answer chosen: y makes the move, b takes it back."""
        while True:
            answer = self.player.ask(choice_texts.confirm_prompt(decision))
            if answer is None:
                continue
            word = answer.lower()
            if word == "b":
                self.console.say("Taken back: nothing is recorded.")
                return False
            if word == "y":
                if self.player.move(partial(PlayThrough.choose, choice=choice, text=text)):
                    return True
                continue
            self.player.say_back(
                answer, choice_texts.confirm_prompt(decision).removesuffix(".").lower()
            )

    def written(self, decision: Decision) -> str | None:
        """A written answer, up to an empty line; "b" to go back; None after a command.

        What is typed is kept as it is typed (`Session.type`): quitting, or input ending,
        halfway keeps it as the save's draft, and it is put back here next time, to keep as
        it is, add to or write afresh.
        """
        kept = self.typed_so_far()
        if kept:
            self.console.say("Your answer so far, kept from before (not yet submitted):\n" + kept)
            prompt = choice_texts.kept_answer_prompt(self.player.others)
        else:
            prompt = choice_texts.choice_prompt(decision, self.player.others)
        first = self.console.ask(prompt)
        if first.lower() == "b":
            return "b"
        if kept and first.lower() == "w":
            self.type("")
            return None
        if self.player.command(first):
            return None
        if not first:
            if kept:
                return kept
            self.console.say("Nothing is written yet: type your answer first.")
            return None
        lines = [kept, first] if kept else [first]
        self.type("\n".join(lines))
        while line := self.console.read().rstrip():
            lines.append(line)
            self.type("\n".join(lines))
        return "\n".join(lines)

    def typed_so_far(self) -> str:
        """The text typed for the decision due and not yet confirmed (a draft), or ""."""
        facing = self.player.pt.facing()
        return (facing.draft.text or "") if isinstance(facing, Deciding) else ""

    def type(self, text: str) -> None:
        """Keep text as typed so far, in the step's field: a draft until confirmed."""
        self.session.type(text)

    def stepping(self, facing: Deciding) -> None:
        """How sure, a reason, or the points a written answer covered: one line each."""
        self.player.show(screens.step_text(facing))
        prompt = screens.step_prompt(facing, self.player.others)
        while True:
            answer = self.player.ask(prompt)
            if answer is None:
                continue
            if answer.lower() == "b":
                self.player.move(lambda pt: pt.back())
                return
            make = self.step_move(facing, answer)
            if make is not None and self.player.move(make):
                return

    def step_move(self, facing: Deciding, answer: str) -> Move | None:
        """The move an answer to a step after the choice makes; None (said why) if none."""
        if facing.step is Step.CONFIDENCE:
            if answer in ("1", "2", "3", "4", "5"):
                return partial(PlayThrough.rate, confidence=int(answer))
            self.player.say_back(answer, "type one number from 1 to 5")
            return None
        if facing.step is Step.REASON:
            answer = answer or (facing.draft.reason or "").strip()
            if not answer:
                self.console.say("A reason is needed: type one line, then Enter.")
                return None
            self.type(answer)  # kept as a draft should its save fail
            return partial(PlayThrough.give_reason, reason=answer)
        read = read_claim(facing.decision, answer)
        if isinstance(read, str):
            self.console.say(read)
            return None
        return partial(PlayThrough.tick_concepts, concepts=read)
