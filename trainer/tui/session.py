"""One module being played: the play-through and, outside the facilitator preview, its save.

Every answer is written to the save before it is returned, so feedback on the
screen means the answer is on disk; a failed write leaves nothing half-done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trainer.engine import Assessment, Module, PlayThrough, Stage
from trainer.saves.format import LearnerInfo
from trainer.saves.store import ModuleSave


@dataclass
class Session:
    """A module open for playing."""

    module: Module
    playthrough: PlayThrough
    save: ModuleSave | None = None
    learner: LearnerInfo | None = None

    @classmethod
    def preview(cls, module: Module) -> Session:
        """The facilitator preview: no learner, no save, nothing written."""
        return cls(module, PlayThrough(module))

    @classmethod
    def open(cls, save: ModuleSave, learner: LearnerInfo) -> Session:
        """The learner's current attempt, from their save."""
        return cls(save.module, save.playthrough(), save, learner)

    @property
    def facilitator(self) -> bool:
        """Whether this is the facilitator preview (writes nothing)."""
        return self.save is None

    @property
    def attempt_number(self) -> int:
        """The attempt's number (1 in the preview)."""
        return self.save.attempt.number if self.save else 1

    def answer(
        self,
        decision_id: str,
        choice: Sequence[str] = (),
        text: str | None = None,
        confidence: int | None = None,
        reflection: str | None = None,
    ) -> Assessment:
        """Record an answer and save it; raises SaveError (with nothing recorded) if it cannot."""
        assessment = self.playthrough.answer(decision_id, choice, text, confidence, reflection)
        if self.save is not None:
            try:
                self.save.record(self.playthrough)
            except Exception:
                self.playthrough.answers.pop()
                raise
        return assessment

    def continue_(self) -> Stage | None:
        """Move past the current stage and save the position."""
        done_before = list(self.playthrough.stages_done)
        stage = self.playthrough.continue_()
        if self.save is not None:
            try:
                self.save.record(self.playthrough)
            except Exception:
                self.playthrough.stages_done = done_before
                raise
        return stage

    def new_attempt(self) -> None:
        """Start again; earlier attempts stay in the save."""
        if self.save is None:
            self.playthrough = PlayThrough(self.module)
        else:
            self.playthrough = self.save.new_attempt()

    def close(self) -> None:
        """Release the save's lock."""
        if self.save is not None:
            self.save.close()
