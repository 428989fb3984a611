"""Push against a fake LRS that misbehaves, one fault at a time, as the reliability review's
attacks did: each fault keeps every statement queued with one plain line, and a push once the
LRS behaves stores each statement once.

"Nothing lost" is the outbox's queue (29 statements until stored); "nothing duplicated" is
the fake LRS's own list of what it stored (each id once, 29 in all)."""

from __future__ import annotations

import time

import pytest

from tests.lrs.conftest import PASSWORD, USER, outbox_files, queued_count
from tests.lrs.conftest import run_push as push
from tests.lrs.fake_lrs import basic

COHORT = 29  # statements in the cohort the `env` fixture writes


def stopped_line(err: str) -> str:
    """The one line that says why push stopped; nothing else but the broken save's warning."""
    lines = [line for line in err.splitlines() if "broken" not in line]
    assert len(lines) == 1, err
    assert lines[0].startswith("trainer: stopped: "), err
    assert lines[0].endswith("; what was not sent stays queued"), err
    assert "Traceback" not in err and "unexpected error" not in err
    return lines[0]


def recovers(capsys, env, lrs, tmp_path) -> None:
    """Once the LRS behaves, the next push stores the rest, and the LRS holds each once."""
    lrs.fault = None
    status, out, err = push(capsys, env, lrs.url)
    assert status == 0, err
    assert "refused 0, queued 0 for next time" in out
    assert queued_count(tmp_path, lrs.url) == 0
    assert len(lrs.stored) == len(set(lrs.stored_ids)) == COHORT


@pytest.mark.parametrize(
    ("fault", "words", "stored_by_the_fault"),
    [
        ("html", "answered 200 with a web page", 0),
        ("cut", "answer was cut off", COHORT),
        ("strangers", "ids that were not sent", 0),
        ("302", "answered 302, a redirect to http://127.0.0.1", 0),
        ("307", "answered 307, a redirect to http://127.0.0.1", 0),
        ("ssh", "did not answer in HTTP", 0),
        ("status-line", "closed the connection before a complete answer", COHORT),
        # A webhook catcher or beacon URL: 204 to every POST, nothing kept, 404 when asked.
        ("nostore204", "answered 204 No Content to 29 statements", 0),
    ],
)
def test_a_fault_keeps_every_statement_queued(
    capsys, env, fake, tmp_path, fault, words, stored_by_the_fault
):
    lrs = fake(fault=fault)
    status, out, err = push(capsys, env, lrs.url)
    assert status == 1
    assert words in stopped_line(err)
    assert "sent 0, already stored 0, refused 0, queued 29 for next time" in out
    assert queued_count(tmp_path, lrs.url) == COHORT
    assert len(lrs.stored) == stored_by_the_fault
    assert not any(p.name.endswith(".sent") for p in outbox_files(tmp_path))
    if fault in ("302", "307"):  # the POST was not sent again, nor a GET, elsewhere
        assert [r.path for r in lrs.requests] == ["/xapi/statements"]
    recovers(capsys, env, lrs, tmp_path)


def test_a_trickling_server_is_cut_off_at_the_deadline(capsys, env, fake, tmp_path, monkeypatch):
    """One header line a second, for ever: the deadline for a batch ends it."""
    monkeypatch.setenv("TRAINER_PUSH_DEADLINE", "2.5")
    lrs = fake(fault="trickle")
    began = time.monotonic()
    status, out, err = push(capsys, env, lrs.url)
    took = time.monotonic() - began
    assert status == 1
    assert "no complete answer from the LRS within 2.5 s" in stopped_line(err)
    assert 2.0 < took < 8, took
    assert "queued 29 for next time" in out and queued_count(tmp_path, lrs.url) == COHORT
    recovers(capsys, env, lrs, tmp_path)


