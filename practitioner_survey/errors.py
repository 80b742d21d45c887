"""The one family of errors the library raises; the CLI turns each into one red line and exit code 1."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class SurveyError(Exception):
    """Base of every error a survey officer can act on."""


class ReferenceError_(SurveyError):
    """Reference data (police force areas, recommended Idva levels) is missing or malformed."""


class StoreError(SurveyError):
    """The store cannot be opened, migrated or written."""


class ClaimLostError(SurveyError):
    """The comment a coding session was working on is no longer held by it (another analyst or session took it
    over while this one was away); nothing was written."""

    def __init__(self, comment_id: int, taker: str, analyst: str = "") -> None:
        self.comment_id, self.taker = comment_id, taker  # taker: who holds or coded it now ('' if unknown)
        self.taken_by = (
            "another session of yours" if taker and taker == analyst
            else f"another analyst ({taker})" if taker else "another analyst"
        )  # fmt: skip
        super().__init__(f"comment {comment_id} was taken by {self.taken_by} while this session was away; "
                         "nothing was written")  # fmt: skip


class NotFoundError(SurveyError):
    """A year, service or file the command needs is not there."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a return, located by file, sheet, row and column."""

    severity: str  # "error" or "warning"
    code: str
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None  # the row number as a spreadsheet shows it (header is row 1)
    column: str = ""
    service_id: str = ""
    police_force_area: str = ""

    @property
    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(p for p in parts if p)

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.message}" if where else self.message


class ReturnsError(SurveyError):
    """A return was refused; carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem], summary: str = "") -> None:
        self.problems = list(problems)
        errors = sum(p.severity == "error" for p in self.problems)
        warnings = len(self.problems) - errors
        self.summary = summary or (
            f"return refused: {errors} error(s) and {warnings} unacknowledged warning(s); nothing was written"
        )
        super().__init__(self.summary)


class CodebookError(SurveyError):
    """A codebook is missing or invalid."""


class ExchangeError(SurveyError):
    """A file exchanged with another tool (a REFI-QDA project) is malformed, foreign or refused for safety."""


def did_you_mean(suggestions: Iterable[str]) -> str:
    """' (did you mean A or B?)', each name once, or '' when there is nothing near: the end of a message about a
    name that is not known."""
    names = list(dict.fromkeys(suggestions))
    return f" (did you mean {' or '.join(names)}?)" if names else ""
