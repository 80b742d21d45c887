"""Year-on-year changes as the report may print them: each change is looked up in the comparability rules
(`reference/comparability.toml`), carries the caveats that apply as numbered notes, and is not printed as a
change where the definitions differ between the years."""

from __future__ import annotations

from collections.abc import Iterable

from practitioner_survey.reference.texts import Caveat, Comparison, comparison

NOT_COMPARABLE = "not comparable"


class Notes:
    """The report's comparability notes, numbered in the order they are first used (one numbering for the whole
    report, so "[note 1]" means the same wherever it appears)."""

    def __init__(self) -> None:
        self.caveats: list[Caveat] = []

    def number(self, caveat: Caveat) -> int:
        if caveat not in self.caveats:
            self.caveats.append(caveat)
        return self.caveats.index(caveat) + 1

    def marks(self, caveats: Iterable[Caveat]) -> str:
        """' [note 1]', ' [notes 1, 2]' or ''."""
        numbers = sorted({self.number(c) for c in caveats})
        if not numbers:
            return ""
        return f" [note{'s' if len(numbers) > 1 else ''} {', '.join(str(n) for n in numbers)}]"

    def text(self, caveats: Iterable[Caveat]) -> str:
        """'Note 1: ... Note 2: ...' for the caveats given, in note order."""
        found = sorted({self.number(c): c for c in caveats}.items())
        return " ".join(f"Note {n}: {c.text}" for n, c in found)

    def listed(self) -> list[tuple[int, str]]:
        """Every note used so far, numbered."""
        return [(i + 1, c.text) for i, c in enumerate(self.caveats)]


def compare(measure: str, year: int | None, earlier: int) -> Comparison:
    """The comparison of `measure` between `earlier` and `year`; plainly comparable when the year is unknown."""
    return Comparison(True) if year is None else comparison(measure, year, earlier)


def caveats_of(measure: str, year: int | None, earlier: Iterable[int]) -> list[Caveat]:
    """Every caveat that applies to `measure` between `year` and any of the `earlier` years, without repeats."""
    out: list[Caveat] = []
    for y in earlier:
        for c in compare(measure, year, y).caveats:
            if c not in out:
                out.append(c)
    return out
