"""trainer push against a real Ralph LRS on 127.0.0.1, and a fake LRS for the failure paths
that a well-behaved LRS gives (the misbehaving ones are in test_push_faults.py)."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.cohort.conftest import write_format2_cohort
from tests.lrs.conftest import PASSWORD, USER, Ralph, need_ralph, outbox_files, queued_count
from tests.lrs.conftest import run_push as push
from tests.lrs.fake_lrs import basic
from tests.lrs.real_lrs import RALPH_PYTHON
from trainer.cli import main


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


def test_push_to_ralph_then_again_stores_nothing_twice(capsys, env, ralph, tmp_path):
    status, out, err = push(capsys, env, ralph.url)
    assert status == 0, err
    count = int(out.split("sent ")[1].split(",")[0])
    assert count == 29 and "queued 0 for next time" in out
    ids = {s["id"] for s in stored(ralph)}
    assert len(ids) >= count
    status, out, _ = push(capsys, env, ralph.url)
    assert status == 0 and "sent 0, already stored 29" in out
    assert {s["id"] for s in stored(ralph)} == ids
    # Even without the local record of what was sent, the same bytes store once: Ralph
    # answers 204 (it holds them all), which counts as stored.
    for path in outbox_files(tmp_path):
        if path.suffix == ".sent":
            path.unlink()
    status, out, _ = push(capsys, env, ralph.url)
    assert status == 0 and "sent 29" in out
    assert len(stored(ralph)) == len(ids)
    assert PASSWORD not in "".join(p.read_text() for p in outbox_files(tmp_path))


def test_a_batch_ralph_partly_holds_is_all_confirmed_and_stored_once(
    capsys, env, tmp_path, tmp_path_factory
):
    """Ralph answers a batch of new and held statements with the ids of the new ones only;
    push sends the others again, hears 204, and counts all 29, each stored once."""
    need_ralph()
    server = Ralph(tmp_path_factory.mktemp("ralph-own"))
    server.start()
    try:
        status, out, err = push(capsys, env, server.url, "--cohort", "spring")
        assert status == 0, err
        first = int(out.split("sent ")[1].split(",")[0])
        assert 0 < first < 29
        for path in outbox_files(tmp_path):
            if path.suffix == ".sent":
                path.unlink()  # the outbox forgets: the next batch mixes held and new
        status, out, err = push(capsys, env, server.url)
        assert status == 0, err
        assert "sent 29, already stored 0, refused 0, queued 0" in out
        ids = [s["id"] for s in stored(server)]
        assert len(ids) == len(set(ids)) == 29
    finally:
        server.stop()


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
        assert "could not reach the LRS" in err and "queued 29 for next time" in out
        assert len(err.strip().splitlines()) == 2  # the warning about the broken save, and one
        queue = next(p for p in outbox_files(tmp_path) if p.name.endswith(".jsonl"))
        assert len(queue.read_text().splitlines()) == 29
    finally:
        ralph.start()
    status, out, _ = push(capsys, env, ralph.url, "--batch-size", "5")
    assert status == 0 and "queued 0" in out
    assert queue.read_text() == ""


def test_a_push_keeps_one_connection_alive_and_says_who_it_is(capsys, env, fake):
    lrs = fake()
    status, out, err = push(capsys, env, lrs.url, "--batch-size", "5")
    assert status == 0, err
    assert "sent 29" in out and len(lrs.requests) == 6  # 29 in batches of 5
    assert lrs.connections == 1
    headers = lrs.requests[0].headers
    assert headers["x-experience-api-version"] == "1.0.3"
    assert headers["content-type"] == "application/json"
    assert headers["authorization"] == basic(USER, PASSWORD)
    assert {r.path for r in lrs.requests} == {"/xapi/statements"}


def test_5xx_and_429_are_retried(capsys, env, fake):
    lrs = fake([500, 429, 503])
    status, out, _ = push(capsys, env, lrs.url)
    assert status == 0 and "sent 29" in out
    assert len(lrs.stored) == 29


def test_5xx_four_times_stops_and_keeps_the_batch(capsys, env, fake, tmp_path):
    lrs = fake([500, 502, 503, 500])
    status, out, err = push(capsys, env, lrs.url)
    assert status == 1 and "answered 500: status 500" in err
    assert "queued 29 for next time" in out and queued_count(tmp_path) == 29
    assert lrs.stored == []


def test_a_conflict_on_one_statement_does_not_block_the_others(capsys, env, fake, tmp_path):
    first = fake()
    push(capsys, env, first.url)
    bad = first.requests[0].body[3]["id"]
    lrs = fake(conflicts={bad})
    status, out, err = push(capsys, env, lrs.url)
    assert status == 1
    assert "sent 28, already stored 0, refused 1, queued 0" in out
    assert f"refused {bad}: conflict" in err
    refused = [p for p in outbox_files(tmp_path) if p.name.endswith(".refused.jsonl")]
    assert any(bad in p.read_text() for p in refused)
    assert len(lrs.stored) == len(set(lrs.stored_ids)) == 28


def test_413_splits_the_batch(capsys, env, fake):
    lrs = fake([413, 413, 413, 413, 413])
    status, out, _ = push(capsys, env, lrs.url)
    assert status == 0 and "sent 29" in out
    assert len(lrs.requests[0].body) == 29 and min(len(r.body) for r in lrs.requests) == 1
    assert len(lrs.stored) == 29


def test_401_403_404_stop_plainly_and_keep_everything(capsys, env, fake, tmp_path):
    for code, words in [(401, "credentials"), (403, "refused access"), (404, "xAPI endpoint")]:
        lrs = fake([code])
        status, out, err = push(capsys, env, lrs.url)
        assert status == 1 and words in err and "queued 29 for next time" in out
        assert len(lrs.requests) == 1 and lrs.stored == []
        assert queued_count(tmp_path, lrs.url) == 29
        assert "Traceback" not in err and "unexpected" not in err


def test_credentials_in_the_url_are_used_but_never_written(capsys, env, fake, tmp_path):
    lrs = fake()
    url = lrs.url.replace("http://", f"http://{USER}:{PASSWORD}@")
    status, out, err = push(capsys, env, url, user=None)
    assert status == 0, err
    assert lrs.requests[0].headers["authorization"] == basic(USER, PASSWORD)
    assert PASSWORD not in out + err
    assert all(PASSWORD not in p.read_text() for p in outbox_files(tmp_path))


def test_the_outbox_is_the_same_for_the_url_with_and_without_credentials(
    capsys, env, fake, tmp_path
):
    lrs = fake([503, 503, 503, 503])
    push(capsys, env, lrs.url.replace("http://", f"http://{USER}:{PASSWORD}@"), user=None)
    status, out, _ = push(capsys, env, lrs.url)
    assert status == 0 and "sent 29" in out
    assert len({p.name.split(".")[0] for p in outbox_files(tmp_path)}) == 1


def test_a_missing_password_variable_is_a_usage_error(capsys, env, monkeypatch):
    monkeypatch.delenv("LRS_PASSWORD")
    status, _, err = push(capsys, env, "http://127.0.0.1:9/xapi")
    assert status == 2 and "LRS_PASSWORD is not set" in err


def test_a_bad_deadline_variable_is_a_usage_error(capsys, env, monkeypatch):
    for value in ("soon", "0", "-3", "nan", "inf"):
        monkeypatch.setenv("TRAINER_PUSH_DEADLINE", value)
        status, _, err = push(capsys, env, "http://127.0.0.1:9/xapi")
        assert status == 2 and "TRAINER_PUSH_DEADLINE" in err, value


def test_the_saves_folder_is_not_needed_once_queued(capsys, env, fake, tmp_path):
    """What is queued is sent from the outbox: saves removed after a failed push lose
    nothing."""
    down = fake([503] * 4)
    push(capsys, env, down.url)
    shutil.rmtree(env)
    env.mkdir()
    status, out, _ = push(capsys, env, down.url)
    assert status == 0 and "sent 29" in out
    assert len(down.stored) == 29


def test_a_proxy_from_the_environment_is_used(capsys, env, fake, monkeypatch):
    proxy = fake()  # answers as the LRS would behind it
    for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{proxy.port}")
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.port}")
    status, out, err = push(capsys, env, "http://lrs.invalid/xapi")
    assert status == 0, err
    assert "sent 29" in out
    assert {r.path for r in proxy.requests} == {"http://lrs.invalid/xapi/statements"}


def test_the_progress_bar_goes_to_stderr_and_stdout_holds_the_summary_alone(
    capsys, env, fake, monkeypatch
):
    """`trainer push ... > log` on a terminal: the bar is drawn where the facilitator looks,
    and the log gets the one summary line, with nothing before it."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setenv("FORCE_COLOR", "0")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    lrs = fake()
    status, out, err = push(capsys, env, lrs.url, "--batch-size", "5")
    assert status == 0
    assert out.splitlines() == [
        f"{lrs.url}/: sent 29, already stored 0, refused 0, queued 0 for next time"
    ], out
    assert "Sending to" in err


