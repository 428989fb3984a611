"""`trainer serve`: the app in web browsers, with textual-serve (the `web` extra).

Each browser tab that opens the page gets its own app process, started as
`python -m trainer --saves DIR [--modules DIR]` with the server's own Python,
so every trainee plays into the one saves folder. The apps all run as the
server's account, so none remembers a sign-in for the next browser. The server
has no sign-in of its own: it binds 127.0.0.1 unless told otherwise, and says
so when it is not.

Whoever can open the page can start apps, so the server bounds what they cost:
at most `--max-sessions` apps at once (by default sized for the machine, see
`default_max_sessions`; past it the page, and the app's websocket, answer 503 with
a plain page), and no terminal larger than MAX_COLUMNS x MAX_ROWS, whatever size
a page asks for at the start or later (a page asking for 3000 x 3000 made one
app hold hundreds of MB). `/static/` serves textual-serve's files, never a listing.

Stopping the server (Ctrl+C, SIGINT or SIGTERM) ends every app process it
started: each is asked to quit as the app's own `q` would (the save is written
and released), and any still running a few seconds later is killed; then every
page's connection is cut, so a browser that does not read cannot hold the
server open. Should the server still be running STOP_SECONDS after the signal,
it kills what is left and exits.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import shlex
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer import paths
from trainer.commands.app import SERVED_VARIABLE
from trainer.errors import TrainerError, UsageError

if TYPE_CHECKING:
    import psutil

NEEDS_WEB = "trainer serve needs the web extra: pip install 'trainer[web]'"
GRACE_SECONDS = 5.0
"""How long the app processes have to save and quit before they are killed."""
SHUTDOWN_SECONDS = 3.0
"""How long the server waits, once the apps are ended, for pages' requests to finish."""
STOP_SECONDS = GRACE_SECONDS + SHUTDOWN_SECONDS + 7.0
"""After a stop signal, the most the server runs on before it kills what is left and exits."""
MAX_COLUMNS = 400
MAX_ROWS = 150
"""The largest terminal an app is given: a 4K screen's full width at the page's usual font
(an app's memory hardly grows up to here; at 2000 x 2000 it held hundreds of MB)."""
MIN_COLUMNS = 20
MIN_ROWS = 5
APP_MEMORY = 64 * 2**20
"""Memory one app process is allowed for in the default limit: an app holds about 40 MB,
at any size up to the largest."""
SESSIONS_PER_CORE = 16
"""Apps at once per processor core in the default limit: an app idles between key presses,
but each start costs about a second of processor time."""
FULL_SECONDS = 60
"""What a full server tells a browser to wait before trying again (Retry-After)."""


def run(args: argparse.Namespace) -> int:
    """Serve the app until stopped; end every app process started."""
    try:
        import psutil
        from textual_serve.server import Server
    except ImportError:
        raise UsageError(NEEDS_WEB) from None

    host: str = args.host
    port: int = args.port
    saves = paths.saves_dir(getattr(args, "saves", None)).resolve()
    modules = getattr(args, "modules", None)
    command = app_command(saves, Path(modules).expanduser().resolve() if modules else None)
    limit = args.max_sessions if args.max_sessions is not None else default_max_sessions()
    if limit < 1:
        raise UsageError(f"trainer serve: --max-sessions must be at least 1, not {limit}")
    check_port(host, port)
    if not is_loopback(host):
        print(
            f"trainer serve: warning: listening on {host}, which other machines can reach, and "
            "trainer serve has no sign-in of its own: put it behind a reverse proxy that "
            "authenticates (see the README)",
            file=sys.stderr,
        )
        if not args.public_url:
            print(
                "trainer serve: browsers on other machines also need --public-url, the address "
                "they open (the page connects back to it)",
                file=sys.stderr,
            )
    me = psutil.Process()
    server = make_server(Server, command, host, port, args.public_url, limit, saves, me)
    # Every app process inherits this: one account for all browsers, so no sign-in is remembered.
    os.environ[SERVED_VARIABLE] = "1"
    try:
        server.serve()
    except OSError as error:
        raise TrainerError(f"serve: cannot listen on {host}:{port}: {_reason(error)}") from None
    finally:
        server.watchdog.cancel()
        end_apps(me)  # any the shutdown did not reach (a failed start, a second Ctrl+C)
    print("trainer serve: stopped", flush=True)
    return 0


