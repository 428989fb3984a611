"""Send statements to a Learning Record Store, keeping what is not yet accepted in an outbox.

For each endpoint (named by a hash of its URL without credentials) the outbox
folder holds:

    <hash>.jsonl           statements still to send, exactly as they will be sent
    <hash>.sent            ids this endpoint has accepted (not sent again)
    <hash>.refused.jsonl   statements the LRS refused (invalid, conflicting, too large),
                           one a line: {"id", "status", "reason", "statement"}
    <file>.damaged         lines of one of those push could not read, set aside as found

The queue is written before anything is sent; each accepted batch then appends
its ids to the sent file (one fsync a batch, never a rewrite of the queue), and the
queue is rewritten once at the end with what is left. A push stopped at any moment
loses nothing and repeats nothing: what the queue holds and the sent file does not
is what is still to send, byte for byte as it was queued.

Batches hold up to 500 statements (`--batch-size`): an LRS that keeps statements
in one file, as Ralph's file backend does, reads all it holds at each POST, so the
number of requests counts far more than their size. An LRS that answers 413 has
the batch split, and later batches kept to the size of the halves.

A batch counts as accepted only when the answer proves it: a 200 whose body is
the JSON list of the ids sent, or a 204 (the LRS holds them all already) once each
statement is read back from the LRS, by its attempt's registration or by its id (see
`_Pusher.confirm`). Anything else (a
redirect, a captive portal's page, a cut or non-JSON body, a server that is not
HTTP, one that trickles its answer) leaves the batch queued and stops the push
with one plain line. A statement refused as invalid (400) or conflicting (409)
is found by halving the batch, set aside in the refused file, and the rest go on.

One HTTP client per push (httpx, one kept-alive connection, redirects never
followed), with timeouts on connecting and on each read, and a deadline on the
whole of each request that no trickling server can stretch.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import json
import math
import os
import re
import stat
import time
import unicodedata
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpcore
import httpx

from trainer.cohort.xapi import statement_bytes
from trainer.errors import SaveError, TrainerError
from trainer.saves.atomic import atomic_write, fsync_dir, remove_stale_temps

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_TRIES = 4
MAX_WAIT = 10.0
MAX_ANSWER = 1_000_000  # bytes: 500 ids are about 20 KB; anything far longer is not an LRS
BATCH_SIZE = 500
MAX_PAGES = 20  # of one registration's statements read back: an attempt has a few dozen
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class Timeouts:
    """Seconds allowed to connect, to wait for each piece of the answer, and for the whole of
    one batch's request (connect, send, every header line and the body): the last is what
    stops a server that answers one header line every few seconds."""

    connect: float = 10.0
    read: float = 30.0
    batch: float = 60.0


@dataclass(frozen=True)
class Endpoint:
    """An LRS endpoint: its URL without credentials, and the credentials."""

    url: str
    user: str | None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, url: str, user: str | None, password: str | None) -> Endpoint:
        """Split credentials out of a URL; the URL kept ends with `/`.

        Raises:
            TrainerError: not a usable http(s) URL; the message never holds the password.
        """
        text = url.strip()
        shown = shown_url(text)
        if not text or any(_is_control(c) or c.isspace() for c in text):
            raise TrainerError(f"--lrs: the URL {shown!r} has spaces or control characters in it")
        if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text):
            raise TrainerError(
                f"--lrs needs a URL that starts with http:// or https://, not {shown!r}"
            )
        try:
            parts = urllib.parse.urlsplit(text)
            port = parts.port
            host = parts.hostname
        except ValueError as error:
            if "port" in str(error).lower():
                raise TrainerError(
                    f"--lrs: the port in {shown!r} is not a number from 1 to 65535"
                ) from None
            raise TrainerError(
                f"--lrs: {shown!r} is not a usable URL (an IPv6 address goes in brackets, "
                "as in http://[::1]:8080/xAPI/)"
            ) from None
        if parts.scheme.lower() not in ("http", "https"):
            raise TrainerError(f"--lrs needs an http or https URL, not {shown!r}")
        if not host:
            raise TrainerError(f"--lrs: no host in {shown!r}")
        if port == 0:
            raise TrainerError(f"--lrs: the port in {shown!r} is not a number from 1 to 65535")
        if "@" in parts.path + parts.query + parts.fragment:
            # Most likely a password holding `/`, `?` or `#`, split off as a path: never send it.
            raise TrainerError(
                f"--lrs: {shown!r} has an '@' after its host; if it is part of a password, "
                "give the password with --password-env instead"
            )
        if "[" in parts.netloc and ":" not in host:
            raise TrainerError(f"--lrs: {shown!r} is not a usable URL")
        netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")
        path = parts.path if parts.path.endswith("/") else parts.path + "/"
        clean = urllib.parse.urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))
        try:
            # As the connection will: httpx's checks, then the name's labels (none empty,
            # none over 63 characters) as the socket library encodes them.
            name = httpx.URL(clean).raw_host.decode("ascii")
            if not name.startswith("["):
                name.encode("idna")
        except (httpx.InvalidURL, ValueError):
            raise TrainerError(f"--lrs: {shown!r} is not a usable URL") from None
        if user is None and parts.username:
            user = urllib.parse.unquote(parts.username)
            password = urllib.parse.unquote(parts.password or "") if password is None else password
        return cls(clean, user, password)

    @property
    def key(self) -> str:
        """The outbox name for this endpoint: never the credentials."""
        return hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:16]

    @property
    def statements_url(self) -> str:
        """Where statements are POSTed: the endpoint's path + `statements`, its query kept."""
        parts = urllib.parse.urlsplit(self.url)
        return urllib.parse.urlunsplit(
            (parts.scheme, parts.netloc, parts.path + "statements", parts.query, "")
        )

    @property
    def host(self) -> str:
        """`host:port` as the messages name it."""
        return urllib.parse.urlsplit(self.url).netloc


