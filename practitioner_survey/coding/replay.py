"""Replay: an analyst simulated from already-coded comments, to measure how often the model's suggestions are right.

For each comment, in file order, the model suggests, the 'analyst' codes it as the file says, and the model learns.
The model starts from the codebook and the bundled coded comments of earlier years (prior "bundled"), or from the
codebook alone (prior "codebook", as in a team's first year), never from the file itself. Besides top-1 and top-3,
each result keeps every first suggestion's shown confidence and whether it was right, for the calibration measures
of calibration.py. Two baselines replay beside the model: keywords (no learning) and TF-IDF + logistic regression.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from practitioner_survey.codebook import Codebook
from practitioner_survey.coding.calibration import (
    SURE,
    Bin,
    by_parts,
    expected_calibration_error,
    reliability,
    sure_share,
)
from practitioner_survey.coding.evidence import category_documents
from practitioner_survey.coding.features import normalise_text
from practitioner_survey.coding.suggest import Example, Suggester, codebook_examples
from practitioner_survey.errors import SurveyError

PRIORS = ("bundled", "codebook")  # what the model starts from besides the codebook: earlier years' comments, or none


@dataclass(frozen=True)
class ReplayResult:
    """Share of comments whose first suggestion was right (top1) and whose right code was in the first three, and
    per comment in order the first suggestion's shown confidence and whether it was right."""

    question: str
    n: int
    top1: float
    top3: float
    confidences: tuple[float, ...]
    right: tuple[bool, ...]

    @property
    def ece(self) -> float:
        """Expected calibration error of the first suggestion's confidence (5 equal-width bins)."""
        return expected_calibration_error(self.confidences, self.right)

    @property
    def bins(self) -> list[Bin]:
        """The reliability table of the first suggestion's confidence (5 equal-width bins)."""
        return reliability(self.confidences, self.right)

    @property
    def fifths(self) -> list[float | None]:
        """Top-1 over successive fifths of the file: the learning curve."""
        return by_parts(self.right)

    @property
    def sure(self) -> tuple[int, float | None]:
        """First suggestions shown at SURE (0.9) or more: how many, and the share right."""
        return sure_share(self.confidences, self.right)

    def measures(self) -> dict[str, object]:
        """top1, top3, ece, the reliability bins, the first suggestions shown at 0.9 or more and top-1 by fifths
        of the file, rounded for printing."""
        n_sure, sure_right = self.sure
        return {
            "top1": round(self.top1, 4),
            "top3": round(self.top3, 4),
            "ece": round(self.ece, 4),
            "reliability": [b.as_dict() for b in self.bins],
            "sure": {"at": SURE, "n": n_sure, "right": None if sure_right is None else round(sure_right, 4)},
            "fifths": [None if f is None else round(f, 4) for f in self.fifths],
        }

    def as_dict(self) -> dict[str, object]:
        return {"question": self.question, "n": self.n, **self.measures()}


def read_coded(path: Path, codebook: Codebook) -> list[tuple[str, str]]:
    """(text, category id) per line of a JSONL file of {"text": ..., "category": LABEL}; every problem at once."""
    records, problems = [], []
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise SurveyError(f"cannot read {path}: {exc.strerror}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text, label = record["text"], record["category"]
            if not isinstance(text, str) or not isinstance(label, str) or not text.strip():
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError):
            problems.append(f"line {number}: not a JSON object with 'text' and 'category'")
            continue
        category = codebook.match_label(label)
        if category is None:
            problems.append(f"line {number}: {label!r} is not a category of the {codebook.question} codebook")
            continue
        records.append((text, category.id))
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise SurveyError(f"{path}: {shown}")
    if not records:
        raise SurveyError(f"{path}: no coded comments")
    return records


Model = Callable[[Codebook, Sequence[Example]], "Learner"]


class Learner:
    """What replay needs of a model: rank the categories for a text, and learn a decision."""

    def rank(self, text: str) -> list[tuple[str, float]]:
        """At least three (category id, confidence shown), most likely first."""
        raise NotImplementedError

    def learn(self, text: str, category_id: str) -> None:
        raise NotImplementedError


class OurModel(Learner):
    """The project's suggester."""

    def __init__(self, codebook: Codebook, prior: Sequence[Example]) -> None:
        self.model = Suggester(codebook, prior)

    def rank(self, text: str) -> list[tuple[str, float]]:
        return [(s.category_id, s.confidence) for s in self.model.suggest(text, k=3)]

    def learn(self, text: str, category_id: str) -> None:
        self.model.learn(text, category_id)


