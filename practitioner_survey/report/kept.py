"""Helpers for what a build keeps to skip work next time (figures, PDF parts, the tables' workbook): library
versions read without importing the library, hashes of source files for cache keys, and files written whole."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path


@cache
def version(distribution: str) -> str:
    """An installed package's version, from its metadata (importing matplotlib or WeasyPrint takes far longer)."""
    return metadata.version(distribution)


@cache
def source_hash(path: Path) -> str:
    """The SHA-256 of a source file: what a module draws or writes changes with its code."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_whole(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
