"""`survey check`: verify a store, whatever its backend, and name every problem found.

SQLite's own checks (integrity_check, foreign_key_check, the tables' columns, the AUTOINCREMENT counter) run only on
a SQLite store; everything else is portable SQL through the store's read method, and the coding log is replayed by
log_replay, independently of the code that derives the current codes; live_codes, the copy of the log's live codes
that the coding loop reads, is compared with the log too. Problems name tables, ids, years and file names, never
free text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from practitioner_survey.errors import StoreError
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.store.check_figures import figure_problems
from practitioner_survey.store.check_sqlite import sqlite_problems
from practitioner_survey.store.check_warnings import import_findings
from practitioner_survey.store.core import Store
from practitioner_survey.store.log_replay import CODING_ACTIONS, LogComment, LogEntry, replay_log
from practitioner_survey.store.schema import MIGRATIONS

# Rows that point nowhere: (what is wrong, portable SQL selecting the ids to name); the report says "N × <what>: <ids>".
# On SQLite the declared foreign keys cover some of these too; these also catch what no foreign key declares.
_ORPHANS: tuple[tuple[str, str], ...] = (
    ("an original file of a year not in the store (year, file)",
     "SELECT f.year, f.name FROM source_files f LEFT JOIN imports i ON i.year = f.year WHERE i.year IS NULL"),
    ("an original file from another import than its year's (year, file)",
     "SELECT f.year, f.name FROM source_files f JOIN imports i ON i.year = f.year "
     "WHERE f.import_checksum <> i.checksum"),
    ("a service of a year not in the store (year, service)",
     "SELECT s.year, s.service_id FROM services s LEFT JOIN imports i ON i.year = s.year WHERE i.year IS NULL"),
    ("a staffing row without its service (year, service, police force area)",
     "SELECT t.year, t.service_id, t.police_force_area FROM staffing t LEFT JOIN services s "
     "ON s.year = t.year AND s.service_id = t.service_id WHERE s.service_id IS NULL"),
    ("a rollover without its service (year, service)",
     "SELECT r.year, r.service_id FROM rollovers r LEFT JOIN services s "
     "ON s.year = r.year AND s.service_id = r.service_id WHERE s.service_id IS NULL"),
    ("a rollover from a year not in the store (year, service, from year)",
     "SELECT r.year, r.service_id, r.from_year FROM rollovers r LEFT JOIN imports i ON i.year = r.from_year "
     "WHERE i.year IS NULL"),
    ("a revision without its staffing row (revision id)",
     "SELECT r.id FROM revisions r LEFT JOIN staffing t ON t.year = r.year AND t.service_id = r.service_id "
     "AND t.police_force_area = r.police_force_area WHERE t.service_id IS NULL"),
    ("an acknowledged warning of a year not in the store (id)",
     "SELECT a.id FROM acknowledgements a LEFT JOIN imports i ON i.year = a.year WHERE i.year IS NULL"),
    ("a comment without its service (comment id)",
     "SELECT c.id FROM comments c LEFT JOIN services s ON s.year = c.year AND s.service_id = c.service_id "
     "WHERE s.service_id IS NULL"),
    ("a decision for a comment not in the store (decision id)",
     "SELECT d.id FROM decisions d LEFT JOIN comments c ON c.id = d.comment_id WHERE c.id IS NULL"),
    ("a claim on a comment not in the store (claim id)",
     "SELECT k.id FROM claims k LEFT JOIN comments c ON c.id = k.comment_id WHERE c.id IS NULL"),
    ("a claim whose year or question differs from its comment's (claim id)",
     "SELECT k.id FROM claims k JOIN comments c ON c.id = k.comment_id "
     "WHERE k.year <> c.year OR k.question <> c.question"),
    ("two open claims of one analyst on one comment (comment id, analyst)",
     "SELECT comment_id, analyst FROM claims WHERE released = 0 GROUP BY comment_id, analyst HAVING COUNT(*) > 1"),
)  # fmt: skip
_MAX_IDS = 10  # ids named per kind of problem; the rest are counted


@dataclass(frozen=True)
class CheckReport:
    """What `survey check` found: every problem (one line each) and what the store holds."""

    location: str
    schema_version: int
    problems: list[str]
    years: int = 0
    services: int = 0
    comments: int = 0
    active_comments: int = 0
    decisions: int = 0
    files: int = 0
    warnings: tuple[str, ...] = ()  # what an import of the stored figures would warn of, accepted by no one

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line of counts, for the OK message."""
        return (
            f"{self.years} year(s), {self.services} services, {self.comments} comments ({self.active_comments} "
            f"active), {self.decisions} decisions, {self.files} original file(s) matching their checksums"
        )


