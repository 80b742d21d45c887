"""`survey template YEAR`: the fill-in return a service completes offline, as an Excel workbook.

An instructions sheet, then the two sheets of the returns format (`schema`) headed by their canonical column names,
so that a return filled in from it imports with no repairs: headings frozen and locked (each sheet protected, its
input columns left unlocked), drop-down lists for the police force areas, yes/no, response modes, Idva case types and
Idva locations (kept on a hidden `lists` sheet), number validation on every figure (FTE from 0 to 200 with at most
two decimals, whole people for headcounts and volunteers) and an input message explaining each column. No cell
below the headings is written, so an untouched row is not a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_module
from practitioner_survey.errors import NotFoundError, SurveyError
from practitioner_survey.reference import police_force_areas
from practitioner_survey.returns import schema

if TYPE_CHECKING:
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet
else:
    openpyxl = lazy_module("openpyxl")

#: Rows below the headings that carry the validation and input messages.
SERVICE_ROWS = 1_000
STAFFING_ROWS = 3_000
MAX_FTE = 200
MAX_PEOPLE = 10_000
LISTS = "lists"
INSTRUCTIONS = "instructions"


@dataclass(frozen=True)
class Column:
    """How one column is explained and checked: the input message, and a list or rule for its cells (formulas as
    the file holds them, without a leading =)."""

    title: str  # the input message's title (Excel allows 32 characters)
    prompt: str  # the input message (Excel allows 255 characters)
    choices: str = ""  # a list validation: a quoted list or a range of the lists sheet
    strict: bool = True  # False: the list is offered, other text is accepted (several locations in one cell)
    width: int = 18


def _quoted(values: tuple[str, ...]) -> str:
    return '"' + ",".join(values) + '"'


_FTE = "Full-time equivalent, a number from 0 to 200 with at most two decimals (0.5 = half time). Blank means 0."
COLUMNS: dict[str, Column] = {
    "service_id": Column("Service id", "Your service's id as the survey team gave it (e.g. S123). The same id "
                         "goes on each of your rows in the staffing sheet.", width=12),
    "service_name": Column("Service name", "The name of your service or organisation.", width=30),
    "employs_practitioners": Column("Employs practitioners?", "yes if your service employs any of the "
                                    "practitioners this survey counts, otherwise no.", _quoted(("yes", "no"))),
    "response_mode": Column("Response mode", "How this return reached the survey team: online, phone or "
                            "other_source (rolled_over is the team's own).", _quoted(schema.RESPONSE_MODES)),
    "source_note": Column("Source note", "Optional: where the figures come from, if not from your own records.",
                          width=24),
    "idva_cases": Column("Idva cases", "Which cases your Idvas take: marac, court or both. Blank if you employ "
                         "no Idvas.", _quoted(schema.IDVA_CASES), width=12),
    "idva_locations": Column("Idva locations", "Where your Idvas are based: pick one from the list, or type "
                             "several separated by ; (e.g. Police; Health: A&E).", f"{LISTS}!$B$2:$B$"
                             f"{len(schema.IDVA_LOCATIONS) + 1}", strict=False, width=30),
    "biggest_difference": Column("Biggest difference", "In your own words: what would make the biggest "
                                 "difference to your service? Do not name survivors or staff.", width=40),
    "survivor_challenges": Column("Survivors' challenges", "In your own words: the biggest challenges survivors "
                                  "you support face. Do not name survivors or staff.", width=40),
    "other_comments": Column("Other comments", "Anything else you would like to tell us. Do not name survivors "
                             "or staff.", width=40),
    "police_force_area": Column("Police force area", "One police force area your practitioners cover; one row "
                                "per area (several rows if you cover several).", "", width=24),
    "idva_headcount": Column("Idva headcount", "How many people work as Idvas in this area: a whole number."),
    "idva_fte": Column("Idva FTE", _FTE),
    "idva_fte_high_risk": Column("High-risk Idva FTE", "The part of the Idva FTE working with high-risk cases, "
                                 "at most the Idva FTE: a number with at most two decimals. Blank means 0."),
    "outreach_fte": Column("Outreach FTE", _FTE),
    "refuge_fte": Column("Refuge FTE", _FTE),
    "isva_fte": Column("Isva FTE", "Sexual violence advisers. " + _FTE),
    "ypva_fte": Column("Ypva FTE", "Young people's violence advisers. " + _FTE),
    "children_fte": Column("Children's workers FTE", _FTE),
    "perpetrator_fte": Column("Perpetrator workers FTE", _FTE),
    "other_fte": Column("Other FTE", "Other practitioners. " + _FTE),
    "volunteers": Column("Volunteers", "How many volunteers work in this area: a whole number."),
}  # fmt: skip


def template_name(year: int) -> str:
    """The template's file name, with its year (as `survey import` reads years from file names)."""
    return f"return-template-{year}.xlsx"