def test_an_invalid_statement_is_set_aside_and_the_rest_stored(capsys, env, fake, tmp_path):
    """One statement of 29 the LRS refuses as invalid (400) is found by halving the batch,
    kept in the refused file with the reason, and named; the other 28 are stored."""
    probe = fake()
    push(capsys, env, probe.url)
    bad = probe.stored_ids[5]
    lrs = fake(invalid={bad})
    status, out, err = push(capsys, env, lrs.url)
    assert status == 1
    assert "sent 28, already stored 0, refused 1, queued 0 for next time" in out
    assert f"trainer: refused {bad}: invalid (400): Invalid statement {bad}" in err
    assert "refused statements are kept in" in err and "stopped" not in err
    assert sorted(lrs.stored_ids) == sorted(i for i in probe.stored_ids if i != bad)
    refused = [p for p in outbox_files(tmp_path) if p.name.endswith(".refused.jsonl")]
    (entry,) = [line for p in refused for line in p.read_text().splitlines()]
    assert f'"id":"{bad}"' in entry and '"status":400' in entry and "ISO 8601" in entry
    # Next time it is tried again (it may have been mended), refused again, nothing lost.
    status, out, err = push(capsys, env, lrs.url)
    assert status == 1 and "sent 0, already stored 28, refused 1, queued 0" in out
    assert len(lrs.stored) == len(set(lrs.stored_ids)) == 28


def test_an_lrs_that_refuses_everything_sets_nothing_aside(capsys, env, fake, tmp_path):
    """400 for every statement from an LRS that has stored none is more likely a wrong URL
    or LRS than 29 bad statements: stop, nothing set aside, all kept queued."""
    probe = fake()
    push(capsys, env, probe.url)
    lrs = fake(invalid=set(probe.stored_ids))
    status, out, err = push(capsys, env, lrs.url, "--batch-size", "6")
    assert status == 1
    line = stopped_line(err)
    assert "refused each of the 6 statements it was sent as invalid" in line
    assert "queued 29 for next time" in out and queued_count(tmp_path, lrs.url) == COHORT
    assert not any(p.name.endswith(".refused.jsonl") for p in outbox_files(tmp_path))
    assert len(lrs.requests) == 11  # the first batch halved down to each statement, no more
    lrs.invalid = set()
    recovers(capsys, env, lrs, tmp_path)


SECRET = "Sup3rSecret"


@pytest.mark.parametrize(
    ("shape", "words"),
    [
        ("u:{secret}@{host}/xapi", "starts with http:// or https://"),
        ("//u:{secret}@{host}/xapi", "starts with http:// or https://"),
        ("ftp://u:{secret}@{host}/xapi", "needs an http or https URL"),
        ("http://u:{secret}@127.0.0.1:99999/xapi", "not a number from 1 to 65535"),
        ("http://u:{secret}@127.0.0.1:0/xapi", "not a number from 1 to 65535"),
        ("http://u:{secret}@127.0.0.1:port/xapi", "not a number from 1 to 65535"),
        ("http://u:{secret}@[::1/xapi", "not a usable URL"),
        ("http://u:{secret}@[:::zz]:8080/xapi", "not a usable URL"),
        ("http://u:ab/{secret}@{host}/xapi", "not a number from 1 to 65535"),
        ("http://u:#{secret}@{host}/xapi", "has an '@' after its host"),
        ("http://u:{secret}@/xapi", "no host"),
        ("http://u:{secret}@a..b/xapi", "not a usable URL"),
        ("http://u:{secret}@" + "a" * 70 + ".org/xapi", "not a usable URL"),
        ("http://u:{secret}@[v1.fe]/xapi", "not a usable URL"),
        ("http://u:{secret}@256.1.1.1/xapi", "not a usable URL"),
        ("http://u:{secret}@exa mple.org/xapi", "spaces or control characters"),
        ("http://u:{secret}@\x1b]0;title\x07{host}/xapi", "spaces or control characters"),
    ],
)
def test_a_bad_url_is_one_plain_line_without_the_password(capsys, env, fake, shape, words):
    host = f"127.0.0.1:{fake().port}"
    url = shape.format(secret=SECRET, host=host)
    status, out, err = push(capsys, env, url, user=None)
    assert status == 1 and out == ""
    (line,) = err.splitlines()
    assert line.startswith("trainer: --lrs") and words in line, line
    assert SECRET not in line and "unexpected error" not in line and "\x1b" not in line


