"""The HTTP transport under the LRS client: httpx's own connection pool, with a deadline on
the whole of each request that no trickling server can stretch."""

from __future__ import annotations

import contextlib
import math
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import httpcore
import httpx

from trainer.cohort.lrs_endpoint import shown_url
from trainer.errors import TrainerError


class RequestClock:
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

    def __init__(self, inner: httpcore.NetworkStream, clock: RequestClock) -> None:
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

    def __init__(self, clock: RequestClock) -> None:
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

    def __init__(self, url: str, clock: RequestClock) -> None:
        self._clock = clock
        backend = _Backend(clock)
        proxy = _proxy_for(url)
        # The certificates are loaded only where TLS may be spoken: loading them is most of
        # what setting up the client costs, and a plain http:// LRS never uses them.
        tls = proxy is not None or url.lower().startswith("https:")
        ssl_context = httpx.create_ssl_context() if tls else None
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
