"""`survey import EXPORT --mapping FILE`: a survey tool's export, read through its mapping, gives the same tables as
the two-sheet return; the mapping is checked by line and key; every problem names the export's row and heading."""

from __future__ import annotations

import copy
import csv
import functools
import io
import operator
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import SECRET, build_returns
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner, Result

from practitioner_survey.cli import app
from practitioner_survey.errors import ReturnsError
from practitioner_survey.returns import exportsheet
from practitioner_survey.returns.export import read_export
from practitioner_survey.returns.mapping import load_mapping
from practitioner_survey.returns.table import Log
from practitioner_survey.returns.validate import read_returns
from practitioner_survey.returns.yamltext import parse_yaml
from practitioner_survey.store.core import Store
from practitioner_survey.synthetic import online_export as sm

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "responses" / "samples" / "online-export-2017.xlsx"
SAMPLE_MAPPING = ROOT / "responses" / "samples" / "online-export-2017.yaml"
RETURN_2017 = ROOT / "responses" / "2017" / "returns-2017.xlsx"
ACKS_2017 = ROOT / "responses" / "2017" / "acknowledged-warnings.csv"
STAFF = [
    ("S1", "Cumbria", {"idva_headcount": 3, "idva_fte": 2.5, "idva_fte_high_risk": 2.0, "outreach_fte": 1.5}),
    ("S1", "Lancashire", {"idva_headcount": 1, "idva_fte": 1.0}),
    ("S2", "Gwent", {"refuge_fte": 4.0, "volunteers": 2}),
]


