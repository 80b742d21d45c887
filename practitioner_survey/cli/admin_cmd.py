"""Commands that look after the store: check, backup, restore.

Each imports the store inside its body, so that `survey --help` starts without it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from practitioner_survey.cli.base import app, console, db_url, err_console
from practitioner_survey.errors import StoreError

Force = Annotated[bool, typer.Option("--force", help="Overwrite the file (or store) that is there already.")]


def shown(url: str) -> str:
    """The store's location as it may be printed: a database URL without its password."""
    return re.sub(r"^([a-z+]+://[^:/@]*):[^@]*@", r"\1:***@", url)


@app.command("check")
def check_cmd(
    ctx: typer.Context,
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="First rebuild what is derived from the coding log (live_codes, which the coding loop reads) "
            "from the log, then check. The log and the returns are never changed.",
        ),
    ] = False,
) -> None:
    """Verify the store: integrity, schema, rows that point nowhere, original files, the coding log's replay.

    Lists every problem found and exits with code 1 if there is any; then lists every confirmed quote the report
    holds back (it still holds something the anonymiser would replace), by comment id, and every warning an import
    of the stored figures would give that no one has accepted (after a revision, say): neither is a problem.
    """
    from practitioner_survey.coding.quote_guard import held_quotes
    from practitioner_survey.store.check import check_store, rebuild_live_codes
    from practitioner_survey.store.core import Store

    url = db_url(ctx)
    with Store(url, create=False) as store:
        if repair:
            before, after = rebuild_live_codes(store)
            console.print(
                f"rebuilt live_codes from the coding log: {before:,} rows before, {after:,} now", markup=False
            )
        report = check_store(store)
        held = [(year, quote) for year in store.years() for quote in held_quotes(store, year)] if report.ok else []
    for year, quote in held:
        err_console.print(f"  quote held back from the {year} report: {quote.line()}", style="yellow", markup=False)
    for warning in report.warnings:
        err_console.print(f"  warning: {warning}", style="yellow", markup=False)
    for problem in report.problems:
        err_console.print(f"  problem: {problem}", style="red", markup=False)
    if not report.ok:
        raise StoreError(f"the store {shown(url)} has {len(report.problems)} problem(s), listed above")
    held_note = f"; {len(held)} confirmed quote(s) held back from the reports, listed above" if held else ""
    if report.warnings:
        held_note += f"; {len(report.warnings)} warning(s) an import would give, accepted by no one, listed above"
    console.print(f"OK: {shown(url)} (schema version {report.schema_version}): {report.summary()}{held_note}.",
                  markup=False)  # fmt: skip


@app.command("backup")
def backup_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The backup to write: a new SQLite file.")],
    force: Force = False,
) -> None:
    """Copy the store to FILE, consistently even while others are coding or importing; the copy is checked."""
    from practitioner_survey.store.admin import backup_store
    from practitioner_survey.store.core import Store

    url = db_url(ctx)
    with Store(url, create=False) as store:
        outcome = backup_store(store, file, force=force)
    console.print(f"Backed up {shown(url)} to {outcome.path} ({outcome.size:,} bytes): {outcome.report.summary()}.",
                  markup=False)  # fmt: skip


@app.command("restore")
def restore_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A backup written by survey backup.")],
    force: Force = False,
) -> None:
    """Make the backup FILE the store, after checking it; an existing store is replaced only with --force
    (and kept beside it as NAME.replaced-TIME). Refused while another command has the store open."""
    from practitioner_survey.store.admin import restore_store

    url = db_url(ctx)
    outcome = restore_store(file, url, force=force)
    kept = f"; the store it replaced is kept as {outcome.kept}" if outcome.kept else ""
    console.print(f"Restored {file} as {shown(url)}: {outcome.report.summary()}{kept}.", markup=False)