def shown_url(url: str) -> str:
    """A URL as it may be shown: anything before the last `@` of what follows the scheme is
    replaced, whatever the URL's shape (no scheme, a password holding `/` or `@`, IPv6), so
    no password can reach a message; control characters go too, and it is kept short."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    if "@" in rest:
        rest = "***@" + rest.rpartition("@")[2]
    text = _plain(scheme + sep + rest)
    return text if len(text) <= 120 else text[:117] + "..."


def _is_control(char: str) -> bool:
    """Control, format (bidi, zero-width), private-use and unassigned characters."""
    return unicodedata.category(char)[0] == "C"


def _plain(text: str, limit: int = 300) -> str:
    """One line of printable text: controls and bidi marks out, whitespace collapsed."""
    cleaned = "".join(" " if _is_control(c) else c for c in text)
    line = " ".join(cleaned.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


@dataclass
class PushResult:
    """What a push did, for the summary line; `notes` are lines to show beside it (damaged
    outbox lines set aside)."""

    sent: int = 0
    already: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    queued: int = 0
    stopped: str | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        line = (
            f"sent {self.sent}, already stored {self.already}, refused {len(self.refused)}, "
            f"queued {self.queued} for next time"
        )
        return line


class Outbox:
    """The files that remember, per endpoint, what is still to send and what was accepted.

    The queue is written whole once a push has built it, before anything is sent, and once
    more at the end with what is left; in between, each accepted batch only appends its ids
    to the sent file (one write and one fsync a batch). A push stopped in between leaves
    queued lines whose ids the sent file holds: `queued` leaves those out, so nothing
    accepted is sent again and nothing still to send is lost. (A statement refused meanwhile
    is still in the queue too: such a push's next one offers it once more.)

    A line push cannot read (bytes that are not UTF-8, or not a statement: a disk's or a
    sync tool's damage) is skipped by the readers and, by `set_aside_damaged`, moved to a
    file beside its own (`<name>.damaged`, the bytes as found), with one line in `notes`:
    nothing is lost, and the rest is sent. (A statement whose queued line was damaged is
    built again from its save at the next push.)
    """

    def __init__(self, folder: Path, endpoint: Endpoint) -> None:
        self.queue_path = folder / f"{endpoint.key}.jsonl"
        self.sent_path = folder / f"{endpoint.key}.sent"
        self.refused_path = folder / f"{endpoint.key}.refused.jsonl"
        self.notes: list[str] = []
        self._damaged: dict[Path, list[bytes]] = {}  # found by the last read of each file

    def queued(self, sent: set[str] | None = None) -> dict[str, str]:
        """Statement id to line, for the queue's lines not yet accepted (`sent`: the ids the
        sent file holds, if already read)."""
        done = self.sent() if sent is None else sent
        lines = self._statements(self.queue_path)
        return {i: line for i, line in lines.items() if i not in done}

    def remove_leftovers(self) -> None:
        """Remove temporary files a push killed while writing left (a queue's can be large)."""
        for path in (self.queue_path, self.sent_path, self.refused_path):
            remove_stale_temps(path)

    def sent(self) -> set[str]:
        """The ids the sent file holds (a line that is not UTF-8 is skipped)."""
        ids: set[str] = set()
        damaged: list[bytes] = []
        for raw in _raw_lines(self.sent_path):
            try:
                ids.add(raw.decode("utf-8").strip())
            except UnicodeDecodeError:
                damaged.append(raw)
        self._damaged[self.sent_path] = damaged
        return ids

    def set_aside_damaged(self) -> None:
        """Move the damaged lines the last reads of the queue and the sent file found into
        their `.damaged` files (appended and fsynced first, so a crash loses none), then
        write the sent file without them; the queue is written without them by the push,
        next. Each file with damage adds one line to `notes`.

        Raises:
            SaveError: a file could not be written.
        """
        if self._set_aside(self.sent_path, "list of statements sent"):
            kept = b"".join(
                raw + b"\n"
                for raw in _raw_lines(self.sent_path)
                if _decodes(raw)  # the file as it is now, less what was set aside
            )
            atomic_write(self.sent_path, kept.decode("utf-8"), False)
        self._set_aside(self.queue_path, "queue")

    def _set_aside(self, path: Path, what: str) -> bool:
        damaged = self._damaged.pop(path, [])
        if not damaged:
            return False
        kept = path.with_name(path.name + ".damaged")
        _append(kept, b"".join(raw + b"\n" for raw in damaged))
        count = len(damaged)
        self.notes.append(
            f"the outbox's {what} for this LRS ({path}) had {count} damaged "
            f"line{'s' if count != 1 else ''} (not UTF-8, or not as push wrote it): set aside "
            f"in {kept}; the rest goes on"
        )
        return True

    def _statements(self, path: Path) -> dict[str, str]:
        lines, damaged = _read_lines(path)
        self._damaged[path] = damaged
        return lines

    def write_queue(self, queue: dict[str, str]) -> None:
        atomic_write(self.queue_path, "".join(line + "\n" for line in queue.values()), False)

    def add_sent(self, ids: list[str]) -> None:
        """Append ids to the sent file and fsync it.

        Raises:
            SaveError: it could not be written (a link or anything but a file in its place).
        """
        if ids:
            _append(self.sent_path, "".join(f"{i}\n" for i in ids).encode("utf-8"))

    def add_refused(self, entries: list[tuple[str, int, str]]) -> None:
        """Keep refused statements, each with the status and reason, the statement's bytes
        exactly as sent (so it can be looked at, mended at its source, or sent by hand)."""
        refused = self._statements(self.refused_path)
        self._set_aside(self.refused_path, "list of refused statements")
        for line, status, reason in entries:
            statement_id = json.loads(line)["id"]
            refused[statement_id] = (
                f'{{"id":{json.dumps(statement_id)},"status":{status},'
                f'"reason":{json.dumps(reason, ensure_ascii=False)},"statement":{line}}}'
            )
        atomic_write(self.refused_path, "".join(v + "\n" for v in refused.values()), False)


def _append(path: Path, data: bytes) -> None:
    """Append lines to a file and fsync it; a last line a crash cut short is ended first,
    so that it is never joined to the first line written now.

    Raises:
        SaveError: it could not be written (a link or anything but a file in its place).
    """
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _NONBLOCK | _CLOEXEC
    try:
        fd = os.open(path, flags, 0o666)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise OSError(errno.EINVAL, "not a regular file")
            size = info.st_size
            if size:
                os.lseek(fd, size - 1, os.SEEK_SET)
                if os.read(fd, 1) != b"\n":
                    data = b"\n" + data
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if not size:
            fsync_dir(path.parent)  # the file may be new: its name must last too
    except OSError as error:
        reason = (
            "a symbolic link is in its place"
            if error.errno == errno.ELOOP
            else error.strerror or type(error).__name__
        )
        raise SaveError(f"could not write {path} ({reason})") from None


def _raw_lines(path: Path) -> list[bytes]:
    """A file's lines as bytes, less blank ones and those of NULs alone (what a crash in
    the middle of an append can leave: nothing to keep); none if there is no file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    return [raw for raw in data.split(b"\n") if raw.strip(b" \t\r\x00")]


def _decodes(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_lines(path: Path) -> tuple[dict[str, str], list[bytes]]:
    """A file of statements one a line, keyed by id, and the lines that are not one."""
    out: dict[str, str] = {}
    damaged: list[bytes] = []
    for raw in _raw_lines(path):
        try:
            line = raw.decode("utf-8").rstrip("\r")
            statement_id = json.loads(line)["id"]
        except (ValueError, KeyError, TypeError, IndexError):
            damaged.append(raw)
            continue
        if not isinstance(statement_id, str):
            damaged.append(raw)
            continue
        out[statement_id] = line
    return out, damaged


# --- HTTP ---------------------------------------------------------------------------------


class _Clock:
    """The deadline of the request under way; every connect, read and write waits at most
    until then, however little the server sends at a time."""

    def __init__(self) -> None:
        self.deadline = math.inf
        self.heard = bytearray()  # the first bytes of the answer, to name a server not HTTP
        self.cut_short = False  # the last wait was shortened to end at the deadline

    def start(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.heard.clear()
        self.cut_short = False

    def stop(self) -> None:
        self.deadline = math.inf

    @property
    def passed(self) -> bool:
        """The deadline ended the request: it has come, or the wait that timed out was the
        one shortened to end at it."""
        return self.cut_short or time.monotonic() >= self.deadline

    def left(self, timeout: float | None, error: type[Exception]) -> float | None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.cut_short = True
            raise error("the deadline for this request passed")
        if math.isinf(left):
            return timeout
        self.cut_short = timeout is None or left < timeout
        return left if self.cut_short else timeout


class _Stream(httpcore.NetworkStream):
    """A connection whose every wait is cut short at the clock's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, clock: _Clock) -> None:
        self._inner = inner
        self._clock = clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._inner.read(max_bytes, self._clock.left(timeout, httpcore.ReadTimeout))
        heard = self._clock.heard
        if len(heard) < 64:
            heard += data[: 64 - len(heard)]
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._clock.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        wait = self._clock.left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, wait), self._clock)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """httpcore's own sockets, with the clock's deadline on every wait."""

    def __init__(self, clock: _Clock) -> None:
        self._inner = httpcore.SyncBackend()
        self._clock = clock

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        wait = self._clock.left(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, wait, local_address, socket_options)
        return _Stream(stream, self._clock)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        wait = self._clock.left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, wait, socket_options), self._clock)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


