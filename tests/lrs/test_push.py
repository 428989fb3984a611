"""trainer push against a real Ralph LRS on 127.0.0.1, and a fake LRS for the failure paths."""

from __future__ import annotations

import base64
import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.cohort.conftest import write_cohort, write_format2_cohort
from tests.lrs.conftest import PASSWORD, USER
from trainer.cli import main


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LRS_PASSWORD", PASSWORD)
    return write_cohort(tmp_path / "saves")


def push(capsys, saves, url, *extra):
    status = main(
        [
            "push",
            "--lrs",
            url,
            "--user",
            USER,
            "--password-env",
            "LRS_PASSWORD",
            "--saves",
            str(saves),
            *extra,
        ]
    )
    out = capsys.readouterr()
    return status, out.out, out.err


def stored(ralph) -> list[dict]:
    request = urllib.request.Request(
        ralph.url + "statements?limit=1000",
        headers={
            "X-Experience-API-Version": "1.0.3",
            "Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["statements"]


def outbox_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "data" / "trainer" / "outbox").glob("*"))


def test_push_to_ralph_then_again_stores_nothing_twice(capsys, env, ralph, tmp_path):
    status, out, err = push(capsys, env, ralph.url)
    assert status == 0, err
    count = int(out.split("sent ")[1].split(",")[0])
    assert count == 18 and "queued 0 for next time" in out
    ids = {s["id"] for s in stored(ralph)}
    assert len(ids) >= count
    status, out, _ = push(capsys, env, ralph.url)
    assert status == 0 and "sent 0, already stored 18" in out
    assert {s["id"] for s in stored(ralph)} == ids
    # Even without the local record of what was sent, the same bytes store once.
    for path in outbox_files(tmp_path):
        if path.suffix == ".sent":
            path.unlink()
    status, out, _ = push(capsys, env, ralph.url)
    assert status == 0 and "sent 18" in out
    assert len(stored(ralph)) == len(ids)
    assert PASSWORD not in "".join(p.read_text() for p in outbox_files(tmp_path))


def test_format2_statements_are_stored_by_ralph_as_sent(capsys, ralph, tmp_path, monkeypatch):
    """A rank answer (sequencing), a poll and ticked concepts: a real LRS takes them, keeps
    them as sent, and a second push finds them all already stored."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LRS_PASSWORD", PASSWORD)
    saves = write_format2_cohort(tmp_path / "format2")
    status, out, err = push(capsys, saves, ralph.url)
    assert status == 0, err
    assert "sent 24," in out and "queued 0 for next time" in out
    by_id = {s["id"]: s for s in stored(ralph)}
    assert main(["export", "--format", "xapi", "--saves", str(saves)]) == 0
    sent = json.loads(capsys.readouterr().out)
    rank = next(s for s in sent if s["object"]["id"].endswith("/decisions/priorities"))
    kept = by_id[rank["id"]]
    assert kept["object"]["definition"]["interactionType"] == "sequencing"
    assert (
        kept["object"]["definition"]["correctResponsesPattern"]
        == (rank["object"]["definition"]["correctResponsesPattern"])
    )
    assert kept["result"] == rank["result"]
    status, out, _ = push(capsys, saves, ralph.url)
    assert status == 0 and "sent 0, already stored 24" in out


def test_an_lrs_stopped_halfway_keeps_the_rest_for_next_time(capsys, env, ralph, tmp_path):
    ralph.stop()
    try:
        status, out, err = push(capsys, env, ralph.url, "--batch-size", "5")
        assert status == 1
        assert "could not reach the LRS" in err and "queued 18 for next time" in out
        queue = next(p for p in outbox_files(tmp_path) if p.name.endswith(".jsonl"))
        assert len(queue.read_text().splitlines()) == 18
    finally:
        ralph.start()
    status, out, _ = push(capsys, env, ralph.url, "--batch-size", "5")
    assert status == 0 and "queued 0" in out
    assert queue.read_text() == ""


class FakeLRS:
    """An LRS that answers from a script of statuses, then 200; it records what it was sent."""

    def __init__(self, script: list[int], conflict_ids: set[str] | None = None) -> None:
        self.script = list(script)
        self.conflict_ids = conflict_ids or set()
        self.batches: list[list[dict]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.batches.append(body)
                fake.headers = self.headers  # case-insensitive, as HTTP headers are
                status = fake.script.pop(0) if fake.script else 200
                if status == 200 and any(s["id"] in fake.conflict_ids for s in body):
                    status = 409
                if status == 413 and len(body) == 1:
                    status = 200
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"detail": f"status {status}"}).encode())

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake():
    servers: list[FakeLRS] = []

    def make(script, conflicts=None):
        server = FakeLRS(script, conflicts)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


def test_5xx_and_429_are_retried(capsys, env, fake, monkeypatch):
    monkeypatch.setattr("trainer.cohort.push.time.sleep", lambda s: None)
    lrs = fake([500, 429, 503])
    status, out, _ = push(capsys, env, lrs.url)
    assert status == 0 and "sent 18" in out
    assert lrs.headers["X-Experience-API-Version"] == "1.0.3"
    assert lrs.headers["Content-Type"] == "application/json"


def test_a_conflict_on_one_statement_does_not_block_the_others(capsys, env, fake, tmp_path):
    first = fake([])
    push(capsys, env, first.url)
    bad = first.batches[0][3]["id"]
    lrs = fake([], conflicts={bad})
    status, out, err = push(capsys, env, lrs.url)
    assert status == 1
    assert "sent 17, already stored 0, refused 1, queued 0" in out
    assert f"refused {bad}: conflict" in err
    refused = [p for p in outbox_files(tmp_path) if p.name.endswith(".refused.jsonl")]
    assert any(bad in p.read_text() for p in refused)


def test_413_splits_the_batch(capsys, env, fake):
    lrs = fake([413, 413, 413, 413, 413])
    status, out, _ = push(capsys, env, lrs.url)
    assert status == 0 and "sent 18" in out
    assert len(lrs.batches[0]) == 18 and min(len(b) for b in lrs.batches) == 1


@pytest.mark.parametrize(
    ("code", "words"), [(401, "credentials"), (403, "refused access"), (400, "answered 400")]
)
def test_401_403_400_stop_plainly_and_keep_everything(capsys, env, fake, code, words):
    lrs = fake([code])
    status, out, err = push(capsys, env, lrs.url)
    assert status == 1 and words in err and "queued 18 for next time" in out
    assert len(lrs.batches) == 1
    assert "Traceback" not in err


def test_credentials_in_the_url_are_used_but_never_written(capsys, env, fake, tmp_path):
    lrs = fake([])
    url = lrs.url.replace("http://", f"http://{USER}:{PASSWORD}@")
    status = main(["push", "--lrs", url, "--saves", str(env)])
    out = capsys.readouterr()
    assert status == 0
    expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    assert lrs.headers["Authorization"] == expected
    assert PASSWORD not in out.out + out.err
    assert all(PASSWORD not in p.read_text() for p in outbox_files(tmp_path))


def test_a_missing_password_variable_is_a_usage_error(capsys, env, monkeypatch):
    monkeypatch.delenv("LRS_PASSWORD")
    status, _, err = push(capsys, env, "http://127.0.0.1:9/xapi")
    assert status == 2 and "LRS_PASSWORD is not set" in err
