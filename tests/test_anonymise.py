"""anonymise: suggested masking of services, places, police force areas and people in quotes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from practitioner_survey.coding.anonymise import MASK, Anonymised, anonymise, first_names, names_from
from practitioner_survey.reference import police_force_areas
from practitioner_survey.returns.validate import read_returns

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ["Rotherham Women's Aid", "Hull Domestic Abuse Partnership", "St Helens Idva Service", "Safer Places"]
AREAS = ["South Yorkshire", "Humberside"]


@pytest.fixture
def names() -> list[str]:
    return names_from(SERVICES, AREAS, ["Tunbridge Wells"])


# -- names_from ----------------------------------------------------------------------------------------------


def test_names_include_each_service_name_and_the_place_it_starts_with(names: list[str]) -> None:
    assert {"Rotherham Women's Aid", "Rotherham", "Hull Domestic Abuse Partnership", "Hull"} <= set(names)
    assert {"St Helens Idva Service", "St Helens"} <= set(names)


def test_a_service_name_made_only_of_generic_words_gives_no_place(names: list[str]) -> None:
    assert "Safer Places" in names
    assert "Safer" not in names and "Places" not in names and "" not in names


def test_names_include_police_force_areas_and_extra_places_and_skip_blanks() -> None:
    got = names_from(["  ", "Rotherham Women's Aid"], ["South Yorkshire", ""], ["Tunbridge Wells", " "])
    assert set(got) == {"Rotherham Women's Aid", "Rotherham", "South Yorkshire", "Tunbridge Wells"}


def test_names_come_longest_first_so_a_service_goes_before_its_place(names: list[str]) -> None:
    assert [len(n) for n in names] == sorted((len(n) for n in names), reverse=True)
    assert names.index("Rotherham Women's Aid") < names.index("Rotherham")


# -- anonymise -----------------------------------------------------------------------------------------------


def test_a_full_service_name_becomes_one_mask_not_a_mask_per_word(names: list[str]) -> None:
    result = anonymise("Staff at Rotherham Women's Aid were brilliant.", names)
    assert result == Anonymised("Staff at *** were brilliant.", ("Rotherham Women's Aid",))


def test_place_and_force_area_are_masked_and_listed_as_replaced(names: list[str]) -> None:
    result = anonymise("Women in Rotherham and across South Yorkshire wait months.", names)
    assert result.text == "Women in *** and across *** wait months."
    assert set(result.replaced) == {"Rotherham", "South Yorkshire"}


def test_matching_ignores_case(names: list[str]) -> None:
    result = anonymise("rotherham women's aid and HULL both said so", names)
    assert result.text == "*** and *** both said so"


def test_matching_is_whole_word_so_longer_words_containing_a_name_are_left(names: list[str]) -> None:
    result = anonymise("The Hullabaloo Café and Rotherhamshire are fine; Hull is not.", names)
    assert result.text == "The Hullabaloo Café and Rotherhamshire are fine; *** is not."
    assert result.replaced == ("Hull",)


def test_a_name_followed_by_a_possessive_is_masked(names: list[str]) -> None:
    assert anonymise("Hull's Marac is overloaded.", names).text == "***'s Marac is overloaded."


def test_common_first_names_are_masked_and_listed() -> None:
    result = anonymise("Our client Leanne spoke to Sarah at court.", [])
    assert result.text == f"Our client {MASK} spoke to {MASK} at court."
    assert result.replaced == ("Leanne", "Sarah")
    assert {"Leanne", "Sarah"} <= first_names()


def test_ordinary_capitalised_words_and_names_that_are_also_words_are_left() -> None:
    text = "May we have more Will from the Police? Courts, Housing and Hope all matter. Grace under pressure."
    result = anonymise(text, [])
    assert result == Anonymised(text, ())


def test_a_first_name_in_lower_case_is_left_as_an_ordinary_word() -> None:
    assert anonymise("we need to sue the council and mark the date", []).text == (
        "we need to sue the council and mark the date"
    )


def test_mark_as_an_ordinary_capitalised_verb_is_left() -> None:
    # first_names.txt says words that are also ordinary English words are left out; Mark is one, like Will or Bill.
    text = "Mark my words: refuges will close."
    assert anonymise(text, []).text == text, (
        "BUG: first_names.txt lists 'Mark' although its header says ordinary English words (May, Will, Bill ...) "
        "are left out, so 'Mark my words' becomes '*** my words'"
    )


def test_a_text_with_nothing_to_mask_comes_back_unchanged_with_nothing_replaced(names: list[str]) -> None:
    text = "Longer funding would make the biggest difference."
    assert anonymise(text, names) == Anonymised(text, ())


# -- the bundled confirmed quotes ----------------------------------------------------------------------------


def test_no_bundled_confirmed_quote_names_a_police_force_area_or_a_2017_service() -> None:
    records = [json.loads(line) for line in (ROOT / "responses/2017/comments-2017.jsonl").read_text().splitlines()]
    quotes = [r["quote"] for r in records if r.get("quote") is not None]
    areas = police_force_areas()["police_force_area"].tolist()
    services = read_returns(ROOT / "responses/2017/returns-2017.xlsx").services["service_name"].tolist()
    assert len(quotes) > 50 and len(areas) == 43 and len(services) > 300
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(areas + services, key=len, reverse=True)),
        re.IGNORECASE,
    )
    leaks = [(m.group(0), q) for q in quotes if (m := pattern.search(q))]
    assert leaks == []


def test_each_mask_in_a_bundled_confirmed_quote_stands_for_a_capitalised_name_in_its_comment() -> None:
    over_masked = []
    for path in sorted((ROOT / "responses").glob("*/comments-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            quote = record.get("quote")
            if not quote or MASK not in quote:
                continue
            shape = "(.+?)".join(re.escape(part) for part in quote.split(MASK))
            match = re.fullmatch(shape, record["text"], re.DOTALL)
            assert match is not None, f"{path.name}: quote does not follow its comment: {quote!r}"
            over_masked += [(path.name, word) for word in match.groups() if not word[0].isupper()]
    assert over_masked == [], (
        "BUG: a confirmed quote masks an ordinary lower-case word (the place 'Reading' matched case-insensitively "
        "in 'teachers reading from a slide deck')"
    )
