"""`trainer serve` in a real headless Chromium: keys typed in the page reach the app, each
page is its own app process on the one saves folder, no trainee is offered another's name,
and nothing is left after Ctrl+C."""

from __future__ import annotations

import sys
from pathlib import Path

import psutil

from tests.web.browser import Served, Terminal, wait_until

TRAINEES = [("Sam Okafor", "autumn-2026"), ("Ada Nwosu", "autumn-2026")]


def still_running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def learner_folder(saves: Path, name: str) -> Path | None:
    """The learner folder in the saves folder that names this trainee, if there is one."""
    if not saves.is_dir():
        return None
    for folder in saves.iterdir():
        learner = folder / "learner.toml"
        if learner.is_file() and name in learner.read_text(encoding="utf-8", errors="replace"):
            return folder
    return None


def sign_in(page: Terminal, served: Served, name: str, cohort: str) -> None:
    """Type a name and a cohort at the sign-in screen, each with Enter, as a trainee would."""
    page.wait_for_text("Your name")
    page.type(name)
    page.press("Enter")
    page.type(cohort)
    page.press("Enter")
    # The learner's folder appears in the one saves folder: the keys reached the app.
    wait_until(
        lambda: learner_folder(served.saves, name) is not None,
        f"{name}'s folder in {served.saves}",
        page=page.page,
    )


def test_two_browsers_sign_in_through_the_page_and_ctrl_c_ends_every_app(serve, browser, tmp_path):
    served = serve()
    server = psutil.Process(served.process.pid)
    pages = []
    for name, cohort in TRAINEES:
        page = Terminal(browser, served.url)
        pages.append(page)
        sign_in(page, served, name, cohort)

    # Each page signed in at a blank sign-in: all the apps run as the server's account, so
    # none remembers a name in its config folder for the next browser to be offered.
    assert not served.config_file.exists()

    # One app process per page, each the server's own child, each on the saves folder given.
    apps = server.children(recursive=True)
    assert len(apps) == len(TRAINEES), [app.cmdline() for app in apps]
    for app in apps:
        command = app.cmdline()
        assert command[:3] == [sys.executable, "-m", "trainer"]
        assert command[command.index("--saves") + 1] == str(served.saves)
    assert {learner_folder(served.saves, name) for name, _ in TRAINEES} == set(
        served.saves.iterdir()
    )

    pages[0].page.wait_for_timeout(500)  # the module list drawn after the sign-in
    screenshot = tmp_path / "signed-in.png"
    pages[0].page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 1000

    # A page closed ends its own app (the later one started); the other goes on.
    first, second = sorted(apps, key=lambda app: app.create_time())
    pages[1].page.close()
    wait_until(
        lambda: not still_running(second), "the closed page's app to end", page=pages[0].page
    )
    assert still_running(first)

    assert served.interrupt() == 0, served.stderr()
    assert "trainer serve: stopped" in served.stdout()
    assert "killed" not in served.stderr(), "every app quit by itself when asked"
    assert "Traceback" not in served.stdout() + served.stderr()
    left = [app for app in apps if still_running(app)]
    assert not left, [app.cmdline() for app in left]
    # Nor anything else started on this saves folder, wherever it was reparented.
    strays = []
    for process in psutil.process_iter(["cmdline"]):
        if str(served.saves) in " ".join(process.info["cmdline"] or []) and still_running(process):
            strays.append(process.info["cmdline"])
    assert not strays
    pages[0].page.close()


def test_sigterm_ends_the_app_of_a_page_still_open(serve, browser):
    served = serve()
    page = Terminal(browser, served.url)
    page.wait_for_text("Your name")
    apps = psutil.Process(served.process.pid).children(recursive=True)
    assert len(apps) == 1
    served.process.terminate()
    assert served.process.wait(timeout=30) == 0, served.stderr()
    assert "killed" not in served.stderr()
    assert not [app for app in apps if still_running(app)]
    page.page.close()
