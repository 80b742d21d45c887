"""A synthetic survey year of any size, for benchmarks: returns with free-text answers, and their coded comments.

    python bench/synthetic_year.py --services 10000 --comments 100000 --seed 1 --out DIR

writes DIR/returns.xlsx (bench/synthetic_returns.py's services and staffing, with answers to the three free-text
questions), DIR/comments.jsonl (every comment of those answers with its offsets and its code from the 2017
codebooks), DIR/load.toml, so that `survey load DIR` imports the year with its coded comments, and DIR/reference.csv
(the bundled 2017 recommended Idva levels, for `survey reference import`).

Comments are drawn from the project's text banks (practitioner_survey/synthetic/text/*.jsonl, written with their
categories), varied so that a large year is not the same few hundred sentences over and over: placeholders get
random towns, forces and service names, and some comments gain an opening ("Honestly,"), lose their final
stop, are lower-cased, or have one word mistyped. Answers join one or more comments the way the bundled years'
do (sentences, "Also, ...", semicolons, lists). Never drawn from bench/heldout/. The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

if importlib.util.find_spec("practitioner_survey") is None:  # run from a checkout without `pip install -e`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_returns import synthetic_tables, write_xlsx

from practitioner_survey.codebook import load_codebook
from practitioner_survey.returns import schema
from practitioner_survey.synthetic.freetext import bank, compose
from practitioner_survey.synthetic.places import PLACES

CODEBOOK_YEAR = 2017
SHARES = {"biggest_difference": 0.45, "survivor_challenges": 0.45, "other_comments": 0.10}
OPENINGS = ("Honestly, ", "I think ", "For us, ", "In our area, ", "Really ", "As always, ", "Overall, ")


@dataclass(frozen=True)
class BankComment:
    """A written comment of a text bank with its code (category and subcategory ids)."""

    text: str
    category_id: str
    subcategory_id: str


def bank_comments(question: str, years: Sequence[int] = (2016, 2017)) -> list[BankComment]:
    """The banks' comments for a question, coded with the 2017 codebook's ids."""
    codebook = load_codebook(question, CODEBOOK_YEAR)
    out = []
    for year in years:
        for record in bank(question, year):
            category = codebook.match_label(str(record["category"]))
            if category is None:
                raise ValueError(f"bank label {record['category']!r} not in the {question} codebook")
            sub = next((s for s in category.subcategories if s.label == record.get("subcategory")), None)
            out.append(BankComment(str(record["text"]), category.id, sub.id if sub else ""))
    return out


def vary(rng: np.random.Generator, text: str, place: str, force: str, service: str) -> str:
    """The comment as one more practitioner might write it."""
    text = text.replace("{PLACE}", place).replace("{FORCE}", force).replace("{SERVICE}", service)
    roll = rng.random(4)
    if roll[0] < 0.25:
        opening = OPENINGS[int(rng.integers(len(OPENINGS)))]
        text = opening + (text[0].lower() + text[1:] if text[:2].istitle() else text)
    if roll[1] < 0.2:
        text = text.rstrip(".!")
    if roll[2] < 0.1:
        text = text.lower()
    if roll[3] < 0.2:
        words = text.split(" ")
        long = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
        if long:
            i = long[int(rng.integers(len(long)))]
            j = int(rng.integers(1, len(words[i]) - 1))
            w = words[i]
            words[i] = w[: j - 1] + w[j] + w[j - 1] + w[j + 1 :]  # two letters swapped
            text = " ".join(words)
    return text


def comment_counts(rng: np.random.Generator, n_comments: int, n_services: int) -> dict[str, np.ndarray]:
    """Per question, the number of comments in each service's answer (0 for no answer); they sum to n_comments."""
    out = {}
    left = n_comments
    for i, (question, share) in enumerate(SHARES.items()):
        n_q = left if i == len(SHARES) - 1 else round(n_comments * share)
        left -= n_q
        n_answers = min(n_services, max(1, round(n_q / 2))) if n_q else 0
        counts = np.zeros(n_services, dtype=int)
        if n_answers:
            who = rng.choice(n_services, n_answers, replace=False)
            counts[who] = 1 + rng.multinomial(n_q - n_answers, np.full(n_answers, 1 / n_answers))
        out[question] = counts
    return out


def make_year(
    n_services: int,
    n_comments: int,
    seed: int,
    out_dir: Path,
    year: int = 2030,
    bank_years: Sequence[int] = (2016, 2017),
) -> Path:
    """Write returns.xlsx, comments.jsonl and load.toml for a synthetic year into out_dir; returns out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    services, staffing = synthetic_tables(n_services, seed)
    header = services[0]
    area_of: dict[object, str] = {}
    for row in staffing[1:]:
        area_of.setdefault(row[0], str(row[1]))
    counts = comment_counts(rng, n_comments, n_services)
    coded: list[dict[str, object]] = []
    for question, per_service in counts.items():
        pool = bank_comments(question, bank_years)
        column = header.index(question)
        for s in np.flatnonzero(per_service):
            row = services[s + 1]
            area = area_of[row[0]]
            towns = PLACES[area][1]
            picks = [pool[int(i)] for i in rng.integers(len(pool), size=int(per_service[s]))]
            texts = [vary(rng, p.text, towns[int(rng.integers(len(towns)))], area, str(row[1])) for p in picks]
            answer, spans = compose(rng, texts)
            row[column] = answer
            for p, (start, end) in zip(picks, spans, strict=True):
                coded.append({"service_id": row[0], "question": question, "start": start, "end": end,
                              "text": answer[start:end], "category_id": p.category_id,
                              "subcategory_id": p.subcategory_id, "quote": None})  # fmt: skip
    for row in services[1:]:  # a service that sent no return has no answers
        if row[header.index("response_mode")] in ("rolled_over", "other_source"):
            row[header.index("response_mode")] = "online"
    write_xlsx(out_dir / "returns.xlsx", {schema.SERVICES: services, schema.STAFFING: staffing})
    with (out_dir / "comments.jsonl").open("w", encoding="utf-8") as f:
        f.writelines(json.dumps(c, ensure_ascii=False) + "\n" for c in coded)
    reference = resources.files("practitioner_survey.reference").joinpath(f"recommended_idvas_{CODEBOOK_YEAR}.csv")
    (out_dir / "reference.csv").write_bytes(reference.read_bytes())  # `survey reference import` it for tables
    (out_dir / "load.toml").write_text(
        f'year = {year}\nreturns = "returns.xlsx"\ncoding = "comments.jsonl"\n', encoding="utf-8"
    )
    return out_dir


def read_comments(folder: Path) -> list[dict[str, object]]:
    """The coded comments make_year wrote."""
    lines = (Path(folder) / "comments.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=1000, help="number of services (default 1000)")
    parser.add_argument("--comments", type=int, default=2000, help="number of comments (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--year", type=int, default=2030, help="the year load.toml names (default 2030)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    args = parser.parse_args(argv)
    folder = make_year(args.services, args.comments, args.seed, args.out, args.year)
    print(f"{folder}: {args.services:,} services, {args.comments:,} coded comments, seed {args.seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
