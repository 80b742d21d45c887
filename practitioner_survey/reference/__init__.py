"""Reference data shipped inside the package: the 43 police force areas, their regions, and each year's Marac
cases, adult female population and recommended Idva levels (CSV files read with importlib.resources); and, in
`texts`, the text the report prints from data: comparability rules, practitioner definitions, the ONS Marac row.

The bottom wing with `errors`: it imports nothing else of the package. pandas is imported only by the functions
that return frames, so importing this wing stays cheap.
"""

from practitioner_survey.reference.areas import (
    CASES_PER_IDVA,
    HIGH_RISK_CASES_PER_10000_WOMEN,
    REFERENCE_COLUMNS,
    REGIONS,
    TOTAL,
    bundled_reference,
    bundled_source,
    match_police_force_area,
    parse_reference,
    police_force_areas,
    recommended_fte,
    reference_years,
    region_of,
)

__all__ = [
    "CASES_PER_IDVA",
    "HIGH_RISK_CASES_PER_10000_WOMEN",
    "REFERENCE_COLUMNS",
    "REGIONS",
    "TOTAL",
    "bundled_reference",
    "bundled_source",
    "match_police_force_area",
    "parse_reference",
    "police_force_areas",
    "recommended_fte",
    "reference_years",
    "region_of",
]
