"""What each year in the store holds, counted, as plain rows: what `survey status` prints.

Kept free of pandas so that `survey status` starts quickly; `Store.summary` gives them as a DataFrame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


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


@dataclass(frozen=True)
class HeldClaims:
    """An analyst's open claims on one question's comments still in play: how many, and when the newest of them
    was last renewed (made, or kept alive by the analyst's session). `live` claims are renewed after the cutoff
    asked for; the others' session has stopped renewing them, and the next analyst to ask may take their comments."""

    year: int
    analyst: str
    question: str
    comments: int
    renewed: str
    live: bool


def held_claims(store: Rows, cutoff: str, year: int | None = None) -> list[HeldClaims]:
    """Open claims on active comments, per year, analyst, question and whether renewed after `cutoff` (UTC, ISO
    8601, as claims record times); by year, live ones first, then analyst and question."""
    sql = (
        "SELECT year, analyst, question, COUNT(*), MAX(at), live FROM (SELECT k.year, k.analyst, k.question, k.at,"
        " CASE WHEN k.at > ? THEN 1 ELSE 0 END AS live FROM claims k JOIN comments c ON c.id = k.comment_id"
        " WHERE k.released = 0 AND c.active = 1" + (" AND k.year = ?" if year is not None else "") + ") open_claims"
        " GROUP BY year, analyst, question, live"
    )
    rows = store._rows(sql, cutoff, *((year,) if year is not None else ()))
    held = [HeldClaims(int(y), str(a), str(q), int(n), str(at), bool(ok)) for y, a, q, n, at, ok in rows]
    return sorted(held, key=lambda h: (h.year, not h.live, h.analyst, h.question))
