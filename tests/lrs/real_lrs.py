"""A real Ralph LRS on 127.0.0.1 with the file backend, in its own virtual environment.

Plain Python (no pytest), so the LRS tests and the push benchmark start it the same way
(not named ralph.py: the server script beside it would import it in place of Ralph):

    server = Ralph(folder)   # a new user in folder/app, statements in folder/data
    server.start()           # serves on a free port of 127.0.0.1 until server.stop()
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RALPH_PYTHON = ROOT / ".venv-ralph" / "bin" / "python"
SERVER = Path(__file__).with_name("ralph_server.py")
USER, PASSWORD = "trainer-test", "not-a-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Ralph:
    """A running Ralph, its URL, and how to stop and start it again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        self.env = {
            **os.environ,
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_APP_DIR": str(folder / "app"),
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
        }
        (folder / "app").mkdir(parents=True, exist_ok=True)
        (folder / "data").mkdir(parents=True, exist_ok=True)
        ralph_cli = RALPH_PYTHON.parent / "ralph"
        subprocess.run(
            [
                str(ralph_cli),
                "auth",
                "-u",
                USER,
                "-p",
                PASSWORD,
                "-s",
                "all",
                "-M",
                "mailto:trainer-test@example.org",
                "-w",
            ],
            env=self.env,
            check=True,
            capture_output=True,
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(RALPH_PYTHON), str(SERVER), str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1
                ):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("Ralph did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
