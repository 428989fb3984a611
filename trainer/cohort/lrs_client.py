"""The HTTP client of one push: POSTs batches of statements to an LRS and reads statements back,
over one kept-alive connection, never following a redirect, each request bounded by the
timeouts; every failure becomes one plain line (`LRSFault`), never a password."""

from __future__ import annotations

import base64
import json
import math
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from trainer.cohort.lrs_endpoint import Endpoint, Timeouts, plain_line
from trainer.cohort.lrs_transport import DeadlineTransport, RequestClock

MAX_ANSWER = 1_000_000  # bytes: 500 ids are about 20 KB; anything far longer is not an LRS
MAX_WAIT = 10.0
"""The longest wait before trying again, whatever an LRS's Retry-After asks."""
MAX_TRIES = 4
RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Answer:
    """The LRS's answer to one batch: status, body (read in full, up to MAX_ANSWER) and the
    headers that matter."""

    status: int
    body: bytes = b""
    content_type: str = ""
    retry_after: float | None = None
    location: str = ""


class LRSFault(Exception):
    """No usable HTTP answer: the message is one plain line; `retry` when trying again on a
    new connection may help (a kept-alive connection the server had just closed)."""

    def __init__(self, message: str, retry: bool = False) -> None:
        super().__init__(message)
        self.retry = retry


class LRSClient:
    """One HTTP client for one push: POSTs batches over a kept-alive connection, never
    follows a redirect, and bounds each request by the timeouts."""

    def __init__(
        self,
        endpoint: Endpoint,
        timeouts: Timeouts | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.timeouts = timeouts or Timeouts()
        self._clock = RequestClock()
        auth = (
            httpx.BasicAuth(endpoint.user, endpoint.password or "")
            if endpoint.user is not None
            else None
        )
        self._client = httpx.Client(
            transport=transport or DeadlineTransport(endpoint.url, self._clock),
            auth=auth,
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-Experience-API-Version": "1.0.3",
            },
            timeout=httpx.Timeout(
                self.timeouts.read, connect=self.timeouts.connect, pool=self.timeouts.connect
            ),
            follow_redirects=False,
            trust_env=False,  # DeadlineTransport chooses the proxy; no .netrc credentials either
        )

    def close(self) -> None:
        self._client.close()

    def post(self, lines: list[str]) -> Answer:
        """POST one batch and read the whole answer.

        Raises:
            LRSFault: no complete HTTP answer.
        """
        body = ("[" + ",".join(lines) + "]").encode("utf-8")
        return self._exchange("POST", self.endpoint.statements_url, body)

    def get_statements(self, **params: str) -> Answer:
        """GET statements: by id (`statementId=`, which every LRS answers), or those of one
        `registration=`; the endpoint's own query kept.

        Raises:
            LRSFault: no complete HTTP answer.
        """
        parts = urllib.parse.urlsplit(self.endpoint.statements_url)
        query = urllib.parse.urlencode(params)
        query = f"{parts.query}&{query}" if parts.query else query
        url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
        return self._exchange("GET", url, None)

    def get_more(self, more: str) -> Answer | None:
        """GET the next page a StatementResult's `more` names; None if it names another
        server (credentials are never sent elsewhere).

        Raises:
            LRSFault: no complete HTTP answer.
        """
        url = urllib.parse.urljoin(self.endpoint.statements_url, more)
        mine = urllib.parse.urlsplit(self.endpoint.statements_url)
        there = urllib.parse.urlsplit(url)
        if (there.scheme, there.netloc) != (mine.scheme, mine.netloc):
            return None
        return self._exchange("GET", url, None)

    def _exchange(self, method: str, url: str, body: bytes | None) -> Answer:
        answered = False
        self._clock.start(self.timeouts.batch)
        try:
            with self._client.stream(method, url, content=body) as reply:
                answered = True
                return self._answer(reply)
        except httpx.HTTPError as error:
            raise self._fault(error, answered) from None
        except (httpx.InvalidURL, ValueError) as error:
            # An address httpx cannot use once resolved (an IDNA label too long, say).
            raise LRSFault(f"the LRS's address cannot be used ({self._reason(error)})") from None
        finally:
            self._clock.stop()

    def _answer(self, reply: httpx.Response) -> Answer:
        """The whole answer, read while it stays within MAX_ANSWER."""
        data = bytearray()
        for chunk in reply.iter_bytes():
            data += chunk
            if len(data) > MAX_ANSWER:
                raise LRSFault(
                    f"the LRS's answer ({reply.status_code}) ran past "
                    f"{MAX_ANSWER // 1_000_000} MB: this is not an LRS answering"
                )
        return Answer(
            reply.status_code,
            bytes(data),
            reply.headers.get("Content-Type", ""),
            _retry_after(reply.headers.get("Retry-After")),
            reply.headers.get("Location", ""),
        )

    def _fault(self, error: httpx.HTTPError, answered: bool) -> LRSFault:
        """The one line for an exchange that gave no usable answer; `retry` where a new
        connection may help."""
        if isinstance(error, httpx.TimeoutException):
            return self._not_http() or LRSFault(self._timeout(error))
        if isinstance(error, httpx.RemoteProtocolError):
            return self._protocol_fault(error, answered)
        if isinstance(error, httpx.ConnectError):
            return LRSFault(
                f"could not reach the LRS at {self.endpoint.host} ({self._reason(error)})"
            )
        if isinstance(error, httpx.ProxyError):
            return LRSFault(f"the proxy refused the connection ({self._reason(error)})")
        if isinstance(error, httpx.ReadError | httpx.WriteError):
            return self._not_http() or LRSFault(
                f"the connection to the LRS broke ({self._reason(error)})", retry=True
            )
        return LRSFault(
            f"the exchange with the LRS failed ({type(error).__name__}: {self._reason(error)})"
        )

    def _timeout(self, error: httpx.TimeoutException) -> str:
        seconds = self.timeouts
        if self._clock.passed:
            return (
                f"no complete answer from the LRS within {seconds.batch:g} s, the limit for "
                "one batch (the server is too slow, or is trickling its answer)"
            )
        if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
            host, wait = self.endpoint.host, seconds.connect
            return f"could not connect to the LRS at {host} within {wait:g} s"
        if isinstance(error, httpx.WriteTimeout):
            return f"the LRS took in nothing of the batch for {seconds.read:g} s"
        return f"the LRS sent nothing for {seconds.read:g} s"

    def _protocol_fault(self, error: httpx.RemoteProtocolError, answered: bool) -> LRSFault:
        if answered:
            return LRSFault("the LRS's answer was cut off before its end")
        not_http = self._not_http()
        if not_http is not None:
            return not_http
        if "disconnected" in str(error).lower():
            # Nothing, or an answer's first lines: a kept-alive connection the server had just
            # closed, or a server gone down mid-answer. Sending again stores nothing twice.
            return LRSFault("the LRS closed the connection before a complete answer", retry=True)
        return LRSFault(
            f"the server at {self.endpoint.host} did not answer in HTTP "
            "(is --lrs the LRS's address and port?)"
        )

    def _not_http(self) -> LRSFault | None:
        """A server that began its answer with something else than HTTP (an SSH banner, a
        mail server's greeting) and closed: named by its first words."""
        heard = bytes(self._clock.heard)
        if not heard or b"HTTP/".startswith(heard[:5]):
            return None
        start = plain_line(heard.split(b"\n")[0].decode("ascii", "replace"), 40)
        return LRSFault(
            f"the server at {self.endpoint.host} did not answer in HTTP (it began "
            f"{start!r}): is --lrs the LRS's address and port?"
        )

    def _reason(self, error: BaseException) -> str:
        return _scrub(plain_line(str(error) or type(error).__name__, 160), self.endpoint)


