"""How a table or figure is printed: cells formatted as text with their column labels, shared by every section."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from practitioner_survey.counting.figures import round_half_up

#: Column labels of the published tables, keyed by the names the counting functions use.
LABELS = {
    "region": "Region",
    "police_force_area": "Police force area",
    "services_responding": "Idva services responding",
    "services": "Idva services",
    "fte_idvas": "FTE Idvas (all risk levels)",
    "fte_idvas_high_risk": "FTE Idvas for victims at high risk",
    "recommended_idvas": "Recommended FTE Idvas",
    "coverage_pct": "Coverage (%)",
    "all_practitioners": "All practitioners (FTE)",
    "idva": "Idvas",
    "outreach": "Outreach workers",
    "refuge": "Refuge workers",
    "isva": "Isvas",
    "ypva": "Ypvas",
    "children": "Children's support workers",
    "perpetrator": "Perpetrator case workers",
    "volunteers": "Volunteers (people)",
    "volunteer_services": "Services with volunteers",
    "location": "Location",
    "pct_of_services": "Idva services (%)",
    "type": "Practitioner type",
    "fte": "FTE",
    "pct": "Share (%)",
    "category": "Category",
    "subcategory": "Subcategory",
    "comments": "Comments",
    "service": "Service",
    "police_force": "Police force area",
    "source": "Source of the figures",
    "service_name": "Service",
    "field": "Figure",
    "old_value": "Before",
    "new_value": "After",
    "setting": "Setting",
    "group": "Where",
    "outreach_fte": "FTE outreach workers",
    "cyp_fte": "FTE children's and young people's workers",
    "outreach_per_100k_women": "Outreach workers per 100,000 adult women (FTE)",
    "cyp_per_100k_women": "Children's and young people's workers per 100,000 adult women (FTE)",
    "marac_cases": "Marac cases",
    "adult_female_population": "Adult women",
    "cases_per_10k_women": "Marac cases per 10,000 adult women",
    "recommended_per_10k_women": "Recommended per 10,000 adult women",
    "period": "Period",
    "maracs": "Maracs",
    "cases_discussed": "Cases discussed",
    "recommended_cases": "Recommended cases",
}


#: The staffing figures as a reader names them (for the revisions table).
FIGURES = {
    "idva_headcount": "Idvas (people)",
    "idva_fte": "FTE Idvas (all risk levels)",
    "idva_fte_high_risk": "FTE Idvas for victims at high risk",
    "outreach_fte": "FTE outreach workers",
    "refuge_fte": "FTE refuge workers",
    "isva_fte": "FTE Isvas",
    "ypva_fte": "FTE Ypvas",
    "children_fte": "FTE children's support workers",
    "perpetrator_fte": "FTE perpetrator case workers",
    "other_fte": "FTE other practitioners",
    "volunteers": "Volunteers (people)",
}


@dataclass(frozen=True)
class Figure:
    """A chart: inline SVG markup (or an image as a data URI) and the alt text describing what it shows."""

    id: str
    caption: str
    alt: str
    svg: str = ""
    image_uri: str = ""
    source: str = ""  # printed as "Source: ..." under the figure
    title: str = ""  # the chart's finding, printed above it


@dataclass(frozen=True)
class Column:
    key: str  # the name in the published tables / CSVs (tests match on it)
    label: str
    numeric: bool = True


@dataclass(frozen=True)
class Table:
    """A table as the report prints it: cells already formatted as text, the first column a row header."""

    id: str
    caption: str
    units: str
    n: str
    columns: list[Column]
    rows: list[list[str]]
    note: str = ""
    source: str = ""  # printed as "Source: ..." under the table


#: The house rule on decimals (one number of decimals per measure), as the 2017 report prints its figures: counts,
#: shares and rates per 10,000 whole; FTE whole for a region or nationally, and to one decimal for a police force
#: area or a single service (where a whole number would hide part-time posts); workers per 100,000 adult women and the
#: share of practitioners' FTE by type (as the ONS re-publication prints it) to one decimal.
def number(value: object, places: int = 0) -> str:
    """A figure as printed: thousands separators, `places` decimals, half up."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, str):
        return value
    rounded = round_half_up(float(value), places)  # type: ignore[arg-type]
    return f"{rounded:,.{places}f}"


def frame_table(
    id: str,
    frame: pd.DataFrame,
    caption: str,
    units: str,
    n: str,
    note: str = "",
    places: dict[str, int] | None = None,
    labels: dict[str, str] | None = None,
) -> Table:
    """A DataFrame (first column the row label) as a printed Table; `labels` name columns whose measure differs from
    the usual one of their key (a share of FTE, not of comments)."""
    places, labels = places or {}, {**LABELS, **(labels or {})}
    columns = [Column(str(c), labels.get(str(c), str(c)), pd.api.types.is_numeric_dtype(frame[c])) for c in frame]
    rows = []
    for record in frame.itertuples(index=False):
        by_row = {str(c): v for c, v in zip(frame.columns, record, strict=True)}
        rows.append([number(v, _places(col.key, by_row, places)) if col.numeric else str(v)
                     for col, v in zip(columns, record, strict=True)])  # fmt: skip
    return Table(id, caption, units, n, columns, rows, note)


#: Decimals of a figure that a row names (the revisions table: one figure per row, in column `field`): a count of
#: people whole, FTE to one decimal as every figure of a single service is printed.
ROW_MEASURE_PLACES = {"people": 0, "FTE": 1}


def _places(key: str, row: dict[str, object], places: dict[str, int]) -> int:
    """The decimals of one cell: by the row's measure where the row names its figure, else by its column."""
    if key in ("old_value", "new_value") and "field" in row:
        return ROW_MEASURE_PLACES["people" if "(people)" in str(row["field"]) else "FTE"]
    return places.get(key, 0)
