"""`trainer serve`: the app in web browsers, with textual-serve (the `web` extra).

Each browser tab that opens the page gets its own app process, started as
`python -m trainer --saves DIR [--modules DIR]` with the server's own Python,
so every trainee plays into the one saves folder. The apps all run as the
server's account, so none remembers a sign-in for the next browser. The server
has no sign-in of its own: it binds 127.0.0.1 unless told otherwise, and says
so when it is not.

Stopping the server (Ctrl+C, SIGINT or SIGTERM) ends every app process it
started: each is asked to quit as the app's own `q` would (the save is written
and released), and any still running a few seconds later is killed.
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

    class AppServer(Server):
        """textual-serve's server, with plain start-up lines and an end to its apps."""

        async def on_startup(self, app: Any) -> None:
            print(f"trainer serve: serving the app at {self.public_url}", flush=True)
            print(f"trainer serve: saves in {saves}; Ctrl+C stops it", flush=True)

        async def on_shutdown(self, app: Any) -> None:
            # Before aiohttp waits for the open pages: once an app quits, textual-serve
            # closes its page's connection, so the server stops without waiting on browsers.
            await end_apps_async(me)

    server = AppServer(command, host=host, port=port, title="trainer", public_url=args.public_url)
    # Every app process inherits this: one account for all browsers, so no sign-in is remembered.
    os.environ[SERVED_VARIABLE] = "1"
    try:
        server.serve()
    except OSError as error:
        raise TrainerError(f"serve: cannot listen on {host}:{port}: {_reason(error)}") from None
    finally:
        end_apps(me)  # any the shutdown did not reach (a failed start, a second Ctrl+C)
    print("trainer serve: stopped", flush=True)
    return 0


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
