"""`survey load`, `survey tables` and `survey build` wired end to end (CliRunner)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.counting.tables import neutralise, write_tables
from practitioner_survey.report import TITLES, render_tables_page

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory laid out like a fresh clone: responses/ and templates/."""
    shutil.copytree(ROOT / "responses", tmp_path / "responses")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SURVEY_DB", raising=False)
    return tmp_path


def test_build_loads_the_bundled_year_and_writes_tables_and_page(clone: Path) -> None:
    result = runner.invoke(app, ["build", "2017"])
    assert result.exit_code == 0, result.output
    assert (clone / "survey.db").is_file()
    tables = clone / "build" / "2017" / "tables"
    assert {p.name for p in tables.iterdir()} >= {"idva_coverage_by_region.csv", "headline.csv", "tables.xlsx"}
    page = (clone / "build" / "2017" / "report.html").read_text()
    assert page.count('<section class="report-section"') == 6 and page.count("<table") > 12
    assert "Gateshead Idva Service" in page  # the appendix of services that did not respond directly
    again = runner.invoke(app, ["build", "2017"])
    assert again.exit_code == 0 and "loading" not in again.output  # the store already holds 2017


def test_load_twice_changes_nothing(clone: Path) -> None:
    first = runner.invoke(app, ["load", "responses/2017"])
    assert first.exit_code == 0, first.output
    assert "2016: returns returns-2016.xlsx: imported" in first.output
    second = runner.invoke(app, ["load", "responses/2017"])
    assert second.exit_code == 0, second.output
    assert "unchanged" in second.output and "imported" not in second.output


def test_tables_refuses_a_year_not_in_the_store(clone: Path) -> None:
    runner.invoke(app, ["load", "responses/2016"])
    result = runner.invoke(app, ["tables", "2019", "--out", "t"])
    assert result.exit_code == 1
    assert "2019" in result.output and "Traceback" not in result.output


def test_tables_without_a_store_says_so(clone: Path) -> None:
    result = runner.invoke(app, ["--db", str(clone / "none.db"), "tables", "2017"])
    assert result.exit_code == 1
    assert "no store" in result.output
    assert not (clone / "none.db").exists()


def test_build_of_a_year_with_no_returns_and_no_bundle_is_refused(clone: Path) -> None:
    result = runner.invoke(app, ["build", "2019"])
    assert result.exit_code == 1
    assert "responses/2019/load.toml" in result.output


def test_tables_command_help_explains_itself() -> None:
    for command in ("tables", "build", "load"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Usage" in result.output and len(result.output) > 200


def test_page_escapes_text_from_the_returns(tmp_path: Path) -> None:
    frame = pd.DataFrame({"service": ["<script>alert(1)</script>"], "fte_idvas": [1.0]})
    tables = dict.fromkeys(TITLES, frame)
    page = render_tables_page(2017, tables, ROOT / "templates")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_exports_neutralise_formulas(tmp_path: Path) -> None:
    assert neutralise('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert neutralise(-3) == -3 and neutralise("Kent") == "Kent"
    write_tables({"t": pd.DataFrame({"service": ["@SUM(A1)", "+1", "Sandwell"]})}, tmp_path)
    text = (tmp_path / "t.csv").read_text()
    assert "'@SUM(A1)" in text and "'+1" in text and "\nSandwell" in text


def test_tables_show_where_figures_came_from(clone: Path) -> None:
    assert runner.invoke(app, ["load", "responses/2017"]).exit_code == 0
    result = runner.invoke(app, ["tables", "2017", "--out", "out"])
    assert result.exit_code == 0, result.output
    revisions = pd.read_csv(clone / "out" / "revisions.csv")
    sent = pd.read_csv(clone / "responses" / "2017" / "pcc-revisions.csv")
    assert len(revisions) == len(sent)
    assert set(revisions["source"]) == set(sent["source"])
    assert (revisions["old_value"] != revisions["new_value"]).all()
    appendix = pd.read_csv(clone / "out" / "not_direct_responses.csv")
    assert set(appendix["source"]) == {"2016 Survey Results", "Sandwell Marac Co-ordinator"}
