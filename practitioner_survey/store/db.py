"""Connections to the store's database: a SQLite file, or a PostgreSQL server shared by a team.

The store's SQL is written once, for both: ? placeholders, INSERTs whose new id is read from `lastrowid`, and the
schema's SQLite DDL. `PostgresConnection` translates these (placeholders to %s, `RETURNING id` for the new id,
AUTOINCREMENT keys to identity columns, REAL to double precision, BLOB to bytea, text compared byte by byte as
SQLite does), so store/core.py, store/schema.py, store/coding.py and the other store modules hold one copy of each
statement.

Writes are serialised on both: SQLite's BEGIN IMMEDIATE takes the file's write lock, and on PostgreSQL each
transaction first takes one advisory lock per database, so a read-then-write (a claim) sees every earlier write.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from practitioner_survey.errors import NotFoundError, StoreError
from practitioner_survey.store.sqlite_file import open_sqlite

DEFAULT_PATH = "survey.db"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
LOCK_KEY = 0x5355_5256_4559  # "SURVEY": the advisory lock every PostgreSQL write transaction holds
BUSY_SECONDS = 30  # how long a write waits for another's lock before giving up, on both kinds of store


class Cursor(Protocol):
    """What `execute` returns: rows to fetch, the rows changed, the id of the row inserted."""

    @property
    def rowcount(self) -> int: ...

    @property
    def lastrowid(self) -> int | None: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class SQL(Protocol):
    """What a transaction hands out to run statements with ? placeholders: on SQLite the sqlite3 connection
    itself, on PostgreSQL a PostgresConnection."""

    def execute(self, sql: str, params: Any = (), /) -> Cursor: ...

    def executemany(self, sql: str, rows: Any, /) -> object: ...


def dialect(conn: SQL) -> str:
    """'postgresql' or 'sqlite': which database a transaction's connection speaks to."""
    return str(getattr(conn, "dialect", "sqlite"))


class Connection(SQL, Protocol):
    """A store's connection, whichever the database; statements use ? placeholders."""

    dialect: str  # "sqlite" or "postgresql"
    name: str  # where the store is, for messages (a PostgreSQL URL without its password)
    errors: tuple[type[Exception], ...]  # the driver's errors

    @property
    def handle(self) -> SQL: ...

    def has_table(self, name: str) -> bool: ...

    def begin(self) -> None: ...

    def begin_snapshot(self) -> None:
        """Start a read-only transaction that sees the store as it stood at one moment, without holding writers off."""
        ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def close(self) -> None: ...


def is_postgres(url: str | Path) -> bool:
    """Whether the store location names a PostgreSQL server."""
    return str(url).startswith(POSTGRES_SCHEMES)


def sqlite_path(url: str | Path) -> str:
    """The SQLite file named by a path or a sqlite:/// URL; an unknown kind of URL is refused."""
    text = str(url)
    if text.startswith("sqlite:///"):
        return text.removeprefix("sqlite:///") or DEFAULT_PATH
    if "://" in text:
        raise StoreError(
            f"unknown kind of store {redact(text)!r}; give a SQLite file such as survey.db "
            "or a PostgreSQL URL such as postgresql://user@host:5432/survey"
        )
    return text


def redact(url: str) -> str:
    """The URL with any password replaced by ***, fit to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=f"{user}:***@{host}").geturl()


_UNDECODABLE = re.compile(r"Could not decode to UTF-8 column '([^']*)' with text .*", re.DOTALL)


def describe(exc: BaseException) -> str:
    """A database error in one line, without the row it was about: PostgreSQL's DETAIL can quote a whole row,
    free text and all, so only its primary message is kept."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = str(primary or exc).strip()
    text = _UNDECODABLE.sub(r"damaged text (not UTF-8) in column \1", text)  # sqlite3 quotes the text itself
    return text.splitlines()[0] if text else type(exc).__name__


def connect(url: str | Path, *, create: bool = True) -> Connection:
    """Open the store's database; StoreError (NotFoundError for a missing store when create is False)."""
    if is_postgres(url):
        return PostgresConnection(str(url), create=create)
    return SQLiteConnection(sqlite_path(url), create=create)


# -- SQLite -----------------------------------------------------------------------------------------------------


