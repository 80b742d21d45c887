"""People's names for the anonymiser: given names and surnames from the lists the `faker` package ships (MIT), read
from its installed files (no download), and the words around a name that say a person is meant.

Many given names are also ordinary words ("Will", "May", "Hope", "Grace", "Mark"): `ordinary_words()` (built at
development time from spaCy's English word frequencies, see bench/make_anonymise_data.py) lists the words that are
written in lower case more often than capitalised; such a name counts only where the context says a person is meant.
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
_GIVEN = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")

#: Titles before a name: the next capitalised word (or two) is a person.
TITLES = frozenset(
    "Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Rev Revd Cllr Councillor PC DC DS DI DCI Sgt Sergeant Inspector "
    "Judge".split()
)
#: Words after which a capitalised word names a person: "our client Jade", "her son, Tom", "my Idva Sarah".
PERSON_CUES = frozenset(
    """client clients son sons daughter daughters husband wife partner ex ex-partner ex-husband ex-wife boyfriend
    girlfriend mother mum mam father dad brother sister child baby nan nana gran grandmother grandfather grandad
    aunt auntie uncle cousin niece nephew friend neighbour perpetrator abuser victim survivor woman man lady girl boy
    caseworker advocate idva isva ypva iriss worker officer manager colleague volunteer co-worker coordinator
    teacher solicitor barrister midwife nurse doctor gp chair commissioner user called named name's aka""".split()
)
#: Capitalised words that are never a person's name, though some are in a names list.
NEVER_NAMES = frozenset(
    """Idva Idvas Isva Isvas Ypva Ypvas Iriss Marac Maracs Mash Mappa Refuge Refuges Cafcass Ofsted Respect Drive
    SafeLives Police Council Court Courts Housing Home Office Crown Magistrates Family Children Social Services
    Support Aid Women Women's Men Men's Victim Victims Universal Credit Legal Christmas Easter Eid Ramadan Diwali
    Covid God Lord Brexit Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December English Welsh Scottish Irish British Polish Romanian
    Bengali Chinese Asian Black White Muslim Christian Hindu Sikh Jewish Somali Urdu Punjabi Arabic Gypsy Roma
    Traveller Travellers LGBT Deaf Freedom Programme Encompass Operation Law Act
    Early Help Troubled Families Commissioner Government Parliament Minister Ministry Justice Health NHS""".split()
)
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
        for name in _names_of(locale, ("last_names",)):
            names.update(part for part in name.replace("-", " ").split() if len(part) > 1)
    return frozenset(names - NEVER_NAMES)


@cache
def ordinary_words() -> frozenset[str]:
    """Lower-case words, among the names and places the anonymiser knows, that are written in lower case more
    often than capitalised ("will", "hope", "reading", "bath"): as a capitalised name they need context."""
    return frozenset(_data_lines("ordinary-words.txt"))


def _data_lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