def survey(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args])


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\x1b\[[0-9;]*m", "", text))


def grid(staff: list = STAFF) -> list[list[object]]:  # type: ignore[type-arg]
    """A small SurveyMonkey-style export (both header rows, then one row per service) of `staff`'s services."""
    returns = build_returns(staff)
    return [*sm.header_rows(), *sm.export_rows(returns.services, returns.staffing)]


def column(question: str, option: str = "") -> int:
    """The position of a question's column (its option's, when given) in the sample's layout."""
    questions, options = sm.header_rows()
    current = ""
    for position, (q, o) in enumerate(zip(questions, options, strict=True)):
        current = q or current
        if current == question and (not option or o == option):
            return position
    raise AssertionError(f"no column {question!r} / {option!r}")


def letter(position: int) -> str:
    """A column's letters as a spreadsheet shows them."""
    letters, n = "", position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def block(n: int) -> str:
    return sm.Q_BLOCK.replace("{n}", str(n))


def write(
    folder: Path, rows: list[list[object]], name: str = "export-2017.xlsx", mapping: str = ""
) -> tuple[Path, Path]:
    """The export (.xlsx or .csv) and its mapping (the sample's, unless given) in `folder`."""
    path = folder / name
    if name.endswith(".csv"):
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
    else:
        book = Workbook()
        book.active.title = "Sheet"
        for row in rows:
            book.active.append(row)
        book.save(path)
    mapping_path = folder / "mapping.yaml"
    mapping_path.write_text(mapping or sm.mapping_text(name), encoding="utf-8")
    return path, mapping_path


def problems(export: Path, mapping: Path) -> list[str]:
    with pytest.raises(ReturnsError) as refused:
        read_export(export, mapping)
    return [str(p) for p in refused.value.problems if p.severity == "error"]


# -- end to end: the shipped sample --------------------------------------------------------------------------


def test_sample_export_imports_to_the_same_store_and_tables_as_the_two_sheet_return(tmp_path: Path) -> None:
    from_export, from_return = tmp_path / "export.db", tmp_path / "return.db"
    result = survey(from_export, "import", str(SAMPLE), "--year", "2017", "--mapping", str(SAMPLE_MAPPING),
                    "--accept-warnings", str(ACKS_2017))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Imported 2017 from online-export-2017.xlsx, online-export-2017.yaml: 365 services, 376 staffing rows, " \
        "5 warning(s) accepted" in plain(result.output)  # fmt: skip
    result = survey(from_return, "import", str(RETURN_2017), "--year", "2017", "--accept-warnings", str(ACKS_2017))
    assert result.exit_code == 0, result.output
    with Store(from_export) as a, Store(from_return) as b:
        for table in ("services", "staffing"):
            ours, theirs = getattr(a, table)(2017), getattr(b, table)(2017)
            pd.testing.assert_frame_equal(ours.drop(columns="provenance"), theirs.drop(columns="provenance"))
        assert list(a.files(2017)["name"]) == ["online-export-2017.xlsx", "online-export-2017.yaml"]
        assert a.file_bytes(2017, "online-export-2017.yaml") == SAMPLE_MAPPING.read_bytes()
    for db in (from_export, from_return):
        assert survey(db, "tables", "2017", "--out", str(tmp_path / db.stem)).exit_code == 0
    written = sorted(p.name for p in (tmp_path / "return").glob("*.csv"))
    assert len(written) > 10
    for name in written:
        assert (tmp_path / "export" / name).read_bytes() == (tmp_path / "return" / name).read_bytes(), name


def test_importing_the_same_export_and_mapping_again_changes_nothing(tmp_path: Path) -> None:
    args = ("import", str(SAMPLE), "--year", "2017", "--mapping", str(SAMPLE_MAPPING), "--accept-warnings",
            str(ACKS_2017))  # fmt: skip
    assert survey(tmp_path / "s.db", *args).exit_code == 0
    again = survey(tmp_path / "s.db", *args)
    assert again.exit_code == 0 and again.output.startswith("unchanged: 2017 already holds exactly these files")


def test_the_generator_made_the_shipped_sample_and_its_mapping(tmp_path: Path) -> None:
    export, mapping = sm.write_export(RETURN_2017, tmp_path)
    assert mapping.read_text(encoding="utf-8") == SAMPLE_MAPPING.read_text(encoding="utf-8")
    ours, shipped = load_workbook(export, read_only=True), load_workbook(SAMPLE, read_only=True)
    assert ours.sheetnames == shipped.sheetnames == ["Sheet", "About"]
    for name in ours.sheetnames:
        assert list(ours[name].values) == list(shipped[name].values), name
    assert "SYNTHETIC" in str(shipped["About"]["A1"].value) and "SurveyMonkey" in str(shipped["About"]["A1"].value)
    assert "SYNTHETIC" in SAMPLE_MAPPING.read_text(encoding="utf-8")


def test_sample_has_surveymonkey_s_two_header_rows() -> None:
    rows = list(load_workbook(SAMPLE, read_only=True)["Sheet"].values)
    assert rows[0][:2] == ("Respondent ID", "Collector ID") and rows[1][0] is None
    where = rows[0].index(sm.Q_WHERE)
    assert rows[0][where + 1] is None  # the question spans its options' columns, as a merged cell
    assert rows[1][where : where + 2] == ("Specialist domestic abuse service", "Police station or police team")


# -- the mapping file, checked on its own ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("services:", "servics:"), "line 8, servics: is not a key here (did you mean services?)"),
        (("  idva_locations:", "  idva_location:"), "services.idva_location: is not a key here (did you mean "
                                                    "idva_locations or idva_cases?)"),
        (("  service_name:", "  # service_name:"), "services: has no service_name: the returns format requires it"),
        (('"214837121": other_source', '"214837121": other sources'), "services.response_mode.values['214837121']: "
                                                                      "'other sources' is not one of online, phone, "
                                                                      "rolled_over, other_source (or blank) (did you "
                                                                      "mean other_source?)"),
        (('"Police station or police team": "Police"', '"Police station or police team": "Polise"'),
         "unknown Idva location 'Polise' (did you mean Police?)"),
        (('Court cases only": court', 'Court cases only": courts'), "'courts' is not one of marac, court, both"),
        (("header_rows: 2", "header_rows: two"), "header_rows: must be 1 (a row of headings) or 2"),
        (("{n} that your", "N that your"), "staffing: the headings name no block number: write {n} where it goes"),
        (('    police_force_area: "Police force area"\n', ""), "staffing.columns: has no police_force_area"),
        (('values: {"Yes": yes, "No": no}', 'values: {"Yes": yes, "Yes": no}'), "Yes: appears twice"),
        (('values: {"Yes": yes, "No": no}', 'values: {"Yes": yes, "YES ": no}'), "values['YES ']: is listed twice"),
        (("  source_note: ", "  source_note: [a, b]\n  x_source_note: "),
         "services.source_note: must be a heading (text) or a mapping of"),
        (("    question: Collector ID", "    value: online\n    question: Collector ID"), "needs one of question"),
    ],
)  # fmt: skip
def test_a_mapping_mistake_is_refused_naming_its_line_and_key(
    tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    text = SAMPLE_MAPPING.read_text(encoding="utf-8")
    assert edit[0] in text
    path = tmp_path / "m.yaml"
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(ReturnsError) as refused:
        load_mapping(path)
    messages = [str(p) for p in refused.value.problems]
    assert any(expected in m for m in messages), messages
    assert all(m.startswith("m.yaml: line ") for m in messages), messages


def test_a_mapping_that_is_not_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("header_rows: 2\nservices: [unclosed\n", encoding="utf-8")
    with pytest.raises(ReturnsError) as refused:
        load_mapping(path)
    (problem,) = refused.value.problems
    assert problem.code == "mapping-not-yaml" and str(problem).startswith("m.yaml: line 3: is not valid YAML")


def test_yaml_words_are_read_as_written_not_as_booleans_or_numbers(tmp_path: Path) -> None:
    text = sm.mapping_text("x.xlsx").replace('values: {"Yes": yes, "No": no}', "values: {Yes: yes, No: no, On: 1}")
    path = tmp_path / "m.yaml"
    path.write_text(text.replace('"214837120": online', "0214837120: online"), encoding="utf-8")
    with pytest.raises(ReturnsError) as refused:  # '1' is not yes or no, and is named as written
        load_mapping(path)
    assert [p.message for p in refused.value.problems] == [
        "line 13, services.employs_practitioners.values['On']: '1' is not one of yes, no (or blank)"
    ]
    path.write_text(text.replace(", On: 1", "").replace('"214837120": online', "0214837120: online"))
    mapping = load_mapping(path)
    assert mapping.services["employs_practitioners"].values == {"yes": "yes", "no": "no"}
    assert "0214837120" in mapping.services["response_mode"].values


# -- headings the export lacks ----------------------------------------------------------------------------------


def test_a_heading_the_export_lacks_gets_a_did_you_mean_from_the_export(tmp_path: Path) -> None:
    mapping = sm.mapping_text("x").replace(sm.Q_NAME, "What is the name of you service", 1)
    mapping = mapping.replace('"Idvas (FTE)"', '"Idva FTE"')
    export, mapping_path = write(tmp_path, grid(), mapping=mapping)
    found = problems(export, mapping_path)
    lines = mapping.splitlines()
    name_line = 1 + next(i for i, line in enumerate(lines) if line.startswith("  service_name:"))
    fte_line = 1 + next(i for i, line in enumerate(lines) if line.startswith("    idva_fte:"))
    assert found == [
        f"mapping.yaml: line {name_line}, services.service_name: the export has no question "
        "'What is the name of you service' (did you mean 'What is the name of your service?'?)",
        f"mapping.yaml: line {fte_line}, staffing.columns.idva_fte: question {block(1)!r} has no option "
        "'Idva FTE' (did you mean 'Idvas (FTE)' or 'Isvas (FTE)'?)",
    ]


def test_a_question_with_several_columns_must_say_which(tmp_path: Path) -> None:
    mapping = sm.mapping_text("x").replace("  service_name: ", f'  service_name: "{block(1)}"\n  x_name: ', 1)
    mapping = mapping.replace("x_name: ", "biggest_difference: ", 1).replace(
        '  biggest_difference: "What makes', '  # biggest_difference: "What makes'
    )
    export, mapping_path = write(tmp_path, grid(), mapping=mapping)
    found = problems(export, mapping_path)
    assert any(f"question {block(1)!r} has 12 columns ('Police force area', " in p and "say which with option" in p
               for p in found), found  # fmt: skip


def test_the_cli_refuses_a_mapping_that_does_not_fit_in_one_red_line_writing_nothing(tmp_path: Path) -> None:
    mapping = sm.mapping_text("x").replace("Custom Data 1", "Custom Data 2")
    export, mapping_path = write(tmp_path, grid(), mapping=mapping)
    result = survey(tmp_path / "s.db", "import", str(export), "--year", "2017", "--mapping", str(mapping_path))
    assert result.exit_code == 1
    err = plain(result.stderr)
    assert "the export has no question 'Custom Data 2' (did you mean 'Custom Data 1'?)" in err
    assert "error: mapping.yaml does not fit export-2017.xlsx: 1 problem(s)" in err
    assert not (tmp_path / "s.db").exists() or Store(tmp_path / "s.db").years() == []


# -- problems named by the export's row and heading ----------------------------------------------------------------


def test_every_problem_names_the_export_row_and_heading_never_the_free_text(tmp_path: Path) -> None:
    rows = grid()
    employs, fte2 = column(sm.Q_EMPLOYS), column(block(2), "Idvas (FTE)")
    area1 = column(block(1), "Police force area")
    high1 = column(block(1), "of which: Idvas working with high-risk victims (FTE)")
    rows[2][fte2] = "two"  # S1, row 3
    rows[3][employs] = "Perhaps"  # S2, row 4
    rows[3][area1] = "Gwentt"
    rows[2][high1] = 9
    export, mapping = write(tmp_path, rows)
    result = survey(tmp_path / "s.db", "import", str(export), "--year", "2017", "--mapping", str(mapping))
    assert result.exit_code == 1
    err = plain(result.stderr)
    assert (f'export-2017.xlsx, sheet Sheet, row 3, column {letter(high1)} "{block(1)} / of which: Idvas working '
            "with high-risk victims (FTE)\": idva_fte_high_risk (9) is more than idva_fte (2.5)") in err  # fmt: skip
    assert f"row 3, column {letter(fte2)} \"{block(2)} / Idvas (FTE)\": idva_fte must be a number, not 'two'" in err
    assert (
        f'row 4, column {letter(employs)} "{sm.Q_EMPLOYS} / Response": employs_practitioners must be yes or no' in err
    )
    assert f"row 4, column {letter(area1)} \"{block(1)} / Police force area\": unknown police force area 'Gwentt' " \
        "(did you mean Gwent" in err  # fmt: skip
    assert SECRET not in result.output
    assert "staffing block" not in err and "sheet staffing" not in err


def empty_text_results(export: Path) -> None:
    """Rewrite the `=IF(...)` formulas of rows 5 to 8 as LibreOffice saves an empty text result: `t="str"`, no value."""
    with zipfile.ZipFile(export) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = re.sub(rb'(<c r="[A-Z]+[5-8]")>(<f>IF)', rb'\1 t="str">\2', parts["xl/worksheets/sheet1.xml"])
    assert sheet.count(b't="str"><f>IF') == 4
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_formulas_saved_without_values_follow_the_return_rule_blank_text_read_others_refused(tmp_path: Path) -> None:
    """LibreOffice saves `=IF(A5="","",...)` in unused rows as an empty text result: blank cells, as in a return's
    workbook; a formula saved with no value at all on a respondent's row is refused, named by row and heading."""
    rows = grid()
    fte1 = column(block(1), "Idvas (FTE)")
    rows[2][fte1] = "=C3-0.5"  # S1's Idva FTE, saved by openpyxl (which does not calculate) with no value
    for number in range(5, 9):  # template rows below the respondents
        rows.append([None] * fte1 + [f'=IF(A{number}="","",1)'])
    export, mapping = write(tmp_path, rows)
    empty_text_results(export)
    found = problems(export, mapping)
    assert found == [
        f'export-2017.xlsx, sheet Sheet, row 3, column {letter(fte1)} "{block(1)} / Idvas (FTE)": idva_fte holds a '
        "formula with no calculated value (the file was saved by a program that does not calculate formulas): open "
        "it in Excel and save it again"
    ]
    rows[2][fte1] = 2.5  # with S1's figure typed, the empty text results below are read as the blanks they are
    export, mapping = write(tmp_path, rows)
    empty_text_results(export)
    read = read_export(export, mapping)
    assert read.services["service_id"].tolist() == ["S1", "S2"]
    assert read.staffing["idva_fte"].tolist()[0] == 2.5


def test_a_figure_mapped_to_a_free_text_column_is_refused_without_showing_the_text(tmp_path: Path) -> None:
    question = sm.Q_TEXT["biggest_difference"]
    mapping = sm.mapping_text("export-2017.xlsx").replace(f'  biggest_difference: "{question}"\n', "")
    free_text = f'{{question: "{question}", option: {sm.OPEN}}}'
    mapping = mapping.replace('    idva_fte: "Idvas (FTE)"', f"    idva_fte: {free_text}")
    mapping = mapping.replace("  columns:\n    police_force_area:", "  blocks: 1\n  columns:\n    police_force_area:")
    rows = grid()
    rows[3][column(question)] = "Refuge"  # a short answer may be shown, as any short cell is
    export, mapping_path = write(tmp_path, rows, mapping=mapping)
    result = survey(tmp_path / "s.db", "import", str(export), "--year", "2017", "--mapping", str(mapping_path))
    assert result.exit_code == 1, result.output
    err = plain(result.stderr)
    where = f'column {letter(column(question))} "{question} / {sm.OPEN}"'
    assert f"row 3, {where}: idva_fte must be a number, not a text of {len(SECRET)} characters (not shown)" in err
    assert f"row 4, {where}: idva_fte must be a number, not 'Refuge'" in err
    assert SECRET not in result.output and SECRET[:12] not in result.output


def test_one_area_in_two_blocks_names_both_blocks(tmp_path: Path) -> None:
    rows = grid()
    rows[2][column(block(2), "Police force area")] = "Cumbria Constabulary"
    export, mapping = write(tmp_path, rows)
    (found,) = problems(export, mapping)
    area1, area2 = (column(block(n), "Police force area") for n in (1, 2))
    assert found.startswith(f'export-2017.xlsx, sheet Sheet, row 3, column {letter(area2)} "{block(2)} / Police')
    assert f"service 'S1' gives Cumbria in two blocks, {letter(area1)} \"{block(1)} / Police force area\" and " \
        f"{letter(area2)}" in found  # fmt: skip


def test_a_respondent_who_employs_practitioners_but_fills_no_block_is_refused(tmp_path: Path) -> None:
    rows = grid()
    for name in sm.STAFF.values():
        rows[3][column(block(1), name)] = ""
    export, mapping = write(tmp_path, rows)
    found = problems(export, mapping)
    assert found == [f'export-2017.xlsx, sheet Sheet, row 4, column {letter(column(sm.Q_EMPLOYS))} '
                     f'"{sm.Q_EMPLOYS} / Response": service \'S2\' says it employs practitioners but has no rows in '
                     "the staffing table"]  # fmt: skip


def test_a_warning_names_the_export_row_and_is_acknowledged_by_service(tmp_path: Path) -> None:
    rows = grid([("S1", "Cumbria", {"idva_headcount": 1, "idva_fte": 1.5})])
    export, mapping = write(tmp_path, rows)
    (warning,) = read_export(export, mapping).warnings
    assert warning.code == "fte-above-headcount" and warning.service_id == "S1" and warning.row == 3
    assert warning.column == f'{letter(column(block(1), "Idvas (FTE)"))} "{block(1)} / Idvas (FTE)"'


def test_a_repaired_figure_is_noted_by_the_export_row_and_heading(tmp_path: Path) -> None:
    rows = grid()
    rows[3][column(block(1), "Refuge workers (FTE)")] = "4 FTE"
    export, mapping = write(tmp_path, rows, name="export-2017.csv")
    returns = read_export(export, mapping)
    assert returns.staffing.loc[returns.staffing["service_id"] == "S2", "refuge_fte"].tolist() == [4.0]
    where = letter(column(block(1), "Refuge workers (FTE)"))
    note = f"export-2017.csv, row 4, column {where} \"{block(1)} / Refuge workers (FTE)\": read '4 FTE' as 4 (its unit)"
    assert note in returns.repairs


# -- multi-choice answers, blocks and one-row exports --------------------------------------------------------------

ONE_ROW_JOINED = [
    ["Timestamp", "Service id", "Service name", "Do you employ practitioners?", "Where are your Idvas based?",
     "Area 1: police force area", "Area 1: Idva FTE", "Area 2: police force area", "Area 2: Idva FTE"],
    ["2017-09-18 10:00", "S1", "Fellside Aid", "Yes", "Police, Hospital, A&E, Other", "Cumbria", "2", "Lancashire",
     "1"],
    ["2017-09-18 11:00", "S2", "Valley Refuge", "No", "", "Gwent", "", "", ""],
]  # fmt: skip
ONE_ROW_MAPPING = """\
header_rows: 1
services:
  service_id: Service id
  service_name: Service name
  employs_practitioners: Do you employ practitioners?
  idva_locations: {locations}
staffing:
  columns:
    police_force_area: "Area {{n}}: police force area"
    idva_fte: "Area {{n}}: Idva FTE"
"""
JOINED = """
    question: Where are your Idvas based?
    separator: ", "
    values: {"Hospital, A&E": "Health: A&E"}"""
COLUMNS = """
    options:
      "Where are your Idvas based? [Police]": Police
      "Where are your Idvas based? [Hospital, A&E]": "A&E"
      "Where are your Idvas based? [Other]": Other"""


def test_multi_choice_joined_in_one_cell_and_one_column_per_option_read_alike(tmp_path: Path) -> None:
    joined, joined_mapping = write(
        tmp_path, ONE_ROW_JOINED, "joined-2017.csv", ONE_ROW_MAPPING.format(locations=JOINED)
    )
    one_row = [r[:4] + r[5:] for r in ONE_ROW_JOINED]
    one_row[0][4:4] = ["Where are your Idvas based? [Police]", "Where are your Idvas based? [Hospital, A&E]",
                       "Where are your Idvas based? [Other]"]  # fmt: skip
    one_row[1][4:4], one_row[2][4:4] = ["Police", "Hospital, A&E", "1"], ["", "", "0"]
    (tmp_path / "columns").mkdir()
    columns, columns_mapping = write(tmp_path / "columns", one_row, "columns-2017.csv",
                                     ONE_ROW_MAPPING.format(locations=COLUMNS))  # fmt: skip
    a, b = read_export(joined, joined_mapping), read_export(columns, columns_mapping)
    pd.testing.assert_frame_equal(a.services, b.services)
    pd.testing.assert_frame_equal(a.staffing, b.staffing)
    assert a.services["idva_locations"].tolist() == ["Police; Other; Health: A&E", ""]
    assert a.staffing[["service_id", "police_force_area", "idva_fte"]].values.tolist() == [
        ["S1", "Cumbria", 2.0], ["S1", "Lancashire", 1.0], ["S2", "Gwent", 0.0]
    ]  # fmt: skip


def test_an_unknown_answer_in_a_joined_cell_gets_the_normal_did_you_mean(tmp_path: Path) -> None:
    rows = [list(r) for r in ONE_ROW_JOINED]
    rows[1][4] = "Police, Courtz"
    export, mapping = write(tmp_path, rows, "joined-2017.csv", ONE_ROW_MAPPING.format(locations=JOINED))
    assert problems(export, mapping) == [
        "joined-2017.csv, row 2, column E \"Where are your Idvas based?\": unknown Idva location 'Courtz' "
        "(did you mean Courts?)"
    ]


def test_a_single_answer_from_option_columns_refuses_two_ticks(tmp_path: Path) -> None:
    rows = [["Service id", "Service name", "Employs: yes", "Employs: no", "Area 1"],
            ["S1", "Fellside Aid", "x", "x", "Cumbria"], ["S2", "Valley Refuge", "", "x", "Gwent"]]  # fmt: skip
    mapping = ONE_ROW_MAPPING.format(locations="{value: Police}").replace(
        "employs_practitioners: Do you employ practitioners?",
        'employs_practitioners:\n    options: {"Employs: yes": yes, "Employs: no": no}',
    )
    mapping = mapping.replace('"Area {n}: police force area"', '"Area {n}"').replace(
        '    idva_fte: "Area {n}: Idva FTE"\n', ""
    )
    export, mapping_path = write(tmp_path, rows, "x-2017.csv", mapping)
    assert problems(export, mapping_path) == [
        'x-2017.csv, row 2, column C-D "Employs: yes, ...": employs_practitioners takes one answer, but 2 are ticked '
        "(yes, no)"
    ]


def test_blocks_counted_given_or_listed_read_alike(tmp_path: Path) -> None:
    counted = ONE_ROW_MAPPING.format(locations="{value: Police}")
    given = counted.replace("staffing:\n", "staffing:\n  blocks: 2\n")
    listed = counted.split("staffing:")[0] + (
        "staffing:\n  blocks:\n"
        '    - columns: {police_force_area: "Area 1: police force area", idva_fte: "Area 1: Idva FTE"}\n'
        '    - columns: {police_force_area: "Area 2: police force area", idva_fte: "Area 2: Idva FTE"}\n'
    )
    frames = []
    for n, mapping in enumerate((counted, given, listed)):
        (tmp_path / str(n)).mkdir()
        frames.append(read_export(*write(tmp_path / str(n), ONE_ROW_JOINED, "x-2017.csv", mapping)).staffing)
    assert len(frames[0]) == 3
    pd.testing.assert_frame_equal(frames[0], frames[1])
    pd.testing.assert_frame_equal(frames[0], frames[2])
    too_many = counted.replace("staffing:\n", "staffing:\n  blocks: 3\n")
    (tmp_path / "3").mkdir()
    found = problems(*write(tmp_path / "3", ONE_ROW_JOINED, "x-2017.csv", too_many))
    assert any("staffing.columns.police_force_area: the export has no heading 'Area 3: police force area'" in p
               for p in found), found  # fmt: skip


def test_a_question_row_mapping_on_a_one_row_export_is_refused(tmp_path: Path) -> None:
    mapping = sm.mapping_text("x").replace("header_rows: 2", "header_rows: 1")
    path = tmp_path / "m.yaml"
    path.write_text(mapping, encoding="utf-8")
    with pytest.raises(ReturnsError) as refused:
        load_mapping(path)
    assert any("staffing.question: an export with one header row has no questions over its columns" in str(p)
               for p in refused.value.problems)  # fmt: skip


def test_read_returns_of_the_two_sheet_return_is_what_the_sample_was_made_from() -> None:
    a, b = read_export(SAMPLE, SAMPLE_MAPPING), read_returns(RETURN_2017)
    pd.testing.assert_frame_equal(a.services, b.services)
    pd.testing.assert_frame_equal(a.staffing, b.staffing)
    assert [(w.code, w.service_id, w.police_force_area) for w in a.warnings] == [
        (w.code, w.service_id, w.police_force_area) for w in b.warnings
    ]


def test_the_mapping_example_in_responses_readme_is_a_valid_mapping(tmp_path: Path) -> None:
    text = (ROOT / "responses" / "README.md").read_text(encoding="utf-8")
    example = re.search(r"### The mapping file\n\n```yaml\n(.*?)```", text, re.S)
    assert example is not None
    path = tmp_path / "example.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    mapping = load_mapping(path)
    assert mapping.header_rows == 2 and mapping.repeat == 4
    assert mapping.services["response_mode"].value == "online"
    assert dict(mapping.services["idva_cases"].values) == {
        "marac cases only": "marac", "court cases only": "court", "both": "both"
    }  # fmt: skip
    assert [t for _, t in mapping.services["idva_locations"].options] == ["Police", "Health: A&E", "Other"]


def test_load_toml_may_name_a_mapping_for_its_returns(tmp_path: Path) -> None:
    folder = tmp_path / "2017"
    folder.mkdir()
    export, mapping = write(folder, grid())
    (folder / "load.toml").write_text(
        f'year = 2017\nreturns = "{export.name}"\nmapping = "{mapping.name}"\n', encoding="utf-8"
    )
    result = survey(tmp_path / "s.db", "load", str(folder))
    assert result.exit_code == 0, result.output
    with Store(tmp_path / "s.db") as store:
        assert store.services(2017)["service_id"].tolist() == ["S1", "S2"]
        assert len(store.staffing(2017)) == 3


def test_a_qualtrics_style_export_reads_its_headings_from_row_2_and_respondents_from_row_4(tmp_path: Path) -> None:
    headings = ONE_ROW_JOINED[0]
    rows = [
        [f"Q{i}" for i in range(len(headings))],
        headings,
        [f'{{"ImportId":"QID{i}"}}' for i in range(len(headings))],
        *ONE_ROW_JOINED[1:],
        ["2017-09-19 09:00", "S3", "Moor Advice", "Yes", "", "Durham", "many", "", ""],
    ]
    mapping = "heading_row: 2\nfirst_data_row: 4\n" + ONE_ROW_MAPPING.format(locations=JOINED)
    export, mapping_path = write(tmp_path, rows, "qualtrics-2017.csv", mapping)
    assert problems(export, mapping_path) == [
        "qualtrics-2017.csv, row 6, column G \"Area 1: Idva FTE\": idva_fte must be a number, not 'many'"
    ]
    rows.pop()
    export, mapping_path = write(tmp_path, rows, "qualtrics-2017.csv", mapping)
    assert read_export(export, mapping_path).services["service_id"].tolist() == ["S1", "S2"]
    mapping_path.write_text(mapping.replace("first_data_row: 4", "first_data_row: 2"), encoding="utf-8")
    with pytest.raises(ReturnsError) as refused:
        load_mapping(mapping_path)
    assert [p.message for p in refused.value.problems] == [
        "line 2, first_data_row: must be below the heading rows (row 3 or later)"
    ]


KEYS = st.sampled_from(
    ["header_rows", "heading_row", "first_data_row", "sheet", "services", "staffing", "service_id", "service_name",
     "employs_practitioners", "idva_locations", "response_mode", "question", "option", "options", "values",
     "separator", "value", "columns", "blocks", "police_force_area", "idva_fte", "1", "{n}", "Yes", ""]
)  # fmt: skip
DOCUMENTS = st.recursive(
    st.one_of(st.text(max_size=8), KEYS, st.sampled_from(["2", "4", "Area {n}", "Police", "yes", "online"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=6)),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(document=DOCUMENTS)
def test_any_yaml_document_is_a_mapping_or_refused_by_line_never_a_crash(tmp_path: Path, document: object) -> None:
    path = tmp_path / "m.yaml"  # the one file, rewritten by each example
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    try:
        mapping = load_mapping(path)
    except ReturnsError as refused:
        assert refused.problems
        assert all(re.match(r"m\.yaml: line \d+", str(p)) for p in refused.problems), refused.problems
    else:
        assert {"service_id", "service_name", "employs_practitioners"} <= set(mapping.services)
        assert mapping.blocks and all("police_force_area" in b.columns for b in mapping.blocks)


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return [_plain(v) for v in value] if isinstance(value, list) else value


def _paths(value: object, at: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    inner = [p for k, v in value.items() for p in _paths(v, (*at, k))] if isinstance(value, dict) else []
    return [at, *inner]


SAMPLE_DOCUMENT = _plain(parse_yaml(SAMPLE_MAPPING.read_text(encoding="utf-8"))[0])
SAMPLE_PATHS = _paths(SAMPLE_DOCUMENT)[1:]


@settings(max_examples=150, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(where=st.sampled_from(SAMPLE_PATHS), replacement=DOCUMENTS, drop=st.booleans())
def test_the_sample_mapping_with_any_part_replaced_loads_or_is_refused_by_line(
    tmp_path: Path, where: tuple[str, ...], replacement: object, drop: bool
) -> None:
    document = copy.deepcopy(SAMPLE_DOCUMENT)
    parent = document
    for key in where[:-1]:
        parent = parent[key]  # type: ignore[index]
    if drop:
        del parent[where[-1]]  # type: ignore[attr-defined]
    else:
        parent[where[-1]] = replacement  # type: ignore[index]
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, width=1000), encoding="utf-8")
    try:
        load_mapping(path)
    except ReturnsError as refused:
        assert refused.problems
        assert all(re.match(r"m\.yaml: line \d+", str(p)) for p in refused.problems), refused.problems


def inflated_workbook(book: Path, part: str, padding: int) -> Path:
    """`book` rewritten with `padding` MiB of spaces (which XML allows between elements) before the end of `part`,
    deflated as a zip tool would: 1 MiB of spaces deflates to about 1 KB, so 3 GiB of padding makes a 3 MB file.

    Each MiB is compressed once and its bytes repeated (a full flush makes every MiB's output the same), and the
    CRC of the repeats is found from how one MiB transforms it, so the file is made in well under a second."""
    mib = b" " * 2**20
    with zipfile.ZipFile(book) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    start, end = parts[part].rsplit(b"</", 1)
    end = b"</" + end
    out, directory = io.BytesIO(), io.BytesIO()
    for name, xml in parts.items():
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        if name != part:
            data, crc, size = packer.compress(xml) + packer.flush(), zlib.crc32(xml), len(xml)
        else:
            head = packer.compress(start) + packer.flush(zlib.Z_FULL_FLUSH)
            one = packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH)
            again = packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH)
            assert one == again  # so the repeats are a true deflate stream of the padding
            data = head + one * padding + packer.compress(end) + packer.flush()
            base = zlib.crc32(mib)
            shift = [zlib.crc32(mib, 1 << bit) ^ base for bit in range(32)]  # crc32(mib, c) = M·c ^ base
            crc = zlib.crc32(start)
            for _ in range(padding):
                crc = functools.reduce(operator.xor, (s for bit, s in enumerate(shift) if crc >> bit & 1), base)
            crc, size = zlib.crc32(end, crc), len(start) + padding * len(mib) + len(end)
        fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(name.encode()), 0)
        offset = out.tell()
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields) + name.encode() + data)
        directory.write(struct.pack("<4sH", b"PK\x01\x02", 20) + struct.pack("<HHHHHIIIHH", *fields)[:26])
        directory.write(struct.pack("<HHHII", 0, 0, 0, 0, offset) + name.encode())
    end_record = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(parts), len(parts), directory.tell(),
                             out.tell(), 0)  # fmt: skip
    book.write_bytes(out.getvalue() + directory.getvalue() + end_record)
    return book


