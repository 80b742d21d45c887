"""People's names for the anonymiser: given names and surnames from the lists the `faker` package ships (MIT) for
every person locale it has (about 80), written at development time into data/given-names.txt, given-names-en.txt and
surnames.txt by bench/make_anonymise_data.py (so the anonymiser builds fast and the same whatever Faker is
installed); the names of `names-dataset` (MIT) ranked high in the countries England and Wales' people come from that
Faker lacks (data/given-names-world.txt, and those that are English words, needing plain evidence of a person, in
data/word-names-world.txt); and the words around a name that say a person is meant.

Many given names are also ordinary words ("Will", "May", "Hope", "Grace", "Mark"): `Ordinariness` says how much, from
how often each is written in lower case and capitalised (data/ordinary-words.txt, made at development time from
spaCy's English word probabilities by bench/make_anonymise_data.py); such a name counts only where the context says
a person is meant.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


def set_of(words: str) -> frozenset[str]:
    """The words of a text, as a set (for word lists written as text)."""
    return frozenset(words.split())


#: Titles before a name: the next capitalised word (or two) is a person.
TITLES = set_of(
    "Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Rev Revd Reverend Pastor Imam Rabbi Cllr Councillor PC DC DS DI"
    " DCI Sgt Sergeant Inspector Judge"
)
#: Words before "Eve" that make it a holiday's: "Christmas Eve", "New Year's Eve", "All Hallows' Eve".
HOLIDAYS = frozenset({"Christmas", "Year's", "Year’s", "Hallows'", "Hallows’", "Hallows", "Midsummer"})
#: Words after which a capitalised word names a person: "our client Jade", "her son, Tom", "my Idva Sarah".
PERSON_CUES = set_of(
    """client clients son sons daughter daughters husband wife partner ex ex-partner ex-husband ex-wife boyfriend
    girlfriend mother mum mam father dad brother sister child baby nan nana gran grandmother grandfather grandad
    aunt auntie aunty nanny granny grandma grandpa stepmum stepdad godmother uncle cousin niece nephew friend
    neighbour perpetrator abuser victim survivor woman man lady girl boy
    caseworker advocate idva isva ypva iriss worker officer manager colleague volunteer co-worker coordinator
    teacher solicitor barrister midwife nurse doctor gp chair commissioner user called named name's aka"""
)
#: Capitalised words that are never a person's name, though some are in a names list.
NEVER_NAMES = set_of(
    """Idva Idvas Isva Isvas Ypva Ypvas Iriss Marac Maracs Mash Mappa Refuge Refuges Cafcass Ofsted Respect Drive
    SafeLives Police Council Court Courts Housing Home Office Crown Magistrates Family Children Social Services
    Support Aid Women Women's Men Men's Victim Victims Universal Credit Legal Christmas Easter Eid Ramadan Diwali
    Covid God Lord Brexit Monday Tuesday Wednesday Thursday Friday Saturday Sunday English Welsh Scottish Irish
    British Polish Romanian Bengali Chinese Asian Black White Muslim Christian Hindu Sikh Jewish Somali Urdu Punjabi
    Arabic Gypsy Roma Traveller Travellers LGBT Deaf Freedom Programme Encompass Operation Law Act Early Help
    Troubled Families Commissioner Government Parliament Minister Ministry Justice Health NHS
    Mon Tue Tues Wed Weds Thur Thurs Fri Sat"""  # days' short forms, not "Thu" (a Vietnamese name), nor "Sun"
)
#: Months are given names too ("May", "June", "April"): only with context.
MONTHS = set_of("January February March April May June July August September October November December")
#: Seasons are given names too ("Summer", "Autumn"): like months, only with context.
SEASONS = set_of("Spring Summer Autumn Winter")
#: Given names that are also the names of the domain's schemes and ratings (the IRIS programme, "Ask for Ani", an
#: Amber risk rating): like months, a person only where the context plainly says so ("our client Iris").
DOMAIN_NAMES = set_of("Iris Ani Amber")
#: "Clare's Law" and kin: a name that is part of a law's or scheme's public name.
LAW_NAMES = frozenset({"Clare", "Sarah", "Helen"})


