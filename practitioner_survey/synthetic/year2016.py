"""The smaller synthetic 2016 year, consistent with what the 2017 report says of 2016.

200 services employing practitioners; Idva FTE about 10 % below 2017's; six areas at 90 % coverage or more; 12 % of
Idva services with ten or more Idvas; Marac cases 5 % fewer. Services carried into 2017 keep their ids, and those
2017 rolls over hold exactly the figures the report's Appendix 1 gives.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd

from practitioner_survey.counting.figures import round_half_up
from practitioner_survey.reference import recommended_fte
from practitioner_survey.returns.schema import FTE_COLUMNS
from practitioner_survey.synthetic.freetext import add_free_text, codebooks_for
from practitioner_survey.synthetic.lp import Infeasible
from practitioner_survey.synthetic.model import Service
from practitioner_survey.synthetic.year2017 import SyntheticYear

SERVICES_2016 = 200
WITHOUT_PRACTITIONERS_2016 = 40
AREAS_AT_90 = 6
TEN_PLUS_PCT = 12
FTE_RISE_PCT = 10
MARAC_RISE_PCT = 5


def reference_2016(rng: np.random.Generator, ref2017: pd.DataFrame) -> pd.DataFrame:
    """Last year's reference: Marac cases 5 % fewer in all (varying by area), populations a shade smaller."""
    total = ref2017["marac_cases"].sum()
    target = round(total / (1 + MARAC_RISE_PCT / 100))
    raw = ref2017["marac_cases"] / rng.uniform(1.0, 1.1, len(ref2017))
    marac = np.floor(raw * target / raw.sum()).astype(int)
    marac[int(np.argmax(marac))] += target - int(marac.sum())
    women = (ref2017["adult_female_population"] * 0.995).round().astype(int)
    out = ref2017[["police_force_area", "region"]].copy()
    out["marac_cases"] = marac
    out["adult_female_population"] = women
    out["recommended_fte"] = [round(recommended_fte(m, w), 4) for m, w in zip(marac, women, strict=True)]
    return out


def build_2016(year2017: SyntheticYear, seed: int = 2016, tries: int = 20) -> SyntheticYear:
    """The 2016 year from the 2017 one: fewer services, smaller figures."""
    for attempt in range(tries):
        rng = np.random.default_rng([seed, attempt])
        try:
            year = _build(rng, year2017)
        except Infeasible:
            continue
        for s in year.services:
            s.answers = {}
        year.comments = add_free_text(np.random.default_rng([seed, 99]), year.services, 2016, codebooks_for(2016))
        return year
    raise Infeasible("no synthetic 2016 found")


def _build(rng: np.random.Generator, year2017: SyntheticYear) -> SyntheticYear:
    reference = reference_2016(rng, year2017.reference)
    rec = dict(zip(reference["police_force_area"], reference["recommended_fte"], strict=True))
    services = [copy.deepcopy(s) for s in year2017.services]
    rolled = set(year2017.rollovers)
    for s in services:
        if s.response_mode != "online":  # in 2016 every service answered for itself
            s.response_mode, s.source_note = "online", ""
    idva = [s for s in services if s.is_idva]
    keep_idva = [s for s in idva if s.service_id in rolled]
    others = [s for s in idva if s.service_id not in rolled]
    # Larger services are newer: areas have been commissioning fewer, larger services since 2016.
    others.sort(key=lambda s: rng.random() + (0.7 if s.band == "10+" else 0.0))
    n_idva = 150
    keep_idva += others[: n_idva - len(keep_idva)]
    non_idva = [s for s in services if s.employs and not s.is_idva]
    rng.shuffle(non_idva)
    employing = keep_idva + non_idva[: SERVICES_2016 - len(keep_idva)]
    without = [s for s in services if not s.employs][:WITHOUT_PRACTITIONERS_2016]
    _scale_idva(rng, keep_idva, rolled, rec, year2017)
    for s in employing:
        if s.service_id in rolled:
            continue
        for row in s.rows:
            for column in FTE_COLUMNS[2:]:
                row.fte[column] = round(row.fte[column] * rng.uniform(0.8, 0.95), 2)
            row.volunteers = int(row.volunteers * 0.9)
    _headcounts(rng, keep_idva, rolled)
    return SyntheticYear(2016, employing + without, reference)


