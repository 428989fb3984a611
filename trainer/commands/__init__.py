"""One module per command; each has `run(args) -> int` and imports what it needs lazily."""