def default_max_sessions(cores: int | None = None, memory: int | None = None) -> int:
    """Apps at once when `--max-sessions` is not given: SESSIONS_PER_CORE a processor core,
    and no more than half the machine's memory holds at APP_MEMORY each (at least 1)."""
    if cores is None:
        cores = os.cpu_count() or 1
    if memory is None:
        import psutil

        memory = int(psutil.virtual_memory().total)
    return max(1, min(SESSIONS_PER_CORE * cores, memory // 2 // APP_MEMORY))


def terminal_size(width: Any, height: Any) -> tuple[int, int]:
    """The size an app is given for what a page asks (numbers, or text from a URL): within
    MIN..MAX columns and rows; anything that is not a number gets 80 x 24."""
    return _within(width, 80, MIN_COLUMNS, MAX_COLUMNS), _within(height, 24, MIN_ROWS, MAX_ROWS)


def _within(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return max(low, min(high, number))


def full_page(limit: int) -> str:
    """The plain page a full server answers with."""
    taken = "The one place" if limit == 1 else f"All {limit} places"
    verb = "is" if limit == 1 else "are"
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>trainer: no free place</title></head>\n<body>\n"
        f"<h1>No free place just now</h1>\n<p>{taken} on this server {verb} in use. "
        "Try again in a few minutes; if it stays full, tell your facilitator.</p>\n"
        "</body></html>\n"
    )


def make_server(
    base: type[Any],
    command: str,
    host: str,
    port: int,
    public_url: str | None,
    limit: int,
    saves: Path,
    me: psutil.Process,
) -> Any:
    """textual-serve's Server (`base`), with plain start-up lines, the limits above, no
    listing of `/static/`, and a stop that one signal always completes."""
    import asyncio
    import logging
    import signal

    from aiohttp import web
    from aiohttp.web_runner import GracefulExit
    from textual_serve.app_service import AppService

    log = logging.getLogger("textual-serve")

    class SizeLimited:
        """An app service whose terminal can be resized only within the limits."""

        def __init__(self, service: AppService) -> None:
            self._service = service

        async def set_terminal_size(self, width: Any, height: Any) -> None:
            await self._service.set_terminal_size(*terminal_size(width, height))

        def __getattr__(self, name: str) -> Any:
            return getattr(self._service, name)

    class AppServer(base):  # type: ignore[misc]
        """textual-serve's server, bounded and with an end to its apps."""

        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title="trainer", public_url=public_url)
            self.limit = limit
            self.sessions = 0
            self.pages: dict[int, web.Request] = {}  # each open app's websocket request
            self.stopping = False
            self.watchdog = threading.Timer(STOP_SECONDS, self._stop_now)
            self.watchdog.daemon = True

        async def on_startup(self, app: Any) -> None:
            print(f"trainer serve: serving the app at {self.public_url}", flush=True)
            print(
                f"trainer serve: saves in {saves}; at most {limit} app(s) at once "
                "(--max-sessions); Ctrl+C stops it",
                flush=True,
            )

        async def on_shutdown(self, app: Any) -> None:
            # Before aiohttp waits for the open pages: once an app quits, textual-serve
            # closes its page's connection, so the server stops without waiting on browsers.
            await end_apps_async(me)
            # A page that does not read leaves its handler waiting to send it the app's
            # last frames, for ever: cut every page's connection.
            for request in list(self.pages.values()):
                transport = request.transport
                if transport is not None:
                    transport.abort()

        def request_exit(self) -> None:
            if not self.stopping:
                self.stopping = True
                self.watchdog.start()
            raise GracefulExit()

        def _stop_now(self) -> None:
            """The last resort, from the watchdog's thread: the loop did not finish."""
            print(
                f"trainer serve: still running {STOP_SECONDS:g} s after the signal to stop: "
                "ending the apps and the server",
                file=sys.stderr,
                flush=True,
            )
            end_apps(me, grace=1.0)
            os._exit(1)

        async def _make_app(self) -> web.Application:
            """textual-serve's routes, but `/static/` without a listing of its folder."""
            import aiohttp_jinja2
            import jinja2

            app = web.Application()
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
            app.add_routes(
                [
                    web.get("/", self.handle_index, name="index"),
                    web.get("/ws", self.handle_websocket, name="websocket"),
                    web.get("/download/{key}", self.handle_download, name="download"),
                    web.static("/static", self.statics_path, show_index=False, name="static"),
                ]
            )
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            if self.sessions >= self.limit:
                return self._full()
            response: web.StreamResponse = await super().handle_index(request)
            return response

        def _full(self) -> web.Response:
            return web.Response(
                status=503,
                text=full_page(self.limit),
                content_type="text/html",
                headers={"Retry-After": str(FULL_SECONDS), "Cache-Control": "no-store"},
            )

        async def _process_messages(self, websocket: Any, app_service: Any) -> None:
            await super()._process_messages(websocket, SizeLimited(app_service))

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            """textual-serve's own, with the limits: the session counted before anything
            is awaited (so a burst of connections cannot overshoot), the size bounded."""
            if self.sessions >= self.limit or self.stopping:
                return self._full()
            self.sessions += 1
            self.pages[id(request)] = request
            try:
                return await self._session(request)
            finally:
                self.sessions -= 1
                del self.pages[id(request)]

        async def _session(self, request: web.Request) -> web.WebSocketResponse:
            websocket = web.WebSocketResponse(heartbeat=15)
            width, height = terminal_size(
                request.query.get("width", "80"), request.query.get("height", "24")
            )
            app_service: AppService | None = None
            try:
                await websocket.prepare(request)
                app_service = AppService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,  # type: ignore[arg-type]
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await app_service.start(width, height)
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    await app_service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:
                log.exception(error)
            finally:
                if app_service is not None:
                    await app_service.stop()
            return websocket

        def serve(self, debug: bool = False) -> None:
            """textual-serve's own, with a short wait for open requests at the stop."""
            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.add_signal_handler(signal.SIGINT, self.request_exit)
                loop.add_signal_handler(signal.SIGTERM, self.request_exit)
            except NotImplementedError:
                pass
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=lambda *args: None,
                shutdown_timeout=SHUTDOWN_SECONDS,
            )

    return AppServer()


