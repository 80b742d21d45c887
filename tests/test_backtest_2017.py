"""Backtests: `survey tables 2017` on the bundled synthetic returns reproduces every figure of the 2017 report.

Expected values are read from published-2017.json (never typed here); a missing table or row fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.synthetic.targets import published

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "reference" / "published-2017.json"
REGION_TABLES = {
    "idva_coverage_by_region": "idva_coverage_by_region",
    "idva_services_by_size_pct": "idva_services_by_size",
    "idva_fte_by_service_size_pct": "idva_fte_by_service_size",
    "practitioner_fte_by_region": "practitioner_fte_by_region",
    "services_by_type_by_region": "services_by_type_by_region",
    "volunteers_by_region": "volunteers_by_region",
}


@pytest.fixture(scope="module")
def tables_2017(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the bundled 2017 year into a fresh store and write its tables, through the command line."""
    work = tmp_path_factory.mktemp("backtest")
    shutil.copytree(ROOT / "responses", work / "responses")
    runner = CliRunner()
    db = str(work / "survey.db")
    loaded = runner.invoke(app, ["--db", db, "load", str(work / "responses" / "2017")])
    assert loaded.exit_code == 0, loaded.output
    out = work / "tables"
    result = runner.invoke(app, ["--db", db, "tables", "2017", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_packaged_published_figures_are_the_reference_copy() -> None:
    if SHARED.is_file():  # in a checkout beside shared/; the package's copy must not drift from it
        assert published() == json.loads(SHARED.read_text(encoding="utf-8"))
    assert published()["year"] == 2017


@pytest.mark.parametrize("key", sorted(REGION_TABLES))
def test_region_table_reproduces_the_report(tables_2017: Path, key: str) -> None:
    spec = published()[key]
    got = pd.read_csv(tables_2017 / f"{REGION_TABLES[key]}.csv").set_index("region")
    expected = pd.DataFrame.from_dict(spec["rows"], orient="index", columns=spec["columns"])
    expected.index.name = "region"
    pd.testing.assert_frame_equal(got.loc[expected.index, spec["columns"]], expected, check_dtype=False)
    assert list(got.index[:10]) == list(expected.index[:10]), "regions in the report's order"


def test_idva_locations_reproduce_the_report(tables_2017: Path) -> None:
    got = pd.read_csv(tables_2017 / "idva_locations.csv").set_index("location")["pct_of_services"]
    expected = pd.Series(published()["idva_locations_pct_of_services"], name="pct_of_services")
    expected.index.name = "location"
    pd.testing.assert_series_equal(got, expected, check_dtype=False)


def test_fte_by_type_reproduces_the_ons_table(tables_2017: Path) -> None:
    got = pd.read_csv(tables_2017 / "fte_by_type.csv").set_index("type")
    expected = pd.DataFrame.from_dict(
        published()["ons_table1_fte_by_type_2017"], orient="index", columns=["fte", "pct"]
    )
    expected.index.name = "type"
    pd.testing.assert_frame_equal(got.loc[expected.index], expected, check_dtype=False)


def test_headline_figures_reproduce_the_report(tables_2017: Path) -> None:
    rows = pd.read_csv(tables_2017 / "headline.csv")
    got = dict(zip(rows["name"], rows["value"], strict=True))
    renamed = {"marac_cases_12m_to_sep_2017": "marac_cases"}
    expected = published()["headline"]
    mismatched = {
        name: (got.get(renamed.get(name, name)), want)
        for name, want in expected.items()
        if got.get(renamed.get(name, name)) != want
    }
    assert mismatched == {}


def test_appendix_lists_the_services_that_did_not_respond_directly(tables_2017: Path) -> None:
    got = pd.read_csv(tables_2017 / "not_direct_responses.csv").sort_values("service").reset_index(drop=True)
    expected = pd.DataFrame(published()["appendix_rolled_over"]).sort_values("service").reset_index(drop=True)
    pd.testing.assert_frame_equal(got[expected.columns], expected, check_dtype=False)


def test_shared_checker_agrees_when_present(tables_2017: Path) -> None:
    checker = ROOT.parent / "shared" / "tools" / "check-published-tables"
    if not checker.is_file():  # outside the workplace there is no shared/; our own backtests above stand alone
        assert (tables_2017 / "idva_coverage_by_region.csv").is_file()
        return
    run = subprocess.run([sys.executable, str(checker), str(tables_2017)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    assert "337 of 337 published figures match" in run.stdout


def test_london_coverage_quirk_is_reproduced_from_unrounded_figures(tables_2017: Path) -> None:
    row = pd.read_csv(tables_2017 / "idva_coverage_by_region.csv").set_index("region").loc["London"]
    # the printed 147 / 141 would be 104 %; the report prints 105 %, and so must we
    assert round(100 * row["fte_idvas_high_risk"] / row["recommended_idvas"]) == 104
    assert row["coverage_pct"] == published()["idva_coverage_by_region"]["rows"]["London"][4]
