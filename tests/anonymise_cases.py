# ruff: noqa: SIM905 - the word lists read best as text
"""The anonymiser's test set, written for this project: synthetic practitioners' sentences with people, places,
postcodes, phone numbers, e-mail addresses and dates of birth planted in them (made the same every run from a
seed), and ordinary sentences full of capitalised ordinary words, sentence starts and the domain's acronyms, where
nothing should be replaced. Used by tests/test_anonymise.py and bench/anonymise.py.

The names and places here were chosen by hand, independently of the anonymiser's lists.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

SEED = 2017

GIVEN = """Sarah Tom Jade Leanne Kayleigh Shannon Chantelle Stacey Gemma Kerry Tracey Donna Michelle Lisa Claire
Nicola Joanne Rebecca Hannah Chloe Megan Bethany Jessica Lauren Amy Zoe Natalie Danielle Kirsty Louise Emma Sophie
Lucy Ellie Molly Amelia Olivia Isla Poppy Freya Evie Mia Ruby Harriet Imogen Eleanor Fiona Morag Siobhan Niamh Aoife
Roisin Caitlin Bronwen Cerys Ffion Eleri Rhiannon Sioned Angharad Lowri Nia Bethan Dafydd Rhys Gareth Owain Huw
Iolo Aled Dylan Gethin Callum Liam Connor Jake Kyle Dean Wayne Darren Lee Craig Jamie Ryan Nathan Reece Tyler Kai
Mason Alfie Archie Freddie Harvey Oscar Leo Toby Jack Harry George Charlie Thomas Daniel Matthew Steven Paul
Gary Kevin Jason Stuart Fatima Ayesha Nasreen Shabana Rukhsana Parveen Shazia Farhana Yasmin Amina Zainab Khadija
Priya Sunita Gurpreet Harpreet Simran Anjali Deepa Kiran Imran Tariq Bilal Usman Hamza Asif Mohammed Yusuf Omar
Agnieszka Katarzyna Magda Zofia Ewa Justyna Monika Marta Piotr Tomasz Marek Krzysztof Andrei Mihaela Elena Ioana
Irina Oksana Olena Daria Aurelia Lina Chidi Ngozi Chiamaka Tunde Abdi Hodan Sagal Layla Mei Xin Jun Wei Ling""".split()
#: Given names that are ordinary words: planted only where a person is plainly meant.
ORDINARY_GIVEN = "Will Grace Hope May Mark Bill Faith Joy Rose Amber Dawn Holly Summer Sue Pat Frank Jordan".split()
SURNAMES = """Jenkins Williams Evans Jones Davies Thomas Roberts Hughes Lewis Morgan Griffiths Edwards Pritchard
Smith Taylor Brown Wilson Robinson Wright Thompson Walker Harris Clarke Jackson Turner Hughes Parker Cooper Ward
Khan Ahmed Hussain Begum Akhtar Patel Shah Singh Kaur Sharma Nowak Kowalski Wisniewska Popescu Ionescu Kelly Murphy
Byrne McLaughlin Campbell Stewart MacDonald Okafor Adeyemi Mensah Mohamed Osman Chen Wong Liu O'Neill
Fitzgerald""".split()
PLACES = """Truro, Penzance, Bodmin, Redruth, Camborne, Falmouth, Newquay, St Austell, Plymouth, Exeter, Torquay,
Barnstaple, Taunton, Yeovil, Bridgwater, Weston-super-Mare, Bristol, Swindon, Salisbury, Gloucester, Cheltenham, Stroud,
Hereford, Worcester, Kidderminster, Telford, Shrewsbury, Wolverhampton, Walsall, Dudley, Sandwell, Coventry,
Nuneaton, Leicester, Loughborough, Nottingham, Mansfield, Chesterfield, Sheffield, Rotherham, Doncaster,
Barnsley, Wakefield, Huddersfield, Halifax, Bradford, Keighley, Leeds, Harrogate, Scarborough, Middlesbrough,
Hartlepool, Darlington, Sunderland, Gateshead, Newcastle, Carlisle, Workington, Kendal, Lancaster, Blackpool,
Preston, Blackburn, Burnley, Wigan, Bolton, Oldham, Rochdale, Stockport, Salford, Manchester, Liverpool,
Birkenhead, Southport, Warrington, Crewe, Chester, Lincoln, Grimsby, Scunthorpe, Boston, Norwich, Ipswich,
Colchester, Chelmsford, Basildon, Harlow, Luton, Bedford, Peterborough, Cambridge, Northampton, Kettering,
Oxford, Banbury, Aylesbury, Slough, Guildford, Woking, Crawley, Brighton, Hastings, Eastbourne, Maidstone,
Margate, Canterbury, Dover, Southampton, Portsmouth, Bournemouth, Weymouth, Dorchester, London, Croydon, Hackney,
Lambeth, Newham, Tower Hamlets, Cardiff, Caerdydd, Swansea, Abertawe, Newport, Casnewydd, Wrexham, Wrecsam,
Merthyr Tydfil, Pontypridd, Caerphilly, Bridgend, Llanelli, Carmarthen, Aberystwyth, Haverfordwest, Bangor,
Caernarfon, Holyhead, Llandudno, Rhyl, Prestatyn, Ynys Môn, Anglesey, Gwynedd, Ceredigion, Powys, Pembrokeshire,
Carmarthenshire, Conwy, Denbighshire, Flintshire, Monmouthshire, Cornwall, Devon, Somerset, Dorset, Wiltshire,
Kent, Essex, Suffolk, Norfolk, Lincolnshire, Cumbria, Northumberland, Shropshire, Herefordshire, Staffordshire,
Derbyshire, Lancashire, Merseyside, Teesside""".replace("\n", " ").split(", ")
#: Places that are ordinary words: planted only after "in", "from" and the like.
ORDINARY_PLACES = "Reading Bath Bury Sale Hull Deal Rugby Mold Street".split()

NAME_TEMPLATES = (
    "Our client {n} waited nine months for a refuge space.",
    "When {n} finally disclosed, the Marac had already met twice.",
    "{n} told her Idva she felt safer after the injunction.",
    "Her son {n} was referred to the children's worker but the waiting list is long.",
    "My Idva {n} carries over a hundred cases.",
    "We supported {n} and her two children through the family court.",
    "The perpetrator, {n}, breached the order three times before police acted.",
    "I rang {n} at the housing office every week for a month.",
    "Thanks to {n}, our volunteer coordinator, the helpline stayed open over Christmas.",
    "A woman called {n} came to us after twenty years of abuse.",
    "Without {n} we would have closed the group.",
    "Her daughter, {n}, is 14 and was too frightened to go to school.",
    "Our manager {n} has had to cover two posts since April.",
    "Her ex-partner {n} was released without charge the same day.",
    "We worked with {n} for eighteen months before she felt able to leave.",
)
ORDINARY_NAME_TEMPLATES = (
    "Our client {n} waited nine months for a refuge space.",
    "Her son {n} was referred to the children's worker but the waiting list is long.",
    "My Idva {n} carries over a hundred cases.",
    "Her ex-partner {n} was released without charge the same day.",
    "A woman called {n} came to us after twenty years of abuse.",
)
PLACE_TEMPLATES = (
    "Women in {p} wait months for counselling.",
    "The nearest refuge with a space was in {p}, two hours away.",
    "{p} has no specialist service for older women.",
    "She had to move from {p} to be safe.",
    "Our outreach worker drives to {p} twice a week.",
    "Housing in {p} is the biggest problem we face.",
    "The {p} Marac is overloaded and meets fortnightly.",
    "Families placed outside {p} lose their support network.",
    "There is nothing for male victims across {p}.",
    "Transport links around {p} are poor, so rural women cannot reach us.",
    "Since the cuts, {p} has one Idva for the whole area.",
    "We cover {p} and the villages around it with one car.",
)
ORDINARY_PLACE_TEMPLATES = (
    "Women in {p} wait months for counselling.",
    "She had to move from {p} to be safe.",
    "Our outreach worker drives to {p} twice a week.",
)
ID_TEMPLATES = (
    ("postcode", "She gave the refuge address, {x}, to her sister."),
    ("postcode", "The letter went to the old house at {x} by mistake."),
    ("phone", "Call our duty line on {x} if you cannot reach the Idva."),
    ("phone", "The perpetrator kept ringing her from {x}."),
    ("email", "Referrals go to {x} but nobody reads it on Fridays."),
    ("date of birth", "Her DOB is {x} and she is on the register."),
    ("date of birth", "The child was born on {x}, after she left him."),
    ("date", "The incident on {x} was never recorded."),
)
ORDINARY_SENTENCES = """May we have more Idvas, please?
Will the funding last beyond March?
Hope is what keeps many survivors going.
Grace periods for rent arrears would stop evictions.
Mark the date of each incident in the diary.
Reading between the lines, commissioners want cuts.
Bath time is often when children disclose.
Sale of the family home takes years when he refuses to sign.
Deal with the backlog first, then recruit.
Street lighting on the estate is poor.
Faith groups could do more to support women.
Joy and relief are what we see when an order is granted.
Summer holidays are the hardest time for mothers.
Frank conversations with commissioners rarely happen.
Rose-tinted views of perpetrators persist in the family courts.
Amber-rated cases wait longest for contact.
Dawn raids are traumatic for the children in the house.
Holly and ivy decorations go up in the refuge every December.
The Marac, Mash and Mappa meetings overlap every month.
Idva, Isva and Ypva posts are all on short-term contracts.
Refuge places are scarce and the waits are long.
Cafcass reports take months to arrive.
Clare's Law requests have doubled this year.
Sarah's Law checks are rarely asked for.
The Police and Crime Commissioner funds two Idvas.
Universal Credit delays leave women in debt.
Early Help teams are stretched thin.
Children's Services rarely attend the Marac.
Home Office funding ended in March.
Christmas is our busiest time of the year.
The Freedom Programme runs on Tuesdays and Thursdays.
Women's Aid training was excellent.
Legal Aid is almost impossible to get.
Citizens Advice refer many women to us.
Our Family Court work has grown every year.
Young people need specialist Ypvas.
Black and minoritised women face extra barriers.
Deaf survivors need BSL interpreters at every appointment.
Respect accredited programmes cost more than we can pay.
Operation Encompass notifications arrive late.
The Crown Prosecution Service dropped the case.
Housing officers need training on coercive control.
Mental health services refuse women who drink.
Substance misuse teams and Idvas should share an office.
Older women are invisible in the statistics.
Male victims need a service of their own.
Training for GPs would improve referrals.
Schools need to know when a child is at risk.
Money is the problem, every single year.
Longer contracts would let us keep staff.
Court delays mean women give up.
Nobody funds the work with children.
Funding from the council is cut every year.
Independent advocacy saves lives.
More refuge spaces for women with teenage sons.
The Dash risk checklist is used by every agency now.
Outreach in rural areas needs cars and mileage.
Counselling waits are over a year.
The Government should ring-fence the money.
Our Board has agreed to use reserves.
Polish and Romanian women need interpreters.
Bengali and Urdu speakers wait longest.
English classes help women become independent.
Welsh language services are patchy.
Muslim women tell us the mosque was the first place they went.
Traveller and Gypsy women rarely come to us.
LGBT survivors need services that understand them.
Covid changed how we work for good.
Brexit left some European women without status.
No Recourse to Public Funds is the biggest barrier.
The Domestic Abuse Act has not brought new money.
Commissioning cycles are too short.
Staff burnout is real.
Caseloads are far too high.
Victims want to be believed.
Specialist courts should come back.
Safe accommodation is the priority.
Better pay for Idvas would stop them leaving.
Perpetrator programmes are needed everywhere.
Sexual violence advisers are in short supply.
Partnership working with the police has improved.
Data sharing agreements take too long.
Volunteers keep the helpline running at night.
Mothers fear losing their children if they disclose.
Benefits sanctions push women back to abusers.
Health visitors are often the first to notice.
Midwives ask about abuse at every appointment.
Emergency accommodation in hotels is not safe.
Fleeing women need deposits and rent in advance.
Stalking advocates are needed alongside Idvas.
Honour-based abuse needs specialist knowledge.
Forced marriage cases are rising.
Economic abuse leaves women with huge debts.
Tech abuse through phones and trackers is common.
Court orders are breached without consequence.
Bail conditions are not enforced.
Social workers change every few months.
Drop-in sessions at the Jobcentre work well.
Rural geography makes outreach slow, but the Marac works well.
Most women come to us through the police.
Some come through their GP or a friend.
Every agency says the same thing.
Each year the need grows.
Despite this, the team is committed.
Recruitment is hard in the south west.
Retention is harder still.
Secondly, the money must be long term.
Also, the refuge needs repairs.
Finally, thank you for running this survey.""".splitlines()


@dataclass(frozen=True)
class Case:
    """A sentence and what was planted in it: (start, end, kind) for each."""

    text: str
    planted: tuple[tuple[int, int, str], ...]


def _fill(template: str, slot: str, value: str, kind: str, prefix: str = "") -> Case:
    at = template.index("{" + slot + "}") + len(prefix)
    text = template.replace("{" + slot + "}", prefix + value)
    return Case(text, ((at, at + len(value), kind),))


def _person(rng: random.Random) -> tuple[str, str]:
    """A title (or '') and a name: the name is what the anonymiser must replace."""
    given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
    return rng.choice([("", given), ("", given), ("", given), ("", f"{given} {surname}"), ("Mrs ", surname),
                       ("Mr ", surname)])  # fmt: skip


def _postcode(rng: random.Random) -> str:
    area = rng.choice(["TR", "PL", "EX", "CF", "SA", "LL", "NP", "LS", "M", "B", "S", "HU", "NE", "E", "SW"])
    inward = f"{rng.randint(0, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEHJLNPRSTW')}"
    return f"{area}{rng.randint(1, 29)} {inward}"


def _phone(rng: random.Random) -> str:
    forms = [
        f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
        f"01{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
        f"020 {rng.randint(7000, 8999)} {rng.randint(1000, 9999)}",
        f"0800 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
        f"(01{rng.randint(100, 999)}) {rng.randint(100, 999)} {rng.randint(100, 999)}",
    ]
    return rng.choice(forms)


def _email(rng: random.Random) -> str:
    user = rng.choice(["referrals", "duty.idva", "j.smith", "outreach-team", "info", "k.patel2"])
    return f"{user}@{rng.choice(['example.org', 'example.org.uk', 'council.example.gov.uk', 'mail.example.com'])}"


def _date(rng: random.Random, written: bool) -> str:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1970, 2016)
    if not written:
        return rng.choice([f"{day:02d}/{month:02d}/{year}", f"{day}/{month}/{year % 100:02d}", f"{day}.{month}.{year}"])
    months = "January February March April May June July August September October November December".split()
    return rng.choice([f"{day} {months[month - 1]} {year}", f"{day}th of {months[month - 1]} {year}"])


def cases() -> dict[str, list[Case]]:
    """Planted cases by kind: name (240), place (240), and postcode, phone, email, date of birth, date (30 each)."""
    rng = random.Random(SEED)
    out: dict[str, list[Case]] = {"name": [], "place": []}
    for i in range(240):
        if i % 6 == 5:
            out["name"].append(_fill(rng.choice(ORDINARY_NAME_TEMPLATES), "n", rng.choice(ORDINARY_GIVEN), "name"))
        else:
            title, name = _person(rng)
            out["name"].append(_fill(NAME_TEMPLATES[i % len(NAME_TEMPLATES)], "n", name, "name", title))
    for i in range(240):
        if i % 8 == 7:
            out["place"].append(_fill(rng.choice(ORDINARY_PLACE_TEMPLATES), "p", rng.choice(ORDINARY_PLACES), "place"))
        else:
            out["place"].append(_fill(PLACE_TEMPLATES[i % len(PLACE_TEMPLATES)], "p", rng.choice(PLACES), "place"))
    makers = {"postcode": _postcode, "phone": _phone, "email": _email}
    for kind, template in ID_TEMPLATES:
        out.setdefault(kind, [])
        for _ in range(15):
            if kind in makers:
                value = makers[kind](rng)
            else:
                value = _date(rng, written=kind == "date of birth" and rng.random() < 0.5)
            out[kind].append(_fill(template, "x", value, kind))
    return out


@dataclass(frozen=True)
class Score:
    """Of one kind: planted items, those replaced whole, and replacements of text that was not planted."""

    planted: int
    found: int
    false: int

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0


def score(find: Callable[[str], Sequence[tuple[int, int]]]) -> dict[str, Score]:
    """Recall per kind on `cases()`: a planted item counts as found when replaced spans cover all of it; `find`
    gives the spans the anonymiser would replace."""
    out = {}
    for kind, items in cases().items():
        found = false = 0
        for case in items:
            spans = find(case.text)
            for start, end, _ in case.planted:
                covered = {i for s, e in spans for i in range(s, e)}
                found += all(i in covered or case.text[i] == " " for i in range(start, end))
            false += sum(1 for s, e in spans if not any(s < pe and ps < e for ps, pe, _ in case.planted))
        out[kind] = Score(sum(len(c.planted) for c in items), found, false)
    return out


def false_rate(find: Callable[[str], Sequence[tuple[int, int]]]) -> tuple[int, int, list[str]]:
    """Over ORDINARY_SENTENCES: (capitalised words replaced, capitalised words, the words replaced)."""
    capitalised = replaced = 0
    words: list[str] = []
    for sentence in ORDINARY_SENTENCES:
        capitalised += len(re.findall(r"(?<![\w'])[A-Z][\w'-]*", sentence))
        for s, e in find(sentence):
            replaced += 1
            words.append(sentence[s:e])
    return replaced, capitalised, words
