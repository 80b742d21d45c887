"""The report's content beyond the published tables: comparability of years, the figures the 2017 report gives in
its text, the tables it had and we lacked, findings from the coding, key figures, agreement and provenance.

Every published figure is read from published-2017.json (never typed here); other figures are recounted in the
test from the store, independently of the report's code."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from practitioner_survey.counting.figures import round_half_up
from practitioner_survey.errors import SurveyError
from practitioner_survey.loading.bundled import load_year
from practitioner_survey.reference import bundled_reference
from practitioner_survey.reference.texts import comparison, practitioner_types
from practitioner_survey.report.build import build_report
from practitioner_survey.report.glance import in_sentence, roughly
from practitioner_survey.report.provenance import load_provenance
from practitioner_survey.report.render import build_year, render_section
from practitioner_survey.store.coding import Decision
from practitioner_survey.store.core import Store
from practitioner_survey.synthetic.targets import published
from tests.test_report import tables_in

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
PUBLISHED = published()
HEAD = PUBLISHED["headline"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("content")
    with Store(folder / "survey.db") as s:
        load_year(s, ROOT / "responses" / "2017")
        yield s


@pytest.fixture(scope="module")
def html(store: Store, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("content-build")
    built = build_year(store, 2017, out, TEMPLATES, formats=("html",))
    assert built.html is not None
    return built.html.read_text(encoding="utf-8")


def text_of(html: str, element_id: str) -> str:
    """The text of the element with `element_id` (tags dropped, entities resolved, spaces collapsed)."""
    found = re.search(rf'<(\w+)[^>]* id="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert found, f"no element with id {element_id}"
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", found.group(2)))).strip()


def n(value: float) -> str:
    return f"{value:,.0f}"


# 1. Comparability


def test_comparability_rules_come_from_reference_data() -> None:
    assert not comparison("outreach", 2017, 2016).comparable
    assert not comparison("total_fte_practitioners", 2017, 2015).comparable  # a two-year gap crosses the break
    idva = comparison("fte_idvas", 2017, 2016)
    assert idva.comparable and [c.id for c in idva.caveats] == ["wider_engagement"]
    assert comparison("fte_idvas", 2016, 2015).caveats == ()  # no break between them
    assert comparison("outreach", 2018, 2017).comparable  # after the break, like for like again
    assert comparison("marac_cases", 2017, 2016) == comparison("marac_cases", 2016, 2015)  # not from the returns


def test_a_change_the_definitions_make_meaningless_is_not_printed(html: str) -> None:
    keys, rows = tables_in(html)["headline"]
    assert rows["FTE practitioners of all types"][keys.index("change") - 1] == "not comparable"
    keys, rows = tables_in(html)["fte_by_type"]
    for kind in ("Outreach workers", "Refuge workers", "Total domestic abuse practitioners"):
        assert rows[kind][keys.index("fte_change") - 1] == "not comparable", kind
    assert rows["Idvas – all risk levels"][keys.index("fte_change") - 1].startswith("+")  # printed in house spelling
    glance = text_of(html, "glance")
    assert "practitioners of all types" in glance and "cannot be compared with 2016's [note" in glance


def test_changes_carry_their_caveats_as_numbered_notes(html: str) -> None:
    rules = tomllib.loads((ROOT / "practitioner_survey" / "reference" / "comparability.toml").read_text())
    notes = text_of(html, "comparability-notes")
    for caveat in ("wider_engagement", "practitioner_definitions"):
        assert rules["caveats"][caveat] in notes
    wider = 1 + [c for c in rules["caveats"].values() if c in notes].index(rules["caveats"]["wider_engagement"])
    assert re.search(rf"FTE Idvas \(all risk levels\) \[notes? [\d, ]*{wider}", html)
    assert f"since 2016 [note {wider}]" in text_of(html, "glance")
    assert re.search(r'data-key="coverage_change"[^>]*>Change since 2016 \(points\) \[note', html)


# 2. Figures computed but never printed


def test_marac_cases_and_the_idva_need_are_printed_as_published(html: str) -> None:
    need = text_of(html, "idva-need")
    assert n(HEAD["marac_cases_12m_to_sep_2017"]) in need
    assert f"rose by {HEAD['marac_cases_increase_pct']}%" in need
    assert f"no more than {HEAD['cases_per_idva_per_year_max']} cases" in need
    assert f"about {n(HEAD['idvas_needed_for_marac_cases_approx'])} FTE Idvas are needed" in need
    assert f"about {n(HEAD['idvas_needed_for_hidden_victims_approx'])} more" in need
    total = HEAD["idvas_needed_for_marac_cases_approx"] + HEAD["idvas_needed_for_hidden_victims_approx"]
    assert f"about {n(total)} FTE Idvas are needed in all ({n(HEAD['recommended_fte_idvas'])}" in need


def test_idva_service_figures_are_printed_as_published(html: str) -> None:
    cases = text_of(html, "idva-cases")
    assert f"{HEAD['idva_services_marac_only_pct']}% of Idva services supported Marac cases only" in cases
    assert f"{HEAD['idva_services_both_marac_and_court_pct']}% both" in cases
    assert f"{HEAD['idva_services_court_only']} supported court cases only" in cases
    lone = text_of(html, "idva-lone")
    assert lone.startswith(f"{HEAD['services_with_one_idva']} Idva services")
    assert f"{HEAD['services_with_one_idva_covering_multiple_pfas']} of them covering more than one" in lone
    where = text_of(html, "idva-locations")
    assert where.startswith(
        f"In {HEAD['services_with_idvas_in_single_location']} Idva services "
        f"({HEAD['services_with_idvas_in_single_location_pct']}%)"
    )


def test_the_dash_footnote_and_every_practitioner_definition_are_printed(html: str) -> None:
    assert 'href="#dash-note"' in html and "Dash" in text_of(html, "dash-note")
    definitions = text_of(html, "definitions")
    for kind in practitioner_types():
        assert kind.name in definitions and kind.definition in definitions


# 3. Figures of the report that were missing


def idva_services_locations(store: Store) -> pd.Series:
    """Each Idva service's locations, recounted from the store: services with Idva FTE in their staffing."""
    services, staffing = store.services(2017), store.staffing(2017)
    with_idvas = set(staffing.loc[staffing["idva_fte"] > 0, "service_id"])
    employ = services[services["employs_practitioners"].astype(bool) & services["service_id"].isin(with_idvas)]
    return employ.set_index("service_id")["idva_locations"].fillna("")


