"""The coding loop's side of the store: comments made once per question, claims, progress, and decisions logged
with their side effects (claims released and taken, comments split, merged or machine-coded), each in one
transaction.

Mixed into store.core.Store, beside store.coding's comments and log. A claim is an analyst's hold on a comment while
coding it, so that two analysts at once are never given the same one; the loop reads where comments stand from
live_codes (see store.coding), never by replaying the log. A live session renews its claims (their `at`) every
RENEW_SECONDS; a claim not renewed for CLAIM_TIMEOUT_SECONDS belongs to a session that has stopped (killed, or its
machine asleep), and the next analyst to ask takes its comment over. The same analyst resumes their own claims
whatever their age.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from practitioner_survey._exports import lazy_module
from practitioner_survey.errors import StoreError
from practitioner_survey.store.coding import (
    CODING_ACTIONS,
    Decision,
    NewComment,
    insert_comments,
    log_decision,
    timestamp,
)
from practitioner_survey.store.db import SQL

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")  # imported on first use: `survey status` and `--help` never need it

CLAIM_KINDS = ("primary", "double")
CLAIM_BATCH = 64  # candidates a claim looks up at first; each further batch is twice the last, up to LOOKUP_BATCH
LOOKUP_BATCH = 512  # comment ids per query at most
RENEW_SECONDS = 30.0  # a live session renews its claims this often
#: a claim not renewed for this long is free for others: a stopped session's comments come back within two minutes
CLAIM_TIMEOUT_SECONDS = 90.0
PROGRESS_STEPS = 50  # decisions since the last count that coding_progress takes in one by one, at most


class ClaimsStore:
    """The coding loop's reads and writes; needs the host's _transaction() and _rows()."""

    def _transaction(self) -> AbstractContextManager[SQL]:
        raise NotImplementedError

    def _rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def question_has_comments(self, year: int, question: str) -> bool:
        return bool(self._rows("SELECT 1 FROM comments WHERE year = ? AND question = ? LIMIT 1", year, question))

    def ensure_comments(self, year: int, question: str, comments: Sequence[NewComment]) -> bool:
        """Insert a question's first comments unless it has some already (another session was first); atomic."""
        with self._transaction() as conn:
            sql = "SELECT 1 FROM comments WHERE year = ? AND question = ? LIMIT 1"
            if conn.execute(sql, (year, question)).fetchone():
                return False
            insert_comments(conn, year, comments, (), timestamp())
        return True

    def coding_state(self, year: int, question: str) -> LiveState:
        """Each comment's live code and live double codings, as the log stands."""
        sql = (
            "SELECT comment_id, analyst, action, kind, decision_id FROM live_codes WHERE year = ? AND question = ?"
            " ORDER BY decision_id"
        )
        return _state(self._rows(sql, year, question))

    def new_codes(self, year: int, question: str, after: int) -> list[LiveCode]:
        """The question's live coding decisions with ids above `after`, oldest first: what has been coded since a
        coding_state whose `last` was `after` (an undo since is not among them)."""
        sql = (
            "SELECT decision_id, comment_id, analyst, action, kind FROM live_codes"
            " WHERE year = ? AND question = ? AND decision_id > ? ORDER BY decision_id"
        )
        return [LiveCode(int(i), int(c), str(a), str(act), str(k)) for i, c, a, act, k in
                self._rows(sql, year, question, after)]  # fmt: skip

    def coding_progress(self, year: int, question: str, since: Progress | None = None) -> Progress:
        """How many of the question's active comments have a live code, and how many are active.

        Counted in full; or, given the Progress an earlier call returned, from the decisions logged since when they
        are only codes (a few rows by index, whatever the number of comments). An undo, split or merge since, or
        more than PROGRESS_STEPS decisions, and it is counted in full again."""
        sql = "SELECT COALESCE(MAX(id), 0) FROM decisions WHERE year = ? AND question = ?"
        last = int(self._rows(sql, year, question)[0][0])
        if since is not None and last == since.last:
            return since
        if since is not None and last > since.last:
            sql = "SELECT comment_id, action FROM decisions WHERE year = ? AND question = ? AND id > ? AND id <= ?"
            rows = self._rows(sql, year, question, since.last, last)
            if len(rows) <= PROGRESS_STEPS and not any(action in ("undo", "split", "merge") for _, action in rows):
                touched = list(dict.fromkeys(int(c) for c, action in rows if action in CODING_ACTIONS))
                newly = 0
                if touched:  # active, coded in the window, and not coded before it (no undo since: unchanged)
                    sql = (
                        f"SELECT c.id FROM comments c WHERE c.id IN ({', '.join('?' * len(touched))})"
                        " AND c.active = 1 AND EXISTS (SELECT 1 FROM live_codes l WHERE l.comment_id = c.id"
                        " AND l.kind = 'primary' AND l.decision_id > ? AND l.decision_id <= ?) AND NOT EXISTS"
                        " (SELECT 1 FROM live_codes l WHERE l.comment_id = c.id AND l.kind = 'primary'"
                        " AND l.decision_id <= ?)"
                    )
                    newly = len(self._rows(sql, *touched, since.last, last, since.last))
                return Progress(since.coded + newly, since.active, last)
        sql = (
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM live_codes l WHERE l.comment_id = c.id"
            " AND l.kind = 'primary') THEN 1 ELSE 0 END), 0)"
            " FROM comments c WHERE c.year = ? AND c.question = ? AND c.active = 1"
        )
        active, coded = self._rows(sql, year, question)[0]
        return Progress(int(coded), int(active), last)

    def claim(
        self, year: int, question: str, analyst: str, kind: str, candidates: Sequence[int], cutoff: str,
        now: str | None = None,
    ) -> int:  # fmt: skip
        """Claim the first candidate this analyst may code now, in one write transaction; 0 if none.

        A 'primary' claim needs an active comment nobody has coded; a 'double' one an active comment another
        analyst has coded by hand and nobody has double-coded. Either way no other analyst may hold a claim on
        it renewed after `cutoff` (older claims are abandoned and taken over). The claim is made at `now`
        (default: the present). Candidates are looked up a batch at a time, so the first eligible one costs the
        same however many comments the question has.
        """
        with self._transaction() as conn:
            blocked = _blocked(conn, year, question, analyst, cutoff)
            start, size = 0, CLAIM_BATCH
            while start < len(candidates):
                batch = [c for c in candidates[start : start + size] if c not in blocked]
                start, size = start + size, min(size * 2, LOOKUP_BATCH)
                active, state = _standing(conn, year, question, batch)
                for comment_id in batch:
                    if not _eligible(kind, analyst, comment_id, active, state):
                        continue
                    conn.execute(
                        "UPDATE claims SET released = 1 WHERE comment_id = ? AND released = 0 AND analyst <> ?",
                        (comment_id, analyst),
                    )
                    _claim(conn, year, question, analyst, [(comment_id, kind)], now or timestamp())
                    return comment_id
        return 0

    def resume_claim(self, year: int, questions: Sequence[str], analyst: str, now: str | None = None) -> Claim | None:
        """This analyst's newest unreleased claim that is still to be done (renewed at `now`, default the present),
        however old; claims whose comment has since been coded, split or merged are released on the way."""
        with self._transaction() as conn:
            rows = conn.execute(
                "SELECT id, comment_id, question, kind FROM claims WHERE year = ? AND analyst = ? AND released = 0"
                " ORDER BY id DESC",
                (year, analyst),
            ).fetchall()
            for claim_id, comment_id, question, kind in rows:
                if question not in questions:
                    continue
                active, state = _standing(conn, year, question, [comment_id])
                if _eligible(kind, analyst, comment_id, active, state):
                    now = now or timestamp()
                    conn.execute("UPDATE claims SET at = ? WHERE id = ?", (now, claim_id))
                    return Claim(claim_id, comment_id, question, kind, now)
                conn.execute("UPDATE claims SET released = 1 WHERE id = ?", (claim_id,))
        return None

    def renew_claims(self, year: int, analyst: str, now: str | None = None) -> int:
        """The heartbeat: mark every open claim of this analyst renewed at `now` (default: the present), so that
        no other analyst takes their comments over; returns how many are open."""
        with self._transaction() as conn:
            sql = "UPDATE claims SET at = ? WHERE year = ? AND analyst = ? AND released = 0"
            return int(conn.execute(sql, (now or timestamp(), year, analyst)).rowcount)

    def held_claims(self, cutoff: str, year: int | None = None) -> list[HeldClaims]:
        """Open claims on active comments (of every year, or one), per year, analyst, question, kind and whether
        renewed after `cutoff` (UTC, ISO 8601, as claims record times): by year, live ones first, then analyst,
        question and kind."""
        sql = (
            "SELECT year, analyst, question, kind, COUNT(*), MAX(at), live FROM (SELECT k.year, k.analyst, k.question,"
            " k.kind, k.at, CASE WHEN k.at > ? THEN 1 ELSE 0 END AS live FROM claims k JOIN comments c"
            " ON c.id = k.comment_id WHERE k.released = 0 AND c.active = 1"
            + (" AND k.year = ?" if year is not None else "")
            + ") open_claims GROUP BY year, analyst, question, kind, live"
        )
        rows = self._rows(sql, cutoff, *((year,) if year is not None else ()))
        held = [HeldClaims(int(y), str(a), str(q), str(k), int(n), str(at), bool(ok)) for y, a, q, k, n, at, ok in rows]
        return sorted(held, key=lambda h: (h.year, not h.live, h.analyst, h.question, h.kind))

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
        now = timestamp()
        with self._transaction() as conn:
            ids = [log_decision(conn, d, now) for d in decisions]
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
        now = timestamp()
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
            ids = insert_comments(conn, decision.year, new, retire, now)
            for old in retire:
                conn.execute("UPDATE comments SET active = 0 WHERE id = ?", (old,))
            for old in reactivate:
                conn.execute("UPDATE comments SET active = 1 WHERE id = ?", (old,))
            payload = {**decision.payload, "new": ids} if new else decision.payload
            decision_id = log_decision(conn, replace(decision, payload=payload), now)
            _release(conn, decision.analyst, retire)
            in_play = [(c, "primary") for c in reversed([*reactivate, *ids])]
            _claim(conn, decision.year, decision.question, decision.analyst, in_play, now)
        return decision_id, ids

    def auto_code(self, decisions: Sequence[Decision], cutoff: str) -> list[int]:
        """Log machine codes for comments still uncoded and unclaimed (claims after `cutoff`); their ids."""
        done = []
        now = timestamp()
        with self._transaction() as conn:
            situations: dict[tuple[int, str], tuple[set[int], LiveState, set[int]]] = {}
            for d in decisions:
                key = (d.year, d.question)
                if key not in situations:
                    ids = [e.comment_id for e in decisions if (e.year, e.question) == key]
                    situations[key] = (*_standing(conn, d.year, d.question, ids),
                                       _blocked(conn, d.year, d.question, "", cutoff))  # fmt: skip
                active, state, blocked = situations[key]
                if d.comment_id in active and d.comment_id not in state.coded and d.comment_id not in blocked:
                    log_decision(conn, d, now)
                    done.append(d.comment_id)
        return done


