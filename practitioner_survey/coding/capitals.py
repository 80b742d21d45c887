"""A capital inside a sentence as evidence, for the anonymiser: a word that is also an English word ("Blessing",
"Storm", "Rose") but written with a capital where English would not ("and Blessing finally said yes"), on its own
(no capitalised word beside it, so no organisation's or scheme's name such as "the Sanctuary Scheme"), is a person
or a place; and an English word capitalised after a given name that is no word is its surname ("Darren Pickles").
Split from cues.py."""

from __future__ import annotations

from collections.abc import Callable

from practitioner_survey.coding import cues, shapes, signs
from practitioner_survey.coding.gazetteer import Word
from practitioner_survey.coding.names import (
    DOMAIN_NAMES,
    MONTHS,
    NEVER_NAMES,
    SEASONS,
    TITLES,
    set_of,
    word_frequencies,
)

#: Words before a capitalised word that make it a thing's name: "the Lighthouse", "a Turkish interpreter".
_THING_BEFORE = set_of("the a an this that these those its every each no any another")
#: A word likelier than this in lower case (a log probability: "will" -6.2, "hope" -8.2, "summer" -9.8) is so
#: common that a capital on it says little ("more Will from the Police").
_COMMONEST = -9.0


def alone(text: str, found: list[Word], i: int, named: Callable[[str], bool]) -> bool:
    """Whether found[i] is capitalised inside a sentence, with no capitalised word joined to it on either side,
    after no determiner, in no pair with a capitalised word that is no name (`named`: "Patience and Kindness"), and
    is no month, season, day, title or domain word, nor one of the commonest words."""
    word = found[i]
    if not word.text[:1].isupper() or word.text.isupper() or cues.starts_sentence(text, found, i):
        return False
    if any(word.bare in words for words in (NEVER_NAMES, MONTHS, SEASONS, TITLES, DOMAIN_NAMES)):
        return False  # "Ask for Ani", "in May"
    seen = word_frequencies().get(word.bare.lower())
    if seen is not None and seen[0] > _COMMONEST:
        return False
    if i >= 2 and found[i - 1].text in ("and", "or") and found[i - 2].text[:1].isupper():
        return False  # "Hope and Will are our groups": a pair, whose first word says what both are
    if i + 2 < len(found) and found[i + 1].text in ("and", "or") and found[i + 2].text[:1].isupper():
        return named(found[i + 2].bare)  # "Storm and River", not "Patience and Kindness"
    prev, nxt = found[i - 1], found[i + 1] if i + 1 < len(found) else None
    if prev.text.lower() in _THING_BEFORE or (prev.text[:1].isupper() and cues.joined(text, prev, word)):
        return False
    return nxt is None or not (nxt.text[:1].isupper() and cues.joined(text, word, nxt))


#: Capitalised words after a name that make it a thing's: a place's, a street's, a scheme's or a company's.
_THING_END = (
    cues.PLACE_AFTER | cues.BRAND_END | cues.SCHEME_AFTER | shapes.AREA_END | signs.STREET_END | signs.WEAK_STREET_END
)


def surname_word(text: str, found: list[Word], k: int) -> bool:
    """Whether found[k], an English word capitalised after a given name, can be its surname: no domain, place,
    street, scheme or company word, month, title or people's word, and no capitalised word joined after it
    ("Darren Pickles", "Shanelle Cash"; not "Amy Street", "Jade Project Team")."""
    word = found[k]
    if not word.text[:1].isupper() or word.text.isupper() or word.bare != word.text:
        return False
    if any(word.bare in words for words in (NEVER_NAMES, MONTHS, SEASONS, TITLES, _THING_END)):
        return False
    if signs.people_word(word.bare):
        return False
    nxt = found[k + 1] if k + 1 < len(found) else None
    return nxt is None or not (nxt.text[:1].isupper() and cues.joined(text, word, nxt))
