"""Counting: one pure pandas function per published table, from a year's services, staffing and reference.

Every function takes a `YearData` and returns a DataFrame of exact (unrounded) figures; `printed` rounds a table
the way the report prints it. A service covering several regions counts once in each region's service counts and
once in the total; its FTE is split by its staffing rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import cast

import pandas as pd

from practitioner_survey.codebook import Codebook
from practitioner_survey.reference import CASES_PER_IDVA, HIGH_RISK_CASES_PER_10000_WOMEN, REGIONS, TOTAL, region_of
from practitioner_survey.returns.schema import LOCATION_GROUPS, PRACTITIONER_TYPES, location_group

SIZE_BANDS = ("1-2", "3-5", "6-9", "10+")
TYPE_KEYS = tuple(key for key, _ in PRACTITIONER_TYPES)
#: The ONS re-publication's labels for the practitioner types (its Table 1), in its order.
ONS_TYPE_LABELS = {
    "idva": "IDVAs - all risk levels",
    "outreach": "Outreach workers",
    "refuge": "Refuge workers",
    "ypva": "Young person's violence advisors",
    "isva": "Independent sexual violence advisors",
    "children": "Children's support workers",
    "perpetrator": "Perpetrator case workers",
}


@dataclass(frozen=True)
class YearData:
    """What counting needs of one year: services, staffing (current values) and the recommended-Idva reference."""

    year: int
    services: pd.DataFrame
    staffing: pd.DataFrame
    reference: pd.DataFrame

    @property
    def practitioner_services(self) -> pd.DataFrame:
        return self.services[self.services["employs_practitioners"].astype(bool)]

    @cached_property
    def rows(self) -> pd.DataFrame:
        """Staffing rows of services employing practitioners, with their region (made once: callers only read
        it, and every table of a year starts from it)."""
        ids = set(self.practitioner_services["service_id"])
        rows = self.staffing[self.staffing["service_id"].isin(ids)].copy()
        rows["region"] = rows["police_force_area"].map(region_of())
        return rows


def round_half_up(value: float, places: int = 0) -> float:
    """Round as a person does (0.5 up), not as Python's banker's rounding."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


def _total_row(table: pd.DataFrame) -> pd.Series:
    """A table's Total row; its index is unique, so `.loc` gives a Series (the stubs allow a DataFrame too)."""
    return cast("pd.Series", table.loc[TOTAL])


def _by_region(values: pd.DataFrame, total: pd.Series) -> pd.DataFrame:
    table = values.reindex(list(REGIONS)).fillna(0)
    table.loc[TOTAL] = total
    table.index.name = "region"
    return table


def _services_with(rows: pd.DataFrame, column: str) -> tuple[pd.Series, int]:
    """Per region, the number of distinct services with column > 0 there; and the distinct total."""
    hit = rows[rows[column] > 0]
    return hit.groupby("region")["service_id"].nunique(), hit["service_id"].nunique()


def idva_services(data: YearData) -> pd.DataFrame:
    """One row per Idva service: total headcount, FTE, high-risk FTE, size band, locations, cases, PFAs."""
    rows = data.rows
    idva_rows = rows[rows["idva_fte"] > 0]
    per = idva_rows.groupby("service_id").agg(
        idva_fte=("idva_fte", "sum"),
        idva_fte_high_risk=("idva_fte_high_risk", "sum"),
        areas=("police_force_area", "nunique"),
        regions=("region", "nunique"),
    )
    per["idva_headcount"] = rows.groupby("service_id")["idva_headcount"].sum().reindex(per.index).fillna(0)
    per["size"] = per["idva_headcount"].map(size_band)
    services = data.services.set_index("service_id")
    per["idva_locations"] = services["idva_locations"].reindex(per.index).fillna("")
    per["idva_cases"] = services["idva_cases"].reindex(per.index).fillna("")
    return per


def size_band(headcount: float) -> str:
    """The report's service-size band for a number of individual Idvas ('' when none given)."""
    if headcount <= 0:
        return ""
    if headcount <= 2:
        return "1-2"
    if headcount <= 5:
        return "3-5"
    if headcount <= 9:
        return "6-9"
    return "10+"


