"""The reference data that is text, not figures: which year-on-year changes are comparable (and their caveats),
what each practitioner type means, and the ONS re-publication's Marac totals; read from the package's TOML and CSV
files. Pure Python (tomllib, csv): importing it costs nothing."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from practitioner_survey.errors import ReferenceError_


def _read(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def _toml(name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(_read(name))
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceError_(f"{name}: {exc}") from exc


@dataclass(frozen=True)
class Caveat:
    id: str
    text: str


@dataclass(frozen=True)
class Comparison:
    """Whether a change between two years of one measure may be printed, and the caveats it carries."""

    comparable: bool
    caveats: tuple[Caveat, ...] = ()


@dataclass(frozen=True)
class _Break:
    year: int
    caveat: Caveat
    print_change: bool
    measures: frozenset[str]


@cache
def _breaks() -> tuple[_Break, ...]:
    data = _toml("comparability.toml")
    texts = data.get("caveats", {})
    out = []
    for i, entry in enumerate(data.get("break", []), start=1):
        caveat = str(entry.get("caveat", ""))
        if caveat not in texts:
            raise ReferenceError_(f"comparability.toml, break {i}: no caveat named {caveat!r} under [caveats]")
        out.append(_Break(int(entry["year"]), Caveat(caveat, str(texts[caveat])), bool(entry["print_change"]),
                          frozenset(str(m) for m in entry.get("measures", []))))  # fmt: skip
    return tuple(out)


def comparison(measure: str, later: int, earlier: int) -> Comparison:
    """How `measure` compares between `earlier` and `later`: every break in between applies its caveat; a change
    across a break whose definitions differ is not comparable."""
    low, high = sorted((earlier, later))
    crossed = [b for b in _breaks() if measure in b.measures and low < b.year <= high]
    caveats: list[Caveat] = []
    for b in crossed:
        if b.caveat not in caveats:
            caveats.append(b.caveat)
    return Comparison(all(b.print_change for b in crossed), tuple(caveats))


@dataclass(frozen=True)
class PractitionerType:
    key: str
    name: str
    definition: str


@cache
def practitioner_types() -> tuple[PractitionerType, ...]:
    """Each practitioner type's name and definition, in the report's order."""
    return tuple(
        PractitionerType(str(t["key"]), str(t["name"]), str(t["definition"]))
        for t in _toml("practitioner_types.toml").get("type", [])
    )


@dataclass(frozen=True)
class OnsMarac:
    """The ONS re-publication's national Marac figures beside a survey year."""

    period: str
    maracs: int
    cases_discussed: int
    recommended_cases: int


def ons_marac(year: int) -> OnsMarac | None:
    """The ONS Marac totals re-published with `year`'s survey, or None when none ship for it."""
    lines = [line for line in _read("ons_marac.csv").splitlines() if not line.startswith("#")]
    for row in csv.DictReader(lines):
        if int(row["survey_year"]) == year:
            return OnsMarac(row["period"], int(row["maracs"]), int(row["cases_discussed"]),
                            int(row["recommended_cases"]))  # fmt: skip
    return None
