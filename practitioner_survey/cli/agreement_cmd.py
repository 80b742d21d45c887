"""`survey agreement` (κ and α between coders) and `survey adjudicate` (settle a disagreement)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from practitioner_survey.cli.base import app, console, db_url
from practitioner_survey.cli.tables_cmd import YearArg
from practitioner_survey.errors import SurveyError
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS

if TYPE_CHECKING:
    from practitioner_survey.store.core import Store

QuestionOption = Annotated[
    str | None, typer.Option("--question", help=f"One question only: {', '.join(FREE_TEXT_QUESTIONS)}.")
]


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


@app.command("agreement")
def agreement_cmd(ctx: typer.Context, year: YearArg, question: QuestionOption = None) -> None:
    """Agreement between coders per question: Cohen's κ and Krippendorff's α (nominal, on categories).

    Analyst vs analyst compares primary codes with the blind double codings (survey code --double-code);
    model vs analyst compares the first suggestion shown with each decision. Disagreements: survey adjudicate --list.
    """
    from practitioner_survey.coding.agreement import ANALYSTS, agreement
    from practitioner_survey.store.core import Store

    with Store(db_url(ctx), create=False) as store:
        rows = agreement(store, year, question)
    for q in dict.fromkeys(r.question for r in rows):
        table = Table(title=f"{year} · {q}", title_justify="left")
        for column in ("comparison", "pairs", "n", "κ", "α", "disagreements"):
            table.add_column(column, justify="left" if column in ("comparison", "pairs") else "right")
        for r in (r for r in rows if r.question == q):
            pairs = ", ".join(r.pairs) if r.comparison == ANALYSTS else "first suggestion / analyst"
            differ = f"{r.disagreements} ({r.open} open)" if r.comparison == ANALYSTS else str(r.disagreements)
            cells = (r.comparison, pairs or "–", str(r.n), _number(r.kappa), _number(r.alpha), differ)
            table.add_row(*map(Text, cells))  # Text: names are never read as rich markup
        console.print(table)


@app.command("adjudicate")
def adjudicate_cmd(
    ctx: typer.Context,
    year: YearArg,
    comment_id: Annotated[int | None, typer.Argument(help="The comment (its id, from --list).")] = None,
    category_key: Annotated[str | None, typer.Argument(help="The category's key (0-9) or id.")] = None,
    sub_key: Annotated[str | None, typer.Argument(help="The subcategory's key or id, if any.")] = None,
    analyst: Annotated[
        str | None, typer.Option("--analyst", envvar="SURVEY_ANALYST", help="Who adjudicates (required to decide).")
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the disagreements: ids and both codes.")] = False,
    show_text: Annotated[bool, typer.Option("--show-text", help="With --list, also show each comment.")] = False,
    question: QuestionOption = None,
) -> None:
    """Settle a disagreement between two analysts: the adjudicated code becomes the comment's code.

    `survey adjudicate 2017 --list` lists the disagreements (no comment text unless --show-text);
    `survey adjudicate 2017 COMMENT_ID CATEGORY_KEY [SUB_KEY] --analyst NAME` decides one.
    """
    from practitioner_survey.codebook import load_codebook
    from practitioner_survey.coding.agreement import adjudicate, describe
    from practitioner_survey.store.core import Store

    with Store(db_url(ctx), create=False) as store:
        if list_:
            _list(store, year, question, show_text)
            return
        if comment_id is None or category_key is None:
            raise SurveyError("give COMMENT_ID and CATEGORY_KEY to adjudicate, or --list to see the disagreements")
        decision = adjudicate(store, year, comment_id, category_key, sub_key, analyst or "")
    codebook = load_codebook(decision.question, year)
    code = describe(codebook, (decision.category_id, decision.subcategory_id))
    console.print(f"comment {comment_id} ({decision.question}) adjudicated as {code} by {decision.analyst}")


def _list(store: Store, year: int, question: str | None, show_text: bool) -> None:
    from practitioner_survey.codebook import load_codebook
    from practitioner_survey.coding.agreement import describe, disagreements

    found = disagreements(store, year, question)
    if not found:
        console.print(f"no disagreements between analysts in {year}" + (f" for {question}" if question else ""))
        return
    texts = store.comments(year).set_index("id")["text"] if show_text else None
    codebooks = {q: load_codebook(q, year) for q in {d.question for d in found}}
    table = Table(title=f"{year}: {len(found)} disagreement(s)", title_justify="left")
    for column in ("comment", "question", "first code", "second code", "adjudicated"):
        table.add_column(column)
    if texts is not None:
        table.add_column("text")
    for d in found:
        book = codebooks[d.question]
        row = [str(d.comment_id), d.question, f"{describe(book, d.primary)} ({d.primary_analyst})",
               f"{describe(book, d.double)} ({d.double_analyst})",
               describe(book, d.adjudicated) if d.adjudicated else "–"]  # fmt: skip
        if texts is not None:
            row.append(str(texts.get(d.comment_id, "")))
        table.add_row(*map(Text, row))
    console.print(table)
