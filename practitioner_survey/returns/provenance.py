"""Revisions: corrections to a year's staffing figures reported after the return, each saying who reported it.

A revision file is a CSV with columns service_id, police_force_area, field, new_value, source. Reading one
checks every row and reports every problem at once; plan_revisions checks them against the year's figures, and
the store applies the plan, keeping the old values.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from practitioner_survey.errors import NotFoundError, Problem, ReturnsError, did_you_mean
from practitioner_survey.reference import match_police_force_area, region_of
from practitioner_survey.returns import schema
from practitioner_survey.returns.cells import parse_number, quoted
from practitioner_survey.returns.csvfile import read_csv_sheet
from practitioner_survey.returns.table import Log, RawSheet

#: The staffing figures a revision may change.
NUMERIC_FIELDS: tuple[str, ...] = (*schema.COUNT_COLUMNS, *schema.FTE_COLUMNS)
REVISION_COLUMNS = ("service_id", "police_force_area", "field", "new_value", "source")

# Header spellings accepted beyond case, spaces, underscores and hyphens.
_HEADER_ALIASES = {
    "service": "service_id",
    "serviceref": "service_id",
    "pfa": "police_force_area",
    "area": "police_force_area",
    "policeforce": "police_force_area",
    "column": "field",
    "figure": "field",
    "value": "new_value",
    "newfigure": "new_value",
    "reportedby": "source",
}


@dataclass(frozen=True)
class Revision:
    """One corrected figure: the service and area, which figure, its new value and who reported it."""

    service_id: str
    police_force_area: str
    field: str
    new_value: float
    source: str
    file: str = ""  # the revision file's name, for messages and provenance
    file_sha256: str = ""
    row: int | None = None  # row as a spreadsheet shows it (header is row 1)


def _squash(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.strip().lower())


def match_field(text: str) -> tuple[str | None, list[str]]:
    """Match a written figure name ('IDVA FTE', 'idva_fte') to a staffing column, or suggest the nearest."""
    index = {_squash(name): name for name in NUMERIC_FIELDS}
    key = _squash(text)
    if key in index:
        return index[key], []
    return None, [index[k] for k in difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)]


def check_value(name: str, value: float) -> str | None:
    """Why a value cannot stand for a figure (negative, not a number, fractional count), or None if it can."""
    if not math.isfinite(value):
        return f"{name} must be a number"
    if value < 0:
        return f"{name} cannot be negative (got {value:g})"
    if name in schema.COUNT_COLUMNS and not float(value).is_integer():
        return f"{name} counts people, so it must be a whole number (got {value:g})"
    return None


def near_ids(text: str, ids: Sequence[str]) -> list[str]:
    """Service ids close to a mistyped one, for a did-you-mean (ids are short, so the bar is lower)."""
    return difflib.get_close_matches(text, list(ids), n=3, cutoff=0.5)


def decode(data: bytes) -> str:
    """Text of a CSV as saved by Excel or a text editor: BOM -> utf-8-sig, else utf-8, else cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_revisions(path: Path) -> list[Revision]:
    """Read and check a revision file; raise ReturnsError listing every problem, with file, row and column."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"revision file not found: {path}")
    data = path.read_bytes()
    name, sha = path.name, hashlib.sha256(data).hexdigest()
    problems: list[Problem] = []

    def problem(message: str, row: int | None, column: str = "", code: str = "revision-invalid") -> None:
        problems.append(Problem("error", code, message, file=name, row=row, column=column))

    log = Log()  # read as a return's CSV is: its encoding, separator and quotes
    sheet = read_csv_sheet(name, data, log) if data.strip() else RawSheet(name, [])
    if sheet is None:
        raise ReturnsError(log.problems, summary=f"{name}: cannot read the revisions; nothing was changed")
    reader = iter(sheet.rows)
    header = next(reader, [])
    columns: dict[str, int] = {}
    for i, raw in enumerate(header):
        key = _squash(raw)
        canonical = _HEADER_ALIASES.get(key, key)
        canonical = next((c for c in REVISION_COLUMNS if _squash(c) == canonical), canonical)
        if canonical in REVISION_COLUMNS:
            if canonical in columns:
                problem(f"two columns are read as {canonical}", 1, raw)
            columns[canonical] = i
    missing = [c for c in REVISION_COLUMNS if c not in columns]
    if missing:
        problem(f"missing column(s) {', '.join(missing)}; expected {', '.join(REVISION_COLUMNS)}", 1)
        raise ReturnsError(problems, summary=f"{name}: cannot read the revisions; nothing was changed")

    revisions: list[Revision] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cell = {c: (cells[i].strip() if i < len(cells) else "") for c, i in columns.items()}
        before = len(problems)
        if not cell["service_id"]:
            problem("service_id is blank", number, "service_id")
        area, near = match_police_force_area(cell["police_force_area"])
        if area is None:
            problem(
                f"unknown police force area {quoted(cell['police_force_area'])}{did_you_mean(near)}",
                number,
                "police_force_area",
            )
        figure, near = match_field(cell["field"])
        if figure is None:
            problem(f"{quoted(cell['field'])} is not a staffing figure{did_you_mean(near)}", number, "field")
        parsed, _ = parse_number(cell["new_value"], figure in schema.COUNT_COLUMNS, sheet.decimal_comma)
        value = math.nan if parsed is None or not cell["new_value"] else parsed
        reason = check_value(figure or "new_value", value)
        if reason:
            problem(f"{reason}; new_value was {quoted(cell['new_value'])}", number, "new_value")
        if not cell["source"]:
            problem("source is blank: say who reported the figure (e.g. 'Cumbria OPCC')", number, "source")
        if len(problems) == before and area is not None and figure is not None:
            revisions.append(Revision(cell["service_id"], area, figure, value, cell["source"], name, sha, number))
    if not revisions and not problems:
        problem("no revisions in the file", None)
    if problems:
        raise ReturnsError(
            problems, summary=f"{name}: {len(problems)} problem(s) in the revisions; nothing was changed"
        )
    return revisions


Key = tuple[str, str]  # (service_id, police_force_area)


@dataclass
class RevisionPlan:
    """What revisions will change: (revision, old value) pairs in file order, and the rows to create."""

    changes: list[tuple[Revision, float]] = field(default_factory=list)
    new_rows: list[Key] = field(default_factory=list)
    unchanged: int = 0


def number_text(value: float) -> str:
    """3.0 -> '3', 2.50 -> '2.5': figures as a person would write them."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.3f}".rstrip("0")


