"""Reading a year's returns: workbook, CSV pair or folder in; validated tables or every problem, located."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from practitioner_survey.errors import Problem, ReturnsError
from practitioner_survey.returns import archive as archive_module
from practitioner_survey.returns import schema
from practitioner_survey.returns.archive import scan_sheet
from practitioner_survey.returns.cells import quoted
from practitioner_survey.returns.csvfile import decode_text
from practitioner_survey.returns.validate import Returns, ack_key, read_acknowledgements, read_returns

Rows = Sequence[Mapping[str, object]]


def service(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "service_id": "S1",
        "service_name": "Northshire Women’s Aid",
        "employs_practitioners": "yes",
        "response_mode": "online",
        "source_note": "",
        "idva_cases": "both",
        "idva_locations": "Police; Courts",
        "biggest_difference": "Being believed.",
        "survivor_challenges": "",
        "other_comments": "",
    }
    return row | changes


def staff(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {"service_id": "S1", "police_force_area": "Thames Valley", "idva_headcount": 3}
    row |= dict.fromkeys(schema.FTE_COLUMNS, 0) | {"idva_fte": 2.5, "idva_fte_high_risk": 2, "volunteers": 1}
    return row | changes


def _header(rows: Rows) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


def write_workbook(
    path: Path,
    services: Rows | None,
    staffing: Rows | None,
    sheets: tuple[str, str] = ("services", "staffing"),
) -> Path:
    """An .xlsx with one sheet per table; a None in place of a table leaves that sheet out."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in zip(sheets, (services, staffing), strict=True):
        if rows is None:
            continue
        sheet = book.create_sheet(name)
        header = _header(rows)
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(column) for column in header])
    book.save(path)
    return path


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8") -> Path:
    header = _header(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if row.get(c) is None else row.get(c) for c in header] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_csvs(folder: Path, services: Rows, staffing: Rows, encoding: str = "utf-8") -> Path:
    folder.mkdir(exist_ok=True)
    write_csv(folder / "services.csv", services, encoding)
    write_csv(folder / "staffing.csv", staffing, encoding)
    return folder


def refused(path: Path) -> list[Problem]:
    with pytest.raises(ReturnsError) as caught:
        read_returns(path)
    return caught.value.problems


def only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, f"expected one {code}, got {problems}"
    return found[0]


def located(problem: Problem) -> tuple[str, str, int | None, str]:
    return (problem.file, problem.sheet, problem.row, problem.column)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return tmp_path / "returns-2017.xlsx"


# --- clean returns ------------------------------------------------------------------------------------------


def test_clean_workbook_gives_both_tables_with_schema_columns_and_types(book: Path) -> None:
    services = [service(), service(service_id="S2", employs_practitioners="no", idva_locations="")]
    staffing = [
        staff(),
        staff(police_force_area="Hampshire", idva_headcount=1, idva_fte=1, idva_fte_high_risk=0),
    ]
    returns = read_returns(write_workbook(book, services, staffing))

    assert isinstance(returns, Returns)
    assert list(returns.services.columns) == list(schema.SERVICES_COLUMNS)
    assert list(returns.staffing.columns) == list(schema.STAFFING_COLUMNS)
    assert returns.services["employs_practitioners"].tolist() == [True, False]
    assert returns.services["service_name"].iloc[0] == "Northshire Women’s Aid"
    assert returns.staffing["police_force_area"].tolist() == ["Thames Valley", "Hampshire"]
    assert returns.staffing["idva_headcount"].dtype == "int64"
    assert returns.staffing["volunteers"].dtype == "int64"
    assert all(returns.staffing[c].dtype == "float64" for c in schema.FTE_COLUMNS)
    assert returns.staffing["idva_fte"].tolist() == [2.5, 1.0]
    assert returns.warnings == []
    assert [f.name for f in returns.files] == [book.name]
    assert returns.files[0].data == book.read_bytes()


def test_clean_csv_pair_is_found_from_either_file_and_kept_byte_for_byte(tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "2017", [service()], [staff()])
    from_services = read_returns(folder / "services.csv")
    from_staffing = read_returns(folder / "staffing.csv")

    assert [f.name for f in from_services.files] == ["services.csv", "staffing.csv"]
    assert from_services.files[1].data == (folder / "staffing.csv").read_bytes()
    assert from_services.checksum == from_staffing.checksum
    pd.testing.assert_frame_equal(from_services.staffing, from_staffing.staffing)
    assert from_services.staffing["idva_fte"].tolist() == [2.5]


def test_folder_holding_a_workbook_or_a_csv_pair_is_read(tmp_path: Path) -> None:
    (tmp_path / "book").mkdir()
    write_workbook(tmp_path / "book" / "Returns 2017.xlsx", [service()], [staff()])
    write_csvs(tmp_path / "csvs", [service()], [staff()])

    from_book = read_returns(tmp_path / "book")
    from_csvs = read_returns(tmp_path / "csvs")

    assert [f.name for f in from_book.files] == ["Returns 2017.xlsx"]
    pd.testing.assert_frame_equal(from_book.services, from_csvs.services)
    pd.testing.assert_frame_equal(from_book.staffing, from_csvs.staffing)


def test_folder_with_nothing_to_read_is_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here")
    assert only(refused(tmp_path), "missing-file").file == tmp_path.name


def test_headers_and_sheet_names_are_matched_forgivingly_and_extra_columns_ignored(book: Path) -> None:
    services = [{"Service ID": "S1", "Service Name": "A", "EMPLOYS-PRACTITIONERS": "Y", "Notes to self": "x"}]
    staffing = [
        {
            "service-id": "S1",
            "Police Force Area": "thames valley police",
            "IDVA Headcount": 2,
            "IDVA FTE": 1.5,
            "IDVA FTE High Risk": 1.0,
            " volunteers ": 4,
        }
    ]
    returns = read_returns(write_workbook(book, services, staffing, sheets=("Services", "STAFFING")))

    assert returns.services["service_id"].tolist() == ["S1"]
    assert returns.services["employs_practitioners"].tolist() == [True]
    row = returns.staffing.iloc[0]
    assert (row["police_force_area"], row["idva_headcount"], row["idva_fte"]) == ("Thames Valley", 2, 1.5)
    assert (row["idva_fte_high_risk"], row["volunteers"]) == (1.0, 4)


def test_missing_optional_columns_read_as_blank_or_zero_with_a_repair_note(book: Path) -> None:
    services = [{"service_id": "S1", "service_name": "A", "employs_practitioners": "yes"}]
    staffing = [{"service_id": "S1", "police_force_area": "Kent", "idva_headcount": 1, "idva_fte": 1}]
    returns = read_returns(write_workbook(book, services, staffing))

    assert returns.services.iloc[0]["response_mode"] == ""
    assert returns.services.iloc[0]["other_comments"] == ""
    assert returns.staffing.iloc[0]["refuge_fte"] == 0.0
    assert returns.staffing.iloc[0]["volunteers"] == 0
    assert any("staffing has no column refuge_fte; read as 0" in note for note in returns.repairs)


