"""The wiring of import, rollover, revise, reference and status: arguments in, counts out, one error path."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SECRET
from rich.console import Console
from typer.testing import CliRunner, Result

import practitioner_survey.cli.base as cli
from practitioner_survey import reference
from practitioner_survey.cli import app, returns_cmd
from practitioner_survey.errors import Problem
from practitioner_survey.loading import importing
from practitioner_survey.returns.validate import Returns
from practitioner_survey.store.core import Store
from practitioner_survey.store.schema import MIGRATIONS

STAFF = [("S1", "Cumbria", {"idva_fte": 3, "idva_headcount": 3}), ("S2", "Gwent", {"outreach_fte": 2})]
WARNING = Problem("warning", "fte-implausible", "idva_fte is 70, implausible for one service in one area",
                  "returns.xlsx", "staffing", 2, "idva_fte", "S1", "Cumbria")  # fmt: skip


def survey(db: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args], input=input)


@pytest.fixture
def returns_file(tmp_path: Path) -> Path:
    path = tmp_path / "returns.xlsx"
    path.write_bytes(b"stand-in: read_returns is replaced in these tests")
    return path


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch, make_returns: Callable[..., Returns]) -> Callable[..., Returns]:
    """Make `survey import` read the given returns, whatever the path."""

    def use(staff: list = STAFF, **kwargs: object) -> Returns:  # type: ignore[type-arg]
        returns = make_returns(staff, **kwargs)
        monkeypatch.setattr(importing, "read_returns", lambda path, year=None: returns)
        return returns

    return use


@pytest.fixture
def red_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the error console emit colour although CliRunner is not a terminal."""
    console = Console(stderr=True, force_terminal=True, color_system="standard", highlight=False, soft_wrap=True)
    monkeypatch.setattr(cli, "err_console", console)


def one_red_error_line(result: Result) -> str:
    """The one summary line: bold red, starting 'error:' (problem lines above it are indented)."""
    lines = [line for line in result.stderr.splitlines() if line.startswith("\x1b[1;31merror: ")]
    plain = [line for line in re.sub(r"\x1b\[[0-9;]*m", "", result.stderr).splitlines() if line.startswith("error:")]
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an exception escaping the CLI
    assert len(lines) == len(plain) == 1
    assert "Traceback" not in result.output
    return lines[0]


# -- help ---------------------------------------------------------------------------------------------------


def test_survey_help_lists_the_returns_commands(db_path: Path) -> None:
    result = survey(db_path, "--help")
    assert result.exit_code == 0
    for command in ("import", "rollover", "revise", "reference", "status"):
        assert f" {command} " in result.output


@pytest.mark.parametrize(
    ("command", "purpose"),
    [
        (["import"], "Import a year's returns"),
        (["rollover"], "Carry services that sent no return"),
        (["revise"], "Correct staffing figures"),
        (["reference"], "Recommended Idva levels"),
        (["reference", "import"], "Replace YEAR's recommended Idva"),
        (["reference", "show"], "Show YEAR's reference"),
        (["status"], "Show the years in the store"),
    ],
)
def test_each_command_help_exits_0_and_states_its_purpose(db_path: Path, command: list[str], purpose: str) -> None:
    result = survey(db_path, *command, "--help")
    assert result.exit_code == 0
    assert purpose in " ".join(result.output.split())
    assert not db_path.exists()  # help never creates a store


# -- import -------------------------------------------------------------------------------------------------


def test_import_reports_counts_and_never_prints_free_text(
    db_path: Path, returns_file: Path, serve: Callable[..., Returns]
) -> None:
    serve()
    result = survey(db_path, "import", str(returns_file), "--year", "2016")
    assert result.exit_code == 0, result.output
    assert "Imported 2016 from returns.xlsx: 2 services, 2 staffing rows, 0 warning(s)" in result.output
    assert SECRET not in result.output
    with Store(db_path) as store:
        assert store.years() == [2016]


def test_importing_the_same_file_again_says_unchanged(
    db_path: Path, returns_file: Path, serve: Callable[..., Returns]
) -> None:
    serve()
    survey(db_path, "import", str(returns_file), "--year", "2016")
    result = survey(db_path, "import", str(returns_file), "--year", "2016")
    assert result.exit_code == 0
    assert result.output.startswith("unchanged: 2016 already holds exactly these files")


def test_importing_a_different_file_for_the_year_needs_replace(
    db_path: Path, returns_file: Path, serve: Callable[..., Returns], red_errors: None
) -> None:
    serve(content=b"first")
    survey(db_path, "import", str(returns_file), "--year", "2016")
    serve(content=b"second")
    assert "--replace" in one_red_error_line(survey(db_path, "import", str(returns_file), "--year", "2016"))
    result = survey(db_path, "import", str(returns_file), "--year", "2016", "--replace")
    assert result.exit_code == 0 and "Replaced the earlier 2016 return" in result.output