def plan_revisions(
    year: int,
    revisions: Sequence[Revision],
    services: Sequence[str],
    figures: Callable[[str, str], Mapping[str, float] | None],
) -> RevisionPlan:
    """Check revisions against a year's services and current figures (None for a row not there yet).

    A figure already holding its new value is left alone, so a file applied twice changes nothing the second
    time. Raises ReturnsError listing every problem, including high-risk Idva FTE left above Idva FTE.
    """
    problems: list[Problem] = []
    current: dict[Key, dict[str, float]] = {}
    seen: dict[tuple[str, str, str], Revision] = {}
    plan = RevisionPlan()

    def problem(rev: Revision, message: str, column: str, code: str = "revision-invalid") -> None:
        area = rev.police_force_area
        located = Problem("error", code, message, rev.file, "", rev.row, column, rev.service_id, area)
        problems.append(located)

    for rev in revisions:
        before = len(problems)
        if rev.service_id not in services:
            near = did_you_mean(near_ids(rev.service_id, services))
            problem(rev, f"service {rev.service_id} is not in {year}'s returns{near}", "service_id")
        if rev.police_force_area not in region_of():
            problem(rev, f"unknown police force area {rev.police_force_area!r}", "police_force_area")
        if rev.field not in NUMERIC_FIELDS:
            problem(rev, f"{rev.field!r} is not a staffing figure", "field")
        elif reason := check_value(rev.field, rev.new_value):
            problem(rev, reason, "new_value")
        earlier = seen.setdefault((rev.service_id, rev.police_force_area, rev.field), rev)
        if earlier.new_value != rev.new_value:
            problem(rev, f"{rev.field} is also revised on row {earlier.row} to a different value", "new_value")
        if len(problems) > before:
            continue
        key = (rev.service_id, rev.police_force_area)
        if key not in current:
            found = figures(*key)
            current[key] = {name: float((found or {}).get(name, 0)) for name in NUMERIC_FIELDS}
            if found is None:
                plan.new_rows.append(key)
        old = current[key][rev.field]
        if old == float(rev.new_value):
            plan.unchanged += 1
            continue
        current[key][rev.field] = float(rev.new_value)
        plan.changes.append((rev, old))
    # each changed row, with the last revision that touched it (the one to point at)
    changed = {(r.service_id, r.police_force_area): r for r, _ in plan.changes}
    for key, last in changed.items():
        high, fte = current[key]["idva_fte_high_risk"], current[key]["idva_fte"]
        if high > fte + 1e-9:
            message = (
                f"after revision, {key[0]} in {key[1]} would have idva_fte_high_risk {number_text(high)} "
                f"above idva_fte {number_text(fte)}"
            )
            problem(last, message, last.field, "high-risk-above-fte")
    if problems:
        raise ReturnsError(problems, summary=f"{len(problems)} problem(s) in the revisions; nothing was changed")
    plan.new_rows = [key for key in plan.new_rows if key in changed]
    return plan
