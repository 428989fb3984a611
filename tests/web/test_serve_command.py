"""`trainer serve` as a command: its plain lines (no web extra, a port in use, bound beyond
this machine), the command each browser's app runs, and the address the page connects to."""

from __future__ import annotations

import shlex
import socket
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.web.browser import need
from trainer.cli import main
from trainer.commands.serve import NEEDS_WEB, app_command, is_loopback


@pytest.mark.parametrize("missing", ["textual_serve", "psutil"])
def test_without_the_web_extra_it_says_how_to_install_it(missing, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, missing, None)  # import fails as if not installed
    assert main(["serve"]) == 2
    captured = capsys.readouterr()
    assert captured.err == NEEDS_WEB + "\n"
    assert captured.out == ""


def test_a_port_in_use_is_one_plain_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"127.0.0.1:{port}" in err and "in use" in err and "--port" in err


def test_a_port_out_of_range_is_a_usage_error(capsys):
    assert main(["serve", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err


def test_each_browsers_app_runs_this_python_on_the_saves_folder_given(tmp_path):
    saves, modules = tmp_path / "cohort saves", tmp_path / "our modules"
    command = shlex.split(app_command(saves, modules))
    assert command == [
        "exec",
        sys.executable,
        "-m",
        "trainer",
        "--saves",
        str(saves),
        "--modules",
        str(modules),
    ]
    assert "--modules" not in app_command(saves, None)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("trainer.example.org", False),
    ],
)
def test_what_counts_as_this_machine_only(host, loopback):
    assert is_loopback(host) is loopback


def page_html(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def test_on_loopback_it_serves_quietly_and_the_page_connects_back_to_it(serve):
    served = serve()
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page_html(served.url)
    assert served.interrupt() == 0
    assert "warning" not in served.stderr()
    assert Path(served.saves).is_absolute()
    assert f"saves in {served.saves}" in served.stdout()


def test_bound_beyond_this_machine_it_warns_it_has_no_sign_in_of_its_own(serve):
    served = serve(host="0.0.0.0")
    assert served.interrupt() == 0
    lines = served.stderr().splitlines()
    assert any(
        "warning" in line
        and "0.0.0.0" in line
        and "no sign-in of its own" in line
        and "reverse proxy that authenticates" in line
        for line in lines
    ), lines
    assert any("--public-url" in line for line in lines), lines
    assert "Traceback" not in served.stderr()


def test_behind_a_proxy_the_page_connects_to_the_public_url(serve):
    served = serve("--public-url", "https://trainer.example.org")
    assert 'data-session-websocket-url="wss://trainer.example.org/ws"' in page_html(served.url)
    assert served.interrupt() == 0
    assert "warning" not in served.stderr()


def test_under_ci_a_missing_browser_fails_rather_than_skips(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        need(False, "chromium is not installed")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        need(False, "chromium is not installed")
