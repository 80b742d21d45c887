"""The codebook's patterns alone as a classifier: python bench/patterns.py [REAL_PATH] [--json]

Each comment gets the category with most pattern hits (its own patterns and its subcategories'); ties and comments
with no hit go to the earliest category in codebook order. Per question and pooled, for the synthetic dev set
(responses/2017/comments-2017.jsonl, `category_id`) and the real comments ({"question", "category": LABEL as
printed, "text"} per line; by default ../shared/reference/real-comments-dev.jsonl beside the repository, read here
at run time and never copied): n, top-1, coverage (comments with any pattern hit), top-1 among those covered, and
`first`, the top-1 of always answering the first category (what the fallback alone scores), and `truth_hit`, the
share whose true category is among those hit (what patterns could offer a model as a feature). Labels that match no
category are counted, never shown; nothing of the comments is printed but counts and measures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Iterable
from pathlib import Path

if importlib.util.find_spec("practitioner_survey") is None:  # run from a checkout without `pip install -e`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from practitioner_survey.codebook import Codebook, load_codebook
from practitioner_survey.coding.patterns import PatternMatcher, classify

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC = ROOT / "responses" / "2017" / "comments-2017.jsonl"
REAL = ROOT.parent / "shared" / "reference" / "real-comments-dev.jsonl"
QUESTIONS = ("biggest_difference", "survivor_challenges", "other_comments")


def read_synthetic(path: Path) -> list[tuple[str, str, str]]:
    """(question, category id, text) of each coded comment."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["question"], r["category_id"], r["text"]) for r in rows if r.get("category_id")]


def read_real(path: Path, books: dict[str, Codebook]) -> tuple[list[tuple[str, str, str]], int]:
    """(question, category id, text) of each comment whose printed label matches a category; and how many did not."""
    out, unmatched = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        book = books.get(row["question"])
        category = book.match_label(row["category"]) if book is not None else None
        if category is None:
            unmatched += 1
        else:
            out.append((row["question"], category.id, row["text"]))
    return out, unmatched


def measure(rows: Iterable[tuple[str, str, str]], books: dict[str, Codebook]) -> dict[str, dict[str, float]]:
    """Per question and pooled: n, top1, coverage, top1_covered, first, truth_hit."""
    tallies: dict[str, list[int]] = {}  # n, right, covered, right among covered, first right, truth hit
    matchers = {q: PatternMatcher(b) for q, b in books.items()}
    grouped: dict[str, list[tuple[str, str]]] = {}
    for question, category_id, text in rows:
        grouped.setdefault(question, []).append((category_id, text))
    for question, items in grouped.items():
        book = books[question]
        hits_each = matchers[question].find_many(text for _, text in items)
        for (truth, _), hits in zip(items, hits_each, strict=True):
            right = classify(hits, book) == truth
            for key in (question, "pooled"):
                t = tallies.setdefault(key, [0, 0, 0, 0, 0, 0])
                t[0] += 1
                t[1] += right
                t[2] += bool(hits)
                t[3] += bool(hits) and right
                t[4] += truth == book.categories[0].id
                t[5] += any(hit.category_id == truth for hit in hits)
    return {
        key: {
            "n": n,
            "top1": r / n,
            "coverage": c / n,
            "top1_covered": rc / c if c else 0.0,
            "first": f / n,
            "truth_hit": th / n,
        }
        for key, (n, r, c, rc, f, th) in tallies.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("real", nargs="?", type=Path, default=REAL, help="the real comments (JSON lines)")
    parser.add_argument("--json", action="store_true", help="print the measures as JSON")
    args = parser.parse_args(argv)
    books = {q: load_codebook(q, 2017) for q in QUESTIONS}
    patterns = {q: PatternMatcher(b).size for q, b in books.items()}
    results: dict[str, object] = {"patterns": patterns, "synthetic": measure(read_synthetic(SYNTHETIC), books)}
    if args.real.is_file():
        real, unmatched = read_real(args.real, books)
        results["real"] = measure(real, books)
        results["real_unmatched_labels"] = unmatched
    else:
        results["real"] = f"not found: {args.real}"
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"patterns per codebook: {patterns}")
    for name in ("synthetic", "real"):
        table = results[name]
        if not isinstance(table, dict):
            print(f"{name}: {table}")
            continue
        print(f"{name:<22} {'n':>4} {'top-1':>6} {'cover':>6} {'top-1|hit':>9} {'first':>6} {'truth hit':>9}")
        for key in (*QUESTIONS, "pooled"):
            if key in table:
                m = table[key]
                print(f"  {key:<20} {m['n']:>4} {m['top1']:>6.2f} {m['coverage']:>6.2f} "
                      f"{m['top1_covered']:>9.2f} {m['first']:>6.2f} {m['truth_hit']:>9.2f}")  # fmt: skip
    if results.get("real_unmatched_labels"):
        print(f"real comments whose label matched no category: {results['real_unmatched_labels']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
