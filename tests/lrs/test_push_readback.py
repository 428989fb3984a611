"""After a 204 No Content, push counts a statement as stored only once the LRS gives it back:
by its attempt's registration first, then by id (httpx's MockTransport, no server)."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from tests.lrs.mock_push import ids_of, kept_all, run, statements, stored_all
from trainer.cohort.lrs_endpoint import Endpoint
from trainer.cohort.outbox import Outbox
from trainer.cohort.pushing import push


class Holding:
    """An LRS that answers every POST 204 and a `GET statements?statementId=` with `read`
    (given the id asked for and the statements it was sent); it keeps the GETs' ids."""

    def __init__(self, read) -> None:
        self.read = read
        self.sent: dict[str, dict] = {}
        self.asked: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self.sent.update((s["id"], s) for s in json.loads(request.content))
            return httpx.Response(204)
        assert request.method == "GET" and request.url.path == "/xapi/statements"
        wanted = request.url.params["statementId"]
        self.asked.append(wanted)
        return self.read(wanted, self.sent)


def test_204_is_stored_once_each_statement_is_read_back(tmp_path):
    lrs = Holding(lambda wanted, sent: httpx.Response(200, json=sent[wanted]))
    result, outbox = run(tmp_path, lrs, url="http://lrs.test/xapi/?tenant=7")
    stored_all(result, outbox)
    assert lrs.asked == ids_of(statements())


def test_204_is_also_read_back_from_a_list_of_statements_as_ralph_answers(tmp_path):
    lrs = Holding(lambda wanted, sent: httpx.Response(200, json={"statements": [sent[wanted]]}))
    result, outbox = run(tmp_path, lrs)
    stored_all(result, outbox)


@pytest.mark.parametrize(
    ("read", "words"),
    [
        (lambda wanted, sent: httpx.Response(404), "(it answered 404): those are not counted"),
        (lambda wanted, sent: httpx.Response(204), "(it answered 204)"),
        (
            lambda wanted, sent: httpx.Response(200, json={"statements": []}),
            "(it answered 200 without that statement)",
        ),
        (
            lambda wanted, sent: httpx.Response(200, text="<html>ok</html>"),
            "(it answered 200 without that statement)",
        ),
        (
            lambda wanted, sent: httpx.Response(200, json={"id": str(uuid.uuid4())}),
            "(it answered 200 without that statement)",
        ),
        (
            lambda wanted, sent: httpx.Response(403),
            "(it answered 403: credentials that may read statements let push confirm them)",
        ),
    ],
)
def test_204_from_an_endpoint_that_does_not_hold_the_statements_is_not_stored(
    tmp_path, read, words
):
    """A webhook catcher, a beacon URL or a misrouted proxy answers 204 and stores nothing:
    nothing is counted as stored, and everything stays queued for the real LRS."""
    lrs = Holding(read)
    result, outbox = run(tmp_path, lrs)
    kept_all(result, outbox)
    assert result.stopped is not None
    assert "answered 204 No Content to 6 statements" in result.stopped, result.stopped
    assert words in result.stopped and "those are not counted as stored" in result.stopped
    assert len(lrs.asked) == 1  # the first statement missing stops the push at once


def test_204_counts_only_the_statements_read_back(tmp_path):
    held = set(ids_of(statements())[:2])

    def read(wanted, sent):
        return httpx.Response(200, json=sent[wanted]) if wanted in held else httpx.Response(404)

    result, outbox = run(tmp_path, Holding(read))
    assert result.sent == 2 and result.queued == 4
    assert outbox.sent() == held and set(outbox.queued()) == set(ids_of(statements())) - held
    assert result.stopped is not None and "4 of them are not counted as stored" in result.stopped


def test_a_read_back_refused_for_a_moment_is_asked_again(tmp_path):
    answers = [httpx.Response(503), httpx.Response(429)]

    def read(wanted, sent):
        return answers.pop(0) if answers else httpx.Response(200, json=sent[wanted])

    result, outbox = run(tmp_path, Holding(read))
    stored_all(result, outbox)


