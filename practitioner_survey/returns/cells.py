"""Checking and converting one cell of a return: numbers as people type them, keywords, Idva locations, columns.

Each problem goes to the `Log` through `At`, which knows the table and row (and the service and police force area
once read), so that every problem names its file, sheet, row and column. Used by returns/records.py and
returns/validate.py.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from practitioner_survey.errors import Problem, did_you_mean
from practitioner_survey.returns import schema
from practitioner_survey.returns.table import Log, Table, normalise

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_FTE_SUFFIX = re.compile(r"(.*?)\s*fte", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+)?|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d*)?e[+-]?\d+", re.IGNORECASE)
_EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!"}
#: A figure this large in one cell is not a mistyped figure but a damaged one (a pasted id, an overflow).
MAX_FIGURE = 1_000_000.0


@dataclass
class At:
    """Where problems about one row go: its table and row, and the service and area once known."""

    log: Log
    table: Table
    row: int | None
    service_id: str = ""
    pfa: str = ""

    def error(self, code: str, column: str, message: str, severity: str = "error") -> None:
        file, sheet = self.table.file, self.table.sheet
        problem = Problem(severity, code, message, file, sheet, self.row, column, self.service_id, self.pfa)
        self.log.problems.append(problem)

    def warning(self, code: str, column: str, message: str) -> None:
        self.error(code, column, message, "warning")


def _location_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower().replace("&", "and"))


def _location_index() -> dict[str, str]:
    index = {_location_key(loc): loc for loc in schema.IDVA_LOCATIONS}
    for loc in schema.IDVA_LOCATIONS:  # a sub-setting on its own ('A&E', 'MASH') when that is unambiguous
        sub = _location_key(loc.split(":", 1)[1]) if ":" in loc else ""
        if sub and not any(k.startswith(sub) for k in index):
            index[sub] = loc
    return index


_LOCATIONS = _location_index()


def canonical_locations(text: str) -> tuple[str, list[str]]:
    """'police;A and E' -> ('Police; Health: A&E', []); each unknown part gives a did-you-mean message."""
    found, unknown = set(), []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key = _location_key(part)
        if key in _LOCATIONS:
            found.add(_LOCATIONS[key])
        else:
            near = difflib.get_close_matches(key, list(_LOCATIONS), n=3, cutoff=0.6)
            unknown.append(f"unknown Idva location {part!r}{did_you_mean(_LOCATIONS[k] for k in near)}")
    return "; ".join(loc for loc in schema.IDVA_LOCATIONS if loc in found), unknown


def parse_number(text: str, count: bool, decimal_comma: bool = False) -> tuple[float | None, str]:
    """(value, repair) of a staffing cell: blank is 0; '1,234' in counts, '1.5 FTE' in FTEs and '1,5' in a file
    whose numbers use decimal commas are read, with a note of the repair ('' when read as written)."""
    if not text:
        return 0.0, ""
    repair = ""
    if not _NUMBER.fullmatch(text):
        suffix = _FTE_SUFFIX.fullmatch(text)
        if decimal_comma and _DECIMAL_COMMA.fullmatch(text):
            text, repair = text.replace(",", "."), "a decimal comma"
        elif count and not decimal_comma and _THOUSANDS.fullmatch(text):
            text, repair = text.replace(",", ""), "thousands separators"
        elif not count and suffix and _NUMBER.fullmatch(suffix.group(1)):
            text, repair = suffix.group(1), "its unit"
        else:
            return None, ""
    value = float(text)
    return (value, repair) if math.isfinite(value) else (None, "")


def number_problem(column: str, raw: str, value: float | None) -> tuple[str, str] | None:
    """(code, message) when a staffing cell is not an acceptable number."""
    if value is None and _DATE.fullmatch(raw):
        message = (
            f"{column} holds a date ({raw}), not a number: Excel may have turned the figure into a date; format the "
            "cell as Number and type the figure again"
        )
        return "date-not-a-number", message
    if value is None and _SCIENTIFIC.fullmatch(raw) and abs(float(raw)) >= MAX_FIGURE:
        return "number-too-large", f"{column} is {raw}, far more than any service could have"
    if value is None and raw in _EXCEL_ERRORS:
        return "excel-error", f"{column} holds Excel's error {raw}: correct the formula or type the figure"
    if value is None:
        return "not-a-number", f"{column} must be a number, not {raw!r}"
    if abs(value) >= MAX_FIGURE:
        shown = f"{value:,.0f}" if abs(value) < 1e15 else f"{value:.3g}"
        return "number-too-large", f"{column} is {shown}, far more than any service could have"
    if value < 0:
        return "negative-value", f"{column} cannot be negative ({raw!r})"
    if column in schema.COUNT_COLUMNS and not value.is_integer():
        return "not-a-whole-number", f"{column} must be a whole number, not {raw!r}"
    return None


def check_columns(table: Table, required: Sequence[str], columns: Sequence[str], log: Log) -> bool:
    """Report missing required columns (False if any); note the optional ones read as blank."""
    missing = [c for c in required if c not in table.header]
    for column in table.duplicates:
        message = f"{table.sheet or table.file} has two columns headed {column!r}: keep one"
        At(log, table, table.header_row).error("duplicate-column", column, message)
    for column in missing:
        near = difflib.get_close_matches(column, table.unknown_headers, n=1, cutoff=0.6)
        hint = f" (is {near[0]!r} meant to be it?)" if near else ""
        message = f"{table.sheet or table.file} has no column {column!r}{hint}"
        At(log, table, table.header_row).error("missing-column", column, message)
    for column in columns:
        if column not in required and column not in table.header:
            blank = "0" if table.sheet == schema.STAFFING else "blank"
            log.repairs.append(f"{table.file}: {table.sheet} has no column {column}; read as {blank}")
    return not missing and not table.duplicates


def one_of(cells: dict[str, str], column: str, allowed: Sequence[str], at: At) -> str:
    """A keyword written forgivingly ('Rolled over' -> 'rolled_over'); '' when blank."""
    text = cells.get(column, "")
    word = normalise(text)
    if word and word not in allowed:
        message = f"{column} {text.strip()!r} is not one of {', '.join(allowed)} (or blank)"
        at.error(f"bad-{column.replace('_', '-')}", column, message)
    return word
