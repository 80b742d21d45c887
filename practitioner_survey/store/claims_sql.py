"""The claims' SQL run inside the caller's write transaction (store/claims.py's ClaimsStore calls these): where
comments stand, which claims block a comment, making and releasing claims, and the check that a session still holds
the comments it writes about.

A claim belongs to an analyst's session ('' for claims made before sessions were named, and for callers that name
none): `mine_sql` picks one session's claims, or all of an analyst's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from practitioner_survey.errors import ClaimLostError, StoreError
from practitioner_survey.store.coding import CODING_ACTIONS, Decision
from practitioner_survey.store.db import SQL

CLAIM_KINDS = ("primary", "double")
LOOKUP_BATCH = 512  # comment ids per query at most


@dataclass(frozen=True)
class LiveState:
    """Where a question's comments stand in the log, undone decisions left out."""

    coded: dict[int, tuple[str, str]]  # comment id -> (analyst, action) of its live code, double codings aside
    doubled: dict[int, set[str]]  # comment id -> analysts whose double coding of it is live
    last: int = 0  # the highest live decision id read (for new_codes)


def state_of(rows: Sequence[tuple[Any, ...]]) -> LiveState:
    """LiveState from live_codes rows (comment_id, analyst, action, kind, decision_id), oldest first."""
    coded: dict[int, tuple[str, str]] = {}
    doubled: dict[int, set[str]] = {}
    last = 0
    for comment_id, analyst, action, kind, decision_id in rows:
        if kind == "double":
            doubled.setdefault(int(comment_id), set()).add(str(analyst))
        else:
            coded[int(comment_id)] = (str(analyst), str(action))
        last = max(last, int(decision_id))
    return LiveState(coded, doubled, last)


def eligible(kind: str, analyst: str, comment_id: int, active: set[int], state: LiveState) -> bool:
    if comment_id not in active:
        return False
    if kind == "primary":
        return comment_id not in state.coded
    coder = state.coded.get(comment_id)
    return coder is not None and coder[1] == "code" and coder[0] != analyst and comment_id not in state.doubled


def standing(conn: SQL, year: int, question: str, ids: Sequence[int]) -> tuple[set[int], LiveState]:
    """Which of these comments are active comments of the question, and their live codes, read by comment id.

    Year and question are compared here rather than in SQL, so that the database looks rows up by id alone."""
    active: set[int] = set()
    rows: list[tuple[Any, ...]] = []
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), LOOKUP_BATCH):
        chunk = unique[start : start + LOOKUP_BATCH]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT id, year, question, active FROM comments WHERE id IN ({marks})"
        active.update(int(i) for i, y, q, a in conn.execute(sql, chunk) if a and (y, q) == (year, question))
        sql = (f"SELECT comment_id, analyst, action, kind, decision_id, year, question FROM live_codes"
               f" WHERE comment_id IN ({marks})")  # fmt: skip
        rows += [r[:5] for r in conn.execute(sql, chunk) if (r[5], r[6]) == (year, question)]
    return active, state_of(sorted(rows, key=lambda r: int(r[4])))


def held_elsewhere(conn: SQL, year: int, question: str, cutoff: str, mine: tuple[str, str] | None = None) -> set[int]:
    """Comments held by a claim renewed after `cutoff`, other than those of `mine` (analyst, session)."""
    sql = "SELECT comment_id, analyst, session FROM claims WHERE year = ? AND question = ? AND released = 0 AND at > ?"
    return {int(c) for c, a, s in conn.execute(sql, (year, question, cutoff)) if (a, s) != mine}


def mine_sql(analyst: str, session: str | None) -> tuple[str, tuple[str, ...]]:
    """The SQL condition (and its parameters) for the claims of this analyst's session, or of all their sessions."""
    if session is None:
        return "analyst = ?", (analyst,)
    return "analyst = ? AND session = ?", (analyst, session)


def release_own(conn: SQL, analyst: str, comment_ids: Sequence[int], session: str | None = None) -> None:
    mine, params = mine_sql(analyst, session)
    for comment_id in comment_ids:
        conn.execute(f"UPDATE claims SET released = 1 WHERE comment_id = ? AND {mine} AND released = 0",
                     (comment_id, *params))  # fmt: skip


def require_held(
    conn: SQL, analyst: str, session: str | None, held: Sequence[int], decisions: Sequence[Decision] = ()
) -> None:
    """ClaimLostError unless the session holds an open claim on each `held` comment and each coding decision on
    one is still eligible (a first coding of a comment nobody has coded, a blind second coding not yet done)."""
    mine, params = mine_sql(analyst, session)
    for comment_id in held:
        sql = f"SELECT kind, question FROM claims WHERE comment_id = ? AND {mine} AND released = 0 LIMIT 1"
        row = conn.execute(sql, (comment_id, *params)).fetchone()
        coding = [d for d in decisions if d.comment_id == comment_id and d.action in CODING_ACTIONS]
        if row is not None and coding:
            year, kind = coding[0].year, "double" if coding[0].payload.get("double") else "primary"
            active, state = standing(conn, year, str(row[1]), [comment_id])
            if comment_id not in active:
                raise StoreError(f"comment {comment_id} was split or merged meanwhile; nothing was changed")
            if not eligible(kind, analyst, comment_id, active, state):
                row = None
        if row is None:
            raise ClaimLostError(comment_id, taker(conn, comment_id, analyst, session))


def taker(conn: SQL, comment_id: int, analyst: str, session: str | None) -> str:
    """Who has a comment now: the analyst of the newest open claim on it not this session's, else of its live
    code; '' if nobody."""
    sql = "SELECT analyst, session FROM claims WHERE comment_id = ? AND released = 0 ORDER BY id DESC"
    for who, their in conn.execute(sql, (comment_id,)).fetchall():
        if who != analyst or (session is not None and their != session):
            return str(who)
    sql = "SELECT analyst FROM live_codes WHERE comment_id = ? ORDER BY decision_id DESC LIMIT 1"
    row = conn.execute(sql, (comment_id,)).fetchone()
    return str(row[0]) if row else ""


def add_claims(
    conn: SQL, year: int, question: str, analyst: str, claims: Sequence[tuple[int, str]], now: str, session: str = ""
) -> None:
    """New claims of the analyst's `session`, in order (the last is the newest, offered first); any open claim of
    the analyst's on the same comment is released first so that each comment has at most one."""
    for comment_id, kind in claims:
        if kind not in CLAIM_KINDS:
            raise StoreError(f"unknown kind of claim {kind!r}")
        release_own(conn, analyst, [comment_id])
        row = conn.execute("SELECT year, question FROM comments WHERE id = ?", (comment_id,)).fetchone()
        conn.execute(
            "INSERT INTO claims (year, comment_id, question, analyst, kind, at, session) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (row[0] if row else year, comment_id, row[1] if row else question, analyst, kind, now, session),
        )
