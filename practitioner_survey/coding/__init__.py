"""Coding the free text: splitting answers into comments (`splitting`), suggesting codes (`suggest`) and
learning from each decision (`learning`), the loop's session without terminal code (`session`), `replay`,
agreement between coders (`agreement`), anonymising quotes (`anonymise`), and forked helpers for large batches
(`forked`).

Imports `store`, `returns`, `codebook`, `reference` and `errors`; never counting, loading, report or cli.
"""

from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_exports

if TYPE_CHECKING:
    from practitioner_survey.coding.agreement import adjudicate, disagreements
    from practitioner_survey.coding.replay import ReplayResult
    from practitioner_survey.coding.session import CodingSession, Item
    from practitioner_survey.coding.splitting import split_answer, split_many
    from practitioner_survey.coding.suggest import Suggester, Suggestion

__all__ = [
    "CodingSession",
    "Item",
    "ReplayResult",
    "Suggester",
    "Suggestion",
    "adjudicate",
    "disagreements",
    "split_answer",
    "split_many",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "CodingSession": "session",
        "Item": "session",
        "split_answer": "splitting",
        "split_many": "splitting",
        "Suggester": "suggest",
        "Suggestion": "suggest",
        "ReplayResult": "replay",
        "adjudicate": "agreement",
        "disagreements": "agreement",
    },
)
