"""Evidence that a capitalised name-like word names a thing here, not a person: it qualifies a common noun
("Sterling work", "Brook clinics", "Dawn visits by the police"), it opens the name of a project, appeal or centre
("The Daisy Chain Project", "our Rose for Every Survivor appeal"), or it is part of an idiom ("rob Peter to pay
Paul"). The nouns and verbs are WordNet's lemmas as spaCy ships them (spacy-lookups-data, en_lemma_index and
en_lemma_exc), loaded on first use.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import replace
from functools import cache
from importlib import resources

from practitioner_survey.coding import cues
from practitioner_survey.coding.finding import Finding
from practitioner_survey.coding.gazetteer import Word, gazetteer
from practitioner_survey.coding.names import PERSON_CUES, TITLES, set_of
from practitioner_survey.coding.roles import KIN

#: Idioms with names in them: the names are nobody's.
IDIOMS = re.compile(
    r"\b(?:rob(?:s|bing|bed)? Peter to pay Paul|Tom,? Dick,? (?:and|or|&) Harry|Bob'?s your uncle|"
    r"Jack of all trades|Joe Bloggs|Joe Public|Jane Doe|John Doe|Peeping Tom|Doubting Thomas|Billy No[- ]Mates|"
    r"Heath Robinson|Johnny[- ]come[- ]lately)\b",
    re.IGNORECASE,
)
#: The last word of an organisation's or a campaign's name: "The Daisy Chain Project", "Poppy Appeal".
ORGANISATION_END = set_of(
    "Project Projects Appeal Centre Center Chain Trust Foundation Network Collective Alliance Hub Lounge "
    "Cafe Café Club Campaign Scheme Fund Charity Programme Partnership Service Services Group Society "
    "Initiative"
)
#: Lower-case words that end a campaign's name: "our Rose for Every Survivor appeal".
CAMPAIGN_AFTER = set_of("appeal appeals project campaign fund fundraiser scheme initiative")
_SMALL = set_of("for of the in on to")
#: Words after which a capitalised word starts a clause of its own, so a verb may follow it.
_CLAUSE = set_of(
    "and but that who which when while because so then as if until though although said says told think "
    "thought know knew where whether or before after since unless once"
)
#: Verbs whose past is their base ("Dawn cut her hair"), modals and "do": never read as a noun after a name.
VERB_LIKE = set_of(
    "cut put hit set let shut hurt quit read beat cost spread bet burst split shed bid cast rid thrust "
    "upset will can may must shall should would could might do does did need dare"
)
#: Words after a plural noun that say it is a noun, not a verb: "Dawn visits by the police were".
_PLURAL_NEXT = set_of("were are have by and or")
#: Words before a name after which a verb would follow it ("we saw Dawn leave", "let Hope decide").
_MAKE = set_of(
    "let lets letting help helps helped helping make makes made making saw see seen seeing watch watched watching "
    "hear heard hearing have has had having get got getting"
)
#: Lower-case words after "and" that go with a person ("Rose and family", "Jade and co").
_NOT_LISTED = set_of("family families co friends friend kids baby others partner boyfriend girlfriend dog children")
#: A name's particles, nouns in WordNet too: "Maria de Fátima", "Ana da Silva".
_PARTICLES = set_of("de da do dos das del della di du van von der den ter ten bin bint al el la le ap")


@cache
def _lemmas() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(noun and adjective lemmas, noun lemmas that are no adverb, verb lemmas, irregular verb forms) from spaCy's
    English lemma tables."""
    data = resources.files("spacy_lookups_data").joinpath("data")
    with data.joinpath("en_lemma_index.json.gz").open("rb") as raw, gzip.open(raw) as f:
        index: dict[str, list[str]] = json.load(f)
    with data.joinpath("en_lemma_exc.json.gz").open("rb") as raw, gzip.open(raw) as f:
        exc: dict[str, dict[str, list[str]]] = json.load(f)
    nouns = frozenset(index["noun"])
    return nouns | frozenset(index["adj"]), nouns - set(index["adv"]), frozenset(index["verb"]), frozenset(exc["verb"])


