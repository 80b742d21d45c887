"""Doubts (coding/doubts.py): the words the anonymiser leaves as written that may still be a person or place, shown
to the analyst to check, never replaced. Sentences of our own (synthetic), and the context sets' left-alone sentences
of tests/anonymise_context_cases.py, where flags must stay few and are counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from anonymise_cases import ORDINARY_SENTENCES
from anonymise_context_cases import BLOCKS, WORD_NAMES_AND_NICKNAMES, sentences

from practitioner_survey.coding import doubts
from practitioner_survey.coding.anonymise import Anonymiser
from practitioner_survey.coding.doubts import doubted


@pytest.fixture(scope="module")
def anonymiser() -> Anonymiser:
    return Anonymiser(["Harbour Outreach", "Truro"])


def check(anonymiser: Anonymiser, text: str) -> tuple[str, ...]:
    return doubted(text, anonymiser.doubts(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Will is not going to change, whatever the court says.", ("Will",)),
        ("Summer would not leave the flat without her cat.", ("Summer",)),
        ("Patience has been with us since the refuge closed.", ("Patience",)),
        ("Honestly the waiting list is long. Amber is doing well now.", ("Amber",)),
        ("Cliff never turned up to the contact centre.", ("Cliff",)),
        ("Miles left her with the rent arrears.", ("Miles",)),
        ("Harmony is doing better at her new school.", ("Harmony",)),
        ("We are all worried about Summer, who has stopped eating.", ("Summer",)),
        ("mtg today, bethan upset about contact", ("bethan",)),
        ("Vu Kim Oanh was found at a nail bar.", ("Vu",)),
        ("Mercy went back to him in the spring.", ("Mercy",)),
    ],
)
def test_doubts_name_the_words_the_rules_leave(anonymiser: Anonymiser, text: str, expected: tuple[str, ...]) -> None:
    found = anonymiser.findings(text)
    assert check(anonymiser, text) == expected
    for word in anonymiser.doubts(text, found):
        assert not any(f.start < word.end and word.start < f.end for f in found)  # never inside a replacement


@pytest.mark.parametrize(
    "text",
    [
        "Will the funding continue after March?",
        "May we have more Idvas, please?",
        "Hope is the only thing that keeps some of our women going.",
        "Summer is always our busiest time for referrals.",
        "Patience is wearing thin with the housing department.",
        "Grace periods for rent arrears would stop evictions.",
        "Frank conversations with commissioners are overdue.",
        "Dawn raids frighten the children more than anything.",
        "Clare's Law disclosures take eight weeks here.",
        "Ask for Ani is in every pharmacy in town.",
        "The Iris scheme in our practices is brilliant.",
        "She speaks Tigrinya and Kurmanji, and is Romany Gypsy.",
        "The hearing moved from January to August, then to March.",
        "Our women came from Sri Lanka and Sierra Leone.",
        "The NHS, the CPS and the Family Court all failed her.",
        "Sally Lunn Foods donated the hampers at Christmas.",
        "In May 2017 the Harbour Outreach team lost two Idvas.",
        "More needs to be done on prevention.",
        "Joy was what we felt when the order was granted.",
        "Rose petals were left on the refuge doorstep.",
        "Sister Agnes-Marie at the convent refers women to us.",
    ],
)
def test_doubts_flag_no_ordinary_word(anonymiser: Anonymiser, text: str) -> None:
    assert check(anonymiser, text) == ()


def test_the_bundled_comments_carry_almost_no_doubt(anonymiser: Anonymiser) -> None:
    """The synthetic bundled comments name nobody beyond what is replaced: at most one in a hundred carries a flag."""
    root = Path(__file__).resolve().parents[1] / "responses"
    texts = [json.loads(line)["text"] for path in sorted(root.glob("*/comments-*.jsonl")) for line in path.open()]
    flagged = sum(1 for text in texts if anonymiser.doubts(text))
    assert len(texts) > 1000 and flagged <= len(texts) // 100


def test_the_ordinary_sentences_carry_no_doubt(anonymiser: Anonymiser) -> None:
    flagged = [w.text for text in ORDINARY_SENTENCES for w in anonymiser.doubts(text)]
    assert flagged == []


def test_the_left_alone_sets_carry_few_doubts_and_these_ones(anonymiser: Anonymiser) -> None:
    """Of the 238 capitalised words of the left-alone sets, these five are flagged: names that are words with what
    a person does after them ("Iris has changed"), a Welsh word that is a name ("Mae"): the analyst checks them."""
    flagged = {
        name: [c.text[w.start : w.bare_end] for c in sentences(block) for w in anonymiser.doubts(c.text)]
        for name, block in BLOCKS.items()
        if "left alone" in name
    }
    assert flagged == {
        "left alone": ["Mae", "Iris"],
        "signs (round 5), left alone": [],
        "capitals and languages (round 7), left alone": ["Will", "Patience", "Faith"],
        "places and words (round 9), left alone": [],
    }


def test_doubts_raise_the_share_of_word_names_replaced_or_flagged(anonymiser: Anonymiser) -> None:
    """Most word names the rules leave ("Cliff never paid", "Miles left her") are flagged; those still missed are
    words in no names list ("Honey", "Heaven", "Sparrow") or a domain word ("Justice")."""
    planted = replaced = either = 0
    for case in sentences(WORD_NAMES_AND_NICKNAMES):
        found = anonymiser.findings(case.text)
        covered = {i for f in found for i in range(f.start, f.end)}
        flagged = covered | {i for w in anonymiser.doubts(case.text, found) for i in range(w.start, w.bare_end)}
        for start, end, _ in case.planted:
            planted += 1
            replaced += all(i in covered or not case.text[i].strip() for i in range(start, end))
            either += all(i in flagged or not case.text[i].strip() for i in range(start, end))
    assert planted == 65 and either >= replaced + 5 and either >= 59


def test_findings_never_compute_doubts(anonymiser: Anonymiser, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("doubts computed without being asked")

    monkeypatch.setattr(doubts, "doubter", refuse)
    assert [f.kind for f in anonymiser.findings("Our client Jade moved to Truro.")] == ["name", "place"]
    assert anonymiser.anonymise("Will is not going to change.").text == "Will is not going to change."
