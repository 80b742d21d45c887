"""anonymise, round 9, with sentences of our own: places widened to their whole name (a hospital's "Royal", "the X
and Y", two places side by side, a place's High Street, streets named by a title), ordinary capitalised words left
(a country's people of two words, a case note's abbreviation after a name, nouns by their ending, churches and
banks), names by a pet name or "aka", a child's place in a list, "is the ex", a Vietnamese middle name, and a doubt
on a word joined by "and" to a name found."""

from __future__ import annotations

import pytest
from anonymise_context_cases import ROUND9, ROUND9_LEFT, found, sentences, tally

from practitioner_survey.coding.anonymise import Anonymiser


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("She was taken to the Royal Bolton with a head injury.", "Royal Bolton"),
        ("The midwife at Royal Derby made the referral.", "Royal Derby"),
        ("Both were seen at the Chelsea and Westminster last spring.", "Chelsea and Westminster"),
        ("Our Idva sits in the Royal Devon and Exeter two days a week.", "Royal Devon and Exeter"),
        ("He waits for her on Wharton High Street every Friday.", "Wharton High Street"),
        ("The refuge is just off Tooting High Street.", "Tooting High Street"),
        ("The incident was on Queen Street outside the bank.", "Queen Street"),
        ("Lord Street is where the drop-in is.", "Lord Street"),
        ("The Lady Lane flats were emptied.", "Lady Lane"),
        ("She was moved from Stoke Newington to a hostel.", "Stoke Newington"),
        ("Her mum is in Mid Sussex and her dad in Inner London.", "Mid Sussex"),
        ("She works in Central Bedfordshire three days a week.", "Central Bedfordshire"),
        ("The Whalley Range flat was the third move this year.", "Whalley Range"),
        ("She waits at Wigan Wallgate for the train every morning.", "Wigan Wallgate"),
        ("Symudodd hi i Fangor gyda'r plant.", "Fangor"),
        ("Mae ei mam yn byw ym Mhwllheli.", "Mhwllheli"),
        ("Mae hi'n byw yng Nghaerdydd.", "Nghaerdydd"),
        ("She moved to st helens after the fire.", "st helens"),
        ("the family moved to ashton under lyne in march", "ashton under lyne"),
        ("she went to saint helens for the hearing", "saint helens"),
        ("she lives in newcastle under lyme now", "newcastle under lyme"),
    ],
)
def test_a_place_is_replaced_whole(anonymiser: Anonymiser, text: str, place: str) -> None:
    assert (place, "place") in found(anonymiser, text)


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("Our Idva based at the Royal Oldham Hospital sees ten women a week.", ("Oldham", "place")),
        ("Oldham and Bury share a Marac.", ("Oldham", "place")),
    ],
)
def test_royal_before_a_hospital_word_and_places_listed_by_and_stay_apart(
    anonymiser: Anonymiser, text: str, left: tuple[str, str]
) -> None:
    assert left in found(anonymiser, text)


