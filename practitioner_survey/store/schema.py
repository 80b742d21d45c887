"""The store's schema: the frozen SQL of each version and the ordered list of migrations between them.

Used only by store/core.py; with the other store modules, the only place in the package that holds SQL. A store's
schema version is how many of MIGRATIONS it has had; to change the schema, append a migration and never edit an
earlier one. The SQL is SQLite's; on PostgreSQL, db.PostgresConnection maps its types (db.dialect(conn) tells a
migration which database it runs on).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from practitioner_survey.store.db import SQL, dialect

#: Where the schema version is kept; created before any migration runs.
STORE_META = "CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"

# Frozen: a later schema change is a new migration, never an edit here.
_SCHEMA_V1 = """
CREATE TABLE imports (year INTEGER PRIMARY KEY, checksum TEXT NOT NULL, imported_at TEXT NOT NULL);
CREATE TABLE source_files (
    year INTEGER NOT NULL REFERENCES imports (year) ON DELETE CASCADE, name TEXT NOT NULL,
    sha256 TEXT NOT NULL, size INTEGER NOT NULL, bytes BLOB NOT NULL,
    import_checksum TEXT NOT NULL, imported_at TEXT NOT NULL,
    PRIMARY KEY (year, name));
CREATE TABLE services (
    year INTEGER NOT NULL REFERENCES imports (year) ON DELETE CASCADE,
    service_id TEXT NOT NULL, service_name TEXT NOT NULL, employs_practitioners INTEGER NOT NULL,
    response_mode TEXT NOT NULL, source_note TEXT NOT NULL, idva_cases TEXT NOT NULL,
    idva_locations TEXT NOT NULL, biggest_difference TEXT NOT NULL, survivor_challenges TEXT NOT NULL,
    other_comments TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('return', 'rollover')), provenance TEXT NOT NULL,
    PRIMARY KEY (year, service_id));
CREATE TABLE staffing (
    year INTEGER NOT NULL, service_id TEXT NOT NULL, police_force_area TEXT NOT NULL,
    idva_headcount INTEGER NOT NULL, idva_fte REAL NOT NULL, idva_fte_high_risk REAL NOT NULL,
    outreach_fte REAL NOT NULL, refuge_fte REAL NOT NULL, isva_fte REAL NOT NULL, ypva_fte REAL NOT NULL,
    children_fte REAL NOT NULL, perpetrator_fte REAL NOT NULL, other_fte REAL NOT NULL,
    volunteers INTEGER NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('return', 'rollover', 'revision')),
    PRIMARY KEY (year, service_id, police_force_area),
    FOREIGN KEY (year, service_id) REFERENCES services (year, service_id) ON DELETE CASCADE);
CREATE TABLE rollovers (
    year INTEGER NOT NULL, service_id TEXT NOT NULL, from_year INTEGER NOT NULL,
    source_note TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (year, service_id),
    FOREIGN KEY (year, service_id) REFERENCES services (year, service_id) ON DELETE CASCADE);
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY, year INTEGER NOT NULL, service_id TEXT NOT NULL, police_force_area TEXT NOT NULL,
    field TEXT NOT NULL, old_value REAL NOT NULL, new_value REAL NOT NULL, source TEXT NOT NULL,
    file TEXT NOT NULL, file_sha256 TEXT NOT NULL, file_row INTEGER, at TEXT NOT NULL,
    FOREIGN KEY (year, service_id) REFERENCES services (year, service_id) ON DELETE CASCADE);
CREATE TABLE acknowledgements (
    id INTEGER PRIMARY KEY, year INTEGER NOT NULL REFERENCES imports (year) ON DELETE CASCADE,
    code TEXT NOT NULL, service_id TEXT NOT NULL, police_force_area TEXT NOT NULL,
    message TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE reference (
    year INTEGER NOT NULL, police_force_area TEXT NOT NULL, region TEXT NOT NULL,
    marac_cases REAL NOT NULL, adult_female_population REAL NOT NULL, recommended_fte REAL NOT NULL,
    source TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (year, police_force_area))
"""


def _migration_1(conn: SQL) -> None:
    for statement in _SCHEMA_V1.split(";"):
        conn.execute(statement)


# Version 2: free text split into comments, and the append-only log of coding decisions. Frozen.
_SCHEMA_V2 = """
CREATE TABLE comments (
    id INTEGER PRIMARY KEY, year INTEGER NOT NULL, service_id TEXT NOT NULL, question TEXT NOT NULL,
    start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('splitter', 'bundled', 'split', 'merge')),
    replaces TEXT NOT NULL DEFAULT '', active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL,
    FOREIGN KEY (year, service_id) REFERENCES services (year, service_id) ON DELETE CASCADE);
CREATE INDEX comments_by_question ON comments (year, question, active);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, year INTEGER NOT NULL, comment_id INTEGER NOT NULL,
    question TEXT NOT NULL, analyst TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('code', 'auto', 'adjudicate', 'quote', 'note', 'undo')),
    category_id TEXT NOT NULL DEFAULT '', subcategory_id TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL DEFAULT '{}', suggestion TEXT NOT NULL DEFAULT '[]',
    model_version TEXT NOT NULL DEFAULT '', codebook_version TEXT NOT NULL DEFAULT '', at TEXT NOT NULL,
    FOREIGN KEY (comment_id) REFERENCES comments (id) ON DELETE CASCADE);