def app_command(saves: Path, modules: Path | None) -> str:
    """The shell command each browser's app process runs: this Python, this saves folder.

    textual-serve runs it through the shell; `exec` makes the app the server's own child,
    so the server can see it and end it.
    """
    argv = [sys.executable, "-m", "trainer", "--saves", str(saves)]
    if modules is not None:
        argv += ["--modules", str(modules)]
    if os.name == "nt":
        return subprocess.list2cmdline(argv)
    return "exec " + shlex.join(argv)


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` ("localhost", 127.x.x.x, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_port(host: str, port: int) -> None:
    """One plain line, before anything is served, if `host:port` cannot be listened on."""
    if not 0 < port < 65536:
        raise UsageError(f"trainer serve: --port must be between 1 and 65535, not {port}")
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise TrainerError(f"serve: cannot listen on {host}: {error.strerror}") from None
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            if os.name != "nt":
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                raise TrainerError(
                    f"serve: cannot listen on {host}:{port}: {_reason(error)}"
                ) from None


def _reason(error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return "the port is in use (choose another with --port)"
    if error.errno == errno.EACCES:
        return "permission denied (ports below 1024 need privileges; choose another with --port)"
    return (error.strerror or str(error)).lower()


def _apps(me: psutil.Process) -> list[psutil.Process]:
    import psutil

    try:
        return list(me.children(recursive=True))
    except psutil.Error:
        return []


def _running(process: psutil.Process) -> bool:
    import psutil

    try:
        return bool(process.is_running() and process.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def _stop(processes: list[psutil.Process], *, kill: bool = False) -> None:
    """Terminate (SIGTERM: the app saves and quits) or kill each process still there."""
    import psutil

    for process in processes:
        try:
            if kill:
                process.kill()
            else:
                process.terminate()
        except psutil.Error:
            pass


async def end_apps_async(me: psutil.Process, grace: float = GRACE_SECONDS) -> None:
    """Ask every app process to quit (SIGTERM: the app saves and exits), inside the server's
    loop so textual-serve sees them go; kill any still running after `grace` seconds."""
    import asyncio

    apps = _apps(me)
    _stop(apps)
    deadline = time.monotonic() + grace
    while any(_running(app) for app in apps) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    _kill_late([app for app in apps if _running(app)], grace)


def end_apps(me: psutil.Process, grace: float = GRACE_SECONDS) -> None:
    """The same, outside the loop, for any app process still left once the server stopped."""
    import psutil

    apps = _apps(me)
    if not apps:
        return
    _stop(apps)
    _, alive = psutil.wait_procs(apps, timeout=grace)
    _kill_late(alive, grace)
    psutil.wait_procs(alive, timeout=grace)


def _kill_late(apps: list[psutil.Process], grace: float) -> None:
    if apps:
        print(
            f"trainer serve: {len(apps)} app process(es) had not quit after {grace:g} s: killed",
            file=sys.stderr,
            flush=True,
        )
        _stop(apps, kill=True)
