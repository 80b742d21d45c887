"""A year's returns (Excel workbook or CSV pair) -> validated tables; each problem located by file and cell.

`sheets` reads the files into tables of text; every cell is checked and converted here, so that a wrong value
is reported with its file, sheet, row (as a spreadsheet shows it: the header is row 1) and canonical column.
All problems are collected before anything is returned or refused.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from practitioner_survey.errors import Problem, ReturnsError
from practitioner_survey.reference import match_police_force_area
from practitioner_survey.returns import schema
from practitioner_survey.returns.sheets import read_csv_table, read_return
from practitioner_survey.returns.table import SHEETS, Log, SourceFile, Table, normalise

__all__ = [
    "ACK_COLUMNS",
    "MAX_PLAUSIBLE_FTE",
    "WARNING_CODES",
    "AckKey",
    "Returns",
    "SourceFile",
    "ack_key",
    "read_acknowledgements",
    "read_returns",
]

#: The problems that are warnings: a survey officer may acknowledge them. Every other code is an error.
WARNING_CODES = (
    "fte-above-headcount",
    "fte-implausible",
    "staff-without-practitioners",
    "idva-headcount-without-fte",
)
#: More FTE than this in one cell (one service in one area) is implausible.
MAX_PLAUSIBLE_FTE = 60.0
ACK_COLUMNS = ("code", "service_id", "police_force_area", "reason")

_COLUMNS = {schema.SERVICES: schema.SERVICES_COLUMNS, schema.STAFFING: schema.STAFFING_COLUMNS}
_REQUIRED = {schema.SERVICES: schema.SERVICES_REQUIRED, schema.STAFFING: schema.STAFFING_REQUIRED}

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_FTE_SUFFIX = re.compile(r"(.*?)\s*fte", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+)?|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d*)?e[+-]?\d+", re.IGNORECASE)
_EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!"}
_TOTALS = {"total", "totals", "grand_total", "sum", "subtotal", "sub_total"}
#: A figure this large in one cell is not a mistyped figure but a damaged one (a pasted id, an overflow).
MAX_FIGURE = 1_000_000.0
_EPSILON = 1e-9
_match_area = functools.lru_cache(maxsize=1024)(match_police_force_area)  # a return names few areas, many times


@dataclass
class Returns:
    """A validated year's returns.

    services: one row per service, columns schema.SERVICES_COLUMNS; employs_practitioners is bool; text
      columns are str ('' when blank); idva_cases is '' or one of schema.IDVA_CASES; idva_locations is the
      canonical names of schema.IDVA_LOCATIONS joined with '; ' in that tuple's order.
    staffing: one row per (service, police force area), columns schema.STAFFING_COLUMNS; police_force_area
      canonical; idva_headcount and volunteers int; FTE columns float (blank -> 0).
    warnings: problems of severity "warning" (errors raise ReturnsError instead).
    repairs: human-readable notes of what was read unambiguously but not as written (encoding, "1.5 FTE").
    """

    services: pd.DataFrame
    staffing: pd.DataFrame
    files: list[SourceFile]
    warnings: list[Problem] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)

    @property
    def checksum(self) -> str:
        """One checksum for the whole return: sha256 over the sorted (name, sha256) of its files."""
        digest = hashlib.sha256()
        for f in sorted(self.files, key=lambda f: f.name):
            digest.update(f"{f.name}\0{f.sha256}\n".encode())
        return digest.hexdigest()


AckKey = tuple[str, str, str]  # (code, service_id, police_force_area)


def ack_key(problem: Problem) -> AckKey:
    return (problem.code, problem.service_id, problem.police_force_area)


# --- checking and converting values ----------------------------------------------------------------------


@dataclass
class _At:
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


def _did_you_mean(suggestions: Iterable[str]) -> str:
    names = list(dict.fromkeys(suggestions))
    return f" — did you mean {' or '.join(names)}?" if names else ""


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


def _canonical_locations(text: str) -> tuple[str, list[str]]:
    """'police;A and E' -> ('Police; Health: A&E', []); each unknown part gives a did-you-mean message."""
    found, unknown = set(), []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key = _location_key(part)
        if key in _LOCATIONS:
            found.add(_LOCATIONS[key])
        else:
            near = difflib.get_close_matches(key, list(_LOCATIONS), n=3, cutoff=0.6)
            unknown.append(f"unknown Idva location {part!r}{_did_you_mean(_LOCATIONS[k] for k in near)}")
    return "; ".join(loc for loc in schema.IDVA_LOCATIONS if loc in found), unknown


def _parse_number(text: str, count: bool, decimal_comma: bool = False) -> tuple[float | None, str]:
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


def _number_problem(column: str, raw: str, value: float | None) -> tuple[str, str] | None:
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


def _check_columns(table: Table, required: Sequence[str], columns: Sequence[str], log: Log) -> bool:
    """Report missing required columns (False if any); note the optional ones read as blank."""
    missing = [c for c in required if c not in table.header]
    for column in table.duplicates:
        message = f"{table.sheet or table.file} has two columns headed {column!r}: keep one"
        _At(log, table, table.header_row).error("duplicate-column", column, message)
    for column in missing:
        near = difflib.get_close_matches(column, table.unknown_headers, n=1, cutoff=0.6)
        hint = f" (is {near[0]!r} meant to be it?)" if near else ""
        message = f"{table.sheet or table.file} has no column {column!r}{hint}"
        _At(log, table, table.header_row).error("missing-column", column, message)
    for column in columns:
        if column not in required and column not in table.header:
            blank = "0" if table.sheet == schema.STAFFING else "blank"
            log.repairs.append(f"{table.file}: {table.sheet} has no column {column}; read as {blank}")
    return not missing and not table.duplicates


def _one_of(cells: dict[str, str], column: str, allowed: Sequence[str], at: _At) -> str:
    """A keyword written forgivingly ('Rolled over' -> 'rolled_over'); '' when blank."""
    text = cells.get(column, "")
    word = normalise(text)
    if word and word not in allowed:
        message = f"{column} {text.strip()!r} is not one of {', '.join(allowed)} (or blank)"
        at.error(f"bad-{column.replace('_', '-')}", column, message)
    return word


@dataclass
class _Service:
    row: int
    employs: bool | None


def _parse_services(table: Table, log: Log) -> tuple[list[dict[str, object]], dict[str, _Service]]:
    """Check and convert services rows; also each service's row and yes/no answer by service id."""
    records: list[dict[str, object]] = []
    services: dict[str, _Service] = {}
    for number, cells in table.rows:
        sid = cells.get("service_id", "").strip()
        at = _At(log, table, number, sid)
        written = cells.get("employs_practitioners", "").strip()
        employs = True if written.lower() in _YES else False if written.lower() in _NO else None
        if employs is None:
            message = f"must be yes or no, not {written!r}" if written else "is blank: write yes or no"
            at.error("bad-yes-no", "employs_practitioners", f"employs_practitioners {message}")
        if not sid:
            at.error("blank-service-id", "service_id", "service_id is blank")
        elif sid in services:
            rows = f"rows {services[sid].row} and {number}"
            at.error("duplicate-service-id", "service_id", f"service id {sid!r} appears twice, on {rows}")
        else:
            services[sid] = _Service(number, employs)
        locations, unknown = _canonical_locations(cells.get("idva_locations", ""))
        for message in unknown:
            at.error("unknown-idva-location", "idva_locations", message)
        records.append(
            {
                "service_id": sid,
                "service_name": cells.get("service_name", "").strip(),
                "employs_practitioners": bool(employs),
                "response_mode": _one_of(cells, "response_mode", schema.RESPONSE_MODES, at),
                "source_note": cells.get("source_note", "").strip(),
                "idva_cases": _one_of(cells, "idva_cases", schema.IDVA_CASES, at),
                "idva_locations": locations,
                **{q: cells.get(q, "") for q in schema.FREE_TEXT_QUESTIONS},
            }
        )
    return records, services


