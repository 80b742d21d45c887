"""Commands that count and publish: load (a bundled or prepared year), tables, build.

Each imports the counting, loading or report modules in its body: they bring pandas, openpyxl, matplotlib and
WeasyPrint, which `survey --help` and the other commands do without.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from practitioner_survey.cli.base import app, console, db_url, err_console, existing_path
from practitioner_survey.errors import NotFoundError

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

YearArg = Annotated[int, typer.Argument(min=1990, max=2100, help="The survey year, e.g. 2017.")]


@app.command("load")
def load_cmd(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="A returns folder with a load.toml, e.g. responses/2017.")],
) -> None:
    """Load a returns folder as its load.toml says: import (with acknowledged warnings), rollovers, revisions.

    Years the folder requires (e.g. 2016 for 2017's rollovers) are loaded first from sibling folders if the
    store lacks them. Loading again changes nothing.
    """
    from practitioner_survey.loading.bundled import load_year
    from practitioner_survey.store.core import Store

    existing_path(folder, "returns folder")
    with Store(db_url(ctx)) as store:
        for report in load_year(store, folder):
            for step in report.steps:
                console.print(f"{report.year}: {step}")


@app.command("tables")
def tables_cmd(
    ctx: typer.Context,
    year: YearArg,
    out: Annotated[Path, typer.Option("--out", help="Folder for the CSV files and tables.xlsx.")] = Path("tables"),
) -> None:
    """Count the year's published tables and write one CSV per table (rounded as printed) and tables.xlsx, the
    report's workbook: cover, contents and notes sheets, a table a sheet with its units, earlier years beside this one.
    """
    from practitioner_survey.report.tables import year_tables
    from practitioner_survey.store.core import Store

    with Store(db_url(ctx), create=False) as store:
        written = year_tables(store, year, out)
    console.print(f"wrote {len(written)} files to {out}")


@app.command("build")
def build_cmd(
    ctx: typer.Context,
    year: YearArg,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default build/YEAR).")] = None,
    formats: Annotated[
        str, typer.Option("--format", help="Comma-separated: html, pdf (default both). Tables are always written.")
    ] = "html,pdf",
) -> None:
    """Build the year's report into build/YEAR: report.html (one self-contained file), report.pdf and every table
    (CSV, Excel).

    If the store has no returns for the year and responses/YEAR holds a bundled year (the synthetic 2017 data
    in a fresh clone), that is loaded first.
    """
    from practitioner_survey.loading.bundled import bundled_folder, load_year
    from practitioner_survey.report.render import build_year
    from practitioner_survey.store.core import Store

    folder = out or Path("build") / str(year)
    with Store(db_url(ctx)) as store, _progress() as progress:
        if year not in store.years():
            bundle = bundled_folder(year)
            if bundle is None:
                raise NotFoundError(f"no {year} returns in the store and no responses/{year}/load.toml to load")
            task = progress.add_task(f"loading {bundle} (no {year} returns in the store yet)")
            for report in load_year(store, bundle):
                for step in report.steps:
                    progress.console.print(f"  {report.year}: {step}")
            progress.update(task, completed=1, total=1)
        wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
        tasks: list[TaskID] = []

        def stage(name: str) -> None:  # each stage gets its own line, ticked off when the next begins
            if tasks:
                progress.update(tasks[-1], completed=1, total=1)
            tasks.append(progress.add_task(name))

        built = build_year(store, year, folder, formats=wanted, on_stage=stage)
        if tasks:
            progress.update(tasks[-1], completed=1, total=1)
    for held in built.held_quotes:
        err_console.print(f"  quote held back: {held.line()}", style="yellow", markup=False)
    if built.held_quotes:
        err_console.print(
            f"{len(built.held_quotes)} confirmed quote(s) not printed: each still holds something the anonymiser "
            "would replace; edit the quote in survey code, or confirm it again as it is",
            style="yellow",
            markup=False,
        )
    outputs = [str(p) for p in (built.html, built.pdf) if p is not None]
    pages = f" ({built.pages} pages)" if built.pdf else ""
    console.print(f"wrote {' and '.join(outputs)}{pages}, and {len(built.tables)} table files in {folder / 'tables'}")


def _progress() -> Progress:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console)
