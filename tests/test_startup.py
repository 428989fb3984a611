"""The garbage collector is held from the command line's start to the app's first frame,
and only then: each case runs in a fresh interpreter, as the collector is the process's."""

import json
import subprocess
import sys
import textwrap

import pytest

from tests.tui.helpers import TUTORIAL

APP = """
import gc, json, sys
from textual.app import App
import trainer.tui.factory as tui

seen = {}
build = tui.build_app
def watched_build(**kwargs):
    seen["building"] = gc.isenabled()
    return build(**kwargs)
tui.build_app = watched_build

async def first_frame(pilot):
    await pilot.pause()
    seen["after the first frame"] = gc.isenabled()
    seen["frozen"] = gc.get_freeze_count()
    pilot.app.exit()

run = App.run
App.run = lambda self, **kwargs: run(self, headless=True, size=(80, 24), auto_pilot=first_frame)

from trainer.cli import main
seen["status"] = main(sys.argv[1:])
seen["after"] = gc.isenabled()
print(json.dumps(seen))
"""


def run_cli(code: str, argv: list[str]) -> dict:
    """Run `code` with argv in a fresh interpreter (in this test's own user folders)."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *argv],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    "argv",
    [
        ["play", "MODULE", "--learner", "Ann"],
        ["play", "MODULE", "--facilitator"],
        [],
    ],
    ids=["new learner", "preview", "sign-in"],
)
def test_the_app_starts_without_collecting_and_collects_after_its_first_frame(argv, tmp_path):
    argv = ["--saves", str(tmp_path), *[str(TUTORIAL) if a == "MODULE" else a for a in argv]]
    seen = run_cli(APP, argv)
    assert seen["status"] == 0
    assert seen["building"] is False
    assert seen["after the first frame"] is True and seen["frozen"] > 10_000
    assert seen["after"] is True


COMMAND = """
import gc, json, sys
import trainer.commands.modules as command
seen = {}
run = command.run
def watched(args):
    seen["running"] = gc.isenabled()
    return run(args)
command.run = watched
from trainer.cli import main
seen["status"] = main(sys.argv[1:])
seen["after"] = gc.isenabled()
seen["frozen"] = gc.get_freeze_count()
print(json.dumps(seen))
"""


def test_a_command_that_opens_no_app_collects_while_it_runs():
    seen = run_cli(COMMAND, ["modules"])
    assert seen == {"running": True, "status": 0, "after": True, "frozen": 0}


def test_a_usage_error_leaves_the_collector_running():
    code = "import gc, json\nfrom trainer.cli import main\n"
    code += "print(json.dumps([main(['no-such-command']), gc.isenabled()]))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert json.loads(result.stdout) == [2, True]


def test_a_collector_stopped_by_the_caller_stays_stopped():
    code = "import gc, json\nfrom trainer.cli import main\ngc.disable()\n"
    code += "print(json.dumps([main(['modules']), gc.isenabled()]))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert json.loads(result.stdout.splitlines()[-1]) == [0, False]
