"""The store: each year's returns in one SQLite file or PostgreSQL database, original files kept byte for byte.

With store/schema.py (the tables and their migrations), store/coding.py and store/claims.py (the coding log, claims)
and store/corrections.py (rollovers, revisions), the only modules that speak SQL. Statements are plain portable SQL
with ? placeholders, written once: store/db.py connects to SQLite or PostgreSQL and translates them for the latter.
The schema changes only through the ordered list store.schema.MIGRATIONS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from practitioner_survey import reference as ref
from practitioner_survey._exports import lazy_module
from practitioner_survey.errors import NotFoundError, ReturnsError, StoreError
from practitioner_survey.returns import schema
from practitioner_survey.returns.provenance import number_text
from practitioner_survey.returns.validate import AckKey, Returns, ack_key
from practitioner_survey.store import db
from practitioner_survey.store.claims import ClaimsStore
from practitioner_survey.store.coding import CodingStore
from practitioner_survey.store.corrections import CorrectionsStore
from practitioner_survey.store.overview import YearCounts, year_counts
from practitioner_survey.store.rows import NUMBERS, REVISION_COLUMNS, cell_text, figure, insert_rows, now_seconds
from practitioner_survey.store.schema import MIGRATIONS, STORE_META

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")  # imported on first use: `survey status` and `--help` never need it

DEFAULT_PATH = db.DEFAULT_PATH
sqlite_path = db.sqlite_path  # kept for callers of the SQLite-only days


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: status 'imported', or 'unchanged' when the same files were imported before."""

    status: str
    services: int
    staffing_rows: int
    warnings_acknowledged: int
    replaced: bool = False
    rollovers_dropped: int = 0  # replacing a year drops its rollovers and revisions
    revisions_dropped: int = 0


def unacknowledged_summary(count: int, year: int, path: str = "PATH") -> str:
    """The one-line refusal for warnings nobody has accepted, saying how to accept them."""
    return (
        f"{count} warning(s) not acknowledged; nothing was written. Acknowledge each with a reason: "
        f"survey import {path} --year {year} --accept-warnings FILE "
        "(columns code, service_id, police_force_area, reason)"
    )


