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
