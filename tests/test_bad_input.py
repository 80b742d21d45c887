"""The bad-input corpus (tests/bad_returns/): each malformed return is refused naming where, leaving the store as it
was, or read with every repair reported; never a traceback, never a free-text answer in the output."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from practitioner_survey.cli import app
from practitioner_survey.errors import ReturnsError
from practitioner_survey.loading import importing
from practitioner_survey.loading.importing import years_named
from practitioner_survey.returns.validate import read_returns
from practitioner_survey.store.core import Store

CORPUS = Path(__file__).resolve().parent / "bad_returns"
sys.path.insert(0, str(CORPUS))
import make_corpus  # noqa: E402  (the corpus generator, beside the files it made)

YEAR = 2017
#: Text from the corpus's free-text answers and names that no command may print.
NEVER_PRINTED = (make_corpus.SECRET, "<script>", "HYPERLINK", "calc'", "Being believed", "waiting list for refuge")


@dataclass(frozen=True)
class Case:
    """One corpus entry and what importing it must do.

    outcome: 'refused' (exit 1, every fragment of `expect` on stderr, store unchanged), 'repaired' (imported, the
      fragments on stdout among the repairs) or 'read' (a valid return despite its look: imported as it is).
    same_figures: the staffing figures read are those of the clean return the case was made from.
    """

    name: str
    outcome: str
    expect: tuple[str, ...] = ()
    same_figures: bool = True


CASES = [
    Case("01-truncated.xlsx", "refused", ("error: 01-truncated.xlsx:", "cannot be read as a workbook")),
    Case("02-password-protected.xlsx", "refused", ("02-password-protected.xlsx:", "protected with a password")),
    Case("03-pdf-renamed.xlsx", "refused", ("03-pdf-renamed.xlsx:", "it is a PDF document")),
    Case("04-png-renamed.xlsx", "refused", ("04-png-renamed.xlsx:", "it is a PNG image")),
    Case("05-zip-renamed.xlsx", "refused", ("05-zip-renamed.xlsx:", "it is a zip archive")),
    Case("06-empty.xlsx", "refused", ("06-empty.xlsx:", "is empty (0 bytes)")),
    Case("07-old-format.xls", "refused", ("07-old-format.xls:", "old .xls file: save it as .xlsx")),
    Case("08-csv-renamed.xlsx", "refused", ("08-csv-renamed.xlsx:", "it is text (a CSV?")),
    Case("09-macro-enabled.xlsm", "repaired", ("09-macro-enabled.xlsm: a macro-enabled workbook", "never run")),
    Case("10-empty-csv", "refused", ("services.csv, sheet services:", "services.csv is empty")),
    Case("11-mixed-encodings", "refused", ("services.csv, sheet services:", "mixes UTF-8", "line 3")),
    Case("12-utf8-bom", "repaired", ("services.csv: read as UTF-8, skipping its byte-order mark",)),
    Case("13-windows-1252", "repaired", ("services.csv: not UTF-8; read as Windows-1252",)),
    Case("14-utf16-unicode-text", "repaired", ("staffing.csv: read as UTF-16", "staffing.csv: read as tab-separated")),
    Case(
        "15-semicolons-decimal-commas",
        "repaired",
        ("staffing.csv: read as semicolon-separated", "staffing row 2, column idva_fte: read '2,5' as 2.5"),
    ),
    Case("16-tab-delimited", "repaired", ("services.csv: read as tab-separated",)),
    Case("17-unclosed-quote", "refused", ("services.csv, sheet services:", "quote opened on line 3 is never closed")),
    Case("18-decimal-comma-in-comma-csv", "refused", ("staffing.csv, sheet staffing, row 2, column idva_fte:",)),
    Case("19-merged-header-cells.xlsx", "repaired", ("staffing's header is on row 2",)),
    Case("20-totals-row.xlsx", "repaired", ("staffing row 4: a totals row (the sums of the rows above); skipped",)),
    Case(
        "21-totals-row-wrong.xlsx",
        "refused",
        ("sheet staffing, row 4, column outreach_fte:", "looks like a totals row", "not the sum"),
    ),
    Case("22-hidden-sheets.xlsx", "repaired", ("sheet 'services' is hidden in Excel; it was read",)),
    Case(
        "23-formulas-without-values.xlsx",
        "refused",
        ("sheet staffing, row 2, column idva_fte:", "sheet staffing, row 3, column idva_fte:", "no calculated value"),
    ),
    Case("24-blank-rows.xlsx", "read"),
    Case("25-extra-sheets.xlsx", "read"),
    Case("26-duplicate-header-columns.xlsx", "refused", ("sheet staffing, row 1, column idva_fte:", "two columns")),
    Case("27-missing-required-column.xlsx", "refused", ("sheet services, row 1, column employs_practitioners:",)),
    Case("28-missing-sheet.xlsx", "refused", ("28-missing-sheet.xlsx, sheet staffing:", "no sheet named 'staffing'")),
    Case("29-header-only.xlsx", "refused", ("29-header-only.xlsx, sheet services:", "no services")),
    Case(
        "30-fte-with-unit.xlsx",
        "repaired",
        ("row 2, column idva_fte: read '2.5 FTE' as 2.5 (its unit)", "row 2, column children_fte: read '0.5fte'"),
    ),
    Case(
        "31-thousands-separators.xlsx",
        "repaired",
        ("staffing row 2, column volunteers: read '1,234' as 1234",),
        same_figures=False,
    ),
    Case("32-numbers-as-text.xlsx", "read"),
    Case("33-date-in-fte.xlsx", "refused", ("sheet staffing, row 2, column idva_fte:", "holds a date (2017-05-01)")),
    Case("34-excel-error-value.xlsx", "refused", ("sheet staffing, row 3, column outreach_fte:", "#REF!")),
    Case("35-duplicate-services.xlsx", "refused", ("sheet services, row 4, column service_id:", "rows 2 and 4")),
    Case(
        "36-unknown-police-force.xlsx",
        "refused",
        ("sheet staffing, row 3, column police_force_area:", "'Northshire'", "did you mean"),
    ),
    Case("37-service-spanning-regions.xlsx", "read", same_figures=False),
    Case("38-negative-fte.xlsx", "refused", ("sheet staffing, row 3, column outreach_fte:", "cannot be negative")),
    Case(
        "39-fte-above-headcount.xlsx",
        "refused",
        ("warning: 39-fte-above-headcount.xlsx, sheet staffing, row 3, column idva_fte:", "not acknowledged"),
    ),
    Case(
        "40-huge-values.xlsx",
        "refused",
        ("sheet staffing, row 2, column idva_fte: idva_fte is 1e+300", "row 3, column idva_headcount:"),
    ),
    Case("41-very-long-text.xlsx", "read"),
    Case("42-cell-longer-than-excel-allows", "refused", ("sheet services, row 3, column other_comments:", "40,000")),
    Case(
        "43-control-characters",
        "repaired",
        ("services row 2, column service_name: removed 2 control", "services row 3, column other_comments: removed"),
    ),
    Case("44-formula-injection-text", "read"),
    Case("45-script-tags", "read"),
    Case("46-returns-2016.xlsx", "refused", ("46-returns-2016.xlsx:", "named for 2016, not 2017")),
    Case(
        "47-bad-words-and-blank-ids.xlsx",
        "refused",
        ("sheet services, row 2, column employs_practitioners:", "sheet services, row 3, column service_id:"),
    ),
    Case("48-two-staffing-sheets.xlsx", "refused", ("sheet staffing:", "two sheets that could be 'staffing'")),
    # issue 15's classes, each by a case of its own
    Case(
        "49-unclosed-quote-no-final-newline",
        "refused",
        ("services.csv, sheet services:", "quote opened on line 2 is never closed"),
    ),
    Case(
        "50-lookalike-optional-headers.xlsx",
        "refused",
        (
            "row 1, column idva_fte_high_risk:",
            "a column headed 'High-risk IDVA FTE'",
            "row 1, column refuge_fte:",
            "row 1, column volunteers:",
        ),
    ),
    Case(
        "51-thousands-point-in-decimal-comma-csv",
        "refused",
        ("staffing.csv, sheet staffing, row 2, column volunteers:", "is it 4000 (with a thousands point) or 4?"),
    ),
    Case("52-mac-roman", "repaired", ("services.csv: not UTF-8; read as Mac Roman",)),
    Case("53-year-column-disagrees.xlsx", "refused", ("sheet services, row 2, column year:", "imported as 2017's")),
    Case(
        "54-employing-service-all-blank.xlsx",
        "refused",
        (
            "warning: 54-employing-service-all-blank.xlsx, sheet services, row 3, column employs_practitioners:",
            "every figure of its staffing rows is blank",
            "not acknowledged",
        ),
    ),
    Case(
        "55-hours-typed-as-fte.xlsx",
        "refused",
        ("sheet staffing, row 2, column idva_fte:", "is hours a week, it is 1 FTE (FTE = hours / 37.5)"),
    ),
    Case(
        "56-copy-of-staffing-sheet.xlsx",
        "refused",
        ("two sheets that could be 'staffing': 'staffing' and 'staffing (2)'",),
    ),
    Case("57-two-staffing-csvs", "refused", ("has Staffing_.csv and staffing.csv: which is the staffing table?",)),
    Case(
        "58-invisible-characters-in-ids",
        "repaired",
        ("services row 3, column service_id: removed invisible characters", "staffing row 2, column service_id:"),
    ),
    Case("59-last-quoted-cell-ends-in-line-break", "read"),
    Case("60-libreoffice-empty-formulas.xlsx", "read"),
    Case(
        "61-inflates-beyond-its-size.xlsx",
        "refused",
        ("61-inflates-beyond-its-size.xlsx:", "would unpack to 136,335,471 bytes"),
    ),
    Case("62-cell-in-column-xfd.xlsx", "refused", ("sheet staffing:", "a cell in column XFD (row 2)")),
    Case(
        "63-strict-open-xml.xlsx", "refused", ("'Strict Open XML Spreadsheet'", "save it as 'Excel Workbook (*.xlsx)'")
    ),
    Case(
        "64-concatenated-exports", "refused", ("services.csv, sheet services, row 3:", "a repeated header on row(s) 3")
    ),
    Case("65-utf32", "repaired", ("services.csv: read as UTF-32 text", "staffing.csv: read as UTF-32 text")),
    Case("66-macos-companion-files", "read"),
    Case(
        "67-sheets-named-for-a-year.xlsx",
        "refused",
        ("no sheet named 'services' (its sheets: 'Services 2016', 'Staffing 2016')",),
    ),
    Case("68-rounding-leftovers.xlsx", "repaired", ("row 3, column ypva_fte: read '-2.775557561562891e-17' as 0",)),
    Case(
        "69-free-text-in-a-number-column",
        "refused",
        ("sheet staffing, row 2, column outreach_fte:", "not a text of 39 characters (not shown)"),
    ),
    Case(
        "70-merged-service-id.xlsx",
        "repaired",
        ("staffing rows 3 to 4, column service_id: one merged cell; its id was read on each row",),
        same_figures=False,
    ),
]
BY_NAME = {case.name: case for case in CASES}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store_copy(store_with_2016: Path, tmp_path: Path) -> Path:
    path = tmp_path / "survey.db"
    shutil.copyfile(store_with_2016, path)
    return path


def survey_import(db: Path, case: Path) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), "import", str(case), "--year", str(YEAR)])


def assert_nothing_private_or_internal(result: Result) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    for text in NEVER_PRINTED:
        assert text not in output, f"printed free text {text!r}"


def staffing_figures(staffing: pd.DataFrame) -> list[dict[str, object]]:
    """Each staffing row as a dict, every figure a float (so that they compare with the corpus's own values)."""
    return [{k: (v if k in ("service_id", "police_force_area") else float(v)) for k, v in r.items()}
            for r in staffing.to_dict("records")]  # fmt: skip


CLEAN_FIGURES = [
    {k: (float(v) if k not in ("service_id", "police_force_area") else v) for k, v in zip(row_header, row, strict=True)}
    for row_header, row in ((make_corpus.STAFFING_HEADER, r) for r in make_corpus.staffing()[1:])
]


# --- the corpus itself ------------------------------------------------------------------------------------------


def test_the_corpus_has_at_least_30_cases_and_each_has_an_expected_outcome() -> None:
    on_disk = sorted(p.name for p in CORPUS.iterdir() if p.name[:2].isdigit())
    assert on_disk == sorted(BY_NAME), "every corpus file needs a Case, and every Case its file"
    assert len(on_disk) >= 30
    assert {case.outcome for case in CASES} == {"refused", "repaired", "read"}


def test_the_committed_corpus_is_what_make_corpus_writes(tmp_path: Path) -> None:
    # run as a script, as it is run to remake the corpus: the same bytes whether or not lxml is installed
    script = CORPUS / "make_corpus.py"
    done = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(BY_NAME)
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file():
            committed = CORPUS / path.relative_to(tmp_path)
            assert committed.read_bytes() == path.read_bytes(), (
                f"{committed.name}: run tests/bad_returns/make_corpus.py"
            )


# --- each case through `survey import` --------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_import_refuses_naming_where_or_reads_reporting_each_repair(case: Case, store_copy: Path) -> None:
    before = sha256(store_copy)
    result = survey_import(store_copy, CORPUS / case.name)
    assert_nothing_private_or_internal(result)
    if case.outcome == "refused":
        assert result.exit_code == 1, result.stdout
        assert result.stderr.rstrip().splitlines()[-1].startswith("error: "), result.stderr
        for fragment in case.expect:
            assert fragment in result.stderr, f"{fragment!r} not in:\n{result.stderr}"
        assert sha256(store_copy) == before, "a refused import changed the store"
        return
    assert result.exit_code == 0, result.stderr
    assert f"Imported {YEAR} from" in result.stdout
    if case.outcome == "repaired":
        assert "repair(s) made while reading" in result.stdout
    else:
        assert "repair(s)" not in result.stdout, result.stdout
    for fragment in case.expect:
        assert fragment in result.stdout, f"{fragment!r} not in:\n{result.stdout}"
    with Store(store_copy) as store:
        assert store.summary()["year"].tolist() == [2016, YEAR]


@pytest.mark.parametrize("case", [c for c in CASES if c.outcome != "refused"], ids=lambda c: c.name)
def test_what_is_read_or_repaired_gives_the_figures_written(case: Case) -> None:
    returns = read_returns(CORPUS / case.name)
    assert returns.warnings == []
    assert returns.services["service_id"].tolist() == ["S1", "S2"]
    figures = staffing_figures(returns.staffing)
    if case.same_figures:
        assert figures == CLEAN_FIGURES
    elif case.name.startswith("31-"):
        assert figures[0]["volunteers"] == 1234
    elif case.name.startswith("70-"):
        assert [(r["service_id"], r["police_force_area"]) for r in figures][1:] == [
            ("S2", "Cumbria"),
            ("S2", "Lancashire"),
        ]
    else:
        assert [(r["service_id"], r["police_force_area"]) for r in figures][-1] == ("S1", "Gloucestershire")


def test_free_text_is_kept_as_written_apart_from_removed_control_characters() -> None:
    injection = read_returns(CORPUS / "44-formula-injection-text").services
    assert injection.loc[0, "biggest_difference"] == '=HYPERLINK("http://example.invalid/x","click")'
    assert injection.loc[1, "service_name"] == "@SUM(1+1)"
    script = read_returns(CORPUS / "45-script-tags").services
    assert script.loc[0, "biggest_difference"] == "<script>alert('x')</script> More Idvas."
    control = read_returns(CORPUS / "43-control-characters").services
    assert control.loc[0, "service_name"] == "Northshire Women's Aid"
    assert control.loc[1, "other_comments"] == "Funding[31m cuts."
    long_text = read_returns(CORPUS / "41-very-long-text.xlsx").services.loc[0, "other_comments"]
    assert len(long_text) > 20_000


def test_each_refusal_is_a_returns_error_whose_problems_name_the_file() -> None:
    for case in CASES:
        if case.outcome != "refused" or case.name.startswith(("39-", "46-", "53-", "54-")):  # by the import
            continue
        with pytest.raises(ReturnsError) as caught:
            read_returns(CORPUS / case.name)
        errors = [p for p in caught.value.problems if p.severity == "error"]
        assert errors and all(p.file for p in errors), case.name


def test_the_wrong_year_check_accepts_the_year_and_its_financial_year_names(store_copy: Path, tmp_path: Path) -> None:
    for name in ("returns 2016-17.xlsx", "returns-2017.xlsx", "returns_2017_18.xlsx", "returns.xlsx"):
        path = tmp_path / name
        path.write_bytes(make_corpus.clean_workbook())
        result = CliRunner().invoke(app, ["--db", str(store_copy), "import", str(path), "--year", "2017", "--replace"])
        assert result.exit_code == 0, (name, result.stderr)


# --- the real command, in its own process -----------------------------------------------------------------------


def test_survey_import_in_a_real_process_refuses_cleanly(store_copy: Path) -> None:
    """One run of the installed command (the rest use CliRunner, which is quicker): exit code 1, a red line, no
    traceback, the store unchanged."""
    before = sha256(store_copy)
    env = {k: v for k, v in os.environ.items() if k != "SURVEY_DEBUG"}
    case = CORPUS / "02-password-protected.xlsx"
    command = ["survey", "--db", str(store_copy), "import", str(case), "--year", str(YEAR)]
    result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env, timeout=300)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 1 and sha256(store_copy) == before
    assert "protected with a password" in result.stderr


