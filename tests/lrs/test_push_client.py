"""The push's HTTP side through httpx's MockTransport: which answers count as stored, how a
URL is taken apart, and what the messages may show (the read-back after a 204 is in
test_push_readback.py). No server needed."""

from __future__ import annotations

import hashlib
import json
import uuid

import httpx
import pytest

from tests.lrs.mock_push import Script, ids_of, kept_all, run, statements, stored_all
from trainer.cohort.lrs_client import MAX_ANSWER, _retry_after
from trainer.cohort.lrs_endpoint import Endpoint, shown_url
from trainer.cohort.outbox import Outbox
from trainer.cohort.pushing import push
from trainer.errors import TrainerError

SECRET = "Sup3rSecret"



# --- What counts as stored --------------------------------------------------------------------


def test_200_listing_the_ids_in_any_order_is_stored(tmp_path):
    script = Script(lambda body: httpx.Response(200, json=list(reversed(ids_of(body)))))
    result, outbox = run(tmp_path, script)
    stored_all(result, outbox)
    request = script.requests[0]
    assert request.method == "POST" and str(request.url) == "http://lrs.test/xapi/statements"
    assert request.headers["X-Experience-API-Version"] == "1.0.3"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Authorization"].startswith("Basic ")



def test_200_listing_some_sends_the_rest_again_until_confirmed(tmp_path):
    posts = [
        lambda body: httpx.Response(200, json=ids_of(body)[:2]),
        lambda body: httpx.Response(200, json=ids_of(body)[:1]),
        lambda body: httpx.Response(204),
    ]
    bodies: list[list[dict]] = []
    asked: list[str] = []

    def lrs(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            asked.append(request.url.params["statementId"])
            return httpx.Response(200, json={"id": asked[-1]})
        bodies.append(json.loads(request.content))
        return posts.pop(0)(bodies[-1])

    result, outbox = run(tmp_path, lrs)
    stored_all(result, outbox)
    assert [len(b) for b in bodies] == [6, 4, 3]
    assert asked == ids_of(bodies[-1])


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda body: httpx.Response(200, text="<html><body>Log in</body></html>"), "web page"),
        (lambda body: httpx.Response(200, content=b""), "an empty body"),
        (lambda body: httpx.Response(200, content=b'["a", "b'), "not JSON"),
        (lambda body: httpx.Response(200, content=b"\xff\xfe["), "not JSON"),
        (lambda body: httpx.Response(200, json={"ok": True}), "not a list of statement ids"),
        (lambda body: httpx.Response(200, json=[1, 2, 3]), "not a list of statement ids"),
        (lambda body: httpx.Response(200, json=[]), "listing none of the 6 statements"),
        (
            lambda body: httpx.Response(200, json=[*ids_of(body), str(uuid.uuid4())]),
            "listing 1 id that were not sent",
        ),
        (lambda body: httpx.Response(201, json=ids_of(body)), "does not say the statements"),
        (lambda body: httpx.Response(202), "does not say the statements were stored"),
        (
            lambda body: httpx.Response(303, headers={"Location": "https://u:pw@x.test/"}),
            "answered 303, a redirect to https://***@x.test/, which push does not follow",
        ),
        (lambda body: httpx.Response(308), "answered 308, a redirect, which"),
        (lambda body: httpx.Response(418, text="I'm a teapot"), "answered 418: I'm a teapot"),
        (lambda body: httpx.Response(200, content=b"[" * (MAX_ANSWER + 10)), "ran past 1 MB"),
    ],
)
def test_any_other_answer_keeps_every_statement_queued(tmp_path, answer, words):
    script = Script(answer)
    result, outbox = run(tmp_path, script)
    kept_all(result, outbox)
    assert result.stopped is not None and words in result.stopped, result.stopped
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), "could not reach the LRS"),
        (httpx.ConnectTimeout("timed out"), "could not connect to the LRS at lrs.test within 10"),
        (httpx.ReadTimeout("timed out"), "the LRS sent nothing for 30 s"),
        (httpx.WriteTimeout("timed out"), "took in nothing of the batch"),
        (httpx.RemoteProtocolError("illegal status line"), "did not answer in HTTP"),
        (httpx.ReadError("reset"), "the connection to the LRS broke (reset)"),
        (httpx.ProxyError("407"), "the proxy refused"),
        (httpx.DecodingError("bad gzip"), "the exchange with the LRS failed (DecodingError"),
    ],
)
def test_a_failed_exchange_is_one_plain_line_and_keeps_everything(tmp_path, error, words):
    def fail(body):
        raise error

    result, outbox = run(tmp_path, Script(fail))
    kept_all(result, outbox)
    assert result.stopped is not None and words in result.stopped, result.stopped
    assert "\n" not in result.stopped


