"""bench/patterns.py: the patterns-only classifier's top-1 and coverage, per question and pooled, text never shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import bench_script

ROOT = Path(__file__).resolve().parents[1]


def test_measure_counts_top1_coverage_and_the_first_category_fallback(tmp_path: Path) -> None:
    bench = bench_script("patterns")
    books = {q: bench.load_codebook(q, 2017) for q in bench.QUESTIONS}
    rows = [
        {"question": "other_comments", "category": "Training", "text": "Our training courses were cancelled."},
        {"question": "other_comments", "category": "Policy", "text": "Nothing that any pattern names, Zebedee."},
        {"question": "other_comments", "category": "Funding/commissioning", "text": "Quite unmatched, Zebedee."},
        {"question": "other_comments", "category": "No such label", "text": "Zebedee"},
    ]
    path = tmp_path / "real.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    real, unmatched = bench.read_real(path, books)
    assert unmatched == 1 and [r[1] for r in real] == ["training", "policy", "funding-commissioning"]
    measured = bench.measure(real, books)
    assert measured["other_comments"] == pytest.approx(
        {"n": 3, "top1": 2 / 3, "coverage": 1 / 3, "top1_covered": 1.0, "first": 1 / 3, "truth_hit": 1 / 3}
    )
    assert measured["pooled"] == measured["other_comments"]


def test_the_script_prints_measures_and_never_the_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "real.jsonl"
    row = {"question": "biggest_difference", "category": "Housing options", "text": "Zebedee needs a refuge"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert bench_script("patterns").main([str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert "Zebedee" not in out
    results = json.loads(out)
    assert results["real"]["biggest_difference"] == {"n": 1, "top1": 1.0, "coverage": 1.0, "top1_covered": 1.0,
                                                      "first": 0.0, "truth_hit": 1.0}  # fmt: skip
    assert results["synthetic"]["pooled"]["n"] > 800
