"""People and places the anonymiser's main pass leaves: names of two or three short words none of which is an
ordinary word ("Xiu Ying", "Li Na"), found by what follows them, and names and places typed in lower case, found by
the words around them ("from wigan", "Mrs hussain", "gemma's mum"). Used by `anonymise.Anonymiser`."""

from __future__ import annotations

import re
from typing import Protocol

from practitioner_survey.coding import cues, shapes
from practitioner_survey.coding.cues import LANGUAGE_AFTER
from practitioner_survey.coding.gazetteer import Gazetteer, Word, countries, world
from practitioner_survey.coding.names import (
    DOMAIN_NAMES,
    HOLIDAYS,
    MONTHS,
    NEVER_NAMES,
    PERSON_CUES,
    SEASONS,
    TITLES,
    Ordinariness,
    known_proper,
)
from practitioner_survey.coding.proper import Proper

#: How a people's or language's name ends ("Kurdish", "Arabic", "Persian", "Somali"), unlike the domain's words.
_PEOPLE_END = ("ish", "ic", "an", "ese", "i")

#: A building's or an institution's last word: "the Tregenza Surgery" is a place, not a thing like "the Duluth Wheel".
_BUILDINGS = cues.set_of(
    "Surgery Practice School Academy College Hall House Church Chapel Library Mosque Temple Gurdwara Clinic Ward "
    "Unit Medical Health Hotel Inn Arms Farm Mill Barracks Prison"
)
_BE_NOW = frozenset({"is", "was", "are", "were"})
_FUNCTION = frozenset({"and", "or", "but", "too", "also", "alone", "only", "here", "there", "again", "now", "then"})


#: Lower-case particles inside a name: "Faisal bin Khalid", "Maria da Silva", "Tom van Dijk", "Rhys ap Gwilym".
_PARTICLES = frozenset({"bin", "bint", "ibn", "van", "von", "de", "da", "di", "du", "dos", "das", "del", "ap", "ter"})
_JOINED_PARTICLE = re.compile(r"^(?:al|el|ul|ad|ud|as|ash|an|ben|bin|abu)-[A-Z]\w")
#: How nicknames made from words end: "Chalky", "Lofty", "Smudgie", "Jacko", "Gazza".
_NICKNAME_END = ("y", "ie", "o", "a")
_TO_THINGS = cues.set_of(
    "like love loved miss missed dear thanks congratulations joined followed took brought drove help helped helping"
)
_OWNERS = frozenset({"her", "his", "their", "my", "our", "your", "the", "a", "an", "this", "that"})


def _role(word: str) -> bool:
    """A word for a person's role, never part of their name: "Caseworker Andrius", "Volunteer Li Na"."""
    return word.lower() in PERSON_CUES or word.lower() in cues.PERSON_NOUNS


def _role_after(text: str, found: list[Word], i: int) -> bool:
    """Whether a comma, a determiner and a person's role follow found[i]: "Ducky, our receptionist for years"."""
    k = i + 1
    if k + 1 >= len(found) or cues.gap(text, found[i], found[k]) != ", " or found[k].text not in _OWNED:
        return False
    if not (cues.joined(text, found[k], found[k + 1]) and found[k + 1].text in cues.ROLES):
        return False
    return k + 2 >= len(found) or found[k + 2].text not in _BODIES  # not "Crisis, our partner charity"


#: Nouns after a person's word that make it an organisation's: "our partner charity", "our referral agency".
_BODIES = cues.set_of(
    "charity charities agency agencies organisation organisations organization service services group groups project "
    "projects body bodies provider providers team teams partnership partnerships"
)


_OWNED = frozenset({"our", "my", "her", "his", "their"})


class _Span(Protocol):
    @property
    def start(self) -> int: ...


