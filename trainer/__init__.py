"""trainer: work through real child-protection cases and compare decisions with the review."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trainer")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
