"""Finding and loading modules: by path, or by id in the module folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from trainer import paths
from trainer.content import MAX_BYTES, cache
from trainer.engine import Module
from trainer.errors import ModuleError

if TYPE_CHECKING:
    from trainer.content.problems import Report

_CACHE_SIZE = 64
_checked: dict[tuple[str, int, int], tuple[Module | None, Report | None, str]] = {}
"""Module files already checked in this process, keyed by path, modification time and size:
the module list and the app open the same files again and again, and a file that has not
changed need not be validated twice (a large module costs a second or more)."""


def _check_file(path: Path) -> tuple[Module | None, Report | None, str]:
    """The module built from a file (None when it has errors), its validation report (None
    when the module was found valid before: `cache`), and the sha256 of its bytes. Kept while
    the file is unchanged.

    Raises:
        OSError: the file cannot be read.
    """
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    checked = _checked.get(key)
    if checked is not None:
        return checked
    kept = cache.cached(stat) if stat.st_size <= MAX_BYTES else None
    if kept is not None:
        digest, module = kept
        report = None
    else:
        # The validator and the hashing are imported only here: a module found valid before
        # needs neither.
        import hashlib

        from trainer.content.validator import validate_text

        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        digest = hashlib.sha256(data).hexdigest()
        report = validate_text(data, str(path))
        module = report.module
        if module is not None:
            cache.keep(stat, digest, module)
    checked = (module, report, digest)
    if len(_checked) >= _CACHE_SIZE:
        _checked.pop(next(iter(_checked)))
    _checked[key] = checked
    return checked


def load_module(path: str | Path) -> Module:
    """Read and validate a module file; warnings do not stop it.

    Raises:
        ModuleError: the file cannot be read or has errors (the message names the first).
    """
    path = Path(path)
    try:
        module, report, digest = _check_file(path)
    except OSError as error:
        raise ModuleError(f"{path}: cannot read the module ({error.strerror})") from None
    if module is None:
        assert report is not None  # a module is missing only where validation found errors
        raise ModuleError(_summary(report))
    return msgspec.structs.replace(module, path=str(path), sha256=digest)


def _summary(report: Report) -> str:
    errors = [p for p in report.problems if p.severity == "error"]
    first = errors[0].format(report.path) if errors else report.path
    more = f" (and {len(errors) - 1} more; run 'trainer validate {report.path}')"
    return first + (more if len(errors) > 1 else "")


@dataclass(frozen=True)
class ModuleEntry:
    """A module found in a folder, for listing."""

    id: str
    title: str
    version: str
    decisions: int
    path: Path


def _peek_id(path: Path) -> str | None:
    """The `id` of a module file, read cheaply (None when it cannot be read)."""
    # Imported here, not with the module: opening a module found valid before (the cache)
    # parses nothing before the first frame, and the parser's import was part of it.
    import tomli

    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = tomli.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError):
        return None
    value = data.get("id")
    return value if isinstance(value, str) else None


def _candidates(modules_dir: str | None) -> list[Path]:
    found: list[Path] = []
    for folder in paths.module_dirs(modules_dir):
        if folder.is_dir():
            found.extend(sorted(p for p in folder.glob("*.toml") if p.is_file()))
    return found


def find_module(name_or_path: str, modules_dir: str | None = None) -> Path:
    """A module file: the path given, or the first module with this id in the module folders.

    Raises:
        ModuleError: no such file or id (the message lists the ids known).
    """
    given = Path(name_or_path)
    if given.suffix == ".toml" or "/" in name_or_path or given.is_file():
        if given.is_file():
            return given
        raise ModuleError(f"no module file {name_or_path}")
    known: list[str] = []
    for path in _candidates(modules_dir):
        module_id = _peek_id(path) or path.stem
        if module_id == name_or_path:
            return path
        known.append(module_id)
    listed = ", ".join(dict.fromkeys(known)) or "none found"
    raise ModuleError(f"no module {name_or_path!r}; known: {listed}")


def list_modules(modules_dir: str | None = None) -> tuple[list[ModuleEntry], list[Report]]:
    """Modules in the module folders (the first of an id wins), and reports of files with errors."""
    entries: list[ModuleEntry] = []
    broken: list[Report] = []
    seen: set[str] = set()
    for path in _candidates(modules_dir):
        try:
            module, report, _ = _check_file(path)
        except OSError:
            continue
        if module is None:
            assert report is not None
            broken.append(report)
            continue
        if module.id in seen:
            continue
        seen.add(module.id)
        entries.append(
            ModuleEntry(module.id, module.title, module.version, module.decision_count, path)
        )
    return entries, broken