@dataclass
class _StaffRow:
    row: int
    service_id: str
    police_force_area: str
    numbers: dict[str, float]
    unread: set[str]  # columns whose number could not be read (counted as 0 meanwhile)

    def record(self) -> dict[str, object]:
        return {"service_id": self.service_id, "police_force_area": self.police_force_area, **self.numbers}


def _parse_staffing(table: Table, services: dict[str, _Service] | None, log: Log) -> list[_StaffRow]:
    """Check and convert staffing rows; services is None when the services table could not be read."""
    out: list[_StaffRow] = []
    seen: dict[tuple[str, str], int] = {}
    totals = [(n, cells) for n, cells in table.rows if _is_totals_row(cells)]
    skipped = {n for n, _ in totals}
    for number, cells in table.rows:
        if number in skipped:
            continue
        sid = cells.get("service_id", "").strip()
        written = cells.get("police_force_area", "").strip()
        pfa, suggestions = _match_area(written)
        at = _At(log, table, number, sid, pfa or "")
        if not sid:
            at.error("blank-service-id", "service_id", "service_id is blank")
        elif services is not None and sid not in services:
            at.error("unknown-service", "service_id", f"service {sid!r} is not in the services table")
        if pfa is None:
            message = f"unknown police force area {written!r}" if written else "police_force_area is blank"
            at.error("unknown-police-force-area", "police_force_area", message + _did_you_mean(suggestions))
        elif sid and (sid, pfa) in seen:
            message = f"service {sid!r} has two rows for {pfa}, rows {seen[(sid, pfa)]} and {number}"
            at.error("duplicate-staffing-row", "police_force_area", message)
        elif sid:
            seen[(sid, pfa)] = number
        row = _StaffRow(number, sid, pfa or written, {}, set())
        for column in (*schema.COUNT_COLUMNS, *schema.FTE_COLUMNS):
            raw = cells.get(column, "").strip()
            value, repair = _parse_number(raw, column in schema.COUNT_COLUMNS, table.decimal_comma)
            problem = _number_problem(column, raw, value)
            if (number, column) in table.unread:  # already reported where it was read
                row.unread.add(column)
            elif problem:
                at.error(problem[0], column, problem[1])
                row.unread.add(column)
            elif repair:
                where = f"{table.file}, {table.sheet} row {number}, column {column}"
                log.repairs.append(f"{where}: read {raw!r} as {value:g} ({repair})")
            row.numbers[column] = value if value is not None and not problem else 0.0
            if column in schema.FTE_COLUMNS and row.numbers[column] > MAX_PLAUSIBLE_FTE:
                message = f"{column} is {row.numbers[column]:g}, implausible for one service in one area"
                at.warning("fte-implausible", column, message)
        high, fte = row.numbers["idva_fte_high_risk"], row.numbers["idva_fte"]
        if high > fte + _EPSILON and not row.unread & {"idva_fte", "idva_fte_high_risk"}:
            message = f"idva_fte_high_risk ({high:g}) is more than idva_fte ({fte:g})"
            at.error("high-risk-above-fte", "idva_fte_high_risk", message)
        out.append(row)
    for number, cells in totals:
        _check_totals_row(table, number, cells, [r for r in out if r.row < number], log)
    return out