def test_blank_numeric_cells_are_zero_and_empty_rows_are_skipped(book: Path) -> None:
    services = [service(), {}, service(service_id="S2")]
    staffing = [staff(outreach_fte=None, volunteers=None), {}, staff(service_id="S2")]
    returns = read_returns(write_workbook(book, services, staffing))

    assert returns.services["service_id"].tolist() == ["S1", "S2"]
    assert returns.staffing[["outreach_fte", "volunteers"]].iloc[0].tolist() == [0, 0]


def test_row_numbers_count_skipped_empty_rows_as_the_spreadsheet_shows_them(tmp_path: Path) -> None:
    folder = write_csvs(tmp_path, [service(), {}, service(service_id="S2", employs_practitioners="maybe")], [staff()])
    assert only(refused(folder), "bad-yes-no").row == 4


def test_row_numbers_count_records_not_lines_when_an_answer_spans_lines(tmp_path: Path) -> None:
    services = [
        service(other_comments="line one\nline two\nline three"),
        service(service_id="S2", idva_cases="?"),
    ]
    problem = only(refused(write_csvs(tmp_path, services, [staff(), staff(service_id="S2")])), "bad-idva-cases")
    assert (problem.row, problem.service_id) == (3, "S2")


def test_workbook_numbers_and_ids_stored_as_numbers_read_as_written(book: Path) -> None:
    services = [service(service_id=101)]
    staffing = [staff(service_id=101, idva_headcount=3.0, idva_fte=0.1 + 0.2, idva_fte_high_risk=0)]
    returns = read_returns(write_workbook(book, services, staffing))

    assert returns.services["service_id"].tolist() == ["101"]
    assert returns.staffing["service_id"].tolist() == ["101"]
    assert returns.staffing["idva_headcount"].tolist() == [3]
    assert returns.staffing["idva_fte"].iloc[0] == pytest.approx(0.3)


def test_free_text_is_kept_exactly_as_written(tmp_path: Path) -> None:
    answer = "  Being believed.\nAnd “heard” — £5 a week.  "
    folder = write_csvs(tmp_path, [service(biggest_difference=answer)], [staff()])
    returns = read_returns(folder)
    assert returns.services.iloc[0]["biggest_difference"] == answer
    assert returns.services.iloc[0]["survivor_challenges"] == ""


@pytest.mark.parametrize(("written", "expected"), [("Y", True), ("no", False), ("TRUE", True), ("0", False)])
def test_employs_practitioners_accepts_yes_no_words(tmp_path: Path, written: str, expected: bool) -> None:
    nobody = staff(idva_fte=0, idva_headcount=0, idva_fte_high_risk=0)
    folder = write_csvs(tmp_path, [service(employs_practitioners=written)], [nobody])
    assert read_returns(folder).services["employs_practitioners"].tolist() == [expected]


def test_keywords_are_read_forgivingly(book: Path) -> None:
    services = [service(response_mode="Rolled over", idva_cases="MARAC")]
    returns = read_returns(write_workbook(book, services, [staff()]))
    assert returns.services.iloc[0][["response_mode", "idva_cases"]].tolist() == ["rolled_over", "marac"]


def test_idva_locations_are_canonicalised_in_schema_order(book: Path) -> None:
    written = "a and e; POLICE;Local authority - MASH;Health:A&E; ; specialist domestic abuse service"
    returns = read_returns(write_workbook(book, [service(idva_locations=written)], [staff()]))
    assert returns.services.iloc[0]["idva_locations"] == (
        "Specialist Domestic Abuse Service; Police; Health: A&E; Local Authority: MASH"
    )


# --- numbers ------------------------------------------------------------------------------------------------


def test_fte_written_with_its_unit_is_read_and_noted_as_a_repair(tmp_path: Path) -> None:
    folder = write_csvs(tmp_path, [service()], [staff(idva_fte="1.5 FTE", refuge_fte="2fte", idva_fte_high_risk=1)])
    returns = read_returns(folder)
    assert returns.staffing.iloc[0][["idva_fte", "refuge_fte"]].tolist() == [1.5, 2.0]
    assert any("row 2" in note and "'1.5 FTE' as 1.5" in note for note in returns.repairs)
    assert any("'2fte' as 2" in note for note in returns.repairs)


def test_counts_accept_thousands_separators(tmp_path: Path) -> None:
    returns = read_returns(write_csvs(tmp_path, [service()], [staff(volunteers="1,234")]))
    assert returns.staffing.iloc[0]["volunteers"] == 1234


def test_import_refuses_negative_fte_and_names_the_cell(book: Path) -> None:
    problem = only(refused(write_workbook(book, [service()], [staff(outreach_fte=-1)])), "negative-value")
    assert located(problem) == (book.name, "staffing", 2, "outreach_fte")
    assert (problem.severity, problem.service_id, problem.police_force_area) == (
        "error",
        "S1",
        "Thames Valley",
    )


def test_import_refuses_text_in_a_number_cell_and_quotes_it(book: Path) -> None:
    problem = only(refused(write_workbook(book, [service()], [staff(idva_fte="two and a half")])), "not-a-number")
    assert located(problem) == (book.name, "staffing", 2, "idva_fte")
    assert "'two and a half'" in problem.message


@pytest.mark.parametrize("written", ["1,5", "1.5 people", "nan", "1e3", "£2"])
def test_ambiguous_numbers_are_not_guessed(tmp_path: Path, written: str) -> None:
    problem = only(refused(write_csvs(tmp_path, [service()], [staff(children_fte=written)])), "not-a-number")
    assert (problem.column, problem.row) == ("children_fte", 2)


def test_a_decimal_comma_in_a_file_of_decimal_points_says_what_it_may_mean(tmp_path: Path) -> None:
    problem = only(refused(write_csvs(tmp_path, [service()], [staff(children_fte="1,5")])), "not-a-number")
    assert "a decimal comma where this file's numbers have decimal points: is it 1.5?" in problem.message


def test_import_refuses_half_a_person_in_a_headcount(book: Path) -> None:
    problem = only(refused(write_workbook(book, [service()], [staff(idva_headcount=2.5)])), "not-a-whole-number")
    assert located(problem) == (book.name, "staffing", 2, "idva_headcount")
    assert "2.5" in problem.message


def test_import_refuses_more_high_risk_fte_than_idva_fte_on_a_row(book: Path) -> None:
    problems = refused(write_workbook(book, [service()], [staff(idva_fte=1, idva_fte_high_risk=1.5)]))
    assert located(only(problems, "high-risk-above-fte")) == (book.name, "staffing", 2, "idva_fte_high_risk")


# --- errors in the services table ---------------------------------------------------------------------------


def test_missing_sheet_is_named(book: Path) -> None:
    problem = only(refused(write_workbook(book, [service()], None)), "missing-sheet")
    assert (problem.file, problem.sheet, problem.severity) == (book.name, "staffing", "error")


def test_csv_without_its_sibling_is_a_missing_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "services.csv", [service()])
    problem = only(refused(path), "missing-file")
    assert (problem.file, problem.sheet) == ("staffing.csv", "staffing")


