"""The store's coding half: comments (offsets into answers) and the append-only log of decisions.

Mixed into store.Store; with store.py and store_schema.py, the only place that speaks SQL. A decision is never
updated or deleted: undo is a decision of its own, naming the one it undoes; a comment's code is read from the log.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from practitioner_survey.db import SQL
from practitioner_survey.errors import StoreError

COMMENT_COLUMNS = ("id", "service_id", "question", "start_offset", "end_offset", "origin", "replaces", "active")
DECISION_COLUMNS = ("id", "comment_id", "question", "analyst", "action", "category_id", "subcategory_id", "payload",
                    "suggestion", "model_version", "codebook_version", "at")  # fmt: skip
CODING_ACTIONS = ("code", "auto", "adjudicate")


@dataclass(frozen=True)
class NewComment:
    service_id: str
    question: str
    start: int
    end: int
    origin: str = "splitter"


@dataclass(frozen=True)
class Decision:
    """One entry of the coding log."""

    year: int
    comment_id: int
    question: str
    analyst: str
    action: str
    category_id: str = ""
    subcategory_id: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    suggestion: list[dict[str, Any]] = field(default_factory=list)
    model_version: str = ""
    codebook_version: str = ""


class CodingStore:
    """Comments and decisions; needs the host's _transaction() and _rows()."""

    def _transaction(self) -> AbstractContextManager[SQL]:
        raise NotImplementedError

    def _rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def add_comments(self, year: int, comments: Sequence[NewComment], replaces: Sequence[int] = ()) -> list[int]:
        """Insert comments (and retire the ones they replace, after a split or merge), atomically."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction() as conn:
            ids = _insert_comments(conn, year, comments, replaces, now)
            for old in replaces:
                conn.execute("UPDATE comments SET active = 0 WHERE id = ?", (old,))
        return ids

    def comments(self, year: int, question: str | None = None, active_only: bool = True) -> pd.DataFrame:
        """The year's comments with their answers' text sliced by offset (never stored twice)."""
        sql = (
            "SELECT c.id, c.service_id, c.question, c.start_offset, c.end_offset, c.origin, c.replaces, c.active,"
            " s.biggest_difference, s.survivor_challenges, s.other_comments FROM comments c"
            " JOIN services s ON s.year = c.year AND s.service_id = c.service_id WHERE c.year = ?"
        )
        params: list[Any] = [year]
        if question:
            sql += " AND c.question = ?"
            params.append(question)
        if active_only:
            sql += " AND c.active = 1"
        rows = self._rows(sql + " ORDER BY c.id", *params)
        out = []
        for row in rows:
            answers = dict(zip(("biggest_difference", "survivor_challenges", "other_comments"), row[8:], strict=True))
            record = dict(zip(COMMENT_COLUMNS, row[:8], strict=True))
            record["answer"] = answers[record["question"]]
            record["text"] = record["answer"][record["start_offset"] : record["end_offset"]]
            out.append(record)
        return pd.DataFrame(out, columns=[*COMMENT_COLUMNS, "answer", "text"])

    def log(self, decisions: Sequence[Decision]) -> list[int]:
        """Append decisions to the log at once (one transaction); returns their ids."""
        now = _now()
        with self._transaction() as conn:
            return [_log(conn, d, now) for d in decisions]

    def decisions(self, year: int, question: str | None = None) -> pd.DataFrame:
        """The log, oldest first."""
        sql = f"SELECT {', '.join(DECISION_COLUMNS)} FROM decisions WHERE year = ?"
        params: list[Any] = [year]
        if question:
            sql += " AND question = ?"
            params.append(question)
        frame = pd.DataFrame(self._rows(sql + " ORDER BY id", *params), columns=list(DECISION_COLUMNS))
        frame["payload"] = frame["payload"].map(json.loads)
        return frame

    def current_codes(self, year: int, question: str | None = None) -> pd.DataFrame:
        """Each active comment's code as the log stands: its latest code that no undo has taken back (a double
        coding's decision, payload {"double": true}, never counts).

        Columns: comment_id, question, service_id, category_id, subcategory_id, analyst, action.
        """
        log = self.decisions(year, question)
        undone = {int(p["undoes"]) for p in log.loc[log["action"] == "undo", "payload"] if "undoes" in p}
        double = log["payload"].map(lambda p: bool(p.get("double"))).astype(bool)  # a blind second coding
        live = log[log["action"].isin(CODING_ACTIONS) & ~log["id"].isin(undone) & ~double]
        latest = live.groupby("comment_id").tail(1)
        comments = self.comments(year, question)[["id", "service_id", "question"]].rename(columns={"id": "comment_id"})
        merged = comments.merge(
            latest[["comment_id", "category_id", "subcategory_id", "analyst", "action"]], on="comment_id", how="inner"
        )
        return merged.reset_index(drop=True)

    def load_coded(self, year: int, items: Sequence[CodedComment], analyst: str) -> int:
        """Store comments that arrive already coded, with their codes and quotes, all or nothing."""
        with self._transaction() as conn:
            return load_coded_sql(conn, year, items, analyst, datetime.now(UTC).isoformat(timespec="seconds"))

    def has_comments(self, year: int) -> bool:
        return bool(self._rows("SELECT 1 FROM comments WHERE year = ? LIMIT 1", year))

    # -- the coding loop: comments made once, claims, decisions with their side effects -------------------------

    def question_has_comments(self, year: int, question: str) -> bool:
        return bool(self._rows("SELECT 1 FROM comments WHERE year = ? AND question = ? LIMIT 1", year, question))

    def ensure_comments(self, year: int, question: str, comments: Sequence[NewComment]) -> bool:
        """Insert a question's first comments unless it has some already (another session was first); atomic."""
        with self._transaction() as conn:
            sql = "SELECT 1 FROM comments WHERE year = ? AND question = ? LIMIT 1"
            if conn.execute(sql, (year, question)).fetchone():
                return False
            _insert_comments(conn, year, comments, (), _now())
        return True

    def coding_state(self, year: int, question: str) -> LiveState:
        """Each comment's live code and live double codings, as the log stands."""
        return live_state(self._rows(_LOG_SQL, year, question))

    def claim(self, year: int, question: str, analyst: str, kind: str, candidates: Sequence[int], cutoff: str) -> int:
        """Claim the first candidate this analyst may code now, in one write transaction; 0 if none.

        A 'primary' claim needs an active comment nobody has coded; a 'double' one an active comment another
        analyst has coded by hand and nobody has double-coded. Either way no other analyst may hold a claim on
        it made after `cutoff` (older claims are abandoned and taken over).
        """
        with self._transaction() as conn:
            active, state, blocked = _situation(conn, year, question, analyst, cutoff)
            for comment_id in candidates:
                if comment_id in blocked or not _eligible(kind, analyst, comment_id, active, state):
                    continue
                now = _now()
                conn.execute(
                    "UPDATE claims SET released = 1 WHERE comment_id = ? AND released = 0 AND analyst <> ?",
                    (comment_id, analyst),
                )
                _claim(conn, year, question, analyst, [(comment_id, kind)], now)
                return comment_id
        return 0

    def resume_claim(self, year: int, questions: Sequence[str], analyst: str) -> Claim | None:
        """This analyst's newest unreleased claim that is still to be done (its time renewed); claims whose
        comment has since been coded, split or merged are released on the way."""
        with self._transaction() as conn:
            rows = conn.execute(
                "SELECT id, comment_id, question, kind FROM claims WHERE year = ? AND analyst = ? AND released = 0"
                " ORDER BY id DESC",
                (year, analyst),
            ).fetchall()
            situations: dict[str, tuple[set[int], LiveState, set[int]]] = {}
            for claim_id, comment_id, question, kind in rows:
                if question not in questions:
                    continue
                if question not in situations:
                    situations[question] = _situation(conn, year, question, analyst, "")
                active, state, _ = situations[question]
                if _eligible(kind, analyst, comment_id, active, state):
                    now = _now()
                    conn.execute("UPDATE claims SET at = ? WHERE id = ?", (now, claim_id))
                    return Claim(claim_id, comment_id, question, kind, now)
                conn.execute("UPDATE claims SET released = 1 WHERE id = ?", (claim_id,))
        return None

    def release_claims(self, year: int, analyst: str) -> int:
        """Release every unfinished claim of this analyst (the session is closing); returns how many."""
        with self._transaction() as conn:
            sql = "UPDATE claims SET released = 1 WHERE year = ? AND analyst = ? AND released = 0"
            return int(conn.execute(sql, (year, analyst)).rowcount)

    def claims(self, year: int) -> pd.DataFrame:
        """Every claim of the year, oldest first."""
        columns = ["id", "comment_id", "question", "analyst", "kind", "at", "released"]
        rows = self._rows(f"SELECT {', '.join(columns)} FROM claims WHERE year = ? ORDER BY id", year)
        return pd.DataFrame(rows, columns=columns)

    def record(
        self,
        decisions: Sequence[Decision],
        analyst: str,
        release: Sequence[int] = (),
        claim: Sequence[tuple[int, str]] = (),
    ) -> list[int]:
        """Log decisions, release this analyst's claims on `release` and claim `claim` (comment id, kind): one
        transaction, so a decision and the claim it finishes never part."""
        now = _now()
        with self._transaction() as conn:
            ids = [_log(conn, d, now) for d in decisions]
            _release(conn, analyst, release)
            if claim:
                question = decisions[0].question if decisions else ""
                _claim(conn, decisions[0].year if decisions else 0, question, analyst, claim, now)
        return ids

    def restructure(
        self,
        decision: Decision,
        new: Sequence[NewComment],
        retire: Sequence[int],
        reactivate: Sequence[int] = (),
        held_after: str | None = None,
    ) -> tuple[int, list[int]]:
        """Split, merge or their undoing, atomically: add `new` comments (replacing `retire`), retire, reactivate,
        log `decision` (its payload gains "new": the new ids) and move the analyst's claims to the comments now
        in play, the first of them to be offered first. Refused if a comment to retire is no longer active, or
        (given `held_after`) is held by another analyst's claim made after that time."""
        now = _now()
        with self._transaction() as conn:
            for old in retire:
                row = conn.execute("SELECT active FROM comments WHERE id = ?", (old,)).fetchone()
                if row is None or not row[0]:
                    raise StoreError(f"comment {old} was split or merged meanwhile; nothing was changed")
                if held_after is not None:
                    sql = "SELECT analyst FROM claims WHERE comment_id = ? AND released = 0 AND at > ? AND analyst <> ?"
                    holder = conn.execute(sql, (old, held_after, decision.analyst)).fetchone()
                    if holder:
                        raise StoreError(f"comment {old} is being coded by {holder[0]}; nothing was changed")
            ids = _insert_comments(conn, decision.year, new, retire, now)
            for old in retire:
                conn.execute("UPDATE comments SET active = 0 WHERE id = ?", (old,))
            for old in reactivate:
                conn.execute("UPDATE comments SET active = 1 WHERE id = ?", (old,))
            payload = {**decision.payload, "new": ids} if new else decision.payload
            decision_id = _log(conn, replace(decision, payload=payload), now)
            _release(conn, decision.analyst, retire)
            in_play = [(c, "primary") for c in reversed([*reactivate, *ids])]
            _claim(conn, decision.year, decision.question, decision.analyst, in_play, now)
        return decision_id, ids

    def auto_code(self, decisions: Sequence[Decision], cutoff: str) -> list[int]:
        """Log machine codes for comments still uncoded and unclaimed (claims after `cutoff`); their ids."""
        done = []
        now = _now()
        with self._transaction() as conn:
            situations: dict[str, tuple[set[int], LiveState, set[int]]] = {}
            for d in decisions:
                if d.question not in situations:
                    situations[d.question] = _situation(conn, d.year, d.question, "", cutoff)
                active, state, blocked = situations[d.question]
                if d.comment_id in active and d.comment_id not in state.coded and d.comment_id not in blocked:
                    _log(conn, d, now)
                    done.append(d.comment_id)
        return done