def test_health_and_local_authority_settings_are_shares_of_all_idva_services(html: str, store: Store) -> None:
    locations = idva_services_locations(store)
    keys, rows = tables_in(html)["idva_location_settings"]
    assert set(rows) == {"A&E", "Maternity", "Whole hospital", "GP surgeries", "Community health visitors",
                         "Children's services", "MASH", "Adult social care", "Housing"}  # fmt: skip
    for setting, cells in rows.items():
        group = cells[keys.index("group") - 1]
        hits = sum(f"{group}: {setting}" in [p.strip() for p in str(x).split(";")] for x in locations)
        assert int(cells[keys.index("pct_of_services") - 1]) == round_half_up(100 * hits / len(locations))
        assert int(cells[keys.index("pct_of_services") - 1]) <= PUBLISHED["idva_locations_pct_of_services"][group]


def test_outreach_and_childrens_worker_density_by_police_force_area(html: str, store: Store) -> None:
    keys, rows = tables_in(html)["practitioner_density_by_pfa"]
    assert len(rows) == HEAD["police_force_areas"] + 1
    services, staffing = store.services(2017), store.staffing(2017)
    employ = set(services.loc[services["employs_practitioners"].astype(bool), "service_id"])
    fte = (
        staffing[staffing["service_id"].isin(employ)]
        .groupby("police_force_area")[["outreach_fte", "ypva_fte", "children_fte"]]
        .sum()
    )
    published_total = dict(zip(PUBLISHED["practitioner_fte_by_region"]["columns"],
                               PUBLISHED["practitioner_fte_by_region"]["rows"]["Total"], strict=True))  # fmt: skip
    assert round_half_up(fte["outreach_fte"].sum()) == published_total["outreach"]  # the recount is the report's
    women = bundled_reference(2017).set_index("police_force_area")["adult_female_population"]
    outreach, cyp = keys.index("outreach_per_100k_women") - 1, keys.index("cyp_per_100k_women") - 1
    densities = [float(cells[outreach]) for area, cells in rows.items() if area != "Total"]
    assert densities == sorted(densities), "from the lowest density to the highest"
    for area, cells in rows.items():
        got = fte.sum() if area == "Total" else fte.reindex([area]).fillna(0).iloc[0]
        per = women.sum() if area == "Total" else women[area]
        assert float(cells[outreach]) == round_half_up(100_000 * got["outreach_fte"] / per, 1), area
        kids = got["ypva_fte"] + got["children_fte"]
        assert float(cells[cyp]) == round_half_up(100_000 * kids / per, 1), area


