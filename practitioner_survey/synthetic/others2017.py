"""Other practitioners of 2017, volunteers, where Idvas are based, and the services with no practitioners."""

from __future__ import annotations

import numpy as np

from practitioner_survey.counting.figures import round_half_up
from practitioner_survey.reference import REGIONS
from practitioner_survey.returns.schema import IDVA_LOCATIONS, LOCATION_GROUPS, PRACTITIONER_TYPES
from practitioner_survey.synthetic.idva2017 import M, areas_by_region
from practitioner_survey.synthetic.lp import Infeasible, LinearProgram
from practitioner_survey.synthetic.model import Row, Service
from practitioner_survey.synthetic.places import PLACES
from practitioner_survey.synthetic.targets import Targets2017

OTHER_TYPES = [key for key, _ in PRACTITIONER_TYPES if key != "idva"]
COLUMN = dict(PRACTITIONER_TYPES)
# The ONS table's labels for each type, to read its one-decimal shares.
ONS_LABEL = {
    "idva": "IDVAs - all risk levels",
    "outreach": "Outreach workers",
    "refuge": "Refuge workers",
    "isva": "Independent sexual violence advisors",
    "ypva": "Young person's violence advisors",
    "children": "Children's support workers",
    "perpetrator": "Perpetrator case workers",
}
# Services without Idvas are mostly built around one of these.
STANDALONE_WEIGHT = {
    "outreach": 1.0,
    "refuge": 2.5,
    "isva": 2.5,
    "ypva": 0.8,
    "children": 1.2,
    "perpetrator": 3.0,
}
# The service with only 'other' practitioners and volunteers that works across a regional boundary.
OTHER_ONLY_CROSS = ("Cheshire", "North Wales")


def type_totals(services: list[Service], targets: Targets2017) -> dict[tuple[str, str], float]:
    """FTE per region and type, chosen so every printed total, row sum and ONS share rounds right."""
    idva = {r: sum(row.fte["idva_fte"] for s in services for row in s.rows if row.region == r) for r in REGIONS}
    idva_all = sum(idva.values())
    pub = targets.practitioner_fte
    keys = ["all", *[k for k, _ in PRACTITIONER_TYPES]]
    lp = LinearProgram()
    y = {}
    for r in REGIONS:
        for t in OTHER_TYPES:
            v = pub[r][keys.index(t)]
            y[r, t] = lp.var(f"y:{r}:{t}", v - 0.5 + M, v + 0.5 - M)
            lp.near({y[r, t]: 1.0}, v, 1.0)
        all_r = pub[r][0]
        lp.constrain({y[r, t]: 1.0 for t in OTHER_TYPES}, all_r - 0.5 + M - idva[r], all_r + 0.5 - M - idva[r])
    grand = {v: 1.0 for v in y.values()}
    total = pub["Total"][0]
    lp.constrain(grand, total - 0.5 + M - idva_all, total + 0.5 - M - idva_all)
    for t in OTHER_TYPES:
        v = pub["Total"][keys.index(t)]
        column = {y[r, t]: 1.0 for r in REGIONS}
        lp.constrain(column, v - 0.5 + M, v + 0.5 - M)
        q = targets.ons_pct[ONS_LABEL[t]]
        for bound, share in (("lo", (q - 0.045) / 100), ("hi", (q + 0.045) / 100)):
            coeffs = {k: -share for k in grand}
            for k in column:
                coeffs[k] += 1.0
            rhs = share * idva_all
            lp.constrain(coeffs, lo=rhs) if bound == "lo" else lp.constrain(coeffs, hi=rhs)
    q = targets.ons_pct[ONS_LABEL["idva"]]
    lp.constrain(grand, idva_all / ((q + 0.045) / 100) - idva_all, idva_all / ((q - 0.045) / 100) - idva_all)
    x = lp.solve()
    return {(r, t): x[y[r, t]] for r in REGIONS for t in OTHER_TYPES}


