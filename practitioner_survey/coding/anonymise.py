"""Suggested anonymisation of quotes: people, places, organisations, postcodes, phone numbers, e-mail addresses and
dates of birth replaced by ***.

`Anonymiser.findings` lists what it would replace, each a `Finding` (span, kind, replacement), so the analyst sees
every replacement and confirms or edits the quote; it never decides alone. It knows:

- organisations and places from the year's returns (service names and the places they start with, police force
  areas), matched whole-word: names of several words in any case, one-word names as written or in capitals;
- places of the UK from a gazetteer shipped as data (gazetteer.py): towns, cities, counties, Welsh names; by their
  shape (shapes.py); streets, "St" places and compass counties (signs.py: "Brick Lane", "South Gloucestershire");
- people: given names from Faker's lists (names.py), a word after a title ("Mrs Khan") or after a word that says a
  person is meant ("our client Jade", "her son, Tom"), and the surname that follows a name ("Sarah Jenkins");
- proper nouns no list holds (proper.py, cues.py): a capitalised word that is no English word, no famous, domain
  or people's name, inside a sentence ("we met Oona", "in Zennor": a place after a place word, else a name), and at
  a sentence's start before what a person does ("Halima told us", "Senara's children", "Tirzah Trewhella chairs");
  then every other mention of a name found, and a name joined by "and" to one ("Sarah and Will");
- a name that is also a word on plain evidence of a person after it ("Faith was supported", "Summer is
  seventeen", "Storm is a survivor", "May came to us"); areas and villages by their shape ("Blackbird Leys", "the
  Meadowell estate", "Little Snoring"); towns abroad after a place word ("from Kabul"); names of short words ("Xiu
  Ying did not") and names and places in lower case by their context (people.py); nicknames beside a name or
  plainly a person's ("Mo (Mohammed)", "her cousin Tank", "known as Sparky"), names' particles ("bin", "da");
  initials, ages, case notes' dashes, messages ("D.K. Sahota", "Zayn (7)", "gemma - missed appt"; signs.py);
  a word in no list before what only a person does ("Pickle rang"), a name before a people's in brackets
  ("Ilvana (Bosnian)") and a case note's lower-case name before what a person does ("agnieszka moving"; subjects.py);
- a given name capitalised alone inside a sentence ("and Blessing said", capitals.py); a person by plain evidence even
  for a word in no list ("Temperance's GP", "Rose, one of our volunteers", "Mark from the housing team"; roles.py);
  case notes' lower-case names ("mtg w parminder + sukhdev", notes.py); languages and scripts left alone (tongues.py);
- places and names widened to their whole name ("Royal Preston", "the Norfolk and Norwich", "Stoke Newington", "Do
  Van Hung"; widen.py), Welsh places after a mutation ("i Fangor"), lower-case places of several words after a place
  word ("moved to st helens"; lower_places.py);
- postcodes, phone numbers, e-mail addresses, dates of birth and numeric dates, by their shape (identifiers.py).

A name or place that is also a word ("Will", "Hope", "Reading") counts only where its context says so ("her son
Will", "Grace's children", "in Reading"); the domain's words (Idva, Marac), peoples and languages never.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cache

from practitioner_survey.coding import capitals, cues, doubts, notes, roles, shapes, signs, things, tongues, widen
from practitioner_survey.coding.cues import PLACE_AFTER, PLACE_CUES
from practitioner_survey.coding.finding import (  # noqa: F401 (API)
    KINDS,
    MASK,
    Anonymised,
    Finding,
    apply,
    kinds_summary,
    without_overlaps,
)
from practitioner_survey.coding.gazetteer import Word, gazetteer, words, world
from practitioner_survey.coding.identifiers import identifiers
from practitioner_survey.coding.judging import Judging
from practitioner_survey.coding.known import GENERIC, first_names, known_pattern, names_from  # noqa: F401 (API)
from practitioner_survey.coding.lower_places import lower_places
from practitioner_survey.coding.names import (
    NEVER_NAMES,
    TITLES,
    Ordinariness,
    given_names,
    surnames,
    word_names,
)
from practitioner_survey.coding.people import People
from practitioner_survey.coding.proper import Proper
from practitioner_survey.coding.subjects import Subjects


class Anonymiser(Judging):
    """Finds what would identify someone in a quote. `names` are the year's known names (`names_from`): those
    with a service's generic words ("Women's Aid", "Partnership") count as organisations, the rest as places."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        known = [n.strip() for n in names if n.strip()]
        self._kind = {n.lower(): "organisation" if GENERIC.search(n) else "place" for n in known}
        self._several = known_pattern([n for n in known if " " in n], case_insensitive=True)
        self._single = known_pattern([n for n in known if " " not in n], case_insensitive=False)
        self._given, self._surnames, self._ord = given_names(), surnames(), Ordinariness()
        self._word_names = word_names()
        self._places, self._proper = gazetteer(), Proper()
        self._people = People(self._given, self._surnames, self._ord, self._proper, self._places)
        self._subjects = Subjects(self._proper, self._given, self._word_names)

    def findings(self, text: str) -> list[Finding]:
        """Everything in `text` the anonymiser would replace, in reading order, none overlapping; a text in capitals
        is read in lower case too ("SARAH SAID SHE WAS SCARED")."""
        found = self._findings(text)
        if text.isupper() and len(lower := text.lower()) == len(text):
            found = without_overlaps(found + self._findings(lower))
        return found

    def _findings(self, text: str) -> list[Finding]:
        found = [Finding(s, e, kind) for s, e, kind in identifiers(text)]
        found += [Finding(s, e, kind) for s, e, kind in signs.by_shape(text, self._surname_like)]  # "D.K. Sahota"
        every = words(text)
        for pattern in (self._several, self._single):
            if pattern is not None:
                for m in pattern.finditer(text):
                    if pattern is self._single and not self._known_word_here(text, every, m.start()):
                        continue  # "Reading between the lines", though Reading names a service's place
                    found.append(Finding(m.start(), m.end(), self._kind.get(m.group(0).lower(), "place")))
        found = without_overlaps(found)
        known = {f.start for f in found if f.kind in ("place", "organisation")}
        found += [Finding(s, e, "place") for s, e in signs.around_known(text, every, known)]
        found += self._in_words(text, _outside(every, found), {f.end for f in found if f.kind == "place"})
        free = _outside(every, found)
        taken = {(f.start, f.end) for f in found}
        found += [Finding(s, e, kind) for s, e, kind in self._people.lower_case(text, free)]
        found += [Finding(s, e, "place") for s, e in lower_places(text, free, self._proper.english)]  # "st helens"
        streets = (
            (k, signs.lower_welsh_street(text, free, k))
            for k, w in enumerate(free)
            if w.text in signs.LOWER_WELSH_STREET
        )
        found += [Finding(free[k].start, free[k + n - 1].bare_end, "place") for k, n in streets if n]  # "heol y nant"
        found += [Finding(w.start, w.bare_end, "name") for k, w in enumerate(free) if w.text[:1].islower()
                  and (self._signed(text, free, k) or self._subjects.lower_note(text, free, k)
                       or (roles.kin_bracket(text, free, k) and self._note_name(w.text.capitalize()))
                       or notes.noted(text, free, k, self._note_name, self._given.__contains__))]  # fmt: skip
        for k, word in enumerate(every):  # a longer place over a service's place: "Kingston upon Thames"
            n = self._places.match(text, every, k) if (word.start, word.end) in taken else 0
            if n <= 1 and (word.start, word.end) in taken and shapes.area_after(text, every, k):
                n = 2  # "Sutton Junction" over "Sutton"
            if n <= 1 and (word.start, word.end) in taken:
                n = max(n, signs.street(text, every, k))  # "Oxford Road" over "Oxford"
            if n > 1:
                found.append(Finding(word.start, every[k + n - 1].bare_end, "place"))
        first = self._people.name_start  # "Le Thu Trang": a short family name first (signs.py)
        found = [replace(f, start=signs.family_first(text, every, first(text, every, f), self._family_name))
                 if f.kind == "name" else f for f in found]  # fmt: skip
        found = [self._given_before(text, every, f) if f.kind == "name" else f for f in found]  # "Cliff Marsh"
        idioms = things.idioms(text)  # "rob Peter to pay Paul"
        found = [
            things.without_opener(text, every, f)
            for f in found
            if not any(s <= f.start and f.end <= e for s, e in idioms)
        ]
        return widen.widen(text, every, without_overlaps(found), self._given)  # "Royal Preston", "Do Van Hung"

    def _known_word_here(self, text: str, every: list[Word], start: int) -> bool:
        """Whether a one-word name from the returns is one where it stands: always, unless it is also an ordinary
        word (Reading, Bath), which counts only after a place word or before Council, Marac and the like."""
        i = next((k for k, w in enumerate(every) if w.start == start), None)
        if i is None or not self._ord.strong(every[i].bare):
            return True
        before = cues.before(text, every, i)
        after = every[i + 1] if i + 1 < len(every) and cues.joined(text, every[i], every[i + 1]) else None
        cued = before is not None and before.text.lower() in PLACE_CUES
        return cued or (after is not None and after.bare in PLACE_AFTER)

    def anonymise(self, text: str) -> Anonymised:
        """`text` with every finding replaced by its replacement."""
        found = self.findings(text)
        return Anonymised(apply(text, found), tuple(text[f.start : f.end] for f in found), tuple(found))

    def doubts(self, text: str, found: list[Finding] | None = None) -> list[Word]:
        """Words left as written that may still be a person or place, for the analyst to check (doubts.py)."""
        return doubts.doubter().find(text, self.findings(text) if found is None else found)

    # -- people and places, word by word -------------------------------------------------------------------

    def _in_words(self, text: str, found: list[Word], known: set[int]) -> list[Finding]:
        """People and places word by word; `known` are the ends of the places of the year's returns found."""
        out: list[Finding] = []
        i = 0
        while i < len(found):
            word = found[i]
            before = cues.before(text, found, i)
            never = word.bare in NEVER_NAMES and not signs.street(text, found, i)  # "Lord Street"
            never = never or things.listed_noun(text, found, i)  # "Holly and ivy", "Heather and gorse"
            if never or not word.capitalised or cues.law(found, i) or things.opener(text, found, i):
                i += 1
                continue
            skip = 1 if tongues.language(text, found, i, self._given) else self._people.ordinary(text, found, i)
            skip = skip or tongues.country_people(text, found, i)  # "the Sierra Leonean women's group"
            skip = skip or self._people_here(text, found, i, before) or signs.region(text, found, i)  # signs.py
            if places := signs.institution(text, found, i):  # "Ysbyty Glan Clwyd": a hospital's word, its place
                out.append(Finding(found[i + 1].start, found[i + places].bare_end, "place"))
                skip = places + 1
            if skip:  # "a Shona interpreter", "she speaks Tagalog and Ilocano", "from Sri Lanka" (people.py)
                i += skip
                continue
            n = self._places.match(text, found, i)
            if not n and (c := signs.compass(found, i, text)) and (m := self._places.match(text, found, i + c)):
                n = m + c  # "South Gloucestershire", "North East Lincolnshire"
            wide = max(shapes.area(text, found, i, self._ord.strong), signs.street(text, found, i))  # "Brick Lane"
            if wide and wide >= n:  # "Blackbird Leys", "on Leigh Park", "Little Snoring", "Y Fenni"
                tail = found[i + wide - 1]  # "St Ann's" keeps its "'s"
                out.append(Finding(word.start, tail.end if word.text[:2] == "St" else tail.bare_end, "place"))
                i += wide
                continue
            if not n and self._people.abroad(text, found, i):
                n = world().match(text, found, i)  # "from Kabul", "back to Hong Kong"
                out.append(Finding(word.start, found[i + n - 1].bare_end, "place"))
                i += n
                continue
            if n == 1 and word.bare in self._given and self._person_context(text, found, i, before):
                n = 0  # "Connor Nowak", "Kendal said", not the village of Connor or the town of Kendal
            if n and self._is_place(text, found, i, n, before):
                out.append(Finding(word.start, found[i + n - 1].bare_end, "place"))
                i += n
                continue
            run = self._people.name_run(text, found, i)
            person = self._is_person(text, found, i, before) or self._is_unknown_person(text, found, i)
            person = person or self._signed(text, found, i)  # "Summer is 17", "Iestyn - male victim"
            person = person or self._subjects.acts_alone(text, found, i) or self._subjects.beside_people(text, found, i)
            alone = word.bare in self._given and capitals.alone(text, found, i, self._named_word)
            person = person or alone  # "and Blessing finally said yes": a capital inside a sentence (capitals.py)
            person = person or self._plainly_person(text, found, i)  # "Honor's kids", "Rose, one of our ..." (roles.py)
            if run or person or self._people.plainly(text, found, i):  # "her brother Spike", "Midge (the cleaner)"
                j = run or self._surname_end(text, found, i)
                brand = cues.after(text, found, j)  # "Robin Hood Energy" is a company, "the Hollie Guard app" an app
                thing = things.before_noun(text, found, i) or things.organisation_run(text, found, i)  # things.py
                if brand not in cues.BRAND_END and brand not in cues.SCHEME_AFTER and not thing:
                    out.append(Finding(word.start, found[j].bare_end, "name"))
                i = j + 1
                continue
            shaped = shapes.place_shaped(word.bare)  # "Hay-on-Wye"
            site = word.text == word.bare and cues.after(text, found, i) in shapes.SITE_AFTER  # "Zennor library"
            inside = (
                not cues.starts_sentence(text, found, i) or cues.after(text, found, i) in PLACE_AFTER or site
            )  # "Trewhella Court"
            if (shaped or self._proper.unknown(word.bare)) and inside:
                first = i - 1 if self._joins_before(text, found, i, out) else i  # "Pen Llŷn"
                j = self._surname_end(text, found, i)  # "Tirzah Trewhella"
                placed = cues.place_before(text, found, first) or cues.after(text, found, j) in PLACE_AFTER
                last = out[-1].end if out and out[-1].kind == "place" else -1
                placed |= cues.listed_after(text, found, first, last) or site  # "Moss Side, Longsight or Levenshulme"
                placed |= signs.district_after(text, found, first, {last}) > 0  # "Leeds (Harehills)"
                out.append(Finding(found[first].start, found[j].bare_end, "place" if placed or shaped else "name"))
                i = j
            i += 1
        return out + self._mentions(text, found, out, known)

    def _mentions(self, text: str, found: list[Word], out: list[Finding], known: set[int]) -> list[Finding]:
        """Other mentions of a name found once ("Our client Will ... Will said"), and a name joined by "and" to
        one found ("Sarah and Will", "Bogdana and Nadia")."""
        places = {f.end for f in out if f.kind == "place"}
        named = {text[f.start : f.end] for f in out if f.kind == "name" and " " not in text[f.start : f.end]}
        starts = {f.start for f in out if f.kind == "name"}
        ends = {f.end for f in out if f.kind == "name"}
        taken = [(f.start, f.end) for f in out]
        more: list[Finding] = []
        for k, word in enumerate(found):
            if not word.capitalised or any(s < word.end and word.start < e for s, e in taken):
                continue
            if self._people.holiday(text, found, k):
                continue  # "Our client Eve ... on Christmas Eve"
            n = self._places.match(text, found, k) if k >= 1 and word.bare not in NEVER_NAMES else 0
            listed = k >= 2 and found[k - 1].text in ("and", "or") and found[k - 2].bare_end in places
            after_place = found[k - 1].bare_end in places and signs.listed(cues.gap(text, found[k - 1], word))
            if n and (listed or after_place):  # "Oldham 104, Bury 61"
                more.append(Finding(word.start, found[k + n - 1].bare_end, "place"))  # "Polzeath and Rock"
                continue
            if n := signs.district_after(text, found, k, places | known):  # "Sheffield (Page Hall mostly)"
                more.append(Finding(word.start, found[k + n - 1].bare_end, "place"))
                continue
            if self._listed_before(text, found, k, {f.start for f in out if f.kind == "place"}):
                more.append(Finding(word.start, word.bare_end, "place"))  # "Pontardawe and Ystradgynlais share"
                continue
            listed = word.bare in self._given or self._proper.unknown(word.bare, famous=True)
            listed |= word.bare in self._word_names and not self._needs_context(text, found, k, word.bare)
            # "Harmony and Gift are twins": a word capitalised after a name found and "and" (people.py)
            paired = self._people.paired(text, found, k, starts, ends)  # "Mo (Mohammed)", "Becks and Gaz (our..."
            nameable = (
                (word.bare not in NEVER_NAMES and listed) or paired or self._people.after_name_and(text, found, k, ends)
            )
            # "Honor and Summer are the two eldest": a name that is a word, before "and" and a name found
            before_name = k + 2 < len(found) and found[k + 2].start in starts and cues.after(text, found, k) == "and"
            nameable |= word.bare in self._word_names and before_name
            if not nameable and word.bare not in named:
                continue
            joined = (k + 2 < len(found) and cues.after(text, found, k) == "and" and found[k + 2].start in starts) or (
                k >= 2 and found[k - 1].text == "and" and found[k - 2].bare_end in ends
            )
            # "Deqa, Nimco and Sahra": a name listed before others by a comma
            joined |= k + 1 < len(found) and found[k + 1].start in starts and cues.gap(text, word, found[k + 1]) == ", "
            if word.bare in named and self._needs_context(text, found, k, word.bare) and not joined:
                continue  # "Will the funding continue? ... Will works two days a week"
            if word.bare in named or joined or paired:
                more.append(Finding(word.start, word.bare_end, "name"))
        return more

    def _listed_before(self, text: str, found: list[Word], k: int, places: set[int]) -> bool:
        """Whether found[k], a proper noun no list holds, is listed by "and" or a comma before a place found."""
        place = self._places.match(text, found, k) == 1 and cues.starts_sentence(text, found, k)  # "Reading and"
        if k + 1 >= len(found) or not (place or self._proper.unknown(found[k].bare, famous=True)):
            return False
        between = cues.gap(text, found[k], found[k + 1])
        if between == ", ":
            return found[k + 1].start in places
        return (
            between == " "
            and found[k + 1].text in ("and", "or")
            and k + 2 < len(found)
            and found[k + 2].start in places
        )

    def _joins_before(self, text: str, found: list[Word], i: int, out: list[Finding]) -> bool:
        """Whether the capitalised word before found[i], inside a sentence and not yet found, is part of its name
        ("the whole of Pen Llŷn", "Little Zennor")."""
        if i == 0 or (out and out[-1].end > found[i - 1].start):
            return False
        prev = found[i - 1]
        return (
            prev.text[:1].isupper()
            and prev.bare == prev.text
            and cues.joined(text, prev, found[i])
            and not cues.starts_sentence(text, found, i - 1)
            and not (prev.bare in NEVER_NAMES or prev.bare.lower() in self._proper.not_names)
            and prev.text not in TITLES
            and prev.text not in PLACE_AFTER
            and not prev.text.isupper()
        )


@cache
def _anonymiser(names: tuple[str, ...]) -> Anonymiser:
    return Anonymiser(names)


def anonymise(text: str, names: Iterable[str]) -> Anonymised:
    """Replace every known name, place, person and identifier in `text` with *** (see the module's docstring)."""
    return _anonymiser(tuple(names)).anonymise(text)


def _outside(every: list[Word], found: list[Finding]) -> list[Word]:
    """The words no finding overlaps."""
    spans = [(f.start, f.end) for f in found]
    return [w for w in every if not any(s < w.end and w.start < e for s, e in spans)]
