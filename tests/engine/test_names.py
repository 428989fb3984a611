"""The engine package's names: one list (the imports under `TYPE_CHECKING` in
`trainer/engine/__init__.py`), which the type checkers read and the lazy names are read from."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import trainer.engine as engine

INIT = Path(engine.__file__)


def _typing_imports() -> dict[str, str]:
    """Every name the `TYPE_CHECKING` block imports, and from which of the engine's modules,
    as Python itself reads the block."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    (block,) = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    found: dict[str, str] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module, ast.unparse(node)
        for alias in node.names:
            assert alias.asname == alias.name, f"{alias.name} must be imported as itself"
            found[alias.name] = node.module.removeprefix("trainer.engine.")
    return found


def test_every_name_imported_for_the_type_checkers_is_a_lazy_name_from_the_same_module():
    assert _typing_imports() == engine._HOMES
    assert sorted(engine.__all__) == sorted(engine._HOMES)
    assert len(engine._HOMES) > 60  # the whole list was read, not the first lines of it


def test_every_name_is_its_modules_own():
    for name, home in engine._HOMES.items():
        assert getattr(engine, name) is getattr(import_module(f"trainer.engine.{home}"), name)


def test_without_the_files_text_every_name_is_still_found():
    found = engine._found_in_modules()
    for name, home in engine._HOMES.items():
        module = import_module(f"trainer.engine.{found[name]}")
        assert getattr(module, name) is getattr(import_module(f"trainer.engine.{home}"), name)


def test_importing_the_package_imports_none_of_its_modules():
    code = (
        "import sys, trainer.engine\n"
        "print(sorted(m for m in sys.modules if m.startswith('trainer.engine.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