@pytest.mark.parametrize(
    "shape",
    [
        "http://u:{secret}@{host}/xapi",
        "http://u:{secret}@{host}/xapi/?tenant=a#part",
        "http://u:{quoted}@{host}/xapi",
        "http://u:p@{secret}@{host}/xapi",
    ],
)
def test_a_password_in_a_working_url_is_never_printed_nor_written(
    capsys, env, fake, tmp_path, shape
):
    lrs = fake(fault="html")
    host = f"127.0.0.1:{lrs.port}"
    url = shape.format(secret=SECRET, quoted=SECRET.replace("S", "%53"), host=host)
    status, out, err = push(capsys, env, url, user=None)
    assert status == 1 and "web page" in err
    lrs.fault = None
    status, out2, err2 = push(capsys, env, url, user=None)
    assert status == 0, err2
    assert lrs.requests[-1].headers["authorization"].startswith("Basic ")
    assert SECRET not in out + err + out2 + err2
    assert all(SECRET not in p.read_text() for p in outbox_files(tmp_path))


def test_a_password_to_an_ipv6_address_or_odd_port_is_never_printed(capsys, env, free_port):
    for url in (
        f"http://u:{SECRET}@[::1]:{free_port}/xapi",
        f"https://u:{SECRET}@127.0.0.1:{free_port}/xapi",
        f"http://u:{SECRET}@localhost:{free_port}",
    ):
        status, out, err = push(capsys, env, url, user=None)
        assert status == 1 and "could not reach the LRS" in stopped_line(err)
        assert SECRET not in out + err


def test_an_lrs_that_echoes_the_password_has_it_taken_out(capsys, env, fake):
    lrs = fake(fault="echo")
    lrs.echo = f"bad statement from {USER}:{PASSWORD} ({basic(USER, PASSWORD)})"
    status, out, err = push(capsys, env, lrs.url)
    assert status == 1 and "as invalid (invalid (400): bad statement from" in err
    assert PASSWORD not in out + err
    assert basic(USER, PASSWORD).split()[1] not in err


@pytest.fixture
def free_port():
    from tests.lrs.conftest import free_port as pick

    return pick()


def test_a_silent_ssh_server_is_named_at_the_deadline(capsys, env, fake, tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_PUSH_DEADLINE", "1")
    lrs = fake(fault="ssh-waits")
    status, out, err = push(capsys, env, lrs.url)
    assert status == 1
    line = stopped_line(err)
    assert "did not answer in HTTP (it began 'SSH-2.0-OpenSSH_9.0')" in line
    assert queued_count(tmp_path, lrs.url) == COHORT
    recovers(capsys, env, lrs, tmp_path)


def test_https_to_a_server_that_does_not_speak_tls_stops_plainly(
    capsys, env, fake, tmp_path, monkeypatch
):
    """An https:// address still gets TLS (the certificates are loaded only for it): a server
    that never answers the handshake stops the push at the deadline, everything queued."""
    monkeypatch.setenv("TRAINER_PUSH_DEADLINE", "1")
    lrs = fake()
    url = lrs.url.replace("http://", "https://")
    status, out, err = push(capsys, env, url)
    assert status == 1
    line = stopped_line(err)
    assert "no complete answer from the LRS within 1 s" in line, line
    assert lrs.requests == [] and lrs.stored == []  # a TLS hello is no HTTP request
    assert queued_count(tmp_path, url) == COHORT
