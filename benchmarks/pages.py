"""Servers as subprocesses and headless Chromium pages on them, for `benchmarks.serve`: each
page watched by a script of its own that times, in the page, when a text the app draws
arrives and when the last key was pressed."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

START_SECONDS = 60.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 722, "height": 440}
"""A window whose terminal is 80x24 at the page's font: the size every other benchmark, and
the app's design, take."""
NAMED_KEYS = {"Enter", "Escape", "Tab"}
"""Keys pressed by name; any other string is typed."""

ANSI = re.compile(r"\x1b\[[0-9;?<>=$ ]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]")

PAGE_SCRIPT = r"""
(() => {
  const ansi = new RegExp([
    "\\x1b\\[[0-9;?<>=$ ]*[@-~]",
    "\\x1b\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\)",
    "\\x1b[()][0-9A-Za-z]",
  ].join("|"), "g");
  const bench = { text: "", wanted: FIRST, seenAt: null, keyAt: null, url: null };
  window.__bench = bench;
  bench.expect = (text) => { bench.text = ""; bench.wanted = text; bench.seenAt = null; };
  window.addEventListener("keydown", () => { bench.keyAt = performance.now(); }, true);
  const Native = window.WebSocket;
  class Watched extends Native {
    constructor(...args) {
      super(...args);
      bench.url = String(args[0]);
      const decoder = new TextDecoder();
      this.addEventListener("message", (event) => {
        if (typeof event.data === "string") return;
        const now = performance.now();
        bench.text += decoder.decode(event.data, { stream: true });
        if (bench.seenAt === null && bench.wanted !== null
            && bench.text.replace(ansi, "").includes(bench.wanted)) {
          bench.seenAt = now;
        }
      });
    }
  }
  window.WebSocket = Watched;
})();
"""
"""Watches the page's websocket: `__bench.seenAt` is when the text `expect`ed arrived (from
navigation start, as `keyAt`, the last key's time), as the app's output is decoded."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A server as a subprocess in its own session, with its own HOME and XDG folders."""

    def __init__(self, name: str, argv: list[str], folder: Path, port: int) -> None:
        self.name = name
        self.url = f"http://127.0.0.1:{port}/"
        env = {**os.environ}
        for variable in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            home = folder / variable.lower()
            home.mkdir(parents=True, exist_ok=True)
            env[variable] = str(home)
        self.log = folder / "server.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                argv,
                env=env,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_SECONDS
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"{name} did not start:\n{self.log.read_text(errors='replace')}")
            time.sleep(0.05)
        self.idle_pss, self.idle_rss = self.memory()

    def _answers(self) -> bool:
        port = int(self.url.rsplit(":", 1)[1].strip("/"))
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    def tree(self) -> list[Any]:
        import psutil

        server = psutil.Process(self.process.pid)
        return [server, *server.children(recursive=True)]

    def memory(self) -> tuple[int, int]:
        """PSS and RSS of the server and every process it started, in bytes."""
        import psutil

        pss = rss = 0
        for process in self.tree():
            try:
                info = process.memory_full_info()
            except psutil.Error:
                continue
            pss += info.pss
            rss += info.rss
        return pss, rss

    def apps(self) -> int:
        return len(self.tree()) - 1

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(os.getpgid(self.process.pid), signal.SIGKILL)
            self.process.wait(timeout=10)


class Page:
    """One browser page on a server, watched by `PAGE_SCRIPT`."""

    def __init__(self, browser: Any, server: Server, first: str) -> None:
        self.page = browser.new_page(viewport=VIEWPORT)
        base = server.url.rstrip("/")
        # Only the server itself: the page's web fonts are not fetched.
        self.page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(base) else route.abort()
            ),
        )
        self.page.add_init_script(PAGE_SCRIPT.replace("FIRST", repr(first)))
        self.page.goto(server.url, wait_until="domcontentloaded")
        self.load_seconds = self.wait_seen(first) / 1000

    def wait_seen(self, what: str) -> float:
        """Until the text expected has arrived; when it did, in ms from navigation start."""
        from playwright.sync_api import TimeoutError as Timeout

        try:
            self.page.wait_for_function(
                "() => window.__bench && window.__bench.seenAt !== null",
                timeout=START_SECONDS * 1000,
            )
        except Timeout:
            drawn = self.page.evaluate("window.__bench ? window.__bench.text : ''")
            tail = ANSI.sub("", drawn)[-1500:]
            raise SystemExit(f"{what!r} never arrived; the last text drawn:\n{tail}") from None
        seen: float = self.page.evaluate("window.__bench.seenAt")
        return seen

    def terminal_size(self) -> str:
        """The terminal the page asked its app for, as `COLUMNSxROWS`."""
        url: str = self.page.evaluate("window.__bench.url") or ""
        query = dict(part.split("=", 1) for part in url.partition("?")[2].split("&") if "=" in part)
        return f"{query.get('width', '?')}x{query.get('height', '?')}"

    def expect(self, text: str) -> None:
        self.page.evaluate(f"window.__bench.expect({text!r})")

    def step(self, keys: Sequence[str], then: str) -> None:
        """Press each key (text is typed) and wait for `then` to arrive."""
        self.expect(then)
        self.page.focus(".xterm-helper-textarea")
        for key in keys:
            if key in NAMED_KEYS:
                self.page.keyboard.press(key)
            else:
                self.page.keyboard.type(key, delay=10)
        self.wait_seen(then)

    def key_ms(self) -> float:
        """The last key to the expected text's arrival, in ms."""
        key_at, seen = self.page.evaluate("[window.__bench.keyAt, window.__bench.seenAt]")
        return float(seen - key_at)


def processor_seconds(processes: Sequence[Any]) -> list[float]:
    """User and system time of each process so far (0 for one that has gone)."""
    import psutil

    times = []
    for process in processes:
        try:
            used = process.cpu_times()
        except psutil.Error:
            times.append(0.0)
            continue
        times.append(used.user + used.system)
    return times


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium from the system, through Playwright."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or CHROMIUM
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield browser
        finally:
            browser.close()
