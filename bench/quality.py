"""Suggestion quality by replay:
python bench/quality.py [--heldout | --real [PATH] | --realistic [DIR]] [--baseline] [--prior P] [--json]

Dev replay (the default): each question's bundled 2017 coded comments replayed in file order, the model starting
from the codebook and the bundled 2016 comments. This is the replay that settings may be chosen on.

`--heldout`: the comments in bench/heldout/, replayed as `survey replay QUESTION FILE` does (the model starting from
the codebook and every bundled comment). Those files are for a final check only: never choose a setting on them.

`--real [PATH]`: real practitioners' comments ({"question", "category": LABEL as printed, "text"} per line; by
default ../shared/reference/real-comments-dev.jsonl beside the repository), read here at run time and never copied:
per question and pooled, ours with each prior, the keyword baseline and TF-IDF + LR, and the reliability table of
ours (prior bundled) pooled. Labels are matched with the codebook's label matching; those that match no category
are counted, never shown. Nothing is printed of the comments but counts and measures.

`--realistic [DIR]`: the synthetic comments in DIR/QUESTION.jsonl (default bench/realistic/; bench/realistic2/ is a
second, independent set), written in practitioners' varied voice, independently of the banks and of any real comments,
each file read as `survey replay QUESTION FILE` reads it, replayed and printed as --real is. Like the held-out set, for
measuring only: never choose a setting on it.

Every line gives n, top-1, top-3 and the expected calibration error (ECE, 5 bins) of the first suggestion's
confidence; the dev and held-out lines also top-1 over successive fifths of each file.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter
from pathlib import Path

if importlib.util.find_spec("practitioner_survey") is None:  # run from a checkout without `pip install -e`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from practitioner_survey.codebook import load_codebook
from practitioner_survey.coding.replay import (
    BASELINES,
    Model,
    OurModel,
    ReplayResult,
    pool,
    prior_examples,
    read_coded,
    replay,
)
from practitioner_survey.errors import SurveyError
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS

ROOT = Path(__file__).resolve().parents[1]
DEV_YEAR = 2017
REAL = ROOT.parent / "shared" / "reference" / "real-comments-dev.jsonl"
REALISTIC = ROOT / "bench" / "realistic"


def dev_records(question: str) -> list[tuple[str, str]]:
    """(text, category id) of the bundled 2017 comments of a question, in file order."""
    path = ROOT / "responses" / str(DEV_YEAR) / f"comments-{DEV_YEAR}.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [(str(r["text"]), str(r["category_id"])) for r in records if r["question"] == question]


def row(result: ReplayResult, seconds: float) -> dict[str, object]:
    return {**result.as_dict(), "seconds": round(seconds, 1)}


def timed(question: str, records: list[tuple[str, str]], prior: str, model: Model) -> tuple[ReplayResult, float]:
    """One replay of a question's records, the model starting from the codebook and the prior as survey replay's."""
    codebook = load_codebook(question, DEV_YEAR)
    examples = prior_examples(question, codebook, prior, exclude=[t for t, _ in records])
    start = time.perf_counter()
    return replay(codebook, records, examples, model), time.perf_counter() - start


def evaluate(heldout: bool, model: Model = OurModel, prior: str = "bundled") -> list[dict[str, object]]:
    """One replay result (question, n, top1, top3, ece, reliability, fifths, seconds) per question."""
    out = []
    for question in FREE_TEXT_QUESTIONS:
        codebook = load_codebook(question, DEV_YEAR)
        if heldout:
            records = read_coded(ROOT / "bench" / "heldout" / f"{question}.jsonl", codebook)
            result, seconds = timed(question, records, prior, model)
        else:
            records = dev_records(question)
            examples = prior_examples(question, codebook, prior, before=DEV_YEAR)
            start = time.perf_counter()
            result = replay(codebook, records, examples, model)
            seconds = time.perf_counter() - start
        out.append(row(result, seconds))
    return out


def real_records(path: Path) -> tuple[dict[str, list[tuple[str, str]]], Counter[str]]:
    """Per question, (text, category id) of the real comments in file order; and per question the number of lines
    whose label matches no category of its codebook (or whose question is unknown, under its own name)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise SystemExit(f"cannot read the real comments at {path}: {exc.strerror}; pass --real PATH") from exc
    records: dict[str, list[tuple[str, str]]] = {q: [] for q in FREE_TEXT_QUESTIONS}
    unmatched: Counter[str] = Counter()
    codebooks = {q: load_codebook(q, DEV_YEAR) for q in FREE_TEXT_QUESTIONS}
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line)
        question = str(record.get("question", ""))
        if question not in codebooks:
            unmatched["unknown question"] += 1
            continue
        category = codebooks[question].match_label(str(record.get("category", "")))
        if category is None:
            unmatched[question] += 1
            continue
        records[question].append((str(record["text"]), category.id))
    return {q: r for q, r in records.items() if r}, unmatched


#: What --real replays, by name: (model, prior), ours with the default prior first (its reliability table is printed).
#: The keyword baseline never reads its prior.
REAL_RUNS: dict[str, tuple[Model, str]] = {
    "ours/bundled": (OurModel, "bundled"),
    "ours/codebook": (OurModel, "codebook"),
    "keyword": (BASELINES["keyword"], "codebook"),
    "tfidf_lr/bundled": (BASELINES["tfidf_lr"], "bundled"),
}


