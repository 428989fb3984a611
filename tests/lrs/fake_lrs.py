"""A fake LRS on 127.0.0.1, written on bare sockets so that it can misbehave in ways no HTTP
server library allows: a captive portal's page, an answer cut short, a redirect, a trickle of
header lines, an SSH banner.

When it behaves, it keeps statements as an LRS does: by id, an id it already holds answered
204 (xAPI 1.0.3 Communication 2.1.2), a different statement under a held id 409, and a 200
listing only the ids it has just stored, as Ralph does; `GET statements?statementId=` gives a
held statement back (200) or 404. Every statement it stores is appended to `stored`, so a
statement stored twice would show there.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import urllib.parse
import uuid
from dataclasses import dataclass, field

SSH_BANNER = b"SSH-2.0-OpenSSH_9.0\r\n"
PORTAL_PAGE = (
    b"<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head>"
    b"<body><h1>Sign in to continue</h1><form method=post action=/login></form></body></html>"
)
REASONS = {
    200: "OK",
    204: "No Content",
    302: "Found",
    307: "Temporary Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Content Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: list[dict] = field(default_factory=list)


class FakeLRS:
    """Set `fault` to misbehave (see `_answer`), `script` for statuses to answer first,
    `invalid` and `conflicts` for ids it refuses with 400 and 409."""

    def __init__(self) -> None:
        self.fault: str | None = None
        self.script: list[int] = []
        self.invalid: set[str] = set()
        self.conflicts: set[str] = set()
        self.stored: list[dict] = []
        self.requests: list[Request] = []
        self.connections = 0
        self.echo = ""  # text an "echo" fault puts in its 400 detail
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/xapi"
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def stored_ids(self) -> list[str]:
        return [s["id"] for s in self.stored]

    def close(self) -> None:
        self._closing.set()
        self._server.close()

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(20)
            try:
                if self.fault == "ssh":
                    conn.sendall(SSH_BANNER)
                    conn.recv(4096)
                    conn.sendall(b"Invalid SSH identification string.\r\n")
                    return
                if self.fault == "ssh-waits":  # the banner, then silence
                    conn.sendall(SSH_BANNER)
                    self._closing.wait(30)
                    return
                buffer = b""
                while True:
                    request, buffer = _read_request(conn, buffer)
                    if request is None:
                        return
                    with self._lock:
                        self.requests.append(request)
                    if not self._answer(conn, request):
                        return
            except OSError:
                return

    def _answer(self, conn: socket.socket, request: Request) -> bool:
        """Answer one request; False to close the connection."""
        fault = self.fault
        if request.method == "GET":
            self._read(conn, request)
            return True
        if fault == "nostore204":  # a webhook catcher, a beacon URL: 204 and nothing kept
            send(conn, 204, b"")
            return True
        if fault == "html":
            send(conn, 200, PORTAL_PAGE, "text/html; charset=utf-8")
            return True
        if fault == "strangers":
            ids = [str(uuid.uuid4()) for _ in request.body]
            send(conn, 200, json.dumps(ids).encode())
            return True
        if fault in ("cut", "status-line"):
            # The LRS stored the batch, then the answer was lost on the way.
            self._store(request.body)
            if fault == "cut":
                head = _head(200, "application/json", 4000)
                conn.sendall(head + json.dumps(self.stored_ids)[:30].encode())
            else:
                conn.sendall(b"HTTP/1.1 200 OK\r\n")
            return False
        if fault in ("302", "307"):
            location = f"http://127.0.0.1:{self.port}/elsewhere/statements"
            send(conn, int(fault), b"", extra=f"Location: {location}\r\n")
            return True
        if fault == "trickle":
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            for n in range(120):
                if self._closing.wait(1.0):
                    break
                conn.sendall(f"X-Still-Thinking-{n}: yes\r\n".encode())
            return False
        if fault == "echo":
            send(conn, 400, json.dumps({"detail": self.echo}).encode())
            return True
        status = self.script.pop(0) if self.script else None
        if status == 413 and len(request.body) == 1:
            status = None
        if status is not None:
            extra = "Retry-After: 0\r\n" if status == 429 else ""
            send(conn, status, json.dumps({"detail": f"status {status}"}).encode(), extra=extra)
            return True
        self._xapi(conn, request.body)
        return True

    def _xapi(self, conn: socket.socket, body: list[dict]) -> None:
        bad = [s["id"] for s in body if s["id"] in self.invalid]
        if bad:  # an LRS rejects a batch with one invalid statement whole
            detail = f"Invalid statement {bad[0]}: 'timestamp' is not an ISO 8601 date"
            send(conn, 400, json.dumps({"detail": detail}).encode())
            return
        with self._lock:
            held = {s["id"]: s for s in self.stored}
            if any(s["id"] in self.conflicts or held.get(s["id"], s) != s for s in body):
                send(conn, 409, json.dumps({"detail": "Conflict"}).encode())
                return
            new = self._store(body)
        if not new:
            send(conn, 204, b"")
            return
        send(conn, 200, json.dumps(new).encode())

    def _read(self, conn: socket.socket, request: Request) -> None:
        """GET statements?statementId=ID: the statement (200), or 404; `read-forbidden`
        answers 403, as an LRS does to credentials that may only write."""
        if self.fault == "read-forbidden":
            send(conn, 403, json.dumps({"detail": "Forbidden"}).encode())
            return
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query)
        wanted = query.get("statementId", [""])[0]
        with self._lock:
            held = next((s for s in self.stored if s["id"] == wanted), None)
        if held is None:
            send(conn, 404, json.dumps({"detail": "Not Found"}).encode())
            return
        send(conn, 200, json.dumps(held).encode())

    def _store(self, body: list[dict]) -> list[str]:
        held = {s["id"] for s in self.stored}
        new = [s for s in body if s["id"] not in held]
        self.stored.extend(new)
        return [s["id"] for s in new]


def send(
    conn: socket.socket,
    status: int,
    body: bytes,
    content_type: str = "application/json",
    extra: str = "",
) -> None:
    conn.sendall(_head(status, content_type, len(body), extra) + body)


def _head(status: int, content_type: str, length: int, extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\n{extra}\r\n"
    ).encode()


def _read_request(conn: socket.socket, buffer: bytes) -> tuple[Request | None, bytes]:
    while b"\r\n\r\n" not in buffer:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        buffer += chunk
    head, _, buffer = buffer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(buffer) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        buffer += chunk
    body, buffer = buffer[:length], buffer[length:]
    parsed = json.loads(body) if body else []
    return Request(method, path, headers, parsed), buffer


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
