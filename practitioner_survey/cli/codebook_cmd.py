"""Commands for the codebooks of the free-text questions: check, show, export and import (REFI-QDA .qdc)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from practitioner_survey.cli.base import app, console, existing_path
from practitioner_survey.errors import CodebookError, SurveyError

codebook_app = typer.Typer(
    help="The codebooks of the free-text questions: check them, show one, or exchange one with NVivo, MAXQDA, "
    "ATLAS.ti or QualCoder as a REFI-QDA codebook (.qdc).",
    no_args_is_help=True,
)
app.add_typer(codebook_app, name="codebook")

Question = Annotated[
    str, typer.Argument(help="The question: biggest_difference, survivor_challenges or other_comments.")
]
YearOption = Annotated[
    int | None,
    typer.Option("--year", min=1990, max=2100, help="The survey year (default: the newest codebook)."),
]


class ExportFormat(StrEnum):
    qdc = "qdc"


@codebook_app.command("check")
def check_cmd(
    folder: Annotated[
        Path | None, typer.Option("--folder", help="The codebook folder (default: ./codebook or SURVEY_CODEBOOKS).")
    ] = None,
) -> None:
    """Check every codebook (YEAR/QUESTION.yaml): fields, unique ids, keys and labels, descriptions, examples,
    patterns (lists of short phrases, each pointing to one category, also once words are reduced to base forms)."""
    from practitioner_survey.codebook import check_all, codebook_dir
    from practitioner_survey.coding.patterns import check_patterns

    results = check_patterns(check_all(folder))
    problems = [(path, problem) for path, found in results.items() for problem in found]
    for path, problem in problems:
        console.print(f"  {path}: {problem}", markup=False)
    if problems:
        files = len({path for path, _ in problems})
        raise CodebookError(f"{len(problems)} problem(s) in {files} codebook file(s)")
    console.print(f"OK: {len(results)} codebook file(s) in {folder or codebook_dir()}", markup=False)


@codebook_app.command("show")
def show_cmd(question: Question, year: YearOption = None) -> None:
    """Show a question's codebook: each category's key and label, and its subcategories, with their patterns."""
    from practitioner_survey.codebook import load_codebook

    book = load_codebook(question, year)
    used = f", used for {book.year}" if book.year != book.source_year else ""
    table = Table(
        title=f"{book.question}: {book.text}",
        show_lines=True,
        caption=f"codebook {book.source_year} v{book.version}{used}",
    )
    for heading in ("Key", "Category", "Subcategories"):
        table.add_column(heading)
    for cat in sorted(book.categories, key=lambda c: (c.key == 0, c.key)):
        subs = "\n".join(f"{s.key} {s.label}{_patterns(s.patterns)}" for s in cat.subcategories)
        table.add_row(str(cat.key), Text(cat.label + _patterns(cat.patterns)), Text(subs))
    console.print(table)


def _patterns(patterns: tuple[str, ...]) -> str:
    return f"\n  patterns: {', '.join(patterns)}" if patterns else ""


@codebook_app.command("export")
def export_cmd(
    question: Question,
    out: Annotated[Path, typer.Option("--out", help="The file to write, e.g. biggest_difference.qdc.")],
    format: Annotated[ExportFormat, typer.Option("--format", help="qdc: a REFI-QDA codebook.")] = ExportFormat.qdc,
    year: YearOption = None,
) -> None:
    """Write a question's codebook for NVivo, MAXQDA, ATLAS.ti or QualCoder (keys and examples in descriptions)."""
    from practitioner_survey.codebook import load_codebook
    from practitioner_survey.exchange.codebook_qdc import export_qdc

    book = load_codebook(question, year)
    out.write_bytes(export_qdc(book))
    subs = sum(len(c.subcategories) for c in book.categories)
    console.print(f"wrote {out}: {len(book.categories)} categories, {subs} subcategories", markup=False)


@codebook_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="A REFI-QDA codebook (.qdc) saved by a QDA tool.")],
    question: Annotated[str, typer.Option("--question", help="The question the codebook is for.")],
    year: YearOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="The YAML file to write (default: codebook/YEAR/QUESTION.yaml).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Turn a .qdc codebook into a YAML codebook, keeping ids and keys of codes the current codebook has."""
    from practitioner_survey.codebook import check_codebook, codebook_dir, load_codebook, save_codebook
    from practitioner_survey.exchange.codebook_qdc import import_qdc

    data = existing_path(file, "codebook file").read_bytes()
    try:
        base = load_codebook(question, year)
    except CodebookError:
        base = None
    target_year = year if year is not None else base.year if base is not None else None
    if target_year is None:
        raise SurveyError(f"there is no codebook for {question} yet: give the survey year with --year")
    book = import_qdc(data, question, target_year, base)
    out = out or codebook_dir() / str(target_year) / f"{question}.yaml"
    if out.exists() and not force:
        raise SurveyError(f"{out} exists: give --force to replace it, or --out for another file")
    save_codebook(book, out)
    new = [c.label for c in book.categories if base is None or base.by_id(c.id) is None]
    console.print(f"wrote {out}: {len(book.categories)} categories, version {book.version}", markup=False)
    if new:
        console.print(f"new categories: {', '.join(new)}", markup=False)
    for problem in check_codebook(out):
        console.print(f"  to fix before use: {problem}", style="yellow", markup=False)
