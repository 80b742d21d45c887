"""The services and staffing rows of a return, each cell checked and converted, and the checks across the two
tables (a service's staffing rows present, its totals plausible, a totals row that adds up).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from practitioner_survey.errors import did_you_mean
from practitioner_survey.reference import match_police_force_area
from practitioner_survey.returns import schema
from practitioner_survey.returns.cells import (
    At,
    canonical_locations,
    number_problem,
    one_of,
    parse_number,
    quoted,
)
from practitioner_survey.returns.table import Log, Table, normalise

#: More FTE than this in one cell (one service in one area) is implausible: a warning, to be acknowledged.
MAX_PLAUSIBLE_FTE = 60.0
#: The same for the practitioner types other than Idvas, which no service employs in such numbers.
MAX_PLAUSIBLE_OTHER_FTE = 30.0
#: Idva FTE above this many times the row's Idva headcount is no FTE at all (hours a week typed as FTE?): an error.
MAX_FTE_PER_PERSON = 5.0
#: A full-time week in hours: FTE = hours / FULL_TIME_HOURS.
FULL_TIME_HOURS = 37.5

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_TOTALS = {"total", "totals", "grand_total", "sum", "subtotal", "sub_total"}
_EPSILON = 1e-9
_match_area = functools.lru_cache(maxsize=1024)(match_police_force_area)  # a return names few areas, many times


@dataclass
class ServiceRow:
    """A service's row number in the services table and its yes/no answer (None when neither)."""

    row: int
    employs: bool | None


def parse_services(table: Table, log: Log) -> tuple[list[dict[str, object]], dict[str, ServiceRow]]:
    """Check and convert services rows; also each service's row and yes/no answer by service id."""
    records: list[dict[str, object]] = []
    services: dict[str, ServiceRow] = {}
    for number, cells in table.rows:
        sid = cells.get("service_id", "").strip()
        at = At(log, table, number, sid)
        written = cells.get("employs_practitioners", "").strip()
        employs = True if written.lower() in _YES else False if written.lower() in _NO else None
        if employs is None:
            message = f"must be yes or no, not {quoted(written)}" if written else "is blank: write yes or no"
            at.error("bad-yes-no", "employs_practitioners", f"employs_practitioners {message}")
        if not sid:
            at.error("blank-service-id", "service_id", "service_id is blank")
        elif sid in services:
            rows = f"rows {services[sid].row} and {number}"
            at.error("duplicate-service-id", "service_id", f"service id {quoted(sid)} appears twice, on {rows}")
        else:
            services[sid] = ServiceRow(number, employs)
        locations, unknown = canonical_locations(cells.get("idva_locations", ""))
        for message in unknown:
            at.error("unknown-idva-location", "idva_locations", message)
        records.append(
            {
                "service_id": sid,
                "service_name": cells.get("service_name", "").strip(),
                "employs_practitioners": bool(employs),
                "response_mode": one_of(cells, "response_mode", schema.RESPONSE_MODES, at),
                "source_note": cells.get("source_note", "").strip(),
                "idva_cases": one_of(cells, "idva_cases", schema.IDVA_CASES, at),
                "idva_locations": locations,
                **{q: cells.get(q, "") for q in schema.FREE_TEXT_QUESTIONS},
            }
        )
    return records, services


@dataclass
class StaffRow:
    """A staffing row as checked: its figures (0 where unreadable) and which could not be read."""

    row: int
    service_id: str
    police_force_area: str
    numbers: dict[str, float]
    unread: set[str]  # columns whose number could not be read (counted as 0 meanwhile)
    blank: bool = False  # every figure of the row was left blank (read as 0)

    def record(self) -> dict[str, object]:
        return {"service_id": self.service_id, "police_force_area": self.police_force_area, **self.numbers}


