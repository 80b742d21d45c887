"""The 2017 Idva services: sizes, areas, FTE and high-risk FTE, and the reference's recommended levels.

A linear programme chooses every service's FTE so that each published Idva figure (coverage by region, shares of
services and FTE by size, police force areas by coverage band) rounds to the printed value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from practitioner_survey.counting.figures import SIZE_BANDS
from practitioner_survey.reference import REGIONS, police_force_areas
from practitioner_survey.synthetic.lp import Infeasible, LinearProgram
from practitioner_survey.synthetic.model import Row, Service
from practitioner_survey.synthetic.places import PLACES
from practitioner_survey.synthetic.targets import Targets2017

# Coverage bands of police force areas: (low, high) of high-risk FTE / recommended, kept clear of rounding edges.
BANDS = {
    "100+": (1.006, 1.45),
    "90s": (0.906, 0.99),
    "mid": (0.506, 0.885),
    "low": (0.346, 0.488),
    "vlow": (0.18, 0.325),
}
# How many of the 43 areas fall in each band: the report's 7 at >=100 %, 12 at >=90 %, 9 below 50 %, 3 at <=33 %.
BAND_COUNTS = {"100+": 7, "90s": 5, "low": 6, "vlow": 3}
# Areas whose Idvas all work in one service, per region (15 in all).
SINGLE_PLAN = {
    "East Midlands": 2,
    "Eastern": 4,
    "London": 1,
    "North East": 0,
    "North West": 1,
    "South East": 1,
    "South West": 2,
    "Wales": 1,
    "West Midlands": 1,
    "Yorkshire & Humber": 2,
}
# The two lone Idvas whose services cross a regional boundary (counted in both regions' tables).
CROSS_REGION = (("Northamptonshire", "Bedfordshire"), ("Metropolitan Police", "Surrey"))
FTE_BOUNDS = {"1-2": (0.4, 2.0), "3-5": (1.2, 5.0), "6-9": (3.5, 9.0), "10+": (7.0, 45.0)}
QUIRK_BOUNDS = (1.2, 4.5)  # West Midlands' small services, as the report's figures require
M = 0.1  # margin kept from every rounding edge of an FTE figure
MP = 0.02  # margin kept from every rounding edge of a percentage (the size shares leave almost no room)


@dataclass
class IdvaPlan:
    services: list[Service]
    band_of_area: dict[str, str]
    recommended: dict[str, float]  # per police force area


def areas_by_region() -> dict[str, list[str]]:
    frame = police_force_areas()
    return {r: sorted(frame[frame["region"] == r]["police_force_area"]) for r in REGIONS}


def place_services(
    rng: np.random.Generator, fixed: list[Service], targets: Targets2017, shares: dict[str, float]
) -> list[Service]:
    """Create the Idva services with size bands and place them in areas roughly by each area's need."""
    by_region = areas_by_region()
    services: list[Service] = list(fixed)
    counter = 0

    def new(band: str, areas: list[str], headcount: int = 0) -> Service:
        nonlocal counter
        counter += 1
        svc = Service(f"I{counter:03d}", "", [Row(a) for a in areas], band=band, headcount=headcount)
        services.append(svc)
        return svc

    # Lone Idvas across regions first: they take a 1-2 place in both regions.
    for pair in CROSS_REGION:
        new("1-2", list(pair), headcount=1)
    for region in REGIONS:
        _, fte, _, recommended, _ = targets.coverage[region]
        need = dict(zip(SIZE_BANDS, targets.size_counts[region], strict=True))
        typical = {
            band: targets.fte_by_size_pct[region][i] * fte / 100 / max(1, targets.size_counts[region][i])
            for i, band in enumerate(SIZE_BANDS)
        }
        areas = by_region[region]
        # FTE each area would hold at the region's coverage, less what is already placed there
        room = {a: shares[a] * recommended * fte / recommended for a in areas}
        for svc in services:
            if region in svc.regions:
                need[svc.band] -= 1
                for row in svc.rows:
                    if row.region == region:
                        room[row.pfa] -= (svc.fixed[0] if svc.fixed else typical[svc.band]) / len(svc.rows)
        new_ones = [new(band, []) for band in SIZE_BANDS for _ in range(need[band])]
        expected = {s.service_id: typical[s.band] * rng.uniform(0.8, 1.2) for s in new_ones}
        taken = {row.pfa for s in services for row in s.rows if row.region == region}
        if region == "London":
            singles = ["City of London"]
        else:
            free = [a for a in areas if a not in taken]
            free.sort(key=lambda a: room[a] * rng.uniform(0.7, 1.3))
            singles = free[: SINGLE_PLAN[region]]
        pool = sorted(new_ones, key=lambda s: expected[s.service_id], reverse=True)
        for area in singles:
            if area == "City of London":  # the Met's largest service also covers the City
                continue
            best = min(pool, key=lambda s: abs(expected[s.service_id] - room[area]))
            pool.remove(best)
            best.rows.append(Row(area))
        multi = [a for a in areas if a not in singles]
        counts = {a: sum(1 for s in services for row in s.rows if row.pfa == a) for a in multi}
        for svc in pool:  # largest first, each to the shared area with most room left
            area = max(multi, key=lambda a: room[a] + (100.0 if counts[a] < 2 else 0.0))
            svc.rows.append(Row(area))
            room[area] -= expected[svc.service_id]
            counts[area] += 1
        if region == "London":
            max(new_ones, key=lambda s: expected[s.service_id]).rows.append(Row("City of London"))
        # A few larger services also cover a second shared area of their region.
        if len(multi) >= 2:
            larger = [s for s in new_ones if s.band in ("3-5", "6-9", "10+") and len(s.rows) == 1]
            larger = [s for s in larger if s.rows[0].pfa in multi]
            for svc in larger[: int(rng.integers(0, 3))]:
                others = [a for a in multi if a != svc.rows[0].pfa]
                svc.rows.append(Row(others[int(rng.integers(len(others)))]))
    return services


