"""anonymise, round 8: a name-like word that names a thing here (things.py). It qualifies a common noun ("Sterling
work", "Brook clinics"), opens a project's or an appeal's name ("The Daisy Chain Project"), or is part of an idiom
("rob Peter to pay Paul"); the same words stay people where a person plainly acts. Sentences of our own."""

from __future__ import annotations

import pytest
from anonymise_context_cases import found

from practitioner_survey.coding.anonymise import Anonymiser

LEFT_ALONE = [
    "The outreach team did Sterling work over the winter.",
    "Sterling work by the refuge staff kept the service open.",
    "We ran Carol services at the church hall for survivors.",
    "Carol services and a toy appeal raised funds.",
    "Brook clinics see many young people we later support.",
    "Dawn visits by the police were frightening for the children.",
    "Jasmine tea mornings bring survivors together.",
    "Rose work is hard to describe.",
    "Our Rose for Every Survivor appeal raised four thousand pounds.",
    "The Daisy Chain Project supports families after abuse.",
    "She was referred to the Daisy Chain Project last spring.",
    "The Lily Project and the Poppy Appeal both helped.",
    "They rob Peter to pay Paul with our funding every year.",
    "Commissioners Rob Peter to pay Paul when budgets shrink.",
    "It is not just any Tom, Dick or Harry who can do this job.",
]


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_a_name_like_word_that_names_a_thing_is_left_alone(anonymiser: Anonymiser, text: str) -> None:
    assert found(anonymiser, text) == []


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_a_name_like_word_that_names_a_thing_is_not_flagged_either(anonymiser: Anonymiser, text: str) -> None:
    assert anonymiser.doubts(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dawn visits her mother every Sunday.", "Dawn"),
        ("Carol works at the refuge two days a week.", "Carol"),
        ("Sterling rang the office twice.", "Sterling"),
        ("Our client Dawn visits the centre weekly.", "Dawn"),
        ("We saw Dawn leave the house.", "Dawn"),
        ("It was lovely seeing Rose get her own flat.", "Rose"),
        ("Heather told us she was scared.", "Heather"),
        ("Brook said she was leaving him.", "Brook"),
        ("Our client Brook attends college.", "Brook"),
        ("Sarah and the Project worker met.", "Sarah"),
        ("Carol mum rang the office.", "Carol"),
        ("Maria de Souza works nights at a care home.", "Maria de Souza"),
    ],
)
def test_the_same_words_stay_people_where_a_person_acts(anonymiser: Anonymiser, text: str, name: str) -> None:
    assert (name, "name") in found(anonymiser, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bubbles is what her sister calls her, and it stuck.", "Bubbles"),
        ("Tiger (his nickname at the gym) has a record for violence.", "Tiger"),
        ("Peaches (that is what her dad called her) is now fifteen.", "Peaches"),
        ("Chops is what the lads at work call him.", "Chops"),
    ],
)
def test_a_word_said_to_be_what_someone_is_called_is_a_name(anonymiser: Anonymiser, text: str, name: str) -> None:
    assert (name, "name") in found(anonymiser, text)


@pytest.mark.parametrize(
    "text",
    [
        "Abuse is what she calls it now, after the course.",
        "Coercive control is what the law calls it.",
        "Freedom is what she calls her new flat.",
        "Tuesday (when he calls her every week) is the worst day.",
    ],
)
def test_what_something_is_called_is_no_nickname(anonymiser: Anonymiser, text: str) -> None:
    assert found(anonymiser, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Hi Lorraine, just to say Tasnim has moved out.", ["Lorraine", "Tasnim"]),
        ("Hiya Wendell, she is safe now.", ["Wendell"]),
        ("Mae Gwenllian yn byw gyda'i mam.", ["Gwenllian"]),
        ("Roedd Cerys wedi symud yn barod.", ["Cerys"]),
    ],
)
def test_a_greeting_or_a_welsh_verb_before_a_name_is_left_and_not_flagged(
    anonymiser: Anonymiser, text: str, names: list[str]
) -> None:
    assert [w for w, kind in found(anonymiser, text) if kind == "name"] == names
    assert anonymiser.doubts(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Mould in the flat made the children ill.",
        "Mould and damp were reported three times.",
        "Damp and Mould were everywhere in that house.",
    ],
)
def test_a_place_that_is_a_common_noun_is_the_noun_at_a_start_or_among_nouns(anonymiser: Anonymiser, text: str) -> None:
    assert found(anonymiser, text) == []


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("She moved to Mold last spring.", "Mold"),
        ("Ware and Hertford are covered by one worker now.", "Ware"),
        ("Leek and district has one refuge.", "Leek"),
        ("Leek has a new service for older women.", "Leek"),
    ],
)
def test_the_same_places_stay_places_where_a_place_is_meant(anonymiser: Anonymiser, text: str, place: str) -> None:
    assert (place, "place") in found(anonymiser, text)


def test_a_script_before_letters_or_numerals_is_no_place_or_person(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "The letters were written in Roman letters, not Cyrillic.") == []
    assert found(anonymiser, "Her forms were filled in with Arabic numerals only.") == []
    assert ("Roman", "name") in found(anonymiser, "Roman was arrested again last night.")
