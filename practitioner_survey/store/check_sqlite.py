"""`survey check` on a SQLite store: SQLite's own checks, damaged pages named by table, damaged text found.

integrity_check (quick_check when the damage stops it), each damaged page named by the table or index it belongs
to, every table read end to end (naming the last row read before damage), foreign_key_check, the tables' columns
against the schema this version makes, the AUTOINCREMENT counter, and every text value that is not UTF-8. Problems
name tables, rows and columns, never the text itself.
"""

from __future__ import annotations

import re
from typing import Any

from practitioner_survey.errors import StoreError
from practitioner_survey.store.core import Store
from practitioner_survey.store.db import describe

_MAX_LINES = 10  # lines of SQLite's integrity check reported; the rest are counted
_PAGE = re.compile(r"\bpage (\d+)", re.IGNORECASE)


def sqlite_problems(store: Store) -> list[str]:
    """Every problem SQLite's own checks and a full read of each table find, in the order a reader would fix them."""
    problems = _integrity_problems(store)
    tables = [str(r[0]) for r in store._rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for table in tables:
        problems += _unreadable(store, table)
    problems += _damaged_text(store, [t for t in tables if t != "sqlite_sequence"])
    broken: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _fk in _guarded(store, "PRAGMA foreign_key_check", problems, "foreign key check"):
        broken[(table, parent)] = broken.get((table, parent), 0) + 1
    problems += [f"SQLite foreign key check: {n} row(s) of {t} point to missing {p} rows" for (t, p), n in
                 broken.items()]  # fmt: skip
    problems += _schema_problems(store)
    seq = store._rows("SELECT seq FROM sqlite_sequence WHERE name = 'decisions'")
    highest = int(store._rows("SELECT COALESCE(MAX(id), 0) FROM decisions")[0][0])
    if highest and (not seq or int(seq[0][0]) < highest):
        problems.append(f"the decisions' id counter is behind the highest id {highest}: ids could be given twice")
    return problems


def _guarded(store: Store, sql: str, problems: list[str], what: str) -> list[tuple[Any, ...]]:
    try:
        return store._rows(sql)
    except StoreError as exc:
        problems.append(f"SQLite {what} could not run: {_reason(exc)}")
        return []


def _reason(exc: StoreError) -> str:
    return str(exc).rsplit(": ", 1)[-1]


def _integrity_problems(store: Store) -> list[str]:
    """integrity_check's findings (quick_check's when damage stops the full check), pages named by their table."""
    problems: list[str] = []
    lines = _guarded(store, "PRAGMA integrity_check", problems, "integrity check")
    if not lines:
        lines = _guarded(store, "PRAGMA quick_check", problems, "quick check")
    found = [line for row in lines for line in str(row[0]).splitlines() if line.strip() not in ("ok", "")]
    found = [line for line in found if not line.startswith("*** in database")]
    owners = _page_owners(store, {int(n) for line in found for n in _PAGE.findall(line)})
    for line in found[:_MAX_LINES]:
        pages = [int(n) for n in _PAGE.findall(line)]
        named = sorted({owners[p] for p in pages if p in owners})
        problems.append(f"SQLite integrity check: damaged page: {line}" + (f" ({', '.join(named)})" if named else ""))
    if len(found) > _MAX_LINES:
        problems.append(f"SQLite integrity check: and {len(found) - _MAX_LINES} more damaged page(s)")
    return problems


def _page_owners(store: Store, pages: set[int]) -> dict[int, str]:
    """Which table or index each page belongs to (SQLite's dbstat), as far as the damage lets it be read."""
    if not pages:
        return {}
    marks = ", ".join("?" * len(pages))
    try:
        rows = store._rows(f"SELECT pageno, name FROM dbstat WHERE pageno IN ({marks})", *sorted(pages))
    except StoreError:
        return {}
    kinds = dict(store._rows("SELECT name, type FROM sqlite_master"))
    return {int(page): f"{kinds.get(name, 'table')} {name}" for page, name in rows}


def _unreadable(store: Store, table: str) -> list[str]:
    """Read the table end to end in rowid order; name the last row read before damage stops it."""
    last = None
    try:  # one row at a time: every column, overflow pages included, without holding the original files at once
        for row in store._db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid", ()):
            last = row[0]
    except store._db.errors as exc:
        after = f" after row {last} (rowid)" if last is not None else ""
        return [f"table {table} cannot be read{after}: {describe(exc)}; restore a backup (survey restore)"]
    return []


def _damaged_text(store: Store, tables: list[str]) -> list[str]:
    """Every text value that is not UTF-8 (a damaged byte), by table, row and column: the value is not shown."""
    problems = []
    for table in tables:
        info = store._rows(f"PRAGMA table_info({table})")
        text = [str(r[1]) for r in info if str(r[2]).upper() == "TEXT"]
        keys = [str(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5]]
        if not text:
            continue
        blobs = ", ".join(f"CAST({c} AS BLOB)" for c in text)
        try:
            rows = store._rows(f"SELECT rowid, {', '.join(keys) or 'rowid'}, {blobs} FROM {table} ORDER BY rowid")
        except StoreError:
            continue  # reported by _unreadable
        width = len(keys) or 1
        for rowid, *values in rows:
            key, raw = values[:width], values[width:]
            for column, value in zip(text, raw, strict=True):
                if isinstance(value, bytes) and not _utf8(value):
                    row = f"row {rowid} (rowid)" if column in keys or not keys else f"row {'/'.join(map(str, key))}"
                    problems.append(f"damaged text (not UTF-8) in table {table}, {row}, column {column}: the value "
                                    "is read with U+FFFD in place of the damaged bytes; restore a backup or correct "
                                    "it")  # fmt: skip
    return problems


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _schema_problems(store: Store) -> list[str]:
    with Store(":memory:") as fresh:  # the schema this version of the tool makes
        expected = _sqlite_schema(fresh)
    found = _sqlite_schema(store)
    problems = []
    for table, columns in expected.items():
        if table not in found:
            problems.append(f"schema: table {table} is missing")
        elif found[table] != columns:
            problems.append(f"schema: table {table} has columns {found[table]}, expected {columns}")
    problems += [f"schema: unexpected table {t}" for t in found if t not in expected]
    return problems


def _sqlite_schema(store: Store) -> dict[str, list[str]]:
    tables = [r[0] for r in store._rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: [str(r[1]) for r in store._rows(f"PRAGMA table_info({t})")] for t in tables if t != "sqlite_sequence"}