def write_template(year: int, folder: Path, *, force: bool = False) -> Path:
    """Write YEAR's fill-in return into `folder`; refuses to overwrite a file unless `force` (it may be filled in)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotFoundError(f"no folder {folder} to write the template into")
    target = folder / template_name(year)
    if target.exists() and not force:
        raise SurveyError(f"{target} already exists (it may be filled in); give another --out, or --force")
    book = openpyxl.Workbook()
    _instructions(book.active, year)
    areas = list(police_force_areas()["police_force_area"])
    _lists(book.create_sheet(LISTS), areas)
    area_list = f"{LISTS}!$A$2:$A${len(areas) + 1}"
    _sheet(book.create_sheet(schema.SERVICES), schema.SERVICES_COLUMNS, SERVICE_ROWS, {})
    service_list = f"{schema.SERVICES}!$A$2:$A${SERVICE_ROWS + 1}"
    choices = {"police_force_area": area_list, "service_id": service_list}
    _sheet(book.create_sheet(schema.STAFFING), schema.STAFFING_COLUMNS, STAFFING_ROWS, choices)
    book.move_sheet(LISTS, offset=2)  # last, after the two sheets a service fills in
    book.properties.title = f"Practitioner survey {year}: return"
    try:
        book.save(target)
    except OSError as exc:
        raise SurveyError(f"cannot write the template {target}: {exc.strerror}") from None
    return target


def _instructions(sheet: Worksheet, year: int) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.title = INSTRUCTIONS
    lines = [
        (f"Practitioner survey {year}: your service's return", True),
        ("", False),
        ("Fill in the two sheets 'services' and 'staffing', save the workbook as it is (.xlsx), send it back.", False),
        ("services: one row for your service. staffing: one row for each police force area your practitioners "
         "cover, with the number of people and the full-time equivalents (FTE) of each kind of practitioner.", False),
        ("Choose from the drop-down lists where a column offers one; each cell explains its column when selected. "
         "Figures are checked as you type: FTE from 0 to 200 with at most two decimals, whole numbers of people.",
         False),
        ("Leave a figure blank for none. Do not rename the sheets or change the headings (they are locked), and do "
         "not name survivors or staff in the free-text answers.", False),
        ("", False),
        ("Column", True),
    ]  # fmt: skip
    for text, bold in lines:
        sheet.append([text])
        sheet.cell(sheet.max_row, 1).font = Font(bold=bold, size=14 if sheet.max_row == 1 else 11)
    sheet.cell(sheet.max_row, 2, "What to write").font = Font(bold=True)
    for name in dict.fromkeys((*schema.SERVICES_COLUMNS, *schema.STAFFING_COLUMNS)):
        sheet.append([name, COLUMNS[name].prompt])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 110
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.protection.sheet = True


def _lists(sheet: Worksheet, areas: list[str]) -> None:
    sheet.append(["police_force_area", "idva_locations"])
    for i in range(max(len(areas), len(schema.IDVA_LOCATIONS))):
        sheet.append([areas[i] if i < len(areas) else None, *schema.IDVA_LOCATIONS[i : i + 1]])
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def _sheet(sheet: Worksheet, columns: tuple[str, ...], rows: int, choices: dict[str, str]) -> None:
    """Headings locked and frozen, input columns unlocked, each column's validation and input message."""
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    sheet.append(list(columns))
    for position, name in enumerate(columns, start=1):
        letter, column = get_column_letter(position), COLUMNS[name]
        heading = sheet.cell(1, position)
        heading.font, heading.protection = Font(bold=True), Protection(locked=True)
        heading.fill = PatternFill("solid", fgColor="DDEBF7")
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        dimension.protection = Protection(locked=False)  # typed-in cells take their column's style
        cells = f"{letter}2:{letter}{rows + 1}"
        rule = _rule(name, letter, choices.get(name) or column.choices, column.strict)
        if name in schema.FTE_COLUMNS:
            dimension.number_format = "0.00"
        elif name not in schema.COUNT_COLUMNS:
            dimension.number_format = "@"  # text: an id such as 007 keeps its zeros
        rule.promptTitle, rule.prompt = column.title, column.prompt
        rule.showInputMessage = True
        rule.add(cells)
        sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    protection = sheet.protection
    protection.sheet = True
    # allowed on the protected sheet (False means not protected): widths, heights, adding and deleting rows
    protection.formatColumns = protection.formatRows = protection.insertRows = protection.deleteRows = False


def _rule(name: str, letter: str, choices: str, strict: bool) -> DataValidation:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if choices:
        rule = DataValidation(type="list", formula1=choices, allow_blank=True, showErrorMessage=strict)
        rule.error = f"Choose {name} from the list."
        if name == "service_id":  # the staffing sheet's ids: a warning, so staffing may be filled in first
            rule.errorStyle, rule.error = "warning", "This service id is not (yet) in the services sheet."
    elif name in schema.FTE_COLUMNS:
        cell = f"{letter}2"
        within = f"AND(ISNUMBER({cell}),{cell}>=0,{cell}<={MAX_FTE},{cell}=ROUND({cell},2)"
        if name == "idva_fte_high_risk":  # at most the row's Idva FTE
            within += f",{cell}<=N({get_column_letter(schema.STAFFING_COLUMNS.index('idva_fte') + 1)}2)"
        rule = DataValidation(type="custom", formula1=within + ")", allow_blank=True, showErrorMessage=True)
        rule.error = f"{name}: a number from 0 to {MAX_FTE} with at most two decimals"
        rule.error += ", and at most idva_fte." if name == "idva_fte_high_risk" else "."
    elif name in schema.COUNT_COLUMNS:
        rule = DataValidation(type="whole", operator="between", formula1="0", formula2=str(MAX_PEOPLE),
                              allow_blank=True, showErrorMessage=True)  # fmt: skip
        rule.error = f"{name}: a whole number of people, from 0 to {MAX_PEOPLE:,}."
    else:
        rule = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="32767", allow_blank=True)
    rule.errorTitle = "Not accepted"
    return rule