def test_a_3_mb_export_that_inflates_to_3_gib_is_refused_by_import_before_anything_is_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export, mapping = write(tmp_path, grid())
    inflated_workbook(export, "xl/worksheets/sheet1.xml", 3 * 1024)
    assert 2_500_000 < export.stat().st_size < 4_000_000
    with zipfile.ZipFile(export) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 3 * 2**30
        with archive.open("xl/worksheets/sheet1.xml") as sheet:
            assert sheet.read(2**20).startswith(b"<worksheet")  # a real workbook: its sheet unpacks
    from practitioner_survey.returns import workbook

    monkeypatch.setattr(workbook, "openpyxl", None)  # any parsing of the workbook would fail
    db = tmp_path / "survey.db"
    result = survey(db, "import", str(export), "--year", "2017", "--mapping", str(mapping))
    assert result.exit_code == 1, result.output
    assert re.search(r"export-2017\.xlsx would unpack to 3,221,\d{3},\d{3} bytes, more than the 268,435,456 it may "
                     r"\(a damaged file, or a zip bomb\?\): it was not read", plain(result.output))  # fmt: skip
    assert not db.exists() or not Store(db).years()


def test_an_export_sheet_reaching_a_million_rows_down_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = grid()
    export, mapping = write(tmp_path, rows)
    book = load_workbook(export)
    book["Sheet"]["A1048576"] = "stray"  # 78 columns of headings: a grid of 81 million cells
    book.save(export)
    (found,) = problems(export, mapping)
    assert found.startswith("export-2017.xlsx, sheet Sheet: sheet 'Sheet' has cells out to row 1,048,576"), found


def test_a_stray_cell_far_right_of_the_headings_does_not_widen_the_rows(tmp_path: Path) -> None:
    export, mapping = write(tmp_path, grid())
    book = load_workbook(export)
    book["Sheet"]["XFD3"] = "stray"
    book.save(export)
    sheet = exportsheet.read_export_sheet(export.name, export.read_bytes(), load_mapping(mapping), Log())
    assert sheet is not None
    assert {len(row) for row in sheet.rows} == {len(sm.header_rows()[1])}
    assert read_export(export, mapping).services["service_id"].tolist() == ["S1", "S2"]
