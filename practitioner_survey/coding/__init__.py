"""Coding the free text: splitting answers into comments (`splitting`), suggesting codes (`suggest`, on the
features of `features`) and learning from each decision (`learning`), the loop without terminal code (`worklist`:
which comment next; `session`: the analyst's decisions and undo; `earning`: whether --auto-accept is earned),
`replay`, agreement between coders (`agreement`), anonymising quotes (`anonymise`), the codebook's patterns found in
a comment on lemmas (`patterns`), and forked helpers for large batches (`forked`).

Imports `store`, `returns`, `codebook`, `reference` and `errors`; never counting, loading, report or cli.
"""

from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_exports

if TYPE_CHECKING:
    from practitioner_survey.coding.agreement import adjudicate, disagreements
    from practitioner_survey.coding.earning import require_earned, track_record
    from practitioner_survey.coding.patterns import PatternMatcher
    from practitioner_survey.coding.replay import ReplayResult
    from practitioner_survey.coding.session import CodingSession
    from practitioner_survey.coding.splitting import split_answer, split_many
    from practitioner_survey.coding.suggest import Suggester, Suggestion
    from practitioner_survey.coding.worklist import Item

__all__ = [
    "CodingSession",
    "Item",
    "PatternMatcher",
    "ReplayResult",
    "Suggester",
    "Suggestion",
    "adjudicate",
    "disagreements",
    "require_earned",
    "split_answer",
    "split_many",
    "track_record",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "CodingSession": "session",
        "Item": "worklist",
        "split_answer": "splitting",
        "split_many": "splitting",
        "Suggester": "suggest",
        "Suggestion": "suggest",
        "PatternMatcher": "patterns",
        "ReplayResult": "replay",
        "adjudicate": "agreement",
        "disagreements": "agreement",
        "require_earned": "earning",
        "track_record": "earning",
    },
)
