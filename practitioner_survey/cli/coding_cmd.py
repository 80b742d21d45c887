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


@app.command("replay")
def replay_cmd(
    question: Annotated[str, typer.Argument(help=f"One of: {', '.join(FREE_TEXT_QUESTIONS)}.")],
    file: Annotated[
        Path, typer.Argument(help='JSON lines of already-coded comments: {"text": ..., "category": LABEL}.')
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
    baseline: Annotated[
        bool, typer.Option("--baseline", help="Also replay a plain TF-IDF + logistic regression, refitted each time.")
    ] = False,
    year: Annotated[int, typer.Option("--year", help="Codebook year.")] = 2017,
) -> None:
    """Simulate an analyst coding FILE in order: the model suggests, the file's code is taken, the model learns.

    Prints the share of comments whose first suggestion was right (top-1) and whose right code was among the
    first three (top-3). The model starts from the codebook and the bundled coded comments, never from FILE.
    """
    if question not in FREE_TEXT_QUESTIONS:
        raise SurveyError(f"unknown question {question!r}; choose one of {', '.join(FREE_TEXT_QUESTIONS)}")
    existing_path(file, "coded comments file")
    # imported here: the model (scipy, scikit-learn) would slow every other command's start
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from practitioner_survey.codebook import load_codebook
    from practitioner_survey.coding.replay import (
        BaselineModel,
        OurModel,
        ReplayResult,
        bundled_examples,
        read_coded,
        replay,
    )

    codebook = load_codebook(question, year)
    records = read_coded(file, codebook)
    prior = bundled_examples(question, codebook, exclude=[text for text, _ in records])
    results: list[tuple[str, ReplayResult]] = []
    models = [("suggester", OurModel)] + ([("baseline", BaselineModel)] if baseline else [])
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=as_json,
    ) as progress:  # fmt: skip
        for name, model in models:
            task = progress.add_task(f"replaying {name}", total=len(records))

            def advance(done: int, task: TaskID = task) -> None:
                progress.update(task, completed=done)

            result = replay(codebook, records, prior, model, advance)
            results.append((name, result))
    if as_json:
        out = results[0][1].as_dict()
        if baseline:
            out["baseline"] = {k: v for k, v in results[1][1].as_dict().items() if k in ("top1", "top3")}
        typer.echo(json.dumps(out))
        return
    table = Table(title=f"Replay of {file.name} ({question}, {len(records)} comments, {len(prior)} prior)")
    for column in ("model", "top-1", "top-3"):
        table.add_column(column, justify="left" if column == "model" else "right")
    for name, result in results:
        table.add_row(name, f"{result.top1:.3f}", f"{result.top3:.3f}")
    console.print(table)
