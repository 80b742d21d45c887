"""The coding loop's side of the store: comments made once per question, claims, progress, and decisions logged
with their side effects (claims released and taken, comments split, merged or machine-coded), each in one
transaction.

Mixed into store.core.Store, beside store.coding's comments and log. A claim is an analyst's hold on a comment while
coding it, so that two analysts at once are never given the same one; the loop reads where comments stand from
live_codes (see store.coding), never by replaying the log. A live session renews its claims (their `at`) every
RENEW_SECONDS; a claim not renewed for CLAIM_TIMEOUT_SECONDS belongs to a session that has stopped (killed, or its
machine asleep), and the next analyst to ask takes its comment over. Each claim names the session holding it: a
new session of the same analyst takes over, at its start, the claims of their earlier sessions that have stopped
(a restart resumes where a killed session stopped; one still running in another terminal keeps its comment, see
store/sessions.py), and a session codes, notes, splits or merges a comment it was
given only while it still holds its claim, checked in the transaction that writes (ClaimLostError otherwise).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from practitioner_survey._exports import lazy_module
from practitioner_survey.errors import StoreError
from practitioner_survey.store.claims_sql import (
    LOOKUP_BATCH,
    LiveState,
    add_claims,
    eligible,
    held_elsewhere,
    mine_sql,
    release_own,
    require_held,
    standing,
    state_of,
)
from practitioner_survey.store.coding import (
    CODING_ACTIONS,
    Decision,
    NewComment,
    insert_comments,
    log_decision,
    timestamp,
)
from practitioner_survey.store.db import SQL
from practitioner_survey.store.sessions import may_be_running

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")  # imported on first use: `survey status` and `--help` never need it

CLAIM_BATCH = 64  # candidates a claim looks up at first; each further batch is twice the last, up to LOOKUP_BATCH
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
        return state_of(self._rows(sql, year, question))

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
        self, year: int, question: str, analyst: str, kind: str, candidates: Iterable[int], cutoff: str,
        now: str | None = None, session: str = "", answer_of: Callable[[int], str] | None = None,
    ) -> int:  # fmt: skip
        """Claim the first candidate this analyst may code now, for their `session`, in one write transaction; 0 if
        none. With `answer_of` (a candidate's answer), candidates from an answer another session holds a piece of
        are tried after all others, so that two analysts do not read the same answer at once.

        A 'primary' claim needs an active comment nobody has coded; a 'double' one an active comment another
        analyst has coded by hand and nobody has double-coded. Either way no other session may hold a claim on
        it renewed after `cutoff` (older claims are abandoned and taken over). The claim is made at `now`
        (default: the present). Candidates are looked up a batch at a time, so the first eligible one costs the
        same however many comments the question has.
        """
        with self._transaction() as conn:
            blocked = held_elsewhere(conn, year, question, cutoff, (analyst, session))
            if answer_of is not None and blocked:
                candidates = _busy_last(candidates, answer_of, {answer_of(c) for c in blocked})
            rest, size = iter(candidates), CLAIM_BATCH
            while chunk := list(itertools.islice(rest, size)):
                batch = [c for c in chunk if c not in blocked]
                size = min(size * 2, LOOKUP_BATCH)
                active, state = standing(conn, year, question, batch)
                for comment_id in batch:
                    if not eligible(kind, analyst, comment_id, active, state):
                        continue
                    conn.execute("UPDATE claims SET released = 1 WHERE comment_id = ? AND released = 0", (comment_id,))
                    add_claims(conn, year, question, analyst, [(comment_id, kind)], now or timestamp(), session)
                    return comment_id
        return 0

    def resume_claim(
        self, year: int, questions: Sequence[str], analyst: str, now: str | None = None, session: str = "",
        adopt: bool = False, cutoff: str | None = None,
    ) -> Claim | None:  # fmt: skip
        """This session's newest unreleased claim that is still to be done (renewed at `now`, default the present),
        however old; claims whose comment has since been coded, split or merged are released on the way. `adopt`
        (a session's start): first take over the open claims of this analyst's earlier sessions that have stopped:
        not renewed after `cutoff`, or known to have ended (store/sessions.py); with no cutoff, all of them. A
        session of theirs still running elsewhere keeps its claims."""
        with self._transaction() as conn:
            if adopt:
                sql = "SELECT id, session, at FROM claims WHERE year = ? AND analyst = ? AND released = 0"
                rows = conn.execute(sql, (year, analyst)).fetchall()
                stopped = [
                    int(i)
                    for i, s, at in rows
                    if s != session and (cutoff is None or str(at) <= cutoff or not may_be_running(str(s)))
                ]
                conn.executemany("UPDATE claims SET session = ? WHERE id = ?", [(session, i) for i in stopped])
            rows = conn.execute(
                "SELECT id, comment_id, question, kind FROM claims WHERE year = ? AND analyst = ? AND session = ?"
                " AND released = 0 ORDER BY id DESC",
                (year, analyst, session),
            ).fetchall()
            for claim_id, comment_id, question, kind in rows:
                if question not in questions:
                    continue
                active, state = standing(conn, year, question, [comment_id])
                if eligible(kind, analyst, comment_id, active, state):
                    now = now or timestamp()
                    conn.execute("UPDATE claims SET at = ? WHERE id = ?", (now, claim_id))
                    return Claim(claim_id, comment_id, question, kind, now)
                conn.execute("UPDATE claims SET released = 1 WHERE id = ?", (claim_id,))
        return None

    def renew_claims(self, year: int, analyst: str, now: str | None = None, session: str | None = None) -> int:
        """The heartbeat: mark every open claim of this analyst's `session` (default: of all their sessions)
        renewed at `now` (default: the present), so that no other session takes their comments over; returns how
        many are open."""
        mine, params = mine_sql(analyst, session)
        with self._transaction() as conn:
            sql = f"UPDATE claims SET at = ? WHERE year = ? AND {mine} AND released = 0"
            return int(conn.execute(sql, (now or timestamp(), year, *params)).rowcount)

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

    def release_claims(self, year: int, analyst: str, session: str | None = None) -> int:
        """Release every unfinished claim of this analyst's `session` (default: of all their sessions), as the
        session closes; returns how many."""
        mine, params = mine_sql(analyst, session)
        with self._transaction() as conn:
            sql = f"UPDATE claims SET released = 1 WHERE year = ? AND {mine} AND released = 0"
            return int(conn.execute(sql, (year, *params)).rowcount)

    def check_held(self, analyst: str, session: str, comment_id: int) -> None:
        """ClaimLostError unless this analyst's session holds an open claim on the comment: a read, and only when
        it finds none a write transaction that names who took the comment."""
        mine, params = mine_sql(analyst, session)
        if not self._rows(
            f"SELECT 1 FROM claims WHERE comment_id = ? AND {mine} AND released = 0", comment_id, *params
        ):
            with self._transaction() as conn:
                require_held(conn, analyst, session, [comment_id])

    def claims(self, year: int) -> pd.DataFrame:
        """Every claim of the year, oldest first."""
        columns = ["id", "comment_id", "question", "analyst", "kind", "at", "released", "session"]
        rows = self._rows(f"SELECT {', '.join(columns)} FROM claims WHERE year = ? ORDER BY id", year)
        return pd.DataFrame(rows, columns=columns)

    def record(
        self,
        decisions: Sequence[Decision],
        analyst: str,
        release: Sequence[int] = (),
        claim: Sequence[tuple[int, str]] = (),
        session: str | None = None,
        held: Sequence[int] = (),
    ) -> list[int]:
        """Log decisions, release this analyst's claims on `release` and claim `claim` (comment id, kind) for their
        `session` (default: any of their sessions, new claims for none): one transaction, so a decision and the
        claim it finishes never part. The comments in `held` were given to the session by a claim: unless it
        still holds each (and a coding decision on one is still to be made, nobody else having coded it first),
        ClaimLostError and nothing is written."""
        now = timestamp()
        with self._transaction() as conn:
            require_held(conn, analyst, session, held, decisions)
            ids = [log_decision(conn, d, now) for d in decisions]
            release_own(conn, analyst, release, session)
            if claim:
                question = decisions[0].question if decisions else ""
                add_claims(conn, decisions[0].year if decisions else 0, question, analyst, claim, now, session or "")
        return ids

    def restructure(
        self,
        decision: Decision,
        new: Sequence[NewComment],
        retire: Sequence[int],
        reactivate: Sequence[int] = (),
        held_after: str | None = None,
        session: str | None = None,
        held: Sequence[int] = (),
    ) -> tuple[int, list[int]]:
        """Split, merge or their undoing, atomically: add `new` comments (replacing `retire`), retire, reactivate,
        log `decision` (its payload gains "new": the new ids) and move the analyst's claims to the comments now
        in play (for their `session`), the first of them to be offered first. Refused if a comment to retire is no
        longer active, or (given `held_after`) is held by another analyst's claim made after that time; and with
        ClaimLostError unless the session still holds the comments in `held`."""
        now = timestamp()
        with self._transaction() as conn:
            require_held(conn, decision.analyst, session, held)
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
            release_own(conn, decision.analyst, retire)  # every session's: the comments are gone
            in_play = [(c, "primary") for c in reversed([*reactivate, *ids])]
            add_claims(conn, decision.year, decision.question, decision.analyst, in_play, now, session or "")
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
                    situations[key] = (*standing(conn, d.year, d.question, ids),
                                       held_elsewhere(conn, d.year, d.question, cutoff))  # fmt: skip
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


def _busy_last(candidates: Iterable[int], answer_of: Callable[[int], str], busy: set[str]) -> Iterator[int]:
    """The candidates in their order, those from a `busy` answer moved after all others (read only as far as
    needed)."""
    held_back = []
    for comment_id in candidates:
        if answer_of(comment_id) in busy:
            held_back.append(comment_id)
        else:
            yield comment_id
    yield from held_back
