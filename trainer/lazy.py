"""Names a package imports from its own modules only when first asked for (PEP 562)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: a name in `homes` is imported from the module
    of the package that `homes` names for it when first asked for, then kept in the package
    (so it is looked up once). The first screen of the app needs little of each package, and
    every module imported costs a start its import (and, without a bytecode cache, its
    compiling)."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{home}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