def test_missing_required_column_is_named_with_its_sheet(book: Path) -> None:
    services = [{k: v for k, v in service().items() if k != "employs_practitioners"}]
    problem = only(refused(write_workbook(book, services, [staff()])), "missing-column")
    assert located(problem) == (book.name, "services", 1, "employs_practitioners")


def test_blank_service_id_is_refused(book: Path) -> None:
    problems = refused(write_workbook(book, [service(), service(service_id=" ")], [staff()]))
    assert located(only(problems, "blank-service-id")) == (book.name, "services", 3, "service_id")


def test_duplicate_service_id_names_both_rows(book: Path) -> None:
    problems = refused(write_workbook(book, [service(), service(service_name="B")], [staff()]))
    problem = only(problems, "duplicate-service-id")
    assert located(problem) == (book.name, "services", 3, "service_id")
    assert "rows 2 and 3" in problem.message and problem.service_id == "S1"


@pytest.mark.parametrize(
    ("column", "written", "code"),
    [
        ("employs_practitioners", "sometimes", "bad-yes-no"),
        ("employs_practitioners", "", "bad-yes-no"),
        ("response_mode", "by pigeon", "bad-response-mode"),
        ("idva_cases", "all", "bad-idva-cases"),
    ],
)
def test_values_outside_the_allowed_words_are_refused(book: Path, column: str, written: str, code: str) -> None:
    problem = only(refused(write_workbook(book, [service(**{column: written})], [staff()])), code)
    assert located(problem) == (book.name, "services", 2, column)
    assert problem.service_id == "S1"


def test_unknown_idva_location_suggests_the_nearest(book: Path) -> None:
    problems = refused(write_workbook(book, [service(idva_locations="Police; Housing Asociation")], [staff()]))
    problem = only(problems, "unknown-idva-location")
    assert located(problem) == (book.name, "services", 2, "idva_locations")
    assert "'Housing Asociation'" in problem.message and "did you mean Housing Association?" in problem.message


def test_service_employing_practitioners_needs_staffing_rows(book: Path) -> None:
    problems = refused(write_workbook(book, [service(), service(service_id="S2")], [staff()]))
    problem = only(problems, "no-staffing-rows")
    assert located(problem) == (book.name, "services", 3, "employs_practitioners")
    assert problem.service_id == "S2"


# --- errors in the staffing table ---------------------------------------------------------------------------


def test_staffing_row_for_a_service_not_in_services_is_refused(tmp_path: Path) -> None:
    problem = only(refused(write_csvs(tmp_path, [service()], [staff(), staff(service_id="S9")])), "unknown-service")
    assert located(problem) == ("staffing.csv", "staffing", 3, "service_id")
    assert problem.service_id == "S9"


def test_two_rows_for_one_service_and_area_are_refused_naming_both(book: Path) -> None:
    staffing = [staff(), staff(police_force_area="Kent"), staff(police_force_area="thames valley")]
    problem = only(refused(write_workbook(book, [service()], staffing)), "duplicate-staffing-row")
    assert located(problem) == (book.name, "staffing", 4, "police_force_area")
    assert "rows 2 and 4" in problem.message and problem.police_force_area == "Thames Valley"


def test_unknown_police_force_area_says_did_you_mean(book: Path) -> None:
    problems = refused(write_workbook(book, [service()], [staff(police_force_area="Thames Vally")]))
    problem = only(problems, "unknown-police-force-area")
    assert located(problem) == (book.name, "staffing", 2, "police_force_area")
    assert problem.message == "unknown police force area 'Thames Vally' (did you mean Thames Valley?)"


def test_blank_staffing_service_id_is_refused(book: Path) -> None:
    problem = only(refused(write_workbook(book, [service()], [staff(), staff(service_id="")])), "blank-service-id")
    assert located(problem) == (book.name, "staffing", 3, "service_id")


# --- many problems at once ----------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_errors_first_in_file_order(tmp_path: Path) -> None:
    services = [service(), service(service_id="S1"), service(service_id="S2", response_mode="fax")]
    staffing = [
        staff(idva_fte=90, idva_headcount=100),  # a warning: implausible FTE
        staff(service_id="S2", police_force_area="Gotham", idva_fte="lots"),
        staff(service_id="S3", volunteers=-2),
    ]
    with pytest.raises(ReturnsError) as caught:
        read_returns(write_csvs(tmp_path, services, staffing))
    problems = caught.value.problems

    assert [(p.file, p.row, p.code) for p in problems] == [
        ("services.csv", 3, "duplicate-service-id"),
        ("services.csv", 4, "bad-response-mode"),
        ("staffing.csv", 3, "unknown-police-force-area"),
        ("staffing.csv", 3, "not-a-number"),
        ("staffing.csv", 4, "unknown-service"),
        ("staffing.csv", 4, "negative-value"),
        ("staffing.csv", 2, "fte-implausible"),
    ]
    assert problems[-1].severity == "warning"
    assert "6 error(s) and 1 unacknowledged warning(s)" in str(caught.value)


# --- warnings -----------------------------------------------------------------------------------------------


def test_more_idva_fte_than_headcount_over_a_service_is_a_warning_at_its_first_row(book: Path) -> None:
    staffing = [
        staff(idva_headcount=1, idva_fte=1.0, idva_fte_high_risk=0),
        staff(police_force_area="Kent", idva_headcount=1, idva_fte=1.5, idva_fte_high_risk=0),
    ]
    returns = read_returns(write_workbook(book, [service()], staffing))
    problem = only(returns.warnings, "fte-above-headcount")
    assert (problem.severity, *located(problem)) == ("warning", book.name, "staffing", 2, "idva_fte")
    assert "2.5" in problem.message and "headcount of 2" in problem.message
    assert ack_key(problem) == ("fte-above-headcount", "S1", "")


def test_fte_above_headcount_is_judged_on_the_service_total_not_one_row(book: Path) -> None:
    staffing = [
        staff(idva_headcount=0, idva_fte=1.0, idva_fte_high_risk=0),
        staff(police_force_area="Kent", idva_headcount=3, idva_fte=1.0, idva_fte_high_risk=0),
    ]
    assert read_returns(write_workbook(book, [service()], staffing)).warnings == []


def test_implausible_fte_in_one_cell_is_a_warning_on_that_cell(book: Path) -> None:
    returns = read_returns(write_workbook(book, [service()], [staff(refuge_fte=61)]))
    problem = only(returns.warnings, "fte-implausible")
    assert located(problem) == (book.name, "staffing", 2, "refuge_fte")
    assert ack_key(problem) == ("fte-implausible", "S1", "Thames Valley")


def test_staff_at_a_service_that_says_it_employs_none_is_a_warning(book: Path) -> None:
    returns = read_returns(write_workbook(book, [service(employs_practitioners="no")], [staff()]))
    problem = only(returns.warnings, "staff-without-practitioners")
    assert located(problem) == (book.name, "services", 2, "employs_practitioners")
    assert "2.5 FTE" in problem.message


