"""The report's tables as one Excel workbook laid out as the Government Statistical Service asks of statistics in
spreadsheets (gptables): a cover sheet, a contents sheet, a notes sheet, one table per sheet with a full name, a
title, its units, its source, readable column headings and, where the report prints earlier years, the years side
by side. Text from returns is neutralised so that no cell is taken for a formula.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from practitioner_survey.counting.tables import neutralise
from practitioner_survey.report.build import FROM_REFERENCE, Report
from practitioner_survey.report.printed import LABELS, Table

#: The notes sheet: (reference, text). Titles cite them as $$noteN$$, which gptables prints as [note N].
NOTES = (
    ("note1", "Figures are full-time equivalents (FTE) unless a column says otherwise. Percentages are rounded to "
              "whole numbers as the report prints them, so shares may not sum to 100."),
    ("note2", "A service working in several regions counts once in each region and once in the total, so a "
              "column's total can be less than the sum of its rows."),
    ("note3", "The recommended FTE Idvas of an area is the larger of 40 high-risk cases a year per 10,000 adult "
              "women and the cases heard at its Marac, at 100 cases per full-time Idva. Coverage is FTE Idvas "
              "working with victims at high risk as a percentage of the recommended FTE."),
    ("note4", "Earlier years are not fully like for like: engagement with the survey widened, and 2016 counted "
              "only outreach workers based alongside Idvas. Read changes between years with care."),
    ("note5", "Services that did not respond directly had their figures carried over from an earlier year's "
              "results, and some figures were revised after the survey by offices of police and crime "
              "commissioners; both are listed in their own sheets."),
    ("note6", "Free-text answers were split into comments and each comment coded to one category of the "
              "question's codebook (and a subcategory where the codebook has them)."),
)  # fmt: skip
QUESTIONS = {
    "biggest_difference": "What one thing would make the biggest difference in your area?",
    "survivor_challenges": "What is the biggest challenge locally for victims/survivors?",
    "other_comments": "Do you have any other comments?",
}


@dataclass(frozen=True)
class Sheet:
    """One table of the workbook: its sheet name (at most 31 characters, Excel's limit), title and data."""

    name: str
    title: str
    frame: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)
    table: str = ""  # the report's table id, which says whose figures the sheet uses (its source line)


def _number(cell: str) -> object:
    """A printed cell as a number where it is one ("1,059" -> 1059, "+5" -> 5, "−3" -> -3), else its text."""
    text = cell.replace(",", "").replace("\u2212", "-").strip()
    try:
        value = float(text)
    except ValueError:
        return None if text in ("–", "-", "") else cell
    return int(value) if value.is_integer() and "." not in text else value


#: The report's own note marks ("[note 1]", "[notes 1, 2]"): the workbook cites its notes sheet instead.
_MARK = re.compile(r" \[notes? [\d, ]+\]$")


def printed_frame(table: Table) -> pd.DataFrame:
    """A printed table (earlier years beside this year's) as a frame of numbers, headed by its column labels."""
    columns = [c.label for c in table.columns]
    rows = [[_MARK.sub("", cell) if i == 0 else _number(cell) for i, cell in enumerate(row)] for row in table.rows]
    return pd.DataFrame(rows, columns=columns)


#: Headings of the workbook's own columns (the free-text summary's), beside the report's `LABELS`.
HEADINGS = {"question": "Question", "answers": "Answers", "coded": "Comments coded"}


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns=lambda c: LABELS.get(str(c)) or HEADINGS.get(str(c), str(c)))


#: Size bands of services (individual Idvas employed), headed with an en dash for the range.
SIZES = {"1-2": "1–2 Idvas", "3-5": "3–5 Idvas", "6-9": "6–9 Idvas", "10+": "10 or more Idvas"}
FTE_COLUMNS = ("idva", "outreach", "refuge", "isva", "ypva", "children", "perpetrator")


def _sizes(frame: pd.DataFrame) -> pd.DataFrame:
    return _labelled(frame).rename(columns=SIZES)


