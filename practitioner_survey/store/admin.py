"""Backing up a store while it is in use, and restoring a backup.

Plain functions over a Store that use only its transaction and read methods, so that they work whatever the
backend: a backup is always a SQLite file (for a SQLite store, made with SQLite's online backup API; for any other,
by copying every table's rows inside one read-only snapshot into a fresh store file), and is checked (store/check.py)
before it is given its name. A restore checks the backup first and replaces the store in one atomic rename.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from practitioner_survey.errors import NotFoundError, StoreError
from practitioner_survey.store.check import CheckReport, check_file, check_store, is_sqlite
from practitioner_survey.store.core import Store


@dataclass(frozen=True)
class BackupOutcome:
    path: Path
    size: int
    report: CheckReport


@dataclass(frozen=True)
class RestoreOutcome:
    path: Path
    report: CheckReport
    kept: Path | None = None  # where the store it replaced was kept


def sqlite_file(store: Store) -> str | None:
    """The store's SQLite file, or None when the store is not a SQLite file (PostgreSQL, or in memory)."""
    return str(store.path) if is_sqlite(store) and str(store.path) != ":memory:" else None


# ------------------------------------------------------------------------------------------------------ backup


def _partial(target: Path, what: str) -> Path:
    return target.with_name(f".{target.name}.{what}-{os.getpid()}")


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)


def _sqlite_copy(source: str | Path | sqlite3.Connection, target: Path) -> None:
    """Copy a SQLite database (a file, or a store's open connection: read-only where the store cannot be written)
    with its online backup API: one step, so one consistent snapshot, while others go on writing; the copy is one
    self-contained file (no write-ahead log beside it)."""
    with contextlib.ExitStack() as stack:
        src = source if isinstance(source, sqlite3.Connection) else sqlite3.connect(source, timeout=30)
        if src is not source:
            stack.callback(src.close)
        dst = stack.enter_context(contextlib.closing(sqlite3.connect(target)))
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")


def _plain(value: Any) -> Any:
    """A value from any backend as SQLite stores it."""
    if isinstance(value, memoryview | bytearray):
        return bytes(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Every table of a SQLite store with its columns (the AUTOINCREMENT bookkeeping aside)."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: [str(r[1]) for r in conn.execute(f"PRAGMA table_info({t})")] for t in tables if t != "sqlite_sequence"}


@contextlib.contextmanager
def _still(store: Store, tables: list[str]) -> Iterator[Any]:
    """One write transaction of the store (a restore's) in which its tables cannot change: on PostgreSQL, where
    every writer holds the store's advisory lock, the tables are also locked against anyone writing past it."""
    with store._transaction() as conn:
        if not isinstance(conn, sqlite3.Connection):
            conn.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE MODE", ())
        yield conn


def _copy_tables(store: Store, target: Path) -> None:
    """Copy every table's rows into a fresh store file at `target`, inside one read-only snapshot of the store."""
    Store(target).close()  # the schema of this version, as migrations make it
    with contextlib.closing(sqlite3.connect(target, isolation_level=None)) as dst:
        columns = _columns(dst)
        dst.execute("BEGIN")
        with store._snapshot() as conn:  # one moment of the store; its writers are not held off
            for table, names in columns.items():
                dst.execute(f"DELETE FROM {table}")
                rows = conn.execute(f"SELECT {', '.join(names)} FROM {table}", ()).fetchall()
                marks = ", ".join("?" * len(names))
                dst.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
                                [tuple(map(_plain, row)) for row in rows])  # fmt: skip
        dst.execute("COMMIT")
        dst.execute("PRAGMA journal_mode = DELETE")


def backup_store(store: Store, target: str | Path, *, force: bool = False) -> BackupOutcome:
    """Write a consistent copy of the store, while others may be using it, to the SQLite file `target`.

    The copy is made beside the target, checked (check_store), and only then moved into place, so `target` is
    either the old file or a whole, checked backup. Refuses to overwrite a file unless `force`.
    """
    target = Path(target)
    source = sqlite_file(store)
    if source is not None and target.exists() and target.resolve() == Path(source).resolve():
        raise StoreError(f"{target} is the store itself; give the backup another name")
    if target.exists() and not force:
        raise StoreError(f"{target} already exists; give a new file name, or --force to overwrite it")
    if not target.parent.is_dir():
        raise NotFoundError(f"no folder {target.parent} to write the backup into")
    partial = _partial(target, "backup")
    _remove(partial)
    try:
        try:
            if source is not None and isinstance(store._conn, sqlite3.Connection):
                _sqlite_copy(store._conn, partial)
            else:
                _copy_tables(store, partial)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"could not back up the store to {target}; nothing was written: {exc}") from None
        report = check_file(partial)
        if not report.ok:
            raise StoreError(
                f"the copy fails its check ({len(report.problems)} problem(s), the first: {report.problems[0]}); "
                "nothing was written: run survey check on the store"
            )
        try:
            with contextlib.closing(sqlite3.connect(partial)) as conn:
                conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, safe to copy by hand
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"could not write the backup {target}: {exc}") from None
    finally:
        _remove(partial)
    return BackupOutcome(target, target.stat().st_size, report)


