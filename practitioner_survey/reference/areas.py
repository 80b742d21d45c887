"""Police force areas, their regions and each year's recommended Idva levels, read from the package's CSV files."""

from __future__ import annotations

import csv
import difflib
import io
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from practitioner_survey.errors import ReferenceError_

if TYPE_CHECKING:
    import pandas as pd

#: The report's ten regions, in the order its tables print them.
REGIONS: tuple[str, ...] = (
    "East Midlands",
    "Eastern",
    "London",
    "North East",
    "North West",
    "South East",
    "South West",
    "Wales",
    "West Midlands",
    "Yorkshire & Humber",
)
TOTAL = "Total"

#: Marac cases one full-time Idva can hold in a year (the report's rule).
CASES_PER_IDVA = 100
#: Recommended Marac cases a year per 10,000 adult women (SafeLives' population-based estimate).
HIGH_RISK_CASES_PER_10000_WOMEN = 40


def _read_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def police_force_areas() -> pd.DataFrame:
    """The 43 territorial police force areas of England and Wales with the report's region for each."""
    import pandas as pd

    frame = pd.read_csv(io.StringIO(_read_text("police_force_areas.csv")), dtype=str)
    unknown = set(frame["region"]) - set(REGIONS)
    if unknown:
        raise ReferenceError_(f"police_force_areas.csv names unknown regions: {sorted(unknown)}")
    return frame


def region_of() -> dict[str, str]:
    """Police force area -> region."""
    frame = police_force_areas()
    return dict(zip(frame["police_force_area"], frame["region"], strict=True))


def _key(name: str) -> str:
    text = name.lower().replace("&", " and ")
    text = re.sub(r"\b(police|constabulary|force|area|service)\b", " ", text)
    return re.sub(r"[^a-z]+", "", text)


# Names people commonly write for a force, beyond case, spacing and the word "police".
_ALIASES = {
    "met": "Metropolitan Police",
    "metropolitan": "Metropolitan Police",
    "metropolitanpolice": "Metropolitan Police",
    "mps": "Metropolitan Police",
    "londonmet": "Metropolitan Police",
    "cityoflondonpolice": "City of London",
    "devoncornwall": "Devon and Cornwall",
    "dyfedpowys": "Dyfed-Powys",
    "avonsomerset": "Avon and Somerset",
    "northwales": "North Wales",
    "westmidlandspolice": "West Midlands",
}


@cache
def _pfa_index() -> dict[str, str]:
    index = {_key(name): name for name in police_force_areas()["police_force_area"]}
    index.update(_ALIASES)
    return index


def match_police_force_area(text: str) -> tuple[str | None, list[str]]:
    """Match a written police force area to its canonical name.

    Returns (name, []) on a match, or (None, suggestions) with the nearest names for a did-you-mean.
    """
    key = _key(text or "")
    index = _pfa_index()
    if key in index:
        return index[key], []
    near = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)
    suggestions: list[str] = []
    for k in near:
        if index[k] not in suggestions:
            suggestions.append(index[k])
    return None, suggestions


def reference_years() -> list[int]:
    """Years for which a recommended-Idva reference ships with the package."""
    years = []
    for entry in resources.files(__package__).iterdir():
        m = re.fullmatch(r"recommended_idvas_(\d{4})\.csv", entry.name)
        if m:
            years.append(int(m.group(1)))
    return sorted(years)


REFERENCE_COLUMNS = (
    "police_force_area",
    "region",
    "marac_cases",
    "adult_female_population",
    "recommended_fte",
)


def recommended_fte(marac_cases: float, adult_female_population: float) -> float:
    """The report's rule: the larger of a population-based estimate and Marac cases / 100 cases per Idva."""
    population_based = adult_female_population * HIGH_RISK_CASES_PER_10000_WOMEN / 10_000 / CASES_PER_IDVA
    return max(population_based, marac_cases / CASES_PER_IDVA)


def bundled_reference(year: int) -> pd.DataFrame:
    """The reference shipped for a year (synthetic per-area figures, see the CSV's header comment)."""
    name = f"recommended_idvas_{year}.csv"
    try:
        text = _read_text(name)
    except FileNotFoundError as exc:
        raise ReferenceError_(
            f"no recommended Idva reference for {year} ships with the package; "
            f"load one with: survey reference import FILE --year {year}"
        ) from exc
    return parse_reference(text, name)


def bundled_source(year: int) -> str:
    """Where the reference shipped for a year comes from, as `survey reference show` names it."""
    return f"bundled with practitioner_survey (recommended_idvas_{year}.csv)"


def parse_reference(text: str, name: str) -> pd.DataFrame:
    """Read and check a reference CSV (lines starting with # are comments)."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    if not rows:
        raise ReferenceError_(f"{name}: no rows")
    missing = {"police_force_area", "marac_cases", "adult_female_population"} - set(rows[0])
    if missing:
        raise ReferenceError_(f"{name}: missing column(s) {', '.join(sorted(missing))}")
    regions = region_of()
    out = []
    for number, row in enumerate(rows, start=2):
        pfa, _ = match_police_force_area(row["police_force_area"])
        if pfa is None:
            raise ReferenceError_(f"{name}, row {number}: unknown police force area {row['police_force_area']!r}")
        try:
            marac = float(row["marac_cases"])
            women = float(row["adult_female_population"])
        except ValueError as exc:
            raise ReferenceError_(
                f"{name}, row {number}: marac_cases and adult_female_population must be numbers"
            ) from exc
        if marac < 0 or women < 0:
            raise ReferenceError_(f"{name}, row {number}: negative figure")
        out.append(
            {
                "police_force_area": pfa,
                "region": regions[pfa],
                "marac_cases": marac,
                "adult_female_population": women,
                "recommended_fte": recommended_fte(marac, women),
            }
        )
    import pandas as pd

    frame = pd.DataFrame(out, columns=list(REFERENCE_COLUMNS))
    dupes = frame["police_force_area"][frame["police_force_area"].duplicated()].tolist()
    if dupes:
        raise ReferenceError_(f"{name}: police force area(s) listed twice: {', '.join(dupes)}")
    absent = set(regions) - set(frame["police_force_area"])
    if absent:
        raise ReferenceError_(f"{name}: no row for {', '.join(sorted(absent))}")
    return frame
