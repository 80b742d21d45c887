"""How far coders agree: Cohen's κ and Krippendorff's α (nominal) per question, for the categories.

Analyst vs analyst compares each comment's primary code with its blind double coding (see coding/worklist.py);
model vs analyst compares the first suggestion shown with each decision a person made. Disagreements between
analysts are listed for adjudication, whose decision becomes the comment's code. Only codes and counts: never
comment text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from practitioner_survey.codebook import Category, Codebook, load_codebook
from practitioner_survey.errors import NotFoundError, SurveyError
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.store.coding import Decision, undone_ids
from practitioner_survey.store.core import Store

ANALYSTS = "analyst vs analyst"
MODEL = "model vs analyst"

Code = tuple[str, str]  # (category id, subcategory id)


@dataclass(frozen=True)
class Agreement:
    """One comparison for one question: how many comments, κ and α (None when undefined), disagreements."""

    question: str
    comparison: str  # ANALYSTS or MODEL
    n: int
    kappa: float | None
    alpha: float | None
    disagreements: int
    open: int = 0  # disagreements not yet adjudicated (analyst vs analyst)
    pairs: tuple[str, ...] = ()  # who was compared with whom, "ann / bob"


@dataclass(frozen=True)
class Disagreement:
    """A comment two analysts coded to different categories, and its adjudicated code if it has one."""

    comment_id: int
    question: str
    primary_analyst: str
    primary: Code
    double_analyst: str
    double: Code
    adjudicated: Code | None = None


@dataclass(frozen=True)
class _Pair:
    comment_id: int
    primary_analyst: str
    primary: Code
    double_analyst: str
    double: Code
    adjudicated: Code | None


def _live(log: pd.DataFrame) -> pd.DataFrame:
    """The log without undone decisions and undos."""
    undone = undone_ids(log)
    return log[~log["id"].isin(undone) & (log["action"] != "undo")]


def _pairs(store: Store, year: int, question: str) -> list[_Pair]:
    return _pairs_in(store.decisions(year, question), set(store.comments(year, question)["id"]))


def _pairs_in(log: pd.DataFrame, active: set[int]) -> list[_Pair]:
    """Active comments with a person's primary code and another person's double coding (the latest of each)."""
    log = _live(log)
    primary: dict[int, tuple[str, Code]] = {}
    double: dict[int, tuple[str, Code]] = {}
    adjudicated: dict[int, Code] = {}
    for cid, analyst, action, cat, sub, payload in log[
        ["comment_id", "analyst", "action", "category_id", "subcategory_id", "payload"]
    ].itertuples(index=False):
        if action == "code":
            (double if payload.get("double") else primary)[int(cid)] = (str(analyst), (str(cat), str(sub)))
        elif action == "adjudicate":
            adjudicated[int(cid)] = (str(cat), str(sub))
    return [
        _Pair(cid, primary[cid][0], primary[cid][1], double[cid][0], double[cid][1], adjudicated.get(cid))
        for cid in sorted(set(primary) & set(double) & active)
        if primary[cid][0] != double[cid][0]
    ]


def _model_pairs(log: pd.DataFrame) -> list[tuple[str, str]]:
    """(first suggestion's category, the person's category) for every live decision a person made with one shown."""
    log = _live(log)
    out = []
    for shown, category in log.loc[log["action"] == "code", ["suggestion", "category_id"]].itertuples(index=False):
        suggestions = json.loads(shown) if isinstance(shown, str) else shown
        if suggestions:
            out.append((str(suggestions[0]["category_id"]), str(category)))
    return out


def kappa_alpha(first: Sequence[str], second: Sequence[str]) -> tuple[float | None, float | None]:
    """Cohen's κ and Krippendorff's α (nominal) of two coders' categories; None when undefined (no comments,
    or a single category used throughout)."""
    labels = sorted(set(first) | set(second))
    if not first or len(labels) < 2:
        return None, None
    import krippendorff  # imported here: the command line starts faster without scikit-learn loaded
    from sklearn.metrics import cohen_kappa_score

    kappa = float(cohen_kappa_score(list(first), list(second)))
    index = {label: i for i, label in enumerate(labels)}
    data = np.array([[index[c] for c in first], [index[c] for c in second]], dtype=float)
    alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return (None if math.isnan(kappa) else kappa), (None if math.isnan(alpha) else alpha)


def _questions(question: str | None) -> tuple[str, ...]:
    if question is None:
        return FREE_TEXT_QUESTIONS
    if question not in FREE_TEXT_QUESTIONS:
        raise SurveyError(f"unknown question {question!r}; choose one of {', '.join(FREE_TEXT_QUESTIONS)}")
    return (question,)


def agreement(store: Store, year: int, question: str | None = None) -> list[Agreement]:
    """Per question, analyst vs analyst and model vs analyst, in that order."""
    store.services(year)  # NotFoundError for a year not in the store
    out = []
    for q in _questions(question):
        out += question_agreement(q, store.decisions(year, q), set(store.comments(year, q)["id"]))
    return out


def question_agreement(question: str, log: pd.DataFrame, active: set[int]) -> list[Agreement]:
    """One question's analyst vs analyst and model vs analyst agreement, from its coding log (`Store.decisions`)
    and the ids of its active comments, for a caller that has read them already."""
    pairs = _pairs_in(log, active)
    first, second = [p.primary[0] for p in pairs], [p.double[0] for p in pairs]
    kappa, alpha = kappa_alpha(first, second)
    differ = [p for p in pairs if p.primary[0] != p.double[0]]
    who = tuple(sorted({" / ".join(sorted((p.primary_analyst, p.double_analyst))) for p in pairs}))
    model = _model_pairs(log)
    model_kappa, model_alpha = kappa_alpha([m for m, _ in model], [a for _, a in model])
    return [
        Agreement(question, ANALYSTS, len(pairs), kappa, alpha, len(differ),
                  sum(p.adjudicated is None for p in differ), who),
        Agreement(question, MODEL, len(model), model_kappa, model_alpha, sum(m != a for m, a in model)),
    ]  # fmt: skip


def disagreements(store: Store, year: int, question: str | None = None) -> list[Disagreement]:
    """Comments whose primary code and double coding are different categories, by question and comment id."""
    store.services(year)
    return [
        Disagreement(p.comment_id, q, p.primary_analyst, p.primary, p.double_analyst, p.double, p.adjudicated)
        for q in _questions(question)
        for p in _pairs(store, year, q)
        if p.primary[0] != p.double[0]
    ]


def _category(codebook: Codebook, key: int | str) -> Category:
    found = codebook.by_key(key) if str(key).strip().isdigit() else codebook.by_id(str(key).strip())
    if found is None:
        keys = ", ".join(f"{c.key} {c.label}" for c in codebook.categories)
        raise SurveyError(f"no category {str(key)!r} for {codebook.question}; its categories: {keys}")
    return found


def adjudicate(
    store: Store, year: int, comment_id: int, category_key: int | str, sub_key: int | str | None, analyst: str
) -> Decision:
    """Log an adjudication (by the codebook's keys, or ids): it becomes the comment's current code."""
    if not analyst.strip():
        raise SurveyError("name who adjudicates: --analyst NAME")
    comments = store.comments(year)
    row = comments[comments["id"] == comment_id]
    if row.empty:
        raise NotFoundError(f"{year} has no active comment {comment_id}; `survey adjudicate {year} --list` lists them")
    question = str(row["question"].iloc[0])
    codebook = load_codebook(question, year)
    category = _category(codebook, category_key)
    sub_id = ""
    if sub_key is not None and str(sub_key).strip():
        sub = category.by_key(sub_key) if str(sub_key).strip().isdigit() else category.by_id(str(sub_key).strip())
        if sub is None:
            keys = ", ".join(f"{s.key} {s.label}" for s in category.subcategories) or "none"
            raise SurveyError(f"{category.label} has no subcategory {str(sub_key)!r}; its subcategories: {keys}")
        sub_id = sub.id
    decision = Decision(year, comment_id, question, analyst.strip(), "adjudicate", category.id, sub_id,
                        codebook_version=str(codebook.version))  # fmt: skip
    store.log([decision])
    return decision


def describe(codebook: Codebook, code: Code) -> str:
    """A code as an analyst reads it: "3 Housing options / 1 refuge" (keys first, to adjudicate by)."""
    category = codebook.by_id(code[0])
    if category is None:
        return code[0] or "–"
    text = f"{category.key} {category.label}"
    sub = category.by_id(code[1]) if code[1] else None
    return f"{text} / {sub.key} {sub.label}" if sub else text
