"""Claims as the coding loop sees them: a session's clock, and what an analyst with nothing left is told about the
comments other sessions hold (claims record times with store.coding.stamp)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from practitioner_survey.store.claims import HeldClaims


def utc_now() -> datetime:
    """The present, in UTC: a session's clock unless a test gives another."""
    return datetime.now(UTC)


def nothing_left(held: Sequence[HeldClaims], analyst: str = "") -> str:
    """What an analyst with no comment left is told: which other analysts (or this analyst's other sessions) hold
    the comments still to do, if any (counts and names only)."""
    counts: dict[str, int] = {}
    for h in held:
        name = "your other session" if h.analyst == analyst else h.analyst
        counts[name] = counts.get(name, 0) + h.comments
    if not counts:
        return "Nothing left to code for you"
    (first, n), *rest = counts.items()
    who = ", ".join([f"{first} holds {n} comment{'' if n == 1 else 's'}", *(f"{a} {m}" for a, m in rest)])
    whose = "their session" if not rest else "a session"
    return f"Nothing left to code for you for now: {who}; it comes to you if {whose} stops without finishing"