def realistic_records(folder: Path = REALISTIC) -> dict[str, list[tuple[str, str]]]:
    """Per question, (text, category id) of FOLDER/QUESTION.jsonl, read as survey replay reads a file."""
    try:
        return {q: read_coded(folder / f"{q}.jsonl", load_codebook(q, DEV_YEAR)) for q in FREE_TEXT_QUESTIONS}
    except SurveyError as exc:
        raise SystemExit(str(exc)) from exc


def evaluate_real(path: Path | None, folder: Path = REALISTIC) -> tuple[dict[str, list[ReplayResult]], Counter[str]]:
    """Per run of REAL_RUNS, one result per question of the real file (None: the realistic set in folder) and the
    pooled one last."""
    records, unmatched = real_records(path) if path is not None else (realistic_records(folder), Counter[str]())
    out: dict[str, list[ReplayResult]] = {}
    for name, (model, prior) in REAL_RUNS.items():
        results = [timed(question, found, prior, model)[0] for question, found in records.items()]
        out[name] = [*results, pool(results)]
    return out, unmatched


def print_real(path: Path | None, as_json: bool, folder: Path = REALISTIC) -> None:
    """The --real lines and reliability table; with path None, those of the realistic set in folder."""
    runs, unmatched = evaluate_real(path, folder)
    which = "real" if path is not None else "realistic"
    if as_json:
        for name, results in runs.items():
            for result in results:
                print(json.dumps({"model": name, "set": which, **result.as_dict()}))
        print(json.dumps({"set": which, "unmatched": dict(unmatched)}))
        return
    if path is None:
        shown = folder.resolve().relative_to(ROOT) if folder.resolve().is_relative_to(ROOT) else folder
        print(f"realistic synthetic comments ({shown.as_posix()}/, read as survey replay reads them)")
    else:
        print(f"real comments ({path.name}); labels matching no category: {sum(unmatched.values())} {dict(unmatched)}")
    print(f"{'model/prior':17} {'question':20} {'n':>4} {'top-1':>6} {'top-3':>6} {'ECE':>6}")
    for name, results in runs.items():
        for r in results:
            print(f"{name:17} {r.question:20} {r.n:4} {r.top1:6.3f} {r.top3:6.3f} {r.ece:6.3f}")
    first = next(iter(runs))  # ours with the default prior
    print(f"reliability of {first}, pooled:")
    print(f"{'confidence':10} {'n':>4} {'mean conf':>9} {'right':>6}")
    for b in runs[first][-1].bins:
        conf = "-" if b.confidence is None else f"{b.confidence:.3f}"
        right = "-" if b.accuracy is None else f"{b.accuracy:.3f}"
        print(f"{b.lower:.1f}-{b.upper:.1f}    {b.n:4} {conf:>9} {right:>6}")
    for name, results in runs.items():
        n_sure, sure_right = results[-1].sure
        print(f"{name}: {n_sure} first suggestions shown at 0.9 or more, right "
              f"{'-' if sure_right is None else f'{sure_right:.3f}'}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heldout", action="store_true", help="the final check on bench/heldout/ (never tune on it)")
    parser.add_argument(
        "--real", nargs="?", type=Path, const=REAL, default=None, metavar="PATH", help=f"real comments (default {REAL})"
    )
    parser.add_argument(
        "--realistic",
        nargs="?",
        type=Path,
        const=REALISTIC,
        default=None,
        metavar="DIR",
        help="a synthetic realistic set, DIR/QUESTION.jsonl (default bench/realistic/; never tune on it)",
    )
    parser.add_argument("--baseline", action="store_true", help="also the keyword and TF-IDF + LR baselines")
    parser.add_argument("--prior", choices=["bundled", "codebook"], default="bundled", help="dev and held-out only")
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    args = parser.parse_args(argv)
    if args.real is not None:
        print_real(args.real, args.json)
        return 0
    if args.realistic is not None:
        print_real(None, args.json, args.realistic)
        return 0
    models: list[tuple[str, Model]] = [("ours", OurModel), *(BASELINES.items() if args.baseline else [])]
    which = "held-out (bench/heldout)" if args.heldout else f"dev ({DEV_YEAR} bundled)"
    if not args.heldout and args.prior == "bundled":
        which = f"dev ({DEV_YEAR} bundled, prior {DEV_YEAR - 1})"
    for name, model in models:
        prior = "-" if name == "keyword" else args.prior  # the keyword baseline keeps to the codebook
        for result in evaluate(args.heldout, model, args.prior):
            if args.json:
                print(json.dumps({"model": name, "set": which, "prior": prior, **result}))
            else:
                fifths = " ".join("-" if f is None else f"{f:.2f}" for f in result["fifths"])  # type: ignore[attr-defined]
                print(f"{which:28} {name:8} {prior:8} {result['question']:20} n={result['n']:<4} "
                      f"top1={result['top1']:.3f} top3={result['top3']:.3f} ece={result['ece']:.3f} "
                      f"fifths {fifths} {result['seconds']} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
