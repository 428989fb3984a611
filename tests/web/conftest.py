"""`trainer serve` as a subprocess on 127.0.0.1, and the system's Chromium driven by Playwright.

The browser is Debian's `chromium` (scripts/test installs it when missing); Playwright
never downloads one. Under CI a missing Chromium or Playwright fails the tests rather than
skipping them, as a missing Ralph does for the LRS tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import Served, launched_chromium


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    """Start `trainer serve` (extra arguments, host=...); each is killed at the end if still up."""
    started: list[Served] = []

    def start(*extra: str, host: str = "127.0.0.1") -> Served:
        served = Served(tmp_path / f"serve-{len(started)}", *extra, host=host)
        started.append(served)
        return served

    yield start
    for served in started:
        served.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium from the system, through Playwright; no browser download."""
    yield from launched_chromium()
