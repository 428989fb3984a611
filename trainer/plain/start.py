"""`trainer play MODULE --plain`: sign in (unless `--learner` is given), open the save, play.

Opening is the app's: the same module lookup, the same learner folder and the same save
under the same lock, so that a trainee can start in one and carry on in the other, and a
second player on the same save (plain or app) is refused before anything is written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from trainer import paths
from trainer.engine.clock import utc_now
from trainer.errors import SaveError
from trainer.plain.console import EndOfInput, PlainConsole
from trainer.plain.player import HOLD_POLL_SECONDS, PlainPlayer, Sleep
from trainer.session import Session

if TYPE_CHECKING:
    from trainer.saves.format import LearnerInfo
    from trainer.saves.store import SaveStore

Clock = Callable[[], datetime]


def play_plain(
    module: str,
    *,
    stdin: TextIO,
    stdout: TextIO,
    saves: str | Path | None = None,
    modules_dir: str | None = None,
    learner: str | None = None,
    cohort: str | None = None,
    is_preview: bool = False,
    clock: Clock = utc_now,
    remember: bool = True,
    width: int | None = None,
    hold_poll: float = HOLD_POLL_SECONDS,
    sleep: Sleep = time.sleep,
) -> int:
    """Play a module in plain mode; the exit status (0 however the trainee leaves).

    Args:
        module: a module id or the path of a .toml file.
        learner: the learner's name; None asks for it (and remembers it, as the app's
            sign-in does, where `remember` is set).
        facilitator: the preview: every verdict beside its option, nothing written.
        width: the width to wrap at (default: the terminal's, else 80).
        hold_poll, sleep: how often, and by what, a trainee at a stage the facilitator
            holds waits before looking again.

    Raises:
        ModuleError: the module cannot be found or read.
        SaveError: the save is open elsewhere, or cannot be read or written.
    """
    from trainer.content import find_module, load_module

    console = PlainConsole(stdin, stdout, width)
    loaded = load_module(find_module(module, modules_dir))
    if is_preview:
        session = Session.preview(loaded)
    else:
        from trainer.saves.store import SaveStore, remember_sign_in

        store = SaveStore(paths.saves_dir(saves), clock)
        if learner is None:
            try:
                info = sign_in(console, store, remember)
            except EndOfInput:
                console.blank()
                console.say("End of input: nothing was saved.")
                return 0
            if remember:
                remember_sign_in(info.name, info.cohort)
        else:
            info = store.learner(learner, cohort)
        save = store.open(info, loaded)
        try:
            session = Session.open(save, info)
        except BaseException:
            save.close()
            raise
    try:
        return PlainPlayer(session, console, sleep, hold_poll).run()
    finally:
        session.close()


def sign_in(console: PlainConsole, store: SaveStore, remember: bool) -> LearnerInfo:
    """Ask for the trainee's name and cohort, offering those remembered from last time.

    Raises:
        EndOfInput: input ended before a name was given.
    """
    from trainer.saves.store import remembered_sign_in

    remembered = remembered_sign_in() if remember else None
    known_name, known_cohort = remembered if remembered else ("", None)
    console.say(
        "Case-study trainer, plain mode\n\nWork through a real case, decide at each point "
        "what should happen next, and see how your answer compares with what the review "
        "found. Your answers are saved under your name as you go."
    )
    while True:
        console.blank()
        offer = f" (just Enter for {known_name})" if known_name else ""
        name = console.ask(f"Your name{offer}, then Enter:") or known_name
        if not name:
            console.say("A name is needed: your answers are saved under it.")
            continue
        cohort = _ask_cohort(console, known_cohort)
        try:
            return store.learner(name, cohort)
        except SaveError as error:
            console.say(f"That did not work: {error}.")


def _ask_cohort(console: PlainConsole, known: str | None) -> str | None:
    """The cohort typed: Enter keeps the one remembered (or none), `-` gives none.

    Raises:
        EndOfInput: input ended.
    """
    offer = f"just Enter for {known}, - for none" if known else "optional: just Enter for none"
    cohort = console.ask(f"Your cohort or group ({offer}), then Enter:")
    if not cohort:
        return known or None
    return None if cohort == "-" else cohort