def parse_staffing(table: Table, services: dict[str, ServiceRow] | None, log: Log) -> list[StaffRow]:
    """Check and convert staffing rows; services is None when the services table could not be read."""
    out: list[StaffRow] = []
    seen: dict[tuple[str, str], int] = {}
    totals = [(n, cells) for n, cells in table.rows if _is_totals_row(cells)]
    skipped = {n for n, _ in totals}
    for number, cells in table.rows:
        if number in skipped:
            continue
        sid = cells.get("service_id", "").strip()
        written = cells.get("police_force_area", "").strip()
        pfa, suggestions = _match_area(written)
        at = At(log, table, number, sid, pfa or "")
        if not sid:
            at.error("blank-service-id", "service_id", "service_id is blank")
        elif services is not None and sid not in services:
            at.error("unknown-service", "service_id", f"service {quoted(sid)} is not in the services table")
        if pfa is None:
            message = f"unknown police force area {quoted(written)}" if written else "police_force_area is blank"
            at.error("unknown-police-force-area", "police_force_area", message + did_you_mean(suggestions))
        elif sid and (sid, pfa) in seen:
            message = f"service {quoted(sid)} has two rows for {pfa}, rows {seen[(sid, pfa)]} and {number}"
            at.error("duplicate-staffing-row", "police_force_area", message)
        elif sid:
            seen[(sid, pfa)] = number
        figures = (*schema.COUNT_COLUMNS, *schema.FTE_COLUMNS)
        row = StaffRow(number, sid, pfa or written, {}, set(), blank=not any(cells.get(c, "").strip() for c in figures))
        for column in figures:
            raw = cells.get(column, "").strip()
            value, repair = parse_number(raw, column in schema.COUNT_COLUMNS, table.decimal_comma)
            problem = number_problem(column, raw, value, table.decimal_comma)
            if (number, column) in table.unread:  # already reported where it was read
                row.unread.add(column)
            elif problem:
                at.error(problem[0], column, problem[1])
                row.unread.add(column)
            elif repair:
                where = f"{table.file}, {table.sheet} row {number}, column {column}"
                log.repairs.append(f"{where}: read {raw!r} as {value:g} ({repair})")
            row.numbers[column] = value if value is not None and not problem else 0.0
            if row.numbers[column] > 0:
                _check_plausible(row, column, at)
        high, fte = row.numbers["idva_fte_high_risk"], row.numbers["idva_fte"]
        if high > fte + _EPSILON and not row.unread & {"idva_fte", "idva_fte_high_risk"}:
            message = f"idva_fte_high_risk ({high:g}) is more than idva_fte ({fte:g})"
            at.error("high-risk-above-fte", "idva_fte_high_risk", message)
        out.append(row)
    for number, cells in totals:
        _check_totals_row(table, number, cells, [r for r in out if r.row < number], log)
    return out


def hours_hint(fte: float) -> str:
    """'; if 37.5 is hours a week, it is 1 FTE (hours / 37.5)' for a figure that may be hours, else ''."""
    if fte < FULL_TIME_HOURS / 5:
        return ""
    return f"; if {fte:g} is hours a week, it is {fte / FULL_TIME_HOURS:.3g} FTE (FTE = hours / {FULL_TIME_HOURS:g})"


def _check_plausible(row: StaffRow, column: str, at: At) -> None:
    """An FTE cell above what one service has in one area is a warning; Idva FTE far above the row's Idva
    headcount (more than MAX_FTE_PER_PERSON each) is an error: no one works five full-time weeks."""
    value = row.numbers[column]
    headcount = row.numbers.get("idva_headcount", 0.0)
    if column in ("idva_fte", "idva_fte_high_risk") and headcount > 0 and value > MAX_FTE_PER_PERSON * headcount:
        message = (
            f"{column} is {value:g} for an Idva headcount of {headcount:g}, more than anyone works{hours_hint(value)}"
        )
        at.error("fte-per-person", column, message)
        row.unread.add(column)
        return
    limit = MAX_PLAUSIBLE_FTE if column in ("idva_fte", "idva_fte_high_risk") else MAX_PLAUSIBLE_OTHER_FTE
    if column in schema.FTE_COLUMNS and value > limit:
        message = f"{column} is {value:g}, implausible for one service in one area{hours_hint(value)}"
        at.warning("fte-implausible", column, message)


