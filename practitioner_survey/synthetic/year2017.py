"""Build the synthetic 2017 year (and the smaller 2016 one it rolls services over from)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from practitioner_survey.counting.figures import round_half_up, size_band
from practitioner_survey.counting.tables import printed_tables
from practitioner_survey.reference import HIGH_RISK_CASES_PER_10000_WOMEN, REGIONS, recommended_fte, region_of
from practitioner_survey.store.coding import CodedComment
from practitioner_survey.synthetic import idva2017, others2017
from practitioner_survey.synthetic.check import differences
from practitioner_survey.synthetic.frames import year_data
from practitioner_survey.synthetic.freetext import add_free_text, codebooks_for
from practitioner_survey.synthetic.lp import Infeasible
from practitioner_survey.synthetic.model import Row, Service
from practitioner_survey.synthetic.places import (
    PLACES,
    SUFFIXES_IDVA,
    SUFFIXES_NO_PRACTITIONERS,
    SUFFIXES_OTHER,
)
from practitioner_survey.synthetic.targets import Targets2017, published, targets_2017

WOMEN_PER_IDVA = 10_000 * 100 / HIGH_RISK_CASES_PER_10000_WOMEN  # adult women per recommended Idva
# The report's Appendix 1: services that did not answer themselves, with where their figures came from.
APPENDIX = (
    ("Gateshead Children's Services", "Northumbria", 0.8, 3, "rolled_over", "2016 Survey Results"),
    ("Gateshead Idva Service", "Northumbria", 4.0, 4, "rolled_over", "2016 Survey Results"),
    ("Sandwell Women's Aid", "West Midlands", 5.0, 5, "other_source", "Sandwell Marac Co-ordinator"),
    ("Wearside Women In Need", "Northumbria", 3.0, 3, "rolled_over", "2016 Survey Results"),
)
# Police and crime commissioners' offices that confirmed or revised their figures.
PCC_AREAS = (
    "Cambridgeshire",
    "Cumbria",
    "Devon and Cornwall",
    "Dorset",
    "Gloucestershire",
    "Leicestershire",
    "Northumbria",
    "Staffordshire",
    "Suffolk",
    "Thames Valley",
    "Warwickshire",
    "West Mercia",
)


@dataclass
class SyntheticYear:
    year: int
    services: list[Service]
    reference: pd.DataFrame
    revisions: list[dict[str, object]] = field(default_factory=list)
    rollovers: list[str] = field(default_factory=list)  # service ids rolled over from the year before
    comments: list[CodedComment] = field(default_factory=list)  # free text, split and coded


def appendix_services() -> list[Service]:
    out = []
    for i, (name, area, fte, heads, mode, source) in enumerate(APPENDIX):
        s = Service(f"A{i}", name, [Row(area)], band=size_band(heads), headcount=heads, fixed=(fte, fte))
        s.response_mode, s.source_note = mode, source
        if fte < heads * 0.5:
            s.quirk = "low-fte-per-head"
        out.append(s)
    return out


def build_2017(seed: int = 2017, tries: int = 20) -> SyntheticYear:
    """The 2017 year: every published figure of the report reproduced. Retries with new draws if a choice
    leaves the programme infeasible."""
    targets = targets_2017()
    last: Exception | None = None
    for attempt in range(tries):
        rng = np.random.default_rng([seed, attempt])
        try:
            year = _build_2017(rng, targets)
        except Infeasible as exc:
            last = exc
            continue
        year.comments = add_free_text(np.random.default_rng([seed, 99]), year.services, 2017, codebooks_for(2017))
        return year
    raise Infeasible(f"no synthetic 2017 found in {tries} tries: {last}")


def _build_2017(rng: np.random.Generator, targets: Targets2017) -> SyntheticYear:
    head = targets.headline
    shares = idva2017.recommended_shares(rng)
    idva = idva2017.place_services(rng, appendix_services(), targets, shares)
    idva2017.assign_small_headcounts(idva, targets, int(head["services_with_one_idva"]))
    recommended, _ = idva2017.solve_fte(rng, idva, targets, shares)
    idva2017.round_rows(idva)
    idva2017.choose_headcounts(rng, idva, (985, 1020))
    n_idva = len(idva)
    n_any_type = _any_type_denominator(targets)
    n_with = int(head["services_responding_with_practitioners"])
    others = others2017.choose_type_services(rng, idva, targets, n_any_type - n_idva)
    only_other = others2017.other_only(rng, n_with - n_any_type)
    employing = idva + others + only_other
    totals = others2017.type_totals(idva, targets)
    others2017.spread_fte(rng, employing, totals)
    others2017.add_other_and_volunteers(rng, [s for s in employing if s.fixed is None], targets)
    others2017.assign_locations_and_cases(rng, idva, targets)
    none = others2017.without_practitioners(rng, int(head["services_responding_without_practitioners"]))
    services = employing + none
    name_services(rng, services)
    reference = make_reference(rng, recommended, int(head["marac_cases_12m_to_sep_2017"]))
    year = SyntheticYear(2017, services, reference)
    year.rollovers = [s.service_id for s in services if s.response_mode == "rolled_over"]
    year.revisions = make_revisions(rng, services)
    problems = differences(printed_tables(year_data(2017, services, reference)), published(), with_previous=False)
    if problems:
        raise Infeasible(f"{len(problems)} figure(s) off after rounding, first: {problems[0]}")
    return year


def _any_type_denominator(targets: Targets2017) -> int:
    """Services employing any of the seven types: the largest count, no more than the services employing
    practitioners, whose shares make the 'Total / %' row print as published."""
    totals = targets.services_by_type["Total"]
    shares = targets.services_by_type["Total / %"]
    ceiling = int(targets.headline["services_responding_with_practitioners"])
    for n in range(ceiling, max(totals) - 1, -1):
        if all(round_half_up(100 * t / n) == s for t, s in zip(totals, shares, strict=True)):
            return n
    raise Infeasible("no number of services gives the published type shares")


def name_services(rng: np.random.Generator, services: list[Service]) -> None:
    """Give every service a unique name from a town of its first area, and a stable id."""
    used = {s.name for s in services if s.name}
    ordered = sorted(services, key=lambda s: (REGIONS.index(s.rows[0].region), s.rows[0].pfa, s.service_id))
    for number, s in enumerate(ordered, start=1):
        s.service_id = f"S{number:03d}"
        if s.name:
            continue
        suffixes = SUFFIXES_IDVA if s.is_idva else SUFFIXES_OTHER if s.employs else SUFFIXES_NO_PRACTITIONERS
        towns = PLACES[s.rows[0].pfa][1]
        for _ in range(200):
            name = f"{towns[int(rng.integers(len(towns)))]} {suffixes[int(rng.integers(len(suffixes)))]}"
            if name not in used:
                break
        else:
            name = f"{name} ({s.service_id})"
        used.add(name)
        s.name = name


def make_reference(rng: np.random.Generator, recommended: dict[str, float], marac_total: int) -> pd.DataFrame:
    """Marac cases and adult women per area whose recommended Idvas (the report's rule) give `recommended`."""
    areas = sorted(recommended)
    by_marac = {a for a in areas if rng.random() < 0.35 and a != "City of London"}
    women = {}
    marac = {}
    for a in areas:
        if a in by_marac:
            marac[a] = round(recommended[a] * 100)
            women[a] = int(recommended[a] * WOMEN_PER_IDVA * rng.uniform(0.8, 0.97))
        else:
            women[a] = round(recommended[a] * WOMEN_PER_IDVA)
    fixed = sum(marac.values())
    rest = [a for a in areas if a not in by_marac]
    room = {a: women[a] / WOMEN_PER_IDVA * 100 for a in rest}  # cases at which marac would take over
    factor = (marac_total - fixed) / sum(room.values())
    if not 0.3 < factor < 0.97:
        raise Infeasible("Marac cases cannot be spread under the population estimates")
    jitter = {a: rng.uniform(0.85, 1.1) for a in rest}
    scale = (marac_total - fixed) / sum(room[a] * factor * jitter[a] for a in rest)
    for a in rest:
        marac[a] = min(int(room[a] * factor * jitter[a] * scale), math.floor(room[a]) - 1)
    marac[max(rest, key=lambda a: room[a] - marac[a])] += marac_total - sum(marac.values())
    return pd.DataFrame(
        [
            {
                "police_force_area": a,
                "region": region_of()[a],
                "marac_cases": marac[a],
                "adult_female_population": women[a],
                "recommended_fte": round(recommended_fte(marac[a], women[a]), 4),
            }
            for a in areas
        ]
    )


def make_revisions(rng: np.random.Generator, services: list[Service]) -> list[dict[str, object]]:
    """Rows the PCC offices corrected: the return holds the first figure, the revision the final one."""
    candidates = [
        (s, row)
        for s in services
        if s.is_idva and s.fixed is None and not s.quirk
        for row in s.rows
        if row.pfa in PCC_AREAS and row.fte["idva_fte"] >= 2.0
    ]
    picked = [candidates[i] for i in rng.choice(len(candidates), min(9, len(candidates)), replace=False)]
    revisions = []
    for s, row in picked:
        office = f"{row.pfa} OPCC"
        change = float(rng.choice([0.5, 1.0, 1.5]))
        revisions.append(
            {
                "service_id": s.service_id,
                "police_force_area": row.pfa,
                "field": "idva_fte",
                "original": round(row.fte["idva_fte"] - change, 2),
                "new_value": row.fte["idva_fte"],
                "source": office,
            }
        )
        original_high = min(row.fte["idva_fte_high_risk"], round(row.fte["idva_fte"] - change, 2))
        if original_high != row.fte["idva_fte_high_risk"]:
            revisions.append(
                {
                    "service_id": s.service_id,
                    "police_force_area": row.pfa,
                    "field": "idva_fte_high_risk",
                    "original": original_high,
                    "new_value": row.fte["idva_fte_high_risk"],
                    "source": office,
                }
            )
    return revisions
