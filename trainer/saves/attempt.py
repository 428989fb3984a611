"""One attempt as the save records it, and the play-through it stands for.

`Attempt.update_from` copies a play-through into the save and `Attempt.playthrough` makes one
again from it: the save's one tie to the engine's state (`PlayThrough.facing()` and the moves
stay the engine's).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from trainer.engine.clock import Clock, utc_now
from trainer.engine.fields import Fields, shown
from trainer.saves.parts import MAX_COUNT, within

if TYPE_CHECKING:
    from trainer.engine import Answer, Module, PlayThrough
    from trainer.engine.answer import KeptDraft
    from trainer.engine.opened import OpenedItem

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
"""A registration as the app writes it (xAPI's context.registration): a UUID, hyphenated."""


class Attempt(msgspec.Struct):
    """One attempt at the module: its registration, times, position and answers."""

    number: int
    registration: str
    started_at: str
    answers: list[Answer] = msgspec.field(default_factory=list)
    stages_done: list[str] = msgspec.field(default_factory=list)
    feedback_seen: list[str] | None = None
    """Decisions whose feedback was moved past; None (a save from before this was kept): all."""
    finished_at: str | None = None
    position: str = ""
    """The current stage id, or "end" once finished."""
    score: float | None = None
    """The module score so far: mean of the scored answers on the path."""
    draft: KeptDraft | None = None
    """Text typed for the decision due and not yet confirmed; never an answer."""
    opened: list[OpenedItem] = msgspec.field(default_factory=list)
    """The case-file items opened, each the first time (empty in older saves)."""

    @property
    def finished(self) -> bool:
        """Whether the attempt reached the end of the module."""
        return self.finished_at is not None

    def update_from(self, playthrough: PlayThrough, now: str) -> None:
        """Copy a play-through's answers and position into this attempt."""
        self.answers = list(playthrough.answers)
        self.stages_done = list(playthrough.stages_done)
        self.feedback_seen = list(playthrough.feedback_seen or ())
        stage = playthrough.current_stage
        self.position = "end" if stage is None else stage.id
        self.score = playthrough.module_score
        self.draft = playthrough.kept_draft
        self.opened = list(playthrough.items_opened)
        if stage is None and self.finished_at is None:
            self.finished_at = now

    def playthrough(self, module: Module, clock: Clock = utc_now) -> PlayThrough:
        """A play-through of this attempt over a (possibly edited) module."""
        # Imported here: reading and writing saves needs no play-through, nor a learner's
        # first screen (see Session.open).
        from trainer.engine.facing import Draft
        from trainer.engine.playthrough import PlayThrough

        draft = None if self.draft is None else Draft.resumed(self.draft)
        return PlayThrough(
            module,
            self.answers,
            self.stages_done,
            self.feedback_seen,
            clock,
            draft,
            seed=self.registration,  # the options are shown in this attempt's own order
            items_opened=self.opened,
        )

    def to_data(self, answers: bool = True) -> dict[str, Any]:
        """Plain data for TOML (no None: absent keys instead); without `answers`, all but
        the answers (`trainer.saves.writer` writes those apart)."""
        data: dict[str, Any] = {
            "number": self.number,
            "registration": self.registration,
            "started_at": self.started_at,
            "position": self.position,
            "stages_done": list(self.stages_done),
        }
        if self.feedback_seen is not None:
            data["feedback_seen"] = list(self.feedback_seen)
        if self.finished_at is not None:
            data["finished_at"] = self.finished_at
        if self.score is not None:
            data["score"] = self.score
        if self.draft is not None:
            data["draft"] = self.draft.to_data()
        if answers:
            data["answers"] = [answer.to_data() for answer in self.answers]
        if self.opened:
            data["opened"] = [item.to_data() for item in self.opened]
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Attempt:
        """Read an attempt, checking every value; raises KeyError, TypeError or ValueError
        (or the reason with where it is, for an answer) when malformed."""
        # An answer's, a draft's and an opened item's classes are imported where a save is
        # read: a new learner's attempt, written before the first frame, has none of them.
        from trainer.engine.answer import Answer, KeptDraft
        from trainer.engine.opened import OpenedItem

        fields = Fields(data)
        registration = fields.text("registration")
        if not UUID.fullmatch(registration):
            raise ValueError(f"registration is {shown(registration)}; it must be a UUID")
        seen = fields.texts("feedback_seen") if "feedback_seen" in data else None
        return cls(
            number=fields.whole("number", 1, MAX_COUNT),
            registration=registration,
            started_at=fields.time("started_at", required=True) or "",
            answers=[
                within(f"answer {index}", Answer.from_data, answer)
                for index, answer in enumerate(fields.tables("answers"), 1)
            ],
            stages_done=list(fields.texts("stages_done")),
            feedback_seen=None if seen is None else list(seen),
            finished_at=fields.time("finished_at"),
            position=fields.text("position", ""),
            score=fields.number("score", 0.0, 1.0),
            draft=within("draft", KeptDraft.from_data, data["draft"]) if "draft" in data else None,
            opened=[
                within(f"opened {index}", OpenedItem.from_data, item)
                for index, item in enumerate(fields.tables("opened"), 1)
            ],
        )
