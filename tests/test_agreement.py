"""Agreement between coders (κ, α), disagreements, adjudication, and the two commands' wiring."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from conftest import SECRET, build_returns
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.coding.agreement import ANALYSTS, MODEL, adjudicate, agreement, disagreements, kappa_alpha
from practitioner_survey.errors import NotFoundError, SurveyError
from practitioner_survey.store.coding import Decision, NewComment
from practitioner_survey.store.core import Store

YEAR = 2017
Q = "biggest_difference"
FUNDING, HOUSING, CAPACITY = "funding", "housing-options", "increased-capacity"
#: (ann's primary code, bob's blind double coding, the model's first suggestion shown to ann)
CASE = [
    *[(FUNDING, FUNDING, FUNDING)] * 4,
    *[(HOUSING, HOUSING, HOUSING)] * 2,
    (FUNDING, HOUSING, FUNDING),
    (HOUSING, CAPACITY, CAPACITY),
    (CAPACITY, CAPACITY, FUNDING),
    (CAPACITY, FUNDING, CAPACITY),
]
runner = CliRunner()


def expected_kappa(pairs: Sequence[tuple[str, str]]) -> float:
    """Cohen's κ from the confusion counts: (observed - chance agreement) / (1 - chance agreement)."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[c] * second[c] for c in first) / n**2
    return (observed - chance) / (1 - chance)


def expected_alpha(pairs: Sequence[tuple[str, str]]) -> float:
    """Krippendorff's α, nominal, two coders, nothing missing: 1 - (n - 1) * Σ o_ck / Σ n_c n_k over c ≠ k."""
    values = Counter(v for pair in pairs for v in pair)
    n = sum(values.values())
    disagreeing = 2 * sum(a != b for a, b in pairs)  # each unit adds (a, b) and (b, a) to the coincidences
    expected = n**2 - sum(v * v for v in values.values())
    return 1 - (n - 1) * disagreeing / expected


def suggestion(category: str) -> list[dict[str, object]]:
    return [{"category_id": category, "label": category, "confidence": 0.6, "subcategory_id": ""}]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    """A year whose comments ann coded and bob double-coded as CASE says (and one double coding bob undid)."""
    path = tmp_path / "survey.db"
    with Store(path) as store:
        store.import_returns(YEAR, build_returns([("S1", "Derbyshire", {}), ("S2", "Derbyshire", {})]), {})
        ids = store.add_comments(YEAR, [NewComment("S1", Q, i, i + 10) for i in range(len(CASE))])
        for comment, (primary, double, shown) in zip(ids, CASE, strict=True):
            store.log([Decision(YEAR, comment, Q, "ann", "code", primary, suggestion=suggestion(shown))])
            store.log([Decision(YEAR, comment, Q, "bob", "code", double, payload={"double": True})])
        [extra] = store.add_comments(YEAR, [NewComment("S2", Q, 0, 8)])
        [first, _] = store.log(
            [Decision(YEAR, extra, Q, "ann", "code", FUNDING),
             Decision(YEAR, extra, Q, "bob", "code", HOUSING, payload={"double": True})]
        )  # fmt: skip
        store.log([Decision(YEAR, extra, Q, "bob", "undo", payload={"undoes": first + 1})])
    yield path


def test_analyst_agreement_matches_kappa_and_alpha_computed_from_the_confusion_counts(db: Path) -> None:
    with Store(db) as store:
        rows = {(r.question, r.comparison): r for r in agreement(store, YEAR)}
    analysts = rows[(Q, ANALYSTS)]
    pairs = [(a, b) for a, b, _ in CASE]
    assert analysts.n == 10 and analysts.pairs == ("ann / bob",)
    assert analysts.kappa == pytest.approx(expected_kappa(pairs)) == pytest.approx(0.516129, abs=1e-6)
    assert analysts.alpha == pytest.approx(expected_alpha(pairs)) == pytest.approx(0.540323, abs=1e-6)
    assert (analysts.disagreements, analysts.open) == (3, 3)
    empty = rows[("other_comments", ANALYSTS)]
    assert (empty.n, empty.kappa, empty.alpha) == (0, None, None)


def test_model_agreement_compares_the_first_suggestion_shown_with_each_decision(db: Path) -> None:
    with Store(db) as store:
        [model] = [r for r in agreement(store, YEAR, Q) if r.comparison == MODEL]
    pairs = [(m, a) for a, _, m in CASE]
    assert model.n == 10  # bob's blind codings had no suggestion shown; the bundled-style code had none either
    assert model.kappa == pytest.approx(expected_kappa(pairs))
    assert model.alpha == pytest.approx(expected_alpha(pairs))
    assert model.disagreements == 2


