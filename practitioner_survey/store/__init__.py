"""The store: the only wing that speaks SQL (SQLite or PostgreSQL).

Owns connections (`db`), the schema and its migrations (`schema`), years, returns and their original files
(`core`, writing rows through `rows`), what each year holds, counted without pandas for `survey status`
(`overview`), rollovers and revisions (`corrections`), comments and the coding log (`coding`), the coding loop's
claims and progress (`claims`), `survey check` (`check`, with `check_sqlite`, `check_figures` and the independent
`log_replay`), opening a SQLite file safely (`sqlite_file`) and backup and restore (`admin`). Imports `returns`,
`codebook`, `reference` and `errors` only.
"""

from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_exports

if TYPE_CHECKING:
    from practitioner_survey.store.admin import backup_store, restore_store
    from practitioner_survey.store.check import CheckReport, check_store
    from practitioner_survey.store.coding import CodedComment, CodingStore, Decision, NewComment
    from practitioner_survey.store.core import ImportOutcome, Store
    from practitioner_survey.store.corrections import RevisionOutcome, RolloverOutcome
    from practitioner_survey.store.db import Connection, connect

__all__ = [
    "CheckReport",
    "CodedComment",
    "CodingStore",
    "Connection",
    "Decision",
    "ImportOutcome",
    "NewComment",
    "RevisionOutcome",
    "RolloverOutcome",
    "Store",
    "backup_store",
    "check_store",
    "connect",
    "restore_store",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Store": "core",
        "ImportOutcome": "core",
        "RolloverOutcome": "corrections",
        "RevisionOutcome": "corrections",
        "connect": "db",
        "Connection": "db",
        "CodingStore": "coding",
        "CodedComment": "coding",
        "Decision": "coding",
        "NewComment": "coding",
        "CheckReport": "check",
        "check_store": "check",
        "backup_store": "admin",
        "restore_store": "admin",
    },
)
