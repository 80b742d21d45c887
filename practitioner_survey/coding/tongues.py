"""Languages and scripts, for the anonymiser: a capitalised word that names a language where it stands is no
person or place. Before "interpreter" or "speakers", after "speaks", in a script after a language ("Punjabi in
Shahmukhi"), or in a list with a language's cue at its end ("Sorani and Kurmanji interpreters", "speak Urdu,
Punjabi, Pahari and Gujarati") or with mostly listed languages in it ("in Arabic, Dari, Pashto and Tigrinya").
Split from anonymise.py."""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from practitioner_survey.coding import cues, signs
from practitioner_survey.coding.cues import LANGUAGE_AFTER, LANGUAGE_BEFORE
from practitioner_survey.coding.gazetteer import Word, country_names, gazetteer
from practitioner_survey.coding.names import TITLES, languages

_IN = frozenset({"for", "in", "into"})
_LIST = frozenset({"and", "or"})


def language(text: str, found: list[Word], i: int, given: Collection[str]) -> bool:
    """Whether found[i] names a language (or a script) where it stands; a given name only by the words around
    it, never by a list ("Amina, Urdu speaker" is a person)."""
    before = cues.before(text, found, i)
    if (before is not None and before.text in TITLES) or found[i].bare != found[i].text:
        return False  # "Mrs Kurdi", "Rojda's interpreter"
    after = cues.after(text, found, i)
    if after.endswith("ing") and found[i].bare in given and found[i].bare not in languages():
        return False  # "with Folake interpreting": a person doing it, not "Tigrinya interpreting"
    if after in LANGUAGE_AFTER or (before is not None and before.text in LANGUAGE_BEFORE):
        return True
    if found[i].bare in given:
        return False
    if gazetteer().match(text, found, i):
        return False  # "the Freedom Programme in Bengali in Oldham"
    if before is not None and before.text in _IN and i >= 2 and cues.joined(text, found[i - 2], before):
        prev = found[i - 2]  # "classes in Dari", "Punjabi in Shahmukhi", "no interpreter for Romani"
        if prev.text in LANGUAGE_AFTER:
            named = i >= 3 and found[i - 3].text[:1].isupper() and cues.joined(text, found[i - 3], prev)
            return before.text != "for" or not named  # not "a Kurmanji interpreter for Rojda"
        if before.text != "for" and _language_word(prev):
            return True
    members = listed(text, found, i)
    if len(members) < 2:
        return False
    first = cues.before(text, found, members[0])
    if cues.after(text, found, members[-1]) in LANGUAGE_AFTER or (first is not None and first.text in LANGUAGE_BEFORE):
        return True
    if not any(w.text in _LIST for w in found[members[0] : members[-1]]):
        return False  # a case note's fields ("Boston, Lincs, Lithuanian, 2 kids"), not a list of languages
    known = [_language_word(found[k]) for k in members if k != i]
    return 2 * sum(known) > len(known)  # most of the others: not "Boston, Lincs, Lithuanian"


def country_people(text: str, found: list[Word], i: int) -> int:
    """2 if found[i] and the word after it name the people of a country of two words ("Sierra Leonean", "Sri
    Lankan", "Costa Rican": the country's first word, then its second's stem and an ending), else 0."""
    if i + 1 >= len(found) or not cues.joined(text, found[i], found[i + 1]):
        return 0
    second = found[i + 1].bare
    if not second[:1].isupper() or not second.endswith(("n", "ns", "ese", "i", "er", "ers")):
        return 0
    return 2 if any(second.startswith(stem) for stem in _second_stems().get(found[i].text, ())) else 0


@cache
def _second_stems() -> dict[str, tuple[str, ...]]:
    """The countries of two words, by their first word: their second word less its last letter ("Leon")."""
    out: dict[str, list[str]] = {}
    for name in country_names():
        parts = name.split()
        if len(parts) == 2 and len(parts[1]) > 3:
            out.setdefault(parts[0], []).append(parts[1][:-1])
    return {k: tuple(v) for k, v in out.items()}


def _language_word(w: Word) -> bool:
    return w.text[:1].isupper() and signs.people_word(w.bare, by_ending=False)


def _member(w: Word) -> bool:
    return w.text[:1].isupper() and w.bare == w.text and not w.text.isupper()


def listed(text: str, found: list[Word], i: int) -> list[int]:
    """The capitalised one-word members of the list found[i] is in ("Urdu, Punjabi, Pahari and Gujarati"), by
    commas, "and" and "or"; [i] alone if it is in none."""
    out = [i]
    for way in (-1, 1):
        k = i
        while (j := _next_member(text, found, k, way)) is not None:
            out.insert(0, j) if way < 0 else out.append(j)
            k = j
    return out


def _next_member(text: str, found: list[Word], k: int, way: int) -> int | None:
    """The list's next member from found[k], before it (way -1) or after it (way 1), or None."""
    near = k + way
    if not 0 <= near < len(found):
        return None
    if cues.gap(text, *sorted((found[k], found[near]), key=lambda w: w.start)) == ", " and _member(found[near]):
        return near
    far = k + 2 * way
    if found[near].text not in _LIST or not 0 <= far < len(found) or not _member(found[far]):
        return None
    first, last = sorted((found[k], found[far]), key=lambda w: w.start)
    gaps = (cues.gap(text, first, found[near]), cues.gap(text, found[near], last))
    return far if gaps[1] == " " and gaps[0] in (" ", ", ") else None
