"""People's names for the anonymiser: given names and surnames from the lists the `faker` package ships (MIT), read
from its installed files (no download), and the words around a name that say a person is meant.

Many given names are also ordinary words ("Will", "May", "Hope", "Grace", "Mark"): `Ordinariness` says how much, from
how often each is written in lower case and capitalised (data/ordinary-words.txt, made at development time from
spaCy's English word probabilities by bench/make_anonymise_data.py); such a name counts only where the context says
a person is meant.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib import resources

#: Faker's person locales whose names practitioners in England and Wales are likeliest to write: British, Irish,
#: South Asian, European and African names in Latin script, and Bengali, Arabic and Cyrillic-script names as written.
LOCALES = (
    "en_GB", "en_US", "en_IE", "ga_IE", "en_IN", "en_PK", "en_NG", "pl_PL", "ro_RO", "lt_LT", "lv_LV", "pt_PT",
    "it_IT", "es_ES", "fr_FR", "de_DE", "cs_CZ", "sk_SK", "hu_HU", "tr_TR", "bn_BD", "ar_AA", "ru_RU", "uk_UA",
)  # fmt: skip


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_GIVEN = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
_LAST = ("last_names", "last_names_male", "last_names_female", "male_last_names", "female_last_names",
         "unisex_last_names")  # fmt: skip

#: Titles before a name: the next capitalised word (or two) is a person.
TITLES = _set(
    "Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Rev Revd Cllr Councillor PC DC DS DI DCI Sgt Sergeant Inspector Judge"
)
#: Words after which a capitalised word names a person: "our client Jade", "her son, Tom", "my Idva Sarah".
PERSON_CUES = _set(
    """client clients son sons daughter daughters husband wife partner ex ex-partner ex-husband ex-wife boyfriend
    girlfriend mother mum mam father dad brother sister child baby nan nana gran grandmother grandfather grandad
    aunt auntie uncle cousin niece nephew friend neighbour perpetrator abuser victim survivor woman man lady girl boy
    caseworker advocate idva isva ypva iriss worker officer manager colleague volunteer co-worker coordinator
    teacher solicitor barrister midwife nurse doctor gp chair commissioner user called named name's aka"""
)
#: Capitalised words that are never a person's name, though some are in a names list.
NEVER_NAMES = _set(
    """Idva Idvas Isva Isvas Ypva Ypvas Iriss Marac Maracs Mash Mappa Refuge Refuges Cafcass Ofsted Respect Drive
    SafeLives Police Council Court Courts Housing Home Office Crown Magistrates Family Children Social Services
    Support Aid Women Women's Men Men's Victim Victims Universal Credit Legal Christmas Easter Eid Ramadan Diwali
    Covid God Lord Brexit Monday Tuesday Wednesday Thursday Friday Saturday Sunday English Welsh Scottish Irish
    British Polish Romanian Bengali Chinese Asian Black White Muslim Christian Hindu Sikh Jewish Somali Urdu Punjabi
    Arabic Gypsy Roma Traveller Travellers LGBT Deaf Freedom Programme Encompass Operation Law Act Early Help
    Troubled Families Commissioner Government Parliament Minister Ministry Justice Health NHS"""
)
#: Months are given names too ("May", "June", "April"): only with context.
MONTHS = _set("January February March April May June July August September October November December")
#: "Clare's Law" and kin: a name that is part of a law's or scheme's public name.
LAW_NAMES = frozenset({"Clare", "Sarah", "Helen"})


def _names_of(locale: str, attributes: tuple[str, ...]) -> set[str]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    found: set[str] = set()
    for attribute in attributes:
        value = getattr(provider, attribute, ())
        found.update(str(name) for name in value)  # a tuple, or an OrderedDict of name -> weight
    return found


@cache
def given_names() -> frozenset[str]:
    """Given names of Faker's LOCALES (single words: "Mary Ann" adds Mary and Ann) and data/given-names-extra.txt."""
    names: set[str] = set()
    for locale in LOCALES:
        for name in _names_of(locale, _GIVEN):
            names.update(part for part in name.split() if len(part) > 1)
    for line in _data_lines("given-names-extra.txt"):
        names.update(line.split())
    return frozenset(names - NEVER_NAMES)


@cache
def surnames() -> frozenset[str]:
    """Surnames of Faker's LOCALES (those of several words add each word)."""
    names: set[str] = set()
    for locale in LOCALES:
        for name in _names_of(locale, _LAST):
            names.update(part for part in name.replace("-", " ").split() if len(part) > 1)
    return frozenset(names - NEVER_NAMES)


#: A word is common when its lower-case form is at least this likely (a log probability; "tom" is -13.2).
COMMON = -13.5
#: Capitalised, a common word needs context when its lower case is this much likelier ("will" 3.6, "bath" 2.0).
STRONG = 1.0
#: At a sentence's start, a common word is a name only when its capitalised form is this much likelier ("Tom").
START = -1.5


@cache
def word_frequencies() -> dict[str, tuple[float, float]]:
    """lower-case word -> (log probability in lower case, capitalised) for the common words and the names and
    places the anonymiser knows (data/ordinary-words.txt, from spaCy's English word probabilities)."""
    out: dict[str, tuple[float, float]] = {}
    for line in _data_lines("ordinary-words.txt"):
        word, lower, capital = line.split()
        out[word] = (float(lower), float(capital))
    return out


class Ordinariness:
    """How much of an ordinary word a capitalised name or place is."""

    def __init__(self) -> None:
        self._freq = word_frequencies()

    def _margin(self, word: str) -> float | None:
        found = self._freq.get(word.lower())
        if found is None or found[0] < COMMON:
            return None  # not a common word: a name or place
        return found[0] - found[1]

    def word(self, word: str) -> bool:
        """A common word written mostly in lower case ("Support", "Will", "Grace"): after "our client" it is a
        name only if it is a given name."""
        margin = self._margin(word)
        return margin is not None and margin > 0

    def strong(self, word: str) -> bool:
        """So ordinary that, capitalised inside a sentence, it is still a word ("Hope", "Will", "Reading", "May")."""
        if word in MONTHS:
            return True
        margin = self._margin(word)
        return margin is not None and margin >= STRONG

    def at_start(self, word: str) -> bool:
        """Ordinary enough that at a sentence's start it is a word ("Frank", "Dawn", "Jack"), not "Tom"."""
        if word in MONTHS:
            return True
        margin = self._margin(word)
        return margin is not None and margin > START


def _data_lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