def test_unaccepted_warning_fails_listing_it_and_writes_nothing(
    db_path: Path, returns_file: Path, serve: Callable[..., Returns], red_errors: None
) -> None:
    serve(warnings=(WARNING,))
    result = survey(db_path, "import", str(returns_file), "--year", "2016")
    error = one_red_error_line(result)
    assert "1 warning(s) not acknowledged; nothing was written" in error
    assert f"survey import {returns_file} --year 2016 --accept-warnings FILE" in error
    assert "returns.xlsx, sheet staffing, row 2, column idva_fte: idva_fte is 70" in result.stderr
    with Store(db_path) as store:
        assert store.years() == []


def test_import_asks_for_a_reason_for_each_warning_in_a_terminal(
    db_path: Path, returns_file: Path, serve: Callable[..., Returns], monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(warnings=(WARNING,))
    monkeypatch.setattr(returns_cmd, "_interactive", lambda: True)
    result = survey(db_path, "import", str(returns_file), "--year", "2016", input="7.0 typed as 70\n")
    assert result.exit_code == 0, result.output
    assert "1 warning(s) accepted with a reason" in result.output
    with Store(db_path) as store:
        assert store.acknowledgements(2016)["reason"].tolist() == ["7.0 typed as 70"]


def test_reimporting_the_same_file_in_a_terminal_asks_nothing(
    db_path: Path, returns_file: Path, serve: Callable[..., Returns], monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(warnings=(WARNING,))
    monkeypatch.setattr(returns_cmd, "_interactive", lambda: True)
    survey(db_path, "import", str(returns_file), "--year", "2016", input="7.0 typed as 70\n")
    again = survey(db_path, "import", str(returns_file), "--year", "2016", input="")  # a prompt would abort
    assert again.exit_code == 0, again.output
    assert "Why is this acceptable" not in again.output and again.output.startswith("unchanged:")


def test_import_takes_reasons_from_an_accept_warnings_file(
    db_path: Path, returns_file: Path, serve: Callable[..., Returns], tmp_path: Path
) -> None:
    serve(warnings=(WARNING,))
    acks = tmp_path / "acks.csv"
    acks.write_text("code,service_id,police_force_area,reason\nfte-implausible,S1,Cumbria,checked with service\n")
    result = survey(db_path, "import", str(returns_file), "--year", "2016", "--accept-warnings", str(acks))
    assert result.exit_code == 0, result.output
    with Store(db_path) as store:
        assert store.acknowledgements(2016)["reason"].tolist() == ["checked with service"]


def test_import_of_a_real_csv_pair_keeps_both_files_and_notes_repairs(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "returns 2016"
    folder.mkdir()
    (folder / "services.csv").write_text(
        f"service_id,service_name,employs_practitioners,biggest_difference\nS1,Alpha,yes,{SECRET}\n"
    )
    (folder / "staffing.csv").write_text("service_id,police_force_area,idva_headcount,idva_fte\nS1,Cumbria,2,1.5\n")
    result = survey(db_path, "import", str(folder), "--year", "2016")
    assert result.exit_code == 0, result.output
    assert "Imported 2016 from services.csv, staffing.csv: 1 services, 1 staffing rows" in result.output
    assert "repair(s) made while reading" in result.output and SECRET not in result.output
    with Store(db_path) as store:
        assert store.file_bytes(2016, "staffing.csv") == (folder / "staffing.csv").read_bytes()


def test_import_of_a_missing_path_is_one_red_error_line(db_path: Path, tmp_path: Path, red_errors: None) -> None:
    line = one_red_error_line(survey(db_path, "import", str(tmp_path / "nope.xlsx"), "--year", "2016"))
    assert "returns not found" in line


# -- rollover and revise ------------------------------------------------------------------------------------


@pytest.fixture
def two_years(db_path: Path, make_returns: Callable[..., Returns]) -> Path:
    with Store(db_path) as store:
        store.import_returns(2016, make_returns(STAFF, content=b"2016"), {})
        store.import_returns(2017, make_returns(STAFF[:1], content=b"2017"), {})
    return db_path


def test_rollover_reports_what_it_carried_and_a_rerun_is_unchanged(two_years: Path) -> None:
    result = survey(two_years, "rollover", "2017", "--from", "2016", "S2")
    assert result.exit_code == 0, result.output
    assert "Rolled 1 service(s) over from 2016 into 2017 with 1 staffing row(s): S2." in result.output
    again = survey(two_years, "rollover", "2017", "--from", "2016", "S2", "--source", "phone call")
    assert again.exit_code == 0 and "unchanged: already rolled over from 2016: S2" in again.output
    with Store(two_years) as store:
        assert store.rollovers(2017)["source_note"].tolist() == ["2016 Survey Results"]


def test_rollover_problems_are_one_red_error_line_listing_them_all(two_years: Path, red_errors: None) -> None:
    line = one_red_error_line(survey(two_years, "rollover", "2017", "--from", "2016", "S1", "S9"))
    assert "S1 is already in 2017" in line and "S9 is not in 2016's returns" in line


def test_revise_applies_a_file_once_and_a_second_run_is_unchanged(two_years: Path, tmp_path: Path) -> None:
    file = tmp_path / "revisions.csv"
    file.write_text("service_id,police_force_area,field,new_value,source\nS1,Cumbria,IDVA FTE,2,Cumbria OPCC\n")
    result = survey(two_years, "revise", str(file), "--year", "2016")
    assert result.exit_code == 0, result.output
    assert "Revised 1 figure(s) in 2016 from revisions.csv" in result.output
    assert survey(two_years, "revise", str(file), "--year", "2016").output.startswith("unchanged: every figure")
    with Store(two_years) as store:
        assert "revised idva_fte 3→2 (Cumbria OPCC)" in store.staffing(2016)["provenance"].tolist()[0]


def test_revise_with_an_unknown_area_suggests_the_nearest(two_years: Path, tmp_path: Path, red_errors: None) -> None:
    file = tmp_path / "revisions.csv"
    file.write_text("service_id,police_force_area,field,new_value,source\nS1,Cumbira,idva_fte,2,OPCC\n")
    result = survey(two_years, "revise", str(file), "--year", "2016")
    one_red_error_line(result)
    assert "row 2, column police_force_area: unknown police force area 'Cumbira' (did you mean Cumbria?)" in (
        result.stderr
    )


# -- reference and status -----------------------------------------------------------------------------------


def test_reference_import_then_show_prints_areas_totals_and_source(db_path: Path, tmp_path: Path) -> None:
    areas = reference.police_force_areas()["police_force_area"]
    file = tmp_path / "idvas-2016.csv"
    file.write_text(
        "police_force_area,marac_cases,adult_female_population\n" + "".join(f"{a},200,10000\n" for a in areas)
    )
    imported = survey(db_path, "reference", "import", str(file), "--year", "2016")
    assert imported.exit_code == 0, imported.output
    assert f"Reference for 2016: {len(areas)} police force areas from idvas-2016.csv." in imported.output
    shown = survey(db_path, "reference", "show", "2016")
    assert shown.exit_code == 0, shown.output
    assert "Cumbria" in shown.output and "North West" in shown.output
    assert f"{200 * len(areas):,}" in shown.output and f"{2 * len(areas):,.1f}" in shown.output  # totals
    assert "Source: idvas-2016.csv" in " ".join(shown.output.split())


def test_reference_show_without_a_store_shows_the_bundled_reference_and_makes_no_store(tmp_path: Path) -> None:
    missing = tmp_path / "survey.db"
    shown = survey(missing, "reference", "show", "2017")
    assert shown.exit_code == 0, shown.output
    assert "Cumbria" in shown.output and "bundled with practitioner_survey" in " ".join(shown.output.split())
    assert not missing.exists()


def test_status_lists_years_with_counts_and_the_schema_version(two_years: Path) -> None:
    survey(two_years, "rollover", "2017", "--from", "2016", "S2")
    result = survey(two_years, "status")
    assert result.exit_code == 0, result.output
    assert f"(schema version {len(MIGRATIONS)})" in result.output
    cells = [[c.strip() for c in line.strip("│ ").split("│")] for line in result.output.splitlines() if "│ 201" in line]
    # year, services, staffing rows, rollovers, revisions, warnings accepted, files
    assert cells == [["2016", "2", "2", "0", "0", "0", "1"], ["2017", "2", "2", "1", "0", "0", "1"]]


def test_status_without_a_store_is_one_red_error_line(tmp_path: Path, red_errors: None) -> None:
    line = one_red_error_line(survey(tmp_path / "absent.db", "status"))
    assert "no store at" in line
    assert not (tmp_path / "absent.db").exists()


def test_import_never_prints_an_answer_that_landed_in_another_column(tmp_path: Path) -> None:
    """A CSV whose answer shifted into the id, area, yes/no, keyword and figure columns: every problem is named by
    its cell, and the answer is never printed."""
    header = "service_id,service_name,employs_practitioners,idva_cases,idva_locations,biggest_difference\n"
    row = f'"{SECRET}",A,"{SECRET}","{SECRET}","{SECRET}",fine\n'
    (tmp_path / "services.csv").write_text(header + row)
    staffing = "service_id,police_force_area,idva_fte,year\n"
    (tmp_path / "staffing.csv").write_text(staffing + f'"{SECRET}","{SECRET}","{SECRET}","{SECRET}"\n')
    result = survey(tmp_path / "survey.db", "import", str(tmp_path), "--year", "2017")
    assert result.exit_code == 1
    assert result.stderr.count("(not shown)") == 6, result.stderr
    assert SECRET not in result.stdout + result.stderr
