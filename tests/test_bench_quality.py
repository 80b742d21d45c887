"""bench/quality.py --real: per question and pooled, unmatched labels counted, and nothing printed of the text."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import bench_script

from practitioner_survey.codebook import Codebook, load_codebook
from practitioner_survey.coding.replay import Learner, read_coded
from practitioner_survey.coding.suggest import Example

ROOT = Path(__file__).resolve().parents[1]


class FirstCategory(Learner):
    """Always suggests the codebook's first three categories, the first at 0.5."""

    def __init__(self, codebook: Codebook, prior: Sequence[Example]) -> None:
        self.ids = [c.id for c in codebook.categories][:3]

    def rank(self, text: str) -> list[tuple[str, float]]:
        return [(c, 0.5 if i == 0 else 0.1) for i, c in enumerate(self.ids)]

    def learn(self, text: str, category_id: str) -> None:
        pass


def test_quality_real_reports_per_question_and_pooled_and_counts_unmatched_labels_without_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    quality = bench_script("quality")
    lines = [
        {"question": "other_comments", "category": "funding / commissioning", "text": "Zebra grants stop in May."},
        {"question": "other_comments", "category": "Policy", "text": "Zebra strategy ignores rural areas."},
        {"question": "other_comments", "category": "No such label", "text": "Zebra unmatched comment."},
        {"question": "survivor_challenges", "category": "Lack of services", "text": "Zebra waiting lists."},
        {"question": "no_question", "category": "Policy", "text": "Zebra unknown question."},
    ]
    path = tmp_path / "real.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(quality, "REAL_RUNS", {"first": (FirstCategory, "codebook")})
    quality.main(["--real", str(path), "--json"])
    printed = capsys.readouterr().out
    assert "Zebra" not in printed
    rows = [json.loads(line) for line in printed.splitlines()]
    assert [(r.get("question"), r.get("n")) for r in rows[:-1]] == [
        ("survivor_challenges", 1),
        ("other_comments", 2),
        ("pooled", 3),
    ]
    assert rows[-1] == {"set": "real", "unmatched": {"other_comments": 1, "unknown question": 1}}
    other = rows[1]
    assert other["top1"] == 0.5  # the first category of other_comments is Funding/commissioning
    assert rows[2]["ece"] == pytest.approx(abs(rows[2]["top1"] - 0.5), abs=1e-4)  # every confidence 0.5
    quality.main(["--real", str(path)])
    table = capsys.readouterr().out
    assert "Zebra" not in table and "labels matching no category: 2" in table and "pooled" in table


# The realistic sets: their sizes, and the proportions the report gives per question (largest category first).
REALISTIC_SIZES = {"biggest_difference": 80, "survivor_challenges": 70, "other_comments": 40}
SET_SIZES = {"realistic": REALISTIC_SIZES, "realistic2": {"biggest_difference": 90, "survivor_challenges": 80,
                                                          "other_comments": 45}}  # fmt: skip
REPORT_LARGEST = {
    "biggest_difference": "Specialist services",
    "survivor_challenges": "Range of specialist services",
    "other_comments": "Funding/commissioning",
}


def realistic_lines(question: str, folder: str = "realistic") -> list[dict[str, str]]:
    path = ROOT / "bench" / folder / f"{question}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(("folder", "question"), [(f, q) for f in SET_SIZES for q in sorted(SET_SIZES[f])])
def test_realistic_set_parses_as_replay_reads_it_and_every_label_is_its_codebooks_exactly(
    folder: str, question: str
) -> None:
    codebook = load_codebook(question, 2017)
    lines = realistic_lines(question, folder)
    assert len(lines) == SET_SIZES[folder][question]
    assert all(set(line) == {"question", "category", "text"} for line in lines)
    assert {line["question"] for line in lines} == {question}
    labels = Counter(line["category"] for line in lines)
    assert set(labels) <= set(codebook.labels())  # exactly as printed, not merely matching
    # every category the report found for the question is present (other_comments' 84 needed no Other)
    expected = set(codebook.labels()) - ({"Other"} if question == "other_comments" else set())
    assert set(labels) == expected
    assert labels.most_common(1)[0][0] == REPORT_LARGEST[question]
    assert len(read_coded(ROOT / "bench" / folder / f"{question}.jsonl", codebook)) == len(lines)


def test_quality_realistic_prints_each_question_pooled_and_the_reliability_table_without_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    quality = bench_script("quality")
    monkeypatch.setattr(quality, "REAL_RUNS", {"first": (FirstCategory, "codebook")})
    quality.main(["--realistic", "--json"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r.get("question"), r.get("n"), r.get("set")) for r in rows[:-1]] == [
        ("biggest_difference", 80, "realistic"),
        ("survivor_challenges", 70, "realistic"),
        ("other_comments", 40, "realistic"),
        ("pooled", 190, "realistic"),
    ]
    quality.main(["--realistic"])
    table = capsys.readouterr().out
    assert "pooled" in table and "reliability of first, pooled:" in table
    texts = [line["text"] for question in REALISTIC_SIZES for line in realistic_lines(question)]
    assert not any(text in table for text in texts if len(text) >= 20)


def test_quality_realistic_reads_the_folder_given_and_prints_no_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    quality = bench_script("quality")
    monkeypatch.setattr(quality, "REAL_RUNS", {"first": (FirstCategory, "codebook")})
    quality.main(["--realistic", str(ROOT / "bench" / "realistic2"), "--json"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    sizes = SET_SIZES["realistic2"]
    assert [(r.get("question"), r.get("n")) for r in rows[:-1]] == [
        *((q, sizes[q]) for q in ("biggest_difference", "survivor_challenges", "other_comments")),
        ("pooled", sum(sizes.values())),
    ]
    quality.main(["--realistic", str(ROOT / "bench" / "realistic2")])
    table = capsys.readouterr().out
    assert table.startswith("realistic synthetic comments (bench/realistic2/") and "pooled" in table
    texts = [line["text"] for question in sizes for line in realistic_lines(question, "realistic2")]
    assert not any(text in table for text in texts if len(text) >= 20)


def test_quality_realistic_refuses_a_folder_without_the_question_files(tmp_path: Path) -> None:
    quality = bench_script("quality")
    with pytest.raises(SystemExit, match="cannot read"):
        quality.main(["--realistic", str(tmp_path)])
