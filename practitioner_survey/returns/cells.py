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
from practitioner_survey.returns.table import Log, Table, lookalike, normalise

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SPACE_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?: \d{3})+")  # '1 234', as French and Nordic spreadsheets write it
_FTE_SUFFIX = re.compile(r"(.*?)\s*(?:fte|wte)s?", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+)?|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?")
_SCIENTIFIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)e[+-]?\d+", re.IGNORECASE)
#: '2.000' or '1.234.567' in a decimal-comma file: a thousands point (2000) or a decimal one (2)?
_THOUSANDS_POINT = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+")
_THOUSANDS_POINT_DECIMAL = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+,\d+")
#: A value this close to a round figure is a spreadsheet's floating-point leftover (-2.78e-17, 2.9999999999999996).
_LEFTOVER = 1e-9
#: A cell's text is quoted in a message only when it is this short: a longer one may be a free-text answer that
#: landed in the wrong column, and free text is never printed.
MAX_QUOTED_CHARS = 40
MAX_QUOTED_WORDS = 4
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


def quoted(text: str) -> str:
    """A cell's text as a message may show it: repr'd when short, else only its length (it may be free text)."""
    text = text.strip()
    if len(text) <= MAX_QUOTED_CHARS and len(text.split()) <= MAX_QUOTED_WORDS:
        return repr(text)
    return f"a text of {len(text):,} characters (not shown)"


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
            unknown.append(f"unknown Idva location {quoted(part)}{did_you_mean(_LOCATIONS[k] for k in near)}")
    return "; ".join(loc for loc in schema.IDVA_LOCATIONS if loc in found), unknown


def parse_number(text: str, count: bool, decimal_comma: bool = False) -> tuple[float | None, str]:
    """(value, repair) of a staffing cell: blank is 0; '1,234' in counts, '1.5 FTE' in FTEs, '1,5' and '1.234,5'
    in a file whose numbers use decimal commas, and a spreadsheet's rounding leftover ('-2.78e-17' -> 0) are read,
    with a note of the repair ('' when read as written). None when it is no number, or an ambiguous one."""
    if not text:
        return 0.0, ""
    repair = ""
    if not _NUMBER.fullmatch(text) or (decimal_comma and _THOUSANDS_POINT.fullmatch(text)):
        suffix = _FTE_SUFFIX.fullmatch(text)
        if decimal_comma and _DECIMAL_COMMA.fullmatch(text):
            text, repair = text.replace(",", "."), "a decimal comma"
        elif decimal_comma and _THOUSANDS_POINT_DECIMAL.fullmatch(text):
            text, repair = text.replace(".", "").replace(",", "."), "a thousands point and a decimal comma"
        elif count and not decimal_comma and _THOUSANDS.fullmatch(text):
            text, repair = text.replace(",", ""), "thousands separators"
        elif count and _SPACE_THOUSANDS.fullmatch(text):
            text, repair = text.replace(" ", ""), "thousands separators"
        elif not count and suffix and _NUMBER.fullmatch(suffix.group(1)):
            text, repair = suffix.group(1), "its unit"
        elif _SCIENTIFIC.fullmatch(text) and abs(float(text)) < _LEFTOVER:
            return 0.0, "a spreadsheet's rounding leftover, so 0"
        else:
            return None, ""
    value = float(text)
    if not math.isfinite(value):
        return None, ""
    if len(text.partition(".")[2]) <= 9:  # as typed: a value with nine decimals or fewer is no rounding leftover
        return value, repair
    rounded = round(value, 9) + 0.0  # + 0.0 turns -0.0 into 0.0
    if rounded != value and abs(rounded - value) < _LEFTOVER:
        return rounded, repair or "a spreadsheet's rounding leftover"
    return value, repair


