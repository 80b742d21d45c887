"""Opening a SQLite file as a store: look first, write only to a store of ours.

A file is checked before SQLite touches it: an empty file is not a store yet (made into one only by a command that
creates stores), a file that does not start with SQLite's header is refused, and another program's SQLite database
(tables, but no `store_meta`) is refused before anything is written to it, its journal mode included. A store whose
file or folder this user cannot write is opened read-only, so that `status`, `check` and `tables` still read it.
Text that is not UTF-8 (a damaged byte) is read with U+FFFD in its place: sqlite3's own error would quote the text.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from practitioner_survey.errors import NotFoundError, StoreError

#: The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"
#: How sqlite3 is told to read text: damaged bytes become U+FFFD instead of an error quoting the text.
read_text = functools.partial(str, encoding="utf-8", errors="replace")


def _no_store(path: Path, why: str) -> NotFoundError:
    return NotFoundError(
        f"no store at {path.resolve()} ({why}); import returns first (survey import PATH --year YEAR) "
        "or point --db at your store"
    )


def _uri(path: Path, *, immutable: bool) -> str:
    return f"file:{quote(str(path.resolve()))}?mode=ro{'&immutable=1' if immutable else ''}"


def _read_only_uri(path: Path) -> str | None:
    """The read-only URI to open the store with, or None when this user may write both the file and its folder.

    In a folder that cannot be written SQLite cannot make the files that WAL reading needs, so the store is read as
    immutable, unless a write-ahead log holding unfolded commits lies beside it (which mode=ro reads)."""
    folder_writable = os.access(path.parent.resolve(), os.W_OK)
    if folder_writable and os.access(path, os.W_OK):
        return None
    wal = Path(f"{path}-wal")
    pending = wal.is_file() and wal.stat().st_size > 0
    return _uri(path, immutable=not folder_writable and not pending)


def _looked_at(path: Path, create: bool) -> bool:
    """Check the file before SQLite opens it; True when there is no store yet and one may be made."""
    if path.is_dir():
        raise StoreError(f"the store {path} is a folder, not a file: point --db at the store's file")
    if not path.exists():
        if not create:
            raise _no_store(path, "the file does not exist")
        return True
    try:
        with path.open("rb") as file:
            head = file.read(100)
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc.strerror}") from None
    if not head:
        if not create:
            raise _no_store(path, "the file is empty, 0 bytes")
        return True
    if not head.startswith(SQLITE_HEADER):
        raise StoreError(
            f"{path} is not a survey store: it is not a SQLite database (its first bytes are not SQLite's header; "
            "a damaged or different kind of file); it was left untouched. Restore a backup (survey restore) or "
            "point --db at your store"
        )
    if len(head) < 100:
        raise StoreError(f"{path} is damaged: it is {len(head)} bytes long, shorter than a SQLite header")
    return False


def _tables(raw: sqlite3.Connection, path: Path, read_only: bool) -> list[str]:
    try:
        return [str(r[0]) for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    except sqlite3.Error as exc:
        if read_only and "unable to open" in str(exc):
            raise StoreError(
                f"cannot read the store {path} read-only: its write-ahead log ({path.name}-wal) holds changes that "
                "need a writable folder to read; open it once where it can be written, or copy the folder"
            ) from None
        message = f"cannot open the store {path}: it is damaged ({exc}); restore a backup (survey restore)"
        raise StoreError(message) from None


def open_sqlite(location: str, *, create: bool, timeout: float) -> tuple[sqlite3.Connection, bool]:
    """(connection, read_only) for the store at `location` (a file, or ':memory:'), foreign keys on and, when it
    can be written, in WAL mode. StoreError for a file that is not a store of ours; NotFoundError when there is no
    store and `create` is False."""
    path, uri = Path(location), None
    fresh = location == ":memory:" or _looked_at(path, create)
    if not fresh:
        uri = _read_only_uri(path)
    try:
        raw = sqlite3.connect(uri or location, isolation_level=None, timeout=timeout, uri=uri is not None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the store {location}: {exc}") from None
    raw.text_factory = read_text
    try:
        raw.execute("PRAGMA foreign_keys = ON")
        tables = _tables(raw, path, uri is not None)
        if tables and "store_meta" not in tables:
            shown = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
            raise StoreError(
                f"{location} is not a survey store: it is another program's SQLite database (tables {shown}); "
                "it was left untouched. Point --db at your survey store, or at a new file to make one"
            )
        if not tables and not create:
            raise _no_store(path, "the SQLite file holds no tables")
        if uri is None:
            raw.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as exc:
        raw.close()
        raise StoreError(f"cannot open the store {location} (is it a survey store?): {exc}") from None
    except BaseException:
        raw.close()
        raise
    return raw, uri is not None
