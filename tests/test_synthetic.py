"""The generator of the bundled synthetic data: seeded, reproduces the report, and made the files we ship."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from practitioner_survey.counting.figures import YearData
from practitioner_survey.counting.tables import printed_tables
from practitioner_survey.reference import REGIONS, bundled_reference
from practitioner_survey.returns.validate import read_returns
from practitioner_survey.synthetic.__main__ import main as generate
from practitioner_survey.synthetic.check import differences
from practitioner_survey.synthetic.targets import counts_for_shares, published

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    generate(["--out", str(out / "responses"), "--reference-out", str(out)])
    return out


@pytest.mark.parametrize("year", [2016, 2017])
def test_generator_with_its_seed_made_the_bundled_returns(generated: Path, year: int) -> None:
    ours = read_returns(generated / "responses" / str(year) / f"returns-{year}.xlsx")
    shipped = read_returns(ROOT / "responses" / str(year) / f"returns-{year}.xlsx")
    pd.testing.assert_frame_equal(ours.services, shipped.services)
    pd.testing.assert_frame_equal(ours.staffing, shipped.staffing)
    for name in ("load.toml", "acknowledged-warnings.csv", f"comments-{year}.jsonl"):
        assert (generated / "responses" / str(year) / name).read_text() == (
            ROOT / "responses" / str(year) / name
        ).read_text()


@pytest.mark.parametrize("year", [2016, 2017])
def test_generator_made_the_packaged_reference(generated: Path, year: int) -> None:
    ours = (generated / f"recommended_idvas_{year}.csv").read_text()
    shipped = (ROOT / "practitioner_survey" / "reference" / f"recommended_idvas_{year}.csv").read_text()
    assert ours == shipped
    assert ours.startswith("# SYNTHETIC")


def test_bundled_workbook_says_it_is_synthetic() -> None:
    from openpyxl import load_workbook

    book = load_workbook(ROOT / "responses" / "2017" / "returns-2017.xlsx", read_only=True)
    assert "SYNTHETIC" in str(next(book["About"].iter_rows(values_only=True))[0])


def test_reference_regions_sum_to_the_published_recommended_levels() -> None:
    ref = bundled_reference(2017)
    sums = ref.groupby("region")["recommended_fte"].sum()
    rows = published()["idva_coverage_by_region"]["rows"]
    assert [round(sums[r]) for r in REGIONS] == [rows[r][3] for r in REGIONS]
    assert round(ref["recommended_fte"].sum()) == rows["Total"][3]
    assert ref["marac_cases"].sum() == published()["headline"]["marac_cases_12m_to_sep_2017"]


def test_counts_for_shares_finds_whole_numbers_that_print_as_the_shares() -> None:
    assert counts_for_shares(9, [33, 22, 11, 33]) == [3, 2, 1, 3]
    with pytest.raises(ValueError):
        counts_for_shares(3, [50, 50])


def test_differences_names_a_figure_that_is_off() -> None:
    """The comparison the generator relies on must notice a wrong figure."""

    shipped = read_returns(ROOT / "responses" / "2017" / "returns-2017.xlsx")
    data = YearData(2017, shipped.services, shipped.staffing, bundled_reference(2017))
    found = differences(printed_tables(data), published(), with_previous=False)
    # the return as first sent lacks the rolled-over services and the PCC revisions, so figures differ
    assert any("North East" in line for line in found)
    assert any("Gateshead" in line for line in found)
