"""A real Ralph LRS on 127.0.0.1 for the session (started as tests/lrs/real_lrs.py starts it), and
the helpers for pushing through the command line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.lrs.real_lrs import PASSWORD, RALPH_PYTHON, USER, Ralph, free_port

__all__ = ["PASSWORD", "USER", "Ralph", "free_port", "need_ralph"]


def need_ralph() -> None:
    if RALPH_PYTHON.exists():
        return
    message = "Ralph is not installed: run bash scripts/setup-ralph"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


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
    """A cohort's saves (29 statements), an empty data folder and the password variable."""
    from tests.cohort.conftest import write_cohort

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LRS_PASSWORD", PASSWORD)
    monkeypatch.delenv("TRAINER_PUSH_DEADLINE", raising=False)
    for scheme in ("http", "https", "all"):  # the LRSs here are on 127.0.0.1, never proxied
        monkeypatch.delenv(f"{scheme}_proxy", raising=False)
        monkeypatch.delenv(f"{scheme.upper()}_PROXY", raising=False)
    monkeypatch.setattr("trainer.cohort.pushing._pause", lambda seconds: None)
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
    from trainer.cohort.lrs_endpoint import Endpoint

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
