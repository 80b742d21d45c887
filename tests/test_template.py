"""survey template: the fill-in return's sheets, protection, lists, number rules and input messages, and a return
filled in from it (programmatically, as a service would in Excel) that imports with no repairs."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.reference import police_force_areas
from practitioner_survey.returns import schema
from practitioner_survey.returns.template import write_template
from practitioner_survey.returns.validate import read_returns
from practitioner_survey.store.core import Store

ANSWER = "More money for the outreach team would let us reach rural villages."


@pytest.fixture
def template(tmp_path: Path) -> Path:
    result = CliRunner().invoke(app, ["template", "2017", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "return-template-2017.xlsx"
    assert f"wrote {path}" in result.stdout
    return path


def rule_for(sheet: Worksheet, column: str) -> DataValidation:
    """The validation covering the column's first input cell."""
    letter = sheet.cell(1, [c.value for c in sheet[1]].index(column) + 1).column_letter
    [rule] = [r for r in sheet.data_validations.dataValidation if f"{letter}2" in r.sqref]
    return rule


def test_template_has_instructions_then_the_two_sheets_with_locked_frozen_headings(template: Path) -> None:
    book = load_workbook(template)
    assert book.sheetnames == ["instructions", "services", "staffing", "lists"]
    assert book["lists"].sheet_state == "hidden"
    assert "Practitioner survey 2017" in str(book["instructions"]["A1"].value)
    for name, columns in ((schema.SERVICES, schema.SERVICES_COLUMNS), (schema.STAFFING, schema.STAFFING_COLUMNS)):
        sheet = book[name]
        assert [c.value for c in sheet[1]] == list(columns)
        assert sheet.freeze_panes == "A2"
        assert sheet.protection.sheet is True
        assert all(c.protection.locked for c in sheet[1])
        assert all(sheet.column_dimensions[c.column_letter].protection.locked is False for c in sheet[1])
        assert sheet.max_row == 1  # no empty cells below the headings that a reader would take for rows


def test_template_lists_offer_the_areas_yes_no_response_modes_case_types_and_locations(template: Path) -> None:
    book = load_workbook(template)
    services, staffing, lists = book["services"], book["staffing"], book["lists"]
    assert rule_for(services, "employs_practitioners").formula1 == '"yes,no"'
    assert rule_for(services, "response_mode").formula1 == '"' + ",".join(schema.RESPONSE_MODES) + '"'
    assert rule_for(services, "idva_cases").formula1 == '"marac,court,both"'
    areas = rule_for(staffing, "police_force_area")
    assert areas.type == "list" and areas.showErrorMessage
    cells = areas.formula1.removeprefix("lists!").replace("$", "").split(":")
    listed = [c.value for row in lists[cells[0] : cells[1]] for c in row]
    assert listed == list(police_force_areas()["police_force_area"]) and len(listed) == 43
    ids = rule_for(staffing, "service_id")
    assert ids.formula1 == "services!$A$2:$A$1001" and ids.errorStyle == "warning"  # staffing may come first
    locations = rule_for(services, "idva_locations")
    cells = locations.formula1.removeprefix("lists!").replace("$", "").split(":")
    assert [c.value for row in lists[cells[0] : cells[1]] for c in row] == list(schema.IDVA_LOCATIONS)
    assert not locations.showErrorMessage  # several locations may be typed in one cell, separated by ;
    rules = [*services.data_validations.dataValidation, *staffing.data_validations.dataValidation]
    assert not [r.formula1 for r in rules if str(r.formula1).startswith("=")]  # the file's formulas have no =


def test_every_figure_is_checked_and_every_column_explains_itself(template: Path) -> None:
    book = load_workbook(template)
    staffing = book["staffing"]
    for column in schema.FTE_COLUMNS:
        rule = rule_for(staffing, column)
        assert (
            rule.type == "custom" and "<=200" in rule.formula1 and "ROUND(" in rule.formula1 and ",2)" in rule.formula1
        )
        assert rule.showErrorMessage
    assert "<=N(D2)" in rule_for(staffing, "idva_fte_high_risk").formula1  # at most the row's Idva FTE
    for column in schema.COUNT_COLUMNS:
        rule = rule_for(staffing, column)
        assert (rule.type, rule.operator, rule.formula1, rule.formula2) == ("whole", "between", "0", "10000")
    for name, columns in ((schema.SERVICES, schema.SERVICES_COLUMNS), (schema.STAFFING, schema.STAFFING_COLUMNS)):
        for column in columns:
            rule = rule_for(book[name], column)
            assert rule.showInputMessage and rule.prompt and len(rule.prompt) <= 255
            assert rule.promptTitle and len(rule.promptTitle) <= 32


def fill(template: Path, target: Path) -> None:
    """Fill the template in as a service would: two services, three staffing rows, typed values only."""
    book = load_workbook(template)
    services, staffing = book["services"], book["staffing"]
    services.append(["S101", "Riverside Outreach", "yes", "online", "", "both", "Police; Health: A&E",
                     ANSWER, "Waiting lists for housing.", ""])  # fmt: skip
    services.append(["S102", "Hillside Refuge", "no", "phone", "Figures from our annual report", "", "", "", "", ""])
    staffing.append(["S101", "Kent", 3, 2.5, 1.25, 1, 0, 0, 0, 0.5, 0, 0, 4])
    staffing.append(["S101", "Surrey", 1, 0.8, None, None, None, None, None, None, None, None, None])
    staffing.append(["S102", "Sussex", None, None, None, None, 0, None, None, None, None, None, 12])
    book.save(target)


def test_a_return_filled_in_from_the_template_imports_with_no_repairs(template: Path, tmp_path: Path) -> None:
    filled = tmp_path / "Riverside return 2017.xlsx"
    fill(template, filled)
    db = tmp_path / "survey.db"
    result = CliRunner().invoke(app, ["--db", str(db), "import", str(filled), "--year", "2017"])
    assert result.exit_code == 0, result.output
    assert "Imported 2017 from Riverside return 2017.xlsx: 2 services, 3 staffing rows" in result.stdout
    assert "0 warning(s)" in result.stdout and "repair" not in result.output
    read = read_returns(filled)
    assert read.repairs == [] and read.warnings == []
    with Store(db, create=False) as store:
        services, staffing = store.services(2017), store.staffing(2017)
    assert services["idva_locations"].tolist() == ["Police; Health: A&E", ""]
    assert services["employs_practitioners"].tolist() == [True, False]
    assert services["biggest_difference"].tolist() == [ANSWER, ""]
    kent = staffing.set_index("police_force_area").loc["Kent"]
    assert (kent["idva_headcount"], kent["idva_fte"], kent["idva_fte_high_risk"], kent["volunteers"]) == (
        3,
        2.5,
        1.25,
        4,
    )
    assert staffing["volunteers"].sum() == 16 and staffing["idva_fte"].sum() == pytest.approx(3.3)


def test_template_refuses_to_overwrite_a_file_without_force(template: Path) -> None:
    template.write_bytes(b"a filled-in return")
    result = CliRunner().invoke(app, ["template", "2017", "--out", str(template.parent)])
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert template.read_bytes() == b"a filled-in return"
    assert write_template(2017, template.parent, force=True) == template
    assert load_workbook(template).sheetnames[0] == "instructions"
