"""The architecture's one-way dependencies, checked by importing in a fresh interpreter."""

import subprocess
import sys

import pytest

PURE = ["trainer.engine", "trainer.content", "trainer.saves", "trainer.cohort", "trainer.debrief"]


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
