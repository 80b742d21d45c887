"""The report's Jinja2 environment (autoescape, StrictUndefined) over the templates the survey team edits, and the
tables page that `survey tables` writes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from practitioner_survey.errors import SurveyError

#: Human titles of the tables, in the report's order.
TITLES = {
    "headline": "Headline figures",
    "idva_coverage_by_region": "Idva coverage by region",
    "coverage_by_police_force_area": "Idva coverage by police force area",
    "idva_services_by_size": "% of Idva services by size (individual Idvas employed)",
    "idva_fte_by_service_size": "% of FTE Idvas employed by service size",
    "idva_locations": "Where Idvas are based (% of Idva services)",
    "practitioner_fte_by_region": "FTE domestic abuse practitioners by type and region",
    "services_by_type_by_region": "Services employing each type of practitioner, by region",
    "volunteers_by_region": "Volunteers by region",
    "fte_by_type": "FTE by practitioner type",
    "not_direct_responses": "Services which did not give a direct response",
    "revisions": "Figures revised by police and crime commissioners' offices",
    "idva_location_settings": "Idvas in health and local-authority settings (% of Idva services)",
    "practitioner_density_by_pfa": "Outreach and children's workers per 100,000 adult women, by police force area",
    "marac_cases_by_pfa": "Marac cases per 10,000 adult women, by police force area",
    "ons_marac_national": "Maracs in England and Wales, as the ONS re-published them",
}


@dataclass(frozen=True)
class TableView:
    """A table ready to lay out: its file name, title, header and rows as text."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[str]]


def templates_dir() -> Path:
    """The survey team's templates: $SURVEY_TEMPLATES, ./templates, or the ones beside the package."""
    for candidate in (os.environ.get("SURVEY_TEMPLATES"), Path.cwd() / "templates"):
        if candidate and (Path(candidate) / "tables.html.j2").is_file():
            return Path(candidate)
    here = Path(__file__).resolve().parents[2] / "templates"
    if (here / "tables.html.j2").is_file():
        return here
    raise SurveyError("report templates not found: set SURVEY_TEMPLATES to the folder holding tables.html.j2")


def environment(folder: Path | None = None) -> Environment:
    """Jinja2 with autoescape on and undefined names an error."""
    return Environment(
        loader=FileSystemLoader(str(folder or templates_dir())),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def views(tables: dict[str, pd.DataFrame]) -> list[TableView]:
    """Plain rows of text for each table, in the report's order; numbers with thousands separators."""
    out = []
    for name, title in TITLES.items():
        frame = tables[name]
        rows = [[_text(v) for v in record] for record in frame.itertuples(index=False)]
        out.append(TableView(name, title, [str(c) for c in frame.columns], rows))
    return out


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return str(value)


def render_tables_page(year: int, tables: dict[str, pd.DataFrame], folder: Path | None = None) -> str:
    """The HTML page of every table for `year`."""
    template = environment(folder).get_template("tables.html.j2")
    return template.render(year=year, tables=views(tables))
