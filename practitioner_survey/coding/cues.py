"""What the words around a capitalised word say it is, for the anonymiser: a person ("X said", "X's children",
"X, our Idva", "X and her son", "supported X") or a place ("in X", "from X"). Whether a word is a proper noun at all
is proper.py's; places by their shape, shapes.py's.

The lists here are of English function words and verbs, not of names: they generalise to names no list holds.
"""

from __future__ import annotations

import re

from practitioner_survey.coding.gazetteer import Word
from practitioner_survey.coding.names import (
    LAW_NAMES,
    MONTHS,
    PERSON_CUES,
    SEASONS,
    TITLES,
    set_of,
)

#: Verbs that, straight after a name, say a person did or said something: "Halima told us", "Declan breached".
SPEECH = set_of(
    """said says told tells asked asks explained explains disclosed discloses admitted admits replied replies
    wrote writes rang rings phoned phones texted texts emailed messaged cried screamed shouted laughed smiled
    agreed agrees refused refuses decided decides wanted wants felt feels fled flees thinks thought believes
    believed hopes hoped tried tries managed manages worried worries begged pleaded confided described describes
    reported reports praised thanked thanks remembers remembered realised realises knew knows"""
)
#: Further verbs after an unknown capitalised word that say a person (or at least no ordinary word) is meant.
PERSON_AFTER = SPEECH | set_of(
    """is was has had does did would could will can should cannot can't couldn't won't wouldn't didn't doesn't
    isn't wasn't hasn't hadn't got gets came comes went goes moved moves stayed stays lived lives left leaves
    waited waits needed needs worked works breached breaches tracked tracks kept keeps found finds spent spends
    started starts retired resigned joined joins runs ran covers covered carries carried became becomes sat sits
    stood lost loses gave gives took takes made makes attended attends missed misses returned returns arrived
    arrives turned met meets saw sees heard hears called calls booked books chased chases visited visits prefers
    supported supports helped helps referred refers manages managed leads led set sent sends holds held
    drinks rings turns shouts hits threatens drives uses cries sleeps visits attends follows controls monitors stalks
    harasses abuses blames denies minimises insists claims continues struggles copes suffers chairs teaches
    loves likes hates enjoys adores misses wets"""
)
#: Adverbs between a person and their verb: "Quenby still rings", "Perran often turns up".
ADVERBS = set_of(
    "still never often always also just then finally eventually later now regularly sometimes usually already only "
    "even recently soon"
)
#: Verbs after which a capitalised word is the person they were done to: "We supported Aaliyah", "met Oona".
PERSON_BEFORE = set_of(
    """supported supporting support helped helping help met meeting meet told telling asked asking visited visiting
    lost losing placed placing referred referring rang ringing phoned phoning called saw seeing housed advised
    accompanied accompany contacted emailed texted thanked thank trained recruited employed hired appointed
    introduced represented protected believed encouraged persuaded reassured collected drove took brought
    followed warned threatened attacked assaulted hit stalked harassed married divorced miss missed joined
    replaced replacing interviewed welcomed like love loved dear thanks congratulations ask tell"""
)
#: Nouns for people, after "X is a", "X, a" or "X and Y are": "Storm is a survivor", "Hibo, a mother of six".
PERSON_NOUNS = set_of(
    """survivor survivors victim victims mother mothers mum mums father dad parent parents grandmother sister sisters
    brother brothers twins twin daughter son wife husband widow student pupil teenager girl boy woman man lady
    client clients volunteer volunteers worker workers colleague colleagues manager nurse carer refugee migrant leaver
    widow widower grandmother asylum-seeker idva idvas isva isvas ypva advocate advocates caseworker
    friend friends neighbour neighbours grandparents cousins youngest eldest oldest toddler grandson granddaughter
    nephew niece stepson stepdaughter mate mates pal pals receptionist cleaner caretaker administrator trustee
    treasurer secretary director supervisor driver cook handyman admin coordinator co-ordinator chair practitioner
    perp perps perpetrator perpetrators abuser abusers offender ex ex-partner ex-husband ex-wife boyfriend baby"""
)
#: Verbs after a name that only a person does (so also after "Will", "May", "Faith"): "May came to us", "Miles hid".
PERSON_ONLY = set_of(
    """came fled escaped hid disclosed moved works worked lives lived speaks spoke married divorced gave rang phoned
    cried screamed begged confided walked ran drove breached stalked harassed threatened punched strangled raped
    assaulted abused tracked controlled volunteered"""
)
#: Past participles of what is done to a person, after "was" or "had been": "Faith was supported", "was trafficked".
PASSIVE = set_of(
    """supported referred trafficked married raped assaulted attacked abused housed rehoused placed born told
    arrested charged convicted sentenced released sectioned diagnosed strangled threatened stalked harassed
    helped advised evicted deported detained groomed exploited graded assessed discharged relocated beaten kicked
    punched isolated bullied neglected killed murdered stabbed injured hospitalised excluded expelled fostered
    adopted interviewed accommodated safeguarded allocated"""
)
#: What only a person is, after "is" or "was": "Cherry is terrified of him", "Joy was pregnant".
PERSON_STATE = set_of(
    """pregnant terrified scared frightened petrified homeless disabled deaf autistic traumatised depressed suicidal
    divorced separated widowed illiterate undocumented"""
)
_BE = set_of("is was has had are were 's")
_NUMBER = re.compile(
    r"^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?$"
)
_PRONOUNS = set_of("she he")
#: Verbs before "to" or "with" and a person: "spoke to kelly", "met with Oona".
SPOKE = set_of("spoke spoken speak speaking talked talk talking chatted chat met meeting")
#: Particles after a verb: "turned away Halima", "picked up Jolene" (two words back must be a verb form).
PARTICLES = set_of("away up down off out back")
#: Nouns after a name's possessive that say it is a person: "Halima's children", "Declan's ex".
POSSESSED = set_of(
    """children child kids kid son sons daughter daughters baby babies partner husband wife ex ex-partner
    ex-husband ex-wife boyfriend girlfriend mother mum mam father dad parents family brother sister case
    caseload caseworker worker idva isva solicitor social life safety abuser perpetrator own home house flat
    phone car mental health behaviour evidence statement interpreter translator advocate keyworker mentor therapist
    counsellor carer school nursery teacher girls boys twins grandchildren stepson stepdaughter"""
)
#: After a name and a comma: an apposition saying who the person is ("Rosalind, our only Isva").
APPOSITION = set_of("our my her his their your who whom whose aged age")
#: After a name and "and": "Nadia and her children", "Tom and his boys".
AND_PERSON = set_of("her his their she he i me we my our")
#: Lower-case words after a capitalised one that say it names a language: "a Shona interpreter", "Tigrinya speakers".
LANGUAGE_AFTER = set_of(
    "interpreter interpreters interpreting speaker speakers speaking language languages translator translators "
    "translation translations classes lessons script scripts alphabet letters numerals characters lettering"
)
#: Words before a capitalised word that say it names a language: "she speaks Tagalog".
LANGUAGE_BEFORE = set_of("speaks speak speaking spoke fluent")
#: Words before a place: "in Keswick", "from Bath", "near Wells".
PLACE_CUES = set_of("in at from near around across to into outside towards toward covering serving via")
#: Capitalised words after a place that say it is one: "Reading Borough Council", "Bath Marac".
PLACE_AFTER = set_of(
    "Council Borough City County Marac Mash Hospital Police Station Crown Magistrates Magistrates' Town Centre "
    "Refuge Women's Jobcentre Mappa Road Street Lane Estate Village Park Court Close Avenue Gardens Crescent Terrace "
    "Square"
)
#: Words after a name that make it a company's: "Robin Hood Energy", "Tom Smith Ltd" (named after no one in the
#: quote: a brand, not a person).
BRAND_END = set_of(
    "Energy Bank Group Ltd Limited Plc PLC Insurance Airways Airlines Motors Water Gas Electric Foods Media"
)
#: Lower-case words after a name that make it a product's or a scheme's: "the Hollie Guard app", "a Sarah Jane model".
SCHEME_AFTER = set_of("app apps scheme schemes programme programmes model protocol toolkit campaign helpline")


