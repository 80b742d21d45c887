"""Whether `--auto-accept T` is earned: the machine may code comments on its own at confidence T only when this
year's analysts, shown first suggestions at T or more, found them right at least a share T of the time, over at
least MINIMUM_DECISIONS such decisions. Calibration on earlier years is not enough: this year's words may differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from practitioner_survey.errors import SurveyError
from practitioner_survey.store.coding import undone_ids

if TYPE_CHECKING:
    from practitioner_survey.store.core import Store

MACHINE = "model:"  # machine codes are logged as analyst "model:<who ran the session>"
MINIMUM_DECISIONS = 50  # at 50 decisions a share right of 95% is known to within about 6 points either way
_HAND = ("code", "adjudicate")  # an analyst's coding decisions (a machine code is "auto")


@dataclass(frozen=True)
class Record:
    """This year's analysts' decisions on one question whose first suggestion was shown at `threshold` or more,
    and how many of them chose that suggestion's category."""

    question: str
    threshold: float
    shown: int
    right: int
    minimum: int = MINIMUM_DECISIONS

    @property
    def earned(self) -> bool:
        return self.shown >= self.minimum and self.right >= self.threshold * self.shown - 1e-9

    def describe(self) -> str:
        share = f" ({self.right / self.shown:.0%})" if self.shown else ""
        return (f"{self.question}: {self.right} of {self.shown}{share} right of this year's decisions by analysts "
                f"shown a first suggestion at {self.threshold:g} or more")  # fmt: skip


def track_record(store: Store, year: int, question: str, threshold: float, minimum: int = MINIMUM_DECISIONS) -> Record:
    """How often the first suggestion was right this year when it was shown to an analyst at `threshold` or more:
    every hand decision no undo has taken back (a blind double coding shows no suggestion and does not count); a
    suggestion is right when the analyst chose its category."""
    log = store.decisions(year, question)
    undone = undone_ids(log)
    shown = right = 0
    hand = log["action"].isin(_HAND) & ~log["analyst"].str.startswith(MACHINE) & ~log["id"].isin(undone)
    for category_id, suggestion in zip(log.loc[hand, "category_id"], log.loc[hand, "suggestion"], strict=True):
        suggestions = json.loads(suggestion or "[]")
        if suggestions and float(suggestions[0]["confidence"]) >= threshold:
            shown += 1
            right += suggestions[0]["category_id"] == category_id
    return Record(question, threshold, shown, right, minimum)


def require_earned(
    store: Store, year: int, questions: tuple[str, ...], threshold: float, minimum: int = MINIMUM_DECISIONS
) -> list[Record]:
    """Each question's record at `threshold`; SurveyError, naming what each question lacks, unless every one of
    them has earned it (nothing is coded or claimed here)."""
    records = [track_record(store, year, q, threshold, minimum) for q in questions]
    short = [r for r in records if not r.earned]
    if short:
        lacks = "; ".join(r.describe() for r in short)
        raise SurveyError(
            f"--auto-accept {threshold:g} is not earned yet: {lacks}; it needs at least {minimum} such decisions, "
            f"right at least {threshold * 100:g}% of the time (code by hand, or give a threshold this year has earned)"
        )
    return records
