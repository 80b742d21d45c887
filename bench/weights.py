"""The suggestions' evidence weights refitted by grid: python bench/weights.py [--top N] [--json]

Replays once, per question, the synthetic dev set (the bundled 2017 comments after the 2016 ones, prior bundled and
prior codebook) and the realistic set (bench/realistic/, both priors), as bench/quality.py does, and keeps each
comment's parts: the learnt model's calibrated probabilities, the near-copy term, and the codebook's evidence
(pattern hits with where they fall, keyword and meaning similarities). The replay learns the true code after each
comment whatever was suggested, so the parts do not depend on the weights, and any weighting can be scored
offline: per category LEARNT_WEIGHT x log p + PATTERN_WEIGHT x log1p(hits weighted by PATTERN_TAIL) +
KEYWORD_WEIGHT x keywords + MEANING_WEIGHT x meaning + near-copy, divided by FINAL_TEMPERATURE.

Prints, for the settings in use and the best of the grid (by mean top-1 over the four replays, then mean log
loss), top-1 per replay, then for each its best temperature by log loss over the four replays together with ECE
(5 bins) and the share right among first suggestions at 0.9 or more. Texts are read at run time; nothing of them
is printed. The held-out sets are never read here.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

if importlib.util.find_spec("practitioner_survey") is None:  # run from a checkout without `pip install -e`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from practitioner_survey.codebook import Codebook, load_codebook
from practitioner_survey.coding import evidence, suggest
from practitioner_survey.coding.replay import prior_examples, read_coded
from practitioner_survey.coding.suggest import Suggester
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS

ROOT = Path(__file__).resolve().parents[1]
DEV_YEAR = 2017

GRID = {
    "learnt": (0.05, 0.1, 0.2, 0.35),
    "pattern": (0.5, 0.75, 1.0, 1.5),
    "keyword": (1.0, 2.0, 3.0),
    "meaning": (1.0, 2.0, 3.0, 4.0),
    "tail": (1.0, 3.0, 6.0, 10.0, 20.0),
}
TEMPERATURES = tuple(np.round(np.arange(0.2, 0.71, 0.025), 3))


@dataclass
class Parts:
    """One replay's parts, a row per comment."""

    truth: np.ndarray  # category index
    learnt: np.ndarray  # calibrated learnt probabilities
    copies: np.ndarray  # the near-copy term (already weighted)
    keywords: np.ndarray
    meaning: np.ndarray
    hits: list[list[tuple[int, float]]]  # (category index, where in the comment) per pattern hit
    _cache: dict[float, np.ndarray] = field(default_factory=dict)

    def patterns(self, tail: float) -> np.ndarray:
        """Position-weighted hits per category, as CodebookEvidence.patterns with PATTERN_TAIL = tail."""
        if tail in self._cache:
            return self._cache[tail]
        out = np.zeros_like(self.keywords)
        for row, hits in enumerate(self.hits):
            for at, where in hits:
                out[row, at] += 1.0 / (1.0 + tail * where)
        self._cache[tail] = out
        return out


def replay_parts(codebook: Codebook, records: list[tuple[str, str]], prior: list[suggest.Example]) -> Parts:
    """Suggest-then-learn over the records, as replay.replay does, keeping each comment's parts."""
    from practitioner_survey.coding.features import normalise_text

    replayed = {normalise_text(text) for text, _ in records}
    model = Suggester(codebook, [e for e in prior if normalise_text(e.text) not in replayed])
    order = {c: at for at, c in enumerate(model.classes)}
    ev = model.evidence
    rows: dict[str, list[np.ndarray]] = {"learnt": [], "copies": [], "keywords": [], "meaning": []}
    hits: list[list[tuple[int, float]]] = []
    for text, category in records:
        prepared = model.prepare([text], remember=False)
        scores, _, near = model._scores(prepared.rows)
        rows["learnt"].append(model._calibrated(scores)[0])
        share = np.clip((near[0] - suggest.NEAR_FROM) / (1 - suggest.NEAR_FROM), 0, 1)
        rows["copies"].append(suggest.NEAR_WEIGHT * share)
        rows["keywords"].append(ev.keywords([text])[0])
        rows["meaning"].append(ev.meaning([text])[0])
        hits.append([(order[h.category_id], where) for h, where in ev._patterns.find_placed([text])[0]])
        model.learn(text, category)
    truth = np.array([order[c] for _, c in records])
    return Parts(truth, *(np.vstack(rows[k]) for k in ("learnt", "copies", "keywords", "meaning")), hits)


def logits(parts: Parts, w: dict[str, float], patterns: np.ndarray) -> np.ndarray:
    return (
        w["learnt"] * np.log(parts.learnt + 1e-3)
        + w["pattern"] * np.log1p(patterns)
        + w["keyword"] * parts.keywords
        + w["meaning"] * parts.meaning
        + parts.copies
    )