@dataclass(frozen=True)
class CodedComment:
    """A comment already split and coded elsewhere (the bundled data, or another tool's export)."""

    service_id: str
    question: str
    start: int
    end: int
    category_id: str
    subcategory_id: str = ""
    quote: str | None = None  # the confirmed anonymised quote, when the comment is one


def load_coded_sql(conn: SQL, year: int, items: Sequence[CodedComment], analyst: str, at: str) -> int:
    """Insert coded comments with their decisions in the caller's transaction; returns how many."""
    for c in items:
        cursor = conn.execute(
            "INSERT INTO comments (year, service_id, question, start_offset, end_offset, origin, replaces, active,"
            " created_at) VALUES (?, ?, ?, ?, ?, 'bundled', '', 1, ?)",
            (year, c.service_id, c.question, c.start, c.end, at),
        )
        comment_id = cursor.lastrowid
        conn.execute(
            "INSERT INTO decisions (year, comment_id, question, analyst, action, category_id, subcategory_id, at)"
            " VALUES (?, ?, ?, ?, 'code', ?, ?, ?)",
            (year, comment_id, c.question, analyst, c.category_id, c.subcategory_id, at),
        )
        if c.quote is not None:
            payload = json.dumps({"anonymised": c.quote, "confirmed": True}, sort_keys=True)
            conn.execute(
                "INSERT INTO decisions (year, comment_id, question, analyst, action, payload, at)"
                " VALUES (?, ?, ?, ?, 'quote', ?, ?)",
                (year, comment_id, c.question, analyst, payload, at),
            )
    return len(items)