def is_sqlite(store: Store) -> bool:
    """Whether the store is a SQLite database (a file, or in memory)."""
    return getattr(store, "dialect", "sqlite") == "sqlite" and "://" not in str(getattr(store, "path", ""))


def _count(store: Store, sql: str) -> int:
    """A count for the report's summary; 0 when damage stops it (the problems say so)."""
    try:
        return int(store._rows(sql)[0][0])
    except StoreError:
        return 0


def _named(what: str, rows: list[tuple[Any, ...]]) -> str:
    ids = ", ".join("/".join(map(str, row)) if len(row) > 1 else str(row[0]) for row in rows[:_MAX_IDS])
    more = f" and {len(rows) - _MAX_IDS} more" if len(rows) > _MAX_IDS else ""
    return f"{len(rows)} × {what}: {ids}{more}"


def _file_problems(store: Store) -> list[str]:
    problems, names = [], store._rows("SELECT year, name FROM source_files ORDER BY year, name")
    for year, name in names:  # one at a time: the files can be large
        data, sha256, size = store._rows("SELECT bytes, sha256, size FROM source_files WHERE year = ? AND name = ?",
                                         year, name)[0]  # fmt: skip
        data = bytes(data)
        if hashlib.sha256(data).hexdigest() != sha256:
            problems.append(f"{year}'s original file {name!r} no longer matches its SHA-256 checksum")
        elif len(data) != size:
            problems.append(f"{year}'s original file {name!r} is {len(data)} bytes, recorded as {size}")
    return problems


def _comment_problems(store: Store) -> list[str]:
    """Offsets that fall outside the answer they point into, and 'replaces' lists naming no comment."""
    problems, ids = [], {r[0] for r in store._rows("SELECT id FROM comments")}
    sql = (
        "SELECT c.id, c.question, c.start_offset, c.end_offset, c.replaces, "
        f"{', '.join('s.' + q for q in FREE_TEXT_QUESTIONS)} FROM comments c "
        "JOIN services s ON s.year = c.year AND s.service_id = c.service_id ORDER BY c.id"
    )
    for cid, question, start, end, replaces, *answers in store._rows(sql):
        answer = dict(zip(FREE_TEXT_QUESTIONS, answers, strict=True)).get(question)
        if answer is None:
            problems.append(f"comment {cid} answers an unknown question {question!r}")
        elif not 0 <= start < end <= len(answer):
            problems.append(f"comment {cid}'s offsets {start}-{end} fall outside its answer ({len(answer)} characters)")
        try:
            replaced = json.loads(replaces) if replaces else []
        except ValueError:
            replaced = None
        if not isinstance(replaced, list) or any(r not in ids for r in replaced):
            problems.append(f"comment {cid} replaces comments that are not in the store")
    return problems


def _replaced(text: Any) -> tuple[int, ...]:
    try:
        return tuple(int(r) for r in json.loads(text or "[]"))
    except (ValueError, TypeError):
        return ()  # reported by _comment_problems


