"""Doubts: the words the anonymiser left as written that may still name a person or place, for the analyst to check
in the quote editor. The anonymiser replaces a name that is also an English word only on plain evidence ("her son
Will", "Grace's children"), so "Will is not going to change" or "Summer would not leave" keep their names; replacing
every such word would replace ordinary words ("Will the funding continue?"). A doubt is shown, never replaced.

A word outside every finding is a doubt when it is
- a given name or surname the anonymiser knows (names that are words too), capitalised inside a sentence and not
  among capitalised ordinary words ("the Family Court") nor a month; or at a sentence's start before what a person
  does ("Patience has been", "Will is not going"), not before what a thing is ("Hope is the only thing");
- a capitalised word joined to a name found ("Vu" of "Vu Kim Oanh", "Precious" before "Adebayo");
- a given name or a place in lower case that is no English word ("met bethan today");
- a capitalised word that is no English word and no known organisation, scheme, acronym, language, country, people,
  day, month or title, wherever it stands ("Oanh", "Caerau");
- a place of the gazetteer that is also a word, capitalised inside a sentence after a place word ("moved to Bath"),
  unless it is a month ("moved to March" stays: it reads as a date far more often).
Laws' names ("Clare's Law"), the domain's schemes ("Ask for Ani"), languages and peoples ("Romany Gypsy") and
companies ("Sally Lunn Foods") are no doubts.
Computed only when asked (`Anonymiser.doubts`), so the anonymiser's build and findings cost nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from practitioner_survey.coding import cues, roles, signs, things, tongues
from practitioner_survey.coding.finding import Finding
from practitioner_survey.coding.gazetteer import Word, countries, gazetteer, place_names, words
from practitioner_survey.coding.names import (
    DOMAIN_NAMES,
    HOLIDAYS,
    MONTHS,
    NEVER_NAMES,
    SEASONS,
    TITLES,
    Ordinariness,
    given_names,
    languages,
    set_of,
    surnames,
    word_frequencies,
    word_names,
)
from practitioner_survey.coding.proper import Proper, noun_ending
from practitioner_survey.coding.subjects import PEOPLES

#: What a person does, after a name at a sentence's start: "Will is not going", "Summer would not leave".
ACTS = set_of(
    """is was has had would will could can did does didn't doesn't wasn't isn't hasn't hadn't won't wouldn't
    couldn't can't cannot never always still also now then said says told asked came comes went goes left leaves
    felt feels got gets needs needed wants wanted lives lived moved stayed rang called phoned texted disclosed
    reported refused agreed decided tried managed"""
)
#: Words after a name at a sentence's start that make it a question or an ordinary word: "Will the", "May I".
_NOT_AFTER = set_of("i you we they he she it the a an this that there these those our your their")
#: After "Hope is" or "Summer was", the words that say a thing is meant: "Hope is the only thing", "Summer is when".
_THING_AFTER = set_of(
    """the a an what when where why how all in on at hard our always running wearing key important essential
    needed vital everything nothing something one rare scarce short often usually"""
)
_BE = set_of("is was 's")
#: Titles of religious and nursing orders, and the Welsh words for an institution before its place ("Ysbyty Glan
#: Clwyd": the anonymiser replaces the place), with the words that never name a person and the titles.
_NOT_DOUBTS = NEVER_NAMES | TITLES | signs.WELSH_INSTITUTION | set_of("Fr Father Sister Brother Mother Gurkha Gurkhas")
_COMPASS = set_of("North South East West Northern Southern Eastern Western Upper Lower Central Greater")
_MONTHS_SHORT = set_of("jan feb mar apr jun jul aug sep sept oct nov dec")
_CALENDAR = MONTHS | SEASONS | DOMAIN_NAMES


class Doubter:
    """Finds doubts in a text, given what the anonymiser found in it."""

    def __init__(self) -> None:
        self._given, self._surnames, self._word_names = given_names(), surnames(), word_names()
        self._ord, self._proper, self._places = Ordinariness(), Proper(), gazetteer()
        self._languages = languages()
        self._lower: frozenset[str] | None = None  # one-word places in lower case, made when first needed

    def find(self, text: str, found: Sequence[Finding]) -> list[Word]:
        """The words of `text` outside every finding that may still name a person or place, in reading order."""
        every = words(text)
        taken = [(f.start, f.end) for f in found]
        out: list[Word] = []
        names = [f for f in found if f.kind == "name"]
        starts, ends = {f.start for f in names}, {f.end for f in names}
        places = {f.start for f in found if f.kind == "place"}
        taken += things.idioms(text)  # "rob Peter to pay Paul"
        for k, word in enumerate(every):
            if any(s < word.end and word.start < e for s, e in taken) or things.before_noun(text, every, k):
                continue  # "Sterling work", "Brook clinics" (things.py)
            if things.opener(text, every, k) or word.text in things.WELSH_AFTER or things.listed_noun(text, every, k):
                continue  # "Hi Lorraine", "Mae Gwenllian yn"
            compass = word.text in _COMPASS and word.end + 1 in places and text[word.end] == " "  # "South ***"
            beside = self._beside_name(text, every, k, starts, ends) or self._and_name(text, every, k, starts, ends)
            if compass or self._doubt(text, every, k) or beside:
                out.append(word)
        return out

    def _beside_name(self, text: str, every: list[Word], k: int, starts: set[int], ends: set[int]) -> bool:
        """A capitalised word joined by a space to a name found, likely part of it ("Vu" of "Vu *** ***")."""
        word = every[k]
        if not word.text[:1].isupper() or word.text.isupper() or word.bare in _NOT_DOUBTS:
            return False
        bare = word.bare
        named = self._named(bare)
        if self._proper.english(bare) and not named and (len(bare) > 3 or self._proper.common(bare)):
            return False  # "The", "Our", "Client" beside a name; not "Vu" of "Vu Kim Oanh"
        before = word.start - 1 in ends and text[word.start - 1] == " "
        return before or (word.text == word.bare and word.end + 1 in starts and text[word.end] == " ")

    def _and_name(self, text: str, every: list[Word], k: int, starts: set[int], ends: set[int]) -> bool:
        """A capitalised word joined by "and" to a name found, likely a name too ("Honor and *** are twins")."""
        word = every[k]
        if not word.text[:1].isupper() or word.text.isupper() or word.bare in _NOT_DOUBTS or word.bare != word.text:
            return False
        if word.bare.lower() in self._proper.not_names or self._not_person(text, every, k):
            return False
        after = text[word.end : word.end + 5] == " and " and word.end + 5 in starts
        return after or (text[word.start - 5 : word.start] == " and " and word.start - 5 in ends)

    def _doubt(self, text: str, every: list[Word], k: int) -> bool:
        word = every[k]
        bare = word.bare
        if len(bare) < 2 or bare in _NOT_DOUBTS or bare.lower() in self._proper.not_names:
            return False
        if not bare[:1].isupper():
            return bare[:1].islower() and bare not in _MONTHS_SHORT and self._lower_name(text, every, k)
        if bare.isupper() or bare in HOLIDAYS or self._not_person(text, every, k):
            return False  # "NHS", "Christmas", "Clare's Law", "Tigrinya", "Sri Lanka"
        start = cues.starts_sentence(text, every, k)
        if bare in DOMAIN_NAMES:
            return start and self._named_at_start(text, every, k)  # "Amber is doing well", not "Ask for Ani"
        if self._proper.unknown(bare):
            return True  # no English word, no known name of a body, scheme, language or people
        if self._listed(bare) and not start:
            return self._named_inside(text, every, k)
        if self._named(bare):
            return self._named_at_start(text, every, k)  # a given name: "Will is not", a surname: not "More needs"
        if start and word.text == bare and cues.after(text, every, k) in _BE and self._rare(bare):
            return cues.person_evidence(text, every, k)  # a rare word, then a person's evidence: "Piers is the ex"
        return not start and self._place_after_cue(text, every, k)

    def _not_person(self, text: str, every: list[Word], k: int) -> bool:
        """A law's name, a language, a people, a country (or its last word), or part of a company's name."""
        nxt = cues.after(text, every, k)
        if nxt in ("Law", "law") or nxt in cues.BRAND_END or cues.after(text, every, k + 1) in cues.BRAND_END:
            return True  # "Clare's Law", "Sally Lunn Foods"
        if (k and countries().match(text, every, k - 1) > 1) or countries().match(text, every, k):
            return True
        if tongues.country_people(text, every, k) or (k and tongues.country_people(text, every, k - 1)):
            return True  # "Sierra Leonean"
        bare = every[k].bare
        if bare in self._languages or signs.people_word(bare) or signs.among_peoples(text, every, k):
            return True
        if nxt and (nxt in PEOPLES or signs.people_word(nxt, by_ending=False)):
            return True  # "Romany Gypsy", "Alevi Kurdish"
        return tongues.language(text, every, k, self._given)

    @staticmethod
    def _rare(bare: str) -> bool:
        """A word rare in lower case in English text (spaCy's word probabilities): "piers", not "staff"."""
        seen = word_frequencies().get(bare.lower())
        return seen is None or seen[0] < -13.0

    def _listed(self, bare: str) -> bool:
        return bare in self._given or bare in self._word_names or bare in self._surnames

    def _named(self, bare: str) -> bool:
        """A listed given name or name that is a word, or a listed surname that is no ordinary word ("Le", not
        "More")."""
        return bare in self._given or bare in self._word_names or (bare in self._surnames and not self._ord.word(bare))

    def _lower_name(self, text: str, every: list[Word], k: int) -> bool:
        """A given name or a one-word place in lower case that is no English word ("bethan"), or such a word in no
        list after a place word ("in caerau"), as notes write."""
        bare = every[k].bare
        if len(bare) < 3 or self._proper.english(bare) or self._proper.common(bare):
            return False
        prev = every[k - 1] if k else None
        cued = prev is not None and prev.text.lower() in cues.PLACE_CUES and cues.joined(text, prev, every[k])
        return bare[:1].upper() + bare[1:] in self._given or bare in self._lower_places() or (cued and len(bare) > 3)

    def _lower_places(self) -> frozenset[str]:
        if self._lower is None:
            self._lower = frozenset(n.lower() for n in place_names() if " " not in n and "-" not in n)
        return self._lower

    def _named_inside(self, text: str, every: list[Word], k: int) -> bool:
        """A listed name capitalised inside a sentence: a doubt unless an ordinary word there ("the Family Court"),
        a month before a number or after "in" ("in May 2017"), or a surname that is a common word ("Street")."""
        bare = every[k].bare
        if bare in MONTHS:
            return False  # "moved to August", "in May": a month inside a sentence is a month
        if bare in self._given or bare in self._word_names:
            return not self._title_case(text, every, k)
        return not self._ord.word(bare) and not self._title_case(text, every, k)

    def _title_case(self, text: str, every: list[Word], k: int) -> bool:
        """Whether found[k] sits among capitalised ordinary words joined to it ("Early Help Hub", "Safe Lives")."""
        for j in (k - 1, k + 1):
            if 0 <= j < len(every):
                a, b = (every[j], every[k]) if j < k else (every[k], every[j])
                other = every[j].bare
                if (
                    cues.joined(text, a, b)
                    and other[:1].isupper()
                    and (
                        other in NEVER_NAMES
                        or noun_ending(other)
                        or (self._proper.english(other) and not self._listed(other))
                    )
                ):
                    return True
        return False

    def _named_at_start(self, text: str, every: list[Word], k: int) -> bool:
        """A listed name at a sentence's start before what a person does ("Patience has been with us"), or one that
        is no ordinary word at all."""
        bare = every[k].bare
        if every[k].text != bare:
            return True  # "Summer's mum"
        if roles.an_argument(text, every, k):
            return False  # "Hope isn't a strategy"
        nxt = cues.after(text, every, k).lower()
        if nxt not in ACTS:
            return False  # "Frank conversations", "Dawn raids", "Will the funding"
        if nxt in _BE and k + 2 < len(every) and cues.joined(text, every[k + 1], every[k + 2]):
            then = every[k + 2].text.lower()
            if then == "not" and k + 3 < len(every):
                then = every[k + 3].text.lower()  # "Hope is not a strategy", not "Will is not going"
                return then not in _THING_AFTER and then != "enough"
            return then not in _THING_AFTER
        return True

    def _place_after_cue(self, text: str, every: list[Word], k: int) -> bool:
        """A one-word place of the gazetteer that is also a word, after a place word ("moved to March"), not
        before a number ("in March 2016")."""
        if self._places.match(text, every, k) != 1 or k == 0:
            return False
        prev = every[k - 1]
        after = text[every[k].end : every[k].end + 2].strip()[:1]
        cued = prev.text.lower() in cues.PLACE_CUES and cues.joined(text, prev, every[k])
        return cued and not after.isdigit() and every[k].bare not in MONTHS


@cache
def doubter() -> Doubter:
    """The one Doubter (its lists are the anonymiser's, loaded once)."""
    return Doubter()


def doubted(text: str, doubts: Sequence[Word]) -> tuple[str, ...]:
    """The words of `doubts` as written, each once, in reading order (for the quote editor's "check:")."""
    return tuple(dict.fromkeys(text[w.start : w.bare_end] for w in doubts))
