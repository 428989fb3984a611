"""A module file is validated once while it is unchanged, and again as soon as it changes
(in this process; tests/content/test_cache.py has the cache kept between runs)."""

from __future__ import annotations

import os
import re

import pytest

from trainer.content import list_modules, load_module, validator
from trainer.errors import ModuleError
from trainer.paths import shipped_modules_dir

TUTORIAL = shipped_modules_dir() / "tutorial-riverside.toml"


def test_an_unchanged_file_is_validated_once_and_a_changed_one_again(tmp_path, monkeypatch):
    path = tmp_path / "m.toml"
    path.write_bytes(TUTORIAL.read_bytes())
    calls = []
    real = validator.validate_text
    monkeypatch.setattr(
        validate, "validate_text", lambda data, name: calls.append(name) or real(data, name)
    )
    first = load_module(path)
    list_modules(str(tmp_path))
    again = load_module(path)
    assert calls.count(str(path)) == 1 and first.sha256 == again.sha256
    shipped = TUTORIAL.read_text()
    version = re.search(r'^version = "([^"]*)"', shipped, re.MULTILINE)
    assert version is not None
    path.write_text(shipped.replace(version.group(0), 'version = "9.9.9"', 1))
    os.utime(path, ns=(1, 1))  # even with an old time, the size differs
    assert load_module(path).version == "9.9.9" and calls.count(str(path)) == 2
    path.write_text("format = 1\n")
    with pytest.raises(ModuleError):
        load_module(path)
