"""What a build keeps to skip work next time, beside the figures and PDF parts: helpers for cache keys (library
versions read without importing the library, hashes of source files) and the tables' workbook, written again only
when the tables changed."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import metadata
from pathlib import Path

import pandas as pd

from practitioner_survey.counting import tables as counting_tables
from practitioner_survey.counting.tables import write_tables, write_workbook

#: Beside the tables' folder: what the workbook was last written from, and its checksum.
WORKBOOK_RECORD = ".tables-xlsx.json"


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


def write_tables_kept(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """`counting.tables.write_tables`, except that `out`/tables.xlsx is left as it is when it is the workbook last
    written from the same tables (told by the CSV files just written) by the same code and libraries.

    An Excel workbook carries the time it was written, so writing it again for unchanged tables changes only that."""
    written = write_tables(tables, out, excel=False)
    workbook, record = out / "tables.xlsx", out.parent / WORKBOOK_RECORD
    digest = hashlib.sha256()
    for part in [version("pandas"), version("openpyxl"), source_hash(Path(counting_tables.__file__))]:
        digest.update(part.encode() + b"\0")
    for path in written:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
        same = kept == {"of": digest.hexdigest(), "sha256": hashlib.sha256(workbook.read_bytes()).hexdigest()}
    except (OSError, ValueError):
        same = False
    if not same:
        write_workbook(tables, workbook)
        mark = {"of": digest.hexdigest(), "sha256": hashlib.sha256(workbook.read_bytes()).hexdigest()}
        write_whole(record, json.dumps(mark).encode())
    return [*written, workbook]
