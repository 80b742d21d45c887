"""The published 2017 figures the synthetic data must reproduce, and the whole numbers they imply."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from practitioner_survey.counting.figures import SIZE_BANDS, round_half_up
from practitioner_survey.reference import REGIONS, TOTAL


@cache
def published() -> dict[str, Any]:
    """The figures printed in SafeLives' 2017 report, as shipped with this package."""
    text = resources.files(__package__).joinpath("published-2017.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def counts_for_shares(n: int, shares: list[int]) -> list[int]:
    """Whole numbers summing to n whose percentages of n round to the printed shares."""
    for parts in itertools.product(range(n + 1), repeat=len(shares) - 1):
        last = n - sum(parts)
        if last < 0:
            continue
        counts = [*parts, last]
        if all(round_half_up(100 * c / n) == s for c, s in zip(counts, shares, strict=True)):
            return counts
    raise ValueError(f"no counts of {n} give the shares {shares}")


@dataclass(frozen=True)
class Targets2017:
    """What the 2017 synthetic year must contain."""

    idva_services: dict[str, int]  # per region (a multi-region service counts in each)
    idva_services_total: int
    size_counts: dict[str, list[int]]  # per region, services per size band
    size_counts_total: list[int]
    coverage: dict[str, list[float]]  # region -> [services, fte, high-risk fte, recommended, coverage %]
    fte_by_size_pct: dict[str, list[int]]
    practitioner_fte: dict[str, list[int]]
    services_by_type: dict[str, list[int]]
    volunteers: dict[str, list[int]]
    locations_pct: dict[str, int]
    headline: dict[str, Any]
    ons_pct: dict[str, float]


def targets_2017() -> Targets2017:
    """Read the published figures and derive the service counts they imply."""
    pub = published()
    coverage = pub["idva_coverage_by_region"]["rows"]
    idva_services = {r: int(coverage[r][0]) for r in REGIONS}
    sizes_pct = pub["idva_services_by_size_pct"]["rows"]
    size_counts = {r: counts_for_shares(idva_services[r], sizes_pct[r]) for r in REGIONS}
    total_n = int(pub["headline"]["idva_services_answering_size_question"])
    return Targets2017(
        idva_services=idva_services,
        idva_services_total=int(coverage[TOTAL][0]),
        size_counts=size_counts,
        size_counts_total=counts_for_shares(total_n, sizes_pct[TOTAL]),
        coverage=coverage,
        fte_by_size_pct=pub["idva_fte_by_service_size_pct"]["rows"],
        practitioner_fte=pub["practitioner_fte_by_region"]["rows"],
        services_by_type=pub["services_by_type_by_region"]["rows"],
        volunteers=pub["volunteers_by_region"]["rows"],
        locations_pct=pub["idva_locations_pct_of_services"],
        headline=pub["headline"],
        ons_pct={k: v[1] for k, v in pub["ons_table1_fte_by_type_2017"].items()},
    )


assert SIZE_BANDS == ("1-2", "3-5", "6-9", "10+")
