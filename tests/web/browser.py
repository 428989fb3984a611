"""Helpers for the browser tests: `trainer serve` as a subprocess, a page on it, waiting.

The browser is Debian's `chromium` (scripts/test installs it when missing); Playwright
never downloads one. Under CI a missing Chromium or Playwright fails the tests rather than
skipping them, as a missing Ralph does for the LRS tests.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_SECONDS = 30.0
ANSI = re.compile(r"\x1b\[[0-9;?<>=$ ]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]")


def need(ok: bool, message: str) -> None:
    """Skip when something the browser tests need is missing, but fail under CI."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def chromium_path() -> str:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    need(
        found is not None,
        "chromium is not installed (apt-get install chromium; scripts/test does it as root)",
    )
    assert found is not None
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    """A running `trainer serve`: its URL, saves folder, config folder and output."""

    def __init__(self, base: Path, *extra: str, host: str = "127.0.0.1") -> None:
        self.base = base
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.saves = base / "saves"
        # The server's and so its apps' own home and XDG folders, apart from the test's.
        self.env = {**os.environ}
        for variable, name in {
            "HOME": "home",
            "XDG_DATA_HOME": "data",
            "XDG_CONFIG_HOME": "config",
            "XDG_CACHE_HOME": "cache",
            "XDG_STATE_HOME": "state",
        }.items():
            folder = base / "server" / name
            folder.mkdir(parents=True)
            self.env[variable] = str(folder)
        self.config_file = base / "server" / "config" / "trainer" / "config.toml"
        self.stdout_path = base / "serve.out"
        self.stderr_path = base / "serve.err"
        argv = [sys.executable, "-m", "trainer", "serve", "--host", host, "--port", str(self.port)]
        argv += ["--saves", str(self.saves), *extra]
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            # Its own session, only so a failed test can still end it and all it started.
            self.process = subprocess.Popen(
                argv,
                env=self.env,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_SECONDS
        while "serving the app at" not in self.stdout():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise AssertionError(
                    f"trainer serve did not start:\n{self.stdout()}\n{self.stderr()}"
                )
            time.sleep(0.05)

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def interrupt(self, timeout: float = 30.0) -> int:
        """Ctrl+C for the server alone (not its process group); its exit status."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            with_group = os.getpgid(self.process.pid)
            os.killpg(with_group, signal.SIGKILL)
            self.process.wait(timeout=10)


class Terminal:
    """One browser page on the served app: what the app has drawn so far, and keys to type."""

    def __init__(self, browser: Any, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1100, "height": 660})
        self.drawn: list[str] = []
        # Only the server itself: the page's web fonts are not fetched.
        self.page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(url.rstrip("/"))
                else route.abort()
            ),
        )
        self.page.on("websocket", self._watch)
        self.page.goto(url, wait_until="domcontentloaded")
        self.page.wait_for_selector("body.-first-byte", timeout=START_SECONDS * 1000)

    def _watch(self, websocket: Any) -> None:
        websocket.on("framereceived", self._received)

    def _received(self, frame: str | bytes) -> None:
        text = frame.decode("utf-8", "replace") if isinstance(frame, bytes) else frame
        self.drawn.append(ANSI.sub("", text))

    def wait_for_text(self, text: str, timeout: float = START_SECONDS) -> None:
        """Until the app has drawn `text` (the page draws on a canvas, so the frames tell)."""
        deadline = time.monotonic() + timeout
        while text not in "".join(self.drawn):
            if time.monotonic() > deadline:
                raise AssertionError(f"the app never drew {text!r}")
            self.page.wait_for_timeout(50)  # lets Playwright deliver the frames

    def type(self, text: str) -> None:
        """Keys typed into the page's terminal, as a person would."""
        self.page.focus(".xterm-helper-textarea")
        self.page.keyboard.type(text, delay=20)

    def press(self, key: str) -> None:
        self.page.focus(".xterm-helper-textarea")
        self.page.keyboard.press(key)


def wait_until(condition: Any, what: str, timeout: float = START_SECONDS, page: Any = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        if page is not None:
            page.wait_for_timeout(50)
        else:
            time.sleep(0.05)


def launched_chromium() -> Iterator[Any]:
    """Headless Chromium from the system, through Playwright (no browser download): the body
    of the `browser` fixtures of the browser tests."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright is not installed: pip install -e '.[test]'")
        raise
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()
