"""A year's returns (Excel workbook or CSV pair) -> validated tables; each problem located by file and cell.

`sheets` reads the files into tables of text; every cell is checked and converted (`cells`, `records`), so that a
wrong value is reported with its file, sheet, row (as a spreadsheet shows it: the header is row 1) and canonical
column. All problems are collected before anything is returned or refused.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_module
from practitioner_survey.errors import Problem, ReturnsError, did_you_mean
from practitioner_survey.reference import match_police_force_area
from practitioner_survey.returns import schema
from practitioner_survey.returns.cells import At, check_columns, quoted
from practitioner_survey.returns.records import ServiceRow, check_services, parse_services, parse_staffing
from practitioner_survey.returns.sheets import read_csv_table, read_return
from practitioner_survey.returns.table import CHECK_ONLY, SHEETS, Log, SourceFile, Table

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")  # imported on first use: the store imports this module for its types

__all__ = [
    "ACK_COLUMNS",
    "WARNING_CODES",
    "AckKey",
    "Returns",
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
    "blank-staffing",
)
ACK_COLUMNS = ("code", "service_id", "police_force_area", "reason")

_COLUMNS = {schema.SERVICES: schema.SERVICES_COLUMNS, schema.STAFFING: schema.STAFFING_COLUMNS}
_REQUIRED = {schema.SERVICES: schema.SERVICES_REQUIRED, schema.STAFFING: schema.STAFFING_REQUIRED}


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


def read_returns(path: Path, year: int | None = None) -> Returns:
    """Read and validate a workbook, a pair of CSVs (services.csv, staffing.csv) or a folder holding either.

    When `year` is given, a `year` column in either table must agree with it on every row. Raises ReturnsError
    listing every error found (warnings are returned on Returns.warnings).
    """
    log = Log()
    files, found = read_return(Path(path), {s: (*c, *CHECK_ONLY) for s, c in _COLUMNS.items()}, log)
    tables = {s: t for s, t in found.items() if check_columns(t, _REQUIRED[s], _COLUMNS[s], log)}
    for table in tables.values():
        _check_year_column(table, year, log)
    records: list[dict[str, object]] = []
    services: dict[str, ServiceRow] | None = None
    if schema.SERVICES in tables:
        records, services = parse_services(tables[schema.SERVICES], log)
        if not records:
            table = tables[schema.SERVICES]
            log.add("no-services", f"{table.sheet} has a header but no services", table.file, table.sheet)
    staffing = parse_staffing(tables[schema.STAFFING], services, log) if schema.STAFFING in tables else []
    if services is not None and schema.STAFFING in tables:
        check_services(services, staffing, tables, log)

    problems = _ordered(log.problems, [f.name for f in files])
    if any(p.severity == "error" for p in problems) or len(tables) < len(SHEETS):
        raise ReturnsError(problems)
    services_frame = pd.DataFrame(records, columns=list(schema.SERVICES_COLUMNS))
    services_frame["employs_practitioners"] = services_frame["employs_practitioners"].astype(bool)
    types = {**dict.fromkeys(schema.COUNT_COLUMNS, "int64"), **dict.fromkeys(schema.FTE_COLUMNS, "float64")}
    staffing_frame = pd.DataFrame([r.record() for r in staffing], columns=list(schema.STAFFING_COLUMNS))
    return Returns(services_frame, staffing_frame.astype(types), files, problems, log.repairs)


def _check_year_column(table: Table, year: int | None, log: Log) -> None:
    """Each row's `year` (if the table has that column) must be the year imported: '2017', or '2017-18'."""
    if year is None or "year" not in table.header:
        return
    for number, cells in table.rows:
        written = cells.get("year", "").strip()
        named = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?:\.0)?(?!\d)", written)}
        short = re.fullmatch(r"((?:19|20)\d\d)\s*[-/_]\s*(\d\d)", written)
        if short and int(short.group(2)) == (int(short.group(1)) + 1) % 100:
            named.add(int(short.group(1)) + 1)
        if written and year not in named:
            message = f"year is {quoted(written)}, but the returns are imported as {year}'s: check --year, or the file"
            At(log, table, number, cells.get("service_id", "").strip()).error("wrong-year", "year", message)


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
    if table is not None and check_columns(table, ("code", "service_id", "reason"), (), log):
        for number, cells in table.rows:
            code, sid, reason = (cells[c].strip() for c in ("code", "service_id", "reason"))
            written = cells.get("police_force_area", "").strip()
            pfa, suggestions = match_police_force_area(written) if written else ("", [])
            at = At(log, table, number, sid, pfa or "")
            if code.lower() not in WARNING_CODES:
                near = difflib.get_close_matches(code.lower(), WARNING_CODES, n=2)
                message = f"{code!r} is not a warning code{did_you_mean(near)}"
                at.error("unknown-warning-code", "code", message)
            if not sid:
                at.error("blank-service-id", "service_id", "service_id is blank")
            if pfa is None:
                message = f"unknown police force area {written!r}{did_you_mean(suggestions)}"
                at.error("unknown-police-force-area", "police_force_area", message)
            if not reason:
                at.error("blank-reason", "reason", "reason is blank: say why the warning is accepted")
            acks[(code.lower(), sid, pfa or "")] = reason
    if log.problems:
        summary = f"{path.name}: acknowledgements refused ({len(log.problems)} problem(s))"
        raise ReturnsError(log.problems, summary)
    return acks
