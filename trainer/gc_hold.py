"""The garbage collector while the app starts.

Starting the app makes tens of thousands of objects the collector watches (about 47,000
by a new learner's first frame: Textual's and ours, classes, stylesheets, widgets) that
all live as long as the app, and almost no garbage. Each time enough of them have been
made, the collector walks the younger ones looking for garbage and finds next to none:
a measurable part of a new learner's start, before its first frame (docs/performance.md),
and as much of a bare Textual app's. So the command line holds the collector from
its start until the app's first frame; then what exists is frozen (`gc.freeze`: later
collections do not walk what the start made) and collecting resumes: the pattern the
Python documentation gives with `gc.freeze` (disable early, freeze, enable), there before
a fork, here at the first frame. A command that opens no app resumes collecting as soon as
its arguments are read. Play freezes once more when its screen is first shown
(`freeze_survivors`): what it imported and built lives as long as the app too.
"""

from __future__ import annotations

import gc

_held = False


def hold_collection() -> None:
    """Stop the collector for the start, unless something else already has."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def resume_collection(freeze: bool = False) -> None:
    """Let the collector run again, if `hold_collection` stopped it (safe to call twice).

    Args:
        freeze: first move every object that exists now out of the collector's sight: the
            app's first frame is drawn, and what the start made lives as long as the app.
    """
    global _held
    if not _held:
        return
    _held = False
    if freeze:
        gc.freeze()
    gc.enable()


def freeze_survivors() -> None:
    """Move every object that exists now out of the collector's sight, so that its full
    collections, which could land on a confirming key, walk only what is made from here on
    (docs/performance.md, "Key press to feedback")."""
    gc.freeze()
