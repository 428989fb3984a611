"""The maintainer's docs match the code: the architecture page's layers are the import
contract's, the files the docs name exist, and no comment or docstring carries a timing
figure (measurements live in docs/performance.md, where they can be dated and re-taken).

The authoring guide, the facilitator's doc, is checked against the validator in
tests/validation/test_docs.py.
"""

from __future__ import annotations

import ast
import io
import pkgutil
import re
import tokenize
import tomllib
from pathlib import Path

import pytest

import trainer

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "trainer"
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
MAINTAINER_DOCS = ["docs/architecture.md", "CONTRIBUTING.md"]

TIMING = re.compile(
    r"\d[\d,.]*\s*(?:ms|µs|μs|ns|milliseconds?|microseconds?|nanoseconds?)\b", re.IGNORECASE
)
"""A figure in milliseconds or finer, as a measurement is written."""


def contracts() -> list[dict]:
    """The import-linter contracts in pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def section(text: str, heading: str) -> str:
    """The text under a `## heading`, up to the next heading of that level."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/architecture.md has no section {heading!r}"
    return match.group(1)


def tables(text: str) -> list[list[list[str]]]:
    """The Markdown tables in `text`, in order: each a list of its body rows, each row a list
    of cells (`\\|` inside a cell is a pipe, as GitHub reads it)."""
    found: list[list[list[str]]] = []
    rows: list[list[str]] | None = None
    for line in text.splitlines():
        if not line.startswith("|"):
            rows = None
            continue
        if rows is None:  # the header row starts a table
            rows = []
            found.append(rows)
        elif not set(line) <= set("|-: "):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            rows.append([cell.strip().replace("\\|", "|") for cell in cells])
    return found


def names_in(cell: str) -> list[str]:
    """The code spans of a cell, in order."""
    return re.findall(r"`([^`]+)`", cell)


# -- the layers ------------------------------------------------------------------------------


def documented_layers() -> list[str]:
    """The first column of the layers table, top first."""
    layers, _ = tables(section(ARCHITECTURE, "The layers"))
    return [names_in(row[0])[0] for row in layers]


def test_the_architecture_page_lists_the_contracts_layers_in_order():
    (layers,) = [c["layers"] for c in contracts() if c["type"] == "layers"]
    assert documented_layers() == layers


def test_the_architecture_page_lists_every_forbidden_import():
    wanted = {
        (source, forbidden)
        for contract in contracts()
        if contract["type"] == "forbidden"
        for source in contract["source_modules"]
        for forbidden in contract["forbidden_modules"]
    }
    _, forbidden_imports = tables(section(ARCHITECTURE, "The layers"))
    documented = {
        (source, forbidden)
        for row in forbidden_imports
        for source in names_in(row[0])
        for forbidden in names_in(row[1])
    }
    assert documented == wanted


def test_every_top_level_module_is_placed_on_the_architecture_page():
    """A new package or top-level module is either a layer or named as outside the contract."""
    layers = {name.strip() for layer in documented_layers() for name in layer.split("|")}
    text = section(ARCHITECTURE, "The layers")
    unplaced = [
        info.name
        for info in pkgutil.iter_modules(trainer.__path__)
        if f"trainer.{info.name}" not in layers
        and f"`trainer/{info.name}{'' if info.ispkg else '.py'}`" not in text
    ]
    assert not unplaced, f"not on docs/architecture.md: {unplaced}"


# -- files the docs name ------------------------------------------------------------------------

FILE_NAME = re.compile(r"`([\w./-]+\.(?:py|tcss|j2|toml|md))`")


def repository_files() -> list[str]:
    """Every file of the repository, as a path from its top."""
    skip = {".git", ".venv", ".venv-ralph", "__pycache__", ".mypy_cache", ".ruff_cache"}
    return [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*")
        if path.is_file() and not skip & set(path.relative_to(ROOT).parts)
    ]


@pytest.mark.parametrize("doc", MAINTAINER_DOCS)
def test_every_file_a_maintainers_doc_names_exists(doc):
    """A path in backticks names a file, from the top of the repository or from any folder
    in it (`engine/playthrough.py`, `screens/play.tcss`): a rename shows up here."""
    files = repository_files()
    named = set(FILE_NAME.findall((ROOT / doc).read_text(encoding="utf-8")))
    assert named, doc
    missing = sorted(
        name for name in named if not any(f == name or f.endswith("/" + name) for f in files)
    )
    assert not missing, f"{doc} names files that do not exist: {missing}"


# -- no timing figures in the code ---------------------------------------------------------------


def comments_and_docstrings(source: str) -> list[tuple[int, str]]:
    """Each comment block (consecutive comment lines, joined) and each docstring of a
    module's source, with its first line: a figure split over two lines is still found."""
    found: list[tuple[int, str]] = []
    block: list[str] = []
    start = last = 0
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        line = token.start[0]
        if block and line != last + 1:
            found.append((start, " ".join(block)))
            block = []
        if not block:
            start = line
        block.append(token.string.lstrip("#").strip())
        last = line
    if block:
        found.append((start, " ".join(block)))
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found.append((node.lineno, " ".join(node.value.value.split())))
    return found


def timing_figures(source: str) -> list[tuple[int, str]]:
    """Each timing figure in a module's comments and docstrings, with the line it starts on."""
    return [
        (line, match.group())
        for line, text in comments_and_docstrings(source)
        for match in TIMING.finditer(text)
    ]


def test_the_check_finds_a_figure_in_a_comment_or_a_docstring_even_over_two_lines():
    source = (
        '"""A module.\n\nThis took about 28\nms before."""\n'
        "X = 1\n"
        '"""An attribute: 2.5 ms."""\n'
        "# a comment: 150 ms of\n# the 330 ms\n"
        "def f():\n"
        '    """Fast: 0.3 µs."""\n'
        "    return '12 ms'  # a string in code is not a comment\n"
    )
    assert sorted(timing_figures(source)) == [
        (1, "28 ms"),
        (6, "2.5 ms"),
        (7, "150 ms"),
        (7, "330 ms"),
        (10, "0.3 µs"),
    ]


def test_the_check_leaves_words_and_sizes_alone():
    source = (
        '"""Renewed every few seconds; 20 KB of ids; HOLD_POLL_SECONDS; 10 MB; 3 items."""\n'
        "# a 413s answer, 2 msgs, the terms of 5 sessions\n"
    )
    assert timing_figures(source) == []


def test_no_comment_or_docstring_in_the_package_gives_a_timing_figure():
    """Figures go stale with every Textual or CPython release: the code says why, and
    docs/performance.md ("Figures behind the code") says how much, and when."""
    found = [
        f"{path.relative_to(ROOT)}:{line}: {figure}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, figure in timing_figures(path.read_text(encoding="utf-8"))
    ]
    assert not found, "move these to docs/performance.md:\n" + "\n".join(found)
