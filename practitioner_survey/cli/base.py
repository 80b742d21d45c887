"""The `survey` command line: thin commands over plain functions, one error path.

Each command module registers its commands on `app`; library code raises `SurveyError`, and
`SurveyGroup.invoke` is the one place that turns it into a red line on stderr and exit code 1.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from practitioner_survey.errors import ReturnsError, SurveyError

if TYPE_CHECKING:
    # typer vendors click as typer._click, and TyperGroup.invoke is typed against its Context (what typer's own
    # core uses); imported for type checking only, so the command line never imports the private module.
    from typer._click.core import Context

DEFAULT_DB = "survey.db"
DEBUG_ENV = "SURVEY_DEBUG"
err_console = Console(stderr=True, highlight=False, soft_wrap=True)
console = Console(highlight=False, soft_wrap=True)


class SurveyGroup(TyperGroup):
    """Typer group whose invoke turns a SurveyError into one clear red line and exit code 1."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReturnsError as exc:
            for problem in exc.problems:
                style = "red" if problem.severity == "error" else "yellow"
                err_console.print(f"  {problem.severity}: {problem}", style=style, markup=False)
            err_console.print(f"error: {exc.summary}", style="bold red", markup=False)
            raise typer.Exit(1) from None
        except SurveyError as exc:
            err_console.print(f"error: {exc}", style="bold red", markup=False)
            raise typer.Exit(1) from None
        except Exception as exc:
            # click's own exits and usage errors (they carry an exit code), and SURVEY_DEBUG, keep their course
            if isinstance(exc, typer.Exit | typer.Abort) or hasattr(exc, "exit_code") or os.environ.get(DEBUG_ENV):
                raise
            # never a traceback: its frames could show a return's free text
            message = (
                f"error: unexpected internal error ({type(exc).__name__}): this is a bug, please report it; "
                f"set {DEBUG_ENV}=1 to see the details."
            )
            err_console.print(message, style="bold red", markup=False)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=SurveyGroup,
    help=(
        "Run the annual survey of domestic-abuse practitioners: import returns, count, code free text, "
        "build the report."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain help, as click prints it: Typer's rich help formatter costs about 0.08 s of every `--help`, 40 % of the
    # 0.2 s start-up target (bench/run.py --only startup)
    rich_markup_mode=None,
)


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="SURVEY_DB",
            help=(
                f"The store: a SQLite file (default ./{DEFAULT_DB}), or a PostgreSQL database shared by the team, "
                "postgresql://USER@HOST:PORT/DBNAME. Also read from SURVEY_DB."
            ),
        ),
    ] = None,
) -> None:
    """Survey of domestic-abuse practitioners: returns in, tables and report out."""
    ctx.obj = {"db": db or os.environ.get("SURVEY_DB") or DEFAULT_DB}


def db_url(ctx: typer.Context) -> str:
    """The store location chosen by --db / SURVEY_DB / the default."""
    obj = ctx.find_root().obj or {}
    return str(obj.get("db") or DEFAULT_DB)


def existing_path(path: Path, what: str = "file") -> Path:
    """Check a path given on the command line exists, with a clear error if not."""
    if not path.exists():
        raise SurveyError(f"{what} not found: {path}")
    return path
