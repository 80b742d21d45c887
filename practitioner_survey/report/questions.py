"""The report's section per free-text question: counts, category shares, subcategories and confirmed quotes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from practitioner_survey.counting.tables import FreeText
from practitioner_survey.report.printed import Figure, Table, frame_table, number
from practitioner_survey.store.coding import undone_ids


@dataclass(frozen=True)
class Quote:
    text: str


@dataclass(frozen=True)
class CategorySection:
    label: str
    comments: int
    pct: int
    subcategories: Table | None
    quotes: list[Quote]


@dataclass(frozen=True)
class QuestionSection:
    id: str
    question: str
    answers: int
    comments: int
    coded: int
    categories: Table
    chart: Figure | None
    wordcloud: Figure | None
    details: list[CategorySection]


def confirmed_quotes(log: pd.DataFrame) -> dict[int, list[str]]:
    """comment id -> its confirmed anonymised quote(s) as a question's log (`Store.decisions`) stands (undone
    decisions and drafts excluded)."""
    undone = undone_ids(log)
    quotes = log[(log["action"] == "quote") & ~log["id"].isin(undone)]
    out: dict[int, list[str]] = {}
    for comment_id, group in quotes.groupby("comment_id", sort=True):
        payload = group["payload"].iloc[-1]  # the latest quote decision about a comment is the one that counts
        text = payload.get("anonymised")
        if payload.get("confirmed") is True and isinstance(text, str) and text.strip():
            out[int(str(comment_id))] = [text.strip()]
    return out


def question_section(
    free_text: FreeText, question: str, tables: dict[str, pd.DataFrame], withheld: Collection[int] = ()
) -> QuestionSection:
    """Counts, category shares, subcategory breakdowns and confirmed quotes for one free-text question; the quotes
    of the comments in `withheld` (held back by the guard before publication) are left out."""
    codebook = free_text.codebooks[question]
    cats = tables[f"comment_categories_{question}"]
    subs = tables[f"comment_subcategories_{question}"]
    summary = tables["free_text_summary"].set_index("question").loc[question].to_dict()
    codes = free_text.codes[question]
    labels = {c.id: c.label for c in codebook.categories}
    quotes = confirmed_quotes(free_text.log[question])
    by_category: dict[str, list[Quote]] = {}
    for comment_id, category_id in zip(codes["comment_id"], codes["category_id"], strict=True):
        for text in [] if int(comment_id) in withheld else quotes.get(int(comment_id), []):
            by_category.setdefault(labels.get(str(category_id), ""), []).append(Quote(text))
    n = int(cats["comments"].sum())
    details = []
    for i, row in enumerate(cats.itertuples()):
        mine = subs[(subs["category"] == row.category) & (subs["comments"] > 0)][["subcategory", "comments", "pct"]]
        sub_table = (
            frame_table(
                f"subcategories_{question}_{i + 1}",
                mine,
                f"{row.category}: comments by subcategory",
                "comments; % of the category's comments",
                f"{number(row.comments)} comments",
            )
            if len(mine)
            else None
        )
        details.append(
            CategorySection(
                str(row.category),
                int(str(row.comments)),
                int(str(row.pct)),
                sub_table,
                by_category.get(str(row.category), []),
            )
        )
    return QuestionSection(
        id=question,
        question=codebook.text,
        answers=int(summary["answers"]),
        comments=int(summary["comments"]),
        coded=int(summary["coded"]),
        categories=frame_table(
            f"categories_{question}",
            cats,
            f"{codebook.text} Comments by category",
            "comments; % of coded comments",
            f"{number(n)} coded comments",
        ),
        chart=None,
        wordcloud=None,
        details=details,
    )
