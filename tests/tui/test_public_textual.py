"""The app uses Textual's public API only, so that taking a new Textual is a version bump and a
snapshot review, not a code change."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, OptionList, Static, TextArea

import trainer

PACKAGE = Path(trainer.__file__).parent


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def textual_private_names() -> set[str]:
    """Every private name of the Textual classes the app builds on: those of the classes
    (methods, class attributes) and those their instances set (`_compositor`, ...)."""
    names: set[str] = set()
    instances: list[object] = [
        App(),
        Screen(),
        ModalScreen(),
        Widget(),
        Static("x"),
        Vertical(),
        Horizontal(),
        VerticalScroll(),
        OptionList("x"),
        Input(),
        TextArea(),
        Button("x"),
        Label("x"),
        Footer(),
        Binding("x", "y"),
    ]
    for instance in instances:
        names.update(n for n in dir(type(instance)) if _private(n))
        names.update(n for n in vars(instance) if _private(n))
    return names


def own_names(tree: ast.AST) -> set[str]:
    """The names a module gives things itself (methods, attributes it assigns): its own, even
    where Textual happens to use the same name inside its classes."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.attr for t in targets if isinstance(t, ast.Attribute))
    return names


def other_modules(tree: ast.AST) -> set[str]:
    """The names bound to modules other than Textual's (`os`, `sys`): `os._exit` is not
    Textual's."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound.update(
                (a.asname or a.name).split(".")[0]
                for a in node.names
                if not a.name.startswith("textual")
            )
    return bound


def private_uses(source: str) -> list[tuple[int, str]]:
    """Where a source reaches for a private name of Textual's: an attribute of that name (not
    one the module defines itself, nor one of another module's), a private name imported from
    Textual, or a private Textual module."""
    tree = ast.parse(source)
    private = textual_private_names() - own_names(tree)
    modules = other_modules(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in private:
            if not (isinstance(node.value, ast.Name) and node.value.id in modules):
                found.append((node.lineno, node.attr))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
            parts = (node.module or "").split(".")
            names = [alias.name for alias in node.names]
            found += [(node.lineno, n) for n in parts + names if _private(n)]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("textual"):
                    found += [(node.lineno, p) for p in alias.name.split(".") if _private(p)]
    return found


def test_the_scan_finds_a_private_call():
    """The check itself: a call such as the one the app once made is found."""
    source = "def f(screen, app, cb):\n    screen._push_result_callback(app, cb)\n"
    assert private_uses(source) == [(2, "_push_result_callback")]
    assert private_uses("from textual._compositor import Compositor\n")
    assert private_uses("x.screen._compositor.clear()\n") == [(1, "_compositor")]
    assert private_uses("self._view = None\n") == []  # a name of ours, none of Textual's
    assert private_uses("self._lines = {}\nprint(self._lines)\n") == []  # ours, as Textual's
    assert private_uses("import os\nos._exit(1)\n") == []  # another module's


def test_no_module_uses_a_private_textual_name():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, name in private_uses(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {name}")
    assert offenders == []
