"""More signs of a person or a place, for the anonymiser (round 5): a street by its last word ("Cemetery Road",
"Heol y Coleg"), a surname after initials ("D.K. Sahota", "A-M Costigan"), an age or a people after a name
("Summer is 17", "Zayn (7)", "Blessing is Zimbabwean"), a case note's dash ("Iestyn - male victim"), a message
from someone ("txt from nkem", "saw rojin w/ hassan") and a county's compass word ("South Gloucestershire").
Split from cues.py and people.py, which these build on."""

from __future__ import annotations

import re
from collections.abc import Callable

from practitioner_survey.coding.cues import (
    PERSON_NOUNS,
    PERSON_STATE,
    PLACE_AFTER,
    gap,
    joined,
    place_before,
    starts_sentence,
)
from practitioner_survey.coding.gazetteer import Word
from practitioner_survey.coding.names import (
    MONTHS,
    NEVER_NAMES,
    SEASONS,
    TITLES,
    english_words,
    languages,
    not_names,
    set_of,
)
from practitioner_survey.coding.shapes import place_word

#: Words that end a street's name: "Cemetery Road", "Jubilee Crescent", "Brick Lane".
STREET_END = set_of("Road Street Lane Avenue Crescent Terrace Drive Grove Gardens Square Mews")
#: Words that end a street's or a district's name only after a place word: "lives on Elm Close", "off Sycamore
#: Way", "in Savile Town", "in Meadow Well".
WEAK_STREET_END = set_of("Close Way Walk Row Place Rise View Parade Town Well Lanes")
_ON = set_of("on off along down up")
#: Welsh words that begin a street's name, with "y" or "yr" after them or not: "Heol y Felin", "Stryd Fawr".
WELSH_STREET = set_of("Heol Stryd Ffordd Lôn Lon Cwrt Rhodfa Teras Clos")
LOWER_WELSH_STREET = frozenset(w.lower() for w in WELSH_STREET)
#: First words of a road that names no place: "the High Street", "the Main Road", "the Ring Road".
_GENERIC_STREET = set_of("High Main Ring Back Side Front")
#: Titles that name streets: "Lord Street", "Queen's Road" is found by its "'s" already.
_STREET_TITLES = set_of("Lord Lady King Queen Prince Princess Duke Duchess Earl Bishop Canon Dean Abbot")
_DETERMINERS = set_of("the a an this that these those our my your his her their every each any no some")
#: Words after a name and a dash, in a case note, that say a person is meant: "Folake - DOB", "Fung - elderly".
DASH_PERSON = set_of("male female elderly aged dob victim perpetrator survivor client risk missed her his she he")
#: Words for a message before "from" and a person: "txt from nkem", "a voicemail from Oona".
MESSAGE = set_of("txt text texts message messages msg email e-mail voicemail vm call calls")
#: Verbs before a person and "back": "Call Funmi back", "rang kasia back".
CALL = set_of("call ring phone text email called rang phoned texted emailed")
_AGE = re.compile(
    r" \(\d{1,2}\)|,? (?:is|was|aged|turned) (?:now |only |just )?(?:\d{1,2}|(?:one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)(?![\w-]))"
    r"(?=\s*(?:[.,;:!?)]|$|(?:and|but|when|years?|yrs?|y/?o)\b|-year))"
)
_AGE_ASIDE = re.compile(r", \d{1,2}, (?=[a-z])")  # "Lettice, 54, has lived": an age between commas, then lower case
_PEOPLE = re.compile(r" (?:is|was) [A-Z][a-z]+(?:ians?|eans?|[ic]cans?|ese|stanis?|deshis?|aqis?|alis?)\b")
# Initials with full stops, hyphenated ("A-M"), or one letter alone but not "A", "I" or the Welsh "Y".
_INITIALS = re.compile(
    r"(?<![\w.&'’-])(?:(?:[A-Z]\. ?){1,3}|[A-Z]-[A-Z]\.? |(?:[A-Z] ){2,3}|[B-HJ-XZ] )(?=[A-Z][a-z'’]|(?:Ní|Nic|Ó|Uí) )"
)
#: A surname after initials, with an Irish one's particle ("P. Ní Bhriain", "S. Ó Súilleabháin").
_SURNAME = re.compile(r"(?:(?:Ní|Nic|Ó|Uí) )?(?P<last>(?:O['’])?[A-Z][a-zà-öø-ÿ]+(?:[-'’][A-Z]?[a-zà-öø-ÿ]+)*)")
_COMPASS = set_of("North South East West")
_MID = set_of("Mid Inner Outer Central")  # "Mid Sussex", "Inner London": first before a place
_VIET_MIDDLE = set_of("Van Văn Thi Thị")
#: What must follow or come before a word for any of `signed`'s signs to hold.
_NEXT = re.compile(r" \(|, \d{1,2}, |,? (?:is|was|aged|turned|has|had) |(?: [A-Z][\w'’-]*)? ?[-–—] |, from ")
_BEFORE = CALL | {"from", "w"}
_DEMONYM = re.compile(r"(?:ians?|eans?|[ic]cans?|ese|stanis?|deshis?|aqis?|alis?)$")
_PEOPLE_END = ("ish", "ic", "an", "ese", "i")
#: Welsh words for an institution before its place: "Ysbyty Glan Clwyd", "Ysgol Bro Myrddin".
WELSH_INSTITUTION = set_of("Ysbyty Ysgol Canolfan Prifysgol Coleg Llyfrgell Eglwys Capel Cartref Meddygfa")
_DONE_BY = re.compile(r" (?:is|was|has been|had been) (?:\w+-)?\w+ed by (?:him|her|his|police|the police)\b")
_FROM_ASIDE = re.compile(r", from [A-Z][^,.;]{1,40}, (?:is|was|has|had|came|lives|lived|moved|arrived)\b")


