"""How a year's values are written as rows: text and figures converted, rows inserted, times stamped.

Shared by store.core (imports) and store.corrections (rollovers and revisions), inside their transactions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from practitioner_survey._exports import lazy_module
from practitioner_survey.returns import schema
from practitioner_survey.store import db

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")  # imported on first use: `survey status` and `--help` never need it

NUMBERS = schema.STAFFING_COLUMNS[2:]  # the staffing figures, in schema order
REVISION_COLUMNS = ("service_id", "police_force_area", "field", "old_value", "new_value", "source", "file",
                    "file_sha256", "file_row", "at")  # fmt: skip


def now_seconds() -> str:
    """Now (UTC, ISO 8601, to the second), as imports, rollovers and revisions record it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def cell_text(value: Any) -> str:
    """A frame's cell as text: '' for None or a missing value."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def figure(column: str, value: Any) -> float | int:
    """A staffing figure as stored: counts whole, FTE as float, missing as 0."""
    number = 0.0 if value is None or pd.isna(value) else float(value)
    return round(number) if column in schema.COUNT_COLUMNS else number


def insert_rows(conn: db.SQL, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT every row into `table`, in the caller's transaction."""
    marks = ", ".join("?" * len(columns))
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