def recommended_shares(rng: np.random.Generator) -> dict[str, float]:
    """Each area's share of its region's recommended Idvas: its population share, perturbed."""
    shares: dict[str, float] = {}
    for areas in areas_by_region().values():
        raw = {a: PLACES[a][0] * rng.uniform(0.88, 1.12) for a in areas}
        total = sum(raw.values())
        shares.update({a: v / total for a, v in raw.items()})
    return shares


def solve_fte(
    rng: np.random.Generator,
    services: list[Service],
    targets: Targets2017,
    shares: dict[str, float] | None = None,
) -> tuple[dict[str, float], dict[str, str]]:
    """Choose every row's Idva FTE and high-risk FTE, every region's recommended total, and which areas fall in
    which coverage band (a mixed-integer programme)."""
    lp = LinearProgram()
    big = 400.0
    shares = recommended_shares(rng) if shares is None else shares
    band_vars: dict[str, list[str]] = {b: [] for b in BANDS}
    cov = targets.coverage
    rec = {r: lp.var(f"rec:{r}", cov[r][3] - 0.5 + M, cov[r][3] + 0.5 - M) for r in REGIONS}
    rows: list[tuple[Service, Row, str, str]] = []
    for s in services:
        for i, row in enumerate(s.rows):
            f = lp.var(f"f:{s.service_id}:{i}", 0.1)
            h = lp.var(f"h:{s.service_id}:{i}", 0.0)
            rows.append((s, row, f, h))
            lp.constrain({h: 1.0, f: -1.0}, hi=0.0)
            lp.constrain({h: 1.0, f: -0.55}, lo=0.0)
            ratio = cov[row.region][2] / cov[row.region][1]
            lp.near({h: 1.0, f: -ratio}, 0.0, 0.5)
    for s in services:
        mine = [(f, h) for (t, _, f, h) in rows if t is s]
        fs = {f: 1.0 for f, _ in mine}
        hs = {h: 1.0 for _, h in mine}
        if s.fixed is not None:
            lp.constrain(fs, s.fixed[0], s.fixed[0])
            lp.constrain(hs, s.fixed[1], s.fixed[1])
            continue
        lo, hi = FTE_BOUNDS[s.band]
        if s.band == "1-2":
            hi = float(s.headcount)
            lo = 0.4 * s.headcount
            if s.quirk and "West Midlands" in s.regions:
                lo, hi = QUIRK_BOUNDS
            elif s.quirk:
                hi += 0.5
        lp.constrain(fs, lo, hi)
        centre = {"1-2": 0.9 * hi, "3-5": 3.4, "6-9": 6.2, "10+": 14.0}[s.band]
        lp.near(fs, centre * rng.uniform(0.8, 1.15), 1.0)
    band_index = {b: i for i, b in enumerate(SIZE_BANDS)}
    total_f: dict[str, float] = {}
    total_h: dict[str, float] = {}
    for region in REGIONS:
        f_r = {f: 1.0 for (_, row, f, _) in rows if row.region == region}
        h_r = {h: 1.0 for (_, row, _, h) in rows if row.region == region}
        total_f.update(f_r)
        total_h.update(h_r)
        _, fte, high, _, pct = cov[region]
        lp.constrain(f_r, fte - 0.5 + M, fte + 0.5 - M)
        lp.constrain(h_r, high - 0.5 + M, high + 0.5 - M)
        lp.constrain({**h_r, rec[region]: -(pct - 0.5 + M) / 100}, lo=0.0)
        lp.constrain({**h_r, rec[region]: -(pct + 0.5 - M) / 100}, hi=0.0)
        for band in SIZE_BANDS:
            p = targets.fte_by_size_pct[region][band_index[band]]
            in_band = {f: 1.0 for (s, row, f, _) in rows if row.region == region and s.band == band}
            lp.constrain(share_of(in_band, f_r, (p - 0.5 + MP) / 100), lo=0.0)
            lp.constrain(share_of(in_band, f_r, (p + 0.5 - MP) / 100), hi=0.0)
        for area in areas_by_region()[region]:
            h_a = {h: 1.0 for (_, row, _, h) in rows if row.pfa == area}
            if not h_a:
                raise Infeasible(f"{area} has no Idva service")
            choice = {}
            for band, (lo, hi) in BANDS.items():
                z = lp.var(f"z:{area}:{band}", 0, 1, integer=True)
                choice[z] = 1.0
                band_vars[band].append(z)
                # a small absolute margin too: rounding to hundredths moves a tiny area's coverage a lot
                lp.constrain({**h_a, rec[region]: -lo * shares[area], z: -big}, lo=0.03 - big)
                lp.constrain({**h_a, rec[region]: -hi * shares[area], z: big}, hi=big - 0.03)
            lp.constrain(choice, 1, 1)
    _, fte, high, recommended, pct = cov["Total"]
    rec_all = {v: 1.0 for v in rec.values()}
    lp.constrain(total_f, fte - 0.5 + M, fte + 0.5 - M)
    lp.constrain(total_h, high - 0.5 + M, high + 0.5 - M)
    lp.constrain(rec_all, recommended - 0.5 + M, recommended + 0.5 - M)
    shortfall = targets.headline["shortfall_fte"]
    lp.constrain({**rec_all, **{h: -1.0 for h in total_h}}, shortfall - 0.5 + M, shortfall + 0.5 - M)
    lp.constrain({**total_h, **{v: -(pct - 0.5 + M) / 100 for v in rec.values()}}, lo=0.0)
    lp.constrain({**total_h, **{v: -(pct + 0.5 - M) / 100 for v in rec.values()}}, hi=0.0)
    for band in SIZE_BANDS:
        p = targets.fte_by_size_pct["Total"][band_index[band]]
        in_band = {f: 1.0 for (s, _, f, _) in rows if s.band == band}
        lp.constrain(share_of(in_band, total_f, (p - 0.5 + MP) / 100), lo=0.0)
        lp.constrain(share_of(in_band, total_f, (p + 0.5 - MP) / 100), hi=0.0)
    for band, count in BAND_COUNTS.items():
        lp.constrain({z: 1.0 for z in band_vars[band]}, count, count)
    x = lp.solve()
    band_of_area = {z.split(":")[1]: z.split(":")[2] for zs in band_vars.values() for z in zs if x[z] > 0.5}
    for _, row, f, h in rows:
        row.fte["idva_fte"] = x[f]
        row.fte["idva_fte_high_risk"] = x[h]
    recommended_area = {a: x[rec[r]] * shares[a] for r, areas in areas_by_region().items() for a in areas}
    return recommended_area, band_of_area