def gap(text: str, first: Word, second: Word) -> str:
    """The characters between two words."""
    return text[first.end : second.start]


#: Words for a person in brackets or between commas after a name: "Mark (her ex)", "Emyr, the manager, said".
ROLES = PERSON_NOUNS | (PERSON_CUES - set_of("called named name's aka user"))
_DETERMINERS = set_of("her his their my our your the")


def apposition(text: str, found: list[Word], i: int) -> bool:
    """Whether a person's word follows found[i] in brackets or between commas, after at most a determiner: "Gav
    (ex-partner)", "Hawre (her father)", "Chase, her partner, had", "Emyr, the manager, turns"; or a nickname's
    "as everyone calls him"."""
    k = i + 1
    opening = gap(text, found[i], found[k]) if k < len(found) else ""
    if opening not in (" (", ", "):
        return False
    inside = {w.text for w in found[k : k + 4]}  # "Iris (not her real name) said", "Amber (name changed)"
    if opening == " (" and ("pseudonym" in inside or ("name" in inside and inside & {"real", "changed", "not"})):
        return True
    if opening == ", " and found[k].text == "as":  # "Dazza, as everyone calls him, has been"
        said = [w.text for w in found[k + 1 : k + 5]]
        return any(w in ("call", "calls", "known") for w in said) and any(w in ("him", "her", "them") for w in said)
    determined = found[k].text.lower() in _DETERMINERS
    if determined and k + 1 < len(found) and joined(text, found[k], found[k + 1]):
        k += 1
    if determined or opening == " (":
        # up to two words before the role, joined: "Amber, our youth Idva, works", "Tom (her older brother)",
        # "kofi (new partner)"
        for _ in range(2):
            if found[k].text.lower() in ROLES or k + 1 >= len(found) or not joined(text, found[k], found[k + 1]):
                break
            k += 1
    if found[k].text.lower() in ROLES and k + 1 < len(found) and joined(text, found[k], found[k + 1]):
        k += found[k + 1].text.lower() in ROLES  # "Titch, the youngest boy, sleeps"
    return found[k].text.lower() in ROLES and _closes(text, found, k, ")" if opening == " (" else ",")


