"""A year's returns written as an online survey tool's Excel export, with the mapping file that reads it back.

The export has the shape of SurveyMonkey's "All responses data" Excel export: two header rows (each question over
its columns, then each column's option, "Response" or "Open-Ended Response"), the tool's own columns first
(Respondent ID, Collector ID, dates, Custom Data 1 holding the service id from the invitation link), one row per
respondent, Idva locations as one column per option (the cell holds the option's text when ticked), and the
staffing as four blocks of columns, one per police force area the service covers. Every value is SYNTHETIC: it is
the bundled synthetic return reshaped (`python -m practitioner_survey.synthetic.online_export`).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practitioner_survey.returns.validate import read_returns

if TYPE_CHECKING:
    import pandas as pd

NOTICE = (
    "SYNTHETIC DATA, in the shape of a SurveyMonkey Excel export (two header rows: question, then option). Every "
    "respondent, service, figure and answer was made up: it is the bundled synthetic 2017 return reshaped by "
    "`python -m practitioner_survey.synthetic.online_export`. No row is a real service's answer."
)
BLOCKS = 4
WEB_LINK, MANUAL_ENTRY = "214837120", "214837121"  # the collectors: the web link, and the team's data entry
Q_NAME = "What is the name of your service?"
Q_EMPLOYS = (
    "Does your service employ any Idvas, outreach or refuge workers, Isvas, Ypvas, children's workers or "
    "perpetrator case workers?"
)
Q_SOURCE = "If you are entering these figures on behalf of a service, who gave them to you?"
Q_CASES = "Which cases do your Idvas take?"
Q_WHERE = "Where are your Idvas based? (Please tick all that apply)"
Q_BLOCK = "Police force area {n} that your service covers: your staff there"
Q_TEXT = {
    "biggest_difference": "What makes the biggest difference to the survivors your service supports?",
    "survivor_challenges": "What are the biggest challenges survivors face at the moment?",
    "other_comments": "Is there anything else you would like to tell us?",
}
CASES = {"marac": "Marac cases only", "court": "Court cases only", "both": "Both Marac and court cases"}
LOCATIONS = {
    "Specialist Domestic Abuse Service": "Specialist domestic abuse service",
    "Police": "Police station or police team",
    "Courts": "Courts",
    "Housing Association": "Housing association",
    "Health: A&E": "Hospital: A&E",
    "Health: Maternity": "Hospital: maternity unit",
    "Health: Whole hospital": "Hospital: across the whole hospital",
    "Health: GP surgeries": "GP surgeries",
    "Health: Community health visitors": "Community health visitors",
    "Local Authority: Children's services": "Local authority: children's services",
    "Local Authority: MASH": "Multi-agency safeguarding hub (MASH)",
    "Local Authority: Adult social care": "Local authority: adult social care",
    "Local Authority: Housing": "Local authority: housing",
    "Other": "Other (please specify)",
}
OTHER_PLACES = ("Probation office", "Community hub", "Family centre")
STAFF = {
    "police_force_area": "Police force area",
    "idva_headcount": "Idvas (number of people)",
    "idva_fte": "Idvas (FTE)",
    "idva_fte_high_risk": "of which: Idvas working with high-risk victims (FTE)",
    "outreach_fte": "Outreach workers (FTE)",
    "refuge_fte": "Refuge workers (FTE)",
    "isva_fte": "Isvas (FTE)",
    "ypva_fte": "Ypvas (FTE)",
    "children_fte": "Children's workers (FTE)",
    "perpetrator_fte": "Perpetrator case workers (FTE)",
    "other_fte": "Other practitioners (FTE)",
    "volunteers": "Volunteers (number of people)",
}
TOOL_COLUMNS = (
    "Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
    "Last Name", "Custom Data 1",
)  # fmt: skip
OPEN, RESPONSE = "Open-Ended Response", "Response"


def header_rows() -> tuple[list[str], list[str]]:
    """The export's two header rows: each question once, over its first column; then each column's option."""
    questions: list[str] = list(TOOL_COLUMNS)
    options: list[str] = [""] * len(TOOL_COLUMNS)

    def ask(question: str, subs: list[str]) -> None:
        questions.extend([question] + [""] * (len(subs) - 1))
        options.extend(subs)

    ask(Q_NAME, [OPEN])
    ask(Q_EMPLOYS, [RESPONSE])
    ask(Q_SOURCE, [OPEN])
    ask(Q_CASES, [RESPONSE])
    ask(Q_WHERE, list(LOCATIONS.values()))
    for n in range(1, BLOCKS + 1):
        ask(Q_BLOCK.replace("{n}", str(n)), list(STAFF.values()))
    for question in Q_TEXT.values():
        ask(question, [OPEN])
    return questions, options


def export_rows(services: pd.DataFrame, staffing: pd.DataFrame) -> list[list[object]]:
    """One row per service of a validated return, in the export's columns (header rows not included)."""
    rows: list[list[object]] = []
    areas: dict[str, list[Any]] = {}
    for record in staffing.to_dict("records"):
        areas.setdefault(str(record["service_id"]), []).append(record)
    start = dt.datetime(2017, 9, 18, 9, 0, 0)
    for i, s in enumerate(services.to_dict("records")):
        sid = str(s["service_id"])
        began = start + dt.timedelta(hours=5 * i, minutes=7 * (i % 9))
        collector = MANUAL_ENTRY if s["response_mode"] == "other_source" else WEB_LINK
        row: list[object] = [10_000_000_001 + i, int(collector), began, began + dt.timedelta(minutes=12 + i % 23)]
        row += ["", "", "", "", sid, s["service_name"], "Yes" if s["employs_practitioners"] else "No"]
        row += [s["source_note"], CASES.get(str(s["idva_cases"]), "")]
        based = {p.strip() for p in str(s["idva_locations"]).split(";")}
        for location, option in LOCATIONS.items():
            ticked = option if location != "Other" else OTHER_PLACES[i % len(OTHER_PLACES)]
            row.append(ticked if location in based else "")
        blocks = areas.get(sid, [])
        if len(blocks) > BLOCKS:
            raise ValueError(f"service {sid} covers {len(blocks)} areas; the export has {BLOCKS} blocks")
        for n in range(BLOCKS):
            row += _block(blocks[n]) if n < len(blocks) else [""] * len(STAFF)
        row += [s[q] for q in Q_TEXT]
        rows.append(row)
    return rows