def with_retries(call: Callable[[], Answer], sleep: Callable[[float], None]) -> Answer:
    """`call`'s answer, asked again (up to MAX_TRIES in all, with a growing wait or the one
    the LRS asks for) while it fails in a way a new try may mend: a connection the server
    had just closed, a 429 or a 5xx. The last answer comes back whatever its status.

    Raises:
        LRSFault: no usable answer, and trying again would not help (or tries ran out).
    """
    attempt = 0
    while True:
        last = attempt + 1 >= MAX_TRIES
        try:
            answer = call()
        except LRSFault as fault:
            if not fault.retry or last:
                raise
            sleep(min(0.5 * 2**attempt, MAX_WAIT))
        else:
            if answer.status not in RETRY_STATUSES or last:
                return answer
            wait = answer.retry_after
            sleep(wait if wait is not None else min(0.5 * 2**attempt, MAX_WAIT))
        attempt += 1


def _retry_after(value: str | None) -> float | None:
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return None
    return min(seconds, MAX_WAIT)


def _scrub(text: str, endpoint: Endpoint) -> str:
    """Text from outside (an LRS's error detail, an exception) with the password taken out,
    should a server echo it back; a password too short to find safely drops the text."""
    password = endpoint.password
    if not password:
        return text
    if len(password) < 4:
        return "details withheld"
    token = base64.b64encode(f"{endpoint.user}:{password}".encode()).decode()
    for secret in (token, urllib.parse.quote(password, safe=""), password):
        text = text.replace(secret, "***")
    return text


def answer_detail(answer: Answer, endpoint: Endpoint) -> str:
    """What an error answer says, as one short plain line; nothing from an HTML page."""
    text = answer.body[:4000].decode("utf-8", "replace").strip()
    if not text or text.startswith("<") or "html" in answer.content_type.lower():
        return ""
    try:
        value: Any = json.loads(text)
    except ValueError:
        value = text
    if isinstance(value, dict):
        value = next(
            (value[k] for k in ("detail", "message", "error", "errors") if k in value), value
        )
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False)
    return _scrub(plain_line(value, 200), endpoint)


def listed_ids(answer: Answer) -> tuple[list[str] | None, str]:
    """The ids a 200 lists, or None and what the body is instead."""
    text = answer.body.strip()
    if not text:
        return None, "an empty body"
    if text.startswith(b"<"):  # the body decides, whatever the Content-Type says
        return None, "a web page (a captive portal's or a proxy's?)"
    try:
        value = json.loads(text.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None, "a body that is not JSON (cut short, or not from an LRS)"
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None, "JSON that is not a list of statement ids"
    return value, ""