def idva_coverage_by_region(data: YearData) -> pd.DataFrame:
    """Idva services, FTE, high-risk FTE, recommended FTE and coverage per region (the report's first table)."""
    rows = data.rows
    counts, total_count = _services_with(rows, "idva_fte")
    sums = rows.groupby("region")[["idva_fte", "idva_fte_high_risk"]].sum()
    recommended = data.reference.groupby("region")["recommended_fte"].sum()
    table = pd.DataFrame(
        {
            "services_responding": counts,
            "fte_idvas": sums["idva_fte"],
            "fte_idvas_high_risk": sums["idva_fte_high_risk"],
            "recommended_idvas": recommended,
        }
    )
    total = pd.Series(
        {
            "services_responding": total_count,
            "fte_idvas": rows["idva_fte"].sum(),
            "fte_idvas_high_risk": rows["idva_fte_high_risk"].sum(),
            "recommended_idvas": data.reference["recommended_fte"].sum(),
        }
    )
    table = _by_region(table, total)
    table["coverage_pct"] = 100 * table["fte_idvas_high_risk"] / table["recommended_idvas"]
    return table


def coverage_by_police_force_area(data: YearData) -> pd.DataFrame:
    """Idva services, FTE and coverage per police force area, in the reference's order."""
    rows = data.rows
    idva_rows = rows[rows["idva_fte"] > 0]
    ref = data.reference.set_index("police_force_area")
    table = pd.DataFrame(
        {
            "region": ref["region"],
            "services": idva_rows.groupby("police_force_area")["service_id"].nunique(),
            "fte_idvas": rows.groupby("police_force_area")["idva_fte"].sum(),
            "fte_idvas_high_risk": rows.groupby("police_force_area")["idva_fte_high_risk"].sum(),
            "recommended_idvas": ref["recommended_fte"],
        }
    ).reindex(ref.index)
    table[["services", "fte_idvas", "fte_idvas_high_risk"]] = table[
        ["services", "fte_idvas", "fte_idvas_high_risk"]
    ].fillna(0)
    table["coverage_pct"] = 100 * table["fte_idvas_high_risk"] / table["recommended_idvas"]
    table.index.name = "police_force_area"
    return table.sort_index()


def _size_table(data: YearData, weight: str | None) -> pd.DataFrame:
    services = idva_services(data)
    services = services[services["size"] != ""]
    rows = data.rows
    rows = rows[(rows["idva_fte"] > 0) & rows["service_id"].isin(services.index)].copy()
    rows["size"] = rows["service_id"].map(services["size"])
    if weight is None:
        per_region = rows.groupby(["region", "size"])["service_id"].nunique().unstack(fill_value=0)
        total = services.groupby("size").size()
    else:
        per_region = rows.groupby(["region", "size"])[weight].sum().unstack(fill_value=0)
        total = services.groupby("size")[weight].sum()
    table = per_region.reindex(columns=list(SIZE_BANDS), fill_value=0).reindex(list(REGIONS)).fillna(0)
    table.loc[TOTAL] = total.reindex(list(SIZE_BANDS)).fillna(0)
    shares = table.div(table.sum(axis=1).replace(0, float("nan")), axis=0).fillna(0) * 100
    shares.index.name = "region"
    return shares


def idva_services_by_size(data: YearData) -> pd.DataFrame:
    """Share of Idva services in each size band (individual Idvas employed), per region."""
    return _size_table(data, None)


def idva_fte_by_service_size(data: YearData) -> pd.DataFrame:
    """Share of Idva FTE employed by services of each size band, per region."""
    return _size_table(data, "idva_fte")


def idva_locations(data: YearData) -> pd.DataFrame:
    """Share of Idva services with an Idva based in each kind of location."""
    services = idva_services(data)
    groups = services["idva_locations"].map(lambda text: {location_group(x) for x in _split(text)})
    n = len(services)
    table = pd.DataFrame(
        {"pct_of_services": [pct(sum(g in s for s in groups), n) for g in LOCATION_GROUPS]},
        index=pd.Index(list(LOCATION_GROUPS), name="location"),
    )
    return table


def _split(text: str) -> list[str]:
    return [part.strip() for part in str(text).split(";") if part.strip()]


def practitioner_fte_by_region(data: YearData) -> pd.DataFrame:
    """FTE of each practitioner type per region; all_practitioners is the sum of the seven types."""
    rows = data.rows
    columns = {key: col for key, col in PRACTITIONER_TYPES}
    sums = rows.groupby("region")[list(columns.values())].sum().rename(columns={v: k for k, v in columns.items()})
    total = rows[list(columns.values())].sum().rename({v: k for k, v in columns.items()})
    table = _by_region(sums, total)
    table.insert(0, "all_practitioners", table[list(TYPE_KEYS)].sum(axis=1))
    return table