def _is_totals_row(cells: dict[str, str]) -> bool:
    """A row a spreadsheet adds under the data: 'Total' for its service (or area) and no area (or service)."""
    sid, area = (normalise(cells.get(c, "")) for c in ("service_id", "police_force_area"))
    return (sid in _TOTALS and area in {"", *_TOTALS}) or (not sid and area in _TOTALS)


def _check_totals_row(table: Table, number: int, cells: dict[str, str], above: list[_StaffRow], log: Log) -> None:
    """Skip a totals row whose figures are the sums of the rows above it; refuse one that is not."""
    at = _At(log, table, number)
    for column in (*schema.COUNT_COLUMNS, *schema.FTE_COLUMNS):
        raw = cells.get(column, "").strip()
        value, _ = _parse_number(raw, column in schema.COUNT_COLUMNS, table.decimal_comma)
        total = sum(r.numbers[column] for r in above)
        if value is None or abs(value - total) > 1e-6 * max(1.0, abs(total)):
            message = (
                f"row {number} looks like a totals row, but its {column} is not the sum of the rows above "
                f"({total:g}): delete the row, or give it a service and police force area"
            )
            at.error("totals-row", column, message)
            return
    log.repairs.append(f"{table.file}, {table.sheet} row {number}: a totals row (the sums of the rows above); skipped")


def _check_services(
    services: dict[str, _Service], staffing: list[_StaffRow], tables: dict[str, Table], log: Log
) -> None:
    """Checks across the two tables, one per service: staffing rows present, and totals that look wrong."""
    by_service: dict[str, list[_StaffRow]] = {}
    for row in staffing:
        by_service.setdefault(row.service_id, []).append(row)
    # high-risk Idva FTE is part of idva_fte, so it is not added again
    practitioner_fte = [c for c in schema.FTE_COLUMNS if c != "idva_fte_high_risk"]
    for sid, service in services.items():
        rows = by_service.get(sid, [])
        at = _At(log, tables[schema.SERVICES], service.row, sid)
        if service.employs and not rows:
            message = f"service {sid!r} says it employs practitioners but has no rows in the staffing table"
            at.error("no-staffing-rows", "employs_practitioners", message)
        total = sum(r.numbers[c] for r in rows for c in practitioner_fte)
        if service.employs is False and total > 0:
            message = f"service {sid!r} says it employs no practitioners but its staffing gives {total:g} FTE"
            at.warning("staff-without-practitioners", "employs_practitioners", message)
        if not rows or any(r.unread for r in rows):
            continue  # totals would mislead while a number on one of its rows is wrong
        at = _At(log, tables[schema.STAFFING], rows[0].row, sid)
        headcount = sum(r.numbers["idva_headcount"] for r in rows)
        fte = sum(r.numbers["idva_fte"] for r in rows)
        if fte > headcount + _EPSILON:
            message = f"service {sid!r} reports {fte:g} Idva FTE but an Idva headcount of {headcount:g}"
            at.warning("fte-above-headcount", "idva_fte", message)
        if headcount > 0 and fte == 0:
            message = f"service {sid!r} reports an Idva headcount of {headcount:g} but no Idva FTE"
            at.warning("idva-headcount-without-fte", "idva_fte", message)


