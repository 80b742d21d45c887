"""The anonymiser's judgements of one word: whether it is a person or a place here, given the words around it.

`Judging` holds the lists the anonymiser reads and the word-level tests that `Anonymiser` (anonymise.py) calls as it
walks a quote; split from anonymise.py along that seam, so that the walk and the tests each stay small.
"""

from __future__ import annotations

from dataclasses import replace

from practitioner_survey.coding import capitals, cues, roles, shapes, signs, things
from practitioner_survey.coding.cues import PLACE_AFTER, PLACE_CUES
from practitioner_survey.coding.finding import Finding
from practitioner_survey.coding.gazetteer import Gazetteer, Word
from practitioner_survey.coding.names import (
    DOMAIN_NAMES,
    MONTHS,
    NEVER_NAMES,
    PERSON_CUES,
    SEASONS,
    TITLES,
    Ordinariness,
    word_frequencies,
)
from practitioner_survey.coding.people import People
from practitioner_survey.coding.proper import Proper
from practitioner_survey.coding.subjects import PEOPLES, Subjects


class Judging:
    """Word-level tests of a person or a place, over the lists `Anonymiser.__init__` loads."""

    _given: frozenset[str]
    _surnames: frozenset[str]
    _ord: Ordinariness
    _word_names: frozenset[str]
    _places: Gazetteer
    _proper: Proper
    _people: People
    _subjects: Subjects

    def _needs_context(self, text: str, found: list[Word], i: int, word: str) -> bool:
        """Whether a capitalised name or place word is, here, likelier an ordinary word ("Hope", "Reading")."""
        return self._ord.at_start(word) if cues.starts_sentence(text, found, i) else self._ord.strong(word)

    def _person_context(self, text: str, found: list[Word], i: int, before: Word | None) -> bool:
        """Whether the words around found[i] say a person is meant: a title or person word before it, a verb done
        to a person, a known surname or a speech verb after it."""
        if before is not None and (before.text in TITLES or before.text.lower() in PERSON_CUES):
            return True
        nxt = found[i + 1] if i + 1 < len(found) and cues.joined(text, found[i], found[i + 1]) else None
        if nxt is not None and nxt.bare in self._surnames and not self._ord.word(nxt.bare):
            return True
        return cues.person_before(text, found, i) or cues.person_after(text, found, i, strong=True)

    def _is_place(self, text: str, found: list[Word], i: int, n: int, before: Word | None) -> bool:
        parts = [w.bare for w in found[i : i + n]]
        # "Heather and gorse", "Mould in the flat": the noun, unless a place word says otherwise
        noun = n == 1 and things.common_noun(text, found, i, self._ord.lower_margin(parts[0]))
        if not noun and not all(
            self._needs_context(text, found, i + k, p) or not p[:1].isupper() for k, p in enumerate(parts)
        ):
            return True  # "Truro", "Ynys Môn", "Tunbridge Wells", "Hull"
        after = found[i + n] if i + n < len(found) and cues.joined(text, found[i + n - 1], found[i + n]) else None
        cued = before is not None and before.text.lower() in PLACE_CUES and cues.joined(text, before, found[i])
        resident = shapes.resident(text, found, i)  # "she lives in March"
        return (cued and (parts[0] not in MONTHS or resident)) or (after is not None and after.bare in PLACE_AFTER)

    def _is_person(self, text: str, found: list[Word], i: int, before: Word | None) -> bool:
        word = found[i].bare
        if (before is not None and before.text in TITLES) or cues.nicknamed(text, found, i):
            return True  # "Mrs Ward", "Dr Patel", "known as Sparky"
        cued = before is not None and before.text.lower() in PERSON_CUES and not word.isupper()
        if cued and (word in self._given or not self._ord.word(word)):
            return True
        if cued and cues.gap(text, found[i - 1], found[i]) == ", " and text[found[i].end : found[i].end + 2] == ", ":
            adverb = word.endswith("ly") and self._proper.english(word)  # "Her partner, Sadly, was"
            return found[i].text == word and word not in MONTHS and not adverb  # "Her ex, Chance, is on licence"
        if self._people.double_given(word):
            return not self._people.foreign_start(text, found, i)  # "Aurora-Lily", "Kerry-Ann"
        if word not in self._given:  # "Storm is a survivor we supported", not "Storm damage closed the office"
            if word in self._surnames and not self._ord.word(word):  # "Wren is six", a surname as a given name
                return cues.person_evidence(text, found, i, calendar=True)
            return word in self._word_names and (
                cues.person_after(text, found, i, strong=True)  # "Precious's case", "Storm said"
                or cues.person_evidence(text, found, i, calendar=True)
                or self._people.surname_next(text, found, i, listed=True)  # "Precious Adeyemi was"
                or self._people.done_to(text, found, i)  # "I rang Dusty to ask"
            )
        if not self._needs_context(text, found, i, word):
            return not self._people.foreign_start(text, found, i)  # "Sarah", "Tom", "Jade"; "Poppy" inside a sentence
        if self._people.surname_next(text, found, i):
            return True  # "Frank Jones", "Frank Harrowell"
        if roles.an_argument(text, found, i):
            return False  # "Grace is not a reason to stay"
        # "Will said", "Grace's children"; a name less often a word, also "Jack was", "Dawn has"
        if cues.person_after(text, found, i, strong=self._ord.strong(word)):
            return True
        calendar = word in MONTHS or word in SEASONS or word in DOMAIN_NAMES
        if found[i].bare == found[i].text and cues.person_evidence(text, found, i, calendar):
            return True  # "Faith was supported", "May came to us", "Storm is a survivor"
        return not calendar and cues.person_before(text, found, i)  # "We supported Hope and her boys"

    def _is_unknown_person(self, text: str, found: list[Word], i: int) -> bool:
        """A proper noun no list holds, at a sentence's start, followed by what a person does ("Halima told us",
        "Oona's children", "Bryony, our volunteer"), or after a verb done to a person ("We supported Aaliyah")."""
        if not self._proper.unknown(found[i].bare, famous=True):
            return False
        return (
            cues.person_after(text, found, i)
            or cues.person_before(text, found, i)
            or (cues.starts_sentence(text, found, i) and cues.after(text, found, i) in cues.FROM_AT)  # "Jonno from"
            or self._people.surname_next(text, found, i)  # "Tirzah Trewhella chairs our panel."
        )

    def _plainly_person(self, text: str, found: list[Word], i: int) -> bool:
        """A word that could be a name, even an English word in no list ("Temperance"), with plain evidence of a
        person after it: a possessive and a person's own people, "one of our volunteers", taken into care, what someone
        is called."""
        evidence = roles.owned(text, found, i) or roles.one_of(text, found, i) or roles.into_care(text, found, i)
        evidence = evidence or (found[i].bare in self._given and roles.from_team(text, found, i))  # "Mark from the"
        evidence = evidence or roles.called(text, found, i)  # "Cookie is what her ex calls her"
        evidence = evidence or roles.the_sibling(text, found, i)  # "..., Storm the baby"
        return evidence and (self._named_word(found[i].bare) or self._subjects.could_be_name(found[i].bare, loose=True))

    def _note_name(self, word: str) -> bool:
        """A given name that is no English word, or a word no dictionary holds, for a case note (notes.py)."""
        if word in NEVER_NAMES or word.lower() in self._proper.not_names or self._proper.english(word):
            return False
        return word in self._given or self._proper.unknown(word)

    def _named_word(self, word: str) -> bool:
        """A given name or a name that is a word ("Blessing", "Rose", "Will")."""
        return word in self._given or word in self._word_names

    def _surname_like(self, word: str) -> bool:
        """Whether a word after initials could be a surname: a listed one or no ordinary word."""
        return (word in self._surnames or self._proper.unknown(word, famous=True)) and not self._ord.strong(word)

    def _signed(self, text: str, found: list[Word], i: int) -> bool:
        """A given name, a name that is a word or a word no list holds, in any case, before an age or a people
        ("Joy was 71", "Blessing is Zimbabwean"), a case note's dash ("gemma - missed appt") or after a message's
        "from" ("txt from nkem") (signs.py)."""
        bare = found[i].bare[:1].upper() + found[i].bare[1:]
        nameable = lambda w: w not in NEVER_NAMES and (w in self._given or self._proper.unknown(w))  # noqa: E731
        if bare in NEVER_NAMES or bare in TITLES or not signs.signed(text, found, i, nameable):
            return False  # the words around it first: cheaper than the lists
        english = found[i].text[:1].islower() and self._proper.english(bare)  # "gemma - missed appt", not "client"
        if english and (bare not in self._given or self._ord.word(bare)):
            return False
        return bare in self._given or bare in self._word_names or self._proper.unknown(bare, famous=True)

    def _people_here(self, text: str, found: list[Word], i: int, before: Word | None) -> int:
        """1 if found[i], no given name and after no title, is a people's or a language's name, or a word no list
        holds beside one ("Alevi Kurdish", "Dari and Kurmanji")."""
        word = found[i].bare
        if word in self._surnames or (before is not None and before.text in TITLES):
            return 0
        if word in self._given:  # "Romany Gypsy": a given name too, but a people's word straight after it
            nxt = found[i + 1] if i + 1 < len(found) and cues.joined(text, found[i], found[i + 1]) else None
            peoples = nxt is not None and (nxt.bare in PEOPLES or signs.people_word(nxt.bare, by_ending=False))
            return int(peoples and nxt is not None and nxt.capitalised and nxt.bare not in self._surnames)
        if self._places.match(text, found, i):
            return 0  # "Stithians", a village
        return int(signs.people_word(word) or signs.among_peoples(text, found, i))

    def _family_name(self, word: str) -> bool:
        """A listed surname that is no frequent English word ("Le", "Ho", not "The")."""
        seen = word_frequencies().get(word.lower())
        return word in self._surnames and (seen is None or seen[0] < -10.0)

    def _listed(self, word: str) -> bool:
        return word in self._surnames or word in self._given

    def _surname_end(self, text: str, found: list[Word], i: int) -> int:
        """The last word of the name starting at found[i]: up to two capitalised words after it that are not
        ordinary words ("Sarah Jenkins", "Anne Marie Jones"), unless the name ends in a possessive."""
        j = i
        while j - i < 2 and j + 1 < len(found) and found[j].bare == found[j].text:
            if self._people.particle(text, found, j + 1):  # "Faisal bin Khalid", "Maria da Silva", "Nur al-Huda"
                j += 1 if "-" in found[j + 1].text else 2
                continue
            nxt = found[j + 1]
            cased = nxt.text[:1].isupper() or nxt.bare in self._surnames or nxt.bare in self._given
            if not (cased and cues.joined(text, found[j], nxt)) or nxt.bare in NEVER_NAMES:
                break  # in a script without capitals, only a listed name goes on a name
            if nxt.text.isupper() and len(nxt.text) == 3 and not self._listed(nxt.text.title()):
                break  # "Kwame DOB 1/2/88", "Marcus NFA": an abbreviation, not "Kim LEE" or "Jo NG"
            if self._ord.word(nxt.bare) and nxt.bare not in self._surnames:
                clear = j == i and found[i].bare in self._given and not self._ord.word(found[i].bare)
                if not (clear and capitals.surname_word(text, found, j + 1)):  # "Darren Pickles", not "Tom Street"
                    break
            if self._places.match(text, found, j + 1) and nxt.bare not in self._surnames:
                break
            j += 1
        return j

    def _given_before(self, text: str, every: list[Word], finding: Finding) -> Finding:
        """A name found with a given name, even one that is a word, straight before it: the given name too ("Cliff
        Marsh rang", where only the surname was found)."""
        k = next((k for k, w in enumerate(every) if w.end + 1 == finding.start), None)
        if k is None or text[every[k].end] != " ":
            return finding
        word = every[k]
        if word.bare != word.text or not word.text[:1].isupper() or word.text in TITLES or word.bare in NEVER_NAMES:
            return finding
        lower = word.text.lower()
        if lower in things.VERB_LIKE or lower in cues.ROLES or lower in roles.KIN or lower in ("sister", "brother"):
            return finding  # "Did Jenkins", "Sister Adebayo"
        if not self._named_word(word.bare) or (
            k and not cues.starts_sentence(text, every, k) and every[k - 1].text[:1].isupper()
        ):
            return finding
        return replace(finding, start=word.start)
