"""anonymise: suggested masking of services, places, police force areas, people and identifiers in quotes, its
recall on the test set of tests/anonymise_cases.py, and the guard before publication."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from anonymise_cases import cases, false_rate, score
from anonymise_context_cases import found
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.coding.anonymise import (
    MASK,
    Anonymised,
    Anonymiser,
    Finding,
    anonymise,
    first_names,
    kinds_summary,
    names_from,
)
from practitioner_survey.reference import police_force_areas
from practitioner_survey.returns.validate import Returns, read_returns
from practitioner_survey.store.coding import Decision, NewComment
from practitioner_survey.store.core import Store

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
    result = anonymise("The Hullabaloo Café and the rotherhamshire sign are fine; Hull is not.", names)
    assert result.text == "The Hullabaloo Café and the rotherhamshire sign are fine; *** is not."
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


# -- people, places and identifiers: findings ----------------------------------------------------------------


@pytest.fixture(scope="module")
def anonymiser() -> Anonymiser:
    return Anonymiser(names_from(SERVICES, AREAS))


def test_a_name_and_the_surname_after_it_are_one_finding_and_the_place_another(anonymiser: Anonymiser) -> None:
    text = "Sarah Jenkins at Truro Marac said no."
    assert found(anonymiser, text) == [("Sarah Jenkins", "name"), ("Truro", "place")]
    assert anonymiser.anonymise(text).text == "*** at *** Marac said no."


def test_welsh_and_english_places_beyond_the_returns_are_found(anonymiser: Anonymiser) -> None:
    text = "Women in Ynys Môn, Caerdydd and London wait longest."
    assert found(anonymiser, text) == [("Ynys Môn", "place"), ("Caerdydd", "place"), ("London", "place")]


def test_people_after_cues_and_titles_are_found_even_when_not_in_the_names_list(anonymiser: Anonymiser) -> None:
    text = "Our client Zorya met Mrs Ward and my Idva Tom; her son, Will, is six."
    assert found(anonymiser, text) == [("Zorya", "name"), ("Ward", "name"), ("Tom", "name"), ("Will", "name")]


def test_postcodes_phones_emails_and_dates_of_birth_are_found_by_shape(anonymiser: Anonymiser) -> None:
    text = "Ring 01872 123456 or +44 7700 900123, write to duty.idva@example.org, TR1 2AB; DOB 12/03/1985."
    assert [k for _, k in found(anonymiser, text)] == ["phone", "phone", "email", "postcode", "date of birth"]


def test_ordinary_words_sentence_starts_and_domain_words_are_left(anonymiser: Anonymiser) -> None:
    text = ("Reading the notes, Idvas, Isvas, the Marac and the Mash agree. Will funding last? Hope matters. "
            "Clare's Law requests rose in March. Frank talks help.")  # fmt: skip
    assert found(anonymiser, text) == []


def test_places_that_are_ordinary_words_count_after_a_place_word(anonymiser: Anonymiser) -> None:
    assert found(anonymiser, "She moved from Reading to Bath.") == [("Reading", "place"), ("Bath", "place")]


def test_a_possessive_stays_outside_the_finding(anonymiser: Anonymiser) -> None:
    assert anonymiser.anonymise("Sarah's case and Truro's Marac").text == "***'s case and ***'s Marac"


def test_anonymising_its_own_output_finds_nothing_more(anonymiser: Anonymiser) -> None:
    for kind, items in cases().items():
        for case in items:
            once = anonymiser.anonymise(case.text).text
            assert anonymiser.findings(once) == [], kind


def test_kinds_summary_counts_kinds_without_the_text() -> None:
    found = [Finding(0, 3, "name"), Finding(5, 8, "name"), Finding(9, 12, "place"), Finding(13, 20, "email")]
    assert kinds_summary(found) == "2 names, 1 place, 1 email"
    assert kinds_summary([]) == ""


# -- recall and false replacements on the test set (tests/anonymise_cases.py) --------------------------------


def test_recall_is_at_least_98_percent_for_names_and_places_and_every_identifier_kind(anonymiser: Anonymiser) -> None:
    scores = score(lambda text: [(f.start, f.end) for f in anonymiser.findings(text)])
    assert scores["name"].planted >= 200 and scores["place"].planted >= 200
    low = {kind: round(s.recall, 3) for kind, s in scores.items() if s.recall < 0.98}
    assert low == {}
    assert sum(s.false for s in scores.values()) <= 0.02 * sum(s.planted for s in scores.values())


def test_false_replacements_on_ordinary_sentences_are_at_most_2_percent(anonymiser: Anonymiser) -> None:
    replaced, capitalised, _ = false_rate(lambda text: [(f.start, f.end) for f in anonymiser.findings(text)])
    assert capitalised > 150
    assert replaced / capitalised <= 0.02


# -- the guard before publication ----------------------------------------------------------------------------

NAMED = "Our client Jade waited 14 months."


def quote_store(store: Store, make_returns: Callable[..., Returns]) -> dict[str, int]:
    """2017 with three comments: a clean confirmed quote, one naming a person, and one naming a person that the
    analyst confirmed as it is, with the finding acknowledged."""
    from practitioner_survey.coding.quote_guard import acknowledgement, year_anonymiser

    q = "other_comments"
    store.import_returns(2017, make_returns([("S1", "Kent", {"idva_fte": 2})]), {})
    store.ensure_comments(2017, q, [NewComment("S1", q, 0, 8), NewComment("S1", q, 9, 20), NewComment("S1", q, 21, 30)])
    clean, named, acknowledged = (int(i) for i in store.comments(2017, q)["id"])
    finding = year_anonymiser(["S1 Women's Aid"]).findings(NAMED)
    store.record([
        Decision(2017, clean, q, "ana", "quote", payload={"anonymised": "Longer funding.", "confirmed": True}),
        Decision(2017, named, q, "ana", "quote", payload={"anonymised": NAMED, "confirmed": True}),
        Decision(2017, acknowledged, q, "ana", "quote",
                 payload={"anonymised": NAMED, "confirmed": True, "acknowledged": acknowledgement(NAMED, finding)}),
    ], "ana")  # fmt: skip
    return {"clean": clean, "named": named, "acknowledged": acknowledged}


def test_held_quotes_are_those_with_an_unacknowledged_finding(
    store: Store, make_returns: Callable[..., Returns]
) -> None:
    from practitioner_survey.coding.quote_guard import held_quotes

    ids = quote_store(store, make_returns)
    held = held_quotes(store, 2017)
    assert [(h.comment_id, h.question, h.summary) for h in held] == [(ids["named"], "other_comments", "1 name")]
    assert "Jade" not in held[0].line() and str(ids["named"]) in held[0].line()


def test_an_edit_after_the_acknowledgement_holds_the_quote_back_again(
    store: Store, make_returns: Callable[..., Returns]
) -> None:
    from practitioner_survey.coding.quote_guard import held_quotes

    ids = quote_store(store, make_returns)
    log = store.decisions(2017)
    payload = log[log["comment_id"] == ids["acknowledged"]]["payload"].iloc[-1]
    edited = {**payload, "anonymised": NAMED.replace("14", "15")}  # the acknowledged text changed
    store.record([Decision(2017, ids["acknowledged"], "other_comments", "ana", "quote", payload=edited)], "ana")
    assert {h.comment_id for h in held_quotes(store, 2017)} == {ids["named"], ids["acknowledged"]}


def test_the_report_leaves_out_held_quotes_and_prints_acknowledged_ones(
    store: Store, make_returns: Callable[..., Returns]
) -> None:
    from practitioner_survey.report.build import build_report

    ids = quote_store(store, make_returns)
    store.record([Decision(2017, i, "other_comments", "ana", "code", "other") for i in ids.values()], "ana")
    report = build_report(store, 2017)
    printed = [q.text for s in report.questions for c in s.details for q in c.quotes]
    assert sorted(printed) == sorted(["Longer funding.", NAMED])  # the acknowledged one, once; never the held one
    assert [h.comment_id for h in report.held_quotes] == [ids["named"]]


def test_survey_check_lists_held_quotes_by_id_and_kind_never_the_text(
    store: Store, make_returns: Callable[..., Returns], db_path: Path
) -> None:
    ids = quote_store(store, make_returns)
    result = CliRunner().invoke(app, ["--db", str(db_path), "check"])
    assert result.exit_code == 0, result.output
    assert f"comment {ids['named']} (other_comments): still holds 1 name" in result.output
    assert f"comment {ids['acknowledged']} " not in result.output and "Jade" not in result.output
    assert "1 confirmed quote(s) held back" in result.output


def test_the_quote_editor_says_what_was_replaced_and_a_second_enter_confirms_a_text_with_findings() -> None:
    from test_code_screen import Draft, FakeSession, Item, item

    from practitioner_survey.cli.code_keys import ScreenState
    from practitioner_survey.errors import SurveyError

    class Guarded(FakeSession):
        def quote_draft(self, it: Item) -> Draft:
            return Draft(it.comment_id, it.answer, "Our client *** waited.", "1 name")

        def confirm_quote(self, it: Item, text: str, acknowledged: bool = False) -> None:
            if "Jade" in text and not acknowledged:
                raise SurveyError("the quote still holds 1 name the anonymiser would replace")
            self.calls.append(("quote", it.comment_id, text, acknowledged))

    session = Guarded([item(1, "Our client Jade waited.")])
    state = ScreenState(session)
    state.handle_key("q")
    assert state.mode == "quote" and "*** replaced 1 name" in state.message and "Jade" not in state.message
    for key in ["left"] * len(" waited.") + ["backspace"] * 3 + list("Jade"):  # the analyst types the name back
        state.handle_key(key)
    assert state.edit_text == "Our client Jade waited."
    state.handle_key("enter")
    assert state.mode == "quote" and state.error and "1 name" in state.message
    state.handle_key("enter")
    assert state.mode == "code" and session.calls[-1] == ("quote", 1, "Our client Jade waited.", True)


def test_survey_build_lists_held_quotes_and_prints_only_the_acknowledged_one(
    store: Store, make_returns: Callable[..., Returns], db_path: Path, tmp_path: Path
) -> None:
    ids = quote_store(store, make_returns)
    store.record([Decision(2017, i, "other_comments", "ana", "code", "other") for i in ids.values()], "ana")
    out = tmp_path / "build"
    result = CliRunner().invoke(app, ["--db", str(db_path), "build", "2017", "--out", str(out), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert f"quote held back: comment {ids['named']} (other_comments): still holds 1 name" in result.output
    assert "1 confirmed quote(s) not printed" in result.output and "Jade" not in result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("Our client Jade") == 1 and "Longer funding." in html  # the acknowledged quote, once


def test_a_quote_in_capitals_is_read_in_lower_case_too() -> None:
    found = Anonymiser().findings("OUR CLIENT TAMARA RANG FROM WIGAN ON 07700 900123. HOPE IS ALL WE HAVE.")
    text = "OUR CLIENT TAMARA RANG FROM WIGAN ON 07700 900123. HOPE IS ALL WE HAVE."
    assert [(text[f.start : f.end], f.kind) for f in found] == [
        ("TAMARA", "name"),
        ("WIGAN", "place"),
        ("07700 900123", "phone"),
    ]
