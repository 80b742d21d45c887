"""replay: read coded comments, simulate an analyst with a model, and the `survey replay` command."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.codebook import Codebook, load_codebook
from practitioner_survey.coding import replay as replay_module
from practitioner_survey.coding.replay import Learner, ReplayResult, bundled_examples, read_coded, replay
from practitioner_survey.coding.suggest import Example
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


class FixedOrderLearner(Learner):
    """Always ranks FIXED_ORDER; records what it was shown, to check it never learns a comment before ranking it."""

    instances: ClassVar[list[FixedOrderLearner]] = []

    def __init__(self, codebook: Codebook, prior: Sequence[Example]) -> None:
        self.prior = list(prior)
        self.events: list[tuple[str, str]] = []
        self.learned: set[str] = set()
        FixedOrderLearner.instances.append(self)

    def rank(self, text: str) -> list[str]:
        assert text not in self.learned, f"asked to rank {text!r} after learning it"
        self.events.append(("rank", text))
        return list(FIXED_ORDER)

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
    assert result == ReplayResult("other_comments", 8, 2 / 8, 5 / 8)
    assert result.as_dict() == {"question": "other_comments", "n": 8, "top1": 0.25, "top3": 0.625}


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
    assert json.loads(lines[0]) == {"question": "other_comments", "n": 12, "top1": 0.0833, "top3": 0.25}
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
