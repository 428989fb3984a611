"""The saves folders a cohort command reads: every `--saves DIR` given, before the command
and after it, else TRAINER_SAVES, else the user's data folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from trainer import paths


def saves_folders(args: argparse.Namespace) -> list[Path]:
    """Each folder given, in the order given (`--saves A --saves B` reads both as one)."""
    given = [*(getattr(args, "saves_given", None) or []), *getattr(args, "cohort_saves", [])]
    if not given:
        return [paths.saves_dir(None)]
    return [paths.saves_dir(folder) for folder in given]