class BaselineModel(Learner):
    """Plain TF-IDF + logistic regression, refitted on everything after each decision."""

    def __init__(self, codebook: Codebook, prior: Sequence[Example]) -> None:
        start = codebook_examples(codebook) + list(prior)
        self.texts = [e.text for e in start]
        self.labels = [e.category_id for e in start]
        self._fit()

    def _fit(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectoriser = TfidfVectorizer(preprocessor=normalise_text, sublinear_tf=True)
        x = self.vectoriser.fit_transform(self.texts)
        self.model = LogisticRegression(max_iter=1000).fit(x, self.labels)

    def rank(self, text: str) -> list[tuple[str, float]]:
        p = self.model.predict_proba(self.vectoriser.transform([text]))[0]
        return [(str(self.model.classes_[i]), float(p[i])) for i in np.argsort(-p, kind="stable")[:3]]

    def learn(self, text: str, category_id: str) -> None:
        self.texts.append(text)
        self.labels.append(category_id)
        self._fit()


class KeywordModel(Learner):
    """A keyword baseline that never learns: TF-IDF cosine similarity between the comment and each category's
    codebook text (see category_documents). Its shown confidence is the first category's share of the summed
    similarities (equal shares when no word is shared)."""

    def __init__(self, codebook: Codebook, prior: Sequence[Example] = ()) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.classes = [c.id for c in codebook.categories]
        self.vectoriser = TfidfVectorizer(preprocessor=normalise_text, sublinear_tf=True, stop_words="english")
        self.documents = self.vectoriser.fit_transform(category_documents(codebook))

    def rank(self, text: str) -> list[tuple[str, float]]:
        # rows of TfidfVectorizer are L2-normalised, so the dot product is the cosine similarity
        sims = np.asarray((self.documents @ self.vectoriser.transform([text]).T).todense()).ravel()
        total = sims.sum()
        shares = sims / total if total > 0 else np.full(len(sims), 1 / len(sims))
        return [(self.classes[i], float(shares[i])) for i in np.argsort(-sims, kind="stable")[:3]]

    def learn(self, text: str, category_id: str) -> None:
        """Nothing: the baseline keeps to the codebook."""


#: The models `survey replay --baseline` and bench/quality.py replay beside ours, by the name they are printed as.
BASELINES: dict[str, Model] = {"keyword": KeywordModel, "tfidf_lr": BaselineModel}


def replay(
    codebook: Codebook,
    records: Sequence[tuple[str, str]],
    prior: Sequence[Example],
    model: Model = OurModel,
    progress: Callable[[int], None] | None = None,
) -> ReplayResult:
    """Suggest, score, then learn, for each coded comment in order. The prior never holds a text of the file."""
    if not records:
        raise SurveyError("nothing to replay: no coded comments")
    replayed = {normalise_text(text) for text, _ in records}
    learner = model(codebook, [e for e in prior if normalise_text(e.text) not in replayed])
    top3 = 0
    confidences: list[float] = []
    right: list[bool] = []
    for i, (text, category) in enumerate(records):
        ranked = learner.rank(text)
        right.append(ranked[0][0] == category)
        confidences.append(min(max(float(ranked[0][1]), 0.0), 1.0))
        top3 += category in [c for c, _ in ranked[:3]]
        learner.learn(text, category)
        if progress:
            progress(i + 1)
    n = len(records)
    return ReplayResult(codebook.question, n, sum(right) / n, top3 / n, tuple(confidences), tuple(right))


def prior_examples(
    question: str, codebook: Codebook, prior: str, exclude: Iterable[str] = (), before: int | None = None
) -> list[Example]:
    """What the model starts from besides the codebook: every bundled coded comment (or those before `before`)
    but those in `exclude` (prior "bundled"), or nothing (prior "codebook": the bundled comments are not read)."""
    if prior not in PRIORS:
        raise SurveyError(f"unknown prior {prior!r}; choose one of {', '.join(PRIORS)}")
    if prior == "codebook":
        return []
    return bundled_examples(question, codebook, before=before, exclude=exclude)


def responses_dir() -> Path | None:
    """The bundled returns folder: ./responses, else the one beside the package (an editable install)."""
    for candidate in (Path.cwd() / "responses", Path(__file__).resolve().parents[2] / "responses"):
        if candidate.is_dir():
            return candidate
    return None


def bundled_examples(
    question: str, codebook: Codebook, before: int | None = None, exclude: Iterable[str] = ()
) -> list[Example]:
    """Coded comments of the bundled years (all, or those before `before`), oldest year first, leaving out any
    whose text is in `exclude` (the comments about to be replayed)."""
    left_out = {normalise_text(t) for t in exclude}
    folder = responses_dir()
    if folder is None:
        return []
    out = []
    for path in sorted(folder.glob("*/comments-*.jsonl")):
        year = int(path.stem.split("-")[-1])
        if before is not None and year >= before:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line) if line.strip() else None
            if record and record["question"] == question and codebook.by_id(record["category_id"]) is not None:
                if normalise_text(record["text"]) in left_out:
                    continue
                out.append(Example(record["text"], record["category_id"], record.get("subcategory_id") or ""))
    return out


def summary(ours: ReplayResult, baselines: dict[str, ReplayResult], prior: str, starts_from: int) -> dict[str, object]:
    """`survey replay --json`: our measures, the prior and how many examples the model started from (codebook
    documents and prior comments), and each baseline's measures; `baseline` keeps TF-IDF + LR's top1 and top3."""
    out: dict[str, object] = {**ours.as_dict(), "prior": prior, "prior_examples": starts_from}
    if "tfidf_lr" in baselines:
        out["baseline"] = {k: v for k, v in baselines["tfidf_lr"].measures().items() if k in ("top1", "top3")}
    if baselines:
        out["baselines"] = {name: result.measures() for name, result in baselines.items()}
    return out


def pool(results: Sequence[ReplayResult], name: str = "pooled") -> ReplayResult:
    """Several questions' replays as one: every comment counted once, in the order given."""
    if not results:
        raise SurveyError("nothing to pool: no replay results")
    n = sum(r.n for r in results)
    confidences = tuple(c for r in results for c in r.confidences)
    right = tuple(x for r in results for x in r.right)
    return ReplayResult(name, n, sum(right) / n, sum(r.top3 * r.n for r in results) / n, confidences, right)
