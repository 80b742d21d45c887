"""Load a year's returns folder as its load.toml describes: import, rollovers, revisions (and years it needs first).

The bundled synthetic years in responses/ are loaded this way; a survey team can write a load.toml for a real year
to replay its whole loading in one command.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from practitioner_survey.codebook import load_codebook
from practitioner_survey.errors import NotFoundError, SurveyError
from practitioner_survey.loading.importing import import_year
from practitioner_survey.returns.provenance import read_revisions
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.store.coding import CodedComment
from practitioner_survey.store.core import Store

MANIFEST = "load.toml"


@dataclass
class LoadReport:
    """What loading did, step by step, as lines a person can read (counts only, never free text)."""

    year: int
    steps: list[str] = field(default_factory=list)


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise NotFoundError(f"{folder} has no {MANIFEST}: it is not a returns folder that `survey load` can read")
    try:
        manifest = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SurveyError(f"{path}: not valid TOML ({exc})") from exc
    for key in ("year", "returns"):
        if key not in manifest:
            raise SurveyError(f"{path}: missing '{key}'")
    return manifest


def load_year(store: Store, folder: Path) -> list[LoadReport]:
    """Load the returns folder (and, first, the sibling folders of the years it requires that the store lacks)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    year = int(manifest["year"])
    reports: list[LoadReport] = []
    for needed in manifest.get("requires", []):
        if int(needed) not in store.years():
            reports += load_year(store, folder.parent / str(needed))
    report = LoadReport(year)
    acks, mapping = manifest.get("accept_warnings"), manifest.get("mapping")
    result = import_year(
        store,
        folder / str(manifest["returns"]),
        year,
        accept_warnings=folder / str(acks) if acks else None,
        mapping=folder / str(mapping) if mapping else None,
    )
    outcome = result.outcome
    report.steps.append(
        f"returns {manifest['returns']}: {outcome.status}, {outcome.services} services, "
        f"{outcome.staffing_rows} staffing rows, {outcome.warnings_acknowledged} warnings acknowledged"
    )
    for rollover in manifest.get("rollover", []):
        rolled = store.rollover(year, int(rollover["from_year"]), list(rollover["services"]), rollover.get("source"))
        report.steps.append(
            f"rollover from {rollover['from_year']}: {rolled.status}, "
            f"{len(rolled.rolled_over) or len(rolled.already_rolled_over)} services"
        )
    for revision in manifest.get("revisions", []):
        revised = store.revise(year, read_revisions(folder / str(revision["file"])))
        report.steps.append(f"revisions {revision['file']}: {revised.status}, {revised.revised} figures changed")
    coding = manifest.get("coding")
    if coding:
        if store.has_comments(year):
            report.steps.append(f"coded comments {coding}: unchanged (the year already has comments)")
        else:
            items = read_coded(folder / str(coding), store, year)
            store.load_coded(year, items, BUNDLED_ANALYST)
            quotes = sum(1 for i in items if i.quote is not None)
            report.steps.append(f"coded comments {coding}: {len(items)} comments, {quotes} confirmed quotes")
    reports.append(report)
    return reports


BUNDLED_ANALYST = "bundled (synthetic)"


def read_coded(path: Path, store: Store, year: int) -> list[CodedComment]:
    """Read a JSONL of coded comments, checking each against the year's answers and the codebooks."""
    services = store.services(year).set_index("service_id")
    codebooks = {q: load_codebook(q, year) for q in FREE_TEXT_QUESTIONS}
    items, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            item = CodedComment(
                str(r["service_id"]), str(r["question"]), int(r["start"]), int(r["end"]),
                str(r["category_id"]), str(r.get("subcategory_id") or ""), r.get("quote"),
            )  # fmt: skip
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            problems.append(f"line {number}: not a coded comment")
            continue
        if item.question not in codebooks or item.service_id not in services.index:
            problems.append(f"line {number}: unknown question or service")
            continue
        answer = str(services.loc[item.service_id, item.question])
        if not 0 <= item.start < item.end <= len(answer) or (
            "text" in r and answer[item.start : item.end] != r["text"]
        ):
            problems.append(f"line {number}: offsets do not point at the comment in its answer")
        category = codebooks[item.question].by_id(item.category_id)
        if category is None or (item.subcategory_id and category.by_id(item.subcategory_id) is None):
            problems.append(f"line {number}: code not in the {item.question} codebook")
        items.append(item)
    if problems:
        raise SurveyError(
            f"{path}: " + "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        )
    return items


def bundled_folder(year: int, root: Path | None = None) -> Path | None:
    """responses/YEAR under `root` (default: the working directory) when it holds a load.toml."""
    folder = (root or Path.cwd()) / "responses" / str(year)
    return folder if (folder / MANIFEST).is_file() else None
