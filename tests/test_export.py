"""`survey export`: the whole year as a REFI-QDA project plus CSV files; and harmful free text kept harmless in
every CSV and workbook that `survey export` and `survey tables` write, in the project's XML, and out of the logs."""

from __future__ import annotations

import csv
import logging
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xmlschema
from defusedxml.ElementTree import fromstring as defused_fromstring
from typer.testing import CliRunner, Result

from practitioner_survey.cli import app
from practitioner_survey.exchange.codebook_qdc import code_guid
from practitioner_survey.exchange.qdpx import NAMESPACE, selection_guid
from practitioner_survey.loading.bundled import load_year
from practitioner_survey.returns.provenance import Revision
from practitioner_survey.store.coding import Decision, NewComment
from practitioner_survey.store.core import Store
from tests.conftest import SECRET, build_returns

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "tests" / "schemas" / "refi-qda-project-1.0.xsd"
NS = {"q": NAMESPACE}
CSV_FILES = ["acknowledgements", "codebook", "codes", "comments", "decisions", "revisions", "rollovers", "services",
             "source_files", "staffing"]  # fmt: skip
HARMFUL = ['=HYPERLINK("http://x")', "+cmd", "-2+3", "@SUM(1)", "<script>alert(1)</script>"]
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def run(db_path: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db_path), *args])


def formula_like(value: object) -> bool:
    """Would a spreadsheet run this cell as a formula? (A plain negative number is just a number.)"""
    return isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.fullmatch(value)


def cells(folder: Path) -> Iterator[tuple[str, object]]:
    """(file name, value) of every cell of every CSV file and workbook in `folder`."""
    for path in sorted(folder.iterdir()):
        if path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as handle:
                for row in csv.reader(handle):
                    yield from ((path.name, cell) for cell in row)
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    yield from ((path.name, cell) for cell in row)


# ----------------------------------------------------------------------------------------------- survey export


@pytest.fixture
def small(db_path: Path) -> Path:
    """A 2017 store of two services with one coded comment each."""
    returns = build_returns([("S1", "Kent", {"idva_fte": 1.0}), ("S2", "Surrey", {"idva_fte": 2.0})])
    with Store(db_path) as store:
        store.import_returns(2017, returns, {})
        ids = store.add_comments(2017, [NewComment(s, "biggest_difference", 0, len(SECRET)) for s in ("S1", "S2")])
        store.log([Decision(2017, i, "biggest_difference", "alice", "code", "funding") for i in ids])
    return db_path