def number_problem(column: str, raw: str, value: float | None, decimal_comma: bool = False) -> tuple[str, str] | None:
    """(code, message) when a staffing cell is not an acceptable number."""
    if value is None and _DATE.fullmatch(raw):
        message = (
            f"{column} holds a date ({raw}), not a number: Excel may have turned the figure into a date; format the "
            "cell as Number and type the figure again"
        )
        return "date-not-a-number", message
    if value is None and _SCIENTIFIC.fullmatch(raw) and abs(float(raw)) >= MAX_FIGURE:
        return "number-too-large", f"{column} is {raw}, far more than any service could have"
    if value is None and _SCIENTIFIC.fullmatch(raw):
        return "not-a-number", f"{column} is in scientific notation ({raw}): type the figure as a plain number"
    if value is None and decimal_comma and _THOUSANDS_POINT.fullmatch(raw):
        whole = raw.replace(".", "")
        decimal = f"{float(raw):g}".replace(".", ",") if raw.count(".") == 1 else ""
        message = (
            f"{column} is {raw!r} in a file whose numbers use decimal commas: is it {whole} (with a thousands point)"
        )
        message += f" or {decimal}? Type it as {whole} or {decimal}" if decimal else f"? Type it as {whole}"
        return "ambiguous-number", message
    if value is None and _DECIMAL_COMMA.fullmatch(raw):
        message = (
            f"{column} is {raw!r}, a decimal comma where this file's numbers have decimal points: is it "
            f"{raw.replace(',', '.')}? Type it with a point"
        )
        return "not-a-number", message
    if value is None and raw in _EXCEL_ERRORS:
        return "excel-error", f"{column} holds Excel's error {raw}: correct the formula or type the figure"
    if value is None:
        return "not-a-number", f"{column} must be a number, not {quoted(raw)}"
    if abs(value) >= MAX_FIGURE:
        shown = f"{value:,.0f}" if abs(value) < 1e15 else f"{value:.3g}"
        return "number-too-large", f"{column} is {shown}, far more than any service could have"
    if value < 0:
        return "negative-value", f"{column} cannot be negative ({quoted(raw)})"
    if column in schema.COUNT_COLUMNS and not value.is_integer():
        return "not-a-whole-number", f"{column} must be a whole number, not {quoted(raw)}"
    return None


def check_columns(table: Table, required: Sequence[str], columns: Sequence[str], log: Log) -> bool:
    """Report missing required columns, headers that look like a missing column, repeated header rows and
    duplicated columns (False if any); note the optional columns read as blank."""
    where = table.sheet or table.file
    if not table.header and not table.unknown_headers and required:
        At(log, table, None).error("empty-sheet", "", f"{where} is empty: it has no header row and no rows")
        return False
    missing = [c for c in dict.fromkeys((*required, *columns)) if c not in table.header]
    for column in table.duplicates:
        At(log, table, table.header_row).error(
            "duplicate-column", column, f"{where} has two columns headed {column!r}: keep one"
        )
    meant: dict[str, str] = {}  # missing column -> the header that looks like it
    for written in table.unknown_headers:
        column = lookalike(written, missing)
        if column and column not in meant:
            meant[column] = written
    for column in missing:
        if column in meant:
            blank = "blank" if column in required or table.sheet != schema.STAFFING else "0"
            message = (
                f"{where} has no column {column!r}, but a column headed {quoted(meant[column])}: if that is "
                f"{column}, rename it {column} (as it is, its cells would be read as {blank})"
            )
            At(log, table, table.header_row).error("lookalike-column", column, message)
        elif column in required:
            message = f"{where} has no column {column!r}"
            At(log, table, table.header_row).error("missing-column", column, message)
        else:
            blank = "0" if table.sheet == schema.STAFFING else "blank"
            log.repairs.append(f"{table.file}: {table.sheet} has no column {column}; read as {blank}")
    if table.repeated:
        rows = ", ".join(map(str, table.repeated[:5])) + (
            f" and {len(table.repeated) - 5} more" if len(table.repeated) > 5 else ""
        )
        message = (
            f"{where} has a repeated header on row(s) {rows} (tables or exports pasted one below another?): delete "
            "the repeated header rows, and any rows copied twice with them"
        )
        At(log, table, table.repeated[0]).error("repeated-header", "", message)
    return not any(c in required or c in meant for c in missing) and not table.duplicates and not table.repeated


def one_of(cells: dict[str, str], column: str, allowed: Sequence[str], at: At) -> str:
    """A keyword written forgivingly ('Rolled over' -> 'rolled_over'); '' when blank."""
    text = cells.get(column, "")
    word = normalise(text)
    if word and word not in allowed:
        message = f"{column} {quoted(text)} is not one of {', '.join(allowed)} (or blank)"
        at.error(f"bad-{column.replace('_', '-')}", column, message)
    return word