def _ordered(problems: list[Problem], files: Sequence[str]) -> list[Problem]:
    """Errors first, then warnings; each in file, sheet, row, column order."""

    def key(p: Problem) -> tuple[bool, int, int, int, int]:
        order = _COLUMNS.get(p.sheet, ())
        column = order.index(p.column) if p.column in order else -1
        sheet = SHEETS.index(p.sheet) if p.sheet in SHEETS else -1
        file = files.index(p.file) if p.file in files else -1
        return (p.severity != "error", file, sheet, p.row or 0, column)

    return sorted(problems, key=key)


# --- the public functions --------------------------------------------------------------------------------


def read_returns(path: Path) -> Returns:
    """Read and validate a workbook, a pair of CSVs (services.csv, staffing.csv) or a folder holding either.

    Raises ReturnsError listing every error found (warnings are returned on Returns.warnings).
    """
    log = Log()
    files, found = read_return(Path(path), _COLUMNS, log)
    tables = {s: t for s, t in found.items() if _check_columns(t, _REQUIRED[s], _COLUMNS[s], log)}
    records: list[dict[str, object]] = []
    services: dict[str, _Service] | None = None
    if schema.SERVICES in tables:
        records, services = _parse_services(tables[schema.SERVICES], log)
        if not records:
            table = tables[schema.SERVICES]
            log.add("no-services", f"{table.sheet} has a header but no services", table.file, table.sheet)
    staffing = _parse_staffing(tables[schema.STAFFING], services, log) if schema.STAFFING in tables else []
    if services is not None and schema.STAFFING in tables:
        _check_services(services, staffing, tables, log)

    problems = _ordered(log.problems, [f.name for f in files])
    if any(p.severity == "error" for p in problems) or len(tables) < len(SHEETS):
        raise ReturnsError(problems)
    services_frame = pd.DataFrame(records, columns=list(schema.SERVICES_COLUMNS))
    services_frame["employs_practitioners"] = services_frame["employs_practitioners"].astype(bool)
    types = {**dict.fromkeys(schema.COUNT_COLUMNS, "int64"), **dict.fromkeys(schema.FTE_COLUMNS, "float64")}
    staffing_frame = pd.DataFrame([r.record() for r in staffing], columns=list(schema.STAFFING_COLUMNS))
    return Returns(services_frame, staffing_frame.astype(types), files, problems, log.repairs)


def read_acknowledgements(path: Path) -> dict[AckKey, str]:
    """Read a CSV of acknowledged warnings: columns code, service_id, police_force_area, reason.

    police_force_area may be blank for a warning about a whole service; every row needs a reason. Raises
    ReturnsError naming every bad row.
    """
    path, log = Path(path), Log()
    if not path.is_file():
        log.add("missing-file", f"acknowledgements file {path} does not exist", path.name)
    table = read_csv_table(path, ACK_COLUMNS, log) if not log.problems else None
    acks: dict[AckKey, str] = {}
    if table is not None and _check_columns(table, ("code", "service_id", "reason"), (), log):
        for number, cells in table.rows:
            code, sid, reason = (cells[c].strip() for c in ("code", "service_id", "reason"))
            written = cells.get("police_force_area", "").strip()
            pfa, suggestions = match_police_force_area(written) if written else ("", [])
            at = _At(log, table, number, sid, pfa or "")
            if code.lower() not in WARNING_CODES:
                near = difflib.get_close_matches(code.lower(), WARNING_CODES, n=2)
                message = f"{code!r} is not a warning code{_did_you_mean(near)}"
                at.error("unknown-warning-code", "code", message)
            if not sid:
                at.error("blank-service-id", "service_id", "service_id is blank")
            if pfa is None:
                message = f"unknown police force area {written!r}{_did_you_mean(suggestions)}"
                at.error("unknown-police-force-area", "police_force_area", message)
            if not reason:
                at.error("blank-reason", "reason", "reason is blank: say why the warning is accepted")
            acks[(code.lower(), sid, pfa or "")] = reason
    if log.problems:
        summary = f"{path.name}: acknowledgements refused ({len(log.problems)} problem(s))"
        raise ReturnsError(log.problems, summary)
    return acks
