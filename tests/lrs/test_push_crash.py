"""SIGKILL at every step of a push: before each fsync and rename, halfway through each write,
and just after each answer of the LRS (stored there, not yet recorded here).

A child process runs `trainer push` against a fake LRS in this process and kills itself at
the Nth of those steps, for every N until a push gets through. After each kill the outbox
reads whole, every id it records as sent is stored by the LRS, and a second push (here, not
killed) leaves nothing queued, with every statement of the cohort stored once and every
statement sent again exactly as it was sent before.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lrs.conftest import PASSWORD, USER
from tests.lrs.conftest import run_push as push
from tests.lrs.fake_lrs import FakeLRS
from trainer.cohort.lrs_endpoint import Endpoint
from trainer.cohort.outbox import Outbox

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

ROOT = Path(__file__).resolve().parents[2]
COHORT = 29  # statements in tests.cohort.conftest.write_cohort's saves

CHILD = """
import os, signal, sys
sys.path.insert(0, {root!r})
import trainer.cohort.lrs_client as client_module
from trainer.cli import main

target = int(sys.argv[1])
steps = [0]


def due():
    steps[0] += 1
    return steps[0] == target


def kill(where):
    print("killed", where, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


def before(name):
    real = getattr(os, name)

    def wrapper(*args, **kwargs):
        if due():
            kill("before " + name)
        return real(*args, **kwargs)

    setattr(os, name, wrapper)


for name in ("fsync", "replace"):
    before(name)
real_write = os.write


def write(fd, data):
    if len(data) > 1 and due():
        real_write(fd, bytes(data[: len(data) // 2]))
        kill("halfway through a write")
    return real_write(fd, data)


os.write = write
real_post = client_module.LRSClient.post


def post(self, lines):
    answer = real_post(self, lines)
    if due():
        kill("after the LRS answered")
    return answer


client_module.LRSClient.post = post
sys.exit(main(sys.argv[2:]))
"""


def run_push(data: Path, saves: Path, url: str, target: int) -> tuple[int, list[str], str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    env.update(XDG_DATA_HOME=str(data), LRS_PASSWORD=PASSWORD)
    env.pop("TRAINER_PUSH_DEADLINE", None)
    argv = ["push", "--lrs", url, "--user", USER, "--password-env", "LRS_PASSWORD"]
    argv += ["--saves", str(saves), "--batch-size", "7"]
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), str(target), *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout.splitlines(), result.stderr


def test_sigkill_at_every_step_of_a_push_loses_nothing_and_repeats_nothing(
    capsys, env, monkeypatch, tmp_path
):
    saves = env
    killed: set[str] = set()
    for target in range(1, 200):
        lrs = FakeLRS()
        try:
            data = tmp_path / f"data-{target}"
            status, lines, err = run_push(data, saves, lrs.url, target)
            if status == 0:
                assert "queued 0 for next time" in lines[-1], lines
                assert len(set(lrs.stored_ids)) == COHORT
                break
            assert status == -signal.SIGKILL, (status, lines, err)
            killed.add(lines[-1].split(" ", 1)[1].split(" os.")[0])
            outbox = Outbox(data / "trainer" / "outbox", Endpoint.parse(lrs.url, None, None))
            sent = outbox.sent()  # reads whole, whatever was cut short
            queued = outbox.queued()
            whole = {i for i in sent if len(i) == 36}  # not the start of one cut short
            assert whole <= set(lrs.stored_ids), "an id recorded as sent that the LRS lacks"
            assert not sent & set(queued)
            first_sent = {s["id"]: s for r in lrs.requests for s in r.body}
            asked = len(lrs.requests)

            monkeypatch.setenv("XDG_DATA_HOME", str(data))
            status, out, err = push(capsys, saves, lrs.url, "--batch-size", "7")
            assert status == 0, (out, err)
            assert "refused 0, queued 0 for next time" in out, out
            assert sorted(lrs.stored_ids) == sorted(set(lrs.stored_ids))
            assert len(lrs.stored_ids) == COHORT
            for request in lrs.requests:
                for statement in request.body:
                    assert first_sent.setdefault(statement["id"], statement) == statement
            again = {s["id"] for r in lrs.requests[asked:] for s in r.body}
            assert not again & whole, "a statement recorded as sent was sent again"
            assert outbox.queued() == {}
            assert len({i for i in outbox.sent() if len(i) == 36}) == COHORT
            leftovers = [p.name for p in outbox.queue_path.parent.iterdir() if ".tmp" in p.name]
            assert leftovers == []
        finally:
            lrs.close()
    else:
        pytest.fail("the push never got through")
    assert killed == {
        "before fsync",
        "before replace",
        "halfway through a write",
        "after the LRS answered",
    }, killed
    assert target > 12, target


def test_a_sent_file_cut_short_mid_line_joins_no_id_to_the_next(tmp_path):
    endpoint = Endpoint.parse("http://lrs.test/xapi/", None, None)
    outbox = Outbox(tmp_path, endpoint)
    outbox.add_sent(["first-id"])
    with outbox.sent_path.open("a", encoding="utf-8") as handle:
        handle.write("second-i")  # a crash halfway through the next batch's ids
    outbox.add_sent(["third-id", "fourth-id"])
    assert outbox.sent() == {"first-id", "second-i", "third-id", "fourth-id"}
    assert outbox.sent_path.read_text(encoding="utf-8").splitlines()[-2:] == [
        "third-id",
        "fourth-id",
    ]


def test_queued_lines_already_recorded_as_sent_are_not_queued(tmp_path):
    """A push stopped between a batch's ids reaching the sent file and the queue's rewrite."""
    endpoint = Endpoint.parse("http://lrs.test/xapi/", None, None)
    outbox = Outbox(tmp_path, endpoint)
    lines = {f"id-{n}": json.dumps({"id": f"id-{n}"}) for n in range(3)}
    outbox.write_queue(lines)
    outbox.add_sent(["id-1"])
    assert outbox.queued() == {"id-0": lines["id-0"], "id-2": lines["id-2"]}
