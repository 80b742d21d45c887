"""What each year in the store holds, counted, as plain rows: what `survey status` prints, with who is coding now.

Kept free of pandas so that `survey status` starts quickly; `Store.summary` gives them as a DataFrame.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from practitioner_survey.store.claims import CLAIM_TIMEOUT_SECONDS, HeldClaims

if TYPE_CHECKING:
    from practitioner_survey.store.claims import ClaimsStore


class Rows(Protocol):
    """What this module reads through: store.core.Store (which imports this module, so it is not imported here)."""

    def _rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]: ...


#: the tables counted per year, in the order of YearCounts' counts
COUNTED = ("services", "staffing", "rollovers", "revisions", "acknowledgements", "source_files")


@dataclass(frozen=True)
class YearCounts:
    """One year of the store: when it was imported and how many rows of each kind it holds."""

    year: int
    imported_at: str
    services: int
    staffing_rows: int
    rollovers: int
    revisions: int
    warnings_acknowledged: int
    files: int


def year_counts(store: Rows) -> list[YearCounts]:
    """One YearCounts per year in the store, oldest first."""
    subqueries = ", ".join(f"(SELECT COUNT(*) FROM {table} x WHERE x.year = i.year)" for table in COUNTED)
    rows = store._rows(f"SELECT i.year, i.imported_at, {subqueries} FROM imports i ORDER BY i.year")
    return [YearCounts(int(year), str(imported_at), *(int(n) for n in counts)) for year, imported_at, *counts in rows]


def coding_now(store: ClaimsStore, now: datetime | None = None) -> list[HeldClaims]:
    """Every year's open claims on comments still in play, per analyst and question: live ones (renewed within
    CLAIM_TIMEOUT_SECONDS of `now`, default the present) and those a stopped session left."""
    cutoff = (now or datetime.now(UTC)) - timedelta(seconds=CLAIM_TIMEOUT_SECONDS)
    return store.held_claims(cutoff.astimezone(UTC).isoformat(timespec="microseconds"))


def describe_claims(held: list[HeldClaims], now: datetime | None = None) -> list[str]:
    """One line per year, analyst and question: how many comments they hold and since when they were last seen
    (names and counts only)."""
    now = now or datetime.now(UTC)
    lines = []
    for h in held:
        comments = f"{h.comments} comment{'' if h.comments == 1 else 's'} of {h.question}"
        comments += " to code again blind" if h.kind == "double" else ""
        age = _age((now - datetime.fromisoformat(h.renewed)).total_seconds())
        if h.live:
            lines.append(f"{h.year}: {h.analyst} is coding, holding {comments} (renewed {age} ago)")
        else:
            lines.append(f"{h.year}: {h.analyst}'s session stopped {age} ago holding {comments}; "
                         "the next analyst to code takes them over")  # fmt: skip
    return lines


def _age(seconds: float) -> str:
    seconds = max(seconds, 0)
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 120 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"
