"""Year on year: tables carry up to two earlier years from the store beside the report's year."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from practitioner_survey.counting import figures as counting
from practitioner_survey.counting.tables import year_data
from practitioner_survey.loading.bundled import load_year
from practitioner_survey.loading.importing import import_year
from practitioner_survey.reference import bundled_reference
from practitioner_survey.report.build import build_report
from practitioner_survey.report.years import earlier_years
from practitioner_survey.store.core import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def three_years(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """2016 and 2017 as bundled, and a 2015 made of the 2016 returns and 2017's recommended levels."""
    folder = tmp_path_factory.mktemp("years")
    store = Store(folder / "survey.db")
    load_year(store, ROOT / "responses" / "2017")
    returns = folder / "returns-2015.xlsx"
    shutil.copy(ROOT / "responses" / "2016" / "returns-2016.xlsx", returns)
    store.set_reference(2015, bundled_reference(2017), "2017's levels, so 2015's coverage differs from 2016's")
    import_year(store, returns, 2015, accept_warnings=ROOT / "responses" / "2016" / "acknowledged-warnings.csv")
    yield store
    store.close()


def test_earlier_years_are_the_years_just_before_newest_first(three_years: Store) -> None:
    assert earlier_years(three_years, 2017) == [2016, 2015]
    assert earlier_years(three_years, 2016) == [2015]
    assert earlier_years(three_years, 2015) == []
    assert earlier_years(three_years, 2018) == [2017, 2016]
    assert earlier_years(three_years, 2019) == []  # 2018 is missing: no gap is bridged


def test_the_headline_table_prints_three_years_and_the_change_since_last_year(three_years: Store) -> None:
    report = build_report(three_years, 2017)
    keys = [c.key for c in report.glance.columns]
    assert keys == ["figure", "this_year", "year_2016", "year_2015", "change"]
    facts = {y: counting.headline(year_data(three_years, y)) for y in (2016, 2015)}
    assert facts[2016]["coverage_pct"] != facts[2015]["coverage_pct"]  # so the columns cannot be swapped unseen
    coverage = next(r for r in report.glance.rows if r[0].startswith("Coverage (% of recommended)"))
    assert coverage[2] == f"{facts[2016]['coverage_pct']:,.0f}"
    assert coverage[3] == f"{facts[2015]['coverage_pct']:,.0f}"
    assert coverage[4] == f"{float(coverage[1]) - facts[2016]['coverage_pct']:+,.0f}"


def test_coverage_and_fte_by_type_carry_each_earlier_year(three_years: Store) -> None:
    report = build_report(three_years, 2017)
    coverage_keys = [c.key for c in report.coverage_by_region.columns]
    assert coverage_keys[-3:] == ["coverage_pct_2016", "coverage_pct_2015", "coverage_change"]
    fte_keys = [c.key for c in report.fte_by_type.columns]
    assert fte_keys[-3:] == ["fte_2016", "fte_2015", "fte_change"]
    before = counting.fte_by_type(year_data(three_years, 2016))["fte"]
    for row in report.fte_by_type.rows:
        kind = re.sub(r" \[notes? [\d, ]+\]$", "", row[0])
        assert row[-3] == f"{counting.round_half_up(float(before[kind])):,.0f}"
        if row[-1] != "not comparable":
            assert int(row[-1].replace(",", "")) == int(row[1].replace(",", "")) - int(row[-3].replace(",", ""))
    changes = {re.sub(r" \[.*", "", row[0]): row[-1] for row in report.fte_by_type.rows}
    assert changes["Refuge workers"] == "not comparable" and changes["IDVAs - all risk levels"] != "not comparable"


def test_key_figures_carry_both_earlier_years_where_comparable(three_years: Store) -> None:
    report = build_report(three_years, 2017)
    facts = {y: counting.headline(year_data(three_years, y)) for y in (2016, 2015)}
    key = {k.id: k for k in report.key_figures}
    assert key["coverage"].earlier == (
        f"2016: {facts[2016]['coverage_pct']:,.0f}; 2015: {facts[2015]['coverage_pct']:,.0f}"
    )
    assert key["coverage"].note.startswith("[note")  # both changes cross 2017's wider engagement
    assert key["idva_share"].earlier == "2016: not comparable; 2015: not comparable"
    assert report.previous_year == 2016 and len(report.notes) >= 2


def test_a_change_between_years_on_one_side_of_a_break_has_no_note(three_years: Store) -> None:
    report = build_report(three_years, 2016)  # 2015 -> 2016 crosses no break
    assert report.notes == []
    keys = [c.key for c in report.fte_by_type.columns]
    assert keys[-2:] == ["fte_2015", "fte_change"]
    assert all(row[-1] != "not comparable" and "[note" not in row[0] for row in report.fte_by_type.rows)


def test_a_year_without_earlier_years_prints_only_its_own_figures(three_years: Store) -> None:
    report = build_report(three_years, 2015)
    assert [c.key for c in report.glance.columns] == ["figure", "this_year"]
    assert not any(c.key.startswith("coverage_pct_") for c in report.coverage_by_region.columns)
    assert report.previous_year is None and report.earlier_years == []


def test_the_glance_page_prints_three_years_side_by_side(three_years: Store) -> None:
    from practitioner_survey.report.render import render_section

    html = render_section(build_report(three_years, 2017), "glance", ROOT / "templates")
    assert '<th scope="col" data-key="year_2015" class="num">2015</th>' in html
    coverage = re.search(r'id="key-coverage">(.*?)</p>', html, re.S)
    assert coverage and "2016: " in coverage.group(1) and "2015: " in coverage.group(1)
    cell = r'<td class="num">'  # every cell of a numeric column, text or not, is aligned right
    row = rf"FTE practitioners of all types \[note \d\]</th>({cell}[^<]*</td>){{3}}{cell}not comparable</td>"
    assert re.search(row, html)