def test_a_single_category_throughout_leaves_kappa_and_alpha_undefined() -> None:
    assert kappa_alpha(["a", "a"], ["a", "a"]) == (None, None)
    assert kappa_alpha([], []) == (None, None)
    assert kappa_alpha(["a", "b"], ["a", "b"]) == (1.0, 1.0)


def test_disagreements_list_each_comment_with_both_codes(db: Path) -> None:
    with Store(db) as store:
        found = disagreements(store, YEAR)
    assert [(d.primary, d.double) for d in found] == [
        ((FUNDING, ""), (HOUSING, "")),
        ((HOUSING, ""), (CAPACITY, "")),
        ((CAPACITY, ""), (FUNDING, "")),
    ]
    assert {(d.primary_analyst, d.double_analyst, d.question, d.adjudicated) for d in found} == {
        ("ann", "bob", Q, None)
    }


def test_an_adjudication_becomes_the_current_code_and_closes_the_disagreement(db: Path) -> None:
    with Store(db) as store:
        first = disagreements(store, YEAR)[0]
        decision = adjudicate(store, YEAR, first.comment_id, 3, 1, "carol")
        codes = store.current_codes(YEAR, Q).set_index("comment_id")
        [analysts] = [r for r in agreement(store, YEAR, Q) if r.comparison == ANALYSTS]
        after = disagreements(store, YEAR, Q)[0]
    assert (decision.category_id, decision.subcategory_id) == (HOUSING, "refuge")
    current = codes.loc[first.comment_id]
    assert [current[c] for c in ("category_id", "subcategory_id", "analyst", "action")] == [
        HOUSING, "refuge", "carol", "adjudicate"
    ]  # fmt: skip
    assert after.adjudicated == (HOUSING, "refuge") and analysts.open == 2


def test_adjudication_refuses_unknown_keys_comments_and_an_unnamed_adjudicator(db: Path) -> None:
    with Store(db) as store:
        comment = disagreements(store, YEAR)[0].comment_id
        with pytest.raises(SurveyError, match="no category '42'"):
            adjudicate(store, YEAR, comment, 42, None, "carol")
        with pytest.raises(SurveyError, match="no subcategory '9'"):
            adjudicate(store, YEAR, comment, 3, 9, "carol")
        with pytest.raises(NotFoundError, match="no active comment 999"):
            adjudicate(store, YEAR, 999, 3, None, "carol")
        with pytest.raises(SurveyError, match="name who adjudicates"):
            adjudicate(store, YEAR, comment, 3, None, " ")
        assert adjudicate(store, YEAR, comment, "housing-options", "general", "carol").subcategory_id == "general"


# -- the commands --------------------------------------------------------------------------------------------


def test_survey_agreement_prints_kappa_alpha_n_and_disagreements_per_question(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "agreement", str(YEAR), "--question", Q])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "analyst vs analyst" in out and "model vs analyst" in out and "ann / bob" in out
    assert f"{expected_kappa([(a, b) for a, b, _ in CASE]):.3f}" in out
    assert f"{expected_alpha([(a, b) for a, b, _ in CASE]):.3f}" in out
    assert "3 (3 open)" in out
    assert SECRET not in out


def test_survey_agreement_refuses_an_unknown_question_and_a_missing_store(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "agreement", str(YEAR), "--question", "nope"])
    assert result.exit_code == 1 and "unknown question" in result.output
    result = runner.invoke(app, ["--db", str(tmp_path / "none.db"), "agreement", str(YEAR)])
    assert result.exit_code == 1 and "no store" in result.output


def test_survey_adjudicate_list_shows_ids_and_codes_but_text_only_when_asked(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "adjudicate", str(YEAR), "--list"])
    assert result.exit_code == 0, result.output
    assert "3 disagreement(s)" in result.output and "2 Funding (ann)" in result.output
    assert "told" not in result.output  # the disagreeing comments are slices of SECRET around "told"
    shown = runner.invoke(app, ["--db", str(db), "adjudicate", str(YEAR), "--list", "--show-text"])
    assert shown.exit_code == 0 and "told" in shown.output


def test_survey_adjudicate_logs_the_decision_and_needs_an_analyst(db: Path) -> None:
    with Store(db) as store:
        comment = disagreements(store, YEAR)[0].comment_id
    args = ["--db", str(db), "adjudicate", str(YEAR), str(comment), "3", "1"]
    refused = runner.invoke(app, args, env={"SURVEY_ANALYST": ""})
    assert refused.exit_code == 1 and "name who adjudicates" in refused.output
    result = runner.invoke(app, [*args, "--analyst", "carol"])
    assert result.exit_code == 0, result.output
    assert f"comment {comment} ({Q}) adjudicated as 3 Housing options / 1 refuge by carol" in result.output
    with Store(db) as store:
        assert store.current_codes(YEAR, Q).set_index("comment_id").loc[comment, "action"] == "adjudicate"
