"""Place names for the anonymiser: towns, cities and villages of the UK (GeoNames, shipped as data/places-gb.csv),
counties, areas and London boroughs in English and Welsh (data/places-extra.txt), found in a text word by word; and
towns abroad (data/places-world.txt), for after a place word ("from Kabul").

A text is cut into words (`words`): letters with inner apostrophes and hyphens ("Pen-y-bont", "O'Brien"); a place
of several words matches when its words follow one another with only spaces between ("St Helens", "St. Helens").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Letters and the combining marks inside words (Latin accents typed apart, Arabic vowel marks, the Indic scripts'
# vowel signs), so a Bengali or Hindi name is one word.
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0dff"
_LETTER = rf"(?:[^\W\d_]|[{_MARKS}])"
_WORD = re.compile(rf"[^\W\d_]{_LETTER}*(?:['’\-][^\W\d_]{_LETTER}*)*")
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(frozen=True)
class Word:
    """A word of a text: its characters `start`-`end`, without a possessive "'s" (kept in `text` as written)."""

    text: str
    start: int
    end: int

    @property
    def bare(self) -> str:
        """The word without a possessive "'s"."""
        return _POSSESSIVE.sub("", self.text)

    @property
    def bare_end(self) -> int:
        return self.start + len(self.bare)

    @property
    def capitalised(self) -> bool:
        """Starts with a capital, or with a letter of a script without capitals (Bengali, Arabic), where a name
        can only be told by the names lists."""
        first = self.text[:1]
        return first.isupper() or not first.islower()


def words(text: str) -> list[Word]:
    """The words of `text`, with their offsets."""
    return [Word(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]


def words_of(name: str) -> list[str]:
    """The words of a place's name ("Newcastle upon Tyne" -> Newcastle, upon, Tyne)."""
    return [m.group(0) for m in _WORD.finditer(name)]


def _lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def place_names() -> tuple[str, ...]:
    """Every place name the anonymiser knows (GeoNames' UK places and the hand-written counties and areas)."""
    gb = _lines("places-gb.csv")[1:]  # after the header, "name"
    return tuple(sorted(set(gb) | set(_lines("places-extra.txt"))))


class Gazetteer:
    """Place names indexed by their first word, for finding them in a text's words."""

    def __init__(self, names: Iterable[str]) -> None:
        index: dict[str, list[tuple[str, ...]]] = {}
        for name in names:
            # "Blaenau-Ffestiniog" is written "Blaenau Ffestiniog"; "Ynys Môn" and "Sir Gâr" without their accents
            plain = folded(name)
            variants = {name, name.replace("-", " "), plain, plain.replace("-", " ")}
            head, _, rest = plain.partition(" ")
            if rest and len(head) > 3 and head.endswith("s") and head[-2] != "s":  # "Bishops Stortford"
                variants |= {f"{head[:-1]}{mark}s {rest}" for mark in "'’"}  # as often written, "Bishop's"
            for variant in variants:
                parts = tuple(words_of(variant))
                if parts:
                    index.setdefault(parts[0], []).append(parts)
        self._index = {first: sorted(set(seqs), key=len, reverse=True) for first, seqs in index.items()}

    def match(self, text: str, found: Sequence[Word], i: int) -> int:
        """How many words from `found[i]` on make a known place (the longest), 0 if none. A word matches as written
        or in capitals; the next word of a place must follow after spaces only (or ". " after St)."""
        first = found[i]
        word = first.bare
        key = word if word in self._index else word.title() if word.isupper() and len(word) > 2 else ""
        # "King's Lynn", "Bishop's Stortford": a place whose first word is a possessive
        seqs = [*self._index.get(first.text, ()), *self._index.get(key, ())] if first.text != word else None
        for seq in seqs if seqs is not None else self._index.get(key, ()):
            if len(seq) > len(found) - i or (len(seq) > 1 and first.text != seq[0]):
                continue
            if all(_same(found[i + k], seq[k], k == len(seq) - 1) and _joined(text, found[i + k - 1], found[i + k])
                   for k in range(1, len(seq))):  # fmt: skip
                return len(seq)
        return 0


def folded(name: str) -> str:
    """`name` without accents ("Llŷn" -> "Llyn", "Môn" -> "Mon"), as it is often typed."""
    if name.isascii():
        return name
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _same(word: Word, part: str, last: bool) -> bool:
    written = word.bare if last else word.text
    return written == part or (written.isupper() and written == part.upper())


def _joined(text: str, before: Word, after: Word) -> bool:
    gap = text[before.end : after.start]
    return gap == " " or (gap == ". " and before.text == "St")


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer of `place_names()`, built once."""
    return Gazetteer(place_names())


@cache
def world() -> Gazetteer:
    """The gazetteer of towns and cities abroad (data/places-world.txt), built on first use."""
    return Gazetteer(_lines("places-world.txt"))


@cache
def country_names() -> tuple[str, ...]:
    """The names of data/countries.txt, as written."""
    return tuple(_lines("countries.txt"))


@cache
def countries() -> Gazetteer:
    """The gazetteer of countries, the UK's nations and a few homelands (data/countries.txt), built once."""
    return Gazetteer(_lines("countries.txt"))
