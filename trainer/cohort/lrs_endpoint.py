"""An LRS's address as `trainer push --lrs` takes it: checked, its credentials split off, and
shown in messages without them."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field

import httpx

from trainer.errors import TrainerError

_PORT_RANGE = "is not a number from 1 to 65535"


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
        parts, host, port = _split(text, shown)
        clean = _clean_url(parts, _checked_host(parts, host, port, shown), port, shown)
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


def _split(text: str, shown: str) -> tuple[urllib.parse.SplitResult, str | None, int | None]:
    """The URL's parts, host and port, once it has a scheme and nothing unprintable."""
    if not text or any(is_control(c) or c.isspace() for c in text):
        raise TrainerError(f"--lrs: the URL {shown!r} has spaces or control characters in it")
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text):
        raise TrainerError(f"--lrs needs a URL that starts with http:// or https://, not {shown!r}")
    try:
        parts = urllib.parse.urlsplit(text)
        return parts, parts.hostname, parts.port
    except ValueError as error:
        if "port" in str(error).lower():
            raise TrainerError(f"--lrs: the port in {shown!r} {_PORT_RANGE}") from None
        raise TrainerError(
            f"--lrs: {shown!r} is not a usable URL (an IPv6 address goes in brackets, "
            "as in http://[::1]:8080/xAPI/)"
        ) from None


def _checked_host(
    parts: urllib.parse.SplitResult, host: str | None, port: int | None, shown: str
) -> str:
    """The host, once the scheme is http(s), the port not 0 and no `@` follows the host."""
    if parts.scheme.lower() not in ("http", "https"):
        raise TrainerError(f"--lrs needs an http or https URL, not {shown!r}")
    if not host:
        raise TrainerError(f"--lrs: no host in {shown!r}")
    if port == 0:
        raise TrainerError(f"--lrs: the port in {shown!r} {_PORT_RANGE}")
    if "@" in parts.path + parts.query + parts.fragment:
        # Most likely a password holding `/`, `?` or `#`, split off as a path: never send it.
        raise TrainerError(
            f"--lrs: {shown!r} has an '@' after its host; if it is part of a password, "
            "give the password with --password-env instead"
        )
    if "[" in parts.netloc and ":" not in host:
        raise TrainerError(f"--lrs: {shown!r} is not a usable URL")
    return host


def _clean_url(parts: urllib.parse.SplitResult, host: str, port: int | None, shown: str) -> str:
    """The URL without credentials or fragment, its path ending with `/`, checked as the
    connection will check it."""
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
    return clean


def shown_url(url: str) -> str:
    """A URL as it may be shown: anything before the last `@` of what follows the scheme is
    replaced, whatever the URL's shape (no scheme, a password holding `/` or `@`, IPv6), so
    no password can reach a message; control characters go too, and it is kept short."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    if "@" in rest:
        rest = "***@" + rest.rpartition("@")[2]
    text = plain_line(scheme + sep + rest)
    return text if len(text) <= 120 else text[:117] + "..."


def is_control(char: str) -> bool:
    """Control, format (bidi, zero-width), private-use and unassigned characters."""
    return unicodedata.category(char)[0] == "C"


def plain_line(text: str, limit: int = 300) -> str:
    """One line of printable text: controls and bidi marks out, whitespace collapsed."""
    cleaned = "".join(" " if is_control(c) else c for c in text)
    line = " ".join(cleaned.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."