def test_a_dropped_connection_is_tried_again(tmp_path):
    def drop(body):
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.")

    script = Script(drop, lambda body: httpx.Response(200, json=ids_of(body)))
    result, outbox = run(tmp_path, script)
    stored_all(result, outbox)
    assert len(script.requests) == 2


def test_a_413_keeps_later_batches_to_the_size_of_the_halves(tmp_path):
    """A limit on bodies (a proxy's, say) costs one 413 in a push, not one a batch."""
    answers: list[tuple[int, int]] = []  # (status, statements)

    def lrs(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        status = 413 if len(request.content) > 1000 and len(body) > 1 else 200
        answers.append((status, len(body)))
        return httpx.Response(status, json=ids_of(body) if status == 200 else {})

    result, outbox = run(tmp_path, lrs, count=60, batch_size=20)
    stored_all(result, outbox, 60)
    assert answers[0] == (413, 20)
    assert [status for status, _ in answers[1:]] == [200] * (len(answers) - 1)
    assert max(size for _, size in answers[1:]) <= 10


def test_batches_hold_500_statements_unless_told(tmp_path):
    script = Script(lambda body: httpx.Response(200, json=ids_of(body)))
    endpoint = Endpoint.parse("http://lrs.test/xapi/", None, None)
    transport = httpx.MockTransport(script)
    result = push(statements(1001), endpoint, tmp_path, transport=transport)
    assert result.sent == 1001 and [len(b) for b in script.bodies] == [500, 500, 1]


def test_statements_are_read_once_as_they_come_and_the_total_is_told_before_sending(tmp_path):
    events: list[tuple[str, int]] = []

    def lrs(body):
        events.append(("post", len(body)))
        return httpx.Response(200, json=ids_of(body))

    endpoint = Endpoint.parse("http://lrs.test/xapi/", None, None)
    transport = httpx.MockTransport(Script(lrs))
    cohort = statements(1001)
    result = push(
        (statement for statement in cohort),  # a generator: it can be read only once
        endpoint,
        tmp_path,
        started=lambda total: events.append(("started", total)),
        progress=lambda n: events.append(("progress", n)),
        transport=transport,
    )
    assert result.sent == 1001
    assert events == [
        ("started", 1001),
        *[("post", 500), ("progress", 500)] * 2,
        *[("post", 1), ("progress", 1)],
    ]

    # Next time, with 3 more: those the LRS holds are left out of the total, the new counted.
    events.clear()
    result = push(
        statements(1004),
        endpoint,
        tmp_path,
        started=lambda total: events.append(("started", total)),
        transport=transport,
    )
    assert (result.sent, result.already) == (3, 1001)
    assert events == [("started", 3), ("post", 3)]


def test_the_total_counts_what_an_earlier_push_left_queued(tmp_path):
    endpoint = Endpoint.parse("http://lrs.test/xapi/", None, None)
    down = httpx.MockTransport(lambda request: httpx.Response(503))
    first = push(statements(6), endpoint, tmp_path, transport=down, sleep=lambda s: None)
    assert first.queued == 6
    totals: list[int] = []
    script = Script(lambda body: httpx.Response(200, json=ids_of(body)))
    result = push(
        statements(2),  # fewer this time (a narrower --cohort, say): the queue still holds 6
        endpoint,
        tmp_path,
        started=totals.append,
        transport=httpx.MockTransport(script),
    )
    assert totals == [6] and result.sent == 6 and result.queued == 0


# --- Refused statements ----------------------------------------------------------------------


def test_a_400_statement_is_found_set_aside_with_its_reason_and_the_rest_stored(tmp_path):
    bad = statements()[4]["id"]

    def lrs(body):
        if bad in ids_of(body):
            return httpx.Response(400, json={"detail": [{"loc": ["timestamp"], "msg": "bad"}]})
        return httpx.Response(200, json=ids_of(body))

    result, outbox = run(tmp_path, Script(lrs))
    assert result.sent == 5 and result.queued == 0 and result.stopped is None
    assert result.refused == [(bad, 'invalid (400): [{"loc": ["timestamp"], "msg": "bad"}]')]
    (line,) = outbox.refused_path.read_text().splitlines()
    entry = json.loads(line)
    assert entry["id"] == bad and entry["status"] == 400 and "timestamp" in entry["reason"]
    assert entry["statement"] == statements()[4]
    sent_line = json.dumps(statements()[4], sort_keys=True, separators=(",", ":"))
    assert line.endswith(f',"statement":{sent_line}}}')  # the bytes sent, kept as they were


def test_400_for_everything_sets_nothing_aside_until_the_lrs_has_stored_some(tmp_path):
    refuse = Script(lambda body: httpx.Response(400, json={"detail": "Invalid"}))
    result, outbox = run(tmp_path, refuse, batch_size=3)
    kept_all(result, outbox)
    assert result.refused == [] and not outbox.refused_path.exists()
    assert "refused each of the 3 statements it was sent as invalid" in (result.stopped or "")
    assert len(refuse.requests) == 5  # the first batch, its halves, then each of them
    # Once this LRS has stored statements from this outbox, a 400 alone means that statement.
    outbox.add_sent([str(uuid.uuid4())])
    result, outbox = run(tmp_path, refuse, batch_size=3)
    assert len(result.refused) == 6 and result.queued == 0 and result.stopped is None


def test_the_refused_file_takes_older_lines_as_they_are(tmp_path):
    endpoint = Endpoint.parse("http://lrs.test/xapi/", None, None)
    outbox = Outbox(tmp_path, endpoint)
    old = json.dumps(statements()[0], sort_keys=True, separators=(",", ":"))
    outbox.refused_path.write_text(old + "\n")
    outbox.add_refused([(json.dumps(statements()[1]), 409, "conflict")])
    lines = outbox.refused_path.read_text().splitlines()
    assert lines[0] == old and json.loads(lines[1])["status"] == 409


def test_the_lrs_detail_is_plain_and_without_the_password(tmp_path):
    evil = "bad\x1b]0;pwned\x07 \u202eevil\n from trainer:pw-long-enough"
    script = Script(lambda body: httpx.Response(500, json={"detail": evil}))
    result, _ = run(tmp_path, script)
    assert result.stopped == "the LRS answered 500: bad ]0;pwned evil from trainer:***"


def test_retry_after_is_honoured_within_bounds():
    assert _retry_after("2") == 2 and _retry_after("9999") == 10
    for value in (None, "", "soon", "nan", "-1", "inf", "Wed, 21 Oct 2026 07:28:00 GMT"):
        assert _retry_after(value) is None, value


# --- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "clean", "statements_url"),
    [
        ("http://lrs.test/xapi", "http://lrs.test/xapi/", "http://lrs.test/xapi/statements"),
        (
            "HTTPS://LRS.test:8443/x/",
            "https://lrs.test:8443/x/",
            "https://lrs.test:8443/x/statements",
        ),
        ("http://[::1]:8080/xapi", "http://[::1]:8080/xapi/", "http://[::1]:8080/xapi/statements"),
        ("http://[fe80::1]/", "http://[fe80::1]/", "http://[fe80::1]/statements"),
        (
            "https://lrs.test/xapi/?tenant=7#top",
            "https://lrs.test/xapi/?tenant=7",
            "https://lrs.test/xapi/statements?tenant=7",
        ),
        (
            f"http://u:{SECRET}@lrs.test/xapi",
            "http://lrs.test/xapi/",
            "http://lrs.test/xapi/statements",
        ),
    ],
)
def test_an_endpoint_url_is_kept_without_credentials(url, clean, statements_url):
    endpoint = Endpoint.parse(url, None, None)
    assert endpoint.url == clean and endpoint.statements_url == statements_url
    assert SECRET not in repr(endpoint)


