"""Lazy re-exports for the wings' `__init__.py`: a public name is imported from its module on first use.

A wing re-exports its public names so that `from practitioner_survey.store import Store` works, but importing a
wing must not import all of it: `survey --help` would then pay for pandas, spaCy and scikit-learn (PEP 562).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
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
