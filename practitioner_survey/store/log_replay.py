"""Replaying the coding log from scratch: which comments are active and each one's code, and what breaks the rules.

Pure and independent of store/coding.py and store/claims.py (which derive the same state their own way), so that
`survey check` can compare the two: a store whose log does not replay to the state the store reports is damaged.
Only ids, actions and category ids are read; free text never is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

INITIAL_ORIGINS = ("splitter", "bundled")  # comments active from the start; 'split' and 'merge' ones come by decision
CODING_ACTIONS = ("code", "auto", "adjudicate")
ACTIONS = (*CODING_ACTIONS, "quote", "note", "undo", "split", "merge")


@dataclass(frozen=True)
class LogComment:
    """A comment as the log needs it."""

    id: int
    year: int
    service_id: str
    question: str
    origin: str
    replaces: tuple[int, ...]


@dataclass(frozen=True)
class LogEntry:
    """One decision as the log needs it; payload is the stored JSON text (or already a dict)."""

    id: int
    year: int
    comment_id: int
    question: str
    analyst: str
    action: str
    category_id: str
    subcategory_id: str
    payload: str | dict[str, Any]


@dataclass(frozen=True)
class Code:
    """A comment's live code: the latest coding decision no undo took back (double codings never count)."""

    decision_id: int
    category_id: str
    subcategory_id: str
    analyst: str
    action: str


@dataclass
class Replayed:
    """The state the log replays to, and every rule the log breaks (one line each, ids only)."""

    active: set[int] = field(default_factory=set)
    codes: dict[int, Code] = field(default_factory=dict)  # active comment id -> its live code
    problems: list[str] = field(default_factory=list)


def _ids(value: Any) -> list[int] | None:
    if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return list(value)
    return None


class _Replay:
    def __init__(self, comments: Iterable[LogComment]) -> None:
        self.comments = {c.id: c for c in comments}
        self.active = {c.id for c in self.comments.values() if c.origin in INITIAL_ORIGINS}
        self.entries: dict[int, LogEntry] = {}
        self.payloads: dict[int, dict[str, Any]] = {}
        self.undone: set[int] = set()
        self.live: dict[int, list[int]] = {}  # comment id -> live coding decisions, oldest first
        self.problems: list[str] = []

    def say(self, entry: LogEntry, text: str) -> None:
        self.problems.append(f"decision {entry.id} ({entry.action} of comment {entry.comment_id}): {text}")

    def apply(self, entry: LogEntry, payload: dict[str, Any]) -> None:
        self.entries[entry.id], self.payloads[entry.id] = entry, payload
        comment = self.comments.get(entry.comment_id)
        if comment is None:
            return  # reported with the orphan rows
        if (comment.year, comment.question) != (entry.year, entry.question):
            self.say(entry, f"its year or question differs from comment {comment.id}'s")
        if entry.action in CODING_ACTIONS:
            if not entry.category_id:
                self.say(entry, "a code without a category")
            if not payload.get("double"):
                self.live.setdefault(entry.comment_id, []).append(entry.id)
        elif entry.action == "split":
            self.restructure(entry, [entry.comment_id], payload.get("new"), "split", 2)
        elif entry.action == "merge":
            old = _ids(payload.get("of"))
            if old is None or entry.comment_id not in old or len(old) < 2:
                self.say(entry, "its payload does not name the comments merged")
                return
            self.restructure(entry, old, payload.get("new"), "merge", 1)
        elif entry.action == "undo":
            self.undo(entry, payload)
        elif entry.action not in ACTIONS:
            self.say(entry, "an action the log does not know")

    def restructure(self, entry: LogEntry, old: list[int], new_value: Any, origin: str, count: int) -> None:
        new = _ids(new_value)
        if new is None or len(new) != count:
            self.say(entry, f"its payload does not name the {count} comment(s) it made")
            return
        done = "split" if origin == "split" else "merged"
        for cid in old:
            if cid not in self.active:
                self.say(entry, f"comment {cid} was not active when it was {done}")
        for cid in new:
            made = self.comments.get(cid)
            if made is None:
                self.say(entry, f"the comment it made, {cid}, is not in the store")
            elif made.origin != origin or sorted(made.replaces) != sorted(old):
                self.say(entry, f"comment {cid} does not record that it replaces comment(s) {old} by {origin}")
            elif cid <= max(old):
                self.say(entry, f"comment {cid} it made has a lower id than a comment it replaces")
            elif cid in self.active:
                self.say(entry, f"comment {cid} it made was active already")
        self.active.difference_update(old)
        self.active.update(new)

    def undo(self, entry: LogEntry, payload: dict[str, Any]) -> None:
        target_id = payload.get("undoes")
        target = self.entries.get(target_id) if isinstance(target_id, int) else None
        if target is None:
            known = isinstance(target_id, int) and target_id > entry.id
            self.say(entry, "undoes a later decision" if known else "undoes no earlier decision in the log")
            return
        if target.action == "undo":
            self.say(entry, f"undoes decision {target.id}, itself an undo")
        elif target.id in self.undone:
            self.say(entry, f"undoes decision {target.id} a second time")
        elif target.comment_id != entry.comment_id:
            self.say(entry, f"undoes decision {target.id}, which concerns comment {target.comment_id}")
        self.undone.add(target.id)
        if target.action in CODING_ACTIONS and target.id in self.live.get(target.comment_id, []):
            self.live[target.comment_id].remove(target.id)
        elif target.action in ("split", "merge"):
            made = _ids(self.payloads[target.id].get("new")) or []
            old = _ids(self.payloads[target.id].get("of")) if target.action == "merge" else [target.comment_id]
            for cid in made:
                if cid not in self.active:
                    self.say(entry, f"takes back comment {cid}, which was no longer active")
            self.active.difference_update(made)
            self.active.update(old or [])

    def result(self) -> Replayed:
        codes = {}
        for comment_id, ids in self.live.items():
            if ids and comment_id in self.active:
                d = self.entries[ids[-1]]
                codes[comment_id] = Code(d.id, d.category_id, d.subcategory_id, d.analyst, d.action)
        return Replayed(set(self.active), codes, self.problems)


def replay_log(comments: Iterable[LogComment], entries: Iterable[LogEntry]) -> Replayed:
    """Replay decisions in id order over the comments as first made: splits, merges and undos change which
    comments are active, codes and undos which code each one has. Reports every rule the log breaks."""
    replay = _Replay(comments)
    last = 0
    for entry in sorted(entries, key=lambda e: e.id):
        if entry.id <= last:
            replay.say(entry, "its id repeats an earlier one")
            continue
        last = entry.id
        payload: Any = entry.payload
        if isinstance(payload, str):
            try:
                payload = json.loads(payload)
            except ValueError:
                payload = None
        if not isinstance(payload, dict):
            replay.say(entry, "its payload is not a JSON object")
            payload = {}
        replay.apply(entry, payload)
    return replay.result()