# -- helpers run inside the caller's transaction ---------------------------------------------------------------

CLAIM_KINDS = ("primary", "double")
_LOG_SQL = "SELECT id, comment_id, analyst, action, payload FROM decisions WHERE year = ? AND question = ? ORDER BY id"


@dataclass(frozen=True)
class Claim:
    """An analyst's hold on a comment while coding it ('primary') or double-coding it ('double')."""

    id: int
    comment_id: int
    question: str
    kind: str
    at: str


@dataclass(frozen=True)
class LiveState:
    """Where a question's comments stand in the log, undone decisions left out."""

    coded: dict[int, tuple[str, str]]  # comment id -> (analyst, action) of its live code, double codings aside
    doubled: dict[int, set[str]]  # comment id -> analysts whose double coding of it is live


def live_state(rows: Sequence[tuple[Any, ...]]) -> LiveState:
    """LiveState from log rows (id, comment_id, analyst, action, payload as JSON text or dict), oldest first."""
    parsed = [
        (int(i), int(c), str(a), str(act), json.loads(p) if isinstance(p, str) else p) for i, c, a, act, p in rows
    ]
    undone = {int(p["undoes"]) for _, _, _, act, p in parsed if act == "undo" and "undoes" in p}
    coded: dict[int, tuple[str, str]] = {}
    doubled: dict[int, set[str]] = {}
    for decision_id, comment_id, analyst, action, payload in parsed:
        if action not in CODING_ACTIONS or decision_id in undone:
            continue
        if payload.get("double"):
            doubled.setdefault(comment_id, set()).add(analyst)
        else:
            coded[comment_id] = (analyst, action)
    return LiveState(coded, doubled)