def _closes(text: str, found: list[Word], k: int, closing: str) -> bool:
    """Whether the aside whose role is found[k] closes with `closing` straight after it or after a few more words
    ("Mo (the caretaker at the community centre) lets", "Frank (her son, 15) is")."""
    for j in range(k, min(k + 7, len(found))):
        between = gap(text, found[j], found[j + 1]) if j + 1 < len(found) else text[found[j].end :].rstrip()
        aged = between.lstrip(" ,0123456789") if closing == ")" else between  # "(her son, 15)"
        if aged.startswith(closing) or (j + 1 == len(found) and between.endswith(closing)):
            return True
        if any(c in between for c in ".!?;:()") or (closing == "," and "," in between) or j + 1 == len(found):
            return False
        if j == k and between == " " and found[j + 1].text not in _AT:
            return False  # "Crisis, our partner charity, took": the role's word is no role here
        if j > k and found[j].text[:1].isupper() and closing == ",":
            return False  # "Tom, the manager Sarah ..." is no aside
    return False


_AT = set_of("at in from of with for on")


def person_after(text: str, found: list[Word], i: int, strong: bool = False) -> bool:
    """Whether the words after found[i] say it is a person: a verb ("said", or with `strong` False also "was",
    "has"), a possessive before a person's noun ("X's children"), an apposition ("X, our Idva"), "X and her"."""
    word = found[i]
    if i + 1 >= len(found):
        return False
    nxt, between = found[i + 1], gap(text, word, found[i + 1])
    if word.bare != word.text:  # a possessive: of a person's own ("X's children"), or of a proper noun, anything
        return between == " " and (nxt.text.lower() in POSSESSED or (not strong and nxt.text.islower()))
    if apposition(text, found, i):
        return True
    longer = nxt.text == "no" and i + 3 < len(found) and found[i + 2].text == "longer"  # "Xuan no longer wants"
    if between == " " and not strong and (nxt.text in ADVERBS or longer) and i + 2 + longer < len(found):
        k = i + 2 + longer  # "Quenby still rings", "Demelza never came"
        nxt, between = found[k], gap(text, found[k - 1], found[k])
        return between == " " and (nxt.text in PERSON_AFTER or _verb_like(nxt.text))
    if between == " ":
        verb = nxt.text in PERSON_AFTER or nxt.text in PERSON_ONLY or _verb_like(nxt.text)
        if nxt.text in SPEECH or (not strong and verb):
            return True
        after = found[i + 2] if i + 2 < len(found) and gap(text, nxt, found[i + 2]) == " " else None
        return not strong and nxt.text == "and" and after is not None and after.text.lower() in AND_PERSON
    if between == ", " and nxt.text in ("a", "an") and not strong:  # "Hibo, a mother of six"
        return any(w.text in PERSON_NOUNS for w in _clause(text, found, i + 2)[:3])
    if between.strip() in _DASHES:  # "Efua - the one I mentioned last year - is now a peer mentor"
        return _after_aside(text, found, i + 1, between.strip(), strong)
    if between == ", " and nxt.text in _WHO:  # "thank you to Precious, who...", not "By May, who knows"
        then = found[i + 2].text if i + 2 < len(found) else ""
        return word.bare not in MONTHS and word.bare not in SEASONS and then != "knows" and _singular(then)
    return between == ", " and nxt.text in APPOSITION and not strong