@dataclass(frozen=True)
class Claim:
    """An analyst's hold on a comment while coding it ('primary') or double-coding it ('double')."""

    id: int
    comment_id: int
    question: str
    kind: str
    at: str


@dataclass(frozen=True)
class HeldClaims:
    """An analyst's open claims on one question's comments still in play: how many, and when the newest of them
    was last renewed (made, or kept alive by the analyst's session). `live` claims are renewed after the cutoff
    asked for; the others' session has stopped renewing them, and the next analyst to ask may take their comments."""

    year: int
    analyst: str
    question: str
    kind: str  # 'primary', or 'double' for blind second codings
    comments: int
    renewed: str
    live: bool


@dataclass(frozen=True)
class LiveState:
    """Where a question's comments stand in the log, undone decisions left out."""

    coded: dict[int, tuple[str, str]]  # comment id -> (analyst, action) of its live code, double codings aside
    doubled: dict[int, set[str]]  # comment id -> analysts whose double coding of it is live
    last: int = 0  # the highest live decision id read (for new_codes)


@dataclass(frozen=True)
class Progress:
    """A question's active comments with a live code (double codings aside), its active comments, and the newest
    decision of the question when they were counted."""

    coded: int
    active: int
    last: int


@dataclass(frozen=True)
class LiveCode:
    """A coding decision of the log that no undo has taken back (a row of live_codes)."""

    decision_id: int
    comment_id: int
    analyst: str
    action: str
    kind: str  # 'primary', or 'double' for a blind second coding


def _state(rows: Sequence[tuple[Any, ...]]) -> LiveState:
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


def _eligible(kind: str, analyst: str, comment_id: int, active: set[int], state: LiveState) -> bool:
    if comment_id not in active:
        return False
    if kind == "primary":
        return comment_id not in state.coded
    coder = state.coded.get(comment_id)
    return coder is not None and coder[1] == "code" and coder[0] != analyst and comment_id not in state.doubled


def _standing(conn: SQL, year: int, question: str, ids: Sequence[int]) -> tuple[set[int], LiveState]:
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
    return active, _state(sorted(rows, key=lambda r: int(r[4])))


def _blocked(conn: SQL, year: int, question: str, analyst: str, cutoff: str) -> set[int]:
    """Comments held by another analyst's claim made after `cutoff`."""
    sql = "SELECT comment_id FROM claims WHERE year = ? AND question = ? AND released = 0 AND at > ? AND analyst <> ?"
    return {int(row[0]) for row in conn.execute(sql, (year, question, cutoff, analyst))}


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