def _name_word(w: Word) -> bool:
    return place_word(w, STREET_END)


def street(text: str, found: list[Word], i: int) -> int:
    """How many words from found[i] on make a street (0 if none): up to two capitalised words and a street's last
    word ("Brick Lane", "Stanhope Road"), or a Welsh street's first word, "y" and a name ("Heol y Felin")."""
    if found[i].text in ("St", "St.", "Y", "Yr") and i + 1 < len(found) and joined(text, found[i], found[i + 1]):
        nxt = found[i + 1]  # "St Ann's", "Y Fenni" (at a sentence's start too), not "St Mungo's", the charity
        named = nxt.text[:1].isupper() and nxt.bare not in NEVER_NAMES and nxt.bare.lower() not in not_names()
        if not named or (found[i].text[:1] == "Y" and nxt.bare.lower() in english_words()):
            return 0
        then = found[i + 2] if i + 2 < len(found) and joined(text, nxt, found[i + 2]) else None
        if then is not None and then.text[:1].isupper() and then.bare not in PLACE_AFTER:
            return 0  # "St John Ambulance", a body; but "St Mary's Hospital", "St Albans Road"
        road = i + 2 < len(found) and joined(text, nxt, found[i + 2]) and found[i + 2].bare in STREET_END
        return 3 if road and nxt.bare == nxt.text else 2  # "St Albans Road"
    if found[i].text in WELSH_STREET:
        k = i + 1
        if k < len(found) and found[k].text in ("y", "yr") and joined(text, found[i], found[k]):
            k += 1
        ok = k < len(found) and joined(text, found[k - 1], found[k]) and found[k].text[:1].isupper()
        return k - i + 1 if ok else 0
    after = found[i + 1] if i + 1 < len(found) and joined(text, found[i], found[i + 1]) else None
    if found[i].text in _STREET_TITLES and after is not None and after.bare in STREET_END:
        return 2  # "Lord Street", "Queen Street": a title, then a street's strong last word
    if not _name_word(found[i]) or found[i].text in _GENERIC_STREET or found[i].text.lower() in _DETERMINERS:
        return 0
    high = after is not None and after.text == "High" and i + 2 < len(found) and joined(text, after, found[i + 2])
    if high and found[i].bare == found[i].text and found[i + 2].bare in ("Street", "Road"):
        return 3  # "Kilburn High Road", "Wharton High Street": a place's own high street
    cued = place_before(text, found, i) or (i > 0 and found[i - 1].text in _ON and joined(text, found[i - 1], found[i]))
    cued = cued or _addressed(text, found, i)  # "bail address Larkspur Close", "her address is Foxglove Way"
    ends = STREET_END | WEAK_STREET_END if cued else STREET_END
    for n in (1, 2):
        j = i + n
        if j >= len(found) or not joined(text, found[j - 1], found[j]) or found[j - 1].bare != found[j - 1].text:
            return 0
        if found[j].bare in ends:
            return n + 1
        if not _name_word(found[j]) or found[j].text in _GENERIC_STREET:
            return 0  # "The High Street"
    return 0


