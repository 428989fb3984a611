"""`trainer progress`."""

from __future__ import annotations

import argparse

from trainer.errors import UsageError


def run(args: argparse.Namespace) -> int:
    """Not available yet."""
    raise UsageError("trainer progress: not available yet")
