"""bench/quality.py --real: per question and pooled, unmatched labels counted, and nothing printed of the text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import bench_script

from practitioner_survey.codebook import Codebook
from practitioner_survey.coding.replay import Learner
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