class SQLiteConnection:
    """A SQLite file in WAL mode with foreign keys on; statements pass through unchanged.

    Opening looks before it writes (sqlite_file.open_sqlite): a file that is not SQLite, or another program's SQLite
    database, is refused untouched; a store whose file or folder cannot be written is opened read-only; text that is
    not UTF-8 (a damaged byte) is read with U+FFFD in its place instead of an error that would quote it.
    """

    dialect = "sqlite"
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def __init__(self, path: str, *, create: bool = True) -> None:
        self.name = path
        self.raw, self.read_only = open_sqlite(path, create=create, timeout=BUSY_SECONDS)

    @property
    def handle(self) -> SQL:
        return self.raw  # transactions hand out the sqlite3 connection itself, as they always have

    def execute(self, sql: str, params: Any = (), /) -> Cursor:
        return self.raw.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Any, /) -> object:
        return self.raw.executemany(sql, rows)

    def has_table(self, name: str) -> bool:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return self.raw.execute(sql, (name,)).fetchone() is not None

    def begin(self) -> None:
        if self.read_only:
            raise StoreError(
                f"the store {self.name} is read-only here (its file or its folder cannot be written); "
                "nothing was changed: copy it to a folder you can write to, or ask for write access"
            )
        self.raw.execute("BEGIN IMMEDIATE")

    def begin_snapshot(self) -> None:
        # deferred: the snapshot is taken at the first read, and in WAL mode writers go on committing meanwhile
        self.raw.execute("BEGIN DEFERRED")

    def commit(self) -> None:
        self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.raw.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()


# -- PostgreSQL -------------------------------------------------------------------------------------------------