# ----------------------------------------------------------------------------------------------------- restore


def _backup_version(path: Path) -> int:
    """The schema version of a backup file; StoreError when it is not a survey store at all."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            rows = conn.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchall()
    except sqlite3.Error:
        rows = []
    if not rows:
        raise StoreError(f"{path} is not a survey store backup; nothing was restored")
    return int(rows[0][0])


def _take_over(path: Path) -> sqlite3.Connection:
    """An exclusive lock on the SQLite store at `path`, its write-ahead log folded in; StoreError if in use."""
    conn = sqlite3.connect(path, timeout=2, isolation_level=None)
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise sqlite3.OperationalError("database is locked")
        conn.execute("BEGIN EXCLUSIVE")
    except sqlite3.Error:
        conn.close()
        raise StoreError(
            f"the store {path} is in use (a survey code session, an import?); nothing was restored. "
            "Close every command using it and run restore again"
        ) from None
    return conn


def _copy_into(store: Store, backup: Path) -> None:
    """Replace every row of a (non-SQLite) store with the backup's, in one transaction of the store."""
    with contextlib.closing(sqlite3.connect(backup)) as src:
        columns = _columns(src)
        parents = {t: {str(r[2]) for r in src.execute(f"PRAGMA foreign_key_list({t})")} - {t} for t in columns}
        order: list[str] = []
        while len(order) < len(columns):  # parents before children
            order += [t for t in sorted(columns) if t not in order and parents[t] <= set(order)]
        with _still(store, order) as conn:
            for table in reversed(order):
                conn.execute(f"DELETE FROM {table}", ())
            for table in order:
                names = columns[table]
                insert = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
                for row in src.execute(f"SELECT {', '.join(names)} FROM {table}"):
                    conn.execute(insert, row)
                if "id" in names:  # PostgreSQL: the id sequence goes on after the ids restored
                    conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)", ())  # fmt: skip


def restore_store(backup: str | Path, url: str | Path, *, force: bool = False) -> RestoreOutcome:
    """Restore a backup as the store at `url`: refused if the backup fails its check, or the store exists and
    `force` is not given, or (SQLite) another command has the store open. The store file is replaced in one
    atomic rename, the one it replaced kept beside it as NAME.replaced-TIME."""
    backup = Path(backup)
    if not backup.is_file():
        raise NotFoundError(f"no backup at {backup}")
    _backup_version(backup)
    text = str(url)
    if text.startswith(("postgresql:", "postgres:")):
        return _restore_elsewhere(backup, text, force)
    target = Path(text.removeprefix("sqlite:///"))
    if target.exists() and target.resolve() == backup.resolve():
        raise StoreError(f"{backup} is the store itself; nothing was restored")
    if not target.parent.is_dir():
        raise NotFoundError(f"no folder {target.parent} for the store; nothing was restored")
    if target.exists() and not force:
        raise StoreError(f"the store {target} already exists; restoring would replace it: give --force to do so")
    partial = _partial(target, "restore")
    _remove(partial)
    held: sqlite3.Connection | None = None
    try:
        try:
            _sqlite_copy(backup, partial)
            report = check_file(partial)  # a backup from an older version is migrated here, not in place
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read the backup {backup}; nothing was restored: {exc}") from None
        if not report.ok:
            raise StoreError(
                f"the backup {backup} fails its check ({len(report.problems)} problem(s), the first: "
                f"{report.problems[0]}); nothing was restored"
            )
        kept = None
        if target.exists():
            held = _take_over(target)
            kept = target.with_name(f"{target.name}.replaced-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}")
            shutil.copy2(target, kept)
        os.replace(partial, target)
    finally:
        if held is not None:
            held.close()
        _remove(partial)
    return RestoreOutcome(target, report, kept)


def _restore_elsewhere(backup: Path, url: str, force: bool) -> RestoreOutcome:
    """Restore into a store that is not a SQLite file: the backup is checked, then copied in, all or nothing."""
    with tempfile.TemporaryDirectory() as folder:
        checked = Path(folder) / backup.name
        _sqlite_copy(backup, checked)
        report = check_file(checked)
        if not report.ok:
            raise StoreError(f"the backup {backup} fails its check ({len(report.problems)} problem(s), the first: "
                             f"{report.problems[0]}); nothing was restored")  # fmt: skip
        with Store(url) as store:
            if store.years() and not force:
                raise StoreError("the store already holds returns; restoring would replace them: give --force")
            _copy_into(store, checked)
            report = check_store(store)
    return RestoreOutcome(Path(backup), report)