def attempts(count: int = 6, per_attempt: int = 3) -> list[dict]:
    """Statements as push builds them: each carries its attempt's registration."""
    return [
        {**statement, "context": {"registration": str(uuid.UUID(int=1000 + n // per_attempt))}}
        for n, statement in enumerate(statements(count))
    ]


class HoldingAttempts:
    """An LRS that answers every POST 204 and holds what it was sent; a GET by
    registration lists that attempt's statements `page` at a time (with `more`), or answers
    `by_registration` instead if set; a GET by id answers `by_id`."""

    def __init__(self, page=100, more_host="", by_registration=None, by_id=None) -> None:
        self.held: dict[str, dict] = {}
        self.page = page
        self.more_host = more_host
        self.by_registration = by_registration
        self.by_id = by_id
        self.gets: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self.held.update((s["id"], s) for s in json.loads(request.content))
            return httpx.Response(204)
        params = dict(request.url.params)
        self.gets.append(params)
        if "statementId" in params:
            if self.by_id is not None:
                return self.by_id(params["statementId"])
            held = self.held.get(params["statementId"])
            return httpx.Response(200, json=held) if held else httpx.Response(404)
        if self.by_registration is not None:
            return self.by_registration
        mine = [
            s for s in self.held.values() if s["context"]["registration"] == params["registration"]
        ]
        start = int(params.get("from", "0"))
        body: dict = {"statements": mine[start : start + self.page]}
        if start + self.page < len(mine):
            body["more"] = (
                f"{self.more_host}/xapi/statements?registration={params['registration']}"
                f"&from={start + self.page}"
            )
        return httpx.Response(200, json=body)


def push_attempts(tmp_path, lrs, count=6):
    endpoint = Endpoint.parse("http://lrs.test/xapi/", "trainer", "pw-long-enough")
    result = push(
        attempts(count),
        endpoint,
        tmp_path,
        100,
        transport=httpx.MockTransport(lrs),
        sleep=lambda seconds: None,
    )
    return result, Outbox(tmp_path, endpoint)


def test_204_reads_back_each_attempt_at_once_by_its_registration(tmp_path):
    lrs = HoldingAttempts()
    result, outbox = push_attempts(tmp_path, lrs, count=30)
    stored_all(result, outbox, 30)
    assert len(lrs.gets) == 10 and all("registration" in get for get in lrs.gets)


def test_an_attempts_pages_are_followed_on_the_same_server_only(tmp_path):
    lrs = HoldingAttempts(page=2)
    result, outbox = push_attempts(tmp_path, lrs)
    stored_all(result, outbox)
    assert [get.get("from") for get in lrs.gets] == [None, "2", None, "2"]
    # A `more` that names another server is not followed: the rest is asked for by id.
    elsewhere = HoldingAttempts(page=2, more_host="https://other.test")
    result, outbox = push_attempts(tmp_path / "elsewhere", elsewhere)
    stored_all(result, outbox)
    assert [sorted(get) for get in elsewhere.gets] == [["registration"]] * 2 + [["statementId"]] * 2


def test_an_lrs_that_does_not_filter_by_registration_is_asked_by_id(tmp_path):
    lrs = HoldingAttempts(by_registration=httpx.Response(400, json={"detail": "no"}))
    result, outbox = push_attempts(tmp_path, lrs)
    stored_all(result, outbox)
    assert [sorted(get) for get in lrs.gets] == [["registration"]] + [["statementId"]] * 6


def test_204_from_an_endpoint_holding_nothing_stops_at_the_first_statement_asked(tmp_path):
    lrs = HoldingAttempts(
        by_registration=httpx.Response(200, json={"statements": []}),
        by_id=lambda wanted: httpx.Response(404),
    )
    result, outbox = push_attempts(tmp_path, lrs)
    kept_all(result, outbox)
    assert result.stopped is not None and "those are not counted as stored" in result.stopped
    assert len(lrs.gets) == 2  # one registration, then one id: no more