def _block(staff: dict[str, Any]) -> list[object]:
    """An area's figures as a respondent types them: blank for none."""
    cells: list[object] = [staff["police_force_area"]]
    for name in list(STAFF)[1:]:
        value = float(staff[name])
        cells.append("" if value == 0 else int(value) if value.is_integer() else value)
    return cells


def mapping_text(export_name: str) -> str:
    """The mapping file that reads the export back into the returns format."""
    locations = "\n".join(f'      "{option}": "{location}"' for location, option in LOCATIONS.items())
    cases = "\n".join(f'      "{answer}": {value}' for value, answer in CASES.items())
    staff = "\n".join(f'    {name}: "{option}"' for name, option in STAFF.items())
    texts = "\n".join(f'  {name}: "{question}"' for name, question in Q_TEXT.items())
    return f"""\
# How `survey import {export_name} --year 2017 --mapping THIS-FILE` reads the SYNTHETIC sample export
# {export_name} (a SurveyMonkey-style Excel export; made by python -m practitioner_survey.synthetic.online_export).
# The format is described in responses/README.md, "Survey tool exports".
description: SurveyMonkey "All responses data" export of the 2017 practitioner survey (synthetic)
header_rows: 2            # row 1: each question over its columns; row 2: each column's option
sheet: Sheet              # the export's sheet (default: the first)

services:
  service_id: Custom Data 1          # the service id carried by each service's invitation link
  service_name: "{Q_NAME}"
  employs_practitioners:
    question: "{Q_EMPLOYS}"
    values: {{"Yes": yes, "No": no}}
  response_mode:
    question: Collector ID           # the web link collector is an online response; the team's data entry is not
    values:
      "{WEB_LINK}": online
      "{MANUAL_ENTRY}": other_source
  source_note: "{Q_SOURCE}"
  idva_cases:
    question: "{Q_CASES}"
    values:
{cases}
  idva_locations:                    # one column per option; a ticked option's cell is not blank
    question: "{Q_WHERE}"
    options:
{locations}
{texts}

staffing:                            # one block of columns per police force area; {{n}} is the block's number
  question: "{Q_BLOCK}"
  columns:
{staff}
"""


def write_export(returns_path: Path, out: Path, year: int = 2017) -> tuple[Path, Path]:
    """Write out/online-export-YEAR.xlsx and its mapping (.yaml) from the validated return at `returns_path`."""
    from openpyxl import Workbook

    returns = read_returns(returns_path)
    out.mkdir(parents=True, exist_ok=True)
    export, mapping = out / f"online-export-{year}.xlsx", out / f"online-export-{year}.yaml"
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet"
    for row in (*header_rows(), *export_rows(returns.services, returns.staffing)):
        sheet.append(row)
    about = book.create_sheet("About")
    about.append([NOTICE])
    fixed = dt.datetime(2017, 10, 31, 12, 0, 0)
    book.properties.creator, book.properties.created, book.properties.modified = "SYNTHETIC sample", fixed, fixed
    book.properties.description = NOTICE
    book.save(export)
    mapping.write_text(mapping_text(export.name), encoding="utf-8")
    return export, mapping


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--returns", type=Path, default=Path("responses/2017/returns-2017.xlsx"))
    parser.add_argument("--out", type=Path, default=Path("responses/samples"))
    args = parser.parse_args(argv)
    for path in write_export(args.returns, args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
