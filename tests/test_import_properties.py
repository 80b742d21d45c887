"""Property-based tests of the importer: whatever bytes, text or cell values a return holds, reading it gives either
validated returns or a ReturnsError naming files, never another exception; `survey import` never shows a traceback.

Example counts are kept small (and derandomized) so that the suite stays fast; the corpus in tests/bad_returns/
covers the known shapes of bad input one by one.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.errors import ReturnsError
from practitioner_survey.returns import schema
from practitioner_survey.returns.csvfile import decode_text
from practitioner_survey.returns.validate import Returns, read_acknowledgements, read_returns

CORPUS = Path(__file__).resolve().parent / "bad_returns"
sys.path.insert(0, str(CORPUS))
import make_corpus  # noqa: E402

FEW = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CLEAN_BOOK = make_corpus.clean_workbook()
CLEAN_CSV = make_corpus.csv_pair()

#: Cell values a spreadsheet may hold: text of any kind, numbers of any size, dates, booleans, blanks.
NOT_TEXT = st.one_of(
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
)
TRICKY = st.sampled_from(["1.5 FTE", "1,234", "2,5", "-1", "1e400", "#REF!", "nan", "Total", "yes", "Cumbria", "=1+1"])
CELLS = st.one_of(NOT_TEXT, TRICKY, st.text(max_size=30))
#: The same, less the control characters a workbook cannot hold (openpyxl refuses to write them).
_XML_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",), blacklist_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)]
    ),
    max_size=30,
)
BOOK_CELLS = st.one_of(NOT_TEXT, TRICKY, _XML_TEXT)
#: Headers: mostly the format's columns, written forgivingly, sometimes anything.
COLUMNS = st.sampled_from([*schema.SERVICES_COLUMNS, *schema.STAFFING_COLUMNS])
HEADERS = st.one_of(COLUMNS.map(lambda c: c.replace("_", " ").title()), COLUMNS, st.text(max_size=12))
BOOK_HEADERS = st.one_of(COLUMNS, _XML_TEXT)


def table(width: int, book: bool = False) -> st.SearchStrategy[list[list[object]]]:
    """A sheet as rows, the first its header; `book`: only what a workbook can hold."""
    header = st.lists(BOOK_HEADERS if book else HEADERS, min_size=1, max_size=width)
    rows = st.lists(st.lists(BOOK_CELLS if book else CELLS, max_size=width), max_size=5)
    return st.tuples(header, rows).map(lambda hr: [list(hr[0]), *hr[1]])


def read_or_refuse(path: Path) -> Returns | None:
    """read_returns, asserting that the only exception is a ReturnsError whose problems are located."""
    try:
        returns = read_returns(path)
    except ReturnsError as error:
        assert error.problems or error.summary
        assert all(p.file for p in error.problems if p.severity == "error"), error.problems
        return None
    assert set(returns.services.columns) == set(schema.SERVICES_COLUMNS)
    assert set(returns.staffing.columns) == set(schema.STAFFING_COLUMNS)
    numbers = returns.staffing[[*schema.COUNT_COLUMNS, *schema.FTE_COLUMNS]].to_numpy().ravel()
    assert all(math.isfinite(v) and v >= 0 for v in numbers)
    return returns


# --- bytes ------------------------------------------------------------------------------------------------------


@FEW
@given(data=st.binary(max_size=2048), suffix=st.sampled_from([".xlsx", ".xlsm", ".xls"]))
def test_any_bytes_named_as_a_workbook_are_read_or_refused(tmp_path_factory: pytest.TempPathFactory, data: bytes,
                                                           suffix: str) -> None:  # fmt: skip
    path = tmp_path_factory.mktemp("bytes") / f"returns{suffix}"
    path.write_bytes(data)
    assert read_or_refuse(path) is None


@FEW
@given(cuts=st.lists(st.tuples(st.integers(0, len(CLEAN_BOOK) - 1), st.integers(0, 255)), min_size=1, max_size=8),
       truncate=st.integers(100, len(CLEAN_BOOK)))  # fmt: skip
def test_a_damaged_workbook_is_read_or_refused(tmp_path_factory: pytest.TempPathFactory, cuts: list[tuple[int, int]],
                                               truncate: int) -> None:  # fmt: skip
    data = bytearray(CLEAN_BOOK)
    for position, value in cuts:
        data[position] = value
    path = tmp_path_factory.mktemp("damaged") / "returns.xlsx"
    path.write_bytes(bytes(data[:truncate]))
    read_or_refuse(path)


@FEW
@given(services=st.binary(max_size=600), staffing=st.binary(max_size=600))
def test_any_bytes_as_a_csv_pair_are_read_or_refused(tmp_path_factory: pytest.TempPathFactory, services: bytes,
                                                     staffing: bytes) -> None:  # fmt: skip
    folder = tmp_path_factory.mktemp("csv")
    (folder / "services.csv").write_bytes(services)
    (folder / "staffing.csv").write_bytes(staffing)
    read_or_refuse(folder)


@FEW
@given(data=st.binary(max_size=400))
def test_any_bytes_as_acknowledgements_are_read_or_refused(tmp_path_factory: pytest.TempPathFactory,
                                                           data: bytes) -> None:  # fmt: skip
    path = tmp_path_factory.mktemp("acks") / "acknowledged-warnings.csv"
    path.write_bytes(data)
    try:
        read_acknowledgements(path)
    except ReturnsError as error:
        assert error.problems


@settings(max_examples=100, deadline=None, database=None, derandomize=True)
@given(data=st.binary(max_size=200))
def test_decode_text_decodes_or_raises_unicode_decode_error(data: bytes) -> None:
    try:
        text, encoding = decode_text(data)
    except UnicodeDecodeError:
        return
    assert encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "mac_roman")
    if encoding.startswith("utf-8"):
        assert text == data.decode(encoding)


# --- text and cells ---------------------------------------------------------------------------------------------


@FEW
@given(
    services=table(len(schema.SERVICES_COLUMNS)),
    staffing=table(len(schema.STAFFING_COLUMNS)),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_any_cells_in_a_csv_pair_are_read_or_refused(tmp_path_factory: pytest.TempPathFactory,
                                                     services: list[list[object]], staffing: list[list[object]],
                                                     encoding: str, delimiter: str) -> None:  # fmt: skip
    folder = tmp_path_factory.mktemp("cells")
    for name, rows in (("services.csv", services), ("staffing.csv", staffing)):
        text = make_corpus.csv_text(rows, delimiter)
        (folder / name).write_bytes(text.encode(encoding, errors="replace"))
    read_or_refuse(folder)


@FEW
@given(services=table(len(schema.SERVICES_COLUMNS), book=True), staffing=table(len(schema.STAFFING_COLUMNS), book=True))
def test_any_cells_in_a_workbook_are_read_or_refused(tmp_path_factory: pytest.TempPathFactory,
                                                     services: list[list[object]],
                                                     staffing: list[list[object]]) -> None:  # fmt: skip
    book = openpyxl.Workbook()
    book.remove(book.active)
    try:
        for title, rows in (("services", services), ("staffing", staffing)):
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
    except (IllegalCharacterError, ValueError, TypeError, OverflowError):
        assume(False)  # a value no workbook can hold
    path = tmp_path_factory.mktemp("book") / "returns.xlsx"
    path.write_bytes(buffer.getvalue())
    read_or_refuse(path)


@FEW
@given(
    rows=st.lists(
        st.fixed_dictionaries({c: CELLS for c in ("idva_headcount", "idva_fte", "idva_fte_high_risk", "volunteers")}),
        min_size=1,
        max_size=4,
    )
)
def test_any_staffing_figures_are_read_or_refused_naming_the_cell(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, object]]
) -> None:
    header = make_corpus.STAFFING_HEADER
    staffing = [list(header)] + [
        [{"service_id": "S1", "police_force_area": area}.get(c, row.get(c, 0)) for c in header]
        for row, area in zip(rows, ("Cumbria", "Gwent", "Kent", "Dorset"), strict=False)
    ]
    folder = tmp_path_factory.mktemp("figures")
    for name, data in make_corpus.csv_pair(staffing_rows=staffing).items():
        (folder / name).write_bytes(data)
    try:
        read_returns(folder)
    except ReturnsError as error:
        located = [p for p in error.problems if p.severity == "error" and p.sheet == "staffing"]
        assert all(p.row is not None and p.column for p in located), error.problems


# --- the command ------------------------------------------------------------------------------------------------


@settings(max_examples=10, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.one_of(st.binary(max_size=300), st.sampled_from([CLEAN_BOOK[:700], CLEAN_BOOK[:-30], b"\xef\xbb\xbf"])))
def test_survey_import_of_any_bytes_exits_1_without_a_traceback(
    tmp_path_factory: pytest.TempPathFactory, store_with_2016: Path, data: bytes
) -> None:
    folder = tmp_path_factory.mktemp("cli")
    db = folder / "survey.db"
    shutil.copyfile(store_with_2016, db)
    before = db.read_bytes()
    path = folder / "returns.xlsx"
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["--db", str(db), "import", str(path), "--year", "2017"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("error: ")
    assert db.read_bytes() == before


def test_the_clean_return_the_corpus_is_made_from_is_read(tmp_path: Path) -> None:
    """Each corpus case changes one thing in this clean return, so that it tests that one thing."""
    (tmp_path / "returns.xlsx").write_bytes(CLEAN_BOOK)
    assert read_or_refuse(tmp_path / "returns.xlsx") is not None
    folder = tmp_path / "csv"
    folder.mkdir()
    for name, data in CLEAN_CSV.items():
        (folder / name).write_bytes(data)
    returns = read_or_refuse(folder)
    assert returns is not None and returns.repairs == [] and returns.warnings == []
