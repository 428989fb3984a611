"""A real Ralph LRS on 127.0.0.1 for the session, in its own virtual environment."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RALPH_PYTHON = ROOT / ".venv-ralph" / "bin" / "python"
USER, PASSWORD = "trainer-test", "not-a-secret"


def need_ralph() -> None:
    if RALPH_PYTHON.exists():
        return
    message = "Ralph is not installed: run bash scripts/setup-ralph"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Ralph:
    """A running Ralph, its URL, and how to stop and start it again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        self.env = {
            **os.environ,
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_APP_DIR": str(folder / "app"),
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
        }
        (folder / "app").mkdir(parents=True, exist_ok=True)
        (folder / "data").mkdir(parents=True, exist_ok=True)
        ralph_cli = RALPH_PYTHON.parent / "ralph"
        subprocess.run(
            [
                str(ralph_cli),
                "auth",
                "-u",
                USER,
                "-p",
                PASSWORD,
                "-s",
                "all",
                "-M",
                "mailto:trainer-test@example.org",
                "-w",
            ],
            env=self.env,
            check=True,
            capture_output=True,
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(RALPH_PYTHON), str(Path(__file__).parent / "ralph_server.py"), str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1
                ):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("Ralph did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


@pytest.fixture(scope="session")
def ralph(tmp_path_factory):
    need_ralph()
    server = Ralph(tmp_path_factory.mktemp("ralph"))
    server.start()
    yield server
    server.stop()


# --- Pushing through the command line, and looking at the outbox ---------------------------


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A cohort's saves (21 statements), an empty data folder and the password variable."""
    from tests.cohort.conftest import write_cohort

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LRS_PASSWORD", PASSWORD)
    monkeypatch.delenv("TRAINER_PUSH_DEADLINE", raising=False)
    for scheme in ("http", "https", "all"):  # the LRSs here are on 127.0.0.1, never proxied
        monkeypatch.delenv(f"{scheme}_proxy", raising=False)
        monkeypatch.delenv(f"{scheme.upper()}_PROXY", raising=False)
    monkeypatch.setattr("trainer.cohort.push._pause", lambda seconds: None)
    return write_cohort(tmp_path / "saves")


def run_push(capsys, saves, url, *extra, user=USER):
    """`trainer push` as a facilitator runs it; returns the status, stdout and stderr."""
    from trainer.cli import main

    credentials = ["--user", user, "--password-env", "LRS_PASSWORD"] if user else []
    status = main(["push", "--lrs", url, *credentials, "--saves", str(saves), *extra])
    out = capsys.readouterr()
    return status, out.out, out.err


def outbox_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "data" / "trainer" / "outbox").glob("*"))


def queued_count(tmp_path: Path, url: str | None = None) -> int:
    """Statements in the outbox's queues (for one LRS URL, if given): what the next push to
    it will send."""
    from trainer.cohort.push import Endpoint

    prefix = Endpoint.parse(url, None, None).key if url else ""
    return sum(
        len(path.read_text().splitlines())
        for path in outbox_files(tmp_path)
        if path.name.startswith(prefix)
        and path.name.endswith(".jsonl")
        and not path.name.endswith(".refused.jsonl")
    )


@pytest.fixture
def fake():
    """Make fake LRSs (tests/lrs/fake_lrs.py); each is closed after the test."""
    from tests.lrs.fake_lrs import FakeLRS

    servers: list[FakeLRS] = []

    def make(script=(), conflicts=(), invalid=(), fault=None):
        server = FakeLRS()
        server.script = list(script)
        server.conflicts = set(conflicts)
        server.invalid = set(invalid)
        server.fault = fault
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()