_WHO = set_of("who whose whom")
_ONE_DID = set_of(
    "had did can could will would should must may might never always still also just then came went gave took made "
    "kept told said ran drove spoke became got left put sent"
)


def _singular(verb: str) -> bool:
    """Whether the verb after "X, who" is one a single person takes ("who runs", "who volunteered"), not the plural
    an organisation takes in British English ("Tulip, who run the counselling")."""
    return verb.endswith(("s", "ed")) or verb in _ONE_DID


_DASHES = set_of("- – —")


def _after_aside(text: str, found: list[Word], k: int, dash: str, strong: bool) -> bool:
    """Whether, after an aside between dashes that starts at found[k], a person's verb follows the closing dash."""
    for j in range(k, min(k + 15, len(found) - 1)):
        between = gap(text, found[j], found[j + 1])
        if between.strip() == dash:
            nxt = found[j + 1].text
            return nxt in SPEECH or nxt in PERSON_ONLY or (not strong and (nxt in PERSON_AFTER or _verb_like(nxt)))
        if any(c in between for c in ".!?;\n"):
            return False
    return False


def _verb_like(word: str) -> bool:
    """A lower-case word shaped like a verb in the past after its subject: "phoned", "moved" (a present "rings" is
    too often a plural noun: "Kahoot quizzes")."""
    return word.islower() and len(word) > 3 and word.endswith("ed")


_WITH = set_of("worked working sat sitting stayed staying lived living pleaded")


_KNOWN_AFTER = set_of("is was been he she also better locally man woman boy girl lad")