class People:
    """The anonymiser's lists, for the names and places its main pass leaves."""

    def __init__(
        self,
        given: frozenset[str],
        surnames: frozenset[str],
        ordinariness: Ordinariness,
        proper: Proper,
        places: Gazetteer,
    ) -> None:
        self._given, self._surnames, self._ord, self._proper, self._places = (
            given,
            surnames,
            ordinariness,
            proper,
            places,
        )

    def ordinary(self, text: str, found: list[Word], i: int) -> int:
        """How many words from found[i] on are no person or place where they stand, though capitalised (0 if it
        may be one): a country ("from Sri Lanka", "Rural Wales"), which names too many people to identify one,
        unless a person is meant ("Jordan said"); a language with "-speaking" ("our Bangla-speaking worker"); a
        language after a people's word ("Kurdish Sorani"); a holiday's eve ("New Year's Eve")."""
        word = found[i]
        if word.text in TITLES and not self._places.match(text, found, i):  # "Pastor Adeyemi", not "Sir Gâr"
            return 1
        tail = word.bare.rsplit("-", 1)[-1]
        if tail != word.bare and tail.islower() and (tail in LANGUAGE_AFTER or tail == "speaking"):
            return 1
        if self.holiday(text, found, i):
            return 1
        before = cues.before(text, found, i)
        joined = before is not None and cues.joined(text, before, word)
        people = (
            before is not None and before.text.endswith(_PEOPLE_END) and before.text.lower() in self._proper.not_names
        )
        if joined and people and self._proper.unknown(word.bare):
            return 1
        if self._adjective(text, found, i) or self._named_thing(text, found, i, before):
            return 1
        n = countries().match(text, found, i)
        if not n or (n == 1 and word.bare in self._given and self._person(text, found, i, before)):
            return 0
        return n

    def _named_thing(self, text: str, found: list[Word], i: int, before: Word | None) -> bool:
        """Whether found[i], a word no dictionary holds after "the", names a thing with the capitalised word after
        it: "the Duluth Wheel", "the Caldicott Guardian"; not "the Meadowell Estate", "the Okafor Centre"."""
        if before is None or before.text != "the" or not cues.joined(text, before, found[i]) or i + 1 >= len(found):
            return False
        nxt = found[i + 1]
        if not cues.joined(text, found[i], nxt) or not nxt.text[:1].isupper() or nxt.bare in cues.PLACE_AFTER:
            return False
        common = self._proper.english(nxt.bare) and nxt.bare not in self._given and nxt.bare not in self._surnames
        building = nxt.bare in shapes.AREA_END or nxt.bare in _BUILDINGS
        return common and not building and self._proper.unknown(found[i].bare)

    def abroad(self, text: str, found: list[Word], i: int) -> bool:
        """Whether found[i] starts a town abroad after a place word ("from Kabul"), no ordinary or domain word."""
        word = found[i].bare
        if not cues.place_before(text, found, i) or word in MONTHS or word in SEASONS or self._ord.word(word):
            return False
        return bool(world().match(text, found, i))

    def done_to(self, text: str, found: list[Word], i: int) -> bool:
        """Whether a verb only ever done to a person comes before found[i] inside a sentence ("we rang Dusty", "we
        housed Chance"), not one done to things too ("like Echo", "joined Forest School")."""
        if not cues.person_before(text, found, i) or found[i - 1].text.lower() in _TO_THINGS:
            return False
        return i + 1 >= len(found) or not cues.joined(text, found[i], found[i + 1]) or found[i + 1].text.islower()

    def after_name_and(self, text: str, found: list[Word], k: int, ends: set[int]) -> bool:
        """Whether found[k], capitalised inside a sentence though an ordinary word, follows a name found and "and",
        and no capitalised word follows it: "Harmony and Gift are twins", "Mandy and Trace from the night shift"."""
        word = found[k]
        if k < 2 or found[k - 1].text != "and" or found[k - 2].bare_end not in ends or word.bare != word.text:
            return False
        if not cues.joined(text, found[k - 1], word) or not word.text[:1].isupper() or word.text.isupper():
            return False
        if word.bare in NEVER_NAMES or word.bare.lower() in self._proper.not_names or word.bare in MONTHS:
            return False
        if self._places.match(text, found, k) or word.bare in TITLES:
            return False
        return k + 1 == len(found) or not found[k + 1].text[:1].isupper() or not cues.joined(text, word, found[k + 1])

    def _adjective(self, text: str, found: list[Word], i: int) -> bool:
        """Whether a given name opens a sentence as an adjective, before a noun and "is" or "was": "Norman
        architecture is", "Victoria sponge was"; not "Sarah herself was", "Tom now is", "Jade rang"."""
        word = found[i]
        if i + 2 >= len(found) or word.bare not in self._given or word.bare != word.text:
            return False
        if not cues.starts_sentence(text, found, i):
            return False
        noun, verb = found[i + 1], found[i + 2]
        if not (cues.joined(text, word, noun) and cues.joined(text, noun, verb)) or verb.text not in _BE_NOW:
            return False
        w = noun.text
        if not w.islower() or w in cues.PERSON_AFTER or w in cues.ADVERBS or w in cues.PERSON_ONLY:
            return False
        if w in cues.PERSON_NOUNS or w in PERSON_CUES:  # "Kelly mum was there", an apostrophe left out
            return False
        plural = w.endswith("s") and verb.text in ("are", "were")  # "Norman churches are", not "Sarah rings"
        return self._proper.english(w) and (plural or not w.endswith(("ed", "self", "s"))) and w not in _FUNCTION

    @staticmethod
    def holiday(text: str, found: list[Word], i: int) -> bool:
        """Whether found[i] is a holiday's "Eve" ("Christmas Eve", "New Year's Eve"), no person."""
        return (
            found[i].bare == "Eve"
            and i > 0
            and found[i - 1].text in HOLIDAYS
            and cues.joined(text, found[i - 1], found[i])
        )

    def _person(self, text: str, found: list[Word], i: int, before: Word | None) -> bool:
        """Whether the words around found[i] say a person: a title or person word before, a verb after."""
        if before is not None and (before.text in TITLES or before.text.lower() in PERSON_CUES):
            return True
        if cues.person_before(text, found, i) or cues.person_after(text, found, i, strong=True):
            return True
        return cues.person_evidence(text, found, i, calendar=True)  # "Jordan is our first male children's worker"

    def foreign_start(self, text: str, found: list[Word], i: int) -> bool:
        """Whether found[i] starts a sentence in another language: the next word is in lower case and no English
        word ("Mae angen mwy o Idvas", Welsh), so a given name there ("Mae") is likelier a word of it."""
        if not cues.starts_sentence(text, found, i) or not cues.after(text, found, i):
            return False
        nxt = found[i + 1].text
        foreign = nxt.islower() and len(nxt) > 2 and not self._proper.english(nxt)
        return foreign and not self.particle(text, found, i + 1)

    def particle(self, text: str, found: list[Word], k: int) -> bool:
        """Whether found[k] is a name's particle and the rest of the name: "bin Khalid", "da Silva", "al-Huda"."""
        word = found[k].text
        if _JOINED_PARTICLE.match(word):
            return True
        if word not in _PARTICLES or k + 1 >= len(found) or not cues.joined(text, found[k], found[k + 1]):
            return False
        rest = found[k + 1].bare
        return rest[:1].isupper() and not rest.isupper() and not self._ord.word(rest) and rest not in NEVER_NAMES

    def surname_next(self, text: str, found: list[Word], i: int, listed: bool = False) -> bool:
        """Whether a surname follows found[i]: a known one, or a proper noun no list holds that is no place; with
        `listed`, only a listed surname that is no given name ("Precious Adeyemi", not "Storm Arwen")."""
        if i + 1 >= len(found) or not cues.joined(text, found[i], found[i + 1]) or found[i].bare != found[i].text:
            return False
        nxt = found[i + 1].bare
        if nxt in self._surnames and not self._ord.word(nxt):
            return not listed or nxt not in self._given
        if self.particle(text, found, i + 1):
            return True  # "Nur al-Huda came", "Faisal bin Khalid"
        return not listed and self._proper.unknown(nxt, famous=True) and not self._places.match(text, found, i + 1)

    def double_given(self, word: str) -> bool:
        """A double given name joined by a hyphen ("Aurora-Lily", "Mary-Jane"): each part a given name, none a
        month or season, one at least no ordinary word."""
        parts = word.split("-")
        if len(parts) != 2 or not all(p in self._given and p not in MONTHS and p not in SEASONS for p in parts):
            return False
        return not all(self._ord.word(p) for p in parts)

    def paired(self, text: str, found: list[Word], k: int, starts: set[int], ends: set[int]) -> bool:
        """Whether found[k] is a name by a name found beside it: a nickname before or after it in brackets ("Mo
        (Mohammed)", "Mohammed (Mo)"); "X and Y" with a person's word after Y in brackets or commas ("Becks and
        Gaz (our two male workers)"); "X from A and Y from B" ("Mags from probation and Dee from housing")."""
        word, n = found[k], len(found)
        if not self._nameable(text, found, k):
            return False
        # a nickname before or after a name in brackets is a listed name or a word no dictionary holds (no
        # people's: not "Tendai (Jamaican)")
        if (
            (word.bare in self._given or self._proper.unknown(word.bare))
            and k + 1 < n
            and found[k + 1].start in starts
            and cues.gap(text, word, found[k + 1]) == " ("
        ):
            return k + 2 == n or cues.gap(text, found[k + 1], found[k + 2]).startswith(")")
        if (
            (word.bare in self._given or self._proper.unknown(word.bare))
            and k > 0
            and found[k - 1].bare_end in ends
            and cues.gap(text, found[k - 1], word) == " ("
        ):
            return k + 1 == n or cues.gap(text, word, found[k + 1]).startswith(")")
        if k + 2 < n and cues.after(text, found, k) == "and" and found[k + 2].start in starts:
            return cues.starts_sentence(text, found, k) and self._group(text, found, k + 2)
        if not cues.starts_sentence(text, found, k) or cues.after(text, found, k) not in cues.FROM_AT:
            return False
        for j in range(k + 2, min(k + 10, n - 2)):
            if any(c in cues.gap(text, found[j - 1], found[j]) for c in ".!?;\n"):
                return False
            if (
                found[j].text == "and"
                and found[j + 1].start in starts
                and cues.after(text, found, j + 1) == found[k + 1].text
            ):
                return True
        return False

    def _nameable(self, text: str, found: list[Word], k: int) -> bool:
        """Whether found[k] could be a name and is no ordinary word unless a given name."""
        if self._ord.word(found[k].bare) and found[k].bare not in self._given:  # "Help from the council and Jo"
            return False
        return self._could_be_name(text, found, k)

    def _could_be_name(self, text: str, found: list[Word], k: int) -> bool:
        """Whether found[k] could be a name: capitalised, no acronym (in capitals or mixed case), title, domain or
        famous word, month or place."""
        bare = found[k].bare
        if not bare[:1].isupper() or bare.isupper() or bare in NEVER_NAMES or bare in TITLES or bare in MONTHS:
            return False
        if bare.lower() in self._proper.not_names or _role(bare) or bare in SEASONS or bare in DOMAIN_NAMES:
            return False
        if bare in known_proper() or self._proper.acronym(bare):  # "SENCo", a job title in mixed case
            return False
        return not self._places.match(text, found, k) and not countries().match(text, found, k)

    def _labelled(self, text: str, found: list[Word], i: int) -> bool:
        """Whether found[i], a listed name or a word no dictionary holds, stands alone in brackets after a person's
        word and at most a label: "Client A (Bukola)", "her son (Kai)"."""
        word = found[i]
        if i == 0 or not cues.gap(text, found[i - 1], word).endswith("("):
            return False
        if i + 1 < len(found) and not cues.gap(text, word, found[i + 1]).startswith(")"):
            return False
        if not (word.bare in self._given or self._proper.unknown(word.bare)):
            return False
        label = found[i - 1].text
        k = i - 2 if (len(label) <= 2 and label.isupper()) or label.isdigit() else i - 1
        return k >= 0 and found[k].text.lower() in cues.ROLES

    def _acts(self, text: str, found: list[Word], i: int) -> bool:
        """Whether found[i] ends its clause or a verb follows it (an ordinary word, only a verb): not "Body Worn"."""
        if i + 1 >= len(found) or not cues.joined(text, found[i], found[i + 1]):
            return True
        nxt = found[i + 1].text
        if nxt[:1].isupper():
            return nxt in self._surnames
        verb = nxt in cues.PERSON_AFTER or nxt in cues.PERSON_ONLY or nxt in cues.ADVERBS or nxt.endswith("ed")
        return verb or not self._ord.word(found[i].bare)

    def plainly(self, text: str, found: list[Word], i: int) -> bool:
        """Whether found[i], capitalised, is a name though it is an English word in no names list (a nickname:
        "Spike", "Smudge"), because the words around it leave no doubt: a person's role after a determiner before it
        ("her brother Spike", "our caretaker Smudge"), a role in brackets or after a comma and a determiner after it
        ("Midge (the cleaner)", "Ducky, our receptionist"); or, for a word rare in lower case and shaped like a
        nickname ("-y", "-ie", "-o"), plain evidence of a person after it ("Chalky said", "Lofty from the council
        rang"). Not a word common in lower case ("Labour said"), nor a service's name ("Lighthouse said")."""
        if not self._could_be_name(text, found, i) or found[i].bare != found[i].text:
            return False
        if i >= 2 and cues.joined(text, found[i - 1], found[i]) and cues.joined(text, found[i - 2], found[i - 1]):
            role, owner = found[i - 1].text, found[i - 2].text.lower()
            if role.islower() and _role(role) and owner in _OWNERS:
                return self._acts(text, found, i)  # "her brother Spike drove", not "our manager Training budget"
        if cues.apposition(text, found, i) or _role_after(text, found, i) or self._labelled(text, found, i):
            return True
        bare = found[i].bare
        if self._ord.word(bare) or "'" in bare or "’" in bare:  # "We've had three"
            return False
        if not bare.endswith(_NICKNAME_END):  # "Lighthouse said", "Sanctuary told us": a service, not a nickname
            return False
        return cues.person_after(text, found, i, strong=True) or cues.person_evidence(text, found, i, True)

    def _group(self, text: str, found: list[Word], j: int) -> bool:
        """Whether a person's word follows found[j] in brackets or after a comma: "Gaz (our two male workers)"."""
        if j + 1 >= len(found) or cues.gap(text, found[j], found[j + 1]) not in (" (", ", "):
            return False
        return any(w.text.lower() in cues.PERSON_NOUNS for w in found[j + 1 : j + 6])

    def name_start(self, text: str, found: list[Word], span: _Span) -> int:
        """Where a name found at `start` begins, taking in up to two words joined before it that are listed names
        or short words no dictionary holds ("Lam Ka Yan", "Huang Min"), so no part of it is left."""
        start = span.start
        i = next((k for k, w in enumerate(found) if w.start == start), 0)
        k = i
        while k > 0 and i - k < 2 and cues.joined(text, found[k - 1], found[k]) and self._before_part(found[k - 1]):
            k -= 1
        return found[k].start if k < i else start

    def _before_part(self, word: Word) -> bool:
        bare = word.bare
        if bare != word.text or not bare[:1].isupper() or bare.isupper() or bare in NEVER_NAMES or bare in TITLES:
            return False
        if bare.lower() in self._proper.not_names or bare in MONTHS or self._ord.word(bare) or _role(bare):
            return False
        short = len(bare) <= 3 and not self._proper.common(bare) and any(c in "aeiouy" for c in bare.lower())
        return short or bare in self._given or bare in self._surnames

    def name_run(self, text: str, found: list[Word], i: int) -> int:
        """The last word of a name of two or three short words, none an ordinary word, one at least in a names list,
        followed by what a person does ("Xiu Ying did not", "Li Na runs", "Nguyen Thi Lan has"); else 0."""
        if not self._name_part(found[i], first=True):
            return 0
        j = i
        while (
            j - i < 2
            and j + 1 < len(found)
            and found[j].bare == found[j].text
            and cues.joined(text, found[j], found[j + 1])
        ):
            if not self._name_part(found[j + 1], first=False):
                break
            j += 1
        listed = any(w.bare in self._given or w.bare in self._surnames for w in found[i : j + 1])
        return j if j > i and listed and cues.person_after(text, found, j) else 0

    def _name_part(self, word: Word, first: bool) -> bool:
        """A word that may be part of a name: capitalised, no title, domain word or month; no ordinary word,
        unless, after the first, a listed name ("Thi Lan")."""
        bare = word.bare
        if not word.text[:1].isupper() or (word.text.isupper() and len(bare) > 1) or bare in NEVER_NAMES:
            return False
        if bare in TITLES or bare in MONTHS or bare in SEASONS or bare in cues.PERSON_AFTER:
            return False
        if bare.lower() in self._proper.not_names or _role(bare):
            return False
        listed = bare in self._given or bare in self._surnames
        if first and not listed and self._proper.english(bare):
            return False  # "Sadly Aisha died", "Finally Li Na rang"
        return not self._ord.word(bare) or (not first and (bare in self._given or bare in self._surnames))

    def lower_case(self, text: str, found: list[Word]) -> list[tuple[int, int, str]]:
        """Names and places typed in lower case, where the context says so: a place after a place word ("from
        wigan"; one that is also an English word, "in hull", only in a text with no capitals), a word after a
        title ("Mrs hussain"), a given name before a person's noun ("gemma's mum"), after a person word or a verb
        done to a person ("spoke to kelly"), and a word no dictionary holds before what a person does ("baz kept")."""
        titled = [Word(w.text[:1].upper() + w.text[1:], w.start, w.end) for w in found]
        no_capitals = not any(c.isupper() for c in text)
        out: list[tuple[int, int, str]] = []
        i = 0
        while i < len(found):
            word, bare = found[i], titled[i].bare
            if not word.text[:1].islower() or bare in NEVER_NAMES or bare.lower() in self._proper.not_names:
                i += 1
                continue
            english = self._proper.english(word.bare)
            title = (before := cues.before(text, found, i)) is not None and before.text in TITLES
            if title and not self._ord.word(bare):  # "Dr khan", "Mrs hussain"
                out.append((word.start, word.bare_end, "name"))
                i += 1
                continue
            n = self._places.match(text, titled, i) if cues.place_before(text, found, i) else 0
            if n and (no_capitals or not any(self._proper.english(w.bare) for w in found[i : i + n])):
                out.append((word.start, found[i + n - 1].bare_end, "place"))
                i += n
                continue
            owner = word.bare != word.text and bare in self._given and not self._ord.word(bare)  # "gemma's mum"
            if (owner and cues.person_after(text, found, i, strong=True)) or (
                not english and self._lower_person(text, found, i, bare)
            ):
                placed = not owner and self._places.match(text, titled, i) == 1  # "northwich has a large..."
                out.append((word.start, word.bare_end, "place" if placed else "name"))
            i += 1
        return out

    def _lower_person(self, text: str, found: list[Word], i: int, bare: str) -> bool:
        """Whether a lower-case word no dictionary holds is a person where it stands (see `_lower_case`)."""
        before = cues.before(text, found, i)
        if before is not None and before.text in TITLES:
            return True
        if bare in self._given:
            if before is not None and before.text.lower() in PERSON_CUES:
                return True
            if cues.person_after(text, found, i, strong=True) or cues.person_before(text, found, i):
                return True
            spoke = i >= 2 and found[i - 1].text in ("to", "with") and found[i - 2].text in cues.SPOKE
            if spoke and cues.gap(text, found[i - 1], found[i]) == " ":
                return True
        start = cues.starts_sentence(text, found, i)  # "baz kept ...", "... housing. ngozi spent ..."
        return start and (bare in self._given or self._proper.unknown(bare)) and cues.person_after(text, found, i)
