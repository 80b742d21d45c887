"""replay: read coded comments, simulate an analyst with a model, and the `survey replay` command."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.codebook import Category, Codebook, Subcategory, load_codebook
from practitioner_survey.coding import replay as replay_module
from practitioner_survey.coding.replay import (
    KeywordModel,
    Learner,
    ReplayResult,
    bundled_examples,
    category_documents,
    pool,
    read_coded,
    replay,
)
from practitioner_survey.coding.suggest import Example, codebook_examples
from practitioner_survey.errors import SurveyError

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

#: Twelve new comments for other_comments, written for these tests (labels as a person might type them).
CODED = [
    ("Our grant is confirmed for twelve months at a time, so nobody can plan.", "Funding/commissioning"),
    ("The council cut our budget by a third this spring.", "funding/commissioning"),
    ("A worker for LGBT+ survivors would fill a real gap here.", "Specialist services"),
    ("The regional contract has swallowed the little local specialist team.", "SPECIALIST SERVICES"),
    ("Our Marac meets monthly and the list is far too long to discuss properly.", "Multi-agency working"),
    ("Partners here share information quickly and it shows.", "multi agency working"),
    ("Courses in London cost too much for us to send anyone.", "Training"),
    ("Caseloads are double what they should be; we need three more Idvas.", "Capacity"),
    ("Targets and paperwork are burning my colleagues out.", "Challenges to providing support"),
    ("Sessions on healthy relationships in every school, please.", "Prevention and awareness"),
    ("The new strategy from the county says nothing about children.", "Policy"),
    ("Thank you for running the survey again this year.", "Other"),
]


def write_jsonl(path: Path, lines: Sequence[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def other_comments() -> Codebook:
    return load_codebook("other_comments", 2017)


@pytest.fixture
def coded_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "coded.jsonl", [json.dumps({"text": t, "category": c}) for t, c in CODED])


# -- read_coded ----------------------------------------------------------------------------------------------


def test_read_coded_gives_text_and_category_id_in_file_order(coded_file: Path, other_comments: Codebook) -> None:
    records = read_coded(coded_file, other_comments)
    assert [text for text, _ in records] == [text for text, _ in CODED]
    assert [cat for _, cat in records][:4] == [
        "funding-commissioning",
        "funding-commissioning",
        "specialist-services",
        "specialist-services",
    ]
    assert records[9] == ("Sessions on healthy relationships in every school, please.", "prevention-awareness")


def test_read_coded_matches_labels_ignoring_case_spacing_and_apostrophe_style(tmp_path: Path) -> None:
    codebook = load_codebook("survivor_challenges", 2017)
    path = write_jsonl(
        tmp_path / "labels.jsonl",
        [
            json.dumps({"text": "Police do not see coercive control.", "category": "agencies’ understanding"}),
            json.dumps({"text": "Social workers blame mums.", "category": "AGENCIES' UNDERSTANDING"}),
            json.dumps({"text": "Starting again somewhere safe.", "category": "re-building lives safely"}),
            json.dumps({"text": "No refuge spaces.", "category": "  Lack of services "}),
        ],
    )
    ids = [category for _, category in read_coded(path, codebook)]
    expected = [
        codebook.match_label("Agencies' understanding"),
        codebook.match_label("Agencies' understanding"),
        codebook.match_label("Re-building lives safely"),
        codebook.match_label("Lack of services"),
    ]
    assert all(c is not None for c in expected)
    assert ids == [c.id for c in expected if c is not None]


def test_read_coded_reports_every_bad_line_in_one_error(tmp_path: Path, other_comments: Codebook) -> None:
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        [
            json.dumps({"text": "Fine line.", "category": "Policy"}),
            "{not json",
            json.dumps({"text": "Unknown label.", "category": "Housing options"}),
            "",
            json.dumps({"text": "No category here."}),
            "[1, 2]",
        ],
    )
    with pytest.raises(SurveyError) as caught:
        read_coded(path, other_comments)
    message = str(caught.value)
    assert "line 1" not in message
    assert "line 2" in message and "line 5" in message and "line 6" in message
    assert "line 3: 'Housing options' is not a category of the other_comments codebook" in message
    assert "line 4" not in message  # a blank line is skipped, not a problem


def test_read_coded_refuses_a_file_with_no_comments(tmp_path: Path, other_comments: Codebook) -> None:
    path = write_jsonl(tmp_path / "empty.jsonl", ["", "  "])
    with pytest.raises(SurveyError, match="no coded comments"):
        read_coded(path, other_comments)


# -- replay with a fake learner ------------------------------------------------------------------------------

FIXED_ORDER = ["policy", "training", "capacity", "other", "funding-commissioning"]
FIXED_CONFIDENCE = [0.9, 0.05, 0.03, 0.01, 0.01]  # the first suggestion always shows 0.9


class FixedOrderLearner(Learner):
    """Always ranks FIXED_ORDER; records what it was shown, to check it never learns a comment before ranking it."""

    instances: ClassVar[list[FixedOrderLearner]] = []

    def __init__(self, codebook: Codebook, prior: Sequence[Example]) -> None:
        self.prior = list(prior)
        self.events: list[tuple[str, str]] = []
        self.learned: set[str] = set()
        FixedOrderLearner.instances.append(self)

    def rank(self, text: str) -> list[tuple[str, float]]:
        assert text not in self.learned, f"asked to rank {text!r} after learning it"
        self.events.append(("rank", text))
        return list(zip(FIXED_ORDER, FIXED_CONFIDENCE, strict=True))

    def learn(self, text: str, category_id: str) -> None:
        self.events.append(("learn", text))
        self.learned.add(text)


@pytest.fixture
def learner_class() -> type[FixedOrderLearner]:
    FixedOrderLearner.instances = []
    return FixedOrderLearner


def test_replay_counts_top1_and_top3_exactly(other_comments: Codebook, learner_class: type[FixedOrderLearner]) -> None:
    records = [
        ("a", "policy"),  # first: top-1 and top-3
        ("b", "training"),  # second: top-3
        ("c", "capacity"),  # third: top-3
        ("d", "other"),  # fourth: neither (only the first three count)
        ("e", "funding-commissioning"),  # fifth: neither
        ("f", "policy"),  # top-1 and top-3
        ("g", "specialist-services"),  # not ranked at all
        ("h", "training"),  # top-3
    ]
    result = replay(other_comments, records, [], learner_class)
    right = (True, False, False, False, False, True, False, False)
    assert result == ReplayResult("other_comments", 8, 2 / 8, 5 / 8, (0.9,) * 8, right)
    measures = result.as_dict()
    assert {k: measures[k] for k in ("question", "n", "top1", "top3")} == {
        "question": "other_comments",
        "n": 8,
        "top1": 0.25,
        "top3": 0.625,
    }
    assert measures["ece"] == 0.65  # all eight in the 0.8-1.0 bin: |0.25 - 0.9|
    assert measures["fifths"] == [1.0, 0.0, 0.0, 0.5, 0.0]  # parts of 1, 2, 1, 2 and 2 comments
    assert measures["sure"] == {"at": 0.9, "n": 8, "right": 0.25}  # every first suggestion shown at 0.9


def test_replay_ranks_each_comment_before_learning_it_in_file_order(
    other_comments: Codebook, learner_class: type[FixedOrderLearner]
) -> None:
    records = [("first comment", "policy"), ("second comment", "other"), ("third comment", "training")]
    done: list[int] = []
    replay(other_comments, records, [Example("earlier", "policy")], learner_class, progress=done.append)
    [learner] = learner_class.instances
    assert learner.events == [
        ("rank", "first comment"),
        ("learn", "first comment"),
        ("rank", "second comment"),
        ("learn", "second comment"),
        ("rank", "third comment"),
        ("learn", "third comment"),
    ]
    assert learner.prior == [Example("earlier", "policy")]
    assert done == [1, 2, 3]


# -- survey replay -------------------------------------------------------------------------------------------


def test_survey_replay_json_prints_one_object_with_question_n_top1_and_top3(
    coded_file: Path, monkeypatch: pytest.MonkeyPatch, learner_class: type[FixedOrderLearner]
) -> None:
    # The real suggester takes ~4 s to start and ~0.5 s per comment on a busy machine; the wiring is what is tested.
    monkeypatch.setattr(replay_module, "OurModel", learner_class)
    result = runner.invoke(app, ["replay", "other_comments", str(coded_file), "--json"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    # Of the twelve, only Policy is ranked first; Training and Capacity are the other two in the top three.
    out = json.loads(lines[0])
    assert {k: out[k] for k in ("question", "n", "top1", "top3")} == {
        "question": "other_comments",
        "n": 12,
        "top1": 0.0833,
        "top3": 0.25,
    }
    assert out["prior"] == "bundled" and "baselines" not in out and "baseline" not in out
    # Every first suggestion shows 0.9, one in twelve right (the eleventh comment, in the last fifth).
    assert out["ece"] == round(0.9 - 1 / 12, 4)
    assert [b["n"] for b in out["reliability"]] == [0, 0, 0, 0, 12]
    assert out["reliability"][4] == {"bin": "0.8-1.0", "n": 12, "confidence": 0.9, "accuracy": 0.0833}
    assert out["fifths"] == [0.0, 0.0, 0.0, 0.0, 0.3333]
    [learner] = learner_class.instances
    assert [text for kind, text in learner.events if kind == "learn"] == [text for text, _ in CODED]


def test_survey_replay_of_an_unknown_question_exits_1_with_an_error_line(coded_file: Path) -> None:
    result = runner.invoke(app, ["replay", "other_remarks", str(coded_file), "--json"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "other_remarks" in errors[0]
    assert result.stdout == ""


def test_survey_replay_with_bad_lines_exits_1_naming_them(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", ["{oops", json.dumps({"text": "x", "category": "Nope"})])
    result = runner.invoke(app, ["replay", "other_comments", str(path)])
    assert result.exit_code == 1
    [error] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "line 1" in error and "line 2" in error


def spy_on_prior(monkeypatch: pytest.MonkeyPatch, learner_class: type[FixedOrderLearner]) -> list[Sequence[Example]]:
    """Make `survey replay` run the fixed-order learner and record the prior it is given."""
    priors: list[Sequence[Example]] = []

    def spy(codebook, records, prior, model, progress=None):  # type: ignore[no-untyped-def]
        priors.append(prior)
        return replay(codebook, records, prior, learner_class, progress)

    monkeypatch.setattr(replay_module, "replay", spy)
    return priors


def test_the_prior_never_includes_the_replayed_files_new_comments(
    coded_file: Path, other_comments: Codebook, monkeypatch: pytest.MonkeyPatch, learner_class: type[FixedOrderLearner]
) -> None:
    priors = spy_on_prior(monkeypatch, learner_class)
    result = runner.invoke(app, ["replay", "other_comments", str(coded_file), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["n"] == len(CODED)
    file_texts = {text for text, _ in CODED}
    [prior] = priors
    assert len(prior) > 0  # the bundled comments are there
    assert file_texts.isdisjoint(e.text for e in prior)
    assert file_texts.isdisjoint(e.text for e in bundled_examples("other_comments", other_comments))


def test_the_prior_leaves_out_the_replayed_file_even_when_it_repeats_bundled_comments(
    tmp_path: Path, other_comments: Codebook, monkeypatch: pytest.MonkeyPatch, learner_class: type[FixedOrderLearner]
) -> None:
    bundled = [
        json.loads(line)
        for line in (ROOT / "responses/2017/comments-2017.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    labels = {c.id: c.label for c in other_comments.categories}
    chosen = [r for r in bundled if r["question"] == "other_comments"][:10]
    path = write_jsonl(
        tmp_path / "bundled-2017.jsonl",
        [json.dumps({"text": r["text"], "category": labels[r["category_id"]]}) for r in chosen],
    )
    priors = spy_on_prior(monkeypatch, learner_class)
    result = runner.invoke(app, ["replay", "other_comments", str(path), "--json"])
    assert result.exit_code == 0, result.output
    [prior] = priors
    leaked = {r["text"] for r in chosen} & {e.text for e in prior}
    assert not leaked, (
        f"BUG: {len(leaked)} of the replayed file's comments are in the prior: `survey replay` passes every bundled "
        "year (2017 included) although its help says the model starts 'never from FILE' and replay.py says "
        "'bundled coded comments of earlier years'"
    )


# -- priors, baselines and the new measures ------------------------------------------------------------------


class SecondChoiceLearner(FixedOrderLearner):
    """Ranks FIXED_ORDER from its second entry, showing 0.3 for the first suggestion: a stand-in for TF-IDF + LR."""

    def rank(self, text: str) -> list[tuple[str, float]]:
        super().rank(text)
        return [(c, 0.3) for c in FIXED_ORDER[1:4]]


def test_survey_replay_prior_codebook_starts_from_the_codebook_alone_without_reading_the_bundled_comments(
    coded_file: Path, other_comments: Codebook, monkeypatch: pytest.MonkeyPatch, learner_class: type[FixedOrderLearner]
) -> None:
    def refuse(*args: object, **kwargs: object) -> list[Example]:
        raise AssertionError("--prior codebook read the bundled comments")

    monkeypatch.setattr(replay_module, "OurModel", learner_class)
    monkeypatch.setattr(replay_module, "bundled_examples", refuse)
    result = runner.invoke(app, ["replay", "other_comments", str(coded_file), "--json", "--prior", "codebook"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["prior"] == "codebook"
    assert out["prior_examples"] == len(codebook_examples(other_comments)) > 0
    [learner] = learner_class.instances
    assert learner.prior == []


def test_survey_replay_prior_bundled_starts_from_more_than_the_codebook(
    coded_file: Path, other_comments: Codebook, monkeypatch: pytest.MonkeyPatch, learner_class: type[FixedOrderLearner]
) -> None:
    monkeypatch.setattr(replay_module, "OurModel", learner_class)
    result = runner.invoke(app, ["replay", "other_comments", str(coded_file), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    [learner] = learner_class.instances
    assert out["prior"] == "bundled" and len(learner.prior) > 0
    assert out["prior_examples"] == len(codebook_examples(other_comments)) + len(learner.prior)


def test_survey_replay_with_a_wrong_prior_exits_1_with_one_error_line(coded_file: Path) -> None:
    result = runner.invoke(app, ["replay", "other_comments", str(coded_file), "--prior", "everything"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "everything" in errors[0] and "codebook" in errors[0]
    assert result.stdout == ""


def test_survey_replay_baseline_json_gives_each_baselines_measures_and_keeps_the_baseline_key(
    coded_file: Path, monkeypatch: pytest.MonkeyPatch, learner_class: type[FixedOrderLearner]
) -> None:
    monkeypatch.setattr(replay_module, "OurModel", learner_class)
    monkeypatch.setitem(replay_module.BASELINES, "tfidf_lr", SecondChoiceLearner)
    result = runner.invoke(app, ["replay", "other_comments", str(coded_file), "--json", "--baseline"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out["baselines"]) == {"keyword", "tfidf_lr"}
    for measures in out["baselines"].values():
        assert set(measures) == {"top1", "top3", "ece", "reliability", "sure", "fifths"}
        assert len(measures["reliability"]) == 5 and len(measures["fifths"]) == 5
        assert sum(b["n"] for b in measures["reliability"]) == len(CODED)
    lr = out["baselines"]["tfidf_lr"]
    # Training first: the seventh comment; top three Training, Capacity, Other: three comments; all shown at 0.3.
    assert lr["top1"] == 0.0833 and lr["top3"] == 0.25
    assert lr["ece"] == round(0.3 - 1 / 12, 4)
    assert [b["n"] for b in lr["reliability"]] == [0, 12, 0, 0, 0]
    assert out["baseline"] == {"top1": 0.0833, "top3": 0.25}
    assert lr["sure"] == {"at": 0.9, "n": 0, "right": None}  # nothing shown at 0.9 or more


def test_survey_replay_tables_show_every_models_measures_and_no_comment_text(
    coded_file: Path, monkeypatch: pytest.MonkeyPatch, learner_class: type[FixedOrderLearner]
) -> None:
    monkeypatch.setattr(replay_module, "OurModel", learner_class)
    monkeypatch.setitem(replay_module.BASELINES, "tfidf_lr", SecondChoiceLearner)
    result = runner.invoke(app, ["replay", "other_comments", str(coded_file), "--baseline"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for shown in ("ECE", "top-1 by fifths", "0.817", "0.8-1.0", "share right", "keyword", "tfidf_lr"):
        assert shown in result.stdout
    for row in ("suggester", "keyword", "tfidf_lr"):  # five reliability rows and one summary row per model
        assert sum(line.split("│")[1].strip() == row for line in result.stdout.splitlines() if "│" in line) == 6
    # the fixed learner shows 0.9 on all twelve, right on one; the second-choice one never reaches 0.9
    assert "suggester: 12 first suggestions shown at 90% or more, right 0.083" in result.stdout
    assert "tfidf_lr: 0 first suggestions shown at 90% or more, right -" in result.stdout
    assert not any(text[:20] in result.stdout for text, _ in CODED)


def tiny_codebook() -> Codebook:
    """Three categories with made-up codebook text."""
    return Codebook(
        "other_comments",
        2017,
        2017,
        "",
        1,
        (
            Category("money", 1, "Money", "Grants and budgets", ("annual funding round",)),
            Category("courts", 2, "Courts", "Hearings and judges", (), (Subcategory("bail", 1, "Bail", "Bail terms"),)),
            Category("housing", 3, "Housing", "Refuge rooms and tenancies", ("no refuge space",)),
        ),
    )


def test_keyword_baseline_ranks_first_the_category_whose_codebook_text_shares_the_comments_words() -> None:
    model = KeywordModel(tiny_codebook())
    assert model.rank("The judges keep changing the bail terms")[0][0] == "courts"  # a subcategory's words count
    assert model.rank("Not one refuge room free for weeks")[0][0] == "housing"
    ranked = model.rank("Another cut to our budgets")
    assert ranked[0][0] == "money"
    assert ranked[0][1] == 1.0  # no other category shares a word: all the similarity is Money's


def test_keyword_baseline_never_learns_and_shows_equal_shares_when_no_word_is_shared() -> None:
    model = KeywordModel(tiny_codebook())
    before = model.rank("Judges and hearings")
    model.learn("Judges and hearings", "money")
    assert model.rank("Judges and hearings") == before
    assert model.rank("zebra quantum") == [("money", 1 / 3), ("courts", 1 / 3), ("housing", 1 / 3)]


def test_category_documents_hold_labels_descriptions_examples_and_subcategories() -> None:
    money, courts, _ = category_documents(tiny_codebook())
    assert "annual funding round" in money and "Grants and budgets" in money
    assert "Bail" in courts and "Bail terms" in courts and "Hearings and judges" in courts


def test_pool_counts_every_comment_once_in_order() -> None:
    a = ReplayResult("a", 2, 0.5, 1.0, (0.9, 0.1), (True, False))
    b = ReplayResult("b", 1, 1.0, 1.0, (0.5,), (True,))
    pooled = pool([a, b])
    assert pooled == ReplayResult("pooled", 3, 2 / 3, 1.0, (0.9, 0.1, 0.5), (True, False, True))
