"""Plain evidence of a person around a name that is also a word, or a word no names list holds ("Honor",
"Temperance"), for the anonymiser: a person's own people and carers after a possessive ("Temperance's GP", "Honor's
kids"), "one of our volunteers" between commas ("Rose, one of our volunteers, says"), being taken into care
("Storm and River were taken into care"), and working for a team ("Mark from the housing team"). Split from
cues.py, whose words these use."""

from __future__ import annotations

import re

from practitioner_survey.coding import cues
from practitioner_survey.coding.gazetteer import Word
from practitioner_survey.coding.names import DOMAIN_NAMES, MONTHS, SEASONS, set_of, word_frequencies

#: A person's own people and carers, after a possessive: only a person has them ("Faith's role" is no person).
KIN = set_of(
    """kids children child son sons daughter daughters baby babies twins mum mam mother dad father parents nan gran
    grandmother grandad husband wife partner ex ex-partner boyfriend girlfriend brother brothers sister sisters
    gp idva isva solicitor caseworker keyworker carer carers foster stepdad stepmum"""
)
_OWNERS = set_of("our the my his her their your")
_BE = set_of("was were is are has have had been")


def owned(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i] is a possessive with a person's own people or carers straight after it ("Honor's kids",
    "Temperance's GP", "Storm's social worker")."""
    word = found[i]
    if word.bare == word.text or i + 1 >= len(found) or not cues.joined(text, word, found[i + 1]):
        return False
    nxt = found[i + 1].text.lower()
    social = nxt == "social" and i + 2 < len(found) and found[i + 2].text in ("worker", "workers")
    return nxt in KIN or social


def one_of(text: str, found: list[Word], i: int) -> bool:
    """Whether ", one of our volunteers," (or "the mums", "her brothers") follows found[i] between commas."""
    k = i + 1
    if k + 2 >= len(found) or cues.gap(text, found[i], found[k]) != ", " or found[k].text != "one":
        return False
    if found[k + 1].text != "of" or found[k + 2].text.lower() not in _OWNERS:
        return False
    for j in range(k + 3, min(k + 6, len(found))):  # up to two words before the role: "one of the younger mums"
        role = found[j].text.lower()
        if role in cues.PERSON_NOUNS or role in KIN or role.rstrip("s") in cues.ROLES:
            return j + 1 >= len(found) or text[found[j].end : found[j + 1].start].startswith((",", ")", " who"))
        if not cues.joined(text, found[j - 1], found[j]):
            return False
    return False


def into_care(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i] (or found[i] and a capitalised word after "and") was taken, put or placed into care."""
    k = i + 1
    if k + 1 < len(found) and found[k].text == "and" and found[k + 1].text[:1].isupper():
        k += 2  # "Storm and River were taken into care"
    said = [w.text for w in found[k : k + 5]]
    if not said or said[0] not in _BE:
        return False
    rest = said[2:] if said[1:2] == ["been"] else said[1:]
    return rest[:1] in (["taken"], ["put"], ["placed"]) and rest[1:3] in (["into", "care"], ["in", "care"])


#: A child's place among its brothers and sisters, after "the": "..., Storm the baby", "Honor the eldest".
_SIBLING = set_of("baby eldest oldest youngest middle twins")


def the_sibling(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i], after a comma inside a sentence, is followed by "the" and a child's place in the family
    ("Honor and Summer are the two eldest, Storm the baby"): a list of children, not "Will the baby be safe?"."""
    if i == 0 or i + 2 >= len(found) or cues.gap(text, found[i - 1], found[i]) != ", ":
        return False
    word = found[i]
    if word.bare != word.text or not cues.joined(text, word, found[i + 1]) or found[i + 1].text != "the":
        return False
    return cues.joined(text, found[i + 1], found[i + 2]) and found[i + 2].bare in _SIBLING


#: Nouns of an argument after "is not a": "Grace is not a reason to stay", "Faith is not an excuse".
_ARGUMENT = set_of("reason excuse answer solution substitute guarantee strategy plan defence defense cure")


def an_argument(text: str, found: list[Word], i: int) -> bool:
    """Whether "is not a reason" (or "an excuse", "the answer" and the like) follows found[i]: a virtue in an
    argument, not a person."""
    said = [w.text for w in found[i + 1 : i + 5]]
    if len(said) < 4 or said[0] not in ("is", "was", "isn't", "wasn't"):
        return False
    rest = said[2:] if said[1] in ("not", "never") else said[1:] if said[0].endswith("n't") else []
    return rest[:1] in (["a"], ["an"], ["the"], ["no"]) and rest[1:2] != [] and rest[1] in _ARGUMENT


#: What a person works for, after "from the" or "at the": "Mark from the housing team", "Rob at the council".
TEAM = set_of(
    """team teams council service services office unit charity surgery practice jobcentre police school refuge
    project hub association trust department probation centre station"""
)
#: A word likelier than this in lower case is too common for this evidence ("Will from the council be enough?").
_COMMONEST = -9.0


def from_team(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i] is followed by "from the" or "at the", at most two words and a team's or service's word
    ("Mark from the housing team"), and is no month, season, domain name or one of the commonest words."""
    word = found[i]
    if word.bare in MONTHS or word.bare in SEASONS or word.bare in DOMAIN_NAMES or word.bare != word.text:
        return False
    k = i + 1
    if k + 2 >= len(found) or found[k].text not in ("from", "at") or found[k + 1].text not in ("the", "our"):
        return False
    if not cues.joined(text, word, found[k]):
        return False
    for j in range(k + 2, min(k + 5, len(found))):
        if not cues.joined(text, found[j - 1], found[j]):
            return False
        if found[j].text.lower() in TEAM:
            seen = word_frequencies().get(word.bare.lower())
            return seen is None or seen[0] <= _COMMONEST
    return False


#: What is said of a nickname straight after it: "Cookie is what her ex calls her", "Tiger (his nickname at the gym)",
#: "Moz - that is Maurice's nickname -", "Peaches (that is what she likes to be called)".
_CALLED_START = re.compile(r"\s*(?:[(,\-–—]|(?:is|was|'s) (?:what|how) )")
_CALLED = re.compile(
    r"\bnick-?names?\b|\b(?:call|calls|called|calling) (?:her|him|me|them)\b(?! [a-z]{3,})|\bto be called\b"
    r"|\bgoes by\b|\bwent by\b|\b(?:pet|nick) names?\b|\bpet-?names?\b|\baka\b|\ba\.k\.a\b"
)
_CLAUSE_END = re.compile(r"[.!?;)]")


def called(text: str, found: list[Word], i: int) -> bool:
    """Whether what follows found[i] says it is what someone is called ("Lolly is what the kids call her", "Rocky
    (the ex's nickname)"): a nickname, whatever word it is."""
    word = found[i]
    if word.bare != word.text or not _CALLED_START.match(text, word.end):
        return False
    rest = text[word.end : word.end + 80]
    end = _CLAUSE_END.search(rest, 1)
    return bool(_CALLED.search(rest[: end.end() if end else len(rest)]))


def kin_bracket(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i], in lower case, stands alone in brackets straight after a person's own people or a role
    ("mum (tamsin) and three kids", "the ex (dean) turned up"): a case note's name."""
    word = found[i]
    if i == 0 or text[word.start - 2 : word.start] != " (" or text[word.end : word.end + 1] != ")":
        return False
    before = found[i - 1]
    return before.end == word.start - 2 and (before.text.lower() in KIN or before.text.lower() in cues.ROLES)
