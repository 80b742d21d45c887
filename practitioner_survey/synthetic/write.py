"""Write a synthetic year as a bundled returns folder: workbook, acknowledged warnings, revisions, load.toml."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
from pathlib import Path

from openpyxl import Workbook

from practitioner_survey.returns.validate import read_returns
from practitioner_survey.synthetic.frames import services_frame, staffing_frame
from practitioner_survey.synthetic.model import Service
from practitioner_survey.synthetic.year2017 import SyntheticYear

NOTICE = (
    "SYNTHETIC DATA. Every service, figure and area value in this workbook was made up by "
    "`python -m practitioner_survey.synthetic` (seeded) so that the tool reproduces the figures published in "
    "SafeLives' 2017 practitioner survey report. No row describes a real service's return; names are invented "
    "from place names. Real returns are not public."
)
# Why a warning on the bundled data is accepted, by warning code.
REASONS = {
    "fte-above-headcount": (
        "Kept to reproduce the published figures: the report's {region} size table gives its services of one or "
        "two Idvas more FTE than such services' headcount allows (in the West Midlands, 19% of 59 FTE in three "
        "services)."
    ),
    "idva-headcount-without-fte": "Kept to reproduce the published figures (headcount reported without FTE).",
    "staff-without-practitioners": "Kept to reproduce the published figures (counted for free text only).",
    "fte-implausible": "Kept to reproduce the published figures (a large service's row).",
}
FIXED_TIME = dt.datetime(2017, 10, 31, 12, 0, 0)


def as_returned(year: SyntheticYear) -> list[Service]:
    """The services as their returns held them: rolled-over services absent, revised cells at first values."""
    services = [copy.deepcopy(s) for s in year.services if s.service_id not in set(year.rollovers)]
    by_id = {s.service_id: s for s in services}
    for revision in year.revisions:
        service = by_id[str(revision["service_id"])]
        row = next(r for r in service.rows if r.pfa == revision["police_force_area"])
        row.fte[str(revision["field"])] = float(revision["original"])  # type: ignore[arg-type]
    return services


def write_workbook(services: list[Service], path: Path) -> None:
    """The two-sheet returns workbook, with an About sheet saying the data are synthetic."""
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    about.append([NOTICE])
    for name, frame in (("services", services_frame(services)), ("staffing", staffing_frame(services))):
        sheet = workbook.create_sheet(name)
        sheet.append(list(frame.columns))
        for record in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in record])
    workbook.properties.creator = "practitioner_survey synthetic generator"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.save(path)


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "item"):
        return value.item()
    return value


def write_year(year: SyntheticYear, out: Path, requires: list[int] | None = None) -> Path:
    """Write responses/YEAR/: the returns workbook, its acknowledged warnings, revisions and load.toml."""
    folder = out / str(year.year)
    folder.mkdir(parents=True, exist_ok=True)
    workbook = folder / f"returns-{year.year}.xlsx"
    write_workbook(as_returned(year), workbook)
    warnings = read_returns(workbook).warnings
    acks = folder / "acknowledged-warnings.csv"
    with acks.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "service_id", "police_force_area", "reason"])
        regions = {s.service_id: ", ".join(s.regions) for s in year.services}
        for w in warnings:
            reason = REASONS.get(w.code, "Synthetic data.").format(region=regions.get(w.service_id, ""))
            writer.writerow([w.code, w.service_id, w.police_force_area, reason])
    lines = [
        "# How `survey load` (and `survey build`) loads this bundled synthetic year into the store.",
        f"year = {year.year}",
        f'returns = "{workbook.name}"',
        f'accept_warnings = "{acks.name}"',
        f"requires = {requires or []}",
    ]
    if year.comments:
        coded = folder / f"comments-{year.year}.jsonl"
        write_comments(year, coded)
        lines.append(f'coding = "{coded.name}"')
    if year.rollovers:
        lines += ["", "[[rollover]]", f"from_year = {year.year - 1}", f"services = {year.rollovers}"]
        lines.append(f'source = "{year.year - 1} Survey Results"')
    if year.revisions:
        revisions = folder / "pcc-revisions.csv"
        with revisions.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(["service_id", "police_force_area", "field", "new_value", "source"])
            for r in year.revisions:
                writer.writerow([r["service_id"], r["police_force_area"], r["field"], r["new_value"], r["source"]])
        lines += ["", "[[revisions]]", f'file = "{revisions.name}"']
    (folder / "load.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def write_comments(year: SyntheticYear, path: Path) -> None:
    """The bundled coding: each comment's offsets into its answer (and its text, for a reader's check), its code,
    and confirmed anonymised quotes."""
    answers = {s.service_id: s.answers for s in year.services}
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for c in year.comments:
            record = {
                "service_id": c.service_id,
                "question": c.question,
                "start": c.start,
                "end": c.end,
                "text": answers[c.service_id][c.question][c.start : c.end],
                "category_id": c.category_id,
                "subcategory_id": c.subcategory_id,
                "quote": c.quote,
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_reference(year: SyntheticYear, folder: Path) -> Path:
    """The year's recommended-Idva reference, as shipped in the package, labelled synthetic."""
    path = folder / f"recommended_idvas_{year.year}.csv"
    header = (
        f"# SYNTHETIC per-area figures for {year.year}, made by `python -m practitioner_survey.synthetic` so that "
        "regional sums give the report's recommended Idvas.\n"
        "# recommended_fte = max(adult_female_population * 40 / 10000 / 100, marac_cases / 100). "
        "Load real figures with `survey reference import FILE --year YEAR`.\n"
    )
    path.write_text(header + year.reference.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    return path