def test_idva_headcount_without_idva_fte_is_a_warning(book: Path) -> None:
    staffing = [staff(idva_headcount=2, idva_fte=0, idva_fte_high_risk=0, outreach_fte=1)]
    problem = only(read_returns(write_workbook(book, [service()], staffing)).warnings, "idva-headcount-without-fte")
    assert (problem.severity, problem.service_id, problem.sheet, problem.row) == (
        "warning",
        "S1",
        "staffing",
        2,
    )


def test_no_totals_warning_for_a_service_whose_numbers_could_not_be_read(book: Path) -> None:
    problems = refused(write_workbook(book, [service()], [staff(idva_headcount="three")]))
    assert [p.code for p in problems] == ["not-a-number"]


# --- encodings and damaged files ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_csv_with_or_without_bom_is_read_as_is(tmp_path: Path, encoding: str) -> None:
    folder = write_csvs(tmp_path, [service(service_name="Women’s Aid £")], [staff()], encoding=encoding)
    returns = read_returns(folder)
    assert returns.services.iloc[0]["service_name"] == "Women’s Aid £"
    assert returns.services.columns[0] == "service_id"
    assert not any("Windows-1252" in note for note in returns.repairs)


def test_windows_1252_csv_from_excel_is_read_and_noted(tmp_path: Path) -> None:
    folder = write_csvs(tmp_path, [service(service_name="Women’s Aid", other_comments="£5")], [staff()], "cp1252")
    assert b"Women\x92s Aid" in (folder / "services.csv").read_bytes()

    returns = read_returns(folder)
    assert returns.services.iloc[0][["service_name", "other_comments"]].tolist() == ["Women’s Aid", "£5"]
    assert any("services.csv" in note and "Windows-1252" in note for note in returns.repairs)


def test_csv_in_neither_encoding_is_unreadable_not_a_traceback(tmp_path: Path) -> None:
    folder = write_csvs(tmp_path, [service()], [staff()])
    (folder / "staffing.csv").write_bytes(codecs.BOM_UTF8 + b"service_id\n\xff\xfe\x81\n")
    assert only(refused(folder), "unreadable-file").file == "staffing.csv"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("£5 – ok".encode(), ("£5 – ok", "utf-8")),
        (codecs.BOM_UTF8 + "£5".encode(), ("£5", "utf-8-sig")),
        ("Women’s £5".encode("cp1252"), ("Women’s £5", "cp1252")),
        (b"", ("", "utf-8")),
        (codecs.BOM_UTF16_LE + "a\tb".encode("utf-16-le"), ("a\tb", "utf-16")),
    ],
)
def test_decode_text_names_the_encoding_it_used(data: bytes, expected: tuple[str, str]) -> None:
    assert decode_text(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + b"\xff",
        codecs.BOM_UTF16_LE + b"\x00\xd8",  # a lone surrogate
        b"\x81",
        "Women’s".encode() + "£".encode("cp1252"),  # UTF-8 and Windows-1252 mixed
    ],
)
def test_decode_text_refuses_what_is_neither_utf8_utf16_nor_windows_1252(data: bytes) -> None:
    with pytest.raises(UnicodeDecodeError):
        decode_text(data)


def test_random_bytes_named_xlsx_are_refused_not_a_traceback(book: Path) -> None:
    book.write_bytes(bytes(range(256)) * 4)
    problem = only(refused(book), "not-an-excel-file")
    assert problem.file == book.name and problem.severity == "error"


