"""Whether a capitalised word is a proper noun at all, for the anonymiser: no English word (spaCy's lookup
dictionary and word probabilities), no famous or domain name, no people's or language's name by its ending
("Eritrean", "Vietnamese", "Pakistani"). Split from cues.py, which reads the words around it."""

from __future__ import annotations

import re

from practitioner_survey.coding.names import (
    MONTHS,
    NEVER_NAMES,
    SEASONS,
    TITLES,
    english_words,
    known_proper,
    not_names,
    word_frequencies,
)

_VOWEL = re.compile(r"[aeiouyw]|[^\W\d_a-z]", re.IGNORECASE)  # Welsh "w", "y"; any accented or other letter
_CLITIC = re.compile(r"(?:'(?:ve|re|ll|d|m|s)|n't)$")
_DEMONYM = re.compile(r"(?:ians?|eans?|[ic]cans?|ese|stanis?|deshis?|aqis?|alis?)$")
# A word with a capital inside that is not a name's (McDonald, MacLeod, O'Brien, DeShawn): a brand (WhatsApp, iPhone).
_COMPOUND = re.compile(r"-(?:born|based|bred|raised|speaking|speakers?)$")
_NOUN_END = re.compile(r"(?:[st]ions?|\w{5}ments?)$")
_INNER_CAPITAL = re.compile(r"^(?!Mc|Mac|O['’]|De|Le|La|Di|Van)\w+[A-Z]")


class Proper:
    """Whether a capitalised word is a proper noun no list holds: no English word, no famous or domain name."""

    def __init__(self) -> None:
        self._freq = word_frequencies()
        self._english = english_words()
        self._known = known_proper()
        self._not = self.not_names = not_names()
        self._domain = self._not | {w.lower() for w in NEVER_NAMES}
        self._seen: dict[tuple[str, bool], bool] = {}

    def english(self, word: str) -> bool:
        """An English word, in lower case ("support", "reading", "we've"), or each part of a hyphenated one."""
        parts = [_CLITIC.sub("", p) for p in word.lower().replace("’", "'").split("-") if len(p) > 1]
        if len(parts) > 1:  # "Idva-led", "Marac-level": a domain word with an English one
            return all(p in self._english or self._lower(p) or p in self._domain for p in parts)
        return bool(parts) and all(p in self._english or self._lower(p) for p in parts)

    def common(self, word: str) -> bool:
        """A common word in lower case ("the", "who", "me"), unlike a rare syllable such as "ka" or "yi"."""
        found = self._freq.get(word.lower())
        return found is not None and found[0] >= -12.0

    def _lower(self, word: str) -> bool:
        found = self._freq.get(word)
        return found is not None and found[0] >= found[1]

    @staticmethod
    def acronym(word: str) -> bool:
        """A word with a capital inside that is no name's ("SENCo", "WhatsApp"; not "McDonald" or "DeShawn")."""
        return _INNER_CAPITAL.match(word) is not None

    def unknown(self, word: str, famous: bool = False) -> bool:
        """A capitalised word that is no English word, no month, no domain or people's name: "Rosalind",
        "Zennor", "Okonkwo", but not "Idva", "Eritrean" or "Reading"; nor a famous one ("Facebook", "Beethoven")
        unless `famous`, for where the context already says a person or place is meant."""
        key = (word, famous)
        if key not in self._seen:
            if len(self._seen) > 100_000:  # a long session's distinct words, kept bounded
                self._seen.clear()
            self._seen[key] = self._unknown(word, famous)
        return self._seen[key]

    def _unknown(self, word: str, famous: bool) -> bool:
        if len(word) < 3 or not word[0].isupper() or not any(c.islower() for c in word):
            return False  # "Al", "CSC", "NHS"
        for form in (word, word[:-1] if word.endswith("s") else word):  # "Tuesdays", "Maracs"
            if form in NEVER_NAMES or form in MONTHS or form in TITLES or form.lower() in self._not:
                return False
            if not famous and form in self._known:
                return False
        if all(p in MONTHS or p in SEASONS for p in word.split("-")):
            return False  # "April-May", "Autumn-Winter"
        if noun_ending(word):
            return False  # "Destitution", "Resettlement": a noun's ending, no name's or place's
        if _COMPOUND.search(word):
            return False  # "Jamaican-born", "Leeds-based": no name ends so
        if _INNER_CAPITAL.match(word) or _demonym(word) or not _VOWEL.search(word):
            return False  # "WhatsApp", "Eritrean", "Hbv" (an acronym typed as a word)
        return not self.english(word)


def noun_ending(word: str) -> bool:
    """Whether `word` ends as only nouns do ("Destitution", "Resettlement"), never a name or a place."""
    return _NOUN_END.search(word) is not None


def _demonym(word: str) -> bool:
    """Likely a people's or language's name by its ending: the endings names rarely have (Eritrean, Vietnamese,
    Pakistani, Bangladeshis), not -an, -i or -ish alone, which many given names end in (Mehwish, Ashish); the
    peoples in -ish are few and listed in data/not-names.txt."""
    return _DEMONYM.search(word) is not None
