"""anonymise, round 6: given names from names-dataset (data/given-names-world.txt, word-names-world.txt), names in
no list found by what only a person does (coding/subjects.py), longer asides after a name, and the words beside
them left alone. Sentences written for this project (synthetic)."""

from __future__ import annotations

from importlib import resources

from anonymise_context_cases import found

from practitioner_survey.coding.anonymise import Anonymiser
from practitioner_survey.coding.names import english_words, given_names, surnames, word_names


def _data(name: str) -> tuple[list[str], list[str]]:
    text = resources.files("practitioner_survey.coding").joinpath("data", name).read_text(encoding="utf-8")
    lines = text.splitlines()
    return [line for line in lines if line.startswith("#")], [line for line in lines if not line.startswith("#")]


def test_the_names_dataset_lists_say_their_licence_and_hold_no_english_word_or_surname() -> None:
    head, names = _data("given-names-world.txt")
    assert "names-dataset" in head[0] and "MIT" in head[0]
    assert len(names) > 10_000
    assert not [n for n in names if n.lower() in english_words() or n in surnames()]
    assert {"Oluwaseun", "Xiaoling", "Tadek"} <= given_names()
    head, words = _data("word-names-world.txt")
    assert "MIT" in head[0] and {"Yun", "Wen"} <= set(words) <= word_names() | given_names()
    assert not {"Yun", "Wen"} & given_names()  # a name that is also a word needs plain evidence of a person


def test_a_name_only_names_dataset_lists_is_found_at_a_sentences_start(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Oluwaseun came to the drop-in with her sister.") == [("Oluwaseun", "name")]
    assert found(anonymiser, "Tadek is on bail until March.") == [("Tadek", "name")]
    assert found(anonymiser, "We had Yun, a volunteer, who translated for us.") == [("Yun", "name")]
    assert found(anonymiser, "The group meets at Wen Street.") == [("Wen Street", "place")]


def test_a_given_name_before_a_peoples_name_is_a_people_and_interpreter_for_a_language(
    anonymiser: Anonymiser,
) -> None:
    assert found(anonymiser, "Two Romany Gypsy families moved onto the site.") == []
    assert found(anonymiser, "We found an interpreter for Sylheti at last.") == []
    assert found(anonymiser, "We found an interpreter for Dorina at last.") == [("Dorina", "name")]


def test_a_word_no_names_list_holds_before_what_only_a_person_does_is_a_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Pickle rang the helpline from a bus stop.") == [("Pickle", "name")]
    assert found(anonymiser, "When Nugget texted, the worker called the police.") == [("Nugget", "name")]
    assert found(anonymiser, "Pudding still phones the refuge most nights.") == [("Pudding", "name")]


def test_a_team_a_group_a_persons_word_or_a_word_after_the_before_phoned_is_no_name(anonymiser: Anonymiser) -> None:
    for text in (
        "Reception phoned up to say the room was ready.",
        "Nobody rang back for a week.",
        "Neighbours rang the police twice.",
        "Probation phoned us about the licence conditions.",
        "Mum rang twice in the night.",
        "Children's Services rang on the Friday.",
        "Triage texted her a link to the portal.",
        "Then Housing rang to say no.",
        "The Pickle phoned nobody.",
        "Survivors disclosed more once the group felt safe.",
    ):
        assert found(anonymiser, text) == [], text


def test_an_age_after_a_word_that_is_often_capitalised_says_a_name_but_not_after_a_figure(
    anonymiser: Anonymiser,
) -> None:
    assert found(anonymiser, "Pudding is 9 and does not sleep.") == [("Pudding", "name")]
    for text in ("Caseload was 90 when I started.", "Rent is 95.", "Demand is 20 and growing."):
        assert found(anonymiser, text) == [], text


def test_a_name_with_a_peoples_name_in_brackets_after_it_is_a_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Ilvana (Bosnian) moved in last week.") == [("Ilvana", "name")]
    assert found(anonymiser, "Dorina (Roma, from Moldova) left the hostel.") == [("Dorina", "name")]
    assert found(anonymiser, "Chapter 4 (Polish) is the best bit.") == []


def test_a_role_with_more_words_or_an_age_in_brackets_after_a_name_says_a_person(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Bo (the cook at the hostel) made everyone tea.") == [("Bo", "name")]
    assert found(anonymiser, "Frank (her brother, 19) drove her to the refuge.") == [("Frank", "name")]
    assert found(anonymiser, "Emyr, the manager at the leisure centre, said yes.") == [("Emyr", "name")]
    assert found(anonymiser, "Crisis, our partner charity, took two families.") == []


def test_a_given_name_in_a_case_notes_lower_case_before_what_a_person_does_is_a_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "note 5/6: agnieszka moving to her sister's on mon") == [("agnieszka", "name")]
    assert found(anonymiser, "handover - tomasz (ex) outside again, zofia to stay put") == [
        ("tomasz", "name"),
        ("zofia", "name"),
    ]
    assert found(anonymiser, "update: ilvana (new partner) not known to police") == [("ilvana", "name")]
    for text in (
        "note 3/4: housing moving her on fri, police to call back",
        "update - social worker visiting tues, gp aware",
        "handover: interpreter booked, court moved to 14th",
    ):
        assert found(anonymiser, text) == [], text


def test_a_street_or_a_royal_hospital_around_a_place_of_the_returns_is_found_whole() -> None:
    anonymiser = Anonymiser(["Dorset", "Kent"])
    assert found(anonymiser, "She rents a room on Old Dorset Road.") == [("Old Dorset Road", "place")]
    assert found(anonymiser, "He works at the Royal Kent Infirmary.") == [("Royal Kent", "place")]
    assert found(anonymiser, "The Royal Mail lost the Kent forms.") == [("Kent", "place")]


def test_lanes_ends_a_street_after_on_or_off_only(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "The shop on Tanner Lanes closed.") == [("Tanner Lanes", "place")]
    assert found(anonymiser, "Country Lanes are dark at night.") == []