def test_truncated_workbook_is_unreadable_not_a_traceback(book: Path) -> None:
    data = write_workbook(book, [service()], [staff()]).read_bytes()
    book.write_bytes(data[: len(data) // 2])
    assert only(refused(book), "unreadable-file").file == book.name


# --- acknowledgements ---------------------------------------------------------------------------------------


def ack(code: str, service_id: str, police_force_area: str, reason: str) -> dict[str, object]:
    return {"code": code, "service_id": service_id, "police_force_area": police_force_area, "reason": reason}


def test_acknowledgements_are_keyed_by_code_service_and_canonical_area(tmp_path: Path) -> None:
    rows = [
        ack("fte-implausible", "S1", "thames valley", "Checked."),
        ack("fte-above-headcount", "S2", "", "PT."),
    ]
    path = write_csv(tmp_path / "acks.csv", rows, encoding="cp1252")
    assert read_acknowledgements(path) == {
        ("fte-implausible", "S1", "Thames Valley"): "Checked.",
        ("fte-above-headcount", "S2", ""): "PT.",
    }


def test_acknowledgement_keys_match_the_warnings_they_acknowledge(book: Path, tmp_path: Path) -> None:
    returns = read_returns(write_workbook(book, [service()], [staff(refuge_fte=75)]))
    path = write_csv(tmp_path / "acks.csv", [ack("fte-implausible", "S1", "Thames Valley Police", "ok")])
    assert ack_key(returns.warnings[0]) in read_acknowledgements(path)


def test_acknowledgement_without_a_reason_is_refused_naming_the_row(tmp_path: Path) -> None:
    rows = [
        ack("fte-implausible", "S1", "Kent", "Checked."),
        ack("fte-implausible", "S2", "Kent", "  "),
        ack("fte-implausable", "S3", "Kentt", "x"),
    ]
    path = write_csv(tmp_path / "acks.csv", rows)
    with pytest.raises(ReturnsError) as caught:
        read_acknowledgements(path)
    found = [(p.row, p.column, p.code) for p in caught.value.problems]
    assert found == [
        (3, "reason", "blank-reason"),
        (4, "code", "unknown-warning-code"),
        (4, "police_force_area", "unknown-police-force-area"),
    ]
    assert "did you mean fte-implausible?" in caught.value.problems[1].message
    assert "acks.csv" in str(caught.value)


# --- issue 15: reading returns as they really arrive ----------------------------------------------------------


def write_text(folder: Path, services_text: str, staffing_rows: Rows | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "services.csv").write_bytes(services_text.encode())
    write_csv(folder / "staffing.csv", staffing_rows or [staff(), staff(service_id="S2", police_force_area="Kent")])
    return folder


SERVICES_TEXT = "service_id,service_name,employs_practitioners,other_comments\r\nS1,A,yes,Fine.\r\nS2,B,yes,"


@pytest.mark.parametrize("ending", ["", "\r\n", "\n"])
def test_an_unclosed_quote_is_found_whether_or_not_the_file_ends_in_a_newline(tmp_path: Path, ending: str) -> None:
    folder = write_text(tmp_path / "r", SERVICES_TEXT + '"Never closed.\r\nS3,C,no,' + ending)
    problem = only(refused(folder), "unclosed-quote")
    assert problem.file == "services.csv" and "line 3" in problem.message


@pytest.mark.parametrize("ending", ["", "\r\n"])
def test_a_last_quoted_cell_ending_in_a_line_break_is_read(tmp_path: Path, ending: str) -> None:
    returns = read_returns(write_text(tmp_path / "r", SERVICES_TEXT + '"Two lines,\r\nthe end.\r\n"' + ending))
    assert returns.services["other_comments"].tolist() == ["Fine.", "Two lines,\r\nthe end.\r\n"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Women’s – café".encode("mac_roman"), ("Women’s – café", "mac_roman")),
        ("WomenÕs".encode("cp1252"), ("Women’s", "mac_roman")),  # Mac Roman's ’ read as Windows-1252 is Õ
        ("Women’s – café £".encode("cp1252"), ("Women’s – café £", "cp1252")),
        ("a,b".encode("utf-32"), ("a,b", "utf-32")),
    ],
)
def test_eight_bit_and_utf32_text_is_named_by_its_encoding(data: bytes, expected: tuple[str, str]) -> None:
    assert decode_text(data) == expected


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_unicode_without_a_byte_order_mark_is_read_and_noted(tmp_path: Path, encoding: str) -> None:
    folder = write_csvs(tmp_path, [service()], [staff()], encoding=encoding)
    returns = read_returns(folder)
    assert returns.services.iloc[0]["service_name"] == "Northshire Women’s Aid"
    assert f"services.csv: read as {encoding.upper()} text (it has no byte-order mark)" in returns.repairs


def test_a_decoding_error_names_the_line_never_the_text(tmp_path: Path) -> None:
    secret = "a sentence no message may hold"
    folder = write_csvs(tmp_path, [service(), service(service_id="S2", other_comments=secret)], [staff()])
    data = (folder / "services.csv").read_bytes().replace(secret.encode(), secret.encode() + b"\x9d")
    (folder / "services.csv").write_bytes(data)
    problem = only(refused(folder), "unreadable-file")
    assert "line 3" in problem.message and secret not in problem.message


def semicolon_csvs(folder: Path, column: str, written: str) -> Path:
    """A European Excel's CSV pair: semicolons, decimal commas, and `written` in staffing's `column`."""
    folder = write_csvs(folder, [service()], [staff(**{column: "WRITTEN"})])
    for name in ("services.csv", "staffing.csv"):
        text = (folder / name).read_text().replace(",", ";").replace("2.5", "2,5")
        (folder / name).write_text(text.replace("WRITTEN", written))
    return folder


@pytest.mark.parametrize("written", ["2.000", "1.500", "12.345.678"])
def test_a_thousands_point_in_a_decimal_comma_file_is_refused_as_ambiguous(tmp_path: Path, written: str) -> None:
    problem = only(refused(semicolon_csvs(tmp_path, "volunteers", written)), "ambiguous-number")
    assert (problem.row, problem.column) == (2, "volunteers")
    assert f"is it {written.replace('.', '')} (with a thousands point)" in problem.message


def test_a_thousands_point_with_a_decimal_comma_is_read(tmp_path: Path) -> None:
    returns = read_returns(semicolon_csvs(tmp_path, "outreach_fte", "1.234,5"))
    assert returns.staffing.iloc[0]["outreach_fte"] == 1234.5
    assert any("read '1.234,5' as 1234.5" in note for note in returns.repairs)


@pytest.mark.parametrize(
    ("written", "read"), [("-2.78e-17", 0.0), ("5.551115123125783E-17", 0.0), ("0.30000000000000004", 0.3)]
)
def test_a_rounding_leftover_is_read_as_the_round_figure_with_a_note(tmp_path: Path, written: str, read: float) -> None:
    returns = read_returns(write_csvs(tmp_path, [service()], [staff(isva_fte=written)]))
    assert returns.staffing.iloc[0]["isva_fte"] == read
    assert any(f"column isva_fte: read {written!r} as {read:g}" in note for note in returns.repairs)


def test_scientific_notation_that_is_not_a_leftover_is_named(tmp_path: Path) -> None:
    problem = only(refused(write_csvs(tmp_path, [service()], [staff(isva_fte="1.5e1")])), "not-a-number")
    assert "scientific notation" in problem.message


@pytest.mark.parametrize("hours", [37.5, 35, 22.5])
def test_hours_typed_as_idva_fte_are_refused_with_the_sum_that_gives_fte(book: Path, hours: float) -> None:
    problem = only(
        refused(write_workbook(book, [service()], [staff(idva_headcount=1, idva_fte=hours)])), "fte-per-person"
    )
    assert located(problem) == (book.name, "staffing", 2, "idva_fte")
    assert f"it is {hours / 37.5:.3g} FTE (FTE = hours / 37.5)" in problem.message


def test_hours_typed_as_another_types_fte_are_a_warning_with_the_same_hint(book: Path) -> None:
    returns = read_returns(write_workbook(book, [service()], [staff(refuge_fte=37.5)]))
    assert [(w.code, w.column) for w in returns.warnings] == [("fte-implausible", "refuge_fte")]
    assert "FTE = hours / 37.5" in returns.warnings[0].message


@pytest.mark.parametrize(
    ("written", "column"),
    [
        ("High-risk Idva FTE", "idva_fte_high_risk"),
        ("Outreach workers (FTE)", "outreach_fte"),
        ("No. of volunteers", "volunteers"),
        ("ISVA FTE (sexual violence)", "isva_fte"),
        ("Children's worker FTE", "children_fte"),
        ("outreach_ftee", "outreach_fte"),
        ("ISVAs", "isva_fte"),
        ("Children's workers", "children_fte"),
        ("Number of Idvas", "idva_headcount"),
        ("Idvas", "idva_fte"),
    ],
)
def test_an_optional_column_under_a_lookalike_header_is_an_error_naming_it(
    book: Path, written: str, column: str
) -> None:
    row = staff(**{written: 2})
    del row[column]
    problem = only(refused(write_workbook(book, [service()], [row])), "lookalike-column")
    assert located(problem) == (book.name, "staffing", 1, column)
    assert f"a column headed {written!r}" in problem.message


@pytest.mark.parametrize(
    ("written", "column"),
    [
        ("Comments", "other_comments"),
        ("Biggest difference made", "biggest_difference"),
        ("Locations", "idva_locations"),
    ],
)
def test_an_optional_free_text_column_under_a_shorter_heading_is_an_error(
    book: Path, written: str, column: str
) -> None:
    row = service(**{written: "Answer."})
    del row[column]
    problem = only(refused(write_workbook(book, [row], [staff()])), "lookalike-column")
    assert (problem.sheet, problem.column) == ("services", column)


def test_a_required_column_under_a_lookalike_header_is_named_with_it(book: Path) -> None:
    row = service(**{"ID of service": "S1"})
    del row["service_id"]
    problem = only(refused(write_workbook(book, [row], [staff()])), "lookalike-column")
    assert (problem.column, problem.row) == ("service_id", 1) and "'ID of service'" in problem.message


def test_an_extra_header_like_a_column_that_is_present_is_ignored(book: Path) -> None:
    returns = read_returns(write_workbook(book, [service()], [staff(**{"Idva FTE last year": 9})]))
    assert returns.staffing.iloc[0]["idva_fte"] == 2.5


def test_repeated_header_rows_are_one_error_naming_them(tmp_path: Path) -> None:
    header = ",".join(schema.SERVICES_COLUMNS[:3])
    text = f"{header}\r\nS1,A,yes\r\n{header}\r\nS2,B,yes\r\n{header}\r\nS3,C,no\r\n"
    problems = refused(write_text(tmp_path / "r", text))
    problem = only(problems, "repeated-header")
    assert problem.row == 3 and "repeated header on row(s) 3, 5" in problem.message
    assert len([p for p in problems if p.file == "services.csv"]) == 1


@pytest.mark.parametrize("invisible", ["\u200b", "\u00a0", "\ufeff", "\u2060", "\u202f"])
def test_invisible_characters_and_odd_spaces_in_ids_are_removed_with_a_note(tmp_path: Path, invisible: str) -> None:
    folder = write_csvs(tmp_path, [service(service_id=f"S1{invisible}")], [staff(service_id=f"{invisible}S1")])
    returns = read_returns(folder)
    assert returns.services["service_id"].tolist() == ["S1"] and returns.staffing["service_id"].tolist() == ["S1"]
    assert any("services row 2, column service_id: removed invisible characters" in n for n in returns.repairs)


def test_invisible_characters_in_free_text_are_kept(tmp_path: Path) -> None:
    returns = read_returns(write_csvs(tmp_path, [service(other_comments="a\u00a0b\u200b")], [staff()]))
    assert returns.services.iloc[0]["other_comments"] == "a\u00a0b\u200b"


@pytest.mark.parametrize(("written", "year", "refuse"), [("2017", 2017, False), ("2017-18", 2018, False),
                                                         ("2016", 2017, True), ("2017", None, False), ("", 2017, False),
                                                         ("2017.0", 2017, False), ("2018", 2017, True)])  # fmt: skip
def test_a_year_column_must_agree_with_the_year_imported(
    book: Path, written: str, year: int | None, refuse: bool
) -> None:
    path = write_workbook(book, [service(Year=written)], [staff(year=written)])
    if not refuse:
        assert read_returns(path, year).services["service_id"].tolist() == ["S1"]
        return
    with pytest.raises(ReturnsError) as caught:
        read_returns(path, year)
    problems = caught.value.problems
    assert {(p.code, p.sheet, p.row, p.column) for p in problems} == {
        ("wrong-year", "services", 2, "year"),
        ("wrong-year", "staffing", 2, "year"),
    }


def test_a_year_column_alone_does_not_make_a_row(book: Path) -> None:
    returns = read_returns(write_workbook(book, [service(year=2017), {"year": 2017}], [staff(), {"year": 2017}]), 2017)
    assert len(returns.services) == 1 and len(returns.staffing) == 1


def test_an_employing_service_whose_figures_are_all_blank_is_a_warning(book: Path) -> None:
    blank = {c: None for c in (*schema.COUNT_COLUMNS, *schema.FTE_COLUMNS)}
    returns = read_returns(write_workbook(book, [service()], [staff(**blank)]))
    warning = only(returns.warnings, "blank-staffing")
    assert (warning.sheet, warning.row, warning.column) == ("services", 2, "employs_practitioners")
    zeros = read_returns(write_workbook(book, [service()], [staff(**dict.fromkeys(blank, 0))]))
    assert "blank-staffing" not in {w.code for w in zeros.warnings}


def test_two_csvs_for_one_table_are_refused_naming_both(tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "r", [service()], [staff()])
    write_csv(folder / "Staffing.csv", [staff(idva_fte=9)])
    for path in (folder, folder / "services.csv"):
        problem = only(refused(path), "ambiguous-file")
        assert "Staffing.csv and staffing.csv" in problem.message


def test_macos_and_office_companion_files_in_a_folder_are_ignored(tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "r", [service()], [staff()])
    (folder / "._services.csv").write_bytes(b"\x00\x05\x16\x07 Mac OS X")
    (folder / "._returns.xlsx").write_bytes(b"\x00\x05\x16\x07 Mac OS X")
    (folder / "~$returns.xlsx").write_bytes(b"lock")
    assert read_returns(folder).services["service_id"].tolist() == ["S1"]


def test_a_folder_with_two_workbooks_names_them(tmp_path: Path) -> None:
    for name in ("returns.xlsx", "returns (1).xlsx"):
        write_workbook(tmp_path / name, [service()], [staff()])
    problem = only(refused(tmp_path), "ambiguous-folder")
    assert "returns (1).xlsx, returns.xlsx" in problem.message


@pytest.mark.parametrize(
    ("sheets", "code"),
    [
        (("services", "staffing", "staffing (2)"), "ambiguous-sheet"),
        (("services", "staffing", "Staffing_"), "ambiguous-sheet"),
        (("services", "staffing", "Copy of staffing"), "ambiguous-sheet"),
        (("Services 2018", "staffing"), "missing-sheet"),
        (("services (2)", "staffing"), "missing-sheet"),
        (("services", "Sheet1"), "missing-sheet"),
        (("services_old", "staffing", "Staffing v2"), "missing-sheet"),
    ],
)
def test_sheet_names_follow_one_rule_and_a_refusal_lists_the_sheets(
    book: Path, sheets: tuple[str, ...], code: str
) -> None:
    books = openpyxl.Workbook()
    books.remove(books.active)
    for title in sheets:
        sheet = books.create_sheet(title)
        rows = [service()] if "serv" in title.lower() else [staff()]
        sheet.append(list(rows[0]))
        sheet.append(list(rows[0].values()))
    books.save(book)
    problem = only(refused(book), code)
    listed = [title for title in sheets if repr(title) in problem.message]
    assert len(listed) >= 2, problem.message


def test_other_sheets_whose_names_hold_a_tables_are_ignored(book: Path) -> None:
    path = write_workbook(book, [service()], [staff()])
    books = openpyxl.load_workbook(path)
    books.create_sheet("Service notes").append(["service_id", "note"])
    books.create_sheet("Staff list").append(["service_id", "name"])
    books.save(path)
    assert read_returns(path).staffing.iloc[0]["idva_fte"] == 2.5


def test_an_exact_sheet_name_with_spaces_case_or_underscores_is_read(book: Path) -> None:
    returns = read_returns(write_workbook(book, [service()], [staff()], sheets=(" Services_", "STAFFING")))
    assert returns.staffing.iloc[0]["idva_fte"] == 2.5


def test_no_message_quotes_a_long_cell(book: Path) -> None:
    sentence = "she said the waiting list was far too long for her"
    rows = [staff(police_force_area=sentence, outreach_fte=sentence, service_id=sentence)]
    problems = refused(write_workbook(book, [service(employs_practitioners=sentence, idva_cases=sentence)], rows))
    assert len(problems) >= 5
    assert all(sentence not in p.message for p in problems)
    assert quoted("Northshire") == "'Northshire'" and quoted(sentence) == "a text of 50 characters (not shown)"


# --- workbooks that unpack beyond their size, and sheets whose cells reach far ---------------------------------


def sheet_xml(cells: str) -> bytes:
    return f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>'.encode()


@pytest.mark.parametrize(
    ("cells", "uncalculated"),
    [
        ('<row r="2"><c r="D2"><f>C2-0.5</f><v/></c></row>', [(2, 4)]),  # saved without calculating
        ('<row r="2"><c r="D2"><f>C2-0.5</f></c></row>', [(2, 4)]),
        ('<row r="2"><c r="D2" t="str"><f>IF(A2="","",C2)</f><v></v></c></row>', []),  # LibreOffice: empty text
        ('<row r="2"><c r="D2" t="str"><f>IF(A2="","",C2)</f><v/></c></row>', []),
        ('<row r="2"><c r="D2"><f>C2-0.5</f><v>2.5</v></c></row>', []),
        ('<x:row r="2"><x:c r="D2"><x:f>C2</x:f><x:v /></x:c></x:row>', [(2, 4)]),  # a prefixed namespace
    ],
)
def test_a_formula_is_uncalculated_only_when_it_has_no_value_and_is_not_empty_text(
    cells: str, uncalculated: list[tuple[int, int]]
) -> None:
    assert scan_sheet(sheet_xml(cells)).uncalculated == uncalculated


def test_a_sheet_scan_finds_where_cells_with_content_reach_ignoring_formatted_empty_cells() -> None:
    scan = scan_sheet(
        sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="M1" s="2"/></row><row r="9"><c r="C9" s="1"></c></row>')
    )
    assert (scan.max_row, scan.max_column, scan.problem) == (1, 1, "")
    scan = scan_sheet(
        sheet_xml('<row><c><v>1</v></c><c><v>2</v></c></row><row><c t="inlineStr"><is><t>x</t></is></c></row>')
    )
    assert (scan.max_row, scan.max_column) == (2, 2)


@pytest.mark.parametrize(
    ("cells", "says"),
    [
        (
            "".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(1, 2000)),
            "a cell in column XFD (row 1)",
        ),
        ('<row r="1048576"><c r="M1048576"><v>1</v></c></row>', "cells out to row 1,048,576 and column M"),
    ],
)
def test_a_sheet_whose_cells_reach_far_is_refused_before_it_is_parsed(cells: str, says: str) -> None:
    assert says in scan_sheet(sheet_xml(cells)).problem


