"""Content: module files to the model, with validation that reports every problem at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.lazy import lazy_names

MAX_BYTES = 5 * 1024 * 1024
"""A module larger than this is refused unread: real modules are a few hundred kilobytes."""

if TYPE_CHECKING:
    from trainer.content.library import ModuleEntry, find_module, list_modules, load_module
    from trainer.content.problems import CODES, Problem, Report
    from trainer.content.validator import validate_file, validate_text

__all__ = [
    "CODES",
    "ModuleEntry",
    "Problem",
    "Report",
    "find_module",
    "list_modules",
    "load_module",
    "validate_file",
    "validate_text",
]

_HOMES = {
    "ModuleEntry": "library",
    "find_module": "library",
    "list_modules": "library",
    "load_module": "library",
    "CODES": "problems",
    "Problem": "problems",
    "Report": "problems",
    "validate_file": "validate",
    "validate_text": "validate",
}
"""The module each name lives in. A name is imported when first asked for: `trainer validate`
needs the validator but not the module library (with hashlib and platformdirs behind it)."""


__getattr__ = lazy_names(__name__, _HOMES)