def test_cli_export_writes_the_project_and_a_csv_per_table(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = run(small, "export", "2017", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "survey-2017.qdpx: 6 answers, 2 comments, 2 coded" in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([*(f"{n}.csv" for n in CSV_FILES), "survey-2017.qdpx"])
    codes = pd.read_csv(out / "codes.csv")
    assert list(codes["code_guid"]) == [code_guid("biggest_difference", "funding")] * 2
    assert list(codes["category_label"]) == ["Funding", "Funding"]
    comments = pd.read_csv(out / "comments.csv")
    assert list(comments["text"]) == [SECRET, SECRET]
    assert list(comments["selection_guid"]) == [selection_guid(2017, int(i)) for i in comments["id"]]
    assert len(pd.read_csv(out / "decisions.csv")) == 2 and len(pd.read_csv(out / "services.csv")) == 2
    codebook = pd.read_csv(out / "codebook.csv")
    assert set(codebook["question"]) == {"biggest_difference", "survivor_challenges", "other_comments"}
    assert SECRET not in result.output


def test_cli_export_refuses_a_year_not_in_the_store_and_writes_nothing(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = run(small, "export", "2016", "--out", str(out))
    assert result.exit_code == 1
    assert result.output.startswith("error: no returns for 2016") and len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_the_bundled_year_exports_a_valid_project_that_reads_back_unchanged(tmp_path: Path) -> None:
    db_path = tmp_path / "survey.db"
    with Store(db_path) as store:
        load_year(store, ROOT / "responses" / "2017")
        comments, coded = len(store.comments(2017)), len(store.current_codes(2017))
    out = tmp_path / "export"
    result = run(db_path, "export", "2017", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"{comments} comments, {coded} coded" in result.output
    with zipfile.ZipFile(out / "survey-2017.qdpx") as archive:
        qde = archive.read("project.qde")
        assert len([n for n in archive.namelist() if n.startswith("sources/")]) == int(
            re.findall(r"(\d+) answers", result.output)[0]
        )
    xmlschema.XMLSchema(str(SCHEMA)).validate(qde.decode("utf-8"))
    back = run(db_path, "import-qdpx", str(out / "survey-2017.qdpx"), "--year", "2017", "--analyst", "dora")
    assert back.exit_code == 0, back.output
    assert f"0 recoded, {coded} unchanged, 0 with an unknown code, 0 unmatched selections" in back.output


# ----------------------------------------------------------------------------------------------- harmful text


@pytest.fixture
def harmful(db_path: Path) -> Path:
    """A 2017 store whose free text, service name, note and revision source are each formula or markup."""
    staff = [(f"S{i}", "Kent", {"idva_fte": 1.0}) for i in range(1, len(HARMFUL) + 1)]
    returns = build_returns(staff)
    answers = [f"{start} planted answer: {' '.join(HARMFUL)}" for start in HARMFUL]
    returns.services["biggest_difference"] = answers
    returns.services.loc[0, "service_name"] = HARMFUL[0] + HARMFUL[4]
    with Store(db_path) as store:
        store.import_returns(2017, returns, {})
        ids = store.add_comments(2017, [NewComment(f"S{i}", "biggest_difference", 0, len(a))
                                        for i, a in enumerate(answers, 1)])  # fmt: skip
        store.log([Decision(2017, i, "biggest_difference", "alice", "code", "funding") for i in ids])
        note = {"text": f"{HARMFUL[3]} {HARMFUL[4]}"}
        store.log([Decision(2017, ids[0], "biggest_difference", "alice", "note", payload=note)])
        store.revise(2017, [Revision("S1", "Kent", "idva_fte", 2.0, HARMFUL[1], "revisions.csv")])
    return db_path


def test_every_spreadsheet_cell_neutralises_formulas_the_xml_escapes_markup_and_no_log_holds_the_text(
    harmful: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    exported, tables = tmp_path / "export", tmp_path / "tables"
    results = [run(harmful, "export", "2017", "--out", str(exported)), run(harmful, "tables", "2017", "--out",
                                                                           str(tables))]  # fmt: skip
    assert all(r.exit_code == 0 for r in results), [r.output for r in results]
    assert (tables / "tables.xlsx").exists()

    for folder in (exported, tables):
        values = list(cells(folder))
        assert [(name, v) for name, v in values if formula_like(v)] == []
    neutralised = {v for _, v in cells(exported)}
    for start in HARMFUL[:4]:  # each planted answer is there, as text that no spreadsheet runs
        assert f"'{start} planted answer: {' '.join(HARMFUL)}" in neutralised
    table_cells = {v for _, v in cells(tables)}
    assert f"'{HARMFUL[1]}" in table_cells and f"'{HARMFUL[0]}{HARMFUL[4]}" in table_cells

    qde = zipfile.ZipFile(exported / "survey-2017.qdpx").read("project.qde")
    root = defused_fromstring(qde)  # well-formed
    assert b"<script>" not in qde and b"&lt;script&gt;alert(1)&lt;/script&gt;" in qde
    notes = [n.findtext("q:PlainTextContent", namespaces=NS) for n in root.findall("q:Notes/q:Note", NS)]
    assert notes == [f"{HARMFUL[3]} {HARMFUL[4]}"]
    assert HARMFUL[0] + HARMFUL[4] in [v.text for v in root.iter(f"{{{NAMESPACE}}}TextValue")]

    # read a recoding back, so that the import's own debug lines are among those checked
    # edited as text, so no namespace prefix is registered in ElementTree's module-wide map for later tests
    target = code_guid("biggest_difference", "commissioning")
    edited = re.sub(rb'(<CodeRef targetGUID=")[^"]*(")', rb"\g<1>" + target.encode() + rb"\g<2>", qde)
    assert edited != qde
    source = zipfile.ZipFile(exported / "survey-2017.qdpx")
    with zipfile.ZipFile(tmp_path / "edited.qdpx", "w") as archive:
        for name in source.namelist():
            archive.writestr(name, edited if name == "project.qde" else source.read(name))
    back = run(harmful, "import-qdpx", str(tmp_path / "edited.qdpx"), "--year", "2017", "--analyst", "dora")
    assert back.exit_code == 0 and "5 recoded" in back.output

    logged = caplog.text + "".join(r.output for r in [*results, back])
    assert any(
        r.name == "practitioner_survey.exchange.qdpx_import" and r.levelno == logging.DEBUG for r in caplog.records
    )
    for fragment in [*HARMFUL, "planted answer", "HYPERLINK", "alert(1)", "SUM(1)", SECRET]:
        assert fragment not in logged
