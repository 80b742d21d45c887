"""`survey code`: the analyst's coding loop, full screen in the terminal."""

from __future__ import annotations

import getpass
import re
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from practitioner_survey.cli.base import app, console, db_url
from practitioner_survey.cli.tables_cmd import YearArg
from practitioner_survey.errors import SurveyError
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS

if TYPE_CHECKING:
    from practitioner_survey.coding.earning import Record

_SHARE = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*")


def parse_share(text: str, option: str = "--double-code") -> float:
    """A share given as '10%' or '0.1' -> 0.1; SurveyError if it is not between 0 and 1 (0% and 100%)."""
    found = _SHARE.fullmatch(text)
    if found is None:
        raise SurveyError(f"{option} {text!r} is not a share: give a percentage such as 10% or a fraction such as 0.1")
    value = float(found.group(1)) / (100 if found.group(2) else 1)
    if value > 1:
        raise SurveyError(f"{option} {text!r} is more than all the comments: give 0–100% or 0–1 (10% is 0.1)")
    return value


def default_analyst() -> str:
    """The login name, when neither --analyst nor SURVEY_ANALYST names the analyst."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        raise SurveyError("who is coding? give --analyst NAME or set SURVEY_ANALYST") from None


def auto_accepted(coded: int, records: list[Record]) -> str:
    """What --auto-accept did, and the record that earned it (counts only, never a comment's text)."""
    earned = "; ".join(f"{r.question} {r.right} of {r.shown}" for r in records)
    return (f"pre-coded {coded} comment{'' if coded == 1 else 's'} as machine-coded"
            + (f" (earned by this year's hand codes: {earned} right)" if records else ""))  # fmt: skip


@app.command("code")
def code_cmd(
    ctx: typer.Context,
    year: YearArg,
    question: Annotated[
        str | None, typer.Option("--question", help=f"Code one question only: {', '.join(FREE_TEXT_QUESTIONS)}.")
    ] = None,
    analyst: Annotated[
        str | None,
        typer.Option("--analyst", envvar="SURVEY_ANALYST", help="Who is coding (default: SURVEY_ANALYST, or login)."),
    ] = None,
    double_code: Annotated[
        str, typer.Option("--double-code", help="A blind sample coded again by a second analyst: 10% or 0.1.")
    ] = "0",
    auto_accept: Annotated[
        float | None,
        typer.Option(
            "--auto-accept",
            min=0.0,
            max=1.0,
            help="Pre-code suggestions at or above this confidence (e.g. 0.95), once this year's hand codes have "
            "found such suggestions right that share of the time (at least 50 of them).",
        ),
    ] = None,
    review: Annotated[
        bool, typer.Option("--review", help="Start by stepping back through your coded comments, to check or recode.")
    ] = False,
) -> None:
    """Code the year's free-text comments in a full-screen view: the least sure answer first, its comments in reading
    order, every decision saved at once.

    Enter accepts the first suggestion, a digit (then a second) picks a category (and subcategory); s splits, m / p
    merge with the next / previous piece, l puts a comment back for later, c shows the codebook, r reviews your codes,
    v lists a category's comments, q marks a quote, n adds a note, u undoes, ? shows every key, x quits (it asks).
    Stopping at any point loses nothing.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise SurveyError("survey code needs a terminal: run it in an interactive shell, without redirection")
    if question is not None and question not in FREE_TEXT_QUESTIONS:
        raise SurveyError(f"unknown question {question!r}; choose one of {', '.join(FREE_TEXT_QUESTIONS)}")
    share = parse_share(double_code)
    who = (analyst or "").strip() or default_analyst()
    # imported here: the screen (prompt_toolkit) and the model (scipy) would slow every other command's start
    from practitioner_survey.cli.code_screen import run_screen
    from practitioner_survey.coding.session import CodingSession
    from practitioner_survey.store.core import Store

    console.print(f"survey code {year}: loading the comments and the suggestion model for {who}…")
    with Store(db_url(ctx), create=False) as store:
        session = CodingSession(store, year, who, question, double_code=share, auto_accept=auto_accept)
        if auto_accept is not None:
            console.print(auto_accepted(session.auto_coded, session.auto_records))
        state = run_screen(session, f"survey code {year} · {who}" + (f" · {question}" if question else ""), review)
    left = session.nothing_left()  # who holds the comments still to do, as last seen
    finished = f"; {left[:1].lower()}{left[1:]}" if state.item is None else ""
    console.print(f"coded {state.coded} comment{'' if state.coded == 1 else 's'} in this session{finished}")
