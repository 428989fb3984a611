"""Content: module files to the model, with validation that reports every problem at once."""

from trainer.content.library import ModuleEntry, find_module, list_modules, load_module
from trainer.content.validate import CODES, Problem, Report, validate_file, validate_text

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