def services_by_type_by_region(data: YearData) -> pd.DataFrame:
    """Services employing each practitioner type per region, the distinct total, and that total as a share.

    The share's denominator is the number of services employing any of the seven types.
    """
    rows = data.rows
    table = pd.DataFrame({key: _services_with(rows, col)[0] for key, col in PRACTITIONER_TYPES})
    total = pd.Series({key: _services_with(rows, col)[1] for key, col in PRACTITIONER_TYPES})
    table = _by_region(table, total)
    any_type = rows[rows[[col for _, col in PRACTITIONER_TYPES]].sum(axis=1) > 0]["service_id"].nunique()
    table = table.astype(float)
    table.loc["Total / %"] = 100 * total / any_type if any_type else 0.0
    return table


def volunteers_by_region(data: YearData) -> pd.DataFrame:
    """Volunteers (people) and services with volunteers, per region."""
    rows = data.rows
    counts, total_count = _services_with(rows, "volunteers")
    table = pd.DataFrame({"volunteers": rows.groupby("region")["volunteers"].sum(), "volunteer_services": counts})
    total = pd.Series({"volunteers": rows["volunteers"].sum(), "volunteer_services": total_count})
    return _by_region(table, total)


def fte_by_type(data: YearData) -> pd.DataFrame:
    """FTE by practitioner type with its share of all practitioners (the ONS re-publication's Table 1)."""
    totals = _total_row(practitioner_fte_by_region(data))
    order = ["idva", "outreach", "refuge", "ypva", "isva", "children", "perpetrator"]
    all_fte = float(totals["all_practitioners"])
    table = pd.DataFrame(
        {"fte": [float(totals[k]) for k in order] + [all_fte]},
        index=pd.Index([ONS_TYPE_LABELS[k] for k in order] + ["Total domestic abuse practitioners"], name="type"),
    )
    table["pct"] = 100 * table["fte"] / all_fte if all_fte else 0.0
    return table


def not_direct_responses(data: YearData) -> pd.DataFrame:
    """Appendix 1: services whose figures did not come from their own return, with where they came from."""
    services = data.services[data.services["response_mode"].isin(["rolled_over", "other_source"])]
    services = services.sort_values("service_name", kind="stable")
    rows = data.rows[data.rows["service_id"].isin(services["service_id"])]
    grouped = rows.groupby("service_id")  # one pass over the rows, not one filter per service
    areas = grouped["police_force_area"].agg(lambda a: "; ".join(sorted(a.unique())))
    fte = grouped[["idva_fte", "idva_fte_high_risk"]].sum()
    ids = services["service_id"]
    columns = ["service", "police_force", "fte_idvas", "fte_idvas_high_risk", "source"]
    return pd.DataFrame(
        {
            "service": services["service_name"].to_numpy(),
            "police_force": areas.reindex(ids).fillna("").to_numpy(),
            "fte_idvas": fte["idva_fte"].reindex(ids).fillna(0.0).to_numpy(),
            "fte_idvas_high_risk": fte["idva_fte_high_risk"].reindex(ids).fillna(0.0).to_numpy(),
            "source": services["source_note"].to_numpy(),
        },
        columns=columns,
    )


def _round_to(value: float, step: int) -> int:
    return int(round_half_up(value / step) * step)


