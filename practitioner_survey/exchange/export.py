"""A whole year handed off: the REFI-QDA project (.qdpx) and plain CSV files of everything the store holds.

The CSVs are written by tables.write_tables, so a cell that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from practitioner_survey.codebook import load_codebook
from practitioner_survey.counting.tables import write_tables
from practitioner_survey.exchange.codebook_qdc import code_guid
from practitioner_survey.exchange.qdpx import QdpxSummary, selection_guid, write_qdpx
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.store.core import Store

CODEBOOK_COLUMNS = [
    "question",
    "category_id",
    "category_key",
    "category_label",
    "subcategory_id",
    "subcategory_key",
    "subcategory_label",
    "description",
    "examples",
    "code_guid",
    "codebook_year",
    "codebook_version",
]


@dataclass(frozen=True)
class ExportOutcome:
    """The project written, the CSV files beside it, and what the project holds."""

    qdpx: Path
    csv_files: list[Path]
    summary: QdpxSummary


def export_year(store: Store, year: int, out: Path, now: datetime | None = None) -> ExportOutcome:
    """Write `out/survey-YEAR.qdpx` and one CSV per table of `export_tables` into `out`."""
    tables = export_tables(store, year)  # refuses a year not in the store before anything is written
    csv_files = write_tables(tables, out)
    qdpx = out / f"survey-{year}.qdpx"
    return ExportOutcome(qdpx, csv_files, write_qdpx(store, year, qdpx, now))


def export_tables(store: Store, year: int) -> dict[str, pd.DataFrame]:
    """The year as plain tables: returns, provenance (revisions, rollovers, accepted warnings, original files),
    comments (all, retired ones too, each with its text), current codes, the decision log and the codebooks."""
    comments = store.comments(year, active_only=False).drop(columns=["answer"])
    comments.insert(1, "selection_guid", [selection_guid(year, int(i)) for i in comments["id"]])
    decisions = store.decisions(year)
    decisions["payload"] = decisions["payload"].map(lambda p: json.dumps(p, sort_keys=True, ensure_ascii=False))
    return {
        "services": store.services(year),
        "staffing": store.staffing(year),
        "revisions": store.revisions(year),
        "rollovers": store.rollovers(year),
        "acknowledgements": store.acknowledgements(year),
        "source_files": store.files(year),
        "comments": comments,
        "codes": codes_table(store, year),
        "decisions": decisions,
        "codebook": codebook_table(year),
    }


def codes_table(store: Store, year: int) -> pd.DataFrame:
    """Each active comment's current code with its labels and the guid of its code in the .qdpx and .qdc."""
    codes = store.current_codes(year)
    labels = []
    for row in codes.to_dict("records"):
        category = load_codebook(row["question"], year).by_id(row["category_id"])
        sub = category.by_id(row["subcategory_id"]) if category is not None else None
        ids = [row["category_id"], *([row["subcategory_id"]] if row["subcategory_id"] else [])]
        labels.append((category.label if category else "", sub.label if sub else "", code_guid(row["question"], *ids)))
    codes[["category_label", "subcategory_label", "code_guid"]] = pd.DataFrame(
        labels or None, columns=["category_label", "subcategory_label", "code_guid"], index=codes.index
    )
    columns = [
        "comment_id",
        "service_id",
        "question",
        "category_id",
        "category_label",
        "subcategory_id",
        "subcategory_label",
        "code_guid",
        "analyst",
        "action",
    ]
    return codes[columns]


def codebook_table(year: int) -> pd.DataFrame:
    """Every category and subcategory of the year's codebooks, one row each (a category's own row first)."""
    rows = []
    for question in FREE_TEXT_QUESTIONS:
        book = load_codebook(question, year)
        for cat in book.categories:
            base = [question, cat.id, cat.key, cat.label]
            rows.append(
                [
                    *base,
                    "",
                    "",
                    "",
                    cat.description,
                    "; ".join(cat.examples),
                    code_guid(question, cat.id),
                    book.source_year,
                    book.version,
                ]
            )
            for sub in cat.subcategories:
                rows.append(
                    [
                        *base,
                        sub.id,
                        sub.key,
                        sub.label,
                        sub.description,
                        "; ".join(sub.examples),
                        code_guid(question, cat.id, sub.id),
                        book.source_year,
                        book.version,
                    ]
                )
    return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)
