"""More signs of a person or a place, for the anonymiser (round 5): a street by its last word ("Cemetery Road",
"Heol y Coleg"), a surname after initials ("D.K. Sahota", "A-M Costigan"), an age or a people after a name
("Summer is 17", "Zayn (7)", "Blessing is Zimbabwean"), a case note's dash ("Iestyn - male victim"), a message
from someone ("txt from nkem", "saw rojin w/ hassan") and a county's compass word ("South Gloucestershire").
Split from cues.py and people.py, which these build on."""

from __future__ import annotations

import re
from collections.abc import Callable

from practitioner_survey.coding.cues import PERSON_NOUNS, PERSON_STATE, gap, joined, starts_sentence
from practitioner_survey.coding.gazetteer import Word
from practitioner_survey.coding.names import MONTHS, NEVER_NAMES, TITLES, not_names


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Words that end a street's name: "Cemetery Road", "Jubilee Crescent", "Brick Lane".
STREET_END = _set("Road Street Lane Avenue Crescent Terrace Drive Grove Gardens Square Mews")
#: Welsh words that begin a street's name, with "y" or "yr" after them or not: "Heol y Felin", "Stryd Fawr".
WELSH_STREET = _set("Heol Stryd Ffordd Lôn")
#: First words of a road that names no place: "the High Street", "the Main Road", "the Ring Road".
_GENERIC_STREET = _set("High Main Ring Back Side Front")
#: Words after a name and a dash, in a case note, that say a person is meant: "Folake - DOB", "Fung - elderly".
DASH_PERSON = _set("male female elderly aged dob victim perpetrator survivor client risk missed")
#: Words for a message before "from" and a person: "txt from nkem", "a voicemail from Oona".
MESSAGE = _set("txt text texts message messages msg email e-mail voicemail vm call calls")
_AGE = re.compile(
    r" \(\d{1,2}\)|,? (?:is|was|aged|turned) (?:now |only |just )?\d{1,2}"
    r"(?=\s*(?:[.,;:!?)]|$|and\b|years?\b|yrs?\b|y/?o\b|-year))"
)
_PEOPLE = re.compile(r" (?:is|was) [A-Z][a-z]+(?:ians?|eans?|[ic]cans?|ese|stanis?|deshis?|aqis?|alis?)\b")
_INITIALS = re.compile(r"(?<![\w.&'’-])(?:(?:[A-Z]\. ?){1,3}|[A-Z]-[A-Z]\.? )(?=[A-Z][a-z])")
_COMPASS = _set("North South East West")


def _name_word(w: Word) -> bool:
    return (w.text[:1].isupper() and not w.text.isupper() and w.bare not in NEVER_NAMES and w.text not in TITLES
            and w.bare not in MONTHS and w.bare not in STREET_END and w.text.lower() not in not_names())  # fmt: skip


def street(text: str, found: list[Word], i: int) -> int:
    """How many words from found[i] on make a street (0 if none): up to two capitalised words and a street's last
    word ("Brick Lane", "Stanhope Road"), or a Welsh street's first word, "y" and a name ("Heol y Felin")."""
    if found[i].text in WELSH_STREET:
        k = i + 1
        if k < len(found) and found[k].text in ("y", "yr") and joined(text, found[i], found[k]):
            k += 1
        ok = k < len(found) and joined(text, found[k - 1], found[k]) and found[k].text[:1].isupper()
        return k - i + 1 if ok else 0
    if not _name_word(found[i]) or found[i].text in _GENERIC_STREET:
        return 0
    for n in (1, 2):
        j = i + n
        if j >= len(found) or not joined(text, found[j - 1], found[j]) or found[j - 1].bare != found[j - 1].text:
            return 0
        if found[j].bare in STREET_END:
            return n + 1
        if not _name_word(found[j]):
            return 0
    return 0


def initialled(text: str, surname: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """Initials and the surname after them ("R. Pennington", "D.K. Sahota", "A-M Costigan"), where `surname` says
    the word after them could be one (no ordinary word: not "U.K. Border")."""
    out: list[tuple[int, int, str]] = []
    for m in _INITIALS.finditer(text):
        word = re.match(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*", text[m.end() :])
        if word is not None and word.group(0) not in NEVER_NAMES and surname(word.group(0)):
            out.append((m.start(), m.end() + word.end(), "name"))
    return out


def aged(text: str, found: list[Word], i: int) -> bool:
    """Whether an age or a people follows found[i]: "Zayn (7)", "Summer is 17.", "Joy was 71", "Blessing is
    Zimbabwean"."""
    end = found[i].end
    return _AGE.match(text, end) is not None or _PEOPLE.match(text, end) is not None


def dashed(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i], first in a case note's line or sentence, is followed by a dash and a person's words
    ("Iestyn - male victim, 62", "Folake - DOB", "gemma - missed appt")."""
    if i + 1 >= len(found) or not starts_sentence(text, found, i):
        return False
    if gap(text, found[i], found[i + 1]).strip() not in ("-", "–", "—"):
        return False
    said = {w.text.lower() for w in found[i + 1 : i + 4]}
    return bool(said & (DASH_PERSON | PERSON_NOUNS | PERSON_STATE))


def messaged(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i] is who a message came from or who was with someone: "txt from nkem", "w/ hassan"."""
    if i < 2 or not joined(text, found[i - 1], found[i]):
        return found[i - 1].text == "w" and gap(text, found[i - 1], found[i]) == "/ " if i else False
    message = found[i - 2].text.lower() in MESSAGE and joined(text, found[i - 2], found[i - 1])
    return found[i - 1].text == "from" and message


def compass(found: list[Word], i: int, text: str) -> bool:
    """Whether found[i] is a compass word joined to the place after it ("South Gloucestershire")."""
    return found[i].text in _COMPASS and i + 1 < len(found) and joined(text, found[i], found[i + 1])
