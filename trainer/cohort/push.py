"""Send statements to a Learning Record Store, keeping what is not yet accepted in an outbox.

For each endpoint (named by a hash of its URL without credentials) the outbox
folder holds:

    <hash>.jsonl           statements still to send, exactly as they will be sent
    <hash>.sent            ids this endpoint has accepted (not sent again)
    <hash>.refused.jsonl   statements the LRS refused for good (conflicts, too large)

The queue is written before anything is sent, and again after each accepted
batch, so a push stopped at any moment loses nothing and repeats nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.cohort.xapi import statement_bytes
from trainer.errors import TrainerError
from trainer.saves.atomic import atomic_write

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_TRIES = 4
MAX_WAIT = 10.0
TIMEOUT = 30.0


@dataclass(frozen=True)
class Endpoint:
    """An LRS endpoint: its URL without credentials, and the credentials."""

    url: str
    user: str | None
    password: str | None

    @classmethod
    def parse(cls, url: str, user: str | None, password: str | None) -> Endpoint:
        """Split credentials out of a URL; the URL kept ends with `/`.

        Raises:
            TrainerError: not an http(s) URL.
        """
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TrainerError(f"--lrs needs an http or https URL, not {_safe(url)!r}")
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        path = parts.path if parts.path.endswith("/") else parts.path + "/"
        clean = urllib.parse.urlunsplit((parts.scheme, netloc, path, parts.query, ""))
        if user is None and parts.username:
            user = urllib.parse.unquote(parts.username)
            password = urllib.parse.unquote(parts.password or "") if password is None else password
        return cls(clean, user, password)

    @property
    def key(self) -> str:
        """The outbox name for this endpoint: never the credentials."""
        return hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:16]


def _safe(url: str) -> str:
    """A URL with any password removed, for messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


@dataclass
class PushResult:
    """What a push did, for the summary line."""

    sent: int = 0
    already: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    queued: int = 0
    stopped: str | None = None

    def summary(self) -> str:
        line = (
            f"sent {self.sent}, already stored {self.already}, refused {len(self.refused)}, "
            f"queued {self.queued} for next time"
        )
        return line


class Outbox:
    """The files that remember, per endpoint, what is still to send and what was accepted."""

    def __init__(self, folder: Path, endpoint: Endpoint) -> None:
        self.queue_path = folder / f"{endpoint.key}.jsonl"
        self.sent_path = folder / f"{endpoint.key}.sent"
        self.refused_path = folder / f"{endpoint.key}.refused.jsonl"

    def queued(self) -> dict[str, str]:
        return _read_lines(self.queue_path)

    def sent(self) -> set[str]:
        try:
            return set(self.sent_path.read_text(encoding="utf-8").split())
        except FileNotFoundError:
            return set()

    def write_queue(self, queue: dict[str, str]) -> None:
        atomic_write(self.queue_path, "".join(line + "\n" for line in queue.values()), False)

    def add_sent(self, ids: list[str]) -> None:
        sent = self.sent() | set(ids)
        atomic_write(self.sent_path, "".join(f"{i}\n" for i in sorted(sent)), False)

    def add_refused(self, lines: list[str]) -> None:
        refused = _read_lines(self.refused_path)
        for line in lines:
            refused[json.loads(line)["id"]] = line
        atomic_write(self.refused_path, "".join(v + "\n" for v in refused.values()), False)


def _read_lines(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            out[json.loads(line)["id"]] = line
        except (ValueError, KeyError, TypeError):
            continue  # a damaged line: the statement is rebuilt from the saves next time
    return out


class Transport:
    """POSTs a batch; returns the HTTP status and a short reason. Replaceable in tests."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    def post(self, lines: list[str]) -> tuple[int, str, float | None]:
        body = ("[" + ",".join(lines) + "]").encode("utf-8")
        request = urllib.request.Request(
            self.endpoint.url + "statements",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Experience-API-Version": "1.0.3",
            },
        )
        if self.endpoint.user is not None:
            token = f"{self.endpoint.user}:{self.endpoint.password or ''}".encode()
            request.add_header("Authorization", "Basic " + base64.b64encode(token).decode())
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.status, "", None
        except urllib.error.HTTPError as error:
            retry_after = _retry_after(error.headers.get("Retry-After") if error.headers else None)
            return error.code, _reason(error), retry_after


def _retry_after(value: str | None) -> float | None:
    try:
        return min(float(value), MAX_WAIT) if value else None
    except ValueError:
        return None


def _reason(error: urllib.error.HTTPError) -> str:
    try:
        body = error.read(2000).decode("utf-8", "replace")
        detail = json.loads(body).get("detail") if body.startswith("{") else body
    except (OSError, ValueError, AttributeError):
        detail = ""
    text = " ".join(str(detail or error.reason or "").split())
    return text[:200]


def push(
    statements: list[dict[str, Any]],
    endpoint: Endpoint,
    outbox_folder: Path,
    batch_size: int = 100,
    transport: Transport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int], None] | None = None,
) -> PushResult:
    """Queue the statements, then send the queue in batches; see the module docstring."""
    if batch_size < 1:
        raise TrainerError("--batch-size must be at least 1")
    transport = transport or Transport(endpoint)
    outbox = Outbox(outbox_folder, endpoint)
    result = PushResult()
    sent_before = outbox.sent()
    queue = outbox.queued()
    for statement in statements:
        line = statement_bytes(statement)
        if statement["id"] in sent_before:
            result.already += 1
        else:
            queue[statement["id"]] = line
    outbox.write_queue(queue)

    pending = list(queue.values())
    while pending and result.stopped is None:
        batch, pending = pending[:batch_size], pending[batch_size:]
        _send(batch, transport, outbox, queue, result, sleep)
        if progress is not None:
            progress(len(batch))
    result.queued = len(queue)
    return result


def _send(
    batch: list[str],
    transport: Transport,
    outbox: Outbox,
    queue: dict[str, str],
    result: PushResult,
    sleep: Callable[[float], None],
) -> None:
    """Send one batch, splitting it on a conflict or when too large."""
    ids = [json.loads(line)["id"] for line in batch]
    for attempt in range(MAX_TRIES):
        try:
            status, reason, retry_after = transport.post(batch)
        except (urllib.error.URLError, OSError) as error:
            reason_text = getattr(error, "reason", error)
            result.stopped = f"could not reach the LRS ({reason_text})"
            return
        if status in (200, 204):
            for statement_id in ids:
                queue.pop(statement_id, None)
            outbox.add_sent(ids)
            outbox.write_queue(queue)
            result.sent += len(ids)
            return
        if status in (409, 413):
            if len(batch) > 1:
                half = len(batch) // 2
                _send(batch[:half], transport, outbox, queue, result, sleep)
                if result.stopped is None:
                    _send(batch[half:], transport, outbox, queue, result, sleep)
                return
            why = (
                "conflict: the LRS holds a different statement with this id"
                if status == 409
                else "too large for the LRS"
            )
            result.refused.append((ids[0], why))
            queue.pop(ids[0], None)
            outbox.add_refused(batch)
            outbox.write_queue(queue)
            return
        if status in RETRY_STATUSES and attempt + 1 < MAX_TRIES:
            sleep(retry_after if retry_after is not None else min(0.5 * 2**attempt, MAX_WAIT))
            continue
        if status == 401:
            result.stopped = (
                "the LRS refused the credentials (401): check --user and --password-env"
            )
        elif status == 403:
            result.stopped = (
                "the LRS refused access (403): these credentials may not write statements"
            )
        else:
            detail = f": {reason}" if reason else ""
            result.stopped = f"the LRS answered {status}{detail}"
        return