def measures(z: np.ndarray, truth: np.ndarray, temperature: float) -> dict[str, float]:
    """top1, top3, log loss, ECE (5 bins) and the share right at 0.9 or more, of logits z at a temperature."""
    s = z / temperature
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=1, keepdims=True)
    n = len(truth)
    first = p.argmax(axis=1)
    right = first == truth
    conf = p.max(axis=1)
    top3 = (np.argsort(-p, axis=1)[:, :3] == truth[:, None]).any(axis=1)
    bins = np.minimum((conf * 5).astype(int), 4)
    ece = 0.0
    for b in range(5):
        inside = bins == b
        if inside.any():
            ece += abs(conf[inside].mean() - right[inside].mean()) * inside.sum() / n
    sure = conf >= 0.9
    return {
        "top1": float(right.mean()),
        "top3": float(top3.mean()),
        "logloss": float(-np.log(np.clip(p[np.arange(n), truth], 1e-12, 1)).mean()),
        "ece": float(ece),
        "sure_n": int(sure.sum()),
        "sure_right": float(right[sure].mean()) if sure.any() else float("nan"),
    }


def replays() -> dict[str, list[Parts]]:
    """The four replays' parts, per question."""
    out: dict[str, list[Parts]] = {}
    for prior in ("bundled", "codebook"):
        dev, real = [], []
        for question in FREE_TEXT_QUESTIONS:
            codebook = load_codebook(question, DEV_YEAR)
            path = ROOT / "responses" / str(DEV_YEAR) / f"comments-{DEV_YEAR}.jsonl"
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            records = [(str(r["text"]), str(r["category_id"])) for r in rows if r["question"] == question]
            dev.append(replay_parts(codebook, records, prior_examples(question, codebook, prior, before=DEV_YEAR)))
            found = read_coded(ROOT / "bench" / "realistic" / f"{question}.jsonl", codebook)
            examples = prior_examples(question, codebook, prior, exclude=[t for t, _ in found])
            real.append(replay_parts(codebook, found, examples))
            print(f"replayed {question} ({prior})", file=sys.stderr)
        out[f"dev/{prior}"] = dev
        out[f"realistic/{prior}"] = real
    return out


def score(sets: dict[str, list[Parts]], w: dict[str, float], temperature: float) -> dict[str, dict[str, float]]:
    """Pooled measures per replay (the questions' comments together)."""
    out = {}
    for name, parts in sets.items():
        z = np.vstack([logits(p, w, p.patterns(w["tail"])) for p in parts])
        out[name] = measures(z, np.concatenate([p.truth for p in parts]), temperature)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=8, help="how many of the best settings to print")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--setting", action="append", default=[], metavar="L,P,K,M,TAIL", help="also print this setting (repeatable)"
    )
    parser.add_argument(
        "--temperature", type=float, default=suggest.FINAL_TEMPERATURE, help="the temperature the rows are scored at"
    )
    parser.add_argument(
        "--cache", type=Path, help="keep the replays' parts (figures only, no text) in this file, and reuse them"
    )
    args = parser.parse_args(argv)
    if args.cache is not None and args.cache.is_file():
        with args.cache.open("rb") as handle:
            sets = pickle.load(handle)
    else:
        sets = replays()
        if args.cache is not None:
            with args.cache.open("wb") as handle:
                pickle.dump(sets, handle)
    current = {
        "learnt": suggest.LEARNT_WEIGHT,
        "pattern": 1.0,
        "keyword": evidence.KEYWORD_WEIGHT,
        "meaning": evidence.MEANING_WEIGHT,
        "tail": evidence.PATTERN_TAIL,
    }
    temperature = args.temperature
    tried = []
    for values in itertools.product(*GRID.values()):
        w = dict(zip(GRID, values, strict=True))
        m = score(sets, w, temperature)
        tried.append((float(np.mean([x["top1"] for x in m.values()])), w, m))
    tried.sort(key=lambda t: -t[0])
    asked = [dict(zip(GRID, map(float, text.split(",")), strict=True)) for text in args.setting]
    shown = [(0.0, w, score(sets, w, temperature)) for w in [current, *asked]] + tried[: args.top]
    lines = []
    for _, w, m in shown:
        best_t = min(TEMPERATURES, key=lambda t: sum(x["logloss"] for x in score(sets, w, float(t)).values()))
        at_t = score(sets, w, float(best_t))
        lines.append({"weights": w, "at_current_temperature": m, "temperature": float(best_t), "at_best": at_t})
    if args.json:
        print(json.dumps({"current_temperature": temperature, "rows": lines}, indent=1))
        return 0
    names = list(sets)
    print(f"sets: {', '.join(names)}; first row: the weights in use; T {temperature} unless said")
    for i, line in enumerate(lines):
        w = line["weights"]
        m = line["at_current_temperature"]
        b = line["at_best"]
        tag = "in use" if i == 0 else "asked" if i <= len(asked) else f"#{i - len(asked)}"
        print(f"{tag:>6} L{w['learnt']} P{w['pattern']} K{w['keyword']} M{w['meaning']} tail{w['tail']}: top-1 "
              + " ".join(f"{m[n]['top1']:.3f}" for n in names)
              + " ece " + " ".join(f"{m[n]['ece']:.3f}" for n in names)
              + " sure " + " ".join(f"{m[n]['sure_n']}@{m[n]['sure_right']:.2f}" for n in names)
              + f" | best T {line['temperature']}: logloss " + " ".join(f"{b[n]['logloss']:.3f}" for n in names)
              + " ece " + " ".join(f"{b[n]['ece']:.3f}" for n in names)
              + " sure " + " ".join(f"{b[n]['sure_n']}@{b[n]['sure_right']:.2f}" for n in names))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