def test_credentials_in_the_url_are_decoded_and_flags_win():
    endpoint = Endpoint.parse("http://a%40b:p%2Fw%40x@lrs.test/x", None, None)
    assert (endpoint.user, endpoint.password) == ("a@b", "p/w@x")
    endpoint = Endpoint.parse("http://a:b@lrs.test/x", "flag-user", "flag-pw")
    assert (endpoint.user, endpoint.password) == ("flag-user", "flag-pw")


def test_the_outbox_name_is_as_before_for_an_ordinary_url():
    """Queues written before this version are found again."""
    expected = hashlib.sha256(b"http://127.0.0.1:8100/xAPI/").hexdigest()[:16]
    assert Endpoint.parse("http://127.0.0.1:8100/xAPI", None, None).key == expected
    assert Endpoint.parse("http://u:p@127.0.0.1:8100/xAPI/", None, None).key == expected


@pytest.mark.parametrize(
    "url",
    [
        f"u:{SECRET}@host/x",
        f"//u:{SECRET}@host/x",
        f"http://u:{SECRET}@h",
        f"http://u:{SECRET}@h:99999/x",
        f"http://u:{SECRET}@[::1/x",
        f"http://u:a/{SECRET}@h/x",
        f"http://u:a@{SECRET}@h/x",
        f"http:u:{SECRET}@h/x",
        f"mailto:u:{SECRET}@h",
    ],
)
def test_no_url_shape_shows_the_password(url):
    assert SECRET not in shown_url(url)
    try:
        Endpoint.parse(url, None, None)
    except TrainerError as error:
        assert SECRET not in str(error) and "\n" not in str(error)


def test_shown_urls_are_plain_and_short():
    assert shown_url("http://h/\x1b[2J\u202ex") == "http://h/ [2J x"
    assert len(shown_url("http://h/" + "a" * 500)) == 120
