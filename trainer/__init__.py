"""trainer: work through real child-protection cases and compare decisions with the review."""

from __future__ import annotations

import functools


@functools.cache
def _installed_version() -> str:
    # importlib.metadata costs about 50 ms to import and read: only `--version`, the save
    # files' `app` field and the xAPI statements need it, so it is read when first asked for.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("trainer")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    """`trainer.__version__`, read from the installed package's metadata when first used."""
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