def share_of(part: dict[str, float], whole: dict[str, float], share: float) -> dict[str, float]:
    """Coefficients of sum(part) - share * sum(whole), for share constraints."""
    coeffs = {k: -share * v for k, v in whole.items()}
    for k, v in part.items():
        coeffs[k] = coeffs.get(k, 0.0) + v
    return coeffs


def round_rows(services: list[Service]) -> None:
    """Round FTE to hundredths as a return would hold them, carrying each rounding error to the next row."""
    carry = {"idva_fte": 0.0, "idva_fte_high_risk": 0.0}
    for s in services:
        if s.fixed is not None:
            continue
        for row in s.rows:
            for col in carry:
                exact = row.fte[col] + carry[col]
                row.fte[col] = round(exact, 2)
                carry[col] = exact - row.fte[col]
            row.fte["idva_fte_high_risk"] = min(row.fte["idva_fte_high_risk"], row.fte["idva_fte"])


def choose_headcounts(rng: np.random.Generator, services: list[Service], total: tuple[int, int]) -> None:
    """Individual Idvas per service, within its band and at least its FTE; the national sum within `total`."""
    lo_band = {"3-5": 3, "6-9": 6, "10+": 10}
    hi_band = {"3-5": 5, "6-9": 9, "10+": 60}
    adjustable = []
    for s in services:
        fte = s.total("idva_fte")
        if s.band != "1-2" and not s.headcount:
            s.headcount = min(hi_band[s.band], max(lo_band[s.band], math.ceil(fte / rng.uniform(0.8, 0.99))))
            adjustable.append(s)
    while sum(s.headcount for s in services) < total[0]:
        s = adjustable[int(rng.integers(len(adjustable)))]
        if s.headcount < hi_band[s.band]:
            s.headcount += 1
    while sum(s.headcount for s in services) > total[1]:
        s = adjustable[int(rng.integers(len(adjustable)))]
        if s.headcount - 1 >= max(lo_band[s.band], math.ceil(s.total("idva_fte"))):
            s.headcount -= 1
    for s in services:  # spread the headcount over rows by FTE; a lone Idva is counted where mainly based
        weights = [row.fte["idva_fte"] for row in s.rows]
        raw = [s.headcount * w / sum(weights) for w in weights]
        counts = [math.floor(v) for v in raw]
        for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[: s.headcount - sum(counts)]:
            counts[i] += 1
        for row, n in zip(s.rows, counts, strict=True):
            row.idva_headcount = n


