"""What `trainer serve` holds to whoever opens its page, as the reliability review's attacks
on it tried (over HTTP and the app's websocket, no browser needed): at most --max-sessions
apps at once, a plain page past that; no terminal larger than the cap, at the start or on a
resize; no listing of `/static/`; and one Ctrl+C stops it within seconds even while a page
does not read what its app sends."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import signal
import socket
import time
import urllib.error
import urllib.request

import aiohttp
import psutil
import pytest

from tests.web.browser import wait_until
from trainer.cli import main
from trainer.commands._web_server import (
    GRACE_SECONDS,
    MAX_COLUMNS,
    MAX_ROWS,
    full_page,
    terminal_size,
)
from trainer.commands.serve import default_max_sessions

GiB = 2**30


def get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), dict(error.headers)


def apps(served) -> list[psutil.Process]:
    return psutil.Process(served.process.pid).children(recursive=True)


def running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


# --- The limits, as numbers ---------------------------------------------------------------


def test_the_default_limit_is_sized_for_the_machine():
    assert default_max_sessions(cores=2, memory=24 * GiB) == 32  # by processor
    assert default_max_sessions(cores=64, memory=4 * GiB) == 32  # by memory: half, 64 MB each
    assert default_max_sessions(cores=1, memory=16 * 2**20) == 1  # never none
    assert default_max_sessions() >= 1


@pytest.mark.parametrize(
    ("asked", "given"),
    [
        (("80", "24"), (80, 24)),
        ((3000, 3000), (MAX_COLUMNS, MAX_ROWS)),
        (("2000", "9"), (MAX_COLUMNS, 9)),
        ((-5, 0), (20, 5)),
        (("wide", None), (80, 24)),
        ((1e300, float("inf")), (MAX_COLUMNS, 24)),
        ((10**30, "1e9"), (MAX_COLUMNS, 24)),
    ],
)
def test_a_terminal_size_is_kept_within_the_cap(asked, given):
    assert terminal_size(*asked) == given


def test_the_full_page_says_how_many_places_in_words():
    assert "The one place on this server is in use." in full_page(1)
    assert "All 30 places on this server are in use." in full_page(30)


def test_a_limit_below_one_is_a_usage_error(capsys):
    assert main(["serve", "--max-sessions", "0"]) == 2
    err = capsys.readouterr().err
    assert err == "trainer serve: --max-sessions must be at least 1, not 0\n"


# --- Against a running server ---------------------------------------------------------------


def test_past_the_limit_the_page_and_the_websocket_say_plainly_it_is_full(serve):
    served = serve("--max-sessions", "2")
    assert "at most 2 app(s) at once (--max-sessions)" in served.stdout()
    ws_url = f"ws://127.0.0.1:{served.port}/ws"

    async def attack() -> None:
        async with aiohttp.ClientSession() as session:
            first = await session.ws_connect(ws_url)
            second = await session.ws_connect(ws_url)
            await asyncio.to_thread(wait_until, lambda: len(apps(served)) == 2, "two app processes")
            # A burst of further connections gets no app at all.
            for _ in range(10):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(ws_url)
                assert refused.value.status == 503
            assert len(apps(served)) == 2
            status, page, headers = await asyncio.to_thread(get, served.url)
            assert status == 503 and page == full_page(2)
            assert headers["Retry-After"] == "60"
            assert "All 2 places on this server are in use" in page
            # A place freed is a place to be had again.
            await first.close()
            await asyncio.to_thread(
                wait_until, lambda: get(served.url)[0] == 200, "a free place again"
            )
            third = await session.ws_connect(ws_url)
            await asyncio.to_thread(
                wait_until, lambda: len(apps(served)) == 2, "the new page's app"
            )
            await third.close()
            await second.close()

    asyncio.run(attack())
    assert served.interrupt() == 0
    assert "Traceback" not in served.stdout() + served.stderr()


def test_a_page_cannot_give_its_app_a_huge_terminal(serve):
    """3000 x 3000 at the start and again on a resize: the app gets the cap, and holds about
    the memory of an ordinary one (at 2000 x 2000 one app held hundreds of MB)."""
    served = serve("--max-sessions", "2")

    async def attack() -> tuple[dict[str, str], int]:
        url = f"ws://127.0.0.1:{served.port}/ws?width=3000&height=3000"
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
            await asyncio.to_thread(wait_until, lambda: len(apps(served)) == 1, "the app")
            (app,) = apps(served)
            environment = app.environ()
            for size in (3000, 2999, 3000, 2998):
                await ws.send_str(json.dumps(["resize", {"width": size, "height": size}]))
            end = time.monotonic() + 6
            while time.monotonic() < end:  # read what the app draws, as a page would
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(ws.receive(), 0.5)
            return environment, app.memory_info().rss

    environment, memory = asyncio.run(attack())
    assert (environment["COLUMNS"], environment["ROWS"]) == (str(MAX_COLUMNS), str(MAX_ROWS))
    assert memory < 150 * 2**20, memory
    assert served.interrupt() == 0


def test_static_serves_its_files_but_never_a_listing(serve):
    served = serve()
    status, page, _ = get(served.url + "static/")
    assert status in (403, 404) and "textual.js" not in page
    status, page, _ = get(served.url + "static/js/")
    assert status in (403, 404) and "textual.js" not in page
    status, script, _ = get(served.url + "static/js/textual.js")
    assert status == 200 and len(script) > 1000
    assert served.interrupt() == 0


def masked_frame(text: str) -> bytes:
    """One websocket text frame as a client must send it (masked)."""
    payload = text.encode("utf-8")
    mask = os.urandom(4)
    length = len(payload)
    header = bytes([0x81]) + (
        bytes([0x80 | length]) if length < 126 else bytes([0x80 | 126]) + length.to_bytes(2, "big")
    )
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def test_one_ctrl_c_stops_the_server_while_a_page_does_not_read(serve):
    """A client that asks for a big terminal, makes its app draw again and again, and never
    reads: the server's sends to it block. One SIGINT still stops the server within seconds,
    every app ended and the port free."""
    served = serve("--max-sessions", "4")
    client = socket.create_connection(("127.0.0.1", served.port))
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    key = base64.b64encode(os.urandom(16)).decode()
    client.sendall(
        (
            "GET /ws?width=2000&height=2000 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += client.recv(1)
    assert head.startswith(b"HTTP/1.1 101")
    try:
        wait_until(lambda: len(apps(served)) == 1, "the app")
        started = apps(served)
        # Every resize redraws the whole screen (paced, so that none is skipped), and none of
        # it is read: the server's buffers towards the client fill (some 4 MB here), and its
        # sends to it wait for ever.
        for n in range(300):
            size = {"width": MAX_COLUMNS - n % 2, "height": MAX_ROWS - n % 2}
            client.sendall(masked_frame(json.dumps(["resize", size])))
            time.sleep(0.01)
        time.sleep(2)
        began = time.monotonic()
        served.process.send_signal(signal.SIGINT)
        status = served.process.wait(timeout=30)
        took = time.monotonic() - began
    finally:
        client.close()
    assert status == 0
    # The app, blocked writing a frame nobody takes, is killed after the grace period.
    assert took < GRACE_SECONDS + 4, took
    assert not any(running(app) for app in started)
    with socket.socket() as probe:  # the port is free
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", served.port))
    assert "trainer serve: stopped" in served.stdout()
