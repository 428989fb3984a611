"""`trainer new ID [--dir DIR]`: write a valid starter module to edit."""

from __future__ import annotations

import argparse
import os
from importlib import resources
from pathlib import Path

from trainer.errors import ModuleError, UsageError


def run(args: argparse.Namespace) -> int:
    """Write DIR/ID.toml from the starter template; never overwrite a file."""
    from trainer.content.validator import ID_PATTERN

    if not ID_PATTERN.fullmatch(args.id):
        raise UsageError(
            f"trainer new: bad id {args.id!r}: use lower-case letters, digits and '-', "
            "starting with a letter or digit, at most 64 characters"
        )
    template = resources.files("trainer.content").joinpath("starter.toml").read_text("utf-8")
    folder = Path(args.dir)
    if not folder.is_dir():
        raise UsageError(f"trainer new: no such folder: {folder}")
    target = folder / f"{args.id}.toml"
    try:
        with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(template.replace("starter-module", args.id))
            handle.flush()
            os.fsync(handle.fileno())
    except FileExistsError:
        raise ModuleError(f"{target} already exists; choose another id or folder") from None
    print(f"Wrote {target}. Edit it, then check it with: trainer validate --strict {target}")
    return 0
