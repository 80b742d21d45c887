"""The method section's figures: responses, rollovers, revisions, how the free text was coded, and the agreement
between coders where the coding log has any (a sentence saying so where it has none)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from practitioner_survey.coding.agreement import MODEL, question_agreement
from practitioner_survey.counting.tables import FreeText
from practitioner_survey.report.glance import QUESTION_SHORT
from practitioner_survey.report.printed import number
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.store.core import Store

COMPARED = {MODEL: "the model's suggestion vs the analyst", "analyst vs analyst": "two analysts coding blind"}


@dataclass(frozen=True)
class AgreementRow:
    question: str
    comparison: str
    n: int
    kappa: str
    alpha: str
    disagreements: int


def method(store: Store, year: int, facts: dict[str, object], tables: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Responses, rollovers, revisions and how free text was coded."""
    rollovers = store.rollovers(year)
    revisions = store.revisions(year)
    summary = tables.get("free_text_summary")
    return {
        "with_practitioners": number(facts["services_responding_with_practitioners"]),
        "without_practitioners": number(facts["services_responding_without_practitioners"]),
        "rolled_over": len(rollovers),
        "rolled_over_from": sorted({int(y) for y in rollovers["from_year"]}),
        "revisions": len(revisions),
        "revision_sources": sorted(set(revisions["source"])),
        "free_text": []
        if summary is None
        else [
            {
                "question": QUESTION_SHORT[str(r.question)],
                "answers": number(r.answers),
                "comments": number(r.comments),
                "coded": number(r.coded),
            }
            for r in summary.itertuples()
        ],
    }


def agreement_rows(free_text: FreeText | None) -> list[AgreementRow]:
    """Model vs analyst and analyst vs analyst agreement per question, for the comparisons the log holds (n > 0)."""
    if free_text is None:
        return []
    rows = []
    measured = [question_agreement(q, free_text.log[q], set(free_text.comments[q]["id"])) for q in FREE_TEXT_QUESTIONS]
    for a in (a for question in measured for a in question if a.n > 0):
        rows.append(
            AgreementRow(
                QUESTION_SHORT[a.question],
                COMPARED.get(a.comparison, a.comparison),
                a.n,
                "undefined" if a.kappa is None else f"{a.kappa:.2f}",
                "undefined" if a.alpha is None else f"{a.alpha:.2f}",
                a.disagreements,
            )
        )
    return rows


def agreement_note(free_text: FreeText | None, rows: list[AgreementRow]) -> str:
    """One sentence on what agreement the log could not measure: all of it, or the comparisons missing."""
    if free_text is None:
        return ""
    if not rows:
        return ("Agreement between coders is not reported this year: the coding log holds no comment coded blind by "
                "a second analyst and no decision taken with the model's suggestion recorded beside it.")  # fmt: skip
    missing = [f"{COMPARED[c]} for {QUESTION_SHORT[q].lower()}" for q in FREE_TEXT_QUESTIONS for c in COMPARED
               if not any(r.question == QUESTION_SHORT[q] and r.comparison == COMPARED[c] for r in rows)]  # fmt: skip
    if not missing:
        return ""
    return "The coding log holds no comparison of " + "; nor of ".join(missing) + ", so those are not shown."
