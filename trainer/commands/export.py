"""`trainer export`."""

from __future__ import annotations

import argparse

from trainer.errors import UsageError


def run(args: argparse.Namespace) -> int:
    """Not available yet."""
    raise UsageError("trainer export: not available yet")
