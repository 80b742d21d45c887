"""The report's Jinja2 environment (autoescape, StrictUndefined) over the templates the survey team edits, and the
tables page that `survey tables` writes."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from practitioner_survey.errors import SurveyError
from practitioner_survey.report.printed import Table
from practitioner_survey.report.provenance import found_file

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
        if candidate and found_file(Path(candidate) / "tables.html.j2"):
            return Path(candidate)
    here = Path(__file__).resolve().parents[2] / "templates"
    if found_file(here / "tables.html.j2"):
        return here
    raise SurveyError("report templates not found: set SURVEY_TEMPLATES to the folder holding tables.html.j2")


def environment(folder: Path | None = None) -> Environment:
    """Jinja2 with autoescape on, undefined names an error, and the report's table filters."""
    env = Environment(
        loader=FileSystemLoader(str(folder or templates_dir())),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(without_empty=without_empty, by_size=by_size, sentence_case=sentence_case, minus=minus,
                       spelled=spelled, ranges=ranges, capitalised=capitalised)  # fmt: skip
    return env


#: The one spelling of the domain's acronyms in the report's own words (as the report and its codebooks use them).
SPELLINGS = {"idva": "Idva", "isva": "Isva", "ypva": "Ypva", "marac": "Marac", "mash": "MASH", "bme": "BME"}
_ACRONYM = re.compile(r"\b(" + "|".join(SPELLINGS) + r")(s?)\b", re.IGNORECASE)


def sentence_case(label: str) -> str:
    """A label in sentence case ("mental health" -> "Mental health"), the domain's acronyms spelt one way."""
    label = _ACRONYM.sub(lambda m: SPELLINGS[m.group(1).lower()] + m.group(2).lower(), label.strip())
    return label[:1].upper() + label[1:]


def spelled(table: Table) -> Table:
    """The table with its row labels in the report's spelling ("IDVAs - all risk levels" -> "Idvas – all risk
    levels"); the CSV files keep the published labels."""
    rows = [[_ACRONYM.sub(lambda m: SPELLINGS[m.group(1).lower()] + m.group(2).lower(), r[0]).replace(" - ", " – "),
             *r[1:]] for r in table.rows]  # fmt: skip
    return replace(table, rows=rows)


def ranges(label: str) -> str:
    """A range of numbers with an en dash ("1-2" -> "1–2"), as the house style prints it."""
    return re.sub(r"(?<=\d)-(?=\d)", "\u2013", label)


def capitalised(text: str) -> str:
    """A quote taken from inside an answer ("court Idva provision. Clients ...") begins with a capital, as an
    editor prints it; nothing else of the respondent's words changes."""
    return text[:1].upper() + text[1:]


def minus(cell: str) -> str:
    """A negative figure with a true minus sign ("-51" -> "−51"), as the house style prints it."""
    return re.sub(r"^-(?=[\d.,]+$)", "\u2212", cell)


def _count(cell: str) -> float:
    try:
        return float(cell.replace(",", ""))
    except ValueError:
        return 0.0


#: Said under a breakdown whose printed shares, each rounded, do not add up to 100.
ROUNDING = "Shares do not sum to 100% because of rounding."


def without_empty(table: Table) -> Table:
    """The table without rows whose counts are all zero (an empty "Other" category), with a note when its shares
    (column `pct`) do not sum to 100 as printed."""
    rows = [r for r in table.rows if any(_count(c) for c in r[1:])]
    keys = [c.key for c in table.columns]
    note = table.note
    if "pct" in keys and rows and round(sum(_count(r[keys.index("pct")]) for r in rows), 6) != 100:
        note = f"{note} {ROUNDING}".strip()
    return replace(table, rows=rows, note=note)


def by_size(table: Table) -> Table:
    """A breakdown (label, count, share) in sentence case, largest first (ties in their order), empty rows left out;
    "Other" stays last."""
    rows = [[sentence_case(r[0]), *r[1:]] for r in without_empty(table).rows]
    rows.sort(key=lambda r: (r[0].lower() == "other", -_count(r[1]) if len(r) > 1 else 0))
    return replace(table, rows=rows)


def views(tables: dict[str, pd.DataFrame]) -> list[TableView]:
    """Plain rows of text for each table, in the report's order; numbers with thousands separators."""
    out = []
    for name, title in TITLES.items():
        frame = tables[name]
        places = [_places(frame[c]) for c in frame.columns]  # one number of decimals per column
        rows = [[_text(v, p) for v, p in zip(record, places, strict=True)] for record in frame.itertuples(index=False)]
        out.append(TableView(name, title, [str(c) for c in frame.columns], rows))
    return out


def _places(column: pd.Series) -> int:
    """One decimal for a column of figures any of which has a fraction (FTE of a service: 0.8, 4.0), else none."""
    figures = [v for v in column if isinstance(v, float) and not pd.isna(v)]
    return int(any(not v.is_integer() for v in figures))


def _text(value: object, places: int = 0) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{places}f}"
    return str(value)


def render_tables_page(year: int, tables: dict[str, pd.DataFrame], folder: Path | None = None) -> str:
    """The HTML page of every table for `year`."""
    template = environment(folder).get_template("tables.html.j2")
    return template.render(year=year, tables=views(tables))
