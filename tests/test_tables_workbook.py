"""`survey tables` writes the report's own workbook (the GSS layout made with gptables) beside its CSV files, read
back here with openpyxl: cover, contents and notes sheets, readable headings with their units, years side by side."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.counting.tables import tables_for
from practitioner_survey.loading.bundled import load_year
from practitioner_survey.report.build import build_report
from practitioner_survey.report.workbook import write_workbook
from practitioner_survey.store.core import Store

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def counted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the bundled 2016 and 2017, and `survey tables 2017 --out tables` run on it."""
    work = tmp_path_factory.mktemp("tables")
    with Store(work / "survey.db") as store:
        load_year(store, ROOT / "responses" / "2017")
    result = runner.invoke(app, ["--db", str(work / "survey.db"), "tables", "2017", "--out", str(work / "tables")])
    assert result.exit_code == 0, result.output
    assert "files to" in result.output
    return work


def rows(book: openpyxl.Workbook, sheet: str) -> list[tuple[object, ...]]:
    return list(book[sheet].iter_rows(values_only=True))


def header(book: openpyxl.Workbook, sheet: str) -> tuple[object, ...]:
    """A table sheet's column headings: the row after its title, notes line and source line."""
    return next(row for row in rows(book, sheet)[1:] if row[1] is not None)


def test_survey_tables_writes_the_reports_workbook_and_every_csv(counted: Path) -> None:
    out = counted / "tables"
    with Store(counted / "survey.db", create=False) as store:
        names = set(tables_for(store, 2017))
        book = write_workbook(build_report(store, 2017), counted / "report-workbook.xlsx")
    assert {f"{name}.csv" for name in names} <= {p.name for p in out.glob("*.csv")}
    assert (out / "tables.xlsx").read_bytes() == book.read_bytes()  # the build's workbook, byte for byte
    headline = pd.read_csv(out / "headline.csv").set_index("name")["value"]
    assert float(headline["coverage_pct"]) == 74  # the CSV files are as before: the published figure


def test_the_workbook_opens_with_cover_contents_and_notes_and_lists_each_table(counted: Path) -> None:
    book = openpyxl.load_workbook(counted / "tables" / "tables.xlsx")
    assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    cover = [row[0] for row in rows(book, "Cover")]
    assert str(cover[0]).endswith("2017: tables") and any("Data as of" in str(line) for line in cover)
    tables = book.sheetnames[3:]
    assert "Headline figures" in tables and "Revised figures" in tables and len(tables) >= 15
    assert [row[0] for row in rows(book, "Contents") if row[0] in tables] == tables
    notes = [row for row in rows(book, "Notes") if isinstance(row[0], int)]
    assert [n for n, _ in notes] == list(range(1, len(notes) + 1)) and all(len(str(t)) > 40 for _, t in notes)
    cited = {int(n) for name in tables for n in re.findall(r"\[note (\d+)\]", str(rows(book, name)[0][0]))}
    assert cited and cited <= {n for n, _ in notes}  # every note a title cites is on the notes sheet


def test_every_table_has_readable_headings_and_says_its_units(counted: Path) -> None:
    book = openpyxl.load_workbook(counted / "tables" / "tables.xlsx")
    for name in book.sheetnames[3:]:
        headings = [str(h) for h in header(book, name) if h is not None]
        assert all(not re.fullmatch(r"[a-z][a-z0-9_]*", h) for h in headings), (name, headings)  # no field names
        assert any(str(row[0]).startswith("Source:") for row in rows(book, name)[:4]), name
    practitioners = header(book, "Practitioners by region")
    assert (
        practitioners[0] == "Region" and "Idvas\n(FTE)" in practitioners and "Outreach workers\n(FTE)" in practitioners
    )
    assert "1–2 Idvas\n(%)" in header(book, "Idva services by size")
    assert "Coverage (%)" in header(book, "Coverage by police force area")


def test_the_years_the_report_prints_side_by_side_are_side_by_side(counted: Path) -> None:
    book = openpyxl.load_workbook(counted / "tables" / "tables.xlsx")
    headline = header(book, "Headline figures")
    assert list(headline[1:3]) == ["2017", "2016"]
    coverage = header(book, "Coverage by region")
    assert "Coverage (%)" in coverage and "Coverage 2016 (%)" in coverage
    london = next(row for row in rows(book, "Coverage by region") if row[0] == "London")
    this, before = london[coverage.index("Coverage (%)")], london[coverage.index("Coverage 2016 (%)")]
    assert isinstance(this, int) and isinstance(before, int) and this != before


def test_tables_help_names_the_workbooks_sheets() -> None:
    result = runner.invoke(app, ["tables", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "tables.xlsx" in text and "cover, contents and notes sheets" in text
