"""Places by their shape, for the anonymiser: an area's or estate's last word ("Blackbird Leys", "the Meadowell
estate", "Smithy Fen", "Llandudno Junction"), a site after a place ("Zennor library"), where someone lives ("lives
in March"), a village's or a Welsh place's first word ("Little Snoring", "Bro Gŵyr"), a town's hyphens
("Hay-on-Wye"). Split from cues.py, whose words around a name these use."""

from __future__ import annotations

import re
from collections.abc import Callable

from practitioner_survey.coding.cues import PLACE_AFTER, gap, starts_sentence
from practitioner_survey.coding.gazetteer import Word
from practitioner_survey.coding.names import MONTHS, NEVER_NAMES, TITLES, english_words, not_names, set_of

#: Words that end the name of a district, an estate or an area: "Blackbird Leys", "Moss Side", "the Peak District".
AREA_END = set_of(
    "Leys Side Park Green End Hill Hills Heath Vale Estate Fields Moor Moors Common Wood District Valley Marsh Downs "
    "Hamlets Grange Village Dale Brow Rise Meadows Fen Fens Corner Junction Farm Rock Cross Bridge Heights Edge "
    "Range Bottom Nook Carr"
)
#: Place words before a district named as a hall is ("in Page Hall"); not "at", which a venue takes.
_HALL_BEFORE = set_of("in from near around outside")
#: Lower-case words for a building or a service's site after a place's name: "Zennor library", "Pencoed station".
SITE_AFTER = set_of(
    "library station mosque church chapel gurdwara temple mandir synagogue surgery hospital college school academy "
    "market precinct estate campus clinic"
)
#: Verbs before "in" that say where someone lives: "she lives in March" is the town, not the month.
RESIDE = set_of("lives live living lived grew raised based settled housed rehoused placed")
_COMMON_END = set_of("Park Parks Estate Estates Village Farm Rock Cross Bridge Heights Edge")
#: Words that begin the name of a village or a Welsh place: "Little Snoring", "Nether Wallop", "Y Fenni".
PLACE_START = set_of("Little Great Nether Upper Lower Much Long Y Yr")
#: Welsh words that begin a place's name of two words ("Bro Gŵyr", "Tŷ Ddewi", "Cwm Rhondda", "Bae Colwyn").
WELSH_START = set_of(
    "Bro Ty Tŷ Cwm Llan Aber Nant Coed Pont Porth Caer Maes Glan Blaen Rhos Tre Tref Castell Mynydd Bae"
)
_PLACE_SHAPE = re.compile(r"[A-Z][^\W\d_]+(?:-(?:on|upon|under|in|le|by|super|en|next|cum|the|de|la|y|yr|ar))+-[A-Z]")


def place_word(w: Word, ends: frozenset[str]) -> bool:
    """Whether a word could be part of a place's name before its last word (one of `ends`): capitalised, not in
    capitals, no title, month or word that never names, and not itself one of `ends`."""
    return (w.text[:1].isupper() and not w.text.isupper() and w.bare not in NEVER_NAMES and w.text not in TITLES
            and w.bare not in ends and w.bare not in MONTHS and w.text.lower() not in not_names())  # fmt: skip


def place_shaped(word: str) -> bool:
    """A place by its shape: "Hay-on-Wye", "Ashby-de-la-Zouch", "Wells-next-the-Sea", "Betws-y-Coed"."""
    return _PLACE_SHAPE.match(word) is not None


def area(text: str, found: list[Word], i: int, ordinary: Callable[[str], bool]) -> int:
    """How many words from found[i] on make an area by its shape (0 if none): up to two capitalised words inside a
    sentence and an area's last word ("Blackbird Leys", "Leigh Park") or before "estate" ("the Meadowell estate"),
    or a village's first word and a capitalised word ("Little Snoring", "Y Fenni", "Bro Gŵyr"; at a sentence's
    start only a Welsh one and a word no dictionary holds, "Tŷ Ddewi"); not an `ordinary` word before
    Park, Estate or Village ("the Business Park", "a Car Park")."""

    def name_word(k: int) -> bool:
        return place_word(found[k], AREA_END)

    joined = i + 1 < len(found) and gap(text, found[i], found[i + 1]) == " "
    if starts_sentence(text, found, i):  # only a Welsh place's first word and a word no dictionary holds
        welsh = found[i].text in WELSH_START and joined and name_word(i + 1)
        return 2 if welsh and found[i + 1].bare.lower() not in english_words() else 0
    if not name_word(i) and found[i].text not in ("Y", "Yr"):
        return 0
    if (found[i].text in PLACE_START or found[i].text in WELSH_START) and joined and name_word(i + 1):
        return 2
    for n in (1, 2):
        j = i + n
        if j >= len(found) or gap(text, found[j - 1], found[j]) != " ":
            return 0
        estate = found[j].text in ("estate", "estates") and found[j - 1].bare == found[j - 1].text
        hall = found[j].bare == "Hall" and n == 1 and i > 0 and found[i - 1].text in _HALL_BEFORE
        if hall and found[i].bare not in PLACE_AFTER and gap(text, found[i - 1], found[i]) == " ":
            return 2  # "families in Page Hall", not "at the Town Hall"
        if found[j].bare in AREA_END or estate:
            common = (estate or found[j].bare in _COMMON_END) and all(ordinary(w.bare) for w in found[i:j])
            return 0 if common else n if estate else n + 1
        if not name_word(j) or found[j - 1].bare != found[j - 1].text:
            return 0
    return 0


def resident(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i] follows where someone lives ("lives in March", "grew up in Bath"), so is a place even if a
    month's or an ordinary word."""
    if i < 2 or found[i - 1].text != "in" or gap(text, found[i - 1], found[i]) != " ":
        return False
    k = i - 3 if found[i - 2].text == "up" and i >= 3 else i - 2  # "grew up in"
    return found[k].text in RESIDE and gap(text, found[k], found[k + 1]) == " "


def area_after(text: str, found: list[Word], i: int) -> bool:
    """Whether an area's last word follows found[i], a place, to make a longer one ("Sutton Junction")."""
    nxt = found[i + 1] if i + 1 < len(found) else None
    return nxt is not None and gap(text, found[i], nxt) == " " and nxt.bare in AREA_END and nxt.bare not in _COMMON_END
