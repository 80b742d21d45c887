"""Counting rules on small hand-made years: regions, services across regions, sizes, shares, headline."""

from __future__ import annotations

import pandas as pd
import pytest

from practitioner_survey.counting import figures as counting
from practitioner_survey.counting.figures import YearData, round_half_up, size_band
from practitioner_survey.reference import REGIONS, police_force_areas
from practitioner_survey.returns.schema import FTE_COLUMNS, SERVICES_COLUMNS, STAFFING_COLUMNS


def _reference(recommended: float = 10.0) -> pd.DataFrame:
    frame = police_force_areas().copy()
    frame["marac_cases"] = recommended * 100
    frame["adult_female_population"] = 1000.0
    frame["recommended_fte"] = recommended
    return frame


def _year(services: list[dict], staffing: list[dict]) -> YearData:
    base_service = {c: "" for c in SERVICES_COLUMNS} | {"employs_practitioners": True, "response_mode": "online"}
    base_row = {c: 0.0 for c in FTE_COLUMNS} | {"idva_headcount": 0, "volunteers": 0}
    s = pd.DataFrame([base_service | row for row in services], columns=list(SERVICES_COLUMNS))
    t = pd.DataFrame([base_row | row for row in staffing], columns=list(STAFFING_COLUMNS))
    return YearData(2030, s, t, _reference())


@pytest.fixture
def cross_region_year() -> YearData:
    """A lone Idva covering Surrey (South East) and the Met (London), and a large Met service."""
    return _year(
        [
            {"service_id": "A", "idva_locations": "Police", "idva_cases": "court"},
            {"service_id": "B", "idva_locations": "Specialist Domestic Abuse Service; Courts", "idva_cases": "both"},
            {"service_id": "C", "employs_practitioners": False},
        ],
        [
            {
                "service_id": "A",
                "police_force_area": "Surrey",
                "idva_headcount": 1,
                "idva_fte": 0.6,
                "idva_fte_high_risk": 0.6,
                "outreach_fte": 1.0,
                "volunteers": 3,
            },
            {"service_id": "A", "police_force_area": "Metropolitan Police", "idva_fte": 0.4, "idva_fte_high_risk": 0.2},
            {
                "service_id": "B",
                "police_force_area": "Metropolitan Police",
                "idva_headcount": 12,
                "idva_fte": 11.0,
                "idva_fte_high_risk": 9.0,
                "volunteers": 5,
            },
            {"service_id": "C", "police_force_area": "Kent", "outreach_fte": 7.0},
        ],
    )


def test_a_service_across_regions_counts_once_in_each_region_and_once_in_the_total(cross_region_year) -> None:
    table = counting.idva_coverage_by_region(cross_region_year)
    assert table.loc["London", "services_responding"] == 2
    assert table.loc["South East", "services_responding"] == 1
    assert table.loc["Total", "services_responding"] == 2
    assert table.loc["South East", "fte_idvas"] == pytest.approx(0.6)
    assert table.loc["London", "fte_idvas"] == pytest.approx(11.4)
    assert table.loc["Total", "fte_idvas"] == pytest.approx(12.0)
    assert list(table.index) == [*REGIONS, "Total"]


def test_services_without_practitioners_are_left_out_of_the_counts(cross_region_year) -> None:
    table = counting.practitioner_fte_by_region(cross_region_year)
    assert table.loc["South East", "outreach"] == pytest.approx(1.0)  # not C's 7 in Kent
    assert table.loc["Total", "all_practitioners"] == pytest.approx(13.0)


def test_coverage_is_high_risk_fte_over_recommended(cross_region_year) -> None:
    table = counting.coverage_by_police_force_area(cross_region_year)
    assert table.loc["Metropolitan Police", "coverage_pct"] == pytest.approx(100 * 9.2 / 10)
    assert table.loc["Metropolitan Police", "services"] == 2
    assert table.loc["Kent", "services"] == 0


def test_size_bands_follow_the_service_headcount_across_its_rows(cross_region_year) -> None:
    by_count = counting.idva_services_by_size(cross_region_year)
    assert by_count.loc["London", "1-2"] == pytest.approx(50)
    assert by_count.loc["London", "10+"] == pytest.approx(50)
    assert by_count.loc["Total", "1-2"] == pytest.approx(50)
    by_fte = counting.idva_fte_by_service_size(cross_region_year)
    assert by_fte.loc["London", "1-2"] == pytest.approx(100 * 0.4 / 11.4)
    assert [size_band(h) for h in (0, 1, 2, 3, 5, 6, 9, 10, 40)] == [
        "",
        "1-2",
        "1-2",
        "3-5",
        "3-5",
        "6-9",
        "6-9",
        "10+",
        "10+",
    ]


def test_type_share_row_divides_by_services_employing_any_of_the_seven_types(cross_region_year) -> None:
    table = counting.services_by_type_by_region(cross_region_year)
    assert table.loc["Total", "idva"] == 2
    assert table.loc["Total / %", "outreach"] == pytest.approx(50)


def test_locations_group_health_and_local_authority_settings() -> None:
    year = _year(
        [{"service_id": "A", "idva_locations": "Health: A&E; Health: Maternity; Police"}],
        [{"service_id": "A", "police_force_area": "Kent", "idva_headcount": 2, "idva_fte": 2.0}],
    )
    table = counting.idva_locations(year)["pct_of_services"]
    assert table["Health"] == 100 and table["Police"] == 100 and table["Courts"] == 0


def test_headline_counts_lone_idvas_and_cases(cross_region_year) -> None:
    facts = counting.headline(cross_region_year)
    assert facts["services_with_one_idva"] == 1
    assert facts["services_with_one_idva_covering_multiple_pfas"] == 1
    assert facts["idva_services_court_only"] == 1
    assert facts["services_responding_without_practitioners"] == 1
    assert facts["services_with_idvas_in_single_location"] == 1


def test_rounding_is_half_up_as_printed() -> None:
    assert [round_half_up(x) for x in (0.5, 1.5, 2.5, 104.5)] == [1, 2, 3, 105]
    assert round_half_up(2.45, 1) == 2.5


def test_headline_compares_with_the_previous_year(cross_region_year) -> None:
    before = _year(
        [{"service_id": "B"}],
        [{"service_id": "B", "police_force_area": "Metropolitan Police", "idva_headcount": 10, "idva_fte": 10.0}],
    )
    before = YearData(2029, before.services, before.staffing, before.reference)
    facts = counting.headline(cross_region_year, before)
    assert facts["fte_idvas_increase_vs_2029_pct"] == 20
    assert facts["services_responding_2029"] == 1
