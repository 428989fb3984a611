"""The house rules a maintainer can check: file sizes, complexity, module names, declared imports.

The limits are the ones the project holds itself to (CONTRIBUTING.md, "Keeping the house"):
no module over 600 lines and at most six over 400; at most 30 blocks graded C or worse by
radon and none graded E or F; no two modules with the same base name; every package the
code imports declared in pyproject.toml.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

from radon.complexity import cc_rank, cc_visit

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "trainer"
MODULES = sorted(PACKAGE.rglob("*.py"))


def lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_over_600_lines_and_at_most_six_are_over_400():
    sizes = {str(p.relative_to(ROOT)): lines(p) for p in MODULES}
    assert {p: n for p, n in sizes.items() if n > 600} == {}
    over_400 = {p: n for p, n in sizes.items() if n > 400}
    assert len(over_400) <= 6, over_400


def blocks_graded(grades: str) -> list[str]:
    found = []
    for path in MODULES:
        for block in cc_visit(path.read_text(encoding="utf-8")):
            rank = cc_rank(block.complexity)
            if rank in grades:
                found.append(f"{path.relative_to(ROOT)}:{block.lineno} {block.name} {rank}")
    return found


def test_at_most_30_blocks_are_graded_c_or_worse_and_none_e_or_f():
    assert blocks_graded("EF") == []
    c_or_worse = blocks_graded("CDEF")
    assert len(c_or_worse) <= 30, "\n".join(c_or_worse)


def test_no_two_modules_share_a_base_name():
    names = Counter(p.name for p in MODULES if p.name not in ("__init__.py", "__main__.py"))
    assert [name for name, n in names.items() if n > 1] == []


def imported_top_levels() -> set[str]:
    found: set[str] = set()
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"trainer", "__future__"}


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    return {re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].lower().replace("_", "-") for spec in specs}


def test_every_package_the_code_imports_is_declared():
    distributions = importlib.metadata.packages_distributions()
    undeclared = {}
    for name in sorted(imported_top_levels()):
        dists = {d.lower().replace("_", "-") for d in distributions.get(name, [name])}
        if not dists & declared():
            undeclared[name] = sorted(dists)
    assert undeclared == {}
