"""`survey check`: the warnings an import would raise on the stored figures, found by the import's own code.

Every warning of an import (an implausible FTE, more Idva FTE than headcount, an employing service whose every figure
is blank) must be accepted with a reason before the year is stored; a revision, a rollover or a hand edit can leave
stored figures that would warn again. The stored figures are put through `returns.records` as a return's would be,
and each warning that no acknowledgement of its year accepts is listed, by table and row, never with free text. They
are notes, not problems: the store is sound. An import rule that only the rows together break (Idva FTE more than
five times the row's headcount: hours typed as FTE) is a problem, as at import; the rules on one value are
`check_figures`'s. The store keeps a blank figure as 0, so an employing service whose every figure is 0 is told as
blank, as the import told it.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from practitioner_survey.errors import Problem
from practitioner_survey.returns import schema
from practitioner_survey.returns.records import ServiceRow, check_services, parse_staffing
from practitioner_survey.returns.table import Log, Table

_FIGURES = schema.STAFFING_COLUMNS[2:]
#: The import's errors that no check of one stored value finds.
_ROW_ERRORS = ("fte-per-person",)


class Rows(Protocol):
    """What this module reads through: store.core.Store."""

    def _rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]: ...


def import_findings(store: Rows) -> tuple[list[str], list[str]]:
    """(problems, warnings): the import's row errors and its unaccepted warnings on the stored figures, by year."""
    accepted = {tuple(row) for row in store._rows(
        "SELECT year, code, service_id, police_force_area FROM acknowledgements")}  # fmt: skip
    services: dict[int, list[tuple[Any, ...]]] = {}
    for year, sid, employs in store._rows("SELECT year, service_id, employs_practitioners FROM services ORDER BY 1, 2"):
        services.setdefault(int(year), []).append((str(sid), employs))
    staffing: dict[int, list[tuple[Any, ...]]] = {}
    sql = f"SELECT year, service_id, police_force_area, {', '.join(_FIGURES)} FROM staffing ORDER BY 1, 2, 3"
    for year, *row in store._rows(sql):
        staffing.setdefault(int(year), []).append(tuple(row))
    problems, warnings = [], []
    for year in sorted(services.keys() | staffing.keys()):
        for problem, where in _year(year, services.get(year, []), staffing.get(year, [])):
            line = f"table {where}: {problem.message} ({problem.code})"
            if problem.severity == "error" and problem.code in _ROW_ERRORS:
                problems.append(line)
            elif problem.severity == "warning" and (year, problem.code, *_key(problem)) not in accepted:
                warnings.append(line)
    return problems, warnings


def _key(problem: Problem) -> tuple[str, str]:
    return problem.service_id, problem.police_force_area


def _year(year: int, services: list[tuple[Any, ...]], staffing: list[tuple[Any, ...]]) -> list[tuple[Problem, str]]:
    """One year's findings, each with its row as check names it ('staffing, row 2017/S1/Kent')."""
    log = Log()
    rows = {sid: ServiceRow(n, bool(employs) if employs in (0, 1) else None)
            for n, (sid, employs) in enumerate(services, start=1)}  # fmt: skip
    header = {column: i for i, column in enumerate(schema.STAFFING_COLUMNS)}
    cells = [(n, {"service_id": sid, "police_force_area": area, **dict(zip(_FIGURES, map(_text, row), strict=True))})
             for n, (sid, area, *row) in enumerate(staffing, start=1)]  # fmt: skip
    tables = {schema.SERVICES: Table("", schema.SERVICES, {}, [], []),
              schema.STAFFING: Table("", schema.STAFFING, header, [], cells)}  # fmt: skip
    checked = parse_staffing(tables[schema.STAFFING], rows, log)
    check_services(rows, checked, tables, log)
    names = {schema.SERVICES: {n: f"{year}/{row[0]}" for n, row in enumerate(services, start=1)},
             schema.STAFFING: {n: f"{year}/{row[0]}/{row[1]}" for n, row in enumerate(staffing, start=1)}}  # fmt: skip
    return [(p, f"{p.sheet}, row {names[p.sheet].get(p.row or 0, '')}") for p in log.problems]


def _text(value: Any) -> str:
    """A stored figure as the return's cell it came from: 0 as blank (the store keeps a blank as 0)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return str(value)  # not a number: check_figures names it; here it is an error, not listed
    return "" if value == 0 else f"{float(value):.9f}".rstrip("0").rstrip(".")