# Most specific first: httpcore's errors as httpx's, so the client sees only httpx's.
_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as error:
        for source, target in _ERRORS:
            if isinstance(error, source):
                raise target(str(error)) from error
        raise


class _Body(httpx.SyncByteStream):
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self._stream

    def close(self) -> None:
        if hasattr(self._stream, "close"):
            self._stream.close()


class DeadlineTransport(httpx.BaseTransport):
    """httpx's usual transport (httpcore, one pooled connection kept alive, a proxy from the
    environment as urllib would choose it), but every socket wait ends at the clock's
    deadline: httpx's own timeouts are per read, so a server sending one byte within each
    read timeout could otherwise hold a request for ever."""

    def __init__(self, url: str, clock: _Clock) -> None:
        self._clock = clock
        ssl_context = httpx.create_ssl_context()
        backend = _Backend(clock)
        proxy = _proxy_for(url)
        if proxy is None:
            self._pool: httpcore.ConnectionPool = httpcore.ConnectionPool(
                ssl_context=ssl_context, max_connections=1, network_backend=backend
            )
            return
        try:
            proxy_url = httpx.URL(proxy)
            auth = (
                (urllib.parse.unquote(proxy_url.username), urllib.parse.unquote(proxy_url.password))
                if proxy_url.username
                else None
            )
            self._pool = httpcore.HTTPProxy(
                proxy_url=httpcore.URL(
                    scheme=proxy_url.raw_scheme,
                    host=proxy_url.raw_host,
                    port=proxy_url.port,
                    target=proxy_url.raw_path,
                ),
                proxy_auth=auth,
                ssl_context=ssl_context,
                max_connections=1,
                network_backend=backend,
            )
        except (httpx.InvalidURL, ValueError):
            raise TrainerError(
                f"the proxy set in the environment ({shown_url(proxy)}) is not a usable URL"
            ) from None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


