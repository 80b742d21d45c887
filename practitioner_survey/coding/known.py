"""The year's known names for the anonymiser: service names, the places they start with and police force areas
(whole-word patterns), and the common first names the word clouds leave out. Split from anonymise.py."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

# Words that end a service's name and are not part of a place ("Rotherham Women's Aid" -> "Rotherham").
GENERIC = re.compile(
    r"\b(women'?s|domestic|idva|independent|refuge|outreach|family|families|safer|rape|children|young|"
    r"respect|housing|community|victim|citizens|health|advocacy|support|service|services|project|trust|centre|"
    r"partnership|aid|team|hub|association|abuse|violence)\b.*$",
    re.IGNORECASE,
)


STOP = {"the", "and", "of", "for", "in", "city", "north", "south", "east", "west", "new"}


@cache
def first_names() -> frozenset[str]:
    """Common first names (the word clouds leave them out); the anonymiser knows many more (names.given_names)."""
    from importlib import resources

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
        place = GENERIC.sub("", name).strip(" -,&")
        if place and place.lower() not in STOP and len(place) > 2:
            names.add(place)
    names.update(a.strip() for a in areas if a.strip())
    names.update(p.strip() for p in places if p.strip())
    return sorted(names, key=len, reverse=True)  # longest first, so a service name goes before its place


def known_pattern(names: Sequence[str], case_insensitive: bool) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    if case_insensitive:
        return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)
    upper = "|".join(re.escape(n.upper()) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives}|{upper})(?![\w])")