def test_viewed_items_and_durations_are_valid_and_stored_by_ralph_as_sent(
    capsys, env, ralph, tmp_path
):
    """Each case-file item first opened is a `viewed` statement and each answer carries how long
    it took (`result.duration`): Ralph's models take them, Ralph stores them, and what it gives
    back is what was sent."""
    assert main(["export", "--format", "xapi", "--saves", str(env), "--all-attempts"]) == 0
    sent = json.loads(capsys.readouterr().out)
    viewed = [s for s in sent if s["verb"]["id"] == "http://id.tincanapi.com/verb/viewed"]
    assert len(viewed) == 5  # one in the branch attempt, two in each aligned attempt
    durations = [s["result"]["duration"] for s in sent if s["verb"]["id"].endswith("/answered")]
    assert durations and all(d == "PT122S" for d in durations)
    check = subprocess.run(
        [str(RALPH_PYTHON), str(Path(__file__).with_name("validate_statements.py"))],
        input=json.dumps(viewed + sent[:3]), capture_output=True, text=True, timeout=120,
    )
    assert check.returncode == 0, check.stderr
    status, out, err = push(capsys, env, ralph.url)  # a push sends every attempt
    assert status == 0, err
    by_id = {s["id"]: s for s in stored(ralph)}
    for statement in viewed:
        kept = by_id[statement["id"]]
        assert kept["verb"] == statement["verb"]
        assert kept["object"] == statement["object"]
        assert kept["context"]["extensions"] == statement["context"]["extensions"]
        assert kept["timestamp"].startswith(statement["timestamp"][:19])
    answered = next(s for s in sent if "duration" in s.get("result", {}))
    assert by_id[answered["id"]]["result"]["duration"] == "PT122S"


