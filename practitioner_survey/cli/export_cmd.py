"""`survey export` (a year for NVivo, MAXQDA or ATLAS.ti, plus CSV) and `survey import-qdpx` (coding read back)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from practitioner_survey.cli.base import app, console, db_url, existing_path
from practitioner_survey.cli.tables_cmd import YearArg


@app.command("export")
def export_cmd(
    ctx: typer.Context,
    year: YearArg,
    out: Annotated[Path | None, typer.Option("--out", help="Folder to write to (default export/YEAR).")] = None,
) -> None:
    """Write the whole year for hand-off: survey-YEAR.qdpx (a REFI-QDA project for NVivo, MAXQDA or ATLAS.ti:
    codebooks, one source per free-text answer, each comment coded) and CSV files of the returns, provenance,
    comments, codes, decision log and codebooks, with formula-like cells neutralised."""
    from practitioner_survey.exchange.export import export_year
    from practitioner_survey.store.core import Store

    folder = out or Path("export") / str(year)
    with Store(db_url(ctx), create=False) as store:
        done = export_year(store, year, folder)
    s = done.summary
    console.print(
        f"wrote {done.qdpx}: {s.sources} answers, {s.selections} comments, {s.codings} coded, {s.notes} notes, "
        f"{s.cases} services; and {len(done.csv_files)} CSV files in {folder}",
        markup=False,
    )


@app.command("import-qdpx")
def import_qdpx_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .qdpx written by survey export, after coding in another tool.")],
    year: Annotated[int, typer.Option("--year", min=1990, max=2100, help="The survey year it was exported from.")],
    analyst: Annotated[
        str, typer.Option("--analyst", envvar="SURVEY_ANALYST", help="Who the changed codes are recorded as.")
    ],
) -> None:
    """Read coding back from a project: every comment whose code was changed gets a new decision in the log (by
    --analyst); nothing else in the store changes, and importing the same file again records nothing."""
    from practitioner_survey.exchange.qdpx_import import import_qdpx
    from practitioner_survey.store.core import Store

    existing_path(file, "project file")
    with Store(db_url(ctx), create=False) as store:
        found = import_qdpx(store, year, file, analyst)
    console.print(
        f"{file.name}: {found.recoded} recoded, {found.unchanged} unchanged, {found.unknown_code} with an unknown "
        f"code, {found.unmatched} unmatched selections, {found.uncoded} uncoded, {found.several_codes} with several "
        "codes (left as they were)",
        markup=False,
    )
    if found.recoded:
        console.print(f"recorded {found.recoded} decision(s) in the {year} log as {analyst.strip()}", markup=False)