def _addressed(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i] comes after "address" (or "address is")."""
    k = i - 2 if i >= 2 and found[i - 1].text in ("is", "was", ":") else i - 1
    return (
        k >= 0
        and found[k].text.lower() in ("address", "addresses")
        and text[found[k].end : found[i].start].strip(" :") in ("", "is", "was")
    )


_STREET_WORDS = (
    "Road|Rd|Street|Lane|Avenue|Ave|Crescent|Terrace|Drive|Grove|Gardens|Square|Mews|Close|Way|Walk|Place|Row|"
    "Court|View|Rise|Hill|Parade|Mount|Green|Fold|Croft|Chase|Gate|Park"
)
_ADDRESS = re.compile(
    rf"(?<![\w/£$.,-])\d{{1,3}}[A-Za-z]?,? (?:[A-Z][a-z'’]+ ){{1,2}}(?:{_STREET_WORDS})\b"  # "14 Elm Close"
    r"|\b(?:Flat|Apartment|Room) \d{1,4}[A-Za-z]?,? (?:[A-Z][a-z'’]+ ){1,2}"
    r"(?:House|Court|Tower|Lodge|Mansions|Heights|Point|Place|Buildings)\b"  # "Flat 2, Jubilee House"
)


def by_shape(text: str, surname: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """Names and places by their written shape: initials and a surname (`initialled`), and a house's or a flat's
    number before its street or building ("14 Elm Close", "Flat 2, Jubilee House"), as (start, end, kind)."""
    return initialled(text, surname) + [(m.start(), m.end(), "place") for m in _ADDRESS.finditer(text)]


def initialled(text: str, surname: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """Initials and the surname after them ("R. Pennington", "D.K. Sahota", "A-M Costigan", "S. O'Donnell", "K
    Brierley"), where `surname` says the word after them could be one (no ordinary word: not "U.K. Border")."""
    out: list[tuple[int, int, str]] = []
    for m in _INITIALS.finditer(text):
        word = _SURNAME.match(text, m.end())
        if word is not None and word.group("last") not in NEVER_NAMES and surname(word.group("last")):
            out.append((m.start(), word.end(), "name"))
    return out


def signed(text: str, found: list[Word], i: int, nameable: Callable[[str], bool]) -> bool:
    """Whether the words around found[i] say a person, whatever its case: an age or a people after it, a case
    note's dash, a message from it, "call X back", a nickname in brackets, "X, from Y, is" (see each)."""
    start, before = found[i].start, found[i - 1].text.lower() if i else ""
    if _NEXT.match(text, found[i].end) is None and before not in _BEFORE and text[start - 2 : start] != " (":
        return False  # none of the signs below can hold: the quick way out for most words
    return (
        aged(text, found, i)
        or dashed(text, found, i)
        or messaged(text, found, i)
        or bracketed(text, found, i, nameable)
        or _FROM_ASIDE.match(text, found[i].end) is not None  # "Aminata, from Sierra Leone, is in a refuge"
    )


def aged(text: str, found: list[Word], i: int) -> bool:
    """Whether an age, a people or what is done to a person follows found[i]: "Zayn (7)", "Lettice, 54, has", "Summer is
    17.", "Joy was 71", "Blessing is Zimbabwean", "Precious was cross-examined by him"."""
    end = found[i].end
    dated = found[i].bare in MONTHS or found[i].bare in SEASONS  # "in April, 15, were referred"
    return any(p.match(text, end) is not None for p in (_AGE, _PEOPLE, _DONE_BY)) or (
        not dated and _AGE_ASIDE.match(text, end) is not None
    )


def bracketed(text: str, found: list[Word], i: int, nameable: Callable[[str], bool]) -> bool:
    """Whether found[i] and a name beside it in brackets make a name and its nickname: "Funmilayo (Funmi) -"."""
    for a in (i - 1, i):
        b = a + 1
        if a < 0 or b >= len(found) or gap(text, found[a], found[b]) != " (":
            continue
        closed = text[found[b].end : found[b].end + 1] == ")"
        if closed and all(found[k].text[:1].isupper() and nameable(found[k].bare) for k in (a, b)):
            return True
    return False


def dashed(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i], first in a case note's line or sentence, is followed by a dash and a person's words
    ("Iestyn - male victim, 62", "Folake - DOB", "gemma - missed appt")."""
    if i + 1 >= len(found) or not starts_sentence(text, found, i):
        return False
    k = i + 1 if joined(text, found[i], found[i + 1]) and found[i + 1].text[:1].isupper() else i  # "Leanda Scamp"
    if k + 1 >= len(found) or gap(text, found[k], found[k + 1]).strip() not in ("-", "–", "—"):
        return False
    said = {w.text.lower() for w in found[k + 1 : k + 4]}
    return bool(said & (DASH_PERSON | PERSON_NOUNS | PERSON_STATE))


def messaged(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i] is who a message came from, who was with someone or who is to be called back: "txt from
    nkem", "w/ hassan", "Call Funmi back"."""
    if i < 1:
        return False
    if not joined(text, found[i - 1], found[i]):
        return found[i - 1].text == "w" and gap(text, found[i - 1], found[i]) == "/ "
    if found[i - 1].text.lower() in CALL and i + 1 < len(found) and found[i + 1].text == "back":
        return joined(text, found[i], found[i + 1])  # "Call Funmi back on ..."
    message = i >= 2 and found[i - 2].text.lower() in MESSAGE and joined(text, found[i - 2], found[i - 1])
    return found[i - 1].text == "from" and message


def region(text: str, found: list[Word], i: int) -> int:
    """2 if found[i] and the next word are two compass words before no capitalised word: a region ("the North East
    network"), too wide to identify anyone; else 0."""
    pair = i + 1 < len(found) and found[i].text in _COMPASS and found[i + 1].bare in _COMPASS
    if not pair or not joined(text, found[i], found[i + 1]):
        return 0
    nxt = found[i + 2] if i + 2 < len(found) and joined(text, found[i + 1], found[i + 2]) else None
    return 2 if nxt is None or not nxt.text[:1].isupper() else 0


def compass(found: list[Word], i: int, text: str) -> int:
    """How many compass words from found[i] on are joined to a word after them ("South Gloucestershire": 1,
    "North East Lincolnshire": 2, "Mid Sussex": 1), 0 if none."""
    n = 0
    while n < 2 and i + n + 1 < len(found) and (found[i + n].text in _COMPASS or (not n and found[i].text in _MID)):
        if not joined(text, found[i + n], found[i + n + 1]):
            break
        n += 1
    return n


def people_word(word: str, by_ending: bool = True) -> bool:
    """A language's or a people's name: listed ("Tigrinya", "Slovak"), by its ending if `by_ending` ("Hungarian",
    "Iraqi"), or one of the domain's words that ends as they do ("Kurdish", "Dari")."""
    if word in languages() or (by_ending and _DEMONYM.search(word) is not None):
        return True
    return word.endswith(_PEOPLE_END) and word.lower() in not_names()


def among_peoples(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i] is listed beside a language's or a people's name (a listed one: "Upper Tean" is a village),
    so is one too: "Alevi Kurdish", "Romani not Slovak", "Dari and Kurmanji"."""

    def people(k: int) -> bool:
        return 0 <= k < len(found) and found[k].text[:1].isupper() and people_word(found[k].bare, by_ending=False)

    n = len(found)
    if i + 1 < n and joined(text, found[i], found[i + 1]) and people(i + 1):
        return True
    listed = ("and", "or", "not")
    if i + 2 < n and found[i + 1].text in listed and joined(text, found[i], found[i + 1]) and people(i + 2):
        return joined(text, found[i + 1], found[i + 2])
    return (
        i >= 2
        and found[i - 1].text in listed
        and joined(text, found[i - 1], found[i])
        and people(i - 2)
        and (joined(text, found[i - 2], found[i - 1]))
    )


def institution(text: str, found: list[Word], i: int) -> int:
    """How many capitalised words after a Welsh institution's word make its place ("Ysbyty Glan Clwyd": 2)."""
    if found[i].text not in WELSH_INSTITUTION:
        return 0
    n = 0
    while n < 3 and i + n + 1 < len(found) and joined(text, found[i + n], found[i + n + 1]):
        if not _name_word(found[i + n + 1]):
            break
        n += 1
    return n


_LISTED_GAP = re.compile(r", | \d[\d,.]*%?, ")


def listed(between: str) -> bool:
    """Whether the characters between two words list them: a comma, or a figure and a comma ("Oldham 104, Bury")."""
    return _LISTED_GAP.fullmatch(between) is not None


def family_first(text: str, found: list[Word], start: int, surname: Callable[[str], bool]) -> int:
    """Where a name found at `start` begins, with a short family name written first at a sentence's start ("Le Thu
    Trang", "Ho Yin Chan"): a word of two or three letters that `surname` says is a surname, joined to it."""
    k = next((j for j, w in enumerate(found) if w.start == start), None)
    if k is None or k == 0 or not joined(text, found[k - 1], found[k]):
        return start
    first = found[k - 1]
    short = 2 <= len(first.text) <= 3 and first.text[:1].isupper() and first.text[1:].islower()
    viet = short and found[k].text in _VIET_MIDDLE and first.text not in TITLES
    if viet and (len(first.text) == 2 or surname(first.text)):
        return first.start  # "Do Van Hung", "Ha Thi Mai": a Vietnamese middle name marks the family name before it
    if not starts_sentence(text, found, k - 1):
        return start
    return first.start if short and first.text not in NEVER_NAMES and surname(first.text) else start


def lower_welsh_street(text: str, found: list[Word], i: int) -> int:
    """How many words from found[i] make a Welsh street typed in lower case after "on", "off" or a place word
    ("the flat on heol y nant", "lives on stryd fawr"): its first word, "y" or "yr", and a word (0 if none)."""
    word = found[i]
    if word.text not in LOWER_WELSH_STREET or i == 0:
        return 0
    if not (found[i - 1].text in _ON or place_before(text, found, i)) or not joined(text, found[i - 1], word):
        return 0
    k = i + 1
    if k < len(found) and found[k].text in ("y", "yr") and joined(text, word, found[k]):
        k += 1
    return k - i + 1 if k < len(found) and joined(text, found[k - 1], found[k]) else 0


def around_known(text: str, every: list[Word], known: set[int]) -> list[tuple[int, int]]:
    """A street, a compass word or a "Royal" hospital around a place of the year's returns (starting at one of
    `known`): "Old Kent Road" over "Kent", "Mid Suffolk" over "Suffolk", "the Royal Gwent Hospital" over "Gwent".
    Split from anonymise.py."""
    out: list[tuple[int, int]] = []
    if not known:
        return out
    for k, word in enumerate(every):
        if not word.text[:1].isupper() or not any(w.start in known for w in every[k + 1 : k + 3]):
            continue
        if (n := street(text, every, k)) > 1:
            out.append((word.start, every[k + n - 1].bare_end))
        elif (c := compass(every, k, text)) and every[k + c].start in known:  # "Mid Suffolk" over "Suffolk"
            out.append((word.start, every[k + c].bare_end))
        elif word.text == "Royal" and k + 2 < len(every) and every[k + 2].bare in ("Hospital", "Infirmary"):
            out += (
                [(word.start, every[k + 1].bare_end)]
                if joined(text, word, every[k + 1]) and every[k + 1].start in known
                else []
            )
    return out


def district_after(text: str, found: list[Word], k: int, place_ends: set[int]) -> int:
    """How many capitalised words from found[k] name a district in brackets after a place found (ending at one of
    `place_ends`): "Sheffield (Page Hall mostly)", "Leeds (Harehills)"; 0 if none, or if a people's, domain or
    month's word is among them ("Sheffield (Roma families)")."""
    start = found[k].start
    if text[start - 2 : start] != " (" or start - 2 not in place_ends:
        return 0
    n = 0
    while n < 2 and k + n < len(found) and _name_word(found[k + n]) and not people_word(found[k + n].bare):
        if n and not joined(text, found[k + n - 1], found[k + n]):
            break
        n += 1
    if not n:
        return 0
    end = found[k + n - 1]
    then = text[end.end : end.end + 2]
    return n if then.startswith(")") or (then == " " + then[1:] and then[1:].islower()) else 0