def test_push_sends_what_export_writes_even_with_line_separators_in_a_text(
    capsys, env, fake, tmp_path
):
    """Statements are kept encoded, one a line, from the save's reading to the POST: a text
    holding U+2028, U+2029 or NEL (which JSON leaves as they are) stays one statement."""
    save = env / "sam-okafor" / "tutorial-riverside.toml"
    prompt = 'prompt = "What should happen next?"'
    assert prompt in save.read_text(encoding="utf-8")
    odd = 'prompt = "What should\\u2028happen\\u0085next?\\u2029"'
    save.write_text(save.read_text(encoding="utf-8").replace(prompt, odd), encoding="utf-8")
    exported = tmp_path / "statements.json"
    assert main(["export", "--format", "xapi", "--all-attempts", "--saves", str(env), "-o", str(exported)]) == 0
    expected = json.loads(exported.read_text(encoding="utf-8"))
    assert any("should\u2028happen\x85next?\u2029" in json.dumps(s, ensure_ascii=False) for s in expected)
    capsys.readouterr()
    lrs = fake()
    status, out, err = push(capsys, env, lrs.url)
    assert status == 0, err
    assert f"sent {len(expected)}, already stored 0, refused 0, queued 0" in out
    assert sorted(lrs.stored, key=lambda s: s["id"]) == sorted(expected, key=lambda s: s["id"])
