"""`survey check`: the stored figures and keywords re-checked against the rules every import applies.

A value written into the store by hand or by damage (a high-risk Idva FTE above the Idva FTE, a police force area
with a trailing space, a negative or huge FTE, text in a figure's column) would change the published tables without
a word; these checks find it, by table and row. The rules are the returns wing's own (`returns.cells`,
`reference`); the warnings an import lets a survey officer accept (an implausible FTE), and the rules on a whole
row, are store/check_warnings.py's.
Problems name tables, rows and columns, never free text or a value that is not a number.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from practitioner_survey.errors import did_you_mean
from practitioner_survey.reference import match_police_force_area
from practitioner_survey.returns import schema
from practitioner_survey.returns.cells import canonical_locations, number_problem

_NUMBERS = schema.STAFFING_COLUMNS[2:]
_EPSILON = 1e-9
_LONGEST_NAME = 60  # a police force area longer than this is shown by its length, not its text


class Rows(Protocol):
    """What this module reads through: store.core.Store."""

    def _rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]: ...


def figure_problems(store: Rows) -> list[str]:
    """Every stored staffing figure, services keyword, reference figure and revision that an import would refuse."""
    return _staffing(store) + _services(store) + _reference(store) + _revisions(store)


def _shown(name: Any) -> str:
    text = str(name)
    return repr(text) if len(text) <= _LONGEST_NAME else f"a name of {len(text)} characters"


def _value_problem(column: str, value: Any) -> str | None:
    """Why a stored figure breaks the import's rules, or None; a value that is not a number is not shown."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = "text" if isinstance(value, str) else "nothing" if value is None else type(value).__name__
        return f"{column} holds {kind}, not a number"
    if not math.isfinite(value):
        return f"{column} is {value}, not a finite number"
    problem = number_problem(column, f"{value:g}", float(value))
    return problem[1] if problem else None


def _area_problem(area: Any) -> str | None:
    """Why a stored police force area is not one of the reference list's names, written as that list writes it."""
    canonical, near = match_police_force_area(str(area))
    if canonical == area:
        return None
    if canonical is not None:
        return f"police force area {_shown(area)} is not written as the reference list has it ({canonical!r})"
    return f"police force area {_shown(area)} is not in the reference list{did_you_mean(near)}"


def _staffing(store: Rows) -> list[str]:
    problems = []
    sql = f"SELECT year, service_id, police_force_area, {', '.join(_NUMBERS)} FROM staffing ORDER BY 1, 2, 3"
    for year, sid, area, *values in store._rows(sql):
        where = f"table staffing, row {year}/{sid}/{area}"
        figures = dict(zip(_NUMBERS, values, strict=True))
        bad = {c: p for c, v in figures.items() if (p := _value_problem(c, v))}
        found = [p for p in (_area_problem(area), *bad.values()) if p]
        high, fte = figures["idva_fte_high_risk"], figures["idva_fte"]
        if not bad.keys() & {"idva_fte", "idva_fte_high_risk"} and high > fte + _EPSILON:
            found.append(f"idva_fte_high_risk ({high:g}) is more than idva_fte ({fte:g})")
        problems += [f"{where}: {p}" for p in found]
    return problems


def _services(store: Rows) -> list[str]:
    problems = []
    sql = "SELECT year, service_id, employs_practitioners, response_mode, idva_cases, idva_locations FROM services"
    for year, sid, employs, mode, cases, locations in store._rows(sql + " ORDER BY 1, 2"):
        where = f"table services, row {year}/{sid}"
        if not str(sid).strip() or str(sid) != str(sid).strip():
            problems.append(f"{where}: service_id is blank or has spaces around it")
        if employs not in (0, 1):
            problems.append(f"{where}: employs_practitioners is neither yes (1) nor no (0)")
        if mode not in ("", *schema.RESPONSE_MODES):
            problems.append(f"{where}: response_mode is not one of {', '.join(schema.RESPONSE_MODES)} (or blank)")
        if cases not in ("", *schema.IDVA_CASES):
            problems.append(f"{where}: idva_cases is not one of {', '.join(schema.IDVA_CASES)} (or blank)")
        if not isinstance(locations, str) or canonical_locations(locations) != (locations, []):
            problems.append(f"{where}: idva_locations is not a '; '-separated list of the known Idva locations")
    return problems


def _reference(store: Rows) -> list[str]:
    problems = []
    sql = "SELECT year, police_force_area, marac_cases, adult_female_population, recommended_fte FROM reference"
    for year, area, *values in store._rows(sql + " ORDER BY 1, 2"):
        where = f"table reference, row {year}/{area}"
        found = [_area_problem(area)]
        for column, value in zip(("marac_cases", "adult_female_population", "recommended_fte"), values, strict=True):
            found.append(_value_problem(column, value))
        problems += [f"{where}: {p}" for p in found if p]
    return problems


def _revisions(store: Rows) -> list[str]:
    problems = []
    for rid, field, old, new in store._rows("SELECT id, field, old_value, new_value FROM revisions ORDER BY id"):
        where = f"table revisions, row {rid}"
        if field not in _NUMBERS:
            problems.append(f"{where}: field {_shown(field)} is not a staffing figure")
            continue
        problems += [f"{where}: {p}" for p in (_value_problem(field, old), _value_problem(field, new)) if p]
    return problems