class Store(CorrectionsStore, ClaimsStore, CodingStore):
    """A survey store. Use as a context manager; every write is one transaction, all or nothing."""

    def __init__(self, url: str | Path = DEFAULT_PATH, *, create: bool = True) -> None:
        self._db = db.connect(url, create=create)
        self.path = self._db.name  # the file, or the PostgreSQL URL without its password
        try:
            self._migrate()
        except self._db.errors as exc:
            self._db.close()
            raise StoreError(f"cannot open the store {self.path} (is it a survey store?): {db.describe(exc)}") from None
        except BaseException:
            self._db.close()
            raise

    @property
    def _conn(self) -> db.SQL:
        """The connection itself, outside any transaction (the sqlite3 connection for a SQLite store), for tests
        that reach under the store."""
        return self._db.handle

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self._db.dialect

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; the store stays consistent whether or not this is called."""
        self._db.close()

    @contextmanager
    def _snapshot(self) -> Iterator[db.SQL]:
        """One read-only transaction: every read sees the store as it stood at one moment, while writers go on."""
        try:
            self._db.begin_snapshot()
        except self._db.errors as exc:
            raise StoreError(f"cannot read the store {self.path}: {db.describe(exc)}") from None
        try:
            yield self._db.handle
        finally:
            self._db.rollback()

    @contextmanager
    def _transaction(self) -> Iterator[db.SQL]:
        """One write transaction, all or nothing; no other writer runs until it ends (on either database)."""
        try:
            self._db.begin()
        except self._db.errors as exc:
            raise StoreError(f"the store {self.path} is busy or cannot be written: {db.describe(exc)}") from None
        try:
            yield self._db.handle
            self._db.commit()
        except self._db.errors as exc:
            self._db.rollback()
            raise StoreError(
                f"could not write to the store {self.path}; nothing was changed: {db.describe(exc)}"
            ) from None
        except BaseException:
            self._db.rollback()
            raise

    def _rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        try:
            return [tuple(row) for row in self._db.execute(sql, params).fetchall()]
        except self._db.errors as exc:
            raise StoreError(f"cannot read the store {self.path}: {db.describe(exc)}") from None

    def _frame(self, table: str, columns: Sequence[str], year: int, order: str) -> pd.DataFrame:
        sql = f"SELECT {', '.join(columns)} FROM {table} WHERE year = ? ORDER BY {order}"
        return pd.DataFrame(self._rows(sql, year), columns=list(columns))

    def _migrate(self) -> None:
        """Apply the missing migrations in order, each in its own transaction; a migration another process has
        applied meanwhile is not applied again."""
        version = self.schema_version if self._db.has_table("store_meta") else 0
        if version > len(MIGRATIONS):
            raise StoreError(
                f"the store {self.path} was written by a newer practitioner_survey (schema {version}; "
                f"this one knows up to {len(MIGRATIONS)}); upgrade practitioner_survey to open it"
            )
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._transaction() as conn:
                conn.execute(STORE_META)
                if self.schema_version >= number:
                    continue
                migration(conn)
                conn.execute("DELETE FROM store_meta WHERE key = 'schema_version'")
                insert_rows(conn, "store_meta", ("key", "value"), [("schema_version", str(number))])

    @property
    def schema_version(self) -> int:
        """How many of MIGRATIONS this store has had applied."""
        rows = self._rows("SELECT value FROM store_meta WHERE key = 'schema_version'")
        return int(rows[0][0]) if rows else 0

    def years(self) -> list[int]:
        """Years whose returns are in the store."""
        return [row[0] for row in self._rows("SELECT year FROM imports ORDER BY year")]

    def _years_text(self) -> str:
        years = self.years()
        return f"years in the store: {', '.join(map(str, years))}" if years else "the store holds no returns yet"

    def _require_year(self, year: int) -> None:
        if year not in self.years():
            raise NotFoundError(f"no returns for {year} in the store {self.path}; {self._years_text()}")

    def _service_ids(self, year: int) -> list[str]:
        return [row[0] for row in self._rows("SELECT service_id FROM services WHERE year = ?", year)]

    # -- returns ---------------------------------------------------------------------------------------------

    def import_action(self, year: int, returns: Returns, replace: bool = False) -> str:
        """'unchanged' (these files are already the year's return), 'import' or 'replace'.

        Raises StoreError when the year holds a different return and replace is not set.
        """
        rows = self._rows("SELECT checksum, imported_at FROM imports WHERE year = ?", year)
        if not rows:
            return "import"
        if rows[0][0] == returns.checksum:
            return "unchanged"
        if not replace:
            raise StoreError(
                f"{year} already holds a different return (imported {rows[0][1]}); to replace it, and drop "
                f"{year}'s rollovers and revisions, run the import again with --replace"
            )
        return "replace"

    def import_returns(
        self, year: int, returns: Returns, acknowledged: Mapping[AckKey, str], replace: bool = False
    ) -> ImportOutcome:
        """Store a year's validated returns, their original files and the reason each warning was accepted.

        All or nothing. Importing the same files again writes nothing and says 'unchanged'.
        """
        services, staffing_rows = len(returns.services), len(returns.staffing)
        if self.import_action(year, returns, replace) == "unchanged":
            return ImportOutcome("unchanged", services, staffing_rows, warnings_acknowledged=0)
        missing = [w for w in returns.warnings if not cell_text(acknowledged.get(ack_key(w))).strip()]
        if missing:
            raise ReturnsError(missing, summary=unacknowledged_summary(len(missing), year))
        absent = [c for c in schema.SERVICES_COLUMNS if c not in returns.services.columns]
        absent += [c for c in schema.STAFFING_COLUMNS if c not in returns.staffing.columns]
        if absent:
            raise StoreError(f"the returns lack column(s) {', '.join(absent)}; nothing was written")
        now, dropped = now_seconds(), [0, 0]
        with self._transaction() as conn:
            action = self.import_action(year, returns, replace)  # again, now that no one else can write
            if action == "replace":
                for i, table in enumerate(("rollovers", "revisions")):
                    sql = f"SELECT COUNT(*) FROM {table} WHERE year = ?"
                    dropped[i] = conn.execute(sql, (year,)).fetchone()[0]
                conn.execute("DELETE FROM imports WHERE year = ?", (year,))  # cascades to the whole year
            insert_rows(conn, "imports", ("year", "checksum", "imported_at"), [(year, returns.checksum, now)])
            self._insert_returns(conn, year, returns, now)
            columns = ("year", "code", "service_id", "police_force_area", "message", "reason", "at")
            rows = [(year, *ack_key(w), str(w), acknowledged[ack_key(w)].strip(), now) for w in returns.warnings]
            insert_rows(conn, "acknowledgements", columns, rows)
        replaced = action == "replace"
        return ImportOutcome("imported", services, staffing_rows, len(rows), replaced, dropped[0], dropped[1])

    def _insert_returns(self, conn: db.SQL, year: int, returns: Returns, now: str) -> None:
        columns = ("year", "name", "sha256", "size", "bytes", "import_checksum", "imported_at")
        files = [(year, f.name, f.sha256, len(f.data), f.data, returns.checksum, now) for f in returns.files]
        insert_rows(conn, "source_files", columns, files)
        provenance = "return " + ", ".join(sorted(f.name for f in returns.files))
        flag = schema.SERVICES_COLUMNS.index("employs_practitioners")
        rows: list[tuple[Any, ...]] = [
            (
                year,
                *(int(bool(v)) if i == flag else cell_text(v) for i, v in enumerate(row)),
                "return",
                provenance,
            )
            for row in returns.services[list(schema.SERVICES_COLUMNS)].astype(object).itertuples(index=False)
        ]
        insert_rows(conn, "services", ("year", *schema.SERVICES_COLUMNS, "origin", "provenance"), rows)
        rows = [
            (year, cell_text(row[0]), cell_text(row[1]), *map(figure, NUMBERS, row[2:]), "return")
            for row in returns.staffing[list(schema.STAFFING_COLUMNS)].astype(object).itertuples(index=False)
        ]
        insert_rows(conn, "staffing", ("year", *schema.STAFFING_COLUMNS, "origin"), rows)

    def services(self, year: int) -> pd.DataFrame:
        """The year's services (schema.SERVICES_COLUMNS), with origin ('return'/'rollover') and provenance."""
        self._require_year(year)
        frame = self._frame("services", [*schema.SERVICES_COLUMNS, "origin", "provenance"], year, "service_id")
        return frame.astype({"employs_practitioners": bool})

    def staffing(self, year: int) -> pd.DataFrame:
        """The year's staffing (schema.STAFFING_COLUMNS) as revised, with provenance naming each revision."""
        self._require_year(year)
        rows = self._rows(
            f"SELECT s.{', s.'.join(schema.STAFFING_COLUMNS)}, s.origin, r.from_year FROM staffing s "
            "LEFT JOIN rollovers r ON r.year = s.year AND r.service_id = s.service_id "
            "WHERE s.year = ? ORDER BY s.service_id, s.police_force_area",
            year,
        )
        notes: dict[tuple[str, str], list[str]] = {}
        for sid, area, name, old, new, source in self._rows(
            "SELECT service_id, police_force_area, field, old_value, new_value, source FROM revisions "
            "WHERE year = ? ORDER BY id",
            year,
        ):
            notes.setdefault((sid, area), []).append(f"revised {name} {number_text(old)}→{number_text(new)} ({source})")
        records = []
        for *values, origin, from_year in rows:
            head = {"return": "return", "revision": "added by revision"}.get(origin, f"rolled over from {from_year}")
            records.append([*values, "; ".join([head, *notes.get((values[0], values[1]), [])])])
        frame = pd.DataFrame(records, columns=[*schema.STAFFING_COLUMNS, "provenance"])
        return frame.astype({c: "int64" if c in schema.COUNT_COLUMNS else "float64" for c in NUMBERS})

    def revisions(self, year: int) -> pd.DataFrame:
        """Every revision applied to the year, oldest first, with the value it replaced and its source."""
        self._require_year(year)
        return self._frame("revisions", REVISION_COLUMNS, year, "id")

    def rollovers(self, year: int) -> pd.DataFrame:
        """Services carried into the year from an earlier year's results."""
        self._require_year(year)
        return self._frame("rollovers", ["service_id", "from_year", "source_note", "at"], year, "service_id")

    def acknowledgements(self, year: int) -> pd.DataFrame:
        """The warnings accepted when the year was imported, each with its reason."""
        self._require_year(year)
        columns = ["code", "service_id", "police_force_area", "message", "reason", "at"]
        return self._frame("acknowledgements", columns, year, "id")

    def files(self, year: int) -> pd.DataFrame:
        """The original files of the year's return: name, sha256, size in bytes."""
        self._require_year(year)
        return self._frame("source_files", ["name", "sha256", "size"], year, "name")

    def file_bytes(self, year: int, name: str) -> bytes:
        """One original file of the year's return, byte for byte as imported (checked against its sha256)."""
        self._require_year(year)
        rows = self._rows("SELECT bytes, sha256 FROM source_files WHERE year = ? AND name = ?", year, name)
        if not rows:
            names = ", ".join(self.files(year)["name"])
            raise NotFoundError(f"{year}'s return has no file {name!r}; its files: {names}")
        data = bytes(rows[0][0])
        if hashlib.sha256(data).hexdigest() != rows[0][1]:
            raise StoreError(f"{year}'s file {name!r} no longer matches its checksum; the store is damaged")
        return data

    def summary(self) -> pd.DataFrame:
        """One row per year: when imported, services, staffing rows, rollovers, revisions, warnings, files."""
        columns = [f.name for f in fields(YearCounts)]
        return pd.DataFrame([astuple(counts) for counts in year_counts(self)], columns=columns)

    # -- reference -------------------------------------------------------------------------------------------

    def set_reference(self, year: int, frame: pd.DataFrame, source: str) -> None:
        """Replace the year's reference (police force areas, Marac cases, adult women, recommended FTE)."""
        columns = list(ref.REFERENCE_COLUMNS)
        absent = [c for c in columns if c not in frame.columns]
        if absent:
            raise StoreError(f"the reference lacks column(s) {', '.join(absent)}; nothing was written")
        now = now_seconds()
        rows = [(year, str(r[0]), str(r[1]), *map(float, r[2:]), source, now) for r in frame[columns].to_numpy()]
        with self._transaction() as conn:
            conn.execute("DELETE FROM reference WHERE year = ?", (year,))
            insert_rows(conn, "reference", ("year", *columns, "source", "at"), rows)

    def reference(self, year: int) -> pd.DataFrame:
        """The year's reference as imported, else the bundled one (else ReferenceError_)."""
        frame = self._frame("reference", ref.REFERENCE_COLUMNS, year, "police_force_area")
        return frame if len(frame) else ref.bundled_reference(year)

    def reference_source(self, year: int) -> str:
        """Where the year's reference comes from: the imported file, or the package's bundled CSV."""
        rows = self._rows("SELECT source, at FROM reference WHERE year = ? LIMIT 1", year)
        if rows:
            return f"{rows[0][0]} (imported {rows[0][1]})"
        ref.bundled_reference(year)
        return ref.bundled_source(year)
