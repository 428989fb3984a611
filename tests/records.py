"""A changed copy of any of the app's records, for tests that vary a module or a save.

The model's and the saves' records are msgspec Structs (`trainer.engine.model` says why); the
engine's play state and the cohort's records are dataclasses. Each has its own `replace`.
"""

import dataclasses
from typing import Any

import msgspec


def replace(record: Any, /, **changes: Any) -> Any:
    """A copy of `record` with `changes`, a Struct's or a dataclass's."""
    if isinstance(record, msgspec.Struct):
        return msgspec.structs.replace(record, **changes)
    return dataclasses.replace(record, **changes)