def choose_type_services(
    rng: np.random.Generator, services: list[Service], targets: Targets2017, n_without_idva: int
) -> list[Service]:
    """Decide which services employ each other type in each region; create the services without Idvas."""
    keys = [k for k, _ in PRACTITIONER_TYPES]
    need = {(r, t): targets.services_by_type[r][keys.index(t)] for r in REGIONS for t in OTHER_TYPES}
    has: dict[tuple[str, str], list[Service]] = {k: [] for k in need}
    for s in services:  # the lone cross-region Idvas also do outreach and young people's work in both regions
        if len(s.regions) > 1:
            for r in s.regions:
                for t in ("outreach", "ypva"):
                    has[r, t].append(s)
    idva_in = {r: [s for s in services if r in s.regions] for r in REGIONS}
    minimum = {r: max(0, max(need[r, t] - len(idva_in[r]) for t in OTHER_TYPES)) for r in REGIONS}
    weight = {r: sum(need[r, t] for t in OTHER_TYPES) for r in REGIONS}
    extra = n_without_idva - sum(minimum.values())
    if extra < 0:
        raise Infeasible("too few services without Idvas for the published counts")
    raw = {r: extra * weight[r] / sum(weight.values()) for r in REGIONS}
    count = {r: minimum[r] + int(raw[r]) for r in REGIONS}
    for r in sorted(REGIONS, key=lambda r: raw[r] - int(raw[r]), reverse=True)[: n_without_idva - sum(count.values())]:
        count[r] += 1
    created: list[Service] = []
    for r in REGIONS:
        areas = areas_by_region()[r]
        weights = np.array([PLACES[a][0] for a in areas])
        mine = [
            Service(f"O{r[:3]}{i:02d}", "", [Row(str(rng.choice(areas, p=weights / weights.sum())))])
            for i in range(count[r])
        ]
        created += mine
        left = {t: need[r, t] - len(has[r, t]) for t in OTHER_TYPES}
        for s in mine:  # each service without Idvas is built around one type
            options = [t for t in OTHER_TYPES if left[t] > 0]
            if not options:
                raise Infeasible(f"{r}: more services without Idvas than type places")
            p = np.array([left[t] * STANDALONE_WEIGHT[t] for t in options])
            t = options[int(rng.choice(len(options), p=p / p.sum()))]
            has[r, t].append(s)
            left[t] -= 1
        for t in OTHER_TYPES:
            idva_first = t in ("outreach", "ypva", "children")
            pool = [s for s in idva_in[r] + mine if s not in has[r, t]]
            rng.shuffle(pool)
            pool.sort(key=lambda s: s.is_idva != idva_first)
            if left[t] > len(pool):
                raise Infeasible(f"{r}: not enough services for {t}")
            has[r, t] += pool[: left[t]]
    for (r, t), members in has.items():
        for s in members:
            for row in s.rows:
                if row.region == r:
                    row.fte[COLUMN[t]] = -1.0  # marked; FTE filled in by spread_fte
                    break
    return created


def spread_fte(rng: np.random.Generator, services: list[Service], totals: dict[tuple[str, str], float]) -> None:
    """Share each region's FTE of a type among the services marked as employing it, in hundredths."""
    for (r, t), total in totals.items():
        rows = [row for s in services for row in s.rows if row.region == r and row.fte[COLUMN[t]] < 0]
        floor = min(0.3, total / len(rows) / 2)
        weights = rng.gamma(1.6, 1.0, len(rows))
        values = floor + (total - floor * len(rows)) * weights / weights.sum()
        carry = 0.0
        for row, value in zip(rows, values, strict=True):
            exact = value + carry
            row.fte[COLUMN[t]] = round(exact, 2)
            carry = exact - row.fte[COLUMN[t]]


def add_other_and_volunteers(rng: np.random.Generator, services: list[Service], targets: Targets2017) -> None:
    """'Other' practitioners for some services; volunteers per region as published."""
    for s in services:
        if rng.random() < 0.3 or (s.band == "" and not any(row.fte[c] for row in s.rows for c in COLUMN.values())):
            s.rows[0].fte["other_fte"] = round(float(rng.uniform(0.5, 5.0)), 1)
    for r in REGIONS:
        people, n_services = targets.volunteers[r]
        forced = [s for s in services if len(s.regions) > 1 and r in s.regions]
        pool = [s for s in services if r in s.regions and s not in forced and s.fixed is None]
        chosen = forced + [pool[i] for i in rng.choice(len(pool), n_services - len(forced), replace=False)]
        weights = rng.gamma(0.9, 1.0, len(chosen))
        counts = 1 + np.floor((people - len(chosen)) * weights / weights.sum()).astype(int)
        counts[int(np.argmax(counts))] += people - int(counts.sum())
        for s, n in zip(chosen, counts, strict=True):
            next(row for row in s.rows if row.region == r).volunteers = int(n)