@pytest.mark.parametrize(
    "text",
    [
        "She joined the Sierra Leonean women's group last year.",
        "Her Sri Lankan neighbour and a Costa Rican friend helped.",
        "The Government Destitution Grant and the Resettlement Allocation both ran out.",
        "She goes to the Methodist church and the Pentecostal hall on Sundays.",
        "She banks with Lloyds and Santander, and he has a Monzo card.",
        "The Garda in the Republic took her statement.",
        "Thank the Lord she got out.",
        "Faith and hope keep her going through the hearings.",
        "Sky and sea were grey the day she left.",
        "Hope and support are what survivors ask us for.",
        "Faith is not an excuse for what he did to her.",
        "Grace is not a reason to stay with him, we tell them.",
        "rang about housing - no news",
        "mtg re dvpo, then about pip and uc",
        "she shops in high street stores now",
        "Granny flats are in short supply here.",
        "We use the Duluth Power and Control Wheel in the group.",
        "She works at Greggs and her ex works at Sainsbury's.",
    ],
)
def test_ordinary_capitalised_words_are_left(anonymiser: Anonymiser, text: str) -> None:
    assert found(anonymiser, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Aisha DOB 12/03/1990 was seen today.", "Aisha"),
        ("Marcus NFA since the spring, address unknown.", "Marcus"),
        ("Jo NG and her sister were seen.", "Jo NG"),
    ],
)
def test_a_three_letter_abbreviation_after_a_name_is_no_surname(anonymiser: Anonymiser, text: str, name: str) -> None:
    assert found(anonymiser, text)[0] == (name, "name")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Winter (pet name Wint) wants to go back to college.", "Winter"),
        ("Breeze (aka Bee) has two children under five.", "Breeze"),
        ("The twins, River the eldest by ten minutes, are in year 2.", "River"),
        ("Rich is the perpetrator and he has money.", "Rich"),
        ("Storm is the baby of the family.", "Storm"),
        ("Sky and Bethany are the two eldest.", "Sky"),
        ("Handover: Gaz, Vu Thi Hoa, Linh.", "Vu Thi Hoa"),
        ("We met Bui Van Long at the clinic.", "Bui Van Long"),
        ("Holly and Tom came in together.", "Holly"),
        ("Grace and her kids were housed on Friday.", "Grace"),
        ("Grace is not a client of ours any more.", "Grace"),
        ("sw called re tiegan, no news yet", "tiegan"),
        ("Nanny Pat looks after the kids on Saturdays.", "Pat"),
        ("Grandma Rose picks them up from school.", "Rose"),
        ("Cherry and her twins were rehoused in May.", "Cherry"),
        ("Her ex, Chance, is on licence until June.", "Chance"),
        ("The perpetrator, Rebel, has breached twice.", "Rebel"),
        ("worried about shannon - not answering", "shannon"),
    ],
)
def test_a_person_by_the_words_around_them(anonymiser: Anonymiser, text: str, name: str) -> None:
    assert (name, "name") in found(anonymiser, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Will the baby be safe there?", []),
        ("The office (aka the hub) is closed on Mondays.", []),
        ("Hope and Will are the names of our two groups.", []),
        ("Mr Van Dijk rang about the hearing.", [("Van Dijk", "name")]),
        ("She lives in Leeds Sarah said.", [("Leeds", "place"), ("Sarah", "name")]),
        ("The Central Line was closed again.", []),
        ("Mae ei mam yn byw yma.", []),
    ],
)
def test_the_same_words_around_no_person_leave_it(
    anonymiser: Anonymiser, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(anonymiser, text) == expected


def test_a_word_joined_by_and_to_a_name_found_is_a_doubt(anonymiser: Anonymiser) -> None:
    text = "Bravery and Jade are the two eldest."
    assert found(anonymiser, text) == [("Jade", "name")]
    assert [w.text for w in anonymiser.doubts(text)] == ["Bravery"]
    assert [w.text for w in anonymiser.doubts("Police and Jade went to the house.")] == []


@pytest.mark.parametrize(
    ("text", "doubts"),
    [
        ("Thorn is the ex, and he knows the system.", ["Thorn"]),
        ("Tarn was assaulted by her partner in June.", ["Tarn"]),
        ("Bailiffs were at the door again.", []),
        ("Staff was the problem, not the money.", []),
    ],
)
def test_a_rare_word_in_no_list_before_plain_evidence_of_a_person_is_a_doubt(
    anonymiser: Anonymiser, text: str, doubts: list[str]
) -> None:
    assert found(anonymiser, text) == []
    assert [w.text for w in anonymiser.doubts(text)] == doubts


def test_every_person_and_place_of_round_9_is_found_and_nothing_else(anonymiser: Anonymiser) -> None:
    result = tally(ROUND9, lambda text: [(f.start, f.end) for f in anonymiser.findings(text)])
    assert (result.found, result.false) == (result.planted, ())


def test_nothing_in_the_round_9_sentences_that_name_nobody_is_replaced(anonymiser: Anonymiser) -> None:
    replaced = {case.text: found(anonymiser, case.text) for case in sentences(ROUND9_LEFT)}
    assert {text: f for text, f in replaced.items() if f} == {}


@pytest.mark.parametrize(
    ("text", "place"),
    [("Her mum lives in Mid Suffolk now.", "Mid Suffolk"), ("They moved to West Suffolk in May.", "West Suffolk")],
)
def test_a_compass_word_before_a_place_of_the_years_returns_is_part_of_it(text: str, place: str) -> None:
    known = Anonymiser(["Suffolk"])
    assert found(known, text) == [(place, "place")]
