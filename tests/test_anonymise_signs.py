"""anonymise, round 5 (coding/signs.py): streets, initials, ages and peoples after a name, case notes' dashes,
messages from someone, nicknames in brackets, "St" and "Y" places, compass counties; and peoples, languages,
regions and the words beside them left alone. Sentences written for this project (synthetic)."""

from __future__ import annotations

from anonymise_context_cases import SIGNS, SIGNS_LEFT, found, sentences, tally

from practitioner_survey.coding import signs
from practitioner_survey.coding.anonymise import Anonymiser
from practitioner_survey.coding.names import given_names, languages, surnames


def test_every_sign_of_round_5_is_found_whole_with_its_kind_and_nothing_else(anonymiser: Anonymiser) -> None:
    for case in sentences(SIGNS):
        want = [(case.text[s:e], kind) for s, e, kind in case.planted]
        assert found(anonymiser, case.text) == want, case.text
    result = tally(SIGNS_LEFT, lambda text: [(f.start, f.end) for f in anonymiser.findings(text)])
    assert (result.planted, result.false) == (0, ())


def test_a_street_is_found_by_its_last_word_but_not_the_high_street(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "She lives off Quarry Bank Lane now.") == [("Quarry Bank Lane", "place")]
    assert found(anonymiser, "Our office on Heol yr Orsaf has a ramp.") == [("Heol yr Orsaf", "place")]
    assert found(anonymiser, "The Ring Road was closed so she was late.") == []
    assert found(anonymiser, "Our Road Safety partners sent leaflets.") == []