@pytest.mark.parametrize(
    ("cells", "headings"),
    [
        ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="M1" s="2"/></row><row r="9"><c r="C9" s="1"></c></row>', 0),
        ('<row r="1"><c r="A1"><v>1</v></c><c r="B1" t="inlineStr"><is><t>x</t></is></c></row>'
         '<row r="3"><c r="B3" t="str"><v>  </v></c><c r="AB3"><v>2</v></c></row>', 0),
        ("".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="XFD{r}"><v>1</v></c></row>' for r in (1, 2)), 0),
        ('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="M1048576"><v>1</v></c></row>', 0),
        ('<row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>1</v></c></row><row r="2"><c r="B2"><v>1</v></c>'
         '<c r="XFD2"><v>1</v></c></row><row r="3"><c r="D3"><v>1</v></c></row>', 1),  # an export's headings: row 1
    ],
)  # fmt: skip
def test_the_quick_scan_of_a_plain_sheet_finds_what_the_step_by_step_scan_finds(
    cells: str, headings: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    xml = sheet_xml(cells) + b'<mergeCells><mergeCell ref="A2:A3"/></mergeCells>'
    assert archive_module._scan_plain(xml, archive_module.RETURN_LIMITS, headings) is not None  # it is plain
    quick = scan_sheet(xml, headings=headings)
    monkeypatch.setattr(archive_module, "_PLAIN_CELLS", -1)  # every sheet read step by step
    assert archive_module._scan_plain(xml, archive_module.RETURN_LIMITS, headings) is None
    stepwise = scan_sheet(xml, headings=headings)
    assert stepwise.problem == quick.problem  # a refused sheet is not read: where its cells reach does not matter
    assert quick.problem or stepwise == quick


@pytest.mark.parametrize(
    "cells",
    [
        '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>',  # a formula
        '<row r="1"><c s="1" r="A1"><v>1</v></c></row>',  # its reference not first
        '<row r="1"><c><v>1</v></c></row>',  # no reference
        '<row r="1"><c r="a1"><v>1</v></c></row>',  # a reference no program writes
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>',  # a namespace prefix
    ],
)
def test_a_sheet_not_as_spreadsheet_programs_write_one_is_scanned_step_by_step(cells: str) -> None:
    assert archive_module._scan_plain(sheet_xml(cells), archive_module.RETURN_LIMITS, 0) is None


def test_a_sheet_declaring_entities_is_refused() -> None:
    xml = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row>'
    )
    assert "DTD" in scan_sheet(xml).problem


def test_a_workbook_unpacking_beyond_its_bound_is_refused_before_openpyxl_opens_it(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from practitioner_survey.returns import workbook

    write_workbook(book, [service()], [staff()])
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(archive_module.MAX_UNPACKED_BYTES))
    monkeypatch.setattr(workbook, "openpyxl", None)  # any use of openpyxl would fail
    problem = only(refused(book), "too-large")
    assert problem.file == book.name and "zip bomb" in problem.message


def test_a_workbook_with_too_many_parts_is_refused(book: Path) -> None:
    write_workbook(book, [service()], [staff()])
    with zipfile.ZipFile(book, "a") as archive:
        for index in range(archive_module.MAX_ENTRIES):
            archive.writestr(f"xl/media/{index}.bin", b"")
    assert "files, more than 1,000" in only(refused(book), "too-large").message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('S1,Gwent,volunteers,"1,234",OPCC\n', 1234.0),
        ("S1;Gwent;idva_fte;1,5;OPCC\n", 1.5),  # a European Excel's CSV: semicolons and a decimal comma
        ('S1,Gwent,idva_fte,"1,5",OPCC\n', None),  # a comma in an FTE of a comma-separated file: not guessed
        ('S1,Gwent,idva_fte,"2.5\nOPCC\n', None),  # a quote never closed
    ],
)
def test_revision_files_are_read_as_returns_csvs_are(tmp_path: Path, text: str, value: float | None) -> None:
    from practitioner_survey.returns.provenance import read_revisions

    header = "service_id,police_force_area,field,new_value,source\n"
    path = tmp_path / "revisions.csv"
    path.write_text(header.replace(",", ";") + text if ";" in text else header + text)
    if value is not None:
        assert [r.new_value for r in read_revisions(path)] == [value]
        return
    with pytest.raises(ReturnsError) as caught:
        read_revisions(path)
    assert {p.code for p in caught.value.problems} <= {"revision-invalid", "unclosed-quote"}


