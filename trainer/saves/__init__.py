"""Saves: versioned, atomic TOML files, one per learner and module.

Each name is imported from `trainer.saves.format` when first asked for: the sign-in screen
reads the remembered name (`trainer.saves.signin`) without the save format and the engine
behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trainer.saves.format import (
        SAVE_FORMAT,
        Attempt,
        LearnerInfo,
        ModuleInfo,
        SaveFile,
        iter_saves,
        read_save,
        save_paths,
    )

__all__ = [
    "SAVE_FORMAT",
    "Attempt",
    "LearnerInfo",
    "ModuleInfo",
    "SaveFile",
    "iter_saves",
    "read_save",
    "save_paths",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from trainer.saves import format

    value = getattr(format, name)
    globals()[name] = value
    return value
