"""The store's coding half: comments (offsets into answers) and the append-only log of decisions.

Mixed into store.Store; with store.py and store_schema.py, the only place that speaks SQL. A decision is never
updated or deleted: undo is a decision of its own, naming the one it undoes; a comment's code is read from the log.
The coding loop reads where comments stand from live_codes instead (every coding decision no undo has taken back),
which the transaction that logs a decision keeps in step with the log; `survey check` compares the two.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from practitioner_survey._exports import lazy_module
from practitioner_survey.errors import StoreError
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

    def claim(self, year: int, question: str, analyst: str, kind: str, candidates: Sequence[int], cutoff: str) -> int:
        """Claim the first candidate this analyst may code now, in one write transaction; 0 if none.

        A 'primary' claim needs an active comment nobody has coded; a 'double' one an active comment another
        analyst has coded by hand and nobody has double-coded. Either way no other analyst may hold a claim on
        it made after `cutoff` (older claims are abandoned and taken over). Candidates are looked up a batch at a
        time, so the first eligible one costs the same however many comments the question has.
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
            for claim_id, comment_id, question, kind in rows:
                if question not in questions:
                    continue
                active, state = _standing(conn, year, question, [comment_id])
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
            situations: dict[tuple[int, str], tuple[set[int], LiveState, set[int]]] = {}
            for d in decisions:
                key = (d.year, d.question)
                if key not in situations:
                    ids = [e.comment_id for e in decisions if (e.year, e.question) == key]
                    situations[key] = (*_standing(conn, d.year, d.question, ids),
                                       _blocked(conn, d.year, d.question, "", cutoff))  # fmt: skip
                active, state, blocked = situations[key]
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


# -- helpers run inside the caller's transaction ---------------------------------------------------------------

CLAIM_KINDS = ("primary", "double")
CLAIM_BATCH = 64  # candidates a claim looks up at first; each further batch is twice the last, up to LOOKUP_BATCH
LOOKUP_BATCH = 512  # comment ids per query at most
PROGRESS_STEPS = 50  # decisions since the last count that coding_progress takes in one by one, at most


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _log(conn: SQL, d: Decision, now: str) -> int:
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
