"""Saves: versioned, atomic TOML files, one per learner and module.

Each name is imported from its module (`format`, `attempt` or `scan`) when first asked for:
the sign-in screen reads the remembered name (`trainer.saves.remembered`) without the save format
and the engine behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.lazy import lazy_names

if TYPE_CHECKING:
    from trainer.saves.attempt import Attempt
    from trainer.saves.format import SAVE_FORMAT, LearnerInfo, ModuleInfo, SaveFile
    from trainer.saves.scan import iter_saves, module_save_paths, read_save, save_paths

__all__ = [
    "SAVE_FORMAT",
    "Attempt",
    "LearnerInfo",
    "ModuleInfo",
    "SaveFile",
    "iter_saves",
    "read_save",
    "module_save_paths",
    "save_paths",
]


__getattr__ = lazy_names(
    __name__,
    {
        **dict.fromkeys(["SAVE_FORMAT", "LearnerInfo", "ModuleInfo", "SaveFile"], "format"),
        "Attempt": "attempt",
        **dict.fromkeys(["iter_saves", "read_save", "module_save_paths", "save_paths"], "scan"),
    },
)