def _proxy_for(url: str) -> str | None:
    """The http(s) proxy the environment names for this URL, as urllib chooses it."""
    parts = urllib.parse.urlsplit(url)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    proxy = proxy if "://" in proxy else "http://" + proxy
    return proxy if proxy.lower().startswith(("http://", "https://")) else None


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
        self._clock = _Clock()
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
            trust_env=False,  # the proxy is chosen above; no .netrc credentials either
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
        except httpx.TimeoutException as error:
            raise self._not_http() or LRSFault(self._timeout(error)) from None
        except httpx.RemoteProtocolError as error:
            raise self._protocol_fault(error, answered) from None
        except httpx.ConnectError as error:
            raise LRSFault(
                f"could not reach the LRS at {self.endpoint.host} ({self._reason(error)})"
            ) from None
        except httpx.ProxyError as error:
            raise LRSFault(f"the proxy refused the connection ({self._reason(error)})") from None
        except (httpx.ReadError, httpx.WriteError) as error:
            raise self._not_http() or LRSFault(
                f"the connection to the LRS broke ({self._reason(error)})", retry=True
            ) from None
        except httpx.HTTPError as error:
            raise LRSFault(
                f"the exchange with the LRS failed ({type(error).__name__}: {self._reason(error)})"
            ) from None
        except (httpx.InvalidURL, ValueError) as error:
            # An address httpx cannot use once resolved (an IDNA label too long, say).
            raise LRSFault(f"the LRS's address cannot be used ({self._reason(error)})") from None
        finally:
            self._clock.stop()

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
        start = _plain(heard.split(b"\n")[0].decode("ascii", "replace"), 40)
        return LRSFault(
            f"the server at {self.endpoint.host} did not answer in HTTP (it began "
            f"{start!r}): is --lrs the LRS's address and port?"
        )

    def _reason(self, error: BaseException) -> str:
        return _scrub(_plain(str(error) or type(error).__name__, 160), self.endpoint)


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


