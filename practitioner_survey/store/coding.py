"""The store's coding half: comments (offsets into answers) and the append-only log of decisions.

Mixed into store.core.Store, as store/claims.py is (the coding loop's claims and progress). A decision is never
updated or deleted: undo is a decision of its own, naming the one it undoes; a comment's code is read from the log.
The coding loop reads where comments stand from live_codes instead (every coding decision no undo has taken back),
which the transaction that logs a decision keeps in step with the log; `survey check` compares the two.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from practitioner_survey._exports import lazy_module
from practitioner_survey.store.db import SQL

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")  # imported on first use: `survey status` and `--help` never need it

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
            ids = insert_comments(conn, year, comments, replaces, now)
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
        now = timestamp()
        with self._transaction() as conn:
            return [log_decision(conn, d, now) for d in decisions]

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
        undone = undone_ids(log)
        double = log["payload"].map(lambda p: bool(p.get("double"))).astype(bool)  # a blind second coding
        live = log[log["action"].isin(CODING_ACTIONS) & ~log["id"].isin(undone) & ~double]
        latest = live.groupby("comment_id").tail(1)
        comments = self.comments(year, question)[["id", "service_id", "question"]].rename(columns={"id": "comment_id"})
        merged = comments.merge(
            latest[["comment_id", "category_id", "subcategory_id", "analyst", "action"]], on="comment_id", how="inner"
        )
        return merged.reset_index(drop=True)

    def comment_marks(self, year: int, comment_id: int) -> frozenset[str]:
        """What a comment has besides its code, as the log stands: "note" and/or "quote" (none undone)."""
        rows = self._rows(
            "SELECT id, action, payload FROM decisions WHERE comment_id = ? AND year = ?"
            " AND action IN ('note', 'quote', 'undo') ORDER BY id",
            comment_id,
            year,
        )
        undone = {json.loads(p).get("undoes") for _, action, p in rows if action == "undo"}
        return frozenset(action for i, action, _ in rows if action != "undo" and i not in undone)

    def live_primary_codes(self, year: int, question: str, comment_id: int | None = None) -> dict[int, LiveCodeRow]:
        """Each comment's current code as live_codes hold it (its latest live code, double codings aside), by
        comment id, in the order they were coded (oldest first); one comment's only, given `comment_id`."""
        sql = (
            "SELECT comment_id, category_id, subcategory_id, analyst, decision_id FROM live_codes"
            " WHERE year = ? AND question = ? AND kind = 'primary'"
        )
        params: list[Any] = [year, question]
        if comment_id is not None:
            sql += " AND comment_id = ?"
            params.append(comment_id)
        rows = self._rows(sql + " ORDER BY decision_id", *params)
        latest = {int(c): LiveCodeRow(str(cat), str(sub), str(who), int(d)) for c, cat, sub, who, d in rows}
        return dict(sorted(latest.items(), key=lambda kv: kv[1].decision_id))

    def load_coded(self, year: int, items: Sequence[CodedComment], analyst: str) -> int:
        """Store comments that arrive already coded, with their codes and quotes, all or nothing."""
        with self._transaction() as conn:
            return load_coded_sql(conn, year, items, analyst, datetime.now(UTC).isoformat(timespec="seconds"))

    def has_comments(self, year: int) -> bool:
        return bool(self._rows("SELECT 1 FROM comments WHERE year = ? LIMIT 1", year))


@dataclass(frozen=True)
class LiveCodeRow:
    """A comment's current code: category, subcategory, who coded it and the decision."""

    category_id: str
    subcategory_id: str
    analyst: str
    decision_id: int


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


def undone_ids(log: pd.DataFrame) -> set[int]:
    """The ids of the decisions of a log (`CodingStore.decisions`) that an undo has taken back."""
    return {int(p["undoes"]) for p in log.loc[log["action"] == "undo", "payload"] if "undoes" in p}


