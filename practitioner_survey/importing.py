"""Importing a year's returns: read, gather a reason for every warning, store. No terminal code here.

The caller may pass `ask`, a function shown one warning that returns the reason it is accepted (blank leaves
it unaccepted): the command line passes a prompt when it runs in a terminal, tests pass a plain function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from practitioner_survey.errors import Problem, ReturnsError
from practitioner_survey.returns import AckKey, Returns, ack_key, read_acknowledgements, read_returns
from practitioner_survey.store import ImportOutcome, Store, unacknowledged_summary

Ask = Callable[[Problem], str]


@dataclass(frozen=True)
class ImportResult:
    """The returns as read (for their repairs and files) and what the store did with them."""

    returns: Returns
    outcome: ImportOutcome


def unacknowledged(returns: Returns, acknowledged: dict[AckKey, str]) -> list[Problem]:
    """The warnings that have no reason yet."""
    return [w for w in returns.warnings if not acknowledged.get(ack_key(w), "").strip()]


def import_year(
    store: Store,
    path: Path,
    year: int,
    *,
    accept_warnings: Path | None = None,
    replace: bool = False,
    ask: Ask | None = None,
) -> ImportResult:
    """Read the returns at `path` and store them as `year`'s, all or nothing.

    Reasons for warnings come from the `accept_warnings` CSV, then for any left from `ask`. Nothing is asked
    when the store already holds these very files (the import is then 'unchanged') or refuses to replace.
    """
    returns = read_returns(Path(path))
    acknowledged = dict(read_acknowledgements(accept_warnings)) if accept_warnings else {}
    if store.import_action(year, returns, replace) != "unchanged":
        missing = unacknowledged(returns, acknowledged)
        if missing and ask is not None:
            for warning in missing:
                if acknowledged.get(ack_key(warning), "").strip():
                    continue  # another warning with the same code, service and area was just accepted
                reason = ask(warning).strip()
                if reason:
                    acknowledged[ack_key(warning)] = reason
            missing = unacknowledged(returns, acknowledged)
        if missing:
            raise ReturnsError(missing, summary=unacknowledged_summary(len(missing), year, str(path)))
    return ImportResult(returns, store.import_returns(year, returns, acknowledged, replace=replace))