def assign_small_headcounts(services: list[Service], targets: Targets2017, lone_idvas: int) -> None:
    """Fix the headcount of services in the 1-2 band.

    The published shares leave the 1-2 band more FTE than twenty lone Idvas and their two-Idva neighbours can
    hold: West Midlands' three small services are the report's own quirk (19 % of 59 FTE), and two of them are
    lone Idvas; the other lone Idvas go where the shares leave room, and where none is left the service is
    marked as a quirk too (its FTE may exceed its headcount by half a post).
    """
    small = [s for s in services if s.band == "1-2" and not s.headcount]
    west_midlands = [s for s in small if "West Midlands" in s.regions]
    for i, s in enumerate(west_midlands):
        s.headcount = 1 if i < 2 else 2
        s.quirk = "fte-above-headcount"
    remaining = lone_idvas - sum(1 for s in services if s.band == "1-2" and s.headcount == 1)
    slack: dict[str, float] = {}
    open_by_region: dict[str, list[Service]] = {}
    for region in REGIONS:
        mine = [s for s in small if not s.headcount and region in s.regions]
        if not mine:
            continue
        fte = targets.coverage[region][1]
        share = targets.fte_by_size_pct[region][0]
        slack[region] = 2 * len(mine) - (share - 0.5) / 100 * (fte - 0.5)
        open_by_region[region] = mine
    while remaining > 0:
        region = max(slack, key=lambda r: slack[r] if open_by_region[r] else -99.0)
        service = open_by_region[region].pop()
        service.headcount = 1
        if slack[region] < 1:
            service.quirk = "fte-above-headcount"
        slack[region] -= 1
        remaining -= 1
    for s in small:
        if not s.headcount:
            s.headcount = 2
