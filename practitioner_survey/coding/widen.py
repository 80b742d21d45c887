"""Places and names found word by word, widened to the whole name they belong to (round 9): a hospital's "Royal"
before its town ("Royal Preston"), a hospital or borough of two places after "the" ("the Norfolk and Norwich"),
two places side by side that make one ("Stoke Newington"); two names side by side, and a Vietnamese name's given
name after "Van" or "Thi" ("Do Van Hung"). Each piece of a place is a place already, so widening replaces no word
the anonymiser did not judge a place; it only keeps "Royal" and "and" from giving the name away."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from functools import cache

from practitioner_survey.coding.finding import Finding
from practitioner_survey.coding.gazetteer import Word, place_names
from practitioner_survey.coding.names import set_of

_HOSPITAL = frozenset(("Hospital", "Hospitals", "Infirmary", "Hospice"))


def widen(text: str, every: list[Word], found: list[Finding], given: Collection[str]) -> list[Finding]:
    """`found` (in reading order, none overlapping) with its places and names widened and joined as above; a
    word after a place that `given` (the given names) does not hold joins the place ("Wigan Wallgate")."""
    at = {w.start: k for k, w in enumerate(every)}
    out: list[Finding] = []
    for f in found:
        k = at.get(f.start)
        if f.kind == "place" and k and every[k - 1].text == "Royal" and text[every[k - 1].end : f.start] == " ":
            free = not out or out[-1].end <= every[k - 1].start
            if free and not _hospital_after(text, every, f.end):
                f = replace(f, start=every[k - 1].start)  # "Royal Preston", "the Royal Berkshire"
        if f.kind == "name" and text[f.start : f.end].endswith((" Van", " Thi", " Văn", " Thị")):
            nxt = next((w for w in every if w.start == f.end + 1), None)  # "Do Van Hung": the given name after
            if nxt is not None and text[f.end] == " " and nxt.text[:1].isupper() and not nxt.text.isupper():
                f = replace(f, end=nxt.bare_end)
        if f.kind == "name" and k and every[k - 1].text in _WELSH_BEFORE and _unmutated(text[f.start : f.end], given):
            f = replace(f, kind="place")  # "yng Nghaerdydd", "i Fangor": a Welsh place after a mutation
        if out and f.kind == out[-1].kind == "name" and text[out[-1].end : f.start] == " ":
            out[-1] = replace(out[-1], end=f.end)  # "Van" and "Hung" of "Do Van Hung": one name
            continue
        if out and out[-1].kind == "place" and f.kind == "name" and _one_word(text, f, out[-1].end, given):
            out[-1] = replace(out[-1], end=f.end)  # "Wigan Wallgate": a word no list holds, after a place
            continue
        if out and f.kind == "place" and out[-1].kind == "place" and _one_place(text, every, at, out[-1], f):
            out[-1] = replace(out[-1], end=f.end)
            continue
        out.append(f)
    return out


#: Welsh words after which a place's first letter changes: "i Fangor" (Bangor), "yng Nghaerdydd" (Caerdydd).
_WELSH_BEFORE = set_of("i o ac yng ym yn dros drwy trwy gan heb hyd tan wrth ei")
#: A mutated first letter or two, and what they may stand for.
_MUTATIONS = (
    ("Ngh", ("C",)), ("Mh", ("P",)), ("Nh", ("T",)), ("Ng", ("G",)), ("Ch", ("C",)), ("Ph", ("P",)),
    ("Th", ("T",)), ("Dd", ("D",)), ("G", ("C",)), ("B", ("P",)), ("D", ("T",)), ("F", ("B", "M")),
    ("L", ("Ll",)), ("R", ("Rh",)), ("M", ("B",)), ("N", ("D",)),
)  # fmt: skip


def _unmutated(word: str, given: Collection[str]) -> bool:
    """Whether `word`, one word and no given name, is a place of the gazetteer with its first letter mutated back."""
    if " " in word or word in given:
        return False
    forms = [new + word[len(old) :] for old, news in _MUTATIONS if word.startswith(old) for new in news]
    forms += ["G" + word.lower()] if word[:1] in "AEIOUWY" else []
    return any(form in _one_word_places() for form in forms)


@cache
def _one_word_places() -> frozenset[str]:
    return frozenset(name for name in place_names() if " " not in name)


def _one_word(text: str, f: Finding, after: int, given: Collection[str]) -> bool:
    """Whether `f` is one capitalised word, no given name, straight after a place ending at `after`."""
    word = text[f.start : f.end]
    return text[after : f.start] == " " and " " not in word and word[:1].isupper() and word not in given


def _hospital_after(text: str, every: list[Word], end: int) -> bool:
    """Whether a hospital's word follows the place ending at `end`: then "the Royal *** Hospital" says no more
    than a hospital, and "Royal" is left as written."""
    nxt = next((w for w in every if w.start > end), None)
    return nxt is not None and text[end : nxt.start] == " " and nxt.bare in _HOSPITAL


def _one_place(text: str, every: list[Word], at: dict[int, int], first: Finding, second: Finding) -> bool:
    """Whether two places found make one: side by side ("Stoke Newington"), or joined by "and" after "the", as
    hospitals are named ("the Chelsea and Westminster"), not two places listed ("Oldham and Bury")."""
    between = text[first.end : second.start]
    if between == " ":
        return True
    k = at.get(first.start)
    return between == " and " and k is not None and k > 0 and every[k - 1].text.lower() == "the"