def idioms(text: str) -> list[tuple[int, int]]:
    """Spans of idioms with names in them ("rob Peter to pay Paul")."""
    return [m.span() for m in IDIOMS.finditer(text)]


def _singular(word: str) -> str | None:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[-3:-2] in ("s", "x", "z", "h"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return None


def before_noun(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i], a capitalised word that is also a common noun or adjective ("Sterling", "Brook", "Dawn"),
    qualifies the lower-case noun straight after it ("Sterling work", "Brook clinics", "Jasmine tea"), rather than
    naming someone who does something ("Dawn rang", "Dawn visits her mum")."""
    word = found[i]
    if i + 1 >= len(found) or word.text != word.bare or not word.text[:1].isupper():
        return False
    if not cues.joined(text, word, found[i + 1]):
        return False
    nxt = found[i + 1].text
    if not (nxt.isalpha() and nxt.islower()) or nxt in VERB_LIKE or nxt in _PARTICLES or len(nxt) < 3:
        return False
    if nxt in KIN or nxt in cues.ROLES:
        return False  # "Kelly mum was there": a person's own people
    qualifiers, nouns, verbs, forms = _lemmas()
    if word.text.lower() not in qualifiers or nxt in forms:
        return False
    prev = found[i - 1].text.lower() if i and not cues.starts_sentence(text, found, i) else ""
    if prev in _MAKE or found[i - 1].text in TITLES or prev in PERSON_CUES:
        return False
    plural = _singular(nxt)
    if plural is not None and plural in verbs:  # "visits", "works": a plural noun or a verb in -s
        after = cues.after(text, found, i + 1)
        end = i + 2 >= len(found) or not after
        return (
            end or after in _PLURAL_NEXT or bool(prev and prev not in _CLAUSE)
        )  # "Dawn visits by", "ran Carol services"
    if plural is not None and plural in nouns:
        return True  # "Brook clinics": a plural no verb shares
    if nxt not in nouns:
        return False
    # a singular noun: a person would need a verb in -s ("Sterling works"), so a bare verb form is a noun here
    return nxt not in verbs or not prev or prev not in _CLAUSE


def organisation_run(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i] opens or is inside a run of capitalised words (with "for", "of", "the" between) that ends in
    an organisation's or campaign's word ("The Daisy Chain Project", "our Rose for Every Survivor appeal")."""
    j = i + 1
    while j < len(found) and j - i <= 6 and cues.joined(text, found[j - 1], found[j]):
        w = found[j].text
        if w in ORGANISATION_END or (w.lower() in CAMPAIGN_AFTER and w.islower()):
            return True
        small = w in _SMALL and j + 1 < len(found) and found[j + 1].text[:1].isupper()
        if not (w[:1].isupper() or small):
            return False
        j += 1
    return False


#: A message's greetings, before the name they greet: "Hi Lorraine,", "Morning Jas".
GREETINGS = set_of("Hi Hiya Hello Hey Morning Afternoon Evening Cheers Thanks Ta Shwmae Helo")
#: Welsh verbs that open a sentence before its subject: "Mae Gwenllian yn byw", "Dyw Meinir ddim".
WELSH_VERBS = set_of("Mae Maen Dyw Dydy Roedd Doedd Oedd Bydd Fydd Ydy Nid Mi Fe Ni Dydw Rwy Rydw Wnaeth Aeth")
#: Welsh words straight after a sentence's subject ("yn", "wedi", "ddim"): no names.
WELSH_AFTER = set_of("yn yng ym ddim wedi heb eisiau am ar newydd hefyd")
#: Welsh pronouns and possessives straight after a verb ("Mae hi'n", "Roedd ei mam"): no English follows so.
_WELSH_SUBJECT = set_of("hi hi'n e e'n o o'n nhw nhw'n ei eu fy dy ein eich y yr ni chi")


def opener(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i] opens a sentence before the name after it and is no part of it: a greeting ("Hi Lorraine,")
    or a Welsh verb before its subject ("Mae Gwenllian yn gweithio")."""
    word = found[i].text
    if word not in GREETINGS and word not in WELSH_VERBS:
        return False
    if word in WELSH_VERBS and i + 1 < len(found) and found[i + 1].text in _WELSH_SUBJECT:
        return cues.starts_sentence(text, found, i)  # "Mae ei mam yn byw": a Welsh verb, no name
    if i + 1 >= len(found) or not found[i + 1].text[:1].isupper() or not cues.starts_sentence(text, found, i):
        return False
    if word in GREETINGS:
        return True
    return cues.after(text, found, i + 1) in WELSH_AFTER or (
        i + 2 < len(found) and found[i + 2].text in WELSH_AFTER and found[i + 1].text[:1].isupper()
    )


def without_opener(text: str, every: list[Word], finding: Finding) -> Finding:
    """A name found with a greeting or a Welsh verb before it, without them ("Hi ***,", "Mae *** yn byw")."""
    first = text[finding.start : finding.end].split(" ", 1)[0]
    if finding.kind != "name" or (first not in GREETINGS and first not in WELSH_VERBS):
        return finding
    k = next((k for k, w in enumerate(every) if w.start == finding.start), None)
    if k is None or k + 1 >= len(every) or every[k + 1].start >= finding.end or not opener(text, every, k):
        return finding
    return replace(finding, start=every[k + 1].start)


_LISTED_NEXT = re.compile(r"(?:,| and| or) +[A-Z]")
#: Lower-case words after "and" that go with a place, not a thing: "Hull and district".
_PLACE_NOUNS = set_of("district districts area areas surrounds surrounding county region borough villages towns city")


def listed_noun(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i], opening a sentence and also a common noun, is listed by "and" or "or" with a lower-case
    noun that is no person's ("Holly and ivy", "Grace and patience"; not "Rose and family", "Jade and her son")."""
    if i + 2 >= len(found) or found[i + 1].text not in ("and", "or") or not cues.starts_sentence(text, found, i):
        return False
    if found[i].text != found[i].bare or not cues.joined(text, found[i], found[i + 1]):
        return False
    other = found[i + 2].text
    if not (other.isalpha() and other.islower()) or not cues.joined(text, found[i + 1], found[i + 2]):
        return False
    if other in KIN or other in cues.ROLES or other in _NOT_LISTED or other in _PLACE_NOUNS:
        return False
    nouns = _lemmas()[1]
    return found[i].text.lower() in nouns and (other in nouns or _singular(other) in nouns)


def common_noun(text: str, found: list[Word], i: int, margin: float | None) -> bool:
    """Whether found[i], a one-word place that is also a common noun, is the noun here: listed with lower-case nouns
    ("Heather and gorse", "Damp and Mould", "Heather, bracken and gorse"), or opening a sentence when the noun is
    mostly written in lower case (`margin`, its lower case's log probability over its capital's: "Mould in the
    flat")."""
    nouns = _lemmas()[1]
    word = found[i].bare.lower()
    if word not in nouns:
        return False
    listed = _LISTED_NEXT.match(text, found[i].end) is not None  # the next word may be a place found already
    if margin is not None and margin >= 1.0 and cues.starts_sentence(text, found, i) and not listed:
        return True  # not "Ware and Hertford are covered"
    beside = []
    if i + 2 < len(found) and found[i + 1].text in ("and", "or") and cues.joined(text, found[i], found[i + 1]):
        beside += [found[i + 2]] if cues.joined(text, found[i + 1], found[i + 2]) else []
    if i + 1 < len(found) and cues.gap(text, found[i], found[i + 1]) == ", ":
        beside.append(found[i + 1])
    if i >= 2 and found[i - 1].text in ("and", "or") and cues.joined(text, found[i - 1], found[i]):
        beside += [found[i - 2]] if cues.joined(text, found[i - 2], found[i - 1]) else []
    for other in beside:
        lower = other.text.lower()
        k = found.index(other)
        plain = other.text.islower() or (cues.starts_sentence(text, found, k) and not gazetteer().match(text, found, k))
        if plain and lower in nouns and lower not in _PLACE_NOUNS and other.text.isalpha():
            return True
    return False
