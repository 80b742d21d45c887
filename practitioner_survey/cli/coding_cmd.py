"""Commands for the free text: replay (how good the suggestions are)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from practitioner_survey.cli.base import app, console, existing_path
from practitioner_survey.errors import SurveyError
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS

if TYPE_CHECKING:
    from rich.progress import TaskID


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@app.command("replay")
def replay_cmd(
    question: Annotated[str, typer.Argument(help=f"One of: {', '.join(FREE_TEXT_QUESTIONS)}.")],
    file: Annotated[
        Path, typer.Argument(help='JSON lines of already-coded comments: {"text": ..., "category": LABEL}.')
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    baseline: Annotated[
        bool,
        typer.Option(
            "--baseline",
            help="Also replay a keyword baseline (TF-IDF similarity to the codebook, no learning) and a plain TF-IDF "
            "+ logistic regression, refitted each time.",
        ),
    ] = False,
    prior: Annotated[
        str,
        typer.Option(
            "--prior",
            help="What the model starts from besides the codebook: 'bundled' (the bundled coded comments) or "
            "'codebook' (nothing more, as in a team's first year).",
        ),
    ] = "bundled",
    year: Annotated[int, typer.Option("--year", help="Codebook year.")] = 2017,
) -> None:
    """Simulate an analyst coding FILE in order: the model suggests, the file's code is taken, the model learns.

    Prints the share of comments whose first suggestion was right (top-1) and whose right code was among the
    first three (top-3), the expected calibration error (ECE) of the first suggestion's confidence with its
    reliability table (5 bins), how often a first suggestion shown at 90% or more was right, and top-1 over
    successive fifths of FILE. The model starts from the codebook and
    (with --prior bundled) the bundled coded comments, never from FILE.
    """
    if question not in FREE_TEXT_QUESTIONS:
        raise SurveyError(f"unknown question {question!r}; choose one of {', '.join(FREE_TEXT_QUESTIONS)}")
    existing_path(file, "coded comments file")
    # imported here: the model (scipy, scikit-learn) would slow every other command's start
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from practitioner_survey.codebook import load_codebook
    from practitioner_survey.coding.replay import (
        BASELINES,
        OurModel,
        ReplayResult,
        prior_examples,
        read_coded,
        replay,
        summary,
    )
    from practitioner_survey.coding.suggest import codebook_examples

    codebook = load_codebook(question, year)
    records = read_coded(file, codebook)
    examples = prior_examples(question, codebook, prior, exclude=[text for text, _ in records])
    starts_from = len(codebook_examples(codebook)) + len(examples)
    results: dict[str, ReplayResult] = {}
    models = [("suggester", OurModel), *(BASELINES.items() if baseline else [])]
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=as_json,
    ) as progress:  # fmt: skip
        for name, model in models:
            task = progress.add_task(f"replaying {name}", total=len(records))

            def advance(done: int, task: TaskID = task) -> None:
                progress.update(task, completed=done)

            results[name] = replay(codebook, records, examples, model, advance)
    ours = results.pop("suggester")
    if as_json:
        typer.echo(json.dumps(summary(ours, results, prior, starts_from)))
        return
    shown = {"suggester": ours, **results}
    table = Table(
        title=f"Replay of {file.name} ({question}, {len(records)} comments; prior {prior}: {starts_from} examples)"
    )
    for column in ("model", "top-1", "top-3", "ECE", "top-1 by fifths"):
        table.add_column(column, justify="left" if column == "model" else "right")
    for name, result in shown.items():
        fifths = " ".join(_fmt(f) for f in result.fifths)
        table.add_row(name, f"{result.top1:.3f}", f"{result.top3:.3f}", f"{result.ece:.3f}", fifths)
    console.print(table)
    bins = Table(title="Reliability of the first suggestion's confidence")
    for column in ("model", "confidence", "n", "mean confidence", "share right"):
        bins.add_column(column, justify="left" if column in ("model", "confidence") else "right")
    for name, result in shown.items():
        for b in result.bins:
            bins.add_row(name, f"{b.lower:.1f}-{b.upper:.1f}", str(b.n), _fmt(b.confidence), _fmt(b.accuracy))
    console.print(bins)
    for name, result in shown.items():
        n_sure, sure_right = result.sure
        console.print(f"{name}: {n_sure} first suggestions shown at 90% or more, right {_fmt(sure_right)}")
