"""anonymise, round 8: people by plain evidence around them, with sentences of our own: a case note's lower-case
name in brackets after a person's own people ("mum (tamsin)"), and a given name before what a person is doing in a
language ("with Folake interpreting"), while a language before the same words stays a language."""

from __future__ import annotations

import pytest
from anonymise_context_cases import found

from practitioner_survey.coding.anonymise import Anonymiser


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("new case: mum (tamsin) and three kids, dad on tag.", "tamsin"),
        ("her son (kai) is five and at nursery.", "kai"),
        ("dad (gary) has a tag until march.", "gary"),
    ],
)
def test_a_lower_case_name_in_brackets_after_a_persons_own_people_is_a_name(
    anonymiser: Anonymiser, text: str, name: str
) -> None:
    assert (name, "name") in found(anonymiser, text)


@pytest.mark.parametrize(
    "text", ["the worker (agency) was late again.", "mum (pregnant) was seen at home.", "her partner (male) left."]
)
def test_an_ordinary_word_in_brackets_after_a_persons_word_is_left(anonymiser: Anonymiser, text: str) -> None:
    assert found(anonymiser, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("We visited her with Folake interpreting.", "Folake"),
        ("We saw her with Adaeze translating for her.", "Adaeze"),
        ("Amani interpreting on the phone helped a lot.", "Amani"),
    ],
)
def test_a_given_name_before_interpreting_is_a_person(anonymiser: Anonymiser, text: str, name: str) -> None:
    assert (name, "name") in found(anonymiser, text)


@pytest.mark.parametrize(
    "text", ["Tigrinya interpreting is hard to find.", "She needs Bengali interpreting.", "Romani interpreting is rare"]
)
def test_a_language_before_interpreting_stays_a_language(anonymiser: Anonymiser, text: str) -> None:
    assert found(anonymiser, text) == []


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("She lives on Gorsey Bank Farm now.", "Gorsey Bank Farm"),
        ("Please move her out of Sparrow Rock as soon as you can.", "Sparrow Rock"),
        ("They live near Dalton Heights.", "Dalton Heights"),
    ],
)
def test_an_area_by_its_last_word_farm_rock_or_heights(anonymiser: Anonymiser, text: str, place: str) -> None:
    assert (place, "place") in found(anonymiser, text)


@pytest.mark.parametrize(
    "text",
    ["The Red Cross helped with the visa.", "We met at the Hard Rock Cafe.", "The City Farm runs a group for women."],
)
def test_an_ordinary_word_before_an_areas_last_word_is_no_area(anonymiser: Anonymiser, text: str) -> None:
    assert found(anonymiser, text) == []


def test_a_street_named_after_a_known_place_is_found_whole(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "She lives off Bristol Road.") == [("Bristol Road", "place")]
    assert ("Oxford Road", "place") in found(anonymiser, "We met her at Oxford Road station.")


def test_a_word_no_list_holds_before_no_longer_and_a_verb_is_a_person(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Xuan no longer comes to the group.") == [("Xuan", "name")]
    assert found(anonymiser, "Olwen no longer answers her phone.") == [("Olwen", "name")]
    assert found(anonymiser, "Brexit no longer matters to funders.") == []


def test_a_given_name_that_is_a_word_goes_with_the_surname_found_after_it(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Cliff Marsh rang the office twice.") == [("Cliff Marsh", "name")]
    assert found(anonymiser, "Rich Okafor has a new partner.") == [("Rich Okafor", "name")]
    text = "Precious Adebayo (no relation) was referred twice."  # was flagged "Precious", now replaced whole
    assert found(anonymiser, text) == [("Precious Adebayo", "name")]
    assert anonymiser.doubts(text) == []