def _by_question(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(question=frame["question"].map(lambda q: QUESTIONS.get(str(q), str(q))))


def _stacked(tables: dict[str, pd.DataFrame], kind: str, columns: list[str]) -> pd.DataFrame:
    """The questions' tables of one kind, one under another with the question beside (none: no rows)."""
    parts = [tables[f"{kind}_{q}"].assign(question=q) for q in QUESTIONS if f"{kind}_{q}" in tables]
    return pd.concat(parts) if parts else pd.DataFrame(columns=["question", *columns])


def sheets(report: Report) -> list[Sheet]:
    """Every table of the workbook that has figures this year (a year with no rollovers, revisions or comments has
    no such sheet: a spreadsheet table may not be empty), in the report's order."""
    t = report.tables
    year = report.year
    categories = _stacked(t, "comment_categories", ["category", "comments", "pct"])
    subcategories = _stacked(t, "comment_subcategories", ["category", "subcategory", "comments", "pct"])
    summary = t.get("free_text_summary", pd.DataFrame(columns=["question", "answers", "comments", "coded"]))
    first = ["question", "category"]
    every = [
        Sheet("Headline figures", f"Headline figures, {year} and earlier years $$note1$$ $$note4$$",
              printed_frame(report.glance).rename(columns={"This year": str(year)}), table="headline"),
        Sheet("Coverage by region", f"Idva coverage by region, {year} and earlier years $$note2$$ $$note3$$ $$note4$$",
              printed_frame(report.coverage_by_region), table="idva_coverage_by_region"),
        Sheet("Coverage by police force area", f"Idva coverage by police force area, {year} $$note3$$",
              _labelled(t["coverage_by_police_force_area"]), table="coverage_by_police_force_area"),
        Sheet("Marac cases by police force",
              f"Marac cases per 10,000 adult women by police force area, {year} $$note3$$",
              _labelled(t["marac_cases_by_pfa"]), table="marac_cases_by_pfa"),
        Sheet("Maracs in England and Wales", "Maracs in England and Wales, as the ONS re-published them $$note3$$",
              _labelled(t["ons_marac_national"]), table="ons_marac_national"),
        Sheet("Idva services by size", f"Idva services by size (individual Idvas employed), {year} $$note1$$",
              _sizes(t["idva_services_by_size"]), {c: "%" for c in SIZES.values()}),
        Sheet("Idva FTE by service size", f"FTE Idvas by the size of their service, {year} $$note1$$",
              _sizes(t["idva_fte_by_service_size"]), {c: "%" for c in SIZES.values()}),
        Sheet("Where Idvas are based", f"Where Idvas are based, % of Idva services, {year} $$note1$$",
              _labelled(t["idva_locations"])),
        Sheet("Idvas in health and councils",
              f"Idvas in health and local-authority settings, % of Idva services, {year} $$note1$$",
              _labelled(t["idva_location_settings"])),
        Sheet("Practitioners by region", f"Domestic abuse practitioners by type and region, {year} $$note1$$ $$note2$$",
              _labelled(t["practitioner_fte_by_region"]), {LABELS[c]: "FTE" for c in FTE_COLUMNS}),
        Sheet("Practitioners by type", f"Practitioners by type, {year} and earlier years $$note1$$ $$note4$$",
              printed_frame(report.fte_by_type)),
        Sheet("Workers per 100,000 women",
              f"Outreach and children's workers per 100,000 adult women by police force area, {year} $$note1$$",
              _labelled(t["practitioner_density_by_pfa"]), table="practitioner_density_by_pfa"),
        Sheet("Services by practitioner type", f"Services employing each type of practitioner, {year} $$note2$$",
              _labelled(t["services_by_type_by_region"])),
        Sheet("Volunteers by region", f"Volunteers by region, {year} $$note2$$", _labelled(t["volunteers_by_region"])),
        Sheet("Comments per question", f"Free-text answers and comments per question, {year} $$note6$$",
              _labelled(_by_question(summary))),
        Sheet("Comments by category", f"Comments by category, {year} $$note1$$ $$note6$$",
              _labelled(_by_question(categories)[[*first, "comments", "pct"]])),
        Sheet("Comments by subcategory", f"Comments by subcategory, {year} $$note1$$ $$note6$$",
              _labelled(_by_question(subcategories)[[*first, "subcategory", "comments", "pct"]])),
        Sheet("Figures not from a return", f"Services which did not respond directly, {year} $$note5$$",
              _labelled(t["not_direct_responses"])),
        Sheet("Revised figures", f"Figures revised after the survey, {year} $$note5$$",
              _labelled(t["revisions"].drop(columns=["service_id"], errors="ignore"))),
    ]  # fmt: skip
    return [s for s in every if s.frame.map(lambda v: not pd.isna(v) and str(v).strip() != "").to_numpy().any()]


def digest(report: Report) -> str:
    """A hash of everything the workbook is written from, so an unchanged one need not be written again."""
    h = hashlib.sha256()
    for sheet in sheets(report):
        h.update(f"{sheet.name}\0{sheet.title}\0{sorted(sheet.units.items())}\0".encode())
        h.update(sheet.frame.to_csv(index=False).encode())
    h.update(f"{report.year}\0{report.data_as_of}\0{report.provenance}\0{notes(report)}".encode())
    return h.hexdigest()


def source(report: Report, sheet: Sheet) -> str:
    """The sheet's "Source:" line, as the report prints it under the same table (report.toml's provenance)."""
    p = report.provenance
    if sheet.table == "ons_marac_national":
        return "Office for National Statistics, re-publishing SafeLives' Marac data"
    return f"{p.source}; {p.reference_source}" if sheet.table in FROM_REFERENCE else p.source


def notes(report: Report) -> tuple[tuple[str, str], ...]:
    """The notes sheet: the fixed notes, with the report's own comparability notes as note 4 where it has any."""
    if not report.notes:
        return NOTES
    earlier = "Earlier years are not fully like for like. " + " ".join(text for _, text in report.notes)
    return tuple((n, earlier if n == "note4" else text) for n, text in NOTES)


def write_workbook(report: Report, path: Path) -> Path:
    """Write the report's tables to `path` as a GSS-style workbook (cover, contents, notes, one table a sheet)."""
    import gptables

    tables = {}
    for i, sheet in enumerate(sheets(report), start=1):
        frame = sheet.frame.map(neutralise).reset_index(drop=True)
        units = {c: u for c, u in sheet.units.items() if c in frame.columns}
        tables[sheet.name] = gptables.GPTable(
            table=frame,
            table_name=f"table_{i}",
            title=sheet.title,
            source=f"Source: {source(report, sheet)}, data as of {report.data_as_of}",
            units=units or None,
            instructions="This worksheet contains one table. Some cells refer to notes, found on the notes sheet.",
            index_columns={2: 0},
        )
    cover = gptables.Cover(
        cover_label="Cover",
        title=f"Survey of domestic abuse practitioners in England and Wales {report.year}: tables",
        intro=[
            "The tables of the annual report, one a sheet, as counted from the returns held in the survey store.",
            f"Data as of {report.data_as_of}.",
        ],
        about=[
            "Figures are full-time equivalents (FTE) unless a column says otherwise.",
            "The contents sheet lists every table; the notes sheet explains the notes cited in their titles.",
            "Every figure here is printed in the report; earlier years sit beside the report's year where it "
            "prints them.",
        ],
    )
    listed = notes(report)
    notes_sheet = pd.DataFrame({"Note number": [n for n, _ in listed], "Note text": [text for _, text in listed]})
    with warnings.catch_warnings():  # gptables warns of pandas deprecations inside it: nothing a reader can act on
        warnings.simplefilter("ignore")
        book = gptables.produce_workbook(
            filename=str(path), sheets=tables, cover=cover, notes_table=notes_sheet, contentsheet_label="Contents"
        )
        # the workbook's own date is the report's year, so that the same tables give the same file
        book.set_properties({"created": datetime(report.year, 1, 1)})
        book.close()
    return path
