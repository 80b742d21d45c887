"""Places of several words typed in lower case after a place word, as case notes write them (round 9): "moved to
st helens", "lives in newcastle under lyme", "from ashton under lyne". A name of the gazetteer matches word for
word in lower case, its hyphens read as spaces and "St" as "st" or "saint"; at least one of its words must be no
English word, so "in high street shops" or "at west end" stay. Split from anonymise.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from practitioner_survey.coding import cues
from practitioner_survey.coding.gazetteer import Word, place_names


def lower_places(text: str, found: list[Word], english: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Spans of places of two words or more in lower case after a place word in `found` (the words not yet
    taken), where `english` says at least one of their words is no English word."""
    out: list[tuple[int, int]] = []
    index = _index()
    i = 0
    while i < len(found):
        word = found[i]
        names = index.get(word.text) if word.text.islower() else None
        if not names or not cues.place_before(text, found, i):
            i += 1
            continue
        n = max((len(name) for name in names if _matches(text, found, i, name)), default=0)
        if n and any(not english(w.bare) for w in found[i : i + n]):
            out.append((word.start, found[i + n - 1].bare_end))
            i += n
            continue
        i += 1
    return out


def _matches(text: str, found: list[Word], i: int, name: tuple[str, ...]) -> bool:
    if i + len(name) > len(found):
        return False
    for k, part in enumerate(name):
        word = found[i + k]
        if (word.bare if k == len(name) - 1 else word.text) != part:
            return False
        if k and not cues.joined(text, found[i + k - 1], word):
            return False
    return True


@cache
def _index() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The gazetteer's names of two words or more, in lower case and split at spaces and hyphens, by first word."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for name in place_names():
        parts = tuple(name.lower().replace("-", " ").replace(".", "").split())
        if len(parts) < 2:
            continue
        forms = [parts, ("saint", *parts[1:])] if parts[0] == "st" else [parts]
        for form in forms:
            out.setdefault(form[0], []).append(form)
    return {k: tuple(v) for k, v in out.items()}
