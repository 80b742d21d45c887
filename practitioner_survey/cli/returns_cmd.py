"""Commands that put returns into the store and correct them: import, rollover, revise, reference, status.

Each parses its arguments, imports what it needs in its body (so that `survey --help` and `survey status` start
without pandas or openpyxl), calls one plain function and prints counts; free text from returns is never printed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from practitioner_survey.cli.base import app, console, db_url, existing_path

if TYPE_CHECKING:
    from practitioner_survey.errors import Problem

MAX_REPAIRS_SHOWN = 10
Year = Annotated[int, typer.Option("--year", min=1990, max=2100, help="The survey year, e.g. 2017.")]

reference_app = typer.Typer(
    help="Recommended Idva levels per police force area: show a year's, or import a replacement.",
    no_args_is_help=True,
)
app.add_typer(reference_app, name="reference")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask_reason(warning: Problem) -> str:
    console.print(f"warning: {warning}", style="yellow", markup=False)
    return str(typer.prompt("  Why is this acceptable? (blank leaves it unaccepted)", default="", show_default=False))


@app.command("import")
def import_cmd(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            help="An Excel workbook, or a folder holding services.csv and staffing.csv (with --mapping: an export)."
        ),
    ],
    year: Year,
    accept_warnings: Annotated[
        Path | None,
        typer.Option(
            "--accept-warnings",
            metavar="FILE",
            help="CSV giving a reason for each warning: columns code, service_id, police_force_area, reason.",
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace the year's earlier return (drops its rollovers and revisions)."),
    ] = False,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            metavar="FILE",
            help="PATH is a survey tool's export (.xlsx or .csv); FILE (YAML) says which heading is which field.",
        ),
    ] = None,
) -> None:
    """Import a year's returns into the store, keeping the original files byte for byte.

    Every warning must be accepted with a reason, from --accept-warnings or asked for in a terminal.
    Importing the same files again changes nothing.
    """
    from practitioner_survey.loading.importing import import_year
    from practitioner_survey.store.core import Store

    existing_path(path, "returns")
    if accept_warnings is not None:
        existing_path(accept_warnings, "acknowledgements file")
    if mapping is not None:
        existing_path(mapping, "mapping file")
    with Store(db_url(ctx)) as store:
        result = import_year(
            store, path, year, accept_warnings=accept_warnings, replace=replace,
            ask=_ask_reason if _interactive() else None, mapping=mapping,
        )  # fmt: skip
    outcome = result.outcome
    if outcome.status == "unchanged":
        console.print(f"unchanged: {year} already holds exactly these files; nothing was written.")
        return
    names = ", ".join(f.name for f in result.returns.files)
    console.print(
        f"Imported {year} from {names}: {outcome.services} services, {outcome.staffing_rows} staffing rows, "
        f"{outcome.warnings_acknowledged} warning(s) accepted with a reason."
    )
    if outcome.replaced:
        console.print(
            f"Replaced the earlier {year} return; dropped {outcome.rollovers_dropped} rollover(s) and "
            f"{outcome.revisions_dropped} revision(s): run them again if they still apply."
        )
    repairs = result.returns.repairs
    if repairs:
        console.print(f"{len(repairs)} repair(s) made while reading:")
        for note in repairs[:MAX_REPAIRS_SHOWN]:
            console.print(f"  - {note}", markup=False)
        if len(repairs) > MAX_REPAIRS_SHOWN:
            console.print(f"  ... and {len(repairs) - MAX_REPAIRS_SHOWN} more")


@app.command("rollover")
def rollover_cmd(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(help="The year the services are missing from.")],
    from_year: Annotated[int, typer.Option("--from", help="The earlier year whose results are carried over.")],
    service_ids: Annotated[list[str], typer.Argument(help="The services to carry over, by service_id.")],
    source: Annotated[
        str | None,
        typer.Option("--source", help="Where the figures come from (default: 'FROM Survey Results')."),
    ] = None,
) -> None:
    """Carry services that sent no return into YEAR from an earlier year's results (free text left blank)."""
    from practitioner_survey.store.core import Store

    with Store(db_url(ctx), create=False) as store:
        outcome = store.rollover(year, from_year, service_ids, source)
    if outcome.rolled_over:
        console.print(
            f"Rolled {len(outcome.rolled_over)} service(s) over from {from_year} into {year} "
            f"with {outcome.staffing_rows} staffing row(s): {', '.join(outcome.rolled_over)}."
        )
    if outcome.already_rolled_over:
        done = ", ".join(outcome.already_rolled_over)
        console.print(f"unchanged: already rolled over from {from_year}: {done}.")


