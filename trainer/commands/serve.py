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
it kills what is left and exits. The server, with these bounds and this end, is
`trainer.commands._web_server`; this module is the command around it.
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
from pathlib import Path

from trainer import paths
from trainer.commands._web_server import end_apps, make_server
from trainer.commands.open_app import SERVED_VARIABLE
from trainer.errors import TrainerError, UsageError

NEEDS_WEB = "trainer serve needs the web extra: pip install 'trainer[web]'"
APP_MEMORY = 64 * 2**20
"""Memory one app process is allowed for in the default limit: an app holds about 40 MB,
at any size up to the largest."""
SESSIONS_PER_CORE = 16
"""Apps at once per processor core in the default limit: an app idles between key presses,
but each start costs about a second of processor time."""


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