def _detail(answer: Answer, endpoint: Endpoint) -> str:
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
    return _scrub(_plain(value, 200), endpoint)


def _registration(line: str) -> str | None:
    """The registration a queued statement carries, if any."""
    try:
        value = json.loads(line)["context"]["registration"]
    except (ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, str) and value else None


def _statement_result(answer: Answer) -> tuple[set[str], str]:
    """The ids a StatementResult lists, and its `more` (empty at the last page)."""
    try:
        value = json.loads(answer.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return set(), ""
    if not isinstance(value, dict) or not isinstance(value.get("statements"), list):
        return set(), ""
    ids = {
        item["id"]
        for item in value["statements"]
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }
    more = value.get("more")
    return ids, more if isinstance(more, str) else ""


def _holds(answer: Answer, statement_id: str) -> bool:
    """Whether a 200 to `GET statements?statementId=` holds that statement: the statement
    itself, as xAPI has it, or a list of statements holding it (Ralph's StatementResult)."""
    try:
        value = json.loads(answer.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return False
    if isinstance(value, dict) and isinstance(value.get("statements"), list):
        candidates = value["statements"]
    else:
        candidates = [value]
    return any(isinstance(item, dict) and item.get("id") == statement_id for item in candidates)


def _listed_ids(answer: Answer) -> tuple[list[str] | None, str]:
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


# --- Push ---------------------------------------------------------------------------------


def _pause(seconds: float) -> None:
    """Wait before trying again (tests replace it)."""
    time.sleep(seconds)


def push(
    statements: Iterable[dict[str, Any]],
    endpoint: Endpoint,
    outbox_folder: Path,
    batch_size: int = BATCH_SIZE,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] | None = None,
    progress: Callable[[int], None] | None = None,
    timeouts: Timeouts | None = None,
    started: Callable[[int], None] | None = None,
) -> PushResult:
    """Queue the statements, then send the queue in batches; see the module docstring.

    `statements` is read once, each encoded as it comes: a generator that builds them one
    attempt at a time keeps no cohort of statement objects in memory (at 10,000 learners,
    holding them made the garbage collector's passes about 2 s of processor time). Once
    the queue is written, `started` is told how many statements are to be sent (those of
    earlier pushes still queued included, those this LRS already holds left out), which is
    the total `progress` then counts up to, one batch at a time.

    `transport` replaces the network (httpx.MockTransport in tests)."""
    if batch_size < 1:
        raise TrainerError("--batch-size must be at least 1")
    outbox = Outbox(outbox_folder, endpoint)
    outbox.remove_leftovers()
    result = PushResult()
    sent_before = outbox.sent()
    queue = outbox.queued(sent_before)
    outbox.set_aside_damaged()  # before the queue is written again without them
    result.notes = outbox.notes
    for statement in statements:
        statement_id = statement["id"]
        if statement_id in sent_before:
            result.already += 1
        else:
            queue[statement_id] = statement_bytes(statement)
    outbox.write_queue(queue)
    written = len(queue)
    if started is not None:
        started(written)

    client = LRSClient(endpoint, timeouts, transport)
    pusher = _Pusher(client, outbox, queue, result, sleep or _pause)
    try:
        pending = list(queue.items())
        start = 0
        while start < len(pending) and result.stopped is None:
            batch = pusher.take(pending, start, batch_size)
            start += len(batch)
            pusher.send(batch)
            if progress is not None:
                progress(len(batch))
            if pusher.invalid and not (sent_before or result.sent):
                break  # a whole batch refused, and this LRS has stored nothing: see below
    finally:
        client.close()
    pusher.settle_invalid(trusted=bool(sent_before or result.sent))
    result.queued = len(queue)
    if len(queue) != written:
        outbox.write_queue(queue)  # what is left; until now the sent file said what went
    return result


Batch = list[tuple[str, str]]
"""Statements to send together: (id, line) in queue order."""


class _Pusher:
    """Sends batches for one push, and keeps the outbox and the result up to date."""

    def __init__(
        self,
        client: LRSClient,
        outbox: Outbox,
        queue: dict[str, str],
        result: PushResult,
        sleep: Callable[[float], None],
    ) -> None:
        self.client = client
        self.outbox = outbox
        self.queue = queue
        self.result = result
        self.sleep = sleep
        self.invalid: list[tuple[str, str]] = []  # (line, reason): 400s alone, not yet set aside
        self.fits = math.inf  # characters a body may hold, learnt from a 413 (see `send`)

    def take(self, pending: Batch, start: int, batch_size: int) -> Batch:
        """The next batch: up to `batch_size` statements from `start`, and no more than a body
        the LRS has shown it takes (always at least one statement)."""
        end = min(start + batch_size, len(pending))
        if math.isinf(self.fits):
            return pending[start:end]
        size = 1
        for n in range(start, end):
            size += len(pending[n][1]) + 1
            if size > self.fits and n > start:
                return pending[start:n]
        return pending[start:end]

    def stop(self, why: str) -> None:
        self.result.stopped = why

    def stored(self, ids: list[str]) -> None:
        for statement_id in ids:
            self.queue.pop(statement_id, None)
        self.outbox.add_sent(ids)
        self.result.sent += len(ids)

    def refuse(self, entries: list[tuple[str, int, str]]) -> None:
        for line, _status, why in entries:
            statement_id = json.loads(line)["id"]
            self.result.refused.append((statement_id, why))
            self.queue.pop(statement_id, None)
        self.outbox.add_refused(entries)

    def settle_invalid(self, trusted: bool) -> None:
        """Set aside the statements refused alone as invalid, once this LRS is known to store
        statements (it has stored some from this outbox, before or now). An LRS that refuses
        every statement and has never stored one is more likely the wrong URL or wrongly set
        up than given bad statements: then nothing is set aside and everything stays queued."""
        if not self.invalid:
            return
        if trusted:
            self.refuse([(line, 400, why) for line, why in self.invalid])
        elif self.result.stopped is None:
            count = len(self.invalid)
            self.stop(
                f"the LRS refused each of the {count} statement{'s' if count != 1 else ''} "
                f"it was sent as invalid ({self.invalid[0][1]}) and has stored none: check "
                "the URL and the LRS; nothing set aside"
            )

    def split(self, batch: Batch) -> None:
        half = len(batch) // 2
        self.send(batch[:half])
        if self.result.stopped is None:
            self.send(batch[half:])

    def send(self, batch: Batch) -> None:
        """Send one batch; split it to find a statement the LRS refuses, or when too large."""
        ids = [statement_id for statement_id, _ in batch]
        lines = [line for _, line in batch]
        for attempt in range(MAX_TRIES):
            last = attempt + 1 == MAX_TRIES
            try:
                answer = self.client.post(lines)
            except LRSFault as fault:
                if fault.retry and not last:
                    self.sleep(min(0.5 * 2**attempt, MAX_WAIT))
                    continue
                self.stop(str(fault))
                return
            status = answer.status
            if status == 200:
                self.listed(batch, ids, answer)
                return
            if status == 204:
                # xAPI 1.0.3 answers a POST of new statements 200 with their ids; an LRS may
                # answer `204 No Content` when it already holds every one (Ralph does:
                # "Whether it responds with 409 Conflict or 204 No Content, it MUST NOT
                # modify the Statement"). But a 204 is also what a webhook catcher, a
                # beacon URL or a misrouted proxy answers while storing nothing, so it proves
                # nothing by itself: each statement is read back first (`confirm`).
                self.confirm(batch)
                return
            if status in (400, 409, 413):
                if len(batch) > 1:
                    if status == 413:
                        # Later batches hold no more than the halves about to be tried, so a
                        # limit on bodies (a proxy's 1 MB, say) costs one 413, not one a batch.
                        body = 1 + sum(len(line) + 1 for line in lines)
                        self.fits = min(self.fits, body // 2)
                    self.split(batch)
                    return
                detail = _detail(answer, self.client.endpoint)
                suffix = f": {detail}" if detail else ""
                if status == 400:
                    self.invalid.append((lines[0], f"invalid (400){suffix}"))
                elif status == 409:
                    why = "conflict (409): the LRS holds a different statement with this id"
                    self.refuse([(lines[0], 409, why)])
                else:
                    self.refuse([(lines[0], 413, "too large for the LRS (413), even alone")])
                return
            if status in RETRY_STATUSES and not last:
                wait = answer.retry_after
                self.sleep(wait if wait is not None else min(0.5 * 2**attempt, MAX_WAIT))
                continue
            self.stop(self.unaccepted(answer))
            return

    def confirm(self, batch: Batch) -> None:
        """After a 204: count as stored each statement the LRS gives back when asked for it,
        and stop at the first it does not (that one, and the rest not given back, stay
        queued).

        A 204 comes only for statements already stored: after a push stopped between the LRS
        storing a batch and the sent file recording it, or from an outbox that was lost or
        is another account's (then for a whole cohort). So each attempt's statements are
        asked for together first, by the registration they all carry, and any not given
        back that way one by one, by id, which every LRS answers. (A lost outbox of 1,780
        statements, pushed again to Ralph's file backend: 16 s asked for by attempt, 95 s
        asked for one by one.)"""
        count = f"{len(batch)} statement{'s' if len(batch) != 1 else ''}"
        confirmed = self.read_back_attempts(batch)
        for statement_id, _line in batch:
            if statement_id in confirmed:
                continue
            why = self.read_back(statement_id)
            if why is not None:
                self.stored([i for i, _ in batch if i in confirmed])
                left = len(batch) - len(confirmed)
                self.stop(
                    f"the LRS answered 204 No Content to {count}, which would mean it already "
                    f"holds them, but statement {statement_id} could not be read back from it "
                    f"({why}): {'those' if left == len(batch) else f'{left} of them'} are not "
                    "counted as stored"
                )
                return
            confirmed.add(statement_id)
        self.stored([i for i, _ in batch])

    def read_back_attempts(self, batch: Batch) -> set[str]:
        """The ids of the batch the LRS gives back when asked for each registration's
        statements (`GET statements?registration=`, its pages followed). At the first
        registration that gives back none of its statements (an LRS that does not filter
        so, or does not hold them), or any fault, this stops: `read_back` asks for the rest
        by id, and names what went wrong."""
        wanted: dict[str, set[str]] = {}
        for statement_id, line in batch:
            registration = _registration(line)
            if registration is not None:
                wanted.setdefault(registration, set()).add(statement_id)
        found: set[str] = set()
        for registration, ids in wanted.items():
            held = self.registration_ids(registration, ids)
            if not held & ids:
                break
            found |= held & ids
        return found

    def registration_ids(self, registration: str, ids: set[str]) -> set[str]:
        """The ids the LRS lists for one registration, page by page until all of `ids` are
        seen or MAX_PAGES are read; nothing on any fault or unexpected answer."""
        held: set[str] = set()
        try:
            answer: Answer | None = self.client.get_statements(registration=registration)
            for _ in range(MAX_PAGES):
                if answer is None or answer.status != 200:
                    break
                listed, more = _statement_result(answer)
                held |= listed
                if not more or ids <= held:
                    break
                answer = self.client.get_more(more)
        except LRSFault:
            pass
        return held

    def read_back(self, statement_id: str) -> str | None:
        """None if the LRS gives back the statement with this id, else what happened
        instead, to be shown in brackets."""
        for attempt in range(MAX_TRIES):
            last = attempt + 1 == MAX_TRIES
            try:
                answer = self.client.get_statements(statementId=statement_id)
            except LRSFault as fault:
                if fault.retry and not last:
                    self.sleep(min(0.5 * 2**attempt, MAX_WAIT))
                    continue
                return f"no answer: {fault}"
            status = answer.status
            if status in RETRY_STATUSES and not last:
                wait = answer.retry_after
                self.sleep(wait if wait is not None else min(0.5 * 2**attempt, MAX_WAIT))
                continue
            if status == 200:
                if _holds(answer, statement_id):
                    return None
                return "it answered 200 without that statement"
            if status in (401, 403):
                return (
                    f"it answered {status}: credentials that may read statements let push "
                    "confirm them"
                )
            return f"it answered {status}"
        return "could not be asked"  # not reached: the last try always returns

    def listed(self, batch: Batch, ids: list[str], answer: Answer) -> None:
        """A 200: stored are the ids its body lists, and only if they are ids sent."""
        listed, what = _listed_ids(answer)
        count = f"{len(ids)} statement{'s' if len(ids) != 1 else ''}"
        if listed is None:
            self.stop(
                f"the LRS answered 200 with {what}, not the list of ids stored; "
                f"the {count} sent are not counted as stored"
            )
            return
        sent = set(ids)
        strangers = len(set(listed) - sent)
        if strangers:
            self.stop(
                f"the LRS answered 200 listing {strangers} id{'s' if strangers != 1 else ''} "
                f"that were not sent; the {count} sent are not counted as stored"
            )
            return
        if not listed:
            self.stop(
                f"the LRS answered 200 listing none of the {count} sent; "
                "they are not counted as stored"
            )
            return
        named = set(listed)
        self.stored([i for i in ids if i in named])
        rest = [(i, line) for i, line in batch if i not in named]
        if rest:
            # An LRS may list only the statements it has just stored and leave out those it
            # already held (Ralph does). Sending the rest again stores nothing twice (same
            # ids, same bytes) and has the LRS say that it holds them: with their ids, or
            # with a 204 and then each statement read back.
            self.send(rest)

    def unaccepted(self, answer: Answer) -> str:
        """The one line for an answer that neither stores nor refuses statements."""
        status = answer.status
        detail = _detail(answer, self.client.endpoint)
        suffix = f": {detail}" if detail else ""
        if 300 <= status < 400:
            where = f" to {shown_url(answer.location)}" if answer.location else ""
            return (
                f"the LRS answered {status}, a redirect{where}, which push does not follow "
                "(a POST is not re-sent elsewhere): give --lrs the address it should be"
            )
        if status == 401:
            return "the LRS refused the credentials (401): check --user and --password-env"
        if status == 403:
            return "the LRS refused access (403): these credentials may not write statements"
        if status == 404:
            return (
                "the LRS answered 404: --lrs should be its xAPI endpoint, the address "
                "that 'statements' follows"
            )
        if 200 <= status < 300:
            return f"the LRS answered {status}, which does not say the statements were stored"
        return f"the LRS answered {status}{suffix}"
