"""Lazy imports: a wing's public names, and a heavy library, are imported on first use.

A wing re-exports its public names so that `from practitioner_survey.store import Store` works, but importing a
wing must not import all of it: `survey --help` would then pay for pandas, spaCy and scikit-learn (PEP 562).
`lazy_module` does the same for a library that a module uses in a few functions only (pandas, openpyxl), so that
the module stays cheap to import for the commands that never call them (`survey status`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any


def lazy_exports(package: str, names: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`, importing each name in `names` from its module (relative name)."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    def __dir__() -> list[str]:
        return sorted(names)

    return __getattr__, __dir__


class _LazyModule:
    """Stands for a module until an attribute is first read, then imports it (the import lock makes that safe
    from several threads); unlike `importlib.util.LazyLoader` it puts nothing in `sys.modules` before then."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"


def lazy_module(name: str) -> Any:
    """`name` (e.g. "pandas"), imported when first used; annotate the real module under `if TYPE_CHECKING:`."""
    return _LazyModule(name)
