"""Suggestion quality by replay: python bench/quality.py [--heldout] [--baseline] [--json]

Dev replay (the default): each question's bundled 2017 coded comments replayed in file order, the model starting
from the codebook and the bundled 2016 comments. This is the replay that settings may be chosen on.

`--heldout`: the comments in bench/heldout/, replayed as `survey replay QUESTION FILE` does (the model starting from
the codebook and every bundled comment). Those files are for a final check only: never choose a setting on them.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

if importlib.util.find_spec("practitioner_survey") is None:  # run from a checkout without `pip install -e`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from practitioner_survey.codebook import load_codebook
from practitioner_survey.coding.replay import BaselineModel, Model, OurModel, bundled_examples, read_coded, replay
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS

ROOT = Path(__file__).resolve().parents[1]
DEV_YEAR = 2017


def dev_records(question: str) -> list[tuple[str, str]]:
    """(text, category id) of the bundled 2017 comments of a question, in file order."""
    path = ROOT / "responses" / str(DEV_YEAR) / f"comments-{DEV_YEAR}.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [(str(r["text"]), str(r["category_id"])) for r in records if r["question"] == question]


def evaluate(heldout: bool, model: Model = OurModel) -> list[dict[str, object]]:
    """One replay result (question, n, top1, top3, seconds) per question."""
    out = []
    for question in FREE_TEXT_QUESTIONS:
        codebook = load_codebook(question, DEV_YEAR)
        if heldout:
            records = read_coded(ROOT / "bench" / "heldout" / f"{question}.jsonl", codebook)
            prior = bundled_examples(question, codebook, exclude=[t for t, _ in records])
        else:
            records = dev_records(question)
            prior = bundled_examples(question, codebook, before=DEV_YEAR)
        start = time.perf_counter()
        result = replay(codebook, records, prior, model)
        out.append({**result.as_dict(), "seconds": round(time.perf_counter() - start, 1)})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heldout", action="store_true", help="the final check on bench/heldout/ (never tune on it)")
    parser.add_argument("--baseline", action="store_true", help="also TF-IDF + logistic regression refit each time")
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    args = parser.parse_args(argv)
    models: list[tuple[str, Model]] = [("ours", OurModel)] + ([("baseline", BaselineModel)] if args.baseline else [])
    which = "held-out (bench/heldout)" if args.heldout else f"dev ({DEV_YEAR} bundled, prior {DEV_YEAR - 1})"
    for name, model in models:
        for row in evaluate(args.heldout, model):
            if args.json:
                print(json.dumps({"model": name, "set": which, **row}))
            else:
                print(f"{which:28} {name:8} {row['question']:20} n={row['n']:<4} top1={row['top1']:.3f} "
                      f"top3={row['top3']:.3f} {row['seconds']} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
