"""The project's one family of exceptions: each carries a plain message for a person.

The command line prints `str(error)` on one line of stderr and exits non-zero.
"""


class TrainerError(Exception):
    """Base of every error the project raises on purpose."""


class ModuleError(TrainerError):
    """A module file could not be read or is not a valid module."""


class AnswerError(TrainerError):
    """An answer that does not fit the decision it is given to."""


class SaveError(TrainerError):
    """A save could not be read, written or locked."""


class UsageError(TrainerError):
    """The command line was used wrongly (exit status 2)."""