@cache
def given_names() -> frozenset[str]:
    """Given names of every Faker person locale, of data/given-names-extra.txt and of given-names-world.txt."""
    names = set(_data_words("given-names.txt"))
    # Faker's generic "en" list (American birth records) holds words too ("Stone", "Park", "Sky"): of its names, those
    # that are ordinary words count only when another locale lists them as well.
    ordinary = Ordinariness()
    names |= {n for n in _english_given() if n in names or not ordinary.word(n)}
    for line in _data_lines("given-names-extra.txt"):
        names.update(line.split())
    names.update(_data_words("given-names-world.txt"))
    return frozenset(n for n in names - NEVER_NAMES if n.lower() not in not_names())


@cache
def _english_given() -> frozenset[str]:
    return frozenset(_data_words("given-names-en.txt"))


@cache
def word_names() -> frozenset[str]:
    """Given names of Faker's generic "en" list and of data/word-names-world.txt that are ordinary words and in no
    other list ("Precious", "Storm", "Miles", "Ting"): a person only where what follows plainly says so ("Miles hid
    trackers on her car")."""
    names = (_english_given() | set(_data_words("word-names-world.txt"))) - given_names() - NEVER_NAMES
    return frozenset(n for n in names if n.lower() not in not_names())


@cache
def surnames() -> frozenset[str]:
    """Surnames of every Faker person locale (those of several words add each word)."""
    names = set(_data_words("surnames.txt"))
    return frozenset(n for n in names - NEVER_NAMES if n.lower() not in not_names())


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

    def lower_margin(self, word: str) -> float | None:
        """How much likelier a word is in lower case than capitalised (log probability), common or not."""
        found = self._freq.get(word.lower())
        return None if found is None else found[0] - found[1]

    def word(self, word: str) -> bool:
        """A common word written mostly in lower case ("Support", "Will", "Grace"): after "our client" it is a
        name only if it is a given name."""
        margin = self._margin(word)
        return margin is not None and margin > 0

    def strong(self, word: str) -> bool:
        """So ordinary that, capitalised inside a sentence, it is still a word ("Hope", "Will", "Reading", "May")."""
        if word in MONTHS or word in SEASONS or word in DOMAIN_NAMES:
            return True
        margin = self._margin(word)
        return margin is not None and margin >= STRONG

    def at_start(self, word: str) -> bool:
        """Ordinary enough that at a sentence's start it is a word ("Frank", "Dawn", "Jack"), not "Tom"."""
        if word in MONTHS or word in SEASONS or word in DOMAIN_NAMES:
            return True
        margin = self._margin(word)
        return margin is not None and margin > START


def _data_lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _data_words(name: str) -> list[str]:
    return [w for line in _data_lines(name) for w in line.split()]


@cache
def not_names() -> frozenset[str]:
    """Lower case: capitalised words that are no ordinary words but name no person or place a respondent could be
    identified by (data/not-names.txt): the domain's bodies and schemes, apps, faiths, peoples and languages."""
    return frozenset(w.lower() for line in _data_lines("not-names.txt") for w in line.split())


@cache
def languages() -> frozenset[str]:
    """One-word names of languages that are no given name or surname ("Tigrinya", "Slovak"; data/languages.txt)."""
    return frozenset(w for line in _data_lines("languages.txt") for w in line.split())


@cache
def known_proper() -> frozenset[str]:
    """Capitalised words common in general English text that are in no names or places list ("Facebook",
    "Beethoven", "Serbian", "Android"): famous, so no clue to who a respondent is (data/known-proper.txt)."""
    return frozenset(w for line in _data_lines("known-proper.txt") for w in line.split())


@cache
def lemma_words() -> frozenset[str]:
    """Lower case: the word forms of spaCy's English lookup lemmatizer (spacy-lookups-data, a dependency), about
    62,000 English words with no people in them."""
    import gzip
    import json

    path = resources.files("spacy_lookups_data").joinpath("data", "en_lemma_lookup.json.gz")
    with path.open("rb") as raw, gzip.open(raw) as f:
        table: dict[str, str] = json.load(f)
    return frozenset(w for pair in table.items() for w in pair if w.isalpha() and w.islower())


@cache
def english_words() -> frozenset[str]:
    """Lower case: `lemma_words` and those of data/english-words.txt (made from spaCy's word probabilities:
    "eastern", "homelessness")."""
    return lemma_words() | {w for line in _data_lines("english-words.txt") for w in line.split()}