def _is_totals_row(cells: dict[str, str]) -> bool:
    """A row a spreadsheet adds under the data: 'Total' for its service (or area) and no area (or service)."""
    sid, area = (normalise(cells.get(c, "")) for c in ("service_id", "police_force_area"))
    return (sid in _TOTALS and area in {"", *_TOTALS}) or (not sid and area in _TOTALS)


def _check_totals_row(table: Table, number: int, cells: dict[str, str], above: list[StaffRow], log: Log) -> None:
    """Skip a totals row whose figures are the sums of the rows above it; refuse one that is not."""
    at = At(log, table, number)
    for column in (*schema.COUNT_COLUMNS, *schema.FTE_COLUMNS):
        raw = cells.get(column, "").strip()
        value, _ = parse_number(raw, column in schema.COUNT_COLUMNS, table.decimal_comma)
        total = sum(r.numbers[column] for r in above)
        if value is None or abs(value - total) > 1e-6 * max(1.0, abs(total)):
            message = (
                f"row {number} looks like a totals row, but its {column} is not the sum of the rows above "
                f"({total:g}): delete the row, or give it a service and police force area"
            )
            at.error("totals-row", column, message)
            return
    log.repairs.append(f"{table.file}, {table.sheet} row {number}: a totals row (the sums of the rows above); skipped")


def check_services(
    services: dict[str, ServiceRow], staffing: list[StaffRow], tables: dict[str, Table], log: Log
) -> None:
    """Checks across the two tables, one per service: staffing rows present, and totals that look wrong."""
    by_service: dict[str, list[StaffRow]] = {}
    for row in staffing:
        by_service.setdefault(row.service_id, []).append(row)
    # high-risk Idva FTE is part of idva_fte, so it is not added again
    practitioner_fte = [c for c in schema.FTE_COLUMNS if c != "idva_fte_high_risk"]
    for sid, service in services.items():
        rows = by_service.get(sid, [])
        at = At(log, tables[schema.SERVICES], service.row, sid)
        if service.employs and not rows:
            message = f"service {quoted(sid)} says it employs practitioners but has no rows in the staffing table"
            at.error("no-staffing-rows", "employs_practitioners", message)
        elif service.employs and all(r.blank for r in rows):
            message = (
                f"service {quoted(sid)} says it employs practitioners but every figure of its staffing rows is blank "
                "(read as 0 FTE): fill them in, or say no"
            )
            at.warning("blank-staffing", "employs_practitioners", message)
        total = sum(r.numbers[c] for r in rows for c in practitioner_fte)
        if service.employs is False and total > 0:
            message = f"service {quoted(sid)} says it employs no practitioners but its staffing gives {total:g} FTE"
            at.warning("staff-without-practitioners", "employs_practitioners", message)
        if not rows or any(r.unread for r in rows):
            continue  # totals would mislead while a number on one of its rows is wrong
        at = At(log, tables[schema.STAFFING], rows[0].row, sid)
        headcount = sum(r.numbers["idva_headcount"] for r in rows)
        fte = sum(r.numbers["idva_fte"] for r in rows)
        if fte > headcount + _EPSILON:
            message = f"service {quoted(sid)} reports {fte:g} Idva FTE but an Idva headcount of {headcount:g}"
            message += hours_hint(fte)
            at.warning("fte-above-headcount", "idva_fte", message)
        if headcount > 0 and fte == 0:
            message = f"service {quoted(sid)} reports an Idva headcount of {headcount:g} but no Idva FTE"
            at.warning("idva-headcount-without-fte", "idva_fte", message)