def nicknamed(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i] follows words that give a person's name: "known as Sparky", "calls her Bubbles",
    "nicknamed Tiny"."""
    if i == 0 or gap(text, found[i - 1], found[i]) != " ":
        return False
    one, two = found[i - 1].text.lower(), found[i - 2].text.lower() if i >= 2 else ""
    if one == "nicknamed":
        return True
    if one == "as" and two == "known":  # "her ex, known as Sparky", "he is known as", not "the refuge known as"
        three = found[i - 3].text.lower() if i >= 3 else ""
        return gap(text, found[i - 3], found[i - 2]) == ", " or three in PERSON_CUES or three in _KNOWN_AFTER
    return one in ("her", "him") and two in ("call", "calls", "called", "calling")


def person_before(text: str, found: list[Word], i: int) -> bool:
    """Whether the word before found[i] is a verb done to a person ("supported X", "turned away X")."""
    if i == 0 or gap(text, found[i - 1], found[i]) != " ":
        return False
    before = found[i - 1].text.lower()
    if before in PERSON_BEFORE:
        return True
    if before in ("with", "and") and i >= 2 and gap(text, found[i - 2], found[i - 1]) == " ":
        two = found[i - 2].text  # "We worked with Honour for two years", "me and kerry did the visit"
        return two in _WITH if before == "with" else two in ("me", "Me", "myself")
    return (
        before in PARTICLES
        and i >= 2
        and gap(text, found[i - 2], found[i - 1]) == " "
        and found[i - 2].text.lower().endswith("ed")
    )


def place_before(text: str, found: list[Word], i: int) -> bool:
    """Whether a place word ("in", "from", "near") comes straight before found[i]."""
    return i > 0 and gap(text, found[i - 1], found[i]) == " " and found[i - 1].text.lower() in PLACE_CUES


def person_evidence(text: str, found: list[Word], i: int, calendar: bool = False) -> bool:
    """Whether what follows found[i] plainly says a person, even for a name that is an ordinary word ("Faith", "May"):
    a verb only a person does ("May came"), "was" and what is done to a person ("Faith was supported"), an age ("Summer
    is seventeen"), "is a" and a person's noun ("Storm is a survivor"), "X and Y are sisters", a verb and then, in the
    same sentence, "she" or "he" (not for a month or season, `calendar`: "May came when he...")."""
    k, n = i + 1, len(found)
    if k < n and gap(text, found[i], found[k]) == ", " and found[k].text in ("a", "an", "our", "my"):
        return any(w.text.lower() in PERSON_NOUNS for w in _clause(text, found, k + 1)[:3])  # "Harmony, a care leaver"
    if k + 1 < n and found[k].text == "and" and gap(text, found[k], found[k + 1]) == " ":
        if found[k + 1].text in ("her", "his", "their") and k + 2 < n:
            owned = found[k + 3] if _NUMBER.match(found[k + 2].text) and k + 3 < n else found[k + 2]
            if owned.text in POSSESSED:
                return True  # "Comfort and her son", "Patience and her three girls"
        if found[k + 1].capitalised:
            k += 2  # "Grace and Joy are sisters"
    if k >= n or gap(text, found[k - 1], found[k]) != " ":
        return False
    nxt = found[k].text
    if nxt in PERSON_ONLY or _did_to(text, found, k):
        return True
    if nxt in FROM_AT:  # "Dawn from the parish council gave us the room", "Rob at the Jobcentre set up"
        rest = _clause(text, found, k + 1)[:8]
        shaped = nxt == "from" and not calendar  # "Hope at the end of it all mattered" is no person
        return any(w.text in SPEECH or w.text in PERSON_ONLY or w.text in _DID or (shaped and _verb_like(w.text))
                   for w in rest)  # fmt: skip
    if nxt not in _BE and not (nxt in PERSON_AFTER or _verb_like(nxt)):
        return False
    rest = _clause(text, found, k + 1)
    words = [w.text.lower() for w in rest]
    if nxt in _BE:
        if words[:1] == ["been"]:
            words = words[1:]
        if words[:1] and words[0] in ADVERBS:
            words = words[1:]
        if words[:1] and (words[0] in PASSIVE or words[0] in PERSON_NOUNS or words[0] in PERSON_STATE):
            return True
        if nxt in ("has", "had") and words[:1] and words[0] in PERSON_ONLY:
            return True  # "Penny has volunteered with us for twenty years"
        if words[:2] == ["in", "year"]:  # "Sky was in year 9 when...": a pupil
            return True
        if words[:1] and _NUMBER.match(words[0]):
            return True
        determined = words[:1] and words[0] in ("a", "an", "our", "my", "the", "his", "her", "their")
        if determined and any(w in PERSON_NOUNS for w in _noun_phrase(words)):
            return True
    # a verb, not "is" or "has", then "she" or "he": "Faith rang when she got out" ("Hope is all she has" is no name)
    return not calendar and nxt not in _BE and any(w in _PRONOUNS for w in words)


_PHRASE_END = set_of("a an the our my their his her of for to and or that which who when where with in at on")


def _noun_phrase(words: list[str]) -> list[str]:
    """The words of a noun phrase after its determiner, at most four: "our first male children's worker"."""
    out: list[str] = []
    for w in words[1:5]:
        if w in _PHRASE_END:
            break
        out.append(w)
    return out


#: What a person does to another, before "her" or "him" and a preposition: "Frank hit her in front of them".
_DID_TO = set_of("hit slapped pushed shoved grabbed choked dragged locked followed blamed bit")
_THEN = set_of("in at on with for from outside again twice alone and when while until after before every")


def _did_to(text: str, found: list[Word], k: int) -> bool:
    """Whether found[k] is a verb done to a person, then "her" or "him" as its object (a preposition, a
    conjunction or the clause's end after it): "Frank hit her in front", "Miles left her with the debt"."""
    if found[k].text not in _DID_TO or k + 1 >= len(found) or found[k + 1].text not in ("her", "him"):
        return False
    if k + 2 >= len(found) or gap(text, found[k + 1], found[k + 2]) != " ":
        return gap(text, found[k], found[k + 1]) == " "
    return found[k + 2].text in _THEN


#: After a name at a sentence's start, where it is from or works: "Jonno from Leek", "Anab at the maternity unit".
FROM_AT = set_of("from at")
#: Verbs in the past, irregular, that a person's doing takes: "Rob at the Jobcentre set up the payment".
_DID = set_of("set sorted got found made took kept put")


def _clause(text: str, found: list[Word], k: int) -> list[Word]:
    """The words from found[k] to the end of its sentence."""
    out: list[Word] = []
    for j in range(k, len(found)):
        if j > k and any(c in gap(text, found[j - 1], found[j]) for c in ".!?;\n"):
            break
        out.append(found[j])
    return out


def starts_sentence(text: str, found: list[Word], i: int) -> bool:
    """Whether found[i] begins a sentence, a line, a list item or a quotation."""
    start = found[i - 1].end if i else 0
    gap = text[start : found[i].start]
    return i == 0 or any(c in gap for c in '.!?:;\n"“‘(-•*')


def before(text: str, found: list[Word], i: int) -> Word | None:
    """The word before found[i], if only spaces, a comma or a title's full stop come between."""
    if i == 0:
        return None
    gap = text[found[i - 1].end : found[i].start]
    return found[i - 1] if gap in (" ", ", ", ". ", ".") and (gap.strip() != "." or found[i - 1].text in TITLES) \
        else None  # fmt: skip


def after(text: str, found: list[Word], i: int) -> str:
    """The word after found[i] if only a space comes between, else ''."""
    return found[i + 1].bare if i + 1 < len(found) and joined(text, found[i], found[i + 1]) else ""


def joined(text: str, first: Word, second: Word) -> bool:
    """Whether only a space comes between two words."""
    return text[first.end : second.start] == " "


def listed_after(text: str, found: list[Word], i: int, end: int) -> bool:
    """Whether found[i] follows, after a comma, "and" or "or", a word ending at `end` (a place just found)."""
    if i == 0 or end < 0:
        return False
    if gap(text, found[i - 1], found[i]) == ", ":
        return found[i - 1].bare_end == end
    return i >= 2 and found[i - 1].text in ("and", "or") and found[i - 2].bare_end == end


def law(found: list[Word], i: int) -> bool:
    """'Clare's Law', 'Sarah's Law': a scheme's public name, not a person."""
    word = found[i]
    return word.bare in LAW_NAMES and word.bare != word.text and i + 1 < len(found) and found[i + 1].text == "Law"
