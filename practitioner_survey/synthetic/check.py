"""Compare a year's printed tables with the figures published in the 2017 report."""

from __future__ import annotations

from typing import Any

import pandas as pd

# published table key -> (our table, our columns in the published order)
REGION_TABLES = {
    "idva_coverage_by_region": (
        "idva_coverage_by_region",
        ["services_responding", "fte_idvas", "fte_idvas_high_risk", "recommended_idvas", "coverage_pct"],
    ),
    "idva_services_by_size_pct": ("idva_services_by_size", ["1-2", "3-5", "6-9", "10+"]),
    "idva_fte_by_service_size_pct": ("idva_fte_by_service_size", ["1-2", "3-5", "6-9", "10+"]),
    "practitioner_fte_by_region": (
        "practitioner_fte_by_region",
        ["all_practitioners", "idva", "outreach", "refuge", "isva", "ypva", "children", "perpetrator"],
    ),
    "services_by_type_by_region": (
        "services_by_type_by_region",
        ["idva", "outreach", "refuge", "isva", "ypva", "children", "perpetrator"],
    ),
    "volunteers_by_region": ("volunteers_by_region", ["volunteers", "volunteer_services"]),
}
# Headline figures whose published name differs from ours.
HEADLINE_NAMES = {"marac_cases_12m_to_sep_2017": "marac_cases"}


def differences(tables: dict[str, pd.DataFrame], published: dict[str, Any], with_previous: bool = True) -> list[str]:
    """Every published figure our tables do not reproduce, as readable lines (empty when all match)."""
    out = []
    for key, (name, columns) in REGION_TABLES.items():
        ours = tables[name].set_index("region")
        for region, values in published[key]["rows"].items():
            for column, want in zip(columns, values, strict=True):
                have = ours.loc[region, column] if region in ours.index else None
                if have != want:
                    out.append(f"{name} [{region}] {column}: {have} (published {want})")
    locations = tables["idva_locations"].set_index("location")["pct_of_services"]
    for location, want in published["idva_locations_pct_of_services"].items():
        if locations.get(location) != want:
            out.append(f"idva_locations [{location}]: {locations.get(location)} (published {want})")
    by_type = tables["fte_by_type"].set_index("type")
    for label, (fte, share) in published["ons_table1_fte_by_type_2017"].items():
        if label not in by_type.index or (by_type.loc[label, "fte"], by_type.loc[label, "pct"]) != (
            fte,
            share,
        ):
            found = tuple(by_type.loc[label]) if label in by_type.index else None
            out.append(f"fte_by_type [{label}]: {found} (published {fte}, {share})")
    headline = dict(zip(tables["headline"]["name"], tables["headline"]["value"], strict=True))
    for name, want in published["headline"].items():
        ours = HEADLINE_NAMES.get(name, name)
        if not with_previous and ("2016" in name or "increase" in name):
            continue
        if ours not in headline:
            out.append(f"headline {name}: not computed (published {want})")
        elif headline[ours] != want:
            out.append(f"headline {name}: {headline[ours]} (published {want})")
    appendix = tables["not_direct_responses"]
    got = sorted(
        zip(
            appendix["service"],
            appendix["police_force"],
            appendix["fte_idvas"],
            appendix["source"],
            strict=True,
        )
    )
    want_rows = sorted(
        (r["service"], r["police_force"], r["fte_idvas"], r["source"]) for r in published["appendix_rolled_over"]
    )
    if got != want_rows:
        out.append(f"not_direct_responses: {got} (published {want_rows})")
    return out
