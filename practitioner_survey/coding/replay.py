"""Replay: an analyst simulated from already-coded comments, to measure how often the model's suggestions are right.

For each comment, in file order, the model suggests, the 'analyst' codes it as the file says, and the model learns.
The model starts from the codebook and the bundled coded comments of earlier years, never from the file itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from practitioner_survey.codebook import Codebook
from practitioner_survey.coding.features import normalise_text
from practitioner_survey.coding.suggest import Example, Suggester, codebook_examples
from practitioner_survey.errors import SurveyError


@dataclass(frozen=True)
class ReplayResult:
    """Share of comments whose first suggestion was right (top1) and whose right code was in the first three."""

    question: str
    n: int
    top1: float
    top3: float

    def as_dict(self) -> dict[str, object]:
        return {"question": self.question, "n": self.n, "top1": round(self.top1, 4), "top3": round(self.top3, 4)}


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

    def rank(self, text: str) -> list[str]:
        raise NotImplementedError

    def learn(self, text: str, category_id: str) -> None:
        raise NotImplementedError


class OurModel(Learner):
    """The project's suggester."""

    def __init__(self, codebook: Codebook, prior: Sequence[Example]) -> None:
        self.model = Suggester(codebook, prior)

    def rank(self, text: str) -> list[str]:
        return [s.category_id for s in self.model.suggest(text, k=3)]

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

    def rank(self, text: str) -> list[str]:
        p = self.model.predict_proba(self.vectoriser.transform([text]))[0]
        return [str(self.model.classes_[i]) for i in np.argsort(-p)[:3]]

    def learn(self, text: str, category_id: str) -> None:
        self.texts.append(text)
        self.labels.append(category_id)
        self._fit()


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
    top1 = top3 = 0
    for i, (text, category) in enumerate(records):
        ranked = learner.rank(text)
        top1 += ranked[:1] == [category]
        top3 += category in ranked[:3]
        learner.learn(text, category)
        if progress:
            progress(i + 1)
    n = len(records)
    return ReplayResult(codebook.question, n, top1 / n, top3 / n)


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
