"""Saves: versioned, atomic TOML files, one per learner and module."""

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