def load_coded_sql(conn: SQL, year: int, items: Sequence[CodedComment], analyst: str, at: str) -> int:
    """Insert coded comments with their decisions in the caller's transaction; returns how many."""
    for c in items:
        cursor = conn.execute(
            "INSERT INTO comments (year, service_id, question, start_offset, end_offset, origin, replaces, active,"
            " created_at) VALUES (?, ?, ?, ?, ?, 'bundled', '', 1, ?)",
            (year, c.service_id, c.question, c.start, c.end, at),
        )
        comment_id = cursor.lastrowid
        cursor = conn.execute(
            "INSERT INTO decisions (year, comment_id, question, analyst, action, category_id, subcategory_id, at)"
            " VALUES (?, ?, ?, ?, 'code', ?, ?, ?)",
            (year, comment_id, c.question, analyst, c.category_id, c.subcategory_id, at),
        )
        _live(conn, int(cursor.lastrowid or 0), int(comment_id or 0), year, c.question, analyst, "code",
              c.category_id, c.subcategory_id, "primary")  # fmt: skip
        if c.quote is not None:
            payload = json.dumps({"anonymised": c.quote, "confirmed": True}, sort_keys=True)
            conn.execute(
                "INSERT INTO decisions (year, comment_id, question, analyst, action, payload, at)"
                " VALUES (?, ?, ?, ?, 'quote', ?, ?)",
                (year, comment_id, c.question, analyst, payload, at),
            )
    return len(items)


# -- helpers run inside the caller's transaction (store/claims.py uses them too) -----------------------------


def timestamp() -> str:
    """Now (UTC, ISO 8601, to the microsecond), as decisions, comments and claims record it."""
    return stamp(datetime.now(UTC))


def stamp(moment: datetime) -> str:
    """A moment as decisions, comments and claims record times (UTC, ISO 8601, to the microsecond), so that they
    compare as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def log_decision(conn: SQL, d: Decision, now: str) -> int:
    """Append a decision and bring live_codes in step: a coding decision is live until an undo names it."""
    cursor = conn.execute(
        "INSERT INTO decisions (year, comment_id, question, analyst, action, category_id, subcategory_id,"
        " payload, suggestion, model_version, codebook_version, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (d.year, d.comment_id, d.question, d.analyst, d.action, d.category_id, d.subcategory_id,
         json.dumps(d.payload, sort_keys=True), json.dumps(d.suggestion), d.model_version, d.codebook_version, now),
    )  # fmt: skip
    decision_id = int(cursor.lastrowid or 0)
    if d.action in CODING_ACTIONS:
        kind = "double" if d.payload.get("double") else "primary"
        _live(conn, decision_id, d.comment_id, d.year, d.question, d.analyst, d.action, d.category_id,
              d.subcategory_id, kind)  # fmt: skip
    elif d.action == "undo" and isinstance(d.payload.get("undoes"), int):
        conn.execute("DELETE FROM live_codes WHERE decision_id = ?", (d.payload["undoes"],))
    return decision_id


def _live(conn: SQL, decision_id: int, comment_id: int, year: int, question: str, analyst: str, action: str,
          category_id: str, subcategory_id: str, kind: str) -> None:  # fmt: skip
    conn.execute(
        "INSERT INTO live_codes (decision_id, comment_id, year, question, analyst, action, category_id,"
        " subcategory_id, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (decision_id, comment_id, year, question, analyst, action, category_id, subcategory_id, kind),
    )


def insert_comments(
    conn: SQL, year: int, comments: Sequence[NewComment], replaces: Sequence[int], now: str
) -> list[int]:
    """Insert comments replacing `replaces` (retiring those is the caller's); their new ids."""
    ids = []
    for c in comments:
        cursor = conn.execute(
            "INSERT INTO comments (year, service_id, question, start_offset, end_offset, origin, replaces,"
            " active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
            (year, c.service_id, c.question, c.start, c.end, c.origin, json.dumps(list(replaces)), now),
        )
        ids.append(int(cursor.lastrowid or 0))
    return ids
