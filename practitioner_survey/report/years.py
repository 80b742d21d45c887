"""Year on year: the earlier years the store holds, printed beside this year's figures (up to three years, as the
Insights reports print them), with the change since last year."""

from __future__ import annotations

import pandas as pd

from practitioner_survey.counting import figures as counting
from practitioner_survey.counting.figures import round_half_up
from practitioner_survey.counting.tables import YearData, year_data
from practitioner_survey.reference.texts import Caveat
from practitioner_survey.report.comparisons import NOT_COMPARABLE, Notes, caveats_of, compare
from practitioner_survey.report.printed import Column, Table, frame_table, number
from practitioner_survey.store.core import Store

#: How many earlier years a table carries beside the report's year.
EARLIER = 2

GLANCE = (
    ("services_responding_with_practitioners", "Services responding that employ practitioners"),
    ("fte_idvas", "FTE Idvas (all risk levels)"),
    ("fte_idvas_high_risk", "FTE Idvas for victims at high risk"),
    ("recommended_fte_idvas", "Recommended FTE Idvas"),
    ("coverage_pct", "Coverage (% of recommended)"),
    ("shortfall_fte", "Shortfall (FTE)"),
    ("pfas_below_50pct", "Police force areas below 50% coverage"),
    ("pfas_at_or_above_90pct", "Police force areas at 90% or more"),
    ("total_fte_practitioners", "FTE practitioners of all types"),
    ("marac_cases", "Cases heard at Marac in the year"),
)


def earlier_years(store: Store, year: int) -> list[int]:
    """The years just before `year` that the store holds, newest first, stopping at the first gap."""
    held = set(store.years())
    out = []
    for back in range(1, EARLIER + 1):
        if year - back not in held:
            break
        out.append(year - back)
    return out


def earlier_data(store: Store, years: list[int]) -> dict[int, YearData]:
    """Each earlier year's returns and reference, read from the store once for every table that needs them."""
    return {y: year_data(store, y) for y in years}


def headline_facts(data: dict[int, YearData]) -> dict[int, dict[str, float]]:
    """Each earlier year's headline figures."""
    return {y: counting.headline(d) for y, d in data.items()}


def glance_table(
    facts: dict[str, object], before: dict[int, dict[str, float]], year: int | None = None, notes: Notes | None = None
) -> Table:
    """The headline figures, with each earlier year's and the change since last year; a change that crosses a
    change of definitions (`reference/comparability.toml`) is "not comparable", and caveats are numbered notes
    (`notes`, the report's; the year unknown, every change is printed plainly)."""
    notes = notes or Notes()
    years = list(before)
    columns = [Column("figure", "Figure", False), Column("this_year", "This year" if year is None else str(year))]
    columns += [Column(f"year_{y}", str(y)) for y in years]
    if years:
        columns.append(Column("change", f"Change since {years[0]}"))
    rows = []
    used: list[Caveat] = []
    for key, label in GLANCE:
        now = float(facts[key])  # type: ignore[arg-type]
        caveats = caveats_of(key, year, years)
        used += [c for c in caveats if c not in used]
        row = [label + notes.marks(caveats), number(now)] + [number(before[y][key]) for y in years]
        if years:
            plain = compare(key, year, years[0]).comparable
            row.append(f"{now - before[years[0]][key]:+,.0f}" if plain else NOT_COMPARABLE)
        rows.append(row)
    return Table("headline", "Headline figures", "FTE, services, areas or %, as named", "the year's returns",
                 columns, rows, notes.text(used))  # fmt: skip


def previous_coverage(data: YearData) -> pd.DataFrame:
    """An earlier year's coverage by region, rounded as printed, indexed by region."""
    frame = counting.idva_coverage_by_region(data)
    return frame.map(lambda v: round_half_up(float(v))).astype(int)


def coverage_table(
    coverage: pd.DataFrame, before: dict[int, pd.DataFrame], year: int | None = None, notes: Notes | None = None
) -> Table:
    """Coverage by region, with each earlier year's coverage (`previous_coverage`, newest first) and the change
    in points since last year, with the caveats that apply as notes."""
    notes = notes or Notes()
    table = frame_table(
        "idva_coverage_by_region",
        coverage,
        "Idva coverage by region",
        "FTE; coverage as % of the recommended level",
        f"{number(coverage['services_responding'].iloc[-1])} Idva services",
        note="Services working in several regions count once in each region and once in the total.",
    )
    years = list(before)
    if not years:
        return table
    columns = [*table.columns, *(Column(f"coverage_pct_{y}", f"Coverage {y} (%)") for y in years)]
    caveats = caveats_of("coverage_pct", year, years)
    columns.append(Column("coverage_change", f"Change since {years[0]} (points){notes.marks(caveats)}"))
    plain = compare("coverage_pct", year, years[0]).comparable
    rows = []
    for row, region, pct in zip(table.rows, coverage["region"], coverage["coverage_pct"], strict=True):
        old = [int(before[y].loc[region, "coverage_pct"]) if region in before[y].index else None for y in years]
        change = "–" if old[0] is None else f"{int(pct) - old[0]:+d}" if plain else NOT_COMPARABLE
        rows.append([*row, *(number(v) for v in old), change])
    note = " ".join(t for t in (table.note, notes.text(caveats)) if t)
    return Table(table.id, table.caption, table.units, table.n, columns, rows, note)


def fte_by_type_table(
    frame: pd.DataFrame, data: dict[int, YearData], n: str, year: int | None = None, notes: Notes | None = None
) -> Table:
    """FTE by practitioner type and its share, with each earlier year's FTE and the change since last year; a type
    counted differently in an earlier year is marked with its note and its change is "not comparable"."""
    notes = notes or Notes()
    table = frame_table("fte_by_type", frame, "Practitioners by type", "FTE and % of all practitioners' FTE", n,
                        places={"pct": 1}, labels={"pct": "Share of FTE (%)"})  # fmt: skip
    years = list(data)
    if not years:
        return table
    before = {y: counting.fte_by_type(d)["fte"] for y, d in data.items()}
    columns = [*table.columns, *(Column(f"fte_{y}", f"FTE {y}") for y in years)]
    columns.append(Column("fte_change", f"Change since {years[0]} (FTE)"))
    rows = []
    used: list[Caveat] = []
    keys = {label: key for key, label in counting.ONS_TYPE_LABELS.items()}
    for row, kind, fte in zip(table.rows, frame["type"], frame["fte"], strict=True):
        measure = keys.get(str(kind), "all_practitioners")
        caveats = caveats_of(measure, year, years)
        used += [c for c in caveats if c not in used]
        old = [round_half_up(float(before[y][kind])) if kind in before[y].index else None for y in years]
        plain = compare(measure, year, years[0]).comparable
        change = "–" if old[0] is None else f"{round_half_up(float(fte)) - old[0]:+,.0f}" if plain else NOT_COMPARABLE
        rows.append([row[0] + notes.marks(caveats), *row[1:], *(number(v) for v in old), change])
    return Table(table.id, table.caption, table.units, table.n, columns, rows, notes.text(used))
