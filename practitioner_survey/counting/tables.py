"""The report's tables rounded as printed, and writing them as CSV files."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from practitioner_survey.codebook import Codebook, load_codebook
from practitioner_survey.counting import figures as counting
from practitioner_survey.counting import provision
from practitioner_survey.counting.figures import YearData, round_half_up
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.store.core import Store

# table name -> (counting function, decimals per column: 0 unless named)
TABLES: dict[str, tuple[Callable[[YearData], pd.DataFrame], dict[str, int]]] = {
    "idva_coverage_by_region": (counting.idva_coverage_by_region, {}),
    "coverage_by_police_force_area": (
        counting.coverage_by_police_force_area,
        {"fte_idvas": 1, "fte_idvas_high_risk": 1, "recommended_idvas": 1},
    ),
    "idva_services_by_size": (counting.idva_services_by_size, {}),
    "idva_fte_by_service_size": (counting.idva_fte_by_service_size, {}),
    "idva_locations": (counting.idva_locations, {}),
    "practitioner_fte_by_region": (counting.practitioner_fte_by_region, {}),
    "services_by_type_by_region": (counting.services_by_type_by_region, {}),
    "volunteers_by_region": (counting.volunteers_by_region, {}),
    "fte_by_type": (counting.fte_by_type, {"pct": 1}),
    "not_direct_responses": (counting.not_direct_responses, {"fte_idvas": 1, "fte_idvas_high_risk": 1}),
    "idva_location_settings": (provision.idva_location_settings, {}),
    "practitioner_density_by_pfa": (
        provision.practitioner_density_by_pfa,
        {"outreach_fte": 1, "cyp_fte": 1, "outreach_per_100k_women": 1, "cyp_per_100k_women": 1},
    ),
    "marac_cases_by_pfa": (provision.marac_cases_by_pfa, {}),
    "ons_marac_national": (provision.ons_marac_national, {}),
}


def _rounded(frame: pd.DataFrame, decimals: dict[str, int]) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_numeric_dtype(out[column]):
            places = decimals.get(column, 0)
            values = out[column].map(lambda v, p=places: round_half_up(float(v), p))
            out[column] = values.astype(int) if places == 0 else values
    return out


def printed_tables(data: YearData, previous: YearData | None = None) -> dict[str, pd.DataFrame]:
    """Every published table for a year, rounded as the report prints it; index turned into the first column."""
    tables = {}
    for name, (function, decimals) in TABLES.items():
        frame = function(data)
        tables[name] = _rounded(frame, decimals).reset_index() if frame.index.name else _rounded(frame, decimals)
    facts = counting.headline(data, previous)
    values = [int(v) if float(v).is_integer() else v for v in facts.values()]
    tables["headline"] = pd.DataFrame({"name": list(facts), "value": pd.Series(values, dtype=object)})
    return tables


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write one CSV per table; cells that a spreadsheet would run as a formula are neutralised. (The workbook of
    the same tables is the report's: `report.tables`.)"""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        path = out / f"{name}.csv"
        safe = frame.map(neutralise)
        safe.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        written.append(path)
    return written


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would evaluate (=, +, -, @) with an apostrophe; numbers pass through."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def year_data(store: Store, year: int) -> YearData:
    """A year's returns (current values, after rollovers and revisions) and reference, from the store."""
    return YearData(year, store.services(year), store.staffing(year), store.reference(year))


@dataclass(frozen=True)
class FreeText:
    """A year's free text as the store holds it, read once for everything a build counts and prints. Per question:
    its codebook, its active comments (with their text), its coding log (oldest first) and each active comment's
    current code; and the year's whole log."""

    codebooks: dict[str, Codebook]
    comments: dict[str, pd.DataFrame]
    log: dict[str, pd.DataFrame]
    codes: dict[str, pd.DataFrame]
    year_log: pd.DataFrame


def read_free_text(store: Store, year: int) -> FreeText | None:
    """The year's free text (see `FreeText`), or None when the year has no comments."""
    if not store.has_comments(year):
        return None
    comments, log, codes = store.comments(year), store.decisions(year), store.current_codes(year)

    def mine(frame: pd.DataFrame, question: str) -> pd.DataFrame:  # as the store gives one question's rows
        return frame[frame["question"] == question].reset_index(drop=True)

    return FreeText(
        codebooks={q: load_codebook(q, year) for q in FREE_TEXT_QUESTIONS},
        comments={q: mine(comments, q) for q in FREE_TEXT_QUESTIONS},
        log={q: mine(log, q) for q in FREE_TEXT_QUESTIONS},
        codes={q: mine(codes, q) for q in FREE_TEXT_QUESTIONS},
        year_log=log,
    )


def tables_for(store: Store, year: int, free_text: FreeText | None = None) -> dict[str, pd.DataFrame]:
    """Every published table for a year, with last year's comparisons when the store holds last year, and the
    revisions applied (the provenance of every figure that did not come from a service's own return).

    `free_text` is the year's free text when the caller has read it already (`read_free_text`)."""
    previous = year_data(store, year - 1) if (year - 1) in store.years() else None
    data = year_data(store, year)
    tables = printed_tables(data, previous)
    tables["revisions"] = revisions_table(store, year)
    text = free_text if free_text is not None else read_free_text(store, year)
    if text is not None:
        tables.update(free_text_tables(text, data.services))
    return tables


def free_text_tables(text: FreeText, services: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per question: comments per category and subcategory; and answers and comments counted."""
    out: dict[str, pd.DataFrame] = {}
    summary = []
    for question in FREE_TEXT_QUESTIONS:
        codebook, codes = text.codebooks[question], text.codes[question]
        out[f"comment_categories_{question}"] = _rounded(counting.comment_categories(codes, codebook), {})
        out[f"comment_subcategories_{question}"] = _rounded(counting.comment_subcategories(codes, codebook), {})
        answers = int((services[question].str.strip() != "").sum())
        summary.append({"question": question, "answers": answers, "comments": len(text.comments[question]),
                        "coded": len(codes)})  # fmt: skip
    out["free_text_summary"] = pd.DataFrame(summary, columns=["question", "answers", "comments", "coded"])
    return out


REVISION_COLUMNS = ["service_id", "service_name", "police_force_area", "field", "old_value", "new_value", "source"]


def revisions_table(store: Store, year: int) -> pd.DataFrame:
    """Every revised figure with its old and new value and who sent it."""
    revisions = store.revisions(year)
    names = store.services(year).set_index("service_id")["service_name"]
    revisions["service_name"] = revisions["service_id"].map(names)
    return revisions.reindex(columns=REVISION_COLUMNS).reset_index(drop=True)
