"""One module being played: the play-through and, outside the facilitator preview, its save.

Every move goes through `Session.move`: the engine builds the new play-through,
the save is written, and only then is the new play-through adopted. Feedback on
the screen therefore means the answer is on disk, and a failed write leaves the
play-through exactly as it was: there is nothing to undo.

Text being typed (a written answer, a reason) is kept as the trainee types
(`Session.type`), in memory, and written as the save's draft by `flush`: when the
screen asks (a pause in typing), on going back, and when the session closes, so
quitting however the app ends keeps what was typed.

It holds no Textual: the app (`trainer.tui`) and plain mode (`trainer.plain`) both play
through it, and the import contract keeps it below both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from trainer.errors import SaveError

if TYPE_CHECKING:
    from trainer.cohort.peers import DecisionTally
    from trainer.engine import Decision, Module, PlayThrough
    from trainer.saves.format import LearnerInfo
    from trainer.saves.room import HoldWatch
    from trainer.saves.store import ModuleSave, SaveStore

Move = Callable[["PlayThrough"], "PlayThrough"]


def _saved_part(pt: PlayThrough) -> tuple[object, ...]:
    return (pt.answers, pt.stages_done, pt.feedback_seen, pt.kept_draft, pt.items_opened)


@dataclass
class Session:
    """A module open for playing."""

    module: Module
    _playthrough: PlayThrough | None
    """The attempt as played so far; None, until it is first asked for (`playthrough`), for
    an attempt that has not begun."""
    save: ModuleSave | None = None
    learner: LearnerInfo | None = None
    unsaved: bool = False
    """Whether text typed since the last write is not yet in the save (see `flush`)."""
    _hold_watch: HoldWatch | None = field(default=None, repr=False, compare=False)

    @classmethod
    def preview(cls, module: Module) -> Session:
        """The facilitator preview: no learner, no save, nothing written. Its play-through is
        made when first asked for: the preview opens on a notice, and the play-through's
        code is imported (and, without a bytecode cache, compiled) after the first frame."""
        return cls(module, None)

    @property
    def playthrough(self) -> PlayThrough:
        """The attempt: its answers, where the trainee is, what they face."""
        if self._playthrough is None:
            if self.save is not None:
                self._playthrough = self.save.playthrough()
            else:
                from trainer.engine.playthrough import PlayThrough

                self._playthrough = PlayThrough(self.module)
        return self._playthrough

    @property
    def started(self) -> bool:
        """Whether anything has been answered in this attempt."""
        return self._playthrough is not None and bool(self._playthrough.answers)

    @property
    def finished(self) -> bool:
        """Whether this attempt has been played to the module's end (a new one never is: a
        module has at least one stage)."""
        return self._playthrough is not None and self._playthrough.finished

    @classmethod
    def open(cls, save: ModuleSave, learner: LearnerInfo) -> Session:
        """The learner's current attempt, from their save (an attempt is started, and
        written, if there is none).

        An attempt in which nothing has been read or answered yet has its play-through made
        when first asked for, as the preview's: it opens on notices, and the play-through
        and its step types are imported after the first frame, not before it
        (docs/performance.md). Any other attempt's is made now, from what the save holds.
        """
        attempt = save.attempt
        if attempt.answers or attempt.stages_done or attempt.feedback_seen or attempt.finished:
            return cls(save.module, save.playthrough(), save, learner)
        return cls(save.module, None, save, learner)

    @property
    def is_preview(self) -> bool:
        """Whether this is the facilitator preview (writes nothing)."""
        return self.save is None

    @property
    def attempt_number(self) -> int:
        """The attempt's number (1 in the preview)."""
        return self.save.attempt.number if self.save else 1

    def move(self, make: Move) -> PlayThrough:
        """Make a move; save it if it changed what is saved; then adopt it.

        Raises:
            AnswerError: the engine refused the move (nothing changes).
            SaveError: the save could not be written (nothing changes).
        """
        new = make(self.playthrough)
        if self.save is not None and (
            self.unsaved or _saved_part(new) != _saved_part(self.playthrough)
        ):
            self.save.record(new)
            self.unsaved = False
        self._playthrough = new
        return new

    def type(self, text: str) -> None:
        """Keep the text typed so far in the field of the step due, not yet confirmed; it is
        written to the save by `flush` (or by the next move), not at every key.

        Raises:
            AnswerError: the step due has no text to type.
        """
        new = self.playthrough.typed(text)
        if _saved_part(new) != _saved_part(self.playthrough):
            self.unsaved = self.save is not None
        self._playthrough = new

    def flush(self) -> None:
        """Write the text typed and not yet saved, as the save's draft.

        Raises:
            SaveError: the save could not be written (the draft stays unsaved).
        """
        if self.save is not None and self.unsaved:
            self.save.record(self.playthrough)
            self.unsaved = False

    def peers(self, decision: Decision) -> DecisionTally | None:
        """How the others in the learner's cohort answered a decision (None in the preview)."""
        if self.save is None or self.learner is None:
            return None
        # The cohort's saves are read only when asked for: not imported before the first frame.
        from trainer.cohort.peers import peer_tally

        root = self.save.store.root
        return peer_tally(root, self.module.id, decision, self.learner.cohort, self.learner.id)

    def held_stage(self) -> str | None:
        """The stage the facilitator holds this learner's room at, if any (never in the preview).

        A stat of the hold file; the file itself is read only when it changed (`HoldWatch`).
        """
        if self.save is None or self.learner is None:
            return None
        if self._hold_watch is None:
            # The preview has no save: it never imports the saves (nor they the save format).
            from trainer.saves.room import HoldWatch

            root = self.save.store.root
            self._hold_watch = HoldWatch(root, self.module.id, self.learner.cohort)
        return self._hold_watch.stage()

    def new_attempt(self) -> None:
        """Start again; earlier attempts stay in the save."""
        if self.save is None:
            self._playthrough = None
        else:
            self._playthrough = self.save.new_attempt()

    def leave(self) -> None:
        """The app is being left: bank the seconds the decision on the screen has been
        counting (`PlayThrough.left`), for `flush` to write with the draft."""
        if self._playthrough is None:
            return
        new = self._playthrough.left()
        if _saved_part(new) != _saved_part(self._playthrough):
            self.unsaved = self.save is not None
        self._playthrough = new

    def close(self) -> None:
        """Write any text typed and not yet saved, then release the save's lock (safe to call
        twice). A draft that cannot be written here is let go: the app says so on quitting
        (`q`), and every confirmed answer is already on disk."""
        if self.save is not None:
            self.leave()
            try:
                self.flush()
            except SaveError:
                pass
            finally:
                self.unsaved = False  # never written once the lock is let go
            self.save.close()


def open_session(store: SaveStore, learner: LearnerInfo, module: Module) -> Session:
    """Open the learner's save for a module and its current attempt, releasing the save's lock
    if the attempt cannot be started (its first write fails).

    Raises:
        SaveError: the save is open elsewhere, or cannot be read or written.
    """
    save = store.open(learner, module)
    try:
        return Session.open(save, learner)
    except BaseException:
        save.close()
        raise