def _eligible(kind: str, analyst: str, comment_id: int, active: set[int], state: LiveState) -> bool:
    if comment_id not in active:
        return False
    if kind == "primary":
        return comment_id not in state.coded
    coder = state.coded.get(comment_id)
    return coder is not None and coder[1] == "code" and coder[0] != analyst and comment_id not in state.doubled


def _situation(conn: SQL, year: int, question: str, analyst: str, cutoff: str) -> tuple[set[int], LiveState, set[int]]:
    """Active comment ids, the log's state, and comments held by another analyst's claim made after `cutoff`."""
    sql = "SELECT id FROM comments WHERE year = ? AND question = ? AND active = 1"
    active = {row[0] for row in conn.execute(sql, (year, question))}
    state = live_state(conn.execute(_LOG_SQL, (year, question)).fetchall())
    sql = "SELECT comment_id FROM claims WHERE year = ? AND question = ? AND released = 0 AND at > ? AND analyst <> ?"
    blocked = {row[0] for row in conn.execute(sql, (year, question, cutoff, analyst))}
    return active, state, blocked


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _log(conn: SQL, d: Decision, now: str) -> int:
    cursor = conn.execute(
        "INSERT INTO decisions (year, comment_id, question, analyst, action, category_id, subcategory_id,"
        " payload, suggestion, model_version, codebook_version, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (d.year, d.comment_id, d.question, d.analyst, d.action, d.category_id, d.subcategory_id,
         json.dumps(d.payload, sort_keys=True), json.dumps(d.suggestion), d.model_version, d.codebook_version, now),
    )  # fmt: skip
    return int(cursor.lastrowid or 0)


def _insert_comments(
    conn: SQL, year: int, comments: Sequence[NewComment], replaces: Sequence[int], now: str
) -> list[int]:
    ids = []
    for c in comments:
        cursor = conn.execute(
            "INSERT INTO comments (year, service_id, question, start_offset, end_offset, origin, replaces,"
            " active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
            (year, c.service_id, c.question, c.start, c.end, c.origin, json.dumps(list(replaces)), now),
        )
        ids.append(int(cursor.lastrowid or 0))
    return ids


def _release(conn: SQL, analyst: str, comment_ids: Sequence[int]) -> None:
    for comment_id in comment_ids:
        sql = "UPDATE claims SET released = 1 WHERE comment_id = ? AND analyst = ? AND released = 0"
        conn.execute(sql, (comment_id, analyst))


def _claim(conn: SQL, year: int, question: str, analyst: str, claims: Sequence[tuple[int, str]], now: str) -> None:
    """New claims, in order (the last is the newest, offered first); any open claim of the analyst's on the same
    comment is released first so that each comment has at most one."""
    for comment_id, kind in claims:
        if kind not in CLAIM_KINDS:
            raise StoreError(f"unknown kind of claim {kind!r}")
        _release(conn, analyst, [comment_id])
        row = conn.execute("SELECT year, question FROM comments WHERE id = ?", (comment_id,)).fetchone()
        conn.execute(
            "INSERT INTO claims (year, comment_id, question, analyst, kind, at) VALUES (?, ?, ?, ?, ?, ?)",
            (row[0] if row else year, comment_id, row[1] if row else question, analyst, kind, now),
        )