def test_initials_take_the_surname_after_them_but_not_an_ordinary_word(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Ask W. Thistlethwaite in legal.") == [("W. Thistlethwaite", "name")]
    assert found(anonymiser, "Signed off by M.J. Oyelaran today.") == [("M.J. Oyelaran", "name")]
    assert found(anonymiser, "We use the U.K. Visas guidance.") == []


def test_initials_without_stops_and_an_irish_surnames_particle_are_part_of_the_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Referred by M J Okafor at the GP surgery.") == [("M J Okafor", "name")]
    assert ("R T Hollis", "name") in found(anonymiser, "Signed by R T Hollis (Marac coordinator).")
    assert found(anonymiser, "We wrote to T. Nic Amhlaoibh about the move.") == [("T. Nic Amhlaoibh", "name")]
    assert ("S. Ó Súilleabháin", "name") in found(anonymiser, "Our contact was S. Ó Súilleabháin at the council.")
    assert found(anonymiser, "The U K Border Agency wrote.") == []


def test_an_age_or_a_people_after_a_name_that_is_a_word_says_a_person(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Faith was 16 and pregnant.") == [("Faith", "name")]
    assert found(anonymiser, "Destiny (3) stays with her nan.") == [("Destiny", "name")]
    assert found(anonymiser, "Comfort is Nigerian and speaks Yoruba.") == [("Comfort", "name")]
    assert found(anonymiser, "Hope was 50 per cent of what we ran on.") == []


def test_a_case_notes_dash_then_a_persons_words_says_a_person(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Oluwadamilare - perpetrator, on tag.") == [("Oluwadamilare", "name")]
    assert found(anonymiser, "kayleigh - risk high, moved") == [("kayleigh", "name")]
    assert found(anonymiser, "Housing - risk of eviction went up.") == []


def test_a_message_from_someone_and_call_x_back_say_a_person(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "voicemail from ngozi, will try later") == [("ngozi", "name")]
    assert found(anonymiser, "Ring Tiegan back about the form.") == [("Tiegan", "name")]
    assert found(anonymiser, "Call the office back if you can.") == []


def test_a_name_and_its_nickname_in_brackets_are_both_found(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Oluwaseun (Seun) - at court Monday.") == [("Oluwaseun", "name"), ("Seun", "name")]
    assert found(anonymiser, "The Idva (Independent) role is funded.") == []


def test_st_and_y_begin_a_place_and_a_compass_word_joins_a_county(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Women from St Judes come on Tuesdays.") == [("St Judes", "place")]
    assert found(anonymiser, "Y Bala is a long way from any refuge.") == [("Y Bala", "place")]
    assert found(anonymiser, "We cover South Gloucestershire too.") == [("South Gloucestershire", "place")]


def test_peoples_languages_and_words_listed_beside_them_are_no_names(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Her husband, Albanian, works nights.") == []
    assert found(anonymiser, "She asked for Sorani not Kurdish.") == []
    assert found(anonymiser, "Farsi, Dari and Hazaragi interpreters are scarce.") == []
    assert found(anonymiser, "Mrs Kurdi rang twice.") == [("Kurdi", "name")]


def test_the_languages_list_holds_no_given_name_or_surname() -> None:
    assert {"Tigrinya", "Slovak", "Kurdish"} <= languages()
    assert not languages() & (given_names() | surnames())
    assert signs.people_word("Eritrean") and not signs.people_word("Eritrean", by_ending=False)


def test_two_compass_words_make_a_region_that_names_nobody(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "We joined the South West network.") == []
    assert found(anonymiser, "Women in North East Lincolnshire wait longest.") == [("North East Lincolnshire", "place")]


def test_a_short_family_name_written_first_starts_the_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Ho Mei Sze came through the community centre.") == [("Ho Mei Sze", "name")]
    assert found(anonymiser, "The Kawaguchi family came through the centre.") == [("Kawaguchi", "name")]


def test_a_place_that_is_a_word_is_one_when_listed_with_places_or_figures(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Totals: Wigan 40, Bolton 52, Bury 17.") == [
        ("Wigan", "place"),
        ("Bolton", "place"),
        ("Bury", "place"),
    ]
    assert found(anonymiser, "Reading and Slough share one Idva.") == [("Reading", "place"), ("Slough", "place")]
    assert found(anonymiser, "Reading the notes took all morning.") == []


def test_two_role_words_after_a_determiner_close_an_apposition(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Pip, the eldest girl, does the school run.") == [("Pip", "name")]


def test_a_place_listed_without_its_apostrophe_is_found_with_it(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "She moved to Bishop's Stortford in May.") == [("Bishop's Stortford", "place")]
    assert found(anonymiser, "He works near St Albans Road.") == [("St Albans Road", "place")]


def test_a_days_short_form_in_a_case_note_is_no_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Home visit to Hartcliffe on Tues.") == [("Hartcliffe", "place")]
    assert found(anonymiser, "Try again Weds, then Thurs.") == []


def test_a_house_or_flat_number_before_a_street_or_building_is_an_address(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "He found her at 27 Larkspur Close.") == [("27 Larkspur Close", "place")]
    assert found(anonymiser, "New tenancy: Flat 9, Bramley Court.") == [("Flat 9, Bramley Court", "place")]
    assert found(anonymiser, "In 2019 Court Services changed the forms.") == []
    assert found(anonymiser, "We saw 40 Women Today at the launch.") == []


def test_close_way_and_the_like_end_a_street_only_after_on_off_or_a_place_word(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "She lives off Juniper Way now.") == [("Juniper Way", "place")]
    assert found(anonymiser, "The Close Protection team came.") == []


def test_town_and_well_end_a_district_after_a_place_word(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "She grew up in Hollins Town, near the mill.") == [("Hollins Town", "place")]
    assert found(anonymiser, "We went into Town on Friday.") == []


def test_one_initial_without_a_stop_and_irish_surnames_follow_the_same_rule(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Seen by K Brierley at the clinic.") == [("K Brierley", "name")]
    assert found(anonymiser, "Worker: S. O'Donnell.") == [("S. O'Donnell", "name")]
    assert found(anonymiser, "Vitamin D Levels were low.") == []


def test_a_two_word_name_before_a_case_notes_dash_and_her_or_his_is_a_name(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Tayla Boswell - threats from his brother again.") == [("Tayla Boswell", "name")]


def test_a_role_such_as_admin_or_chair_in_brackets_and_prefers_after_a_name_say_a_person(
    anonymiser: Anonymiser,
) -> None:
    assert found(anonymiser, "Our rota: Ulla (chair), Tam (admin) and me.") == [("Ulla", "name"), ("Tam", "name")]
    assert found(anonymiser, "Zosia prefers to be called Zo.") == [("Zosia", "name"), ("Zo", "name")]


def test_st_and_a_name_before_a_bodys_word_is_no_place_but_before_hospital_it_is(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "She stays at the St Mungo's hostel.") == []
    assert found(anonymiser, "She was seen at St Cuthbert's Hospital.") == [("St Cuthbert's", "place")]


def test_being_interviewed_or_an_age_in_words_says_a_person(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "Bliss was interviewed by police.") == [("Bliss", "name")]
    assert found(anonymiser, "Zinnia is six and at nursery.") == [("Zinnia", "name")]
    assert found(anonymiser, "The review was allocated to me.") == []