_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)
_DDL = re.compile(r"^\s*(CREATE|ALTER|DROP)\b", re.IGNORECASE)
_TYPES = [  # a type follows its column's name; a column named like a type keeps its name
    (re.compile(r"\bid\s+INTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?", re.IGNORECASE),
     "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"(\b\w+\s+)REAL\b", re.IGNORECASE), r"\1DOUBLE PRECISION"),
    (re.compile(r"(\b\w+\s+)BLOB\b", re.IGNORECASE), r"\1BYTEA"),
    (re.compile(r"(\b\w+\s+)TEXT\b", re.IGNORECASE), r'\1TEXT COLLATE "C"'),  # compare bytes, as SQLite does
]  # fmt: skip


@lru_cache(maxsize=512)
def postgres_sql(sql: str) -> str:
    """A statement of the store's SQL as PostgreSQL takes it: ? -> %s (outside quotes), SQLite types mapped."""
    if re.match(r"^\s*CREATE\s+TABLE\b", sql, re.IGNORECASE):
        for pattern, replacement in _TYPES:
            sql = pattern.sub(replacement, sql)
    out, quoted = [], False
    for char in sql:
        if char == "'":
            quoted = not quoted
        if char == "%":
            out.append("%%")
        elif char == "?" and not quoted:
            out.append("%s")
        else:
            out.append(char)
    return "".join(out)


class _Result:
    """A psycopg cursor's rows with the id that RETURNING gave, as `lastrowid`."""

    def __init__(self, rows: list[Any], rowcount: int, lastrowid: int | None) -> None:
        self._rows, self.rowcount, self.lastrowid = rows, rowcount, lastrowid

    def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PostgresConnection:
    """A PostgreSQL database through psycopg 3, in autocommit mode with explicit BEGIN / COMMIT."""

    dialect = "postgresql"

    def __init__(self, url: str, *, create: bool = True) -> None:
        import psycopg  # here, so that a SQLite store never loads the driver

        self.name = redact(url)
        self.errors: tuple[type[Exception], ...] = (psycopg.Error,)
        self._id_tables: set[str] | None = None
        try:
            self.raw = psycopg.connect(url, autocommit=True, connect_timeout=10, application_name="practitioner_survey")
        except psycopg.Error as exc:
            raise StoreError(connection_message(url, exc)) from None
        except ValueError as exc:  # a malformed URL, e.g. a port that is not a number
            raise StoreError(f"the PostgreSQL URL {self.name} is not valid: {_scrub(str(exc), url)}") from None
        try:
            self.raw.execute(f"SET lock_timeout = '{BUSY_SECONDS}s'")
            others = self._other_tables()
            if others:
                raise StoreError(
                    f"the PostgreSQL database {self.name} is not a survey store: it holds another program's tables "
                    f"({', '.join(others[:5])}{' and more' if len(others) > 5 else ''}); it was left untouched. "
                    "Give the survey a database of its own"
                )
            if not create and not self.has_table("store_meta"):
                raise NotFoundError(
                    f"no store in the PostgreSQL database {self.name}; import returns first "
                    "(survey --db URL import PATH --year YEAR) or point --db at your store"
                )
        except psycopg.Error as exc:
            self.raw.close()
            raise StoreError(f"cannot open the store {self.name}: {_scrub(describe(exc), url)}") from None
        except BaseException:
            self.raw.close()
            raise

    @property
    def handle(self) -> SQL:
        return self

    def execute(self, sql: str, params: Any = (), /) -> Cursor:
        statement = postgres_sql(sql)
        table = _INSERT.match(sql)
        returning = table is not None and table.group(1).lower() in self._tables_with_id() and "RETURNING" not in sql
        if _DDL.match(sql):
            self._id_tables = None
        cursor = self.raw.execute(statement + (" RETURNING id" if returning else ""), tuple(params))
        rows = cursor.fetchall() if cursor.description is not None else []
        lastrowid = int(rows[-1][0]) if returning and rows else None
        return _Result([] if returning else rows, cursor.rowcount, lastrowid)

    def executemany(self, sql: str, rows: Any, /) -> object:
        rows = [tuple(r) for r in rows]
        if rows:
            with self.raw.cursor() as cursor:
                cursor.executemany(postgres_sql(sql), rows)
        return None

    def _tables_with_id(self) -> set[str]:
        if self._id_tables is None:
            sql = (
                "SELECT table_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND column_name = 'id'"
            )
            self._id_tables = {str(row[0]).lower() for row in self.raw.execute(sql).fetchall()}
        return self._id_tables

    def _other_tables(self) -> list[str]:
        """The tables of the database's current schema when it has them but no store_meta: another program's."""
        if self.has_table("store_meta"):
            return []
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"
        return [str(row[0]) for row in self.raw.execute(sql).fetchall()]

    def has_table(self, name: str) -> bool:
        row = self.raw.execute("SELECT to_regclass(%s)", (name,)).fetchone()
        return row is not None and row[0] is not None

    def begin(self) -> None:
        self.raw.execute("BEGIN")
        try:
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        except BaseException:
            self.raw.execute("ROLLBACK")
            raise

    def begin_snapshot(self) -> None:
        # no advisory lock: a repeatable-read transaction sees one snapshot while writers go on
        self.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def commit(self) -> None:
        self.raw.execute("COMMIT")

    def rollback(self) -> None:
        with suppress(*self.errors):  # a lost connection: the server rolls back on its own
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()


def _scrub(text: str, url: str) -> str:
    """A driver's message with the URL's password, if any, blanked out; its first line only."""
    password = urlsplit(url).password
    line = text.strip().splitlines()[0] if text.strip() else "no reason given"
    for secret in {password, unquote(password)} if password else set():
        line = line.replace(secret, "***")
    return line


def connection_message(url: str, exc: Exception) -> str:
    """One line saying why the PostgreSQL server could not be used, and what to check; never the password."""
    parts = urlsplit(url)
    where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
    user = parts.username or "(your login name)"
    database = parts.path.lstrip("/") or user
    detail = _scrub(str(exc), url)
    text = str(exc).lower()
    if "password authentication failed" in text or "no password supplied" in text:
        return f"PostgreSQL at {where} refused user {user}: wrong user name or password ({detail})"
    if "does not exist" in text and "database" in text:
        return (
            f"PostgreSQL at {where} has no database {database!r}: ask its administrator to create it "
            f"(createdb {database}) or correct the URL"
        )
    if "does not exist" in text and "role" in text:
        return f"PostgreSQL at {where} has no user {user!r}: correct the URL or ask its administrator"
    return f"cannot connect to PostgreSQL at {where} (is the server running and reachable?): {detail}"
