"""Names in no list, found by what only a person does, for the anonymiser: a capitalised word with no determiner
before it and a verb only people do after it ("Biscuit phoned the refuge", "Sparrow sobbed"), or an age ("Honor is
14"); a name in brackets beside a people's name ("Kristīne (Latvian) moved"); and, in a case note's lower case, a
given name before what a person does ("amira moving to a new flat", "dean (perp) bailed"). Split from people.py.

The word must not be a person's noun ("Mum rang"), a team's ("Reception phoned"), a group's ("Neighbours rang"), a
domain or famous name, nor one of the commonest English words ("Someone", "Nobody", "Staff", "School").
"""

from __future__ import annotations

from practitioner_survey.coding import cues, signs
from practitioner_survey.coding.gazetteer import Word
from practitioner_survey.coding.names import MONTHS, NEVER_NAMES, SEASONS, TITLES, set_of, word_frequencies
from practitioner_survey.coding.proper import Proper

#: Verbs that only a person does, straight after a capitalised word (or after an adverb): "Biscuit phoned".
ONLY_PEOPLE = set_of(
    """phoned rang texted emailed messaged rings phones texts cried cries sobbed wept screamed shouted begged pleaded
    confided disclosed discloses whispered apologised apologized fled hid"""
)
#: Teams and services that phone and are told things as a person is: "Reception rang", "Duty phoned back".
TEAMS = set_of(
    """admin reception security triage switchboard dispatch control duty outreach safeguarding pastoral nursery
    school college probation housing finance legal surgery office hospital pharmacy helpline refuge management
    everyone everybody someone somebody nobody anyone anybody noone"""
)
#: Words before a noun that make it a common noun, not a name: "the", "our", "every".
_DETERMINERS = set_of("the a an this that these those our my your his her their its every each no some any another")
#: Words that open a sentence before its subject: "When Biscuit rang", "Then Sparrow phoned".
_OPENERS = set_of("when then after before if until while because once so but and eventually later finally")
#: A word this common in lower case (a log probability) is a name only when a names list holds it.
COMMONEST = -10.5
#: A word written in lower case this much more often than capitalised is no name ("housing", "probation").
MOSTLY_LOWER = 2.5
#: An English word capitalised less often than this (a log probability) is no name ("Caseload"); "Biscuit" is -14.6.
SELDOM_CAPITALISED = -15.5


class Subjects:
    """The signs above, over the anonymiser's lists: `named(word)` says whether a names list holds a word."""

    def __init__(self, proper: Proper, given: frozenset[str], word_names: frozenset[str]) -> None:
        self._proper, self._given, self._word_names = proper, given, word_names
        self._freq = word_frequencies()

    def could_be_name(self, word: str, loose: bool = False) -> bool:
        """Whether a capitalised word could be a name no list holds: not a domain, famous, team or person's word,
        a month, a plural or one of the commonest words; `loose` (where the evidence of a person is plain, roles.py),
        also an English word seldom capitalised ("Temperance's GP")."""
        lower = word.lower()
        if len(word) < 3 or word.isupper() or self._proper.acronym(word) or word in NEVER_NAMES or word in TITLES:
            return False
        if word in MONTHS or word in SEASONS or lower in self._proper.not_names or lower in TEAMS:
            return False
        if lower in cues.ROLES:
            return False
        if word in self._given or word in self._word_names:
            return True
        if signs.people_word(word):
            return False
        if not self._proper.unknown(word, famous=False) and self._proper.unknown(word, famous=True):
            return False  # famous: "Facebook", "Beethoven"
        seen = self._freq.get(lower)
        if loose:
            return seen is None or seen[0] < COMMONEST
        if seen is not None and (seen[0] >= COMMONEST or seen[0] - seen[1] > MOSTLY_LOWER):
            return False
        if self._proper.english(word) and (seen is None or seen[1] < SELDOM_CAPITALISED):
            return False  # "Caseload", "Triage": English words hardly ever capitalised, so never a name
        return not (word.endswith("s") and self._proper.english(word[:-1]))  # "Neighbours", "Agencies"

    def acts_alone(self, text: str, found: list[Word], i: int) -> bool:
        """Whether found[i], capitalised with no determiner or capitalised word before it, is followed by a verb
        only a person does, or by an age: "Biscuit phoned", "Cliff never rang", "Honor is 14"."""
        word = found[i]
        if word.bare != word.text or not word.text[:1].isupper():
            return False
        k = i + 1
        if k < len(found) and cues.gap(text, word, found[k]) == " " and found[k].text in cues.ADVERBS:
            k += 1  # "Cliff never rang"
        verb = k < len(found) and cues.gap(text, found[k - 1], found[k]) == " " and found[k].text in ONLY_PEOPLE
        if not (verb or (cues.starts_sentence(text, found, i) and signs.aged(text, found, i))):
            return False  # the words after it first: cheaper than the lists
        if i and not cues.starts_sentence(text, found, i):
            prev = found[i - 1]
            opening = prev.text.lower() in _OPENERS and cues.starts_sentence(text, found, i - 1)  # "When Biscuit rang"
            if prev.text.lower() in _DETERMINERS or (prev.text[:1].isupper() and not opening) or prev.bare != prev.text:
                return False  # "the Biscuit phoned", "Social Services rang", "Tom's Biscuit"
        return self.could_be_name(word.bare)

    def beside_people(self, text: str, found: list[Word], i: int) -> bool:
        """Whether found[i], a given name or a word no dictionary holds, has a people's name first in brackets
        after it: "Kristīne (Latvian) moved", "Dorin (Roma, from Romania)"."""
        k = i + 1
        if k >= len(found) or cues.gap(text, found[i], found[k]) != " (" or found[i].bare != found[i].text:
            return False
        if not (found[i].bare in self._given or self._proper.unknown(found[i].bare, famous=True)):
            return False
        people = found[k].bare
        return people[:1].isupper() and (signs.people_word(people) or people in PEOPLES)

    def lower_note(self, text: str, found: list[Word], i: int) -> bool:
        """Whether found[i], a given name in lower case at a clause's start in a case note, is followed by what a
        person does or a person's word in brackets: "amira moving to", "jodie to stay", "dean (perp) bailed"."""
        word = found[i]
        if i and text[found[i - 1].end : word.start] == " ":
            return False  # at a clause's start only: the quick way out for most words
        clause = i == 0 or any(c in text[found[i - 1].end : word.start] for c in ",:;-–(\n.!?")
        name = word.text[:1].upper() + word.text[1:]
        if not clause or not word.text.islower() or name in NEVER_NAMES:
            return False
        if not (name in self._given or self._proper.unknown(name)):  # "babajide (new partner)"
            return False
        if cues.apposition(text, found, i):  # "dean (perp)", "babajide (new partner)"
            return True
        if self._proper.english(name):
            return False
        nxt = found[i + 1].text if i + 1 < len(found) and cues.gap(text, word, found[i + 1]) == " " else ""
        to_do = nxt == "to" and i + 2 < len(found) and found[i + 2].text in _TO_DO
        doing = nxt.endswith("ing") and len(nxt) > 4
        return to_do or doing or nxt in cues.PERSON_AFTER or (nxt.endswith("ed") and len(nxt) > 3)


#: Peoples whose name has no people's ending: "Dorin (Roma)", "Romany Gypsy".
PEOPLES = frozenset({"Gypsy", "Gypsies", "Roma", "Traveller", "Travellers"})
#: Verbs after "X to" in a case note: "jodie to stay at refuge", "kasia to call back".
_TO_DO = set_of("stay move call ring attend go leave return collect see contact come visit sign")
