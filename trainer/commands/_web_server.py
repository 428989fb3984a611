"""The web server of `trainer serve`: textual-serve's, bounded, with an end to its apps.

The bounds: at most `limit` apps at once (past it the page, and the app's websocket, answer
503 with `full_page`), no terminal larger than MAX_COLUMNS x MAX_ROWS whatever a page asks,
and `/static/` without a listing. The end: on a stop signal every app process the server
started is asked to quit (`end_apps_async`), killed GRACE_SECONDS later if still running,
and every page's connection is cut; a watchdog ends what is left after STOP_SECONDS. The
command around it (options, checks, the start) is `trainer.commands.serve`.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psutil

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
FULL_SECONDS = 60
"""What a full server tells a browser to wait before trying again (Retry-After)."""


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

        def announce(self, *_: object) -> None:
            """Say where the app is served, once the server listens: aiohttp calls this after
            its sites have started, so whoever waits for the line can connect at once."""
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
                print=self.announce,
                shutdown_timeout=SHUTDOWN_SECONDS,
            )

    return AppServer()


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