def test_a_csv_row_longer_than_its_header_is_refused_not_cut(tmp_path: Path) -> None:
    text = SERVICES_TEXT + "Fine.\r\nS3,C,no,Housing, then the rest of the answer\r\n"
    problem = only(refused(write_text(tmp_path / "r", text)), "extra-cells")
    assert (problem.file, problem.sheet, problem.row) == ("services.csv", "services", 4)
    assert "the rest" not in problem.message


def test_an_unclosed_quote_longer_than_the_csv_parsers_limit_is_named_as_such(tmp_path: Path) -> None:
    text = SERVICES_TEXT + '"Never closed.\r\n' + "S9,X,no,More.\r\n" * 20_000
    assert "line 3" in only(refused(write_text(tmp_path / "r", text)), "unclosed-quote").message


@pytest.mark.parametrize(("written", "read"), [("1 234", 1234), ("12 000", 12000)])
def test_counts_with_spaces_between_thousands_are_read(tmp_path: Path, written: str, read: int) -> None:
    returns = read_returns(write_csvs(tmp_path, [service()], [staff(volunteers=written)]))
    assert returns.staffing.iloc[0]["volunteers"] == read


@pytest.mark.parametrize("written", ["2.5 FTEs", "2.5 WTE", "2.5fte"])
def test_fte_written_with_its_unit_in_other_ways_is_read(tmp_path: Path, written: str) -> None:
    assert (
        read_returns(write_csvs(tmp_path, [service()], [staff(idva_fte=written)])).staffing.iloc[0]["idva_fte"] == 2.5
    )