def _log_problems(store: Store) -> list[str]:
    """Replay the log independently and compare it with what the store says the comments and codes are."""
    rows = store._rows("SELECT id, year, service_id, question, origin, replaces, active FROM comments")
    comments = {int(r[0]): LogComment(int(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), _replaced(r[5]))
                for r in rows}  # fmt: skip
    stored_active = {int(r[0]) for r in rows if r[6]}
    entries = _log_entries(store)
    replayed = replay_log(comments.values(), entries)
    problems = list(replayed.problems) + _live_code_problems(store, set(comments), entries)
    for cid in sorted(stored_active - replayed.active):
        problems.append(f"comment {cid} is stored as active, but the log split, merged or never made it")
    for cid in sorted(replayed.active - stored_active):
        problems.append(f"comment {cid} is stored as inactive, but the log leaves it active")
    expected = {cid: (c.category_id, c.subcategory_id, c.analyst, c.action) for cid, c in replayed.codes.items()}
    for year in store.years():
        frame = store.current_codes(year)[["comment_id", "category_id", "subcategory_id", "analyst", "action"]]
        stored = {int(r[0]): (str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in frame.itertuples(index=False)}
        mine = {cid: code for cid, code in expected.items() if comments[cid].year == year}
        for cid in sorted(set(stored) | set(mine)):
            if stored.get(cid) != mine.get(cid):
                problems.append(f"comment {cid} ({year}): its current code, {_code(stored.get(cid))}, differs from "
                                f"the log replayed, {_code(mine.get(cid))}")  # fmt: skip
        for question in sorted({c.question for c in comments.values() if c.year == year}):
            live = store.coding_state(year, question).coded
            for cid in sorted(c.id for c in comments.values() if c.year == year and c.question == question):
                want = mine[cid][2:] if cid in mine else None
                if cid in replayed.active and live.get(cid) != want:
                    problems.append(f"comment {cid} ({year}): the coding loop's view of who coded it differs from "
                                    "the log replayed")  # fmt: skip
    return problems


def _live_code_problems(store: Store, comments: set[int], entries: list[LogEntry]) -> list[str]:
    """live_codes, which the coding loop reads instead of the log, against the log: it must hold every coding
    decision that no undo has taken back (double codings included), as logged, and nothing else."""
    expected = _expected_live_codes(comments, entries)
    stored = {int(r[0]): (int(r[1]), int(r[2]), *map(str, r[3:])) for r in store._rows(
        "SELECT decision_id, comment_id, year, question, analyst, action, category_id, subcategory_id, kind "
        "FROM live_codes")}  # fmt: skip
    problems = []
    for what, ids in (
        ("a live coding decision of the log missing from live_codes (decision id)", set(expected) - set(stored)),
        ("a row of live_codes for a decision the log has not left live (decision id)", set(stored) - set(expected)),
        ("a row of live_codes that differs from its decision (decision id)",
         {i for i in set(expected) & set(stored) if expected[i] != stored[i]}),
    ):  # fmt: skip
        if ids:
            problems.append(_named(what, [(i,) for i in sorted(ids)]))
    return problems


def _log_entries(store: Store) -> list[LogEntry]:
    """The store's coding log, oldest first."""
    return [LogEntry(int(i), int(y), int(c), str(q), str(a), str(act), str(cat or ""), str(sub or ""), p)
            for i, y, c, q, a, act, cat, sub, p in store._rows(
                "SELECT id, year, comment_id, question, analyst, action, category_id, subcategory_id, payload "
                "FROM decisions ORDER BY id")]  # fmt: skip


def rebuild_live_codes(store: Store) -> tuple[int, int]:
    """Make live_codes (derived; the coding loop reads it) what the log says again, replacing every row in one
    write transaction that no analyst's decision can interleave with; returns (rows before, rows after).

    For a store whose check reports live_codes problems: the log, the source of truth, is left as it is."""
    with store._transaction() as conn:
        comments = {int(r[0]) for r in store._rows("SELECT id FROM comments")}
        expected = _expected_live_codes(comments, _log_entries(store))
        before = int(conn.execute("SELECT COUNT(*) FROM live_codes").fetchone()[0])
        conn.execute("DELETE FROM live_codes")
        conn.executemany(
            "INSERT INTO live_codes (decision_id, comment_id, year, question, analyst, action, category_id,"
            " subcategory_id, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(decision_id, *row) for decision_id, row in sorted(expected.items())],
        )
    return before, len(expected)


def _expected_live_codes(comments: set[int], entries: list[LogEntry]) -> dict[int, tuple[Any, ...]]:
    """Per decision id, the live_codes row the log implies (comment, year, question, analyst, action, category,
    subcategory, kind), replayed here independently of the code that keeps live_codes."""
    expected: dict[int, tuple[Any, ...]] = {}
    for e in sorted(entries, key=lambda e: e.id):
        if e.comment_id not in comments:
            continue  # reported with the orphan rows; it counts for nothing in the replay either
        try:
            payload = json.loads(e.payload) if isinstance(e.payload, str) else e.payload
        except ValueError:
            payload = None  # reported by the replay
        payload = payload if isinstance(payload, dict) else {}
        if e.action in CODING_ACTIONS:
            kind = "double" if payload.get("double") else "primary"
            expected[e.id] = (e.comment_id, e.year, e.question, e.analyst, e.action, e.category_id, e.subcategory_id,
                              kind)  # fmt: skip
        elif e.action == "undo" and isinstance(payload.get("undoes"), int):
            expected.pop(payload["undoes"], None)
    return expected


def _code(code: tuple[str, str, str, str] | None) -> str:
    if code is None:
        return "none"
    category, sub, analyst, action = code
    return f"{category}{' › ' + sub if sub else ''} ({action} by {analyst})"


def check_store(store: Store) -> CheckReport:
    """Verify a store: SQLite's own checks (on SQLite), the schema version, rows that point nowhere, the
    original files against their checksums, the stored figures against the import's rules (its unaccepted
    warnings listed apart), and the decision log replayed against the comments and codes.

    Everything is read inside one read-only snapshot, so a store in use is checked as it stood at one moment,
    while others go on coding and importing."""
    with store._snapshot():
        return _check(store)


def _check(store: Store) -> CheckReport:
    version = store.schema_version
    problems = []
    if version != len(MIGRATIONS):
        problems.append(f"schema version {version}, expected {len(MIGRATIONS)}")
    sections = [("SQLite's own checks", sqlite_problems)] if is_sqlite(store) else []
    sections += [("rows that point nowhere", _orphan_problems), ("the original files", _file_problems),
                 ("the stored figures", figure_problems), ("the comments", _comment_problems),
                 ("the coding log", _log_problems)]  # fmt: skip
    for what, section in sections:
        try:  # a damaged store: each part is checked as far as it can be read
            problems += section(store)
        except StoreError as exc:
            problems.append(f"{what} could not be checked: {exc}")
    warnings: list[str] = []
    try:
        found, warnings = import_findings(store)
        problems += found
    except StoreError as exc:
        problems.append(f"the stored figures could not be checked as an import checks them: {exc}")
    return CheckReport(
        str(getattr(store, "path", "")), version, problems, warnings=tuple(warnings),
        years=_count(store, "SELECT COUNT(*) FROM imports"), services=_count(store, "SELECT COUNT(*) FROM services"),
        comments=_count(store, "SELECT COUNT(*) FROM comments"),
        active_comments=_count(store, "SELECT COUNT(*) FROM comments WHERE active = 1"),
        decisions=_count(store, "SELECT COUNT(*) FROM decisions"),
        files=_count(store, "SELECT COUNT(*) FROM source_files"),
    )  # fmt: skip


def _orphan_problems(store: Store) -> list[str]:
    return [_named(what, rows) for what, sql in _ORPHANS if (rows := store._rows(sql))]


def check_file(path: str | Path) -> CheckReport:
    """Check the store in a SQLite file (a backup, say) that must already exist."""
    with Store(path, create=False) as store:
        return check_store(store)
