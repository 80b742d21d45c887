"""Names typed in lower case in a case note, for the anonymiser, by what a note does with a person: who was met,
rang or seen ("mtg w parminder", "phoned gaz the housing officer", "visited kowsar at home"), who is listed with
"+" or "&" beside such a name ("w jaswinder + gurpal"), and who did not do something at a note's line start ("nkechi
didnt answer"). Only a given name that is no English word, or a word no dictionary holds. Split from people.py."""

from __future__ import annotations

from collections.abc import Callable

from practitioner_survey.coding import cues
from practitioner_survey.coding.gazetteer import Word
from practitioner_survey.coding.names import set_of

#: A note's verbs and shorthands before who was met, rung or seen: "mtg w", "phoned", "visited".
CONTACT = set_of("w with phoned rang called texted txted txt emailed messaged met saw visited seen tried chased")
#: What a note is about: "rang about keeley", "sw called re tiegan" (a name by the same test).
_ABOUT = set_of("about re")
#: What a person at a note's line start did not do, or how they are: "nkechi didnt answer", "rukhsana ok".
_NOT_DONE = set_of(
    """didnt didn't didn’t hasnt hasn't hasn’t havent haven't wont won't won’t cant can't can’t isnt isn't wasnt
    wasn't doesnt doesn't never ok okay fine safe"""
)
_OWNERS = set_of("the our her his their")
_BEFORE = CONTACT | _ABOUT | {"and"}
_JOINS = (" + ", " & ", "+", "&")


def noted(text: str, found: list[Word], i: int, nameable: Callable[[str], bool], given: Callable[[str], bool]) -> bool:
    """Whether found[i], a lower-case word `nameable` says could be a name (as capitalised), is a person in a case
    note: after a contact verb or shorthand, joined by "+" or "&" to one, or at a line's start before what was not
    done or how they are ("rukhsana ok"); or a `given` name, even an English word, after a contact verb and before
    a role ("phoned gaz the housing officer")."""
    word = found[i]
    prev = found[i - 1].text if i else ""
    nxt = found[i + 1].text if i + 1 < len(found) else ""
    joined = i and ("+" in (between := text[found[i - 1].end : word.start]) or "&" in between)
    if prev.lower() not in _BEFORE and nxt.lower() not in _NOT_DONE and not joined:
        return False  # the words around it first: the quick way out for most words
    if not word.text[:1].islower() or word.bare != word.text:
        return False
    contacted = _contacted(text, found, i)  # the words around it first: cheaper than the lists
    if prev.lower() in _ABOUT:  # "about keeley", not "about housing": a name no English word, never a role's
        return cues.joined(text, found[i - 1], word) and nameable(word.text[:1].upper() + word.text[1:])
    if not (contacted or _not_done(text, found, i) or cues.gap(text, found[i - 1], word) in _JOINS or _and(found, i)):
        return False
    titled = word.text[:1].upper() + word.text[1:]
    if not nameable(titled):
        return contacted and given(titled) and _role_after(text, found, i)
    return contacted or _not_done(text, found, i) or _listed(text, found, i, nameable)


def _and(found: list[Word], i: int) -> bool:
    return i >= 2 and found[i - 1].text == "and"


def _role_after(text: str, found: list[Word], i: int) -> bool:
    """ "gaz the housing officer": a determiner, at most two words and a person's role."""
    k = i + 1
    if (
        k >= len(found)
        or not cues.joined(text, found[i], found[k])
        or found[k].text not in ("the", "our", "her", "his")
    ):
        return False
    for j in range(k + 1, min(k + 4, len(found))):
        if not cues.joined(text, found[j - 1], found[j]):
            return False
        if found[j].text.lower() in cues.ROLES:
            return True
    return False


def _contacted(text: str, found: list[Word], i: int) -> bool:
    return i >= 1 and found[i - 1].text.lower() in CONTACT and cues.joined(text, found[i - 1], found[i])


def _listed(text: str, found: list[Word], i: int, nameable: Callable[[str], bool]) -> bool:
    """ "w jaswinder + gurpal", "saw jaswinder and harpreet": after a name met, by a join."""
    k = i - 2 if i >= 2 and found[i - 1].text == "and" and cues.joined(text, found[i - 1], found[i]) else i - 1
    if k < 1 or (k == i - 1 and cues.gap(text, found[k], found[i]) not in _JOINS):
        return False
    if k == i - 2 and not cues.joined(text, found[k], found[i - 1]):
        return False
    prev = found[k]
    return prev.text[:1].islower() and nameable(prev.text[:1].upper() + prev.text[1:]) and _contacted(text, found, k)


def _not_done(text: str, found: list[Word], i: int) -> bool:
    after = found[i + 1] if i + 1 < len(found) else None
    if after is None or after.text.lower() not in _NOT_DONE:
        return False
    return cues.joined(text, found[i], after) and cues.starts_sentence(text, found, i)