def test_marac_cases_per_10000_adult_women_against_the_recommended_40(html: str) -> None:
    keys, rows = tables_in(html)["coverage_by_police_force_area"]
    ref = bundled_reference(2017).set_index("police_force_area")
    assert set(rows) == set(ref.index)
    for area, cells in rows.items():
        cases = ref["marac_cases"].sum() if area == "Total" else ref.loc[area, "marac_cases"]
        women = ref["adult_female_population"].sum() if area == "Total" else ref.loc[area, "adult_female_population"]
        assert int(cells[keys.index("cases_per_10k_women") - 1]) == round_half_up(10_000 * cases / women), area
    total = round_half_up(10_000 * ref["marac_cases"].sum() / ref["adult_female_population"].sum())
    assert text_of(html, "key-marac_rate").startswith(f"{n(total)} cases were heard at Marac for every 10,000")
    assert "40 Marac cases a year per 10,000 adult women" in html
    assert "Marac cases per 10,000 adult women" in html.split('data-key="cases_per_10k_women"')[1][:60]


def test_the_ons_marac_row_reproduces_the_ons_re_publication(html: str) -> None:
    ons = PUBLISHED["ons_marac_year_ending_march_2018"]
    keys, rows = tables_in(html)["ons_marac_national"]
    cells = rows["year ending March 2018"]
    got = {k: int(cells[keys.index(k) - 1].replace(",", "")) for k in keys[1:]}
    assert got == {"maracs": ons["maracs"], "cases_discussed": ons["cases_discussed"],
                   "recommended_cases": ons["recommended_cases"],
                   "cases_per_10k_women": ons["cases_per_10000_adult_females"],
                   "recommended_per_10k_women": ons["recommended_per_10000_adult_females"]}  # fmt: skip


# 4. Findings from the comments


def test_findings_name_the_subcategory_mentioned_most_with_its_numbers(html: str, store: Store) -> None:
    findings = text_of(html, "findings")
    assert "was about" not in findings
    total = PUBLISHED["qualitative"]["biggest_difference"]["comments"]
    share = PUBLISHED["qualitative"]["biggest_difference"]["facts"]["perpetrator_response_pct_of_all_comments"]
    assert "perpetrator response was mentioned most (" in findings and f"{share}% of all comments" in findings
    top = PUBLISHED["qualitative"]["biggest_difference"]["categories_pct"]["Specialist services"]
    assert f"specialist services came up most ({top}% of {total} comments)" in findings
    codes = store.current_codes(2017)
    challenges = codes[
        (codes["question"] == "survivor_challenges") & (codes["category_id"] == "range-of-specialist-services")
    ]
    named = challenges[~challenges["subcategory_id"].isin(["general", "other"])]["subcategory_id"].value_counts()
    assert named.index[0] == "mental-health"  # recounted from the codes, as the report's finding says
    assert f"mental health was mentioned most ({named.iloc[0]} comments" in findings


def test_term_counts_are_counted_from_the_comments(html: str, store: Store) -> None:
    pattern = load_provenance(2017).terms[0][1]
    comments = store.comments(2017, "biggest_difference")
    hits = int(comments["text"].str.contains(pattern, case=False, regex=True).sum())
    share = round_half_up(100 * hits / len(comments))
    said = f"{roughly(hits / len(comments))} of comments on what would make the biggest difference"
    assert f"Funding was mentioned in {said} ({n(share)}%, {hits} of {len(comments)})" in text_of(html, "findings")


def test_shares_are_said_in_words_as_a_reader_would() -> None:
    assert roughly(0.36) == "over a third"
    assert roughly(0.25) == "about a quarter"
    assert roughly(0.47) == "just under half"


# 5. Agreement


