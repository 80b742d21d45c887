"""Codebook patterns: matched on lemmas (`coding.patterns`), checked by `survey codebook check`, listed by `show`."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from practitioner_survey.cli import app
from practitioner_survey.codebook import Category, Codebook, Subcategory, check_codebook, load_codebook, save_codebook
from practitioner_survey.coding.patterns import PatternHit, PatternMatcher, classify, lemma_repeats
from practitioner_survey.errors import CodebookError

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "codebook"
QUESTIONS = ("biggest_difference", "survivor_challenges", "other_comments")


def book() -> Codebook:
    """A small made-up codebook: three categories, one with a subcategory."""
    work = Category(
        "perpetrators", 1, "Perpetrators", "Work with those who harm.", ("a", "b"),
        (Subcategory("programmes", 1, "programmes", "Group programmes.", ("a", "b"), ("perpetrator programme",)),),
        ("abuser",),
    )  # fmt: skip
    housing = Category("housing", 2, "Housing", "Somewhere safe to live.", ("a", "b"), (), ("refuge", "safe house"))
    sharing = Category("sharing", 3, "Sharing", "Agencies working together.", ("a", "b"), (), ("share information",))
    return Codebook("made_up", 2017, 2017, "A question?", 1, (work, housing, sharing))


def survey(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def edit_categories(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["categories"])  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


# ------------------------------------------------------------------------------------------------- matching


def test_plural_and_verb_forms_match_their_patterns_on_lemmas() -> None:
    hits = PatternMatcher(book()).find("Two Perpetrator Programmes, more refuges, and agencies shared information")
    assert hits == [
        PatternHit("perpetrators", "programmes", "perpetrator programme"),
        PatternHit("housing", None, "refuge"),
        PatternHit("sharing", None, "share information"),
    ]
    assert PatternMatcher(book()).find("Sharing information with abusers' refuge") == [
        PatternHit("sharing", None, "share information"),
        PatternHit("perpetrators", None, "abuser"),
        PatternHit("housing", None, "refuge"),
    ]


def test_words_that_only_contain_a_pattern_do_not_match() -> None:
    assert PatternMatcher(book()).find("refugee status and a safehouse sharing nothing") == []


def test_categories_groups_hits_and_classify_takes_the_most_hits_then_codebook_order() -> None:
    matcher, codebook = PatternMatcher(book()), book()
    found = matcher.categories("a refuge or a safe house for victims of an abuser")
    assert {cat: [h.pattern for h in hits] for cat, hits in found.items()} == {
        "housing": ["refuge", "safe house"],
        "perpetrators": ["abuser"],
    }
    assert classify(matcher.find("a refuge or a safe house for victims of an abuser"), codebook) == "housing"
    assert classify(matcher.find("a refuge and information shared with the abuser"), codebook) == "perpetrators"
    assert classify(matcher.find("they shared information, then found a refuge"), codebook) == "housing"
    assert classify([], codebook) == "perpetrators"
    assert matcher.find_many(["refuge", "nothing here"]) == [[PatternHit("housing", None, "refuge")], []]


def test_the_matcher_never_logs_or_prints_the_text(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "Zebedee Quixotic stayed in a refuge"
    with caplog.at_level(logging.DEBUG):
        matcher = PatternMatcher(book())
        matcher.find(secret)
        matcher.categories(secret)
        matcher.find_many([secret, secret])
    out, err = capsys.readouterr()
    assert "Zebedee" not in caplog.text + out + err
    assert all("Zebedee" not in str(record.args) for record in caplog.records)


# ------------------------------------------------------------------------------------------ the codebooks


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_shipped_category_and_subcategory_has_patterns_and_none_repeats_on_lemmas(question: str) -> None:
    codebook = load_codebook(question, 2017, SHIPPED)
    for cat in codebook.categories:
        assert cat.patterns, cat.id
        assert all(sub.patterns for sub in cat.subcategories), cat.id
    assert lemma_repeats(codebook) == []
    assert PatternMatcher(codebook).size == sum(
        len(c.patterns) + sum(len(s.patterns) for s in c.subcategories) for c in codebook.categories
    )


#: Comments in practitioners' own terms (written for this test), whose key words the 2017 codebooks' first patterns
#: lacked: legal and policy terms, benefits and immigration, thresholds, staffing, geography, monitoring.
PRACTITIONER_WORDS = [
    ("survivor_challenges", "Women with NRPF wait months for the Home Office to decide on the DDV concession",
     "financial-difficulties"),
    ("survivor_challenges", "Anyone assessed below the Marac threshold is screened out: they do not meet the criteria",
     "accessing-services"),
    ("survivor_challenges", "They are moved on to UC, and the five week wait leaves them at the food bank",
     "financial-difficulties"),
    ("survivor_challenges", "She has to tell her story again to every new professional and is retraumatised",
     "multi-agency-working"),
    ("biggest_difference", "DVPOs applied for at every eligible call-out and bail breaches acted on",
     "criminal-justice-system"),
    ("biggest_difference", "Tenders go to a national lead provider or a consortium; the cheapest bid wins",
     "commissioning"),
    ("biggest_difference", "We are understaffed and firefighting, caseloads are unmanageable", "increased-capacity"),
    ("biggest_difference", "Villages in the outlying parts of the county have no public transport to reach us",
     "accessibility-of-services"),
    ("biggest_difference", "Three year grants instead of year-to-year funding and redundancy notices every spring",
     "funding"),
    ("other_comments", "The VAWG strategy and the new bill should put a statutory duty on local authorities", "policy"),
    ("other_comments", "Paperwork, KPIs and monitoring take the time we should spend with clients",
     "challenges-providing-support"),
]  # fmt: skip


@pytest.mark.parametrize(("question", "text", "category_id"), PRACTITIONER_WORDS)
def test_the_shipped_patterns_place_practitioners_sector_terms(question: str, text: str, category_id: str) -> None:
    codebook = load_codebook(question, 2017, SHIPPED)
    hits = PatternMatcher(codebook).find(text)
    assert classify(hits, codebook) == category_id
    assert len({hit.pattern for hit in hits if hit.category_id == category_id}) >= 2  # more than one word agrees


def test_patterns_are_saved_on_one_line_and_load_back(tmp_path: Path) -> None:
    codebook = load_codebook("other_comments", 2017, SHIPPED)
    path = save_codebook(codebook, tmp_path / "2017" / "other_comments.yaml")
    assert "    patterns: [thank, no further comment]\n" in path.read_text(encoding="utf-8")  # a short list, one line
    assert load_codebook("other_comments", 2017, tmp_path) == codebook


def test_patterns_are_optional(tmp_path: Path) -> None:
    target = tmp_path / "2017" / "housing.yaml"
    path = save_codebook(book(), tmp_path / "2017" / "made_up.yaml")
    text = path.read_text(encoding="utf-8").replace("  patterns: [refuge, safe house]\n", "")
    target.write_text(text.replace("made_up", "housing"), encoding="utf-8")
    assert check_codebook(target) == []
    assert load_codebook("housing", 2017, tmp_path).by_id("housing").patterns == ()  # type: ignore[union-attr]


def test_loading_refuses_a_codebook_with_bad_patterns(books: Path) -> None:
    edit_categories(books / "2017" / "other_comments.yaml", lambda cats: cats[0].update(patterns="funding"))
    with pytest.raises(CodebookError, match="patterns must be a list of words or phrases"):
        load_codebook("other_comments", 2017)


def test_cli_check_lists_every_pattern_problem_at_once(books: Path) -> None:
    def spoil(cats: list[dict[str, object]]) -> None:
        cats[0]["patterns"] = ["funding", " ", "Funding", 42]
        cats[1]["patterns"] = "specialist"
        cats[1]["subcategories"][0]["patterns"] = ["tenders", "one two three four five six seven"]  # type: ignore[index]
        cats[2]["patterns"] = ["FUNDING"]

    edit_categories(books / "2017" / "other_comments.yaml", spoil)
    result = survey("codebook", "check")
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    where = "other_comments.yaml: category"
    for problem in (
        f"{where} 'Funding/commissioning': a pattern is empty or blank",
        f"{where} 'Funding/commissioning': pattern 'Funding' is repeated (also under category 'Funding/commissioning')",
        f"{where} 'Funding/commissioning': pattern 42 is not text",
        f"{where} 'Specialist services': patterns must be a list of words or phrases",
        f"{where} 'Specialist services', subcategory 'specific services': pattern 'one two three four five six "
        "seven' has more than 6 words",
        f"{where} 'Multi-agency working': pattern 'FUNDING' is also under category 'Funding/commissioning': a "
        "pattern may point to one category",
    ):
        assert problem in out
    assert "error: 6 problem(s) in 1 codebook file(s)" in out


def test_cli_check_lists_patterns_that_repeat_once_lemmatised(books: Path) -> None:
    def repeat(cats: list[dict[str, object]]) -> None:
        cats[1]["patterns"] = ["specialist service", "commissioners"]
        cats[3]["patterns"] = ["training", "trains"]

    edit_categories(books / "2017" / "other_comments.yaml", repeat)
    result = survey("codebook", "check")
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert (
        "category 'Specialist services': pattern 'commissioners' reads as 'commissioner' under category "
        "'Funding/commissioning' once words are reduced to their base forms: a pattern may point to one category"
    ) in out
    assert "category 'Training': pattern 'trains' repeats 'training' (category 'Training')" in out
    assert "error: 2 problem(s) in 1 codebook file(s)" in out


def test_cli_show_lists_the_patterns(books: Path) -> None:
    result = CliRunner().invoke(app, ["codebook", "show", "other_comments"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "patterns: funding, commissioning, commissioner" in result.output
    assert "patterns: cut, reduce, austerity" in result.output
