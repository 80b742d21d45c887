"""Importing a year's returns: read, gather a reason for every warning, store. No terminal code here.

The caller may pass `ask`, a function shown one warning that returns the reason it is accepted (blank leaves
it unaccepted): the command line passes a prompt when it runs in a terminal, tests pass a plain function.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from practitioner_survey.errors import Problem, ReturnsError
from practitioner_survey.returns.export import read_export
from practitioner_survey.returns.validate import AckKey, Returns, ack_key, read_acknowledgements, read_returns
from practitioner_survey.store.core import ImportOutcome, Store, unacknowledged_summary

Ask = Callable[[Problem], str]
#: A year in a file name: '2016', or a financial year '2016-17' / '2016_2017' (which also names its second year).
#: A full date ('2018-01-15', '15.01.2018') says when a file was saved, not which year it is for.
_DATE_IN_NAME = re.compile(r"(?<!\d)(?:(?:19|20)\d\d[-_.]\d\d?[-_.]\d\d?|\d\d?[-_.]\d\d?[-_.](?:19|20)\d\d)(?!\d)")
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:[-_/ ]((?:19|20)?\d\d))?(?!\d)")


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
    mapping: Path | None = None,
) -> ImportResult:
    """Read the returns at `path` and store them as `year`'s, all or nothing.

    Reasons for warnings come from the `accept_warnings` CSV, then for any left from `ask`. Nothing is asked
    when the store already holds these very files (the import is then 'unchanged') or refuses to replace.
    With `mapping`, `path` is a survey tool's export read through that mapping file (returns/export.py).
    """
    _check_year_in_names(Path(path), year)
    returns = read_returns(Path(path), year) if mapping is None else read_export(Path(path), Path(mapping))
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


def years_named(name: str) -> set[int]:
    """The years a file name mentions: 'returns-2016.xlsx' -> {2016}; 'returns 2016-17.xlsx' -> {2016, 2017};
    'saved 2018-01-15.xlsx' -> set() (a date says when, not for which year)."""
    years: set[int] = set()
    for match in _YEAR_IN_NAME.finditer(_DATE_IN_NAME.sub(" ", name)):
        first = int(match.group(1))
        years.add(first)
        second = match.group(2)
        if second and int(second[-2:]) == (first + 1) % 100:
            years.add(first + 1)
    return years


def _check_year_in_names(path: Path, year: int) -> None:
    """Refuse returns whose name says they are another year's: the commonest way to import last year's file."""
    names = [path.name] if path.is_dir() or path.suffix.lower() != ".csv" else [path.name, path.parent.name]
    for name in names:
        named = years_named(name)
        if named and year not in named:
            said = " or ".join(str(y) for y in sorted(named))
            message = f"{name} is named for {said}, not {year}: check the year, or rename the file if it is {year}'s"
            raise ReturnsError([Problem("error", "wrong-year", message, name)])