def assign_locations_and_cases(rng: np.random.Generator, services: list[Service], targets: Targets2017) -> None:
    """Where each Idva service's Idvas are based, and the cases it takes, matching the published shares."""
    idva = [s for s in services if s.is_idva]
    n = len(idva)
    counts = {g: _count_for(targets.locations_pct[g], n) for g in LOCATION_GROUPS}
    single = int(targets.headline["services_with_idvas_in_single_location"])
    order = list(rng.permutation(n))
    singles = [idva[i] for i in order[:single]]
    multis = [idva[i] for i in order[single:]]
    left = dict(counts)
    # Single-location services: mostly in a specialist service, a few elsewhere.
    plan = ["Specialist Domestic Abuse Service"] * (single - 20) + ["Police"] * 8 + ["Other"] * 4
    plan += ["Health"] * 3 + ["Local Authority"] * 3 + ["Courts"] + ["Housing Association"]
    for s, g in zip(singles, plan, strict=True):
        s.idva_locations = [g]
        left[g] -= 1
    deck = [g for g in LOCATION_GROUPS for _ in range(left[g])]
    if any(v < 0 for v in left.values()) or len(deck) < 2 * len(multis):
        raise Infeasible("location shares cannot be met")
    for i, g in enumerate(deck):
        multis[i % len(multis)].idva_locations.append(g)
    subsettings = {
        "Health": [x for x in IDVA_LOCATIONS if x.startswith("Health:")],
        "Local Authority": [x for x in IDVA_LOCATIONS if x.startswith("Local Authority:")],
    }
    for s in idva:
        named = []
        for g in s.idva_locations:
            if g in subsettings:  # A&E and children's services are the commonest settings
                opts = subsettings[g]
                p = np.array([3.0] + [1.0] * (len(opts) - 1))
                g = opts[int(rng.choice(len(opts), p=p / p.sum()))]
            named.append(g)
        s.idva_locations = sorted(set(named), key=IDVA_LOCATIONS.index)
    court_only = next(s for s in idva if s.band == "1-2" and s.headcount == 1 and len(s.regions) == 1)
    marac_only = round(targets.headline["idva_services_marac_only_pct"] * n / 100)
    while round_half_up(100 * marac_only / n) != targets.headline["idva_services_marac_only_pct"] or (
        round_half_up(100 * (n - 1 - marac_only) / n) != targets.headline["idva_services_both_marac_and_court_pct"]
    ):
        marac_only -= 1
    others = [s for s in idva if s is not court_only]
    rng.shuffle(others)
    court_only.idva_cases = "court"
    for i, s in enumerate(others):
        s.idva_cases = "marac" if i < marac_only else "both"


def _count_for(share: int, n: int) -> int:
    """The whole number of n nearest to share % whose percentage rounds back to share."""
    best = round(share * n / 100)
    for k in (best, best - 1, best + 1):
        if round_half_up(100 * k / n) == share:
            return k
    raise Infeasible(f"no count of {n} rounds to {share} %")


def without_practitioners(rng: np.random.Generator, n: int) -> list[Service]:
    """Services that answered but employ no practitioners: one row with no staff, for their area."""
    areas = list(PLACES)
    weights = np.array([PLACES[a][0] for a in areas])
    return [
        Service(f"N{i:03d}", "", [Row(str(rng.choice(areas, p=weights / weights.sum())))], employs=False)
        for i in range(n)
    ]


def other_only(rng: np.random.Generator, n: int) -> list[Service]:
    """Services whose practitioners are all of other kinds; the first crosses a regional boundary."""
    areas = list(PLACES)
    out = [Service("X00", "", [Row(a) for a in OTHER_ONLY_CROSS])]
    out += [Service(f"X{i:02d}", "", [Row(str(rng.choice(areas)))]) for i in range(1, n)]
    for s in out:
        for row in s.rows:
            row.fte["other_fte"] = round(float(rng.uniform(1.0, 4.0)), 1)
    return out