def test_a_return_file_larger_than_any_return_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from practitioner_survey.returns import sheets

    folder = write_csvs(tmp_path, [service()], [staff()])
    monkeypatch.setattr(sheets, "MAX_FILE_BYTES", 100)
    problems = refused(folder)
    assert {(p.code, p.file) for p in problems} >= {("too-large", "services.csv")}


def test_an_empty_sheet_is_said_to_be_empty(book: Path) -> None:
    books = openpyxl.Workbook()
    books.active.title = "services"
    sheet = books.create_sheet("staffing")
    sheet.append(list(staff()))
    sheet.append(list(staff().values()))
    books.save(book)
    problem = only(refused(book), "empty-sheet")
    assert (problem.sheet, problem.message) == ("services", "services is empty: it has no header row and no rows")


def test_a_service_id_merged_over_its_areas_rows_is_read_on_each_row(book: Path) -> None:
    rows = [staff(), staff(service_id=None, police_force_area="Kent", idva_fte=1, idva_fte_high_risk=1)]
    path = write_workbook(book, [service()], rows)
    books = openpyxl.load_workbook(path)
    books["staffing"].merge_cells("A2:A3")
    books.save(path)
    returns = read_returns(path)
    assert returns.staffing[["service_id", "police_force_area"]].values.tolist() == [
        ["S1", "Thames Valley"],
        ["S1", "Kent"],
    ]
    assert (
        "returns-2017.xlsx, staffing rows 2 to 3, column service_id: one merged cell; its id was read on each row"
        in returns.repairs
    )


def test_a_figure_merged_over_rows_is_refused(book: Path) -> None:
    path = write_workbook(book, [service()], [staff(), staff(police_force_area="Kent", idva_fte=None)])
    books = openpyxl.load_workbook(path)
    books["staffing"].merge_cells("D2:D3")
    books.save(path)
    problem = only(refused(path), "merged-cells")
    assert located(problem) == (book.name, "staffing", 2, "idva_fte") and "rows 2 to 3" in problem.message


@pytest.mark.parametrize(
    ("part", "entry", "limit", "what"),
    [
        ("xl/sharedStrings.xml", b"<si><t>x</t></si>", "MAX_SHARED_STRINGS", "texts"),
        ("xl/styles.xml", b'<xf numFmtId="0"/>', "MAX_CELL_FORMATS", "cell formats"),
    ],
)
def test_a_workbook_with_millions_of_tiny_texts_or_formats_is_refused_before_parsing(
    book: Path, monkeypatch: pytest.MonkeyPatch, part: str, entry: bytes, limit: str, what: str
) -> None:
    from practitioner_survey.returns import workbook

    write_workbook(book, [service()], [staff()])
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            part.replace("xl/", "xl/extra/"), b"<x>" + entry * (getattr(archive_module, limit) + 1) + b"</x>"
        )
    monkeypatch.setattr(workbook, "openpyxl", None)  # any use of openpyxl would fail
    problem = only(refused(book), "too-large")
    assert (
        f"more than a return needs ({getattr(archive_module, limit):,})" in problem.message and what in problem.message
    )


def test_a_title_row_saying_year_above_the_header_is_not_the_header(tmp_path: Path) -> None:
    folder = write_csvs(tmp_path, [service()], [staff()])
    text = (folder / "services.csv").read_text()
    (folder / "services.csv").write_text("Practitioner survey,Year,2017\r\n" + text)
    returns = read_returns(folder, 2017)
    assert returns.services["service_id"].tolist() == ["S1"]
    assert any("services's header is on row 2" in note for note in returns.repairs)


def test_idva_fte_above_the_headcount_that_may_be_hours_says_so(book: Path) -> None:
    returns = read_returns(write_workbook(book, [service()], [staff(idva_headcount=9, idva_fte=37.5)]))
    warning = only(returns.warnings, "fte-above-headcount")
    assert "if 37.5 is hours a week, it is 1 FTE (FTE = hours / 37.5)" in warning.message
    small = read_returns(write_workbook(book, [service()], [staff(idva_headcount=2, idva_fte=3)]))
    assert "hours" not in only(small.warnings, "fte-above-headcount").message


def test_a_tab_separated_file_whose_lines_end_in_cr_alone_is_read(tmp_path: Path) -> None:
    folder = write_csvs(tmp_path, [service(idva_locations="Police; Courts", other_comments="One, two")], [staff()])
    for name in ("services.csv", "staffing.csv"):
        rows = list(csv.reader(io.StringIO((folder / name).read_text(), newline="")))
        (folder / name).write_text("\r".join("\t".join(row) for row in rows) + "\r", newline="")
    returns = read_returns(folder)
    assert returns.services.iloc[0][["idva_locations", "other_comments"]].tolist() == ["Police; Courts", "One, two"]
    assert "services.csv: read as tab-separated" in returns.repairs


def test_the_separator_is_the_commonest_in_the_header_line(tmp_path: Path) -> None:
    folder = write_csvs(tmp_path, [service()], [staff()])
    text = (
        (folder / "staffing.csv").read_text().replace(",", ";").replace("idva_fte_high_risk", '"idva, fte_high_risk"')
    )
    (folder / "staffing.csv").write_text(text)
    problems = refused(folder)  # read as semicolon-separated: the odd heading is named, not every column lost
    assert [(p.code, p.column) for p in problems] == [("lookalike-column", "idva_fte_high_risk")]


def test_headers_with_invisible_characters_are_matched(tmp_path: Path) -> None:
    folder = write_csvs(tmp_path, [service()], [staff()])
    text = (folder / "staffing.csv").read_text().replace("idva_fte,", "idva\u00a0fte\u200b,", 1)
    (folder / "staffing.csv").write_text(text)
    assert read_returns(folder).staffing.iloc[0]["idva_fte"] == 2.5
