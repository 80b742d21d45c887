"""anonymise, round 7: evidence rather than sentences. A name that is also a word, capitalised on its own inside a
sentence (capitals.py); languages and scripts in lists and after a language, and "-born" words, no names
(tongues.py). Each rule with sentences of our own, and the words it must leave alone."""

from __future__ import annotations

from anonymise_context_cases import ROUND7, ROUND7_LEFT, found, sentences, tally

from practitioner_survey.coding.anonymise import Anonymiser


def spans(anonymiser: Anonymiser) -> object:
    return lambda text: [(f.start, f.end) for f in anonymiser.findings(text)]


def test_every_person_of_round_7_is_found_and_nothing_else(anonymiser: Anonymiser) -> None:
    result = tally(ROUND7, spans(anonymiser))  # type: ignore[arg-type]
    assert (result.found, result.false) == (result.planted, ())


def test_nothing_in_the_round_7_sentences_that_name_nobody_is_replaced(anonymiser: Anonymiser) -> None:
    replaced = {case.text: found(anonymiser, case.text) for case in sentences(ROUND7_LEFT)}
    assert {text: f for text, f in replaced.items() if f} == {}


def test_a_name_that_is_a_word_is_a_person_when_capitalised_alone_inside_a_sentence(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "The school rang about Patience again.") == [("Patience", "name")]
    assert found(anonymiser, "The school showed patience again.") == []
    assert found(anonymiser, "Patience is what the court asked of her.") == []
    assert found(anonymiser, "May we have more Will from the Police?") == []  # the commonest words: not on a capital


def test_a_name_of_the_word_names_list_needs_more_than_a_capital_as_one_word_services_share_it(
    anonymiser: Anonymiser,
) -> None:
    assert found(anonymiser, "We helped Haven with the referral pathway.") == []
    assert found(anonymiser, "The school rang about Storm again.") == []  # still missed: a person, found by nothing


def test_a_capital_beside_another_or_after_a_determiner_is_a_things_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "She goes to the Blessing group on Mondays.") == []
    assert found(anonymiser, "The funding came from Storm Relief Fund grants.") == []


def test_a_language_listed_with_others_or_before_interpreters_is_no_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "We need Sorani and Kurmanji interpreters.") == []
    assert found(anonymiser, "She speaks Urdu, Punjabi, Pahari and Mirpuri.") == []


def test_a_script_after_a_language_is_no_place_but_a_place_after_one_is(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "She reads only Punjabi in Shahmukhi.") == []
    assert found(anonymiser, "The course ran in Bengali in Oldham.") == [("Oldham", "place")]


def test_an_interpreter_for_someone_after_a_language_is_a_person(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "We had no Kurmanji interpreter for Rojda.") == [("Rojda", "name")]
    assert found(anonymiser, "We had no interpreter for Romani.") == []


def test_a_case_notes_fields_are_no_list_of_languages(anonymiser: Anonymiser) -> None:
    assert ("Lincs", "place") in found(anonymiser, "Client from Boston, Lincs, Lithuanian, 2 kids.")


def test_a_people_born_word_is_no_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Both are Jamaican-born and in their seventies.") == []


def test_where_someone_lives_is_a_place_even_when_a_month_but_a_date_in_a_month_is_not(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Her sister lives in March now.") == [("March", "place")]
    assert found(anonymiser, "The hearing is in March.") == []


def test_an_areas_last_word_makes_a_place_of_the_capitalised_word_before_it(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "They lived on the site at Smithy Fen.") == [("Smithy Fen", "place")]
    assert found(anonymiser, "She was rehoused near Llandudno Junction.") == [("Llandudno Junction", "place")]
    assert found(anonymiser, "The British Red Cross gave her a phone.") == []


def test_a_street_after_address_ends_in_any_street_word(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "His bail address is Larkspur Close.") == [("Larkspur Close", "place")]
    assert found(anonymiser, "Close the door on your way out.") == []


def test_a_word_no_list_holds_before_a_site_is_a_place_but_a_persons_site_is_a_person(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Zennor library has free computers.") == [("Zennor", "place")]
    assert found(anonymiser, "Halima's school called the police.") == [("Halima", "name")]


def test_a_possessive_before_a_persons_own_people_says_a_person_even_for_a_word_in_no_list(
    anonymiser: Anonymiser,
) -> None:
    assert found(anonymiser, "Temperance's GP refused her.") == [("Temperance", "name")]
    assert found(anonymiser, "Faith's role in recovery is overlooked.") == []


def test_one_of_our_and_a_role_between_commas_says_a_person(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Rose, one of our volunteers, says it best.") == [("Rose", "name")]
    assert found(anonymiser, "Hope, one of the reasons we keep going, matters.") == []


def test_taken_into_care_says_a_person_and_the_name_joined_to_it(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Storm and River were taken into care.") == [("Storm", "name"), ("River", "name")]
    assert found(anonymiser, "Storm damage was taken into account.") == []


def test_a_case_notes_lower_case_name_after_a_contact_verb_or_a_plus_is_a_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "mtg w jaswinder + gurpal re housing") == [("jaswinder", "name"), ("gurpal", "name")]
    assert found(anonymiser, "mtg w sw + hv tues") == []


def test_a_case_notes_lower_case_name_before_what_was_not_done_is_a_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "nkechi didnt answer, try tues") == [("nkechi", "name")]
    assert found(anonymiser, "summer didnt start well") == []


def test_a_name_that_is_a_word_in_a_case_note_needs_a_role_after_it(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "phoned will the housing officer") == [("will", "name")]
    assert found(anonymiser, "phoned will to check") == []


def test_an_english_word_after_a_given_name_that_is_no_word_is_its_surname(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "We referred Tracey Bunting to the Marac.") == [("Tracey Bunting", "name")]
    assert found(anonymiser, "Amy Street is where she lives.") == [("Amy Street", "place")]


def test_an_acronym_in_mixed_case_is_no_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "The school SENCo, who rang us first, was brilliant.") == []


def test_an_age_between_commas_after_a_word_no_list_holds_says_a_person(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Zephyrine, 54, has lived there for years.") == [("Zephyrine", "name")]
    assert found(anonymiser, "In April, 15, were referred.") == []


def test_a_given_name_from_a_team_is_a_person_but_not_one_of_the_commonest_words(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Mark from the housing team calls back.") == [("Mark", "name")]
    assert found(anonymiser, "Will from the council be enough?") == []


def test_a_hall_after_in_is_a_district_but_after_at_the_a_venue(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Families in Page Hall wait longest.") == [("Page Hall", "place")]
    assert found(anonymiser, "The meeting was at the Town Hall.") == []


def test_a_welsh_street_is_found_whole_and_in_lower_case_after_on(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "The flat is on Cwrt y Glyn.") == [("Cwrt y Glyn", "place")]
    assert found(anonymiser, "the flat on heol y nant wont be ready") == [("heol y nant", "place")]


def test_a_district_in_brackets_after_a_place_is_a_place_but_not_a_peoples_word(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "We work in Sheffield (Page Hall mostly).") == [
        ("Sheffield", "place"),
        ("Page Hall", "place"),
    ]
    assert found(anonymiser, "We work in Sheffield (Roma families mostly).") == [("Sheffield", "place")]
