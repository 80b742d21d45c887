"""Suggested anonymisation of quotes: names of places, police forces, services and people replaced by ***.

The names come from the returns (service names and the places in them) and the reference data (police force
areas), plus a list of common first names. It only suggests: an analyst confirms or edits every quote before it
can appear in a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

MASK = "***"
# Words that end a service's name and are not part of a place ("Rotherham Women's Aid" -> "Rotherham").
_GENERIC = re.compile(
    r"\b(women'?s|domestic|idva|independent|refuge|outreach|family|families|safer|rape|children|young|"
    r"respect|housing|community|victim|citizens|health|advocacy|support|service|services|project|trust|centre|"
    r"partnership|aid|team|hub|association|abuse|violence)\b.*$",
    re.IGNORECASE,
)
_STOP = {"the", "and", "of", "for", "in", "city", "north", "south", "east", "west", "new"}


@dataclass(frozen=True)
class Anonymised:
    """The suggested text and what was replaced."""

    text: str
    replaced: tuple[str, ...]


@cache
def first_names() -> frozenset[str]:
    """Common first names, for people mentioned in comments."""
    text = resources.files("practitioner_survey.reference").joinpath("first_names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def names_from(service_names: Iterable[str], areas: Iterable[str], places: Iterable[str] = ()) -> list[str]:
    """Everything that could identify a respondent: service names, the places they start with, force areas."""
    names: set[str] = set()
    for name in service_names:
        name = name.strip()
        if not name:
            continue
        names.add(name)
        place = _GENERIC.sub("", name).strip(" -,&")
        if place and place.lower() not in _STOP and len(place) > 2:
            names.add(place)
    names.update(a.strip() for a in areas if a.strip())
    names.update(p.strip() for p in places if p.strip())
    return sorted(names, key=len, reverse=True)  # longest first, so a service name goes before its place


def anonymise(text: str, names: Iterable[str]) -> Anonymised:
    """Replace every known name (whole words; names of several words in any case) and capitalised common first
    names with ***."""
    replaced: list[str] = []
    out = text
    for name in names:
        # one-word names only as written or in capitals (Reading, Bath, Bury are words too); longer in any case
        if " " in name.strip():
            pattern = re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])", re.IGNORECASE)
        else:
            pattern = re.compile(rf"(?<![\w])(?:{re.escape(name)}|{re.escape(name.upper())})(?![\w])")
        if pattern.search(out):
            replaced.append(name)
            out = pattern.sub(MASK, out)
    people = first_names()

    def person(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in people:
            replaced.append(word)
            return MASK
        return word

    out = re.sub(r"(?<![\w*])[A-Z][a-z]+(?![\w])", person, out)
    return Anonymised(out, tuple(replaced))
