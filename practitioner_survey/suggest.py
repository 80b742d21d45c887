"""The suggestion model: one per question, learning from every decision the analyst makes.

Two parts, blended: a linear classifier (hashed word and character n-grams, SGD with logistic loss, updated with
`partial_fit` after each decision) and a nearest-neighbour vote over every coded comment so far (which adapts at
once). Cold start comes from the codebook (labels, descriptions, example phrases) and earlier years' coded comments.
Confidences are temperature-scaled so that, on earlier years' comments held out in turn, they match how often the
first suggestion was right.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack

from practitioner_survey.codebook import Codebook

N_FEATURES = 2**18
KNN_K = 7
BLEND = 0.7  # weight of the linear model; the rest is the neighbour vote (chosen on the 2016->2017 dev replay)
CODEBOOK_WEIGHT = 0.6  # codebook phrases count for less than a person's decision
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Suggestion:
    """One suggested code with its confidence (0-1)."""

    category_id: str
    label: str
    confidence: float
    subcategory_id: str = ""
    subcategory_label: str = ""


@dataclass(frozen=True)
class Example:
    """A coded comment the model learns from."""

    text: str
    category_id: str
    subcategory_id: str = ""
    weight: float = 1.0


def normalise_text(text: str) -> str:
    text = text.lower().replace("’", "'").replace("&", " and ")
    return _SPACE.sub(" ", text).strip()


class Featuriser:
    """Hashed word 1-2-grams and character 3-5-grams, l2-normalised; stateless, so new words need no refit."""

    def __init__(self) -> None:
        common = {"n_features": N_FEATURES, "alternate_sign": False, "norm": None, "preprocessor": normalise_text}
        from sklearn.feature_extraction.text import HashingVectorizer  # loaded when a model is first made

        self.words = HashingVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", **common)
        self.chars = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common)

    def __call__(self, texts: Sequence[str]) -> csr_matrix:
        words = self.words.transform(texts)
        words.data = 1 + np.log(words.data)
        chars = self.chars.transform(texts)
        chars.data = 1 + np.log(chars.data)
        from sklearn.preprocessing import normalize

        return normalize(hstack([words, 0.7 * chars]).tocsr())


def codebook_examples(codebook: Codebook) -> list[Example]:
    """Training documents made from the codebook: each label, description and example phrase."""
    out = []
    for category in codebook.categories:
        texts = [category.label, category.description, *category.examples]
        out += [Example(t, category.id, "", CODEBOOK_WEIGHT) for t in texts if t]
        for sub in category.subcategories:
            for t in [sub.label, sub.description, *sub.examples]:
                if t:
                    out.append(Example(t, category.id, sub.id, CODEBOOK_WEIGHT))
    return out


class Suggester:
    """Suggests categories (and subcategories) for one question's comments; learns from each decision."""

    def __init__(self, codebook: Codebook, prior: Sequence[Example] = (), seed: int = 0) -> None:
        self.codebook = codebook
        self.classes = [c.id for c in codebook.categories]
        self.labels = {c.id: c.label for c in codebook.categories}
        self.sub_labels = {(c.id, s.id): s.label for c in codebook.categories for s in c.subcategories}
        self.featurise = Featuriser()
        self.version = 0
        self.temperature = 1.0
        self.examples: list[Example] = []
        self._matrix: csr_matrix | None = None
        from sklearn.linear_model import SGDClassifier

        self.linear = SGDClassifier(loss="log_loss", alpha=2e-5, random_state=seed)
        start = codebook_examples(codebook) + list(prior)
        self._add(start)
        x = self._matrix
        assert x is not None
        y = np.array([e.category_id for e in start])
        w = np.array([e.weight for e in start])
        for _ in range(8):  # a few passes over the cold-start documents
            self.linear.partial_fit(x, y, classes=np.array(self.classes), sample_weight=w)
        if len(prior) >= 30:
            self.temperature = self._fit_temperature(list(prior), seed)

    def _add(self, examples: Sequence[Example]) -> None:
        rows = self.featurise([e.text for e in examples])
        self._matrix = rows if self._matrix is None else vstack([self._matrix, rows]).tocsr()
        self.examples += list(examples)

    def _scores(self, x: csr_matrix, exclude: np.ndarray | None = None) -> np.ndarray:
        """Blend of the linear model's probabilities and a similarity-weighted vote of the nearest coded comments.

        `exclude` gives, per row, the index of an example to leave out (the row's own, when scoring it).
        """
        linear = self.linear.predict_proba(x)
        order = {c: i for i, c in enumerate(self.linear.classes_)}
        linear = linear[:, [order[c] for c in self.classes]]
        assert self._matrix is not None
        sims = (x @ self._matrix.T).toarray()
        rows = np.arange(x.shape[0])
        if exclude is not None:
            sims[rows, exclude] = -1.0
        k = min(KNN_K, sims.shape[1])
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        weights = np.array([e.weight for e in self.examples])
        class_index = np.array([self.classes.index(e.category_id) for e in self.examples])
        votes = np.take_along_axis(sims, top, axis=1).clip(min=0) * weights[top]
        vote = np.full((x.shape[0], len(self.classes)), 1e-3)
        np.add.at(vote, (np.repeat(rows, k), class_index[top].ravel()), votes.ravel())
        vote /= vote.sum(axis=1, keepdims=True)
        blended: np.ndarray = BLEND * linear + (1 - BLEND) * vote
        return blended

    def _calibrated(self, scores: np.ndarray) -> np.ndarray:
        logits = np.log(np.clip(scores, 1e-9, 1)) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        calibrated: np.ndarray = p / p.sum(axis=1, keepdims=True)
        return calibrated

    def _fit_temperature(self, prior: list[Example], seed: int) -> float:
        """Temperature minimising log loss on earlier years' comments, each scored leaving itself out."""
        offset = len(self.examples) - len(prior)
        x = self.featurise([e.text for e in prior])
        scores = self._scores(x, exclude=offset + np.arange(len(prior)))
        truth = np.array([self.classes.index(e.category_id) for e in prior])
        best, best_loss = 1.0, np.inf
        for t in np.linspace(0.3, 3.0, 28):
            logits = np.log(np.clip(scores, 1e-9, 1)) / t
            logits -= logits.max(axis=1, keepdims=True)
            logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
            loss = -logp[np.arange(len(truth)), truth].mean()
            if loss < best_loss:
                best, best_loss = float(t), loss
        return best

    def suggest_many(self, texts: Sequence[str], k: int = 3) -> list[list[Suggestion]]:
        """The top k suggestions for each text, most likely first."""
        if not texts:
            return []
        x = self.featurise(list(texts))
        probabilities = self._calibrated(self._scores(x))
        out = []
        for row in range(x.shape[0]):
            ranked = np.argsort(-probabilities[row])[:k]
            suggestions = []
            for i in ranked:
                category = self.classes[i]
                sub, sub_label = self._subcategory(x[row], category)
                suggestions.append(
                    Suggestion(category, self.labels[category], float(probabilities[row, i]), sub, sub_label)
                )
            out.append(suggestions)
        return out

    def suggest(self, text: str, k: int = 3) -> list[Suggestion]:
        return self.suggest_many([text], k)[0]

    def _subcategory(self, x: csr_matrix, category: str) -> tuple[str, str]:
        """The nearest subcategory among examples of this category that name one."""
        assert self._matrix is not None
        idx = [i for i, e in enumerate(self.examples) if e.category_id == category and e.subcategory_id]
        if not idx:
            return "", ""
        sims = (x @ self._matrix[idx].T).toarray().ravel()
        totals: dict[str, float] = {}
        for j in np.argsort(-sims)[:KNN_K]:
            sub = self.examples[idx[j]].subcategory_id
            totals[sub] = totals.get(sub, 0.0) + max(float(sims[j]), 0.0) * self.examples[idx[j]].weight
        best = max(totals, key=lambda s: totals[s])
        return best, self.sub_labels.get((category, best), "")

    def learn(self, text: str, category_id: str, subcategory_id: str = "") -> None:
        """Take one decision into the model (fast: an SGD step and one more neighbour)."""
        if category_id not in self.classes:
            raise ValueError(f"unknown category {category_id!r}")
        example = Example(text, category_id, subcategory_id)
        self._add([example])
        x = self.featurise([text])
        for _ in range(3):
            self.linear.partial_fit(x, np.array([category_id]))
        self.version += 1