def test_agreement_shows_only_the_comparisons_the_log_holds(store: Store) -> None:
    question = "other_comments"
    ids = [int(i) for i in store.comments(2017, question)["id"].iloc[:6]]
    shown = [{"category_id": "funding-commissioning", "label": "x", "confidence": 0.5, "subcategory_id": ""}]
    for i, comment in enumerate(ids):
        mine = "funding-commissioning" if i < 4 else "training"
        store.log([Decision(2017, comment, question, "ann", "code", mine, suggestion=shown),
                   Decision(2017, comment, question, "bob", "code", "funding-commissioning",
                            payload={"double": True})])  # fmt: skip
    report = build_report(store, 2017)
    compared = {(a.question, a.comparison): a for a in report.agreement}
    assert set(compared) == {("Other comments", "the model's suggestion vs the analyst"),
                             ("Other comments", "two analysts coding blind")}  # fmt: skip
    assert all(a.n == 6 and a.disagreements == 2 for a in compared.values())
    assert (
        "no comparison of" in report.agreement_note
        and "what would make the biggest difference" in report.agreement_note
    )
    rendered = render_section(report, "method", TEMPLATES)
    assert 'id="agreement"' in rendered and "not measured" not in rendered


# 9. Provenance


def test_every_table_and_chart_has_a_source_line(html: str) -> None:
    tables = re.findall(r'<table id="([^"]+)"', html)
    after = re.split(r'<table id="', html)[1:]
    # under the table's scrolling box, after its note if it has one
    source = re.compile(r'</table>\s*</div>\s*(<p class="note">.*?</p>\s*)?<p class="source">Source: ', re.S)
    unsourced = [t for t, rest in zip(tables, after, strict=True) if not source.match(rest[rest.index("</table>") :])]
    assert len(tables) > 20 and unsourced == []
    for figure in re.findall(r'<figure id="([^"]+)"', html):
        caption = re.search(rf'<figure id="{figure}"[^>]*>.*?<figcaption>(.*?)</figcaption>', html, re.S)
        assert caption and "Source: " in caption.group(1), figure


def test_status_publisher_period_and_contact_come_from_report_toml(html: str) -> None:
    settings = load_provenance(2017)
    assert settings.statistical_status in text_of(html, "statistical-status")
    assert settings.contact in text_of(html, "contact")
    header = html.split("</header>")[0]
    for value in (settings.publisher, settings.publication_date, settings.reference_period, "Data as of "):
        assert unescape(value) in unescape(header)


def test_report_toml_year_values_override_and_missing_ones_are_named(tmp_path: Path) -> None:
    path = tmp_path / "report.toml"
    path.write_text('publisher = "P"\ntitle = "T {year}"\nsource = "S {year}"\nreference_source = "R"\n'
                    'statistical_status = "Not official."\ncontact = "C"\nreference_period = "old"\n'
                    'publication_date = "D"\n[year.2018]\nreference_period = "new"\n')  # fmt: skip
    assert load_provenance(2018, path).reference_period == "new"
    assert load_provenance(2017, path).source == "S 2017"
    path.write_text(path.read_text().replace('reference_period = "old"\npublication_date = "D"\n', ""))
    assert "not yet published" in load_provenance(2017, path).publication_date  # printed, so nobody misses it
    path.write_text('publisher = "P"\n')
    with pytest.raises(SurveyError, match=r"gives no title, source.*for 2017"):
        load_provenance(2017, path)


# 14. Key figures


def test_key_figures_say_for_every_100_with_last_year_beside(html: str) -> None:
    coverage = text_of(html, "key-coverage")
    assert coverage.startswith(f"{HEAD['coverage_pct']} FTE Idvas for victims at high risk are in post for every 100")
    assert "(2016: " in coverage
    high_risk = round_half_up(100 * HEAD["fte_idvas_high_risk"] / HEAD["fte_idvas"])
    assert text_of(html, "key-high_risk").startswith(f"{n(high_risk)} of every 100 FTE Idvas")
    assert text_of(html, "key-areas_met").startswith(
        f"{HEAD['pfas_at_or_above_100pct']} of the {HEAD['police_force_areas']}"
    )
    assert "2016: not comparable" in text_of(html, "key-idva_share")
    assert text_of(html, "key-idva_share").startswith(
        f"{round_half_up(100 * HEAD['fte_idvas'] / HEAD['total_fte_practitioners'], 1)} of every 100"
    )


def test_labels_inside_a_sentence_keep_names_and_acronyms() -> None:
    assert in_sentence("Housing options") == "housing options"
    assert in_sentence("Funding/commissioning") == "funding/commissioning"
    assert in_sentence("Criminal Justice System") == "Criminal Justice System"
    assert in_sentence("BME") == "BME" and in_sentence("Idva") == "Idva" and in_sentence("Marac") == "Marac"