CREATE INDEX decisions_by_comment ON decisions (comment_id, id);
CREATE INDEX decisions_by_year ON decisions (year, question, id)
"""


def _migration_2(conn: SQL) -> None:
    for statement in _SCHEMA_V2.split(";"):
        conn.execute(statement)


# Version 3: claims (which analyst is coding which comment, so two never get the same one), and 'split'/'merge'
# allowed in the log. SQLite cannot alter a CHECK constraint, so the decisions table is rebuilt as its documented
# procedure says (create the new table, copy every row with its id, drop the old, rename), keeping the
# AUTOINCREMENT counter so that no id is ever handed out twice. Frozen.
_SCHEMA_V3 = """
CREATE TABLE claims (
    id INTEGER PRIMARY KEY, year INTEGER NOT NULL,
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE, question TEXT NOT NULL,
    analyst TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('primary', 'double')),
    at TEXT NOT NULL, released INTEGER NOT NULL DEFAULT 0);
CREATE INDEX claims_open ON claims (year, released, comment_id);
CREATE TABLE decisions_v3 (
    id INTEGER PRIMARY KEY AUTOINCREMENT, year INTEGER NOT NULL, comment_id INTEGER NOT NULL,
    question TEXT NOT NULL, analyst TEXT NOT NULL,
    action TEXT NOT NULL
        CHECK (action IN ('code', 'auto', 'adjudicate', 'quote', 'note', 'undo', 'split', 'merge')),
    category_id TEXT NOT NULL DEFAULT '', subcategory_id TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL DEFAULT '{}', suggestion TEXT NOT NULL DEFAULT '[]',
    model_version TEXT NOT NULL DEFAULT '', codebook_version TEXT NOT NULL DEFAULT '', at TEXT NOT NULL,
    FOREIGN KEY (comment_id) REFERENCES comments (id) ON DELETE CASCADE);
INSERT INTO decisions_v3 (id, year, comment_id, question, analyst, action, category_id, subcategory_id, payload,
    suggestion, model_version, codebook_version, at)
    SELECT id, year, comment_id, question, analyst, action, category_id, subcategory_id, payload, suggestion,
    model_version, codebook_version, at FROM decisions ORDER BY id;
DROP TABLE decisions;
ALTER TABLE decisions_v3 RENAME TO decisions;
CREATE INDEX decisions_by_comment ON decisions (comment_id, id);
CREATE INDEX decisions_by_year ON decisions (year, question, id)
"""


def _migration_3(conn: SQL) -> None:
    if dialect(conn) == "postgresql":  # identity columns: the copied ids move the counter past the highest
        for statement in _SCHEMA_V3.split(";"):
            conn.execute(statement)
        conn.execute("SELECT setval(pg_get_serial_sequence('decisions', 'id'), MAX(id)) FROM decisions")
        return
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'decisions'").fetchone()
    for statement in _SCHEMA_V3.split(";"):
        conn.execute(statement)
    if row is not None:  # the highest id ever given, even if its row has since gone (a replaced year)
        conn.execute("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'decisions'", (row[0],))
        if conn.execute("SELECT changes()").fetchone()[0] == 0:
            conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('decisions', ?)", (row[0],))


# Version 4: live_codes, every coding decision of the log that no undo has taken back, kept in the same transaction
# as the decision or undo that changes it, so that the coding loop reads a comment's standing by index instead of
# replaying the whole log on every key. Derived: the log stays the source of truth, `survey check` compares the
# two, and this migration fills the table from the log as it stands. Claims gain an index by comment, which every
# claim and release looks them up by. Frozen.
_SCHEMA_V4 = """
CREATE TABLE live_codes (
    decision_id INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    year INTEGER NOT NULL, question TEXT NOT NULL, analyst TEXT NOT NULL, action TEXT NOT NULL,
    category_id TEXT NOT NULL, subcategory_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('primary', 'double')));
CREATE INDEX live_codes_by_comment ON live_codes (comment_id, decision_id);
CREATE INDEX live_codes_by_question ON live_codes (year, question, decision_id);
CREATE INDEX claims_by_comment ON claims (comment_id, released)
"""


def _migration_4(conn: SQL) -> None:
    for statement in _SCHEMA_V4.split(";"):
        conn.execute(statement)
    live: dict[int, tuple[object, ...]] = {}
    sql = (  # a decision whose comment is gone counts for nothing, as log_replay has it
        "SELECT d.id, d.comment_id, d.year, d.question, d.analyst, d.action, d.category_id, d.subcategory_id,"
        " d.payload FROM decisions d JOIN comments c ON c.id = d.comment_id ORDER BY d.id"
    )
    for decision_id, comment_id, year, question, analyst, action, category, subcategory, text in conn.execute(sql):
        payload = json.loads(text) if text and text != "{}" else {}
        payload = payload if isinstance(payload, dict) else {}
        if action in ("code", "auto", "adjudicate"):
            kind = "double" if payload.get("double") else "primary"
            live[decision_id] = (decision_id, comment_id, year, question, analyst, action, category or "",
                                 subcategory or "", kind)  # fmt: skip
        elif action == "undo" and isinstance(payload.get("undoes"), int):
            live.pop(payload["undoes"], None)
    conn.executemany(
        "INSERT INTO live_codes (decision_id, comment_id, year, question, analyst, action, category_id,"
        " subcategory_id, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        list(live.values()),
    )


# Version 5: each claim names the coding session that holds it (a token of its own, '' for claims made before), so
# that two sessions of one analyst (two machines) neither release nor code under each other's claims. Frozen.
_SCHEMA_V5 = "ALTER TABLE claims ADD COLUMN session TEXT NOT NULL DEFAULT ''"


def _migration_5(conn: SQL) -> None:
    conn.execute(_SCHEMA_V5)


#: Applied in order, each once; a store's schema version is how many it has had. Only ever append to this.
MIGRATIONS: list[Callable[[SQL], None]] = [_migration_1, _migration_2, _migration_3, _migration_4, _migration_5]
