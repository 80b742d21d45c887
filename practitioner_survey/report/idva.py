"""The Idva section's figures beyond coverage by region: how the recommended number is derived from Marac cases,
the sentences of the report's text about Idva services, and the tables of size, location and Marac cases."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from practitioner_survey.report.glance import change
from practitioner_survey.report.printed import Table, frame_table, number


def idva_text(facts: dict[str, object], previous: int | None) -> dict[str, str]:
    """The section's generated sentences, by name: `need` (Marac cases and how the Idva need follows from them),
    `high_risk`, `cases` (Marac-only and court work), `lone` (services with a single Idva) and `locations`."""
    f = {k: float(v) for k, v in facts.items() if isinstance(v, int | float)}
    marac = f"{number(f['marac_cases'])} cases were heard at Maracs in England and Wales in the year"
    if "marac_cases_increase_pct" in f and previous is not None:
        marac += f"; the number {change(f['marac_cases_increase_pct'], 0)} on {previous}"
    for_cases, hidden = f["idvas_needed_for_marac_cases_approx"], f["idvas_needed_for_hidden_victims_approx"]
    need = (
        f"{marac}. At no more than {number(f['cases_per_idva_per_year_max'])} cases per FTE Idva a year, about "
        f"{number(for_cases)} FTE Idvas are needed for the cases Maracs hear. Victims at high risk who never reach "
        f"a Marac need about {number(hidden)} more, so about {number(for_cases + hidden)} FTE Idvas are needed in "
        f"all ({number(f['recommended_fte_idvas'])} summed area by area, each area taking the larger of its Marac "
        "and population-based estimates)."
    )
    high_risk = (
        f"Of the {number(f['fte_idvas'])} FTE Idvas, {number(f['fte_idvas_high_risk'])} "
        f"({number(f['idva_fte_high_risk_pct'])}%) work with victims at high risk; the recommended level counts "
        "only these."
    )
    court = int(f["idva_services_court_only"])
    cases = (
        f"{number(f['idva_services_marac_only_pct'])}% of Idva services supported Marac cases only and "
        f"{number(f['idva_services_both_marac_and_court_pct'])}% both Marac and court cases"
        + (f"; {court} supported court cases only." if court else ".")
    )
    lone = (
        f"{number(f['services_with_one_idva'])} Idva services ({number(f['services_with_one_idva_pct'])}%) had a "
        f"single Idva, {number(f['services_with_one_idva_covering_multiple_pfas'])} of them covering more than one "
        "police force area. A lone Idva cannot offer a resilient service and works without colleagues to share "
        "the load."
    )
    locations = (
        f"In {number(f['services_with_idvas_in_single_location'])} Idva services "
        f"({number(f['services_with_idvas_in_single_location_pct'])}%) every Idva was based in one location; "
        f"{number(f['services_with_idvas_in_several_locations'])} had Idvas in several."
    )
    return {"need": need, "high_risk": high_risk, "cases": cases, "lone": lone, "locations": locations}


@dataclass(frozen=True)
class IdvaTables:
    """The Idva section's tables after coverage by region (each fills the Report field of its name)."""

    coverage_by_pfa: Table
    size_services: Table
    size_fte: Table
    locations: Table
    location_settings: Table
    ons_marac: Table | None


def idva_tables(tables: dict[str, pd.DataFrame], facts: dict[str, object]) -> IdvaTables:
    """The section's tables after coverage by region."""
    idva_n = f"{number(facts['idva_services'])} Idva services"
    sized_n = f"{number(facts['idva_services_answering_size_question'])} services"
    ons = tables["ons_marac_national"]
    pfas = f"{len(tables['coverage_by_police_force_area'])} police force areas"
    return IdvaTables(
        coverage_by_pfa=frame_table(
            "coverage_by_police_force_area", with_marac_rate(tables),
            "Idva coverage and Marac cases by police force area",
            "FTE; coverage as % of the recommended level; Marac cases a year per 10,000 adult women", pfas,
            places={"fte_idvas": 1, "fte_idvas_high_risk": 1, "recommended_idvas": 1},
            note="The population-based estimate expects 40 Marac cases a year per 10,000 adult women.",
        ),
        size_services=frame_table(
            "idva_services_by_size", tables["idva_services_by_size"], "Idva services by size (individual Idvas)",
            "% of Idva services in each region", sized_n,
        ),
        size_fte=frame_table(
            "idva_fte_by_service_size", tables["idva_fte_by_service_size"], "FTE Idvas by the size of their service",
            "% of the region's FTE Idvas", sized_n,
        ),
        locations=frame_table(
            "idva_locations", tables["idva_locations"], "Where Idvas are based",
            "% of Idva services (a service may have Idvas in several places)", idva_n,
        ),
        location_settings=frame_table(
            "idva_location_settings", tables["idva_location_settings"][["setting", "group", "pct_of_services"]],
            "Idvas in health and local-authority settings", "% of all Idva services, as in the table above",
            idva_n,
        ),
        ons_marac=None if not len(ons) else frame_table(
            "ons_marac_national", ons, "Maracs in England and Wales, as the ONS re-published them",
            "Maracs; cases; per 10,000 adult women", "England and Wales",
        ),
    )  # fmt: skip


def with_marac_rate(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Coverage by police force area with each area's Marac cases per 10,000 adult women beside it (one table of
    43 rows rather than two: the printed report is laid out faster and read more easily)."""
    rates = tables["marac_cases_by_pfa"].set_index("police_force_area")["cases_per_10k_women"]
    coverage = tables["coverage_by_police_force_area"]
    return coverage.assign(cases_per_10k_women=coverage["police_force_area"].map(rates).to_numpy())