def _scale_idva(
    rng: np.random.Generator, idva: list[Service], rolled: set[str], rec: dict[str, float], year2017: SyntheticYear
) -> None:
    """Scale each area's Idva FTE so six areas reach 90 % and the national FTE is 10 % below 2017's."""
    fte_2017 = sum(row.fte["idva_fte"] for s in year2017.services for row in s.rows)
    low, high = fte_2017 / (1 + (FTE_RISE_PCT + 0.45) / 100), fte_2017 / (1 + (FTE_RISE_PCT - 0.45) / 100)
    rows = [(s, row) for s in idva for row in s.rows if row.fte["idva_fte"] > 0]
    areas = sorted({row.pfa for _, row in rows})
    hr = {a: sum(row.fte["idva_fte_high_risk"] for _, row in rows if row.pfa == a) for a in areas}
    coverage = {a: hr[a] / rec[a] for a in areas}
    top = sorted(areas, key=lambda a: coverage[a] * rng.uniform(0.9, 1.1), reverse=True)[:AREAS_AT_90]
    target = {
        a: rng.uniform(0.93, 1.04) if a in top else min(coverage[a] * rng.uniform(0.85, 1.0), 0.86) for a in areas
    }
    factor = {a: target[a] / coverage[a] for a in areas}
    goal = (low + high) / 2
    for _ in range(50):  # scale the other areas towards the national total, none of them reaching 88 %
        total = sum(row.fte["idva_fte"] * (1.0 if s.service_id in rolled else factor[row.pfa]) for s, row in rows)
        movable = [a for a in areas if a not in top and factor[a] * coverage[a] < 0.875]
        if abs(total - goal) < 0.5 or not movable:
            break
        base = sum(row.fte["idva_fte"] * factor[row.pfa] for s, row in rows if row.pfa in movable)
        scale = 1 + (goal - total) / base
        for a in movable:
            factor[a] = min(factor[a] * scale, 0.875 / coverage[a])
    for s, row in rows:
        if s.service_id in rolled:
            continue
        f = factor[row.pfa]
        row.fte["idva_fte"] = round(row.fte["idva_fte"] * f, 2)
        row.fte["idva_fte_high_risk"] = min(row.fte["idva_fte"], round(row.fte["idva_fte_high_risk"] * f, 2))
    total = sum(row.fte["idva_fte"] for _, row in rows)
    cov = {a: sum(row.fte["idva_fte_high_risk"] for _, row in rows if row.pfa == a) / rec[a] for a in areas}
    if not low < total < high or sum(round_half_up(100 * c) >= 90 for c in cov.values()) != AREAS_AT_90:
        n90 = sum(round_half_up(100 * c) >= 90 for c in cov.values())
        raise Infeasible(
            f"2016 targets missed after rounding: fte {total:.1f} in ({low:.1f}, {high:.1f}), {n90} at 90 %"
        )


def _headcounts(rng: np.random.Generator, idva: list[Service], rolled: set[str]) -> None:
    """Headcounts from FTE, with 12 % of Idva services at ten Idvas or more."""
    n = len(idva)
    ten_plus = next(k for k in range(n) if round_half_up(100 * k / n) == TEN_PLUS_PCT)
    by_size = sorted((s for s in idva if s.service_id not in rolled), key=lambda s: s.total("idva_fte"), reverse=True)
    for rank, s in enumerate(by_size):
        fte = s.total("idva_fte")
        heads = max(1, math.ceil(fte / rng.uniform(0.8, 0.99)))
        s.headcount = max(10, heads) if rank < ten_plus else min(9, max(heads, math.ceil(fte)))
        if rank >= ten_plus and fte > 9:
            raise Infeasible("a service outside the largest has more than nine FTE")
        weights = [row.fte["idva_fte"] for row in s.rows]
        counts = [0] * len(s.rows)
        counts[int(np.argmax(weights))] = s.headcount
        for row, c in zip(s.rows, counts, strict=True):
            row.idva_headcount = c
