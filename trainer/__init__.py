"""trainer: work through real child-protection cases and compare decisions with the review."""

__version__ = "0.1.0"
"""The one place the version is written: the package build reads it from here
(`[tool.hatch.version]` in pyproject.toml). A constant rather than the installed metadata:
importing importlib.metadata slowed a learner's first frame (docs/performance.md), as a new
save's `app` field names the version."""
