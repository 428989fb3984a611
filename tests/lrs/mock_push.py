"""Pushing through httpx's MockTransport: statements to push, a scripted LRS, and what a
push's result and outbox should then say."""

from __future__ import annotations

import json
import uuid

import httpx

from trainer.cohort.lrs_endpoint import Endpoint
from trainer.cohort.outbox import Outbox
from trainer.cohort.pushing import PushResult, push


def statements(count: int = 6) -> list[dict]:
    return [
        {"id": str(uuid.UUID(int=n + 1)), "verb": {"id": "http://example.org/v"}, "n": n}
        for n in range(count)
    ]


class Script:
    """A handler answering each request with the next function of a list (the last one
    repeats), and keeping the requests."""

    def __init__(self, *answers) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return answer(json.loads(request.content))

    @property
    def bodies(self) -> list[list[dict]]:
        return [json.loads(r.content) for r in self.requests]


def ids_of(body: list[dict]) -> list[str]:
    return [s["id"] for s in body]


def run(tmp_path, handler, count=6, batch_size=100, url="http://lrs.test/xapi/"):
    endpoint = Endpoint.parse(url, "trainer", "pw-long-enough")
    result = push(
        statements(count),
        endpoint,
        tmp_path,
        batch_size,
        transport=httpx.MockTransport(handler),
        sleep=lambda seconds: None,
    )
    return result, Outbox(tmp_path, endpoint)


def stored_all(result: PushResult, outbox: Outbox, count: int = 6) -> None:
    assert result.stopped is None and result.refused == []
    assert result.sent == count and result.queued == 0
    assert outbox.queued() == {} and len(outbox.sent()) == count


def kept_all(result: PushResult, outbox: Outbox, count: int = 6) -> None:
    assert result.sent == 0 and result.queued == count
    assert len(outbox.queued()) == count and outbox.sent() == set()