def headline(data: YearData, previous: YearData | None = None) -> dict[str, float]:
    """The report's headline figures, computed; figures about the previous year need `previous`."""
    services = data.services
    employs = services["employs_practitioners"].astype(bool)
    coverage = _total_row(idva_coverage_by_region(data))
    pfa = coverage_by_police_force_area(data)
    pfa_pct = pfa["coverage_pct"].map(round_half_up)
    idva = idva_services(data)
    sized = idva[idva["size"] != ""]
    rows = data.rows
    marac = float(data.reference["marac_cases"].sum())
    locations = idva["idva_locations"].map(lambda text: len(_split(text)))
    cases = idva["idva_cases"]
    n_idva = len(idva)
    all_fte = float(_total_row(practitioner_fte_by_region(data))["all_practitioners"])
    out: dict[str, float] = {
        "services_responding_with_practitioners": int(employs.sum()),
        "services_responding_without_practitioners": int((~employs).sum()),
        "idva_headcount": int(rows["idva_headcount"].sum()),
        "idva_headcount_approx": _round_to(rows["idva_headcount"].sum(), 50),
        "fte_idvas": round_half_up(coverage["fte_idvas"]),
        "fte_idvas_high_risk": round_half_up(coverage["fte_idvas_high_risk"]),
        "recommended_fte_idvas": round_half_up(coverage["recommended_idvas"]),
        "coverage_pct": round_half_up(coverage["coverage_pct"]),
        "shortfall_fte": round_half_up(coverage["recommended_idvas"] - coverage["fte_idvas_high_risk"]),
        "marac_cases": int(marac),
        "marac_cases_per_10000_adult_females": round_half_up(
            pct(marac, float(data.reference["adult_female_population"].sum())) * 100
        ),
        "recommended_marac_cases_per_10000_adult_females": HIGH_RISK_CASES_PER_10000_WOMEN,
        "idvas_needed_for_marac_cases_approx": _round_to(marac / CASES_PER_IDVA, 50),
        "idvas_needed_for_hidden_victims_approx": _round_to(coverage["recommended_idvas"] - marac / CASES_PER_IDVA, 50),
        "cases_per_idva_per_year_max": CASES_PER_IDVA,
        "police_force_areas": len(pfa),
        "pfas_at_or_above_100pct": int((pfa_pct >= 100).sum()),
        "pfas_at_or_above_90pct": int((pfa_pct >= 90).sum()),
        "pfas_below_50pct": int((pfa_pct < 50).sum()),
        "pfas_at_or_below_33pct": int((pfa_pct <= 33).sum()),
        "pfas_all_idvas_in_one_service": int((pfa["services"] == 1).sum()),
        "idva_services": n_idva,
        "idva_services_answering_size_question": len(sized),
        "services_with_one_idva": int((sized["idva_headcount"] == 1).sum()),
        "services_with_one_idva_covering_multiple_pfas": int(
            ((sized["idva_headcount"] == 1) & (sized["areas"] > 1)).sum()
        ),
        "services_with_more_than_10_idvas_pct": round_half_up(pct((sized["size"] == "10+").sum(), len(sized))),
        "services_with_idvas_in_single_location": int((locations == 1).sum()),
        "services_with_idvas_in_single_location_pct": round_half_up(pct((locations == 1).sum(), n_idva)),
        "services_with_idvas_in_several_locations": int((locations > 1).sum()),
        "services_with_one_idva_pct": round_half_up(pct((sized["idva_headcount"] == 1).sum(), len(sized))),
        "idva_fte_high_risk_pct": round_half_up(pct(coverage["fte_idvas_high_risk"], coverage["fte_idvas"])),
        "idva_services_marac_only_pct": round_half_up(pct((cases == "marac").sum(), n_idva)),
        "idva_services_both_marac_and_court_pct": round_half_up(pct((cases == "both").sum(), n_idva)),
        "idva_services_court_only": int((cases == "court").sum()),
        "total_fte_practitioners": round_half_up(all_fte),
        "idva_share_of_practitioners_pct": round_half_up(pct(coverage["fte_idvas"], all_fte), 1),
        "services_not_responding_directly": len(not_direct_responses(data)),
    }
    if previous is not None:
        prev = previous.year
        before = headline(previous)
        prev_cov = _total_row(idva_coverage_by_region(previous))
        prev_marac = float(previous.reference["marac_cases"].sum())
        out[f"services_responding_{prev}"] = before["services_responding_with_practitioners"]
        out[f"fte_idvas_increase_vs_{prev}_pct"] = round_half_up(
            pct(coverage["fte_idvas"] - prev_cov["fte_idvas"], prev_cov["fte_idvas"])
        )
        out[f"coverage_pct_{prev}"] = before["coverage_pct"]
        out["marac_cases_increase_pct"] = round_half_up(pct(marac - prev_marac, prev_marac))
        out[f"pfas_at_or_above_90pct_{prev}"] = before["pfas_at_or_above_90pct"]
        out[f"services_with_more_than_10_idvas_pct_{prev}"] = before["services_with_more_than_10_idvas_pct"]
    return out


def comment_categories(codes: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Comments per category of one question's codebook, and their share, largest first ('Other' last)."""
    counts = codes["category_id"].value_counts()
    n = int(counts.sum())
    rows = [
        {"category": c.label, "comments": int(counts.get(c.id, 0)), "pct": pct(counts.get(c.id, 0), n)}
        for c in codebook.categories
    ]
    table = pd.DataFrame(rows, columns=["category", "comments", "pct"])
    table["_other"] = table["category"] == "Other"
    table = table.sort_values(["_other", "comments"], ascending=[True, False], kind="stable")
    return table.drop(columns="_other").reset_index(drop=True)


def comment_subcategories(codes: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Comments per subcategory within each category, with the subcategory's share of its category."""
    rows = []
    for category in codebook.categories:
        mine = codes[codes["category_id"] == category.id]
        for sub in category.subcategories:
            k = int((mine["subcategory_id"] == sub.id).sum())
            rows.append({"category": category.label, "subcategory": sub.label, "comments": k, "pct": pct(k, len(mine))})
    return pd.DataFrame(rows, columns=["category", "subcategory", "comments", "pct"])