@pytest.mark.parametrize(
    ("name", "years"),
    [
        ("returns-2016.xlsx", {2016}),
        ("returns 2016-17.xlsx", {2016, 2017}),
        ("returns_2017_2018.xlsx", {2017, 2018}),
        ("received 2018-01-15.xlsx", set()),
        ("returns.xlsx", set()),
    ],
)
def test_the_years_a_file_name_claims(name: str, years: set[int]) -> None:
    assert years_named(name) == years


def test_the_corpus_readme_lists_every_case_with_its_outcome() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for case in CASES:
        assert f"| `{case.name}` | {case.outcome} |" in readme, case.name


def test_an_unexpected_exception_is_one_red_line_not_a_traceback(
    store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path, year: int | None = None) -> None:
        raise KeyError(make_corpus.SECRET)  # a bug whose message holds free text

    monkeypatch.setattr(importing, "read_returns", broken)
    monkeypatch.delenv("SURVEY_DEBUG", raising=False)
    before = sha256(store_copy)
    result = survey_import(store_copy, CORPUS / "24-blank-rows.xlsx")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: unexpected internal error (KeyError)")
    assert_nothing_private_or_internal(result)
    assert sha256(store_copy) == before

    monkeypatch.setenv("SURVEY_DEBUG", "1")
    assert isinstance(survey_import(store_copy, CORPUS / "24-blank-rows.xlsx").exception, KeyError)
