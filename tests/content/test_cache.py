"""The cache of modules found valid: the same module as validation builds, never a broken one,
and nothing lost where it is damaged or cannot be written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.content import cache, library, load_module
from trainer.errors import ModuleError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "modules").glob("*.toml"))
TUTORIAL = ROOT / "modules" / "tutorial-riverside.toml"

LOAD = """
import json, sys
from trainer.content import load_module
module = load_module(sys.argv[1])
print(json.dumps({"validator": "trainer.content.validator" in sys.modules, "id": module.id}))
"""
"""Load a module in a fresh process: was the validator imported?"""


@pytest.fixture(autouse=True)
def fresh_process_cache():
    """Each test starts as a new process would: nothing checked yet in this one."""
    library._checked.clear()
    yield
    library._checked.clear()


def load_in_process(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", LOAD, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def entries() -> list[Path]:
    return sorted(cache.folder().glob("*.pickle")) if cache.folder().is_dir() else []


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_cached_module_is_the_module_validation_builds(path):
    built = load_module(path)  # validated, then kept
    assert len(entries()) == 1
    library._checked.clear()
    again = load_module(path)  # from the cache
    assert again == built
    assert again.sha256 == built.sha256 and again.path == str(path)


def test_a_second_run_does_not_import_the_validator():
    assert load_in_process(TUTORIAL) == {"validator": True, "id": "tutorial-riverside"}
    assert load_in_process(TUTORIAL) == {"validator": False, "id": "tutorial-riverside"}


def test_a_copy_elsewhere_is_the_same_module_with_its_own_path(tmp_path):
    built = load_module(TUTORIAL)
    library._checked.clear()
    copy = tmp_path / "copy.toml"
    copy.write_bytes(TUTORIAL.read_bytes())
    module = load_module(copy)  # another file: validated, and kept as its own entry
    assert module.path == str(copy)
    assert module.sha256 == built.sha256
    assert len(entries()) == 2
    library._checked.clear()
    assert load_in_process(copy)["validator"] is False


def test_a_file_written_again_is_validated_again_whatever_its_size_and_time(tmp_path):
    """The same size and the modification time set back: the change time, which no program
    sets, still tells the entry is not the file's."""
    module = tmp_path / "module.toml"
    text = TUTORIAL.read_text(encoding="utf-8")
    module.write_text(text, encoding="utf-8")
    before = module.stat()
    assert load_module(module).title == "Tutorial: the Riverside referral (fictional)"
    library._checked.clear()
    changed = text.replace("referral (fictional)", "referral (fictionaL)", 1)
    assert len(changed) == len(text)
    module.write_text(changed, encoding="utf-8")
    os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert module.stat().st_size == before.st_size
    assert module.stat().st_mtime_ns == before.st_mtime_ns
    assert load_module(module).title == "Tutorial: the Riverside referral (fictionaL)"


def test_a_broken_module_is_never_kept_and_always_reported(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(TUTORIAL.read_text(encoding="utf-8").replace('id = "', 'id = "Bad Id ', 1))
    for _ in range(2):
        library._checked.clear()
        with pytest.raises(ModuleError, match="E201"):
            load_module(broken)
    assert entries() == []


def test_an_edited_module_is_validated_again(tmp_path):
    module = tmp_path / "module.toml"
    module.write_bytes(TUTORIAL.read_bytes())
    load_module(module)
    library._checked.clear()
    module.write_text(module.read_text(encoding="utf-8") + "\nunknown = [", encoding="utf-8")
    with pytest.raises(ModuleError, match="E001"):
        load_module(module)


@pytest.mark.parametrize(
    "damage", [b"", b"not a pickle", b"\x80\x05\x95garbage", b"\x80\x04N."], ids=repr
)
def test_a_damaged_entry_is_ignored_and_replaced(damage):
    built = load_module(TUTORIAL)
    (entry,) = entries()
    entry.write_bytes(damage)
    library._checked.clear()
    assert load_module(TUTORIAL) == built
    assert entry.read_bytes() != damage  # written again after validating


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permissions")
def test_a_cache_folder_that_cannot_be_written_loses_nothing():
    cache.folder().mkdir(parents=True)
    cache.folder().chmod(0o500)
    try:
        assert load_module(TUTORIAL).id == "tutorial-riverside"
        assert entries() == []
    finally:
        cache.folder().chmod(0o700)


def test_a_cache_folder_in_the_place_of_a_file_loses_nothing():
    cache.folder().parent.mkdir(parents=True, exist_ok=True)
    cache.folder().write_text("a file where the folder would be")
    assert load_module(TUTORIAL).id == "tutorial-riverside"


def test_entries_from_other_code_are_not_read(monkeypatch):
    load_module(TUTORIAL)
    library._checked.clear()
    monkeypatch.setattr(cache, "_code_stamp", lambda: b"another version of trainer")
    load_module(TUTORIAL)
    assert len(entries()) == 2


def test_only_the_newest_entries_are_kept(monkeypatch, tmp_path):
    monkeypatch.setattr(cache, "KEEP", 3)
    text = TUTORIAL.read_text(encoding="utf-8")
    for number in range(5):
        module = tmp_path / f"m{number}.toml"
        module.write_text(text + f"\n# copy {number}\n", encoding="utf-8")
        load_module(module)
    assert len(entries()) == 3
