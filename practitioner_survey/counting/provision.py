"""Counting beyond the report's first tables: where Idvas are based in health and local-authority settings, how
many outreach and children's workers there are for the population of each police force area, Marac cases per
10,000 adult women, and the few figures of Idva services the report prints in its text. Pure pandas, from a
`YearData`; every function returns exact (unrounded) figures."""

from __future__ import annotations

import pandas as pd

from practitioner_survey.counting.figures import YearData, _split, idva_services, pct
from practitioner_survey.reference import HIGH_RISK_CASES_PER_10000_WOMEN, TOTAL
from practitioner_survey.reference.texts import ons_marac
from practitioner_survey.returns.schema import IDVA_LOCATIONS, location_group

#: The settings split out of Health and Local Authority, as (group, setting) in the schema's order.
SETTINGS = tuple((location_group(x), x.split(":", 1)[1].strip()) for x in IDVA_LOCATIONS if ":" in x)
#: Adult women a density is counted per.
PER_WOMEN = 100_000
#: Marac cases are counted per 10,000 adult women, as the recommended level is.
PER_MARAC = 10_000


def idva_location_settings(data: YearData) -> pd.DataFrame:
    """Share of all Idva services with an Idva in each health and local-authority setting (comparable with the
    main locations table: the same denominator)."""
    services = idva_services(data)
    places = services["idva_locations"].map(lambda text: set(_split(text)))
    n = len(services)
    rows = [
        {"group": group, "setting": setting, "pct_of_services": pct(sum(f"{group}: {setting}" in p for p in places), n)}
        for group, setting in SETTINGS
    ]
    return pd.DataFrame(rows, columns=["group", "setting", "pct_of_services"]).set_index("setting")


def practitioner_density_by_pfa(data: YearData) -> pd.DataFrame:
    """FTE outreach workers and children's and young people's workers (Ypvas and children's support workers) per
    100,000 adult women in each police force area, from the lowest outreach density to the highest."""
    rows = data.rows
    sums = rows.groupby("police_force_area")[["outreach_fte", "ypva_fte", "children_fte"]].sum()
    ref = data.reference.set_index("police_force_area")
    women = ref["adult_female_population"]
    table = pd.DataFrame(
        {
            "region": ref["region"],
            "outreach_fte": sums["outreach_fte"].reindex(ref.index).fillna(0.0),
            "cyp_fte": (sums["ypva_fte"] + sums["children_fte"]).reindex(ref.index).fillna(0.0),
        }
    )
    table["outreach_per_100k_women"] = PER_WOMEN * table["outreach_fte"] / women
    table["cyp_per_100k_women"] = PER_WOMEN * table["cyp_fte"] / women
    table.index.name = "police_force_area"
    table = table.sort_values(["outreach_per_100k_women"], kind="stable")
    total = pd.Series(
        {
            "region": "",
            "outreach_fte": table["outreach_fte"].sum(),
            "cyp_fte": table["cyp_fte"].sum(),
            "outreach_per_100k_women": PER_WOMEN * table["outreach_fte"].sum() / women.sum(),
            "cyp_per_100k_women": PER_WOMEN * table["cyp_fte"].sum() / women.sum(),
        }
    )
    table.loc[TOTAL] = total
    return table


def marac_cases_by_pfa(data: YearData) -> pd.DataFrame:
    """Marac cases a year per 10,000 adult women in each police force area, against the recommended level (the
    seed of the ONS re-publication's Marac table), with the England and Wales total."""
    ref = data.reference.set_index("police_force_area").sort_index()
    table = pd.DataFrame(
        {
            "region": ref["region"],
            "marac_cases": ref["marac_cases"],
            "adult_female_population": ref["adult_female_population"],
        }
    )
    table.loc[TOTAL] = {"region": "", "marac_cases": ref["marac_cases"].sum(),
                        "adult_female_population": ref["adult_female_population"].sum()}  # fmt: skip
    table["cases_per_10k_women"] = PER_MARAC * table["marac_cases"] / table["adult_female_population"]
    table["recommended_per_10k_women"] = float(HIGH_RISK_CASES_PER_10000_WOMEN)
    table.index.name = "police_force_area"
    return table


def ons_marac_national(data: YearData) -> pd.DataFrame:
    """The ONS re-publication's national Marac row for the survey year (none when none ships): Maracs, cases,
    the recommended cases and both per 10,000 adult women."""
    columns = ["period", "maracs", "cases_discussed", "recommended_cases", "cases_per_10k_women",
               "recommended_per_10k_women"]  # fmt: skip
    ons = ons_marac(data.year)
    if ons is None:
        return pd.DataFrame(columns=columns)
    per = HIGH_RISK_CASES_PER_10000_WOMEN
    row = [ons.period, ons.maracs, ons.cases_discussed, ons.recommended_cases,
           per * ons.cases_discussed / ons.recommended_cases, float(per)]  # fmt: skip
    return pd.DataFrame([row], columns=columns)
