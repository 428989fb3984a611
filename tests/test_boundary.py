"""The architecture's one-way dependencies, checked by importing in a fresh interpreter."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PURE = ["trainer.engine", "trainer.content", "trainer.saves", "trainer.cohort", "trainer.debrief_markdown"]


@pytest.mark.parametrize("module", PURE)
def test_importing_does_not_import_textual(module):
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_engine_imports_no_rich_either():
    code = "import sys, trainer.engine\nassert 'rich' not in sys.modules\n"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    "argv", [["--version"], ["validate", "--help"], ["export", "--help"], ["modules", "--help"]]
)
def test_fast_commands_do_not_import_textual(argv):
    code = (
        "import sys\nfrom trainer.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "assert 'textual' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def contract_layers() -> list[str]:
    """The layers of the import-linter contract in pyproject.toml, top first."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    return list(layers)


def below_and_beside() -> list[tuple[str, list[str]]]:
    """Each package of a layer (the top one aside) with the packages it must not load."""
    layers = contract_layers()
    cases = []
    for index, layer in enumerate(layers[1:], start=1):
        above = [name.strip() for higher in layers[:index] for name in re.split(r"[|:]", higher)]
        names = [name.strip() for name in re.split(r"[|:]", layer)]
        for name in names:
            siblings = [other for other in names if other != name] if "|" in layer else []
            cases.append((name, above + siblings))
    return cases


@pytest.mark.parametrize(
    ("package", "forbidden"), below_and_beside(), ids=[case[0] for case in below_and_beside()]
)
def test_importing_a_layer_loads_nothing_above_or_beside_it(package, forbidden):
    """The layers contract at run time too, where an import by name (importlib) shows."""
    code = (
        "import importlib, pkgutil, sys\n"
        f"module = importlib.import_module({package!r})\n"
        f"for info in pkgutil.walk_packages(getattr(module, '__path__', []), {package + '.'!r}):\n"
        "    importlib.import_module(info.name)\n"
        f"forbidden = {forbidden!r}\n"
        "loaded = [m for m in sys.modules if any(m == f or m.startswith(f + '.') for f in forbidden)]\n"
        "assert not loaded, sorted(loaded)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


FIRST_FRAME = """
import json, sys
from textual.app import App

seen = []

async def first_frame(pilot):
    await pilot.pause()
    seen.extend(sys.modules)
    pilot.app.exit()

run = App.run

def headless(self, *args, **kwargs):
    return run(self, headless=True, size=(80, 24), auto_pilot=first_frame)

App.run = headless
from trainer.cli import main

assert main(sys.argv[1:]) == 0
print(json.dumps(sorted(seen)))
"""
"""`trainer ARGS...` headless at 80x24 to its first frame; prints the modules loaded by then."""

TUTORIAL = str(ROOT / "modules" / "tutorial-riverside.toml")
NO_CASE_FILE = str(ROOT / "tests" / "fixtures" / "format2.toml")
"""A module without a case file: opening it makes none of the case file's classes."""
LATER_SCREENS = [
    "textual.widgets._footer",
    "trainer.tui.screens.playing",
    "trainer.tui.screens.debrief",
    "trainer.tui.screens.module_list",
    "trainer.tui.render",
    "trainer.debrief_markdown",
    "trainer.cohort",
]


@pytest.mark.parametrize(
    ("argv", "forbidden"),
    [
        (
            ["play", TUTORIAL, "--facilitator"],
            [*LATER_SCREENS, "trainer.tui.screens.signin", "trainer.saves", "filelock", "slugify"]
            + ["trainer.engine.playthrough", "trainer.engine.facing"]
            # A module found valid before is unpickled from the cache: no TOML is parsed, and
            # the file is not read or hashed (no OpenSSL).
            + ["tomli", "trainer.content.validator", "hashlib"],
        ),
        (
            [],
            [*LATER_SCREENS, "trainer.tui.screens.notice", "trainer.session"]
            + ["trainer.content", "filelock", "slugify", "importlib.metadata"]
            + ["trainer.saves.store", "trainer.saves.format", "trainer.engine.model"]
            # Every browser's app under `trainer serve` starts here: no crypto library; and
            # a first sign-in has no remembered name to parse.
            + ["secrets", "hashlib", "tomli", "tomli_w", "trainer.saves.atomic"],
        ),
        (
            ["play", TUTORIAL, "--learner", "Sam"],
            # A plain ASCII name is made a learner id without python-slugify; the scoring, the
            # validator (of a module validated before) and, for an attempt not yet begun, the
            # play-through wait for their first use. A new learner's folder and save are
            # written, not read: no TOML is parsed, and no answer, draft or opened item made.
            # The save's lock is one `flock`, without filelock; nothing is hashed.
            [*LATER_SCREENS, "trainer.tui.screens.signin", "importlib.metadata", "slugify"]
            + ["filelock", "hashlib", "secrets"]
            + ["trainer.engine.scoring", "trainer.content.validator"]
            + ["trainer.engine.playthrough", "trainer.engine.facing"]
            + ["tomli", "trainer.engine.answer", "trainer.engine.opened"]
            + ["trainer.engine.plain_answer"],
        ),
        (
            ["play", NO_CASE_FILE, "--facilitator"],
            [*LATER_SCREENS, "trainer.saves", "filelock", "tomli", "trainer.engine.case_items"],
        ),
        (
            ["play", NO_CASE_FILE, "--learner", "Sam"],
            [*LATER_SCREENS, "tomli", "trainer.engine.answer", "trainer.engine.case_items"]
            + ["filelock"],
        ),
    ],
    ids=[
        "facilitator preview",
        "sign-in",
        "learner",
        "preview of a module without a case file",
        "learner of a module without a case file",
    ],
)
def test_a_first_frame_loads_only_what_its_screen_needs(argv, forbidden, tmp_path):
    """Each way into the app imports what its first screen shows and no more: without a
    bytecode cache every module imported is compiled too, before the first frame. Textual's
    footer is one of them: it builds a widget per key and rebuilds them after the first
    frame; the key line only repaints. The preview's first notice needs the module, not the
    play-through. The second start is the one checked: each into a new saves folder, the
    first validating the module and the second reading it from the cache of modules found
    valid."""
    for start in range(2):
        done = subprocess.run(
            [sys.executable, "-c", FIRST_FRAME, "--saves", str(tmp_path / str(start)), *argv],
            check=True,
            capture_output=True,
            text=True,
        )
    loaded = json.loads(done.stdout.splitlines()[-1])
    early = [m for m in loaded if any(m == f or m.startswith(f + ".") for f in forbidden)]
    assert not early, early