@app.command("revise")
def revise_cmd(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="CSV with columns service_id, police_force_area, field, new_value, source.")
    ],
    year: Year,
) -> None:
    """Correct staffing figures for YEAR from a revision file, keeping each old value and its source.

    Every row is checked before anything changes; applying the same file twice changes nothing the second
    time.
    """
    from practitioner_survey.returns.provenance import read_revisions
    from practitioner_survey.store.core import Store

    existing_path(file, "revision file")
    revisions = read_revisions(file)
    with Store(db_url(ctx), create=False) as store:
        outcome = store.revise(year, revisions)
    if outcome.status == "unchanged":
        console.print(f"unchanged: every figure in {file.name} already holds its new value; nothing was written.")
        return
    console.print(
        f"Revised {outcome.revised} figure(s) in {year} from {file.name}; {outcome.unchanged} already held "
        f"the new value; {outcome.rows_added} police force area row(s) added."
    )


@reference_app.command("import")
def reference_import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV: police_force_area, marac_cases, adult_female_population.")],
    year: Year,
) -> None:
    """Replace YEAR's recommended Idva reference with a CSV (every police force area, once)."""
    import hashlib

    from practitioner_survey import reference
    from practitioner_survey.returns.provenance import decode
    from practitioner_survey.store.core import Store

    data = existing_path(file, "reference file").read_bytes()
    frame = reference.parse_reference(decode(data), file.name)
    source = f"{file.name} (sha256 {hashlib.sha256(data).hexdigest()[:12]})"
    with Store(db_url(ctx)) as store:
        store.set_reference(year, frame, source)
    console.print(f"Reference for {year}: {len(frame)} police force areas from {file.name}.")


@reference_app.command("show")
def reference_show_cmd(
    ctx: typer.Context, year: Annotated[int, typer.Argument(help="The survey year, e.g. 2017.")]
) -> None:
    """Show YEAR's reference: Marac cases, adult women and recommended Idva FTE per police force area."""
    from practitioner_survey import reference
    from practitioner_survey.errors import NotFoundError
    from practitioner_survey.store.core import Store

    try:
        store = Store(db_url(ctx), create=False)
    except NotFoundError:  # no store yet: the bundled reference, without making an empty store to show it
        frame, source = reference.bundled_reference(year), reference.bundled_source(year)
    else:
        with store:
            frame, source = store.reference(year), store.reference_source(year)
    table = Table(title=f"Recommended Idva levels, {year}", caption=f"Source: {source}")
    for heading in ("Police force area", "Region", "Marac cases", "Adult women", "Recommended FTE"):
        table.add_column(heading, justify="left" if heading in ("Police force area", "Region") else "right")
    for row in frame.itertuples(index=False):
        table.add_row(
            str(row.police_force_area), str(row.region), f"{row.marac_cases:,.0f}",
            f"{row.adult_female_population:,.0f}", f"{row.recommended_fte:,.1f}",
        )  # fmt: skip
    table.add_section()
    table.add_row(
        reference.TOTAL, "", f"{frame['marac_cases'].sum():,.0f}",
        f"{frame['adult_female_population'].sum():,.0f}", f"{frame['recommended_fte'].sum():,.1f}",
    )  # fmt: skip
    console.print(table)


@app.command("status")
def status_cmd(ctx: typer.Context) -> None:
    """Show the years in the store, with counts of services, staffing rows, rollovers and revisions."""
    from practitioner_survey.store.core import Store
    from practitioner_survey.store.overview import coding_now, describe_claims, year_counts

    with Store(db_url(ctx), create=False) as store:
        years, version, path = year_counts(store), store.schema_version, store.path
        coding = describe_claims(coding_now(store))
    console.print(f"Store {path} (schema version {version}).")
    if not years:
        console.print("No returns yet: import a year with survey import PATH --year YEAR.")
        return
    table = Table()
    headings = ("Year", "Services", "Staffing rows", "Rollovers", "Revisions", "Warnings accepted", "Files")
    for heading in headings:
        table.add_column(heading, justify="right")
    for row in years:
        figures = (
            row.services,
            row.staffing_rows,
            row.rollovers,
            row.revisions,
            row.warnings_acknowledged,
            row.files,
        )
        table.add_row(str(row.year), *(str(n) for n in figures))
    console.print(table)
    if coding:
        console.print("Comments held by analysts' coding sessions:", *coding, sep="\n  ", markup=False, highlight=False)


@app.command("template")
def template_cmd(
    year: Annotated[int, typer.Argument(min=1990, max=2100, help="The survey year, e.g. 2017.")],
    out: Annotated[Path, typer.Option("--out", help="The folder to write it into.")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite a template already there.")] = False,
) -> None:
    """Write YEAR's fill-in return (return-template-YEAR.xlsx): the two sheets with drop-down lists, checked
    figures and a message explaining each column, for a service to complete offline and send back."""
    from practitioner_survey.returns.template import write_template

    written = write_template(year, out, force=force)
    console.print(f"wrote {written}: fill in its services and staffing sheets, then survey import it", markup=False)
