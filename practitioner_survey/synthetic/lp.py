"""A small linear-programme builder over scipy's HiGHS: named variables, two-sided constraints, L1 targets."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from practitioner_survey.errors import SurveyError


class Infeasible(SurveyError):
    """The synthetic-data programme has no solution with these choices (try another seed)."""


class LinearProgram:
    """Collects variables and constraints by name, then solves with HiGHS."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.index: dict[str, int] = {}
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.cost: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def var(self, name: str, lo: float = 0.0, hi: float = np.inf, cost: float = 0.0, integer: bool = False) -> str:
        self.index[name] = len(self.names)
        self.integer.append(1 if integer else 0)
        self.names.append(name)
        self.lower.append(lo)
        self.upper.append(hi)
        self.cost.append(cost)
        return name

    def constrain(self, coeffs: Mapping[str, float], lo: float = -np.inf, hi: float = np.inf) -> None:
        """lo <= sum(coeff * var) <= hi."""
        row: dict[int, float] = {}
        for name, c in coeffs.items():
            i = self.index[name]
            row[i] = row.get(i, 0.0) + c
        self.rows.append((row, lo, hi))

    def near(self, coeffs: Mapping[str, float], target: float, weight: float) -> None:
        """Add weight * |sum(coeff * var) - target| to the objective."""
        slack_up = self.var(f"_up{len(self.names)}", cost=weight)
        slack_down = self.var(f"_dn{len(self.names)}", cost=weight)
        self.constrain({**coeffs, slack_up: -1.0, slack_down: 1.0}, target, target)

    def solve(self) -> dict[str, float]:
        ub_r: list[int] = []
        ub_c: list[int] = []
        ub_v: list[float] = []
        b_ub: list[float] = []
        eq_r: list[int] = []
        eq_c: list[int] = []
        eq_v: list[float] = []
        b_eq: list[float] = []
        for row, lo, hi in self.rows:
            if lo == hi:
                k = len(b_eq)
                for i, c in row.items():
                    eq_r.append(k)
                    eq_c.append(i)
                    eq_v.append(c)
                b_eq.append(lo)
                continue
            if hi < np.inf:
                k = len(b_ub)
                for i, c in row.items():
                    ub_r.append(k)
                    ub_c.append(i)
                    ub_v.append(c)
                b_ub.append(hi)
            if lo > -np.inf:
                k = len(b_ub)
                for i, c in row.items():
                    ub_r.append(k)
                    ub_c.append(i)
                    ub_v.append(-c)
                b_ub.append(-lo)
        n = len(self.names)
        a_ub = coo_matrix((ub_v, (ub_r, ub_c)), shape=(len(b_ub), n)).tocsr() if b_ub else None
        a_eq = coo_matrix((eq_v, (eq_r, eq_c)), shape=(len(b_eq), n)).tocsr() if b_eq else None
        result = linprog(
            np.array(self.cost),
            A_ub=a_ub,
            b_ub=np.array(b_ub) if b_ub else None,
            A_eq=a_eq,
            b_eq=np.array(b_eq) if b_eq else None,
            bounds=list(zip(self.lower, self.upper, strict=True)),
            method="highs",
            integrality=np.array(self.integer) if any(self.integer) else None,
            options={"time_limit": 120.0},
        )
        if result.status != 0:
            raise Infeasible(f"linear programme not solved: {result.message}")
        return dict(zip(self.names, result.x.tolist(), strict=True))
