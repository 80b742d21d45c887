"""What the codebook itself says about a comment, before any coded comment is seen: the prior that carries the
suggestions across wording the coded comments never used.

Three kinds of evidence per category, each stateless (a comment's evidence never changes as the model learns, so it
is computed outside the model's lock, like the n-gram features):

- patterns: the codebook's `patterns` found on lemmas (patterns.py), each hit weighted by where it falls (a hit at
  the start of a comment counts 1, at its end 1/4: practitioners tend to lead with their main point);
- keywords: TF-IDF cosine similarity between the comment and the category's codebook text (labels, descriptions,
  examples and patterns of the category and its subcategories);
- meaning: cosine similarity of static sentence embeddings (WordLlama's 256-dimension model, shipped inside its
  wheel and loaded from the package folder with downloads disabled) between the comment and each of the category's
  codebook texts, the closest counting.

`CodebookEvidence.logits` sums them as log1p(patterns) + KEYWORD_WEIGHT x keywords + MEANING_WEIGHT x meaning; the
Suggester adds its learnt model's log-probabilities (see suggest.py). The weights were chosen by replaying the
bundled synthetic 2017 comments after the 2016 ones, with either prior, and then checked on real comments: see
bench/README "Real comments".
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from practitioner_survey.codebook import Codebook
from practitioner_survey.coding.features import normalise_text
from practitioner_survey.errors import SurveyError

KEYWORD_WEIGHT = 2.0
MEANING_WEIGHT = 2.0
PATTERN_TAIL = 3.0  # a pattern hit at the end of a comment counts 1 / (1 + PATTERN_TAIL)
EMBED_BATCH = 1_000
KNOWN = 200_000  # texts whose evidence is remembered (about 20 MB of figures, the texts being held anyway)


def category_documents(codebook: Codebook) -> list[str]:
    """One text per category: its label, description and examples, and its subcategories' labels and descriptions
    (the keyword baseline's documents)."""
    out = []
    for category in codebook.categories:
        parts = [category.label, category.description, *category.examples]
        for sub in category.subcategories:
            parts += [sub.label, sub.description]
        out.append("\n".join(p for p in parts if p))
    return out


def category_texts(codebook: Codebook) -> list[tuple[int, str]]:
    """Every text the codebook gives a category (label, description, examples, patterns, and the same of its
    subcategories), with the category's position."""
    out = []
    for at, category in enumerate(codebook.categories):
        texts = [category.label, category.description, *category.examples, *category.patterns]
        for sub in category.subcategories:
            texts += [sub.label, sub.description, *sub.examples, *sub.patterns]
        out += [(at, t) for t in texts if t.strip()]
    return out


@lru_cache(maxsize=1)
def _wordllama() -> Any:
    """WordLlama's model from its own package folder; never a download (no network at run time)."""
    import os

    try:
        import wordllama
    except ImportError as exc:
        raise SurveyError("suggesting codes needs the wordllama package: pip install wordllama") from exc
    folder = os.path.dirname(wordllama.__file__)
    try:
        model = wordllama.WordLlama.load(cache_dir=folder, disable_download=True)
    except Exception as exc:  # a wheel without its weights: say so rather than try the network
        raise SurveyError(f"the wordllama package's model could not be loaded from its folder ({exc})") from exc
    # its BPE tokenizer has no pre-tokenizer, so its cache keeps every whole text it has seen: memory that grows
    # by ~2 MB a 1,000 comments and is never given back, for no hits (a batch's texts are distinct). Same tokens.
    with contextlib.suppress(AttributeError):
        model.tokenizer.model._resize_cache(0)
    return model


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length 256-dimension embeddings (float32), one row per text."""
    model = _wordllama()
    out = np.zeros((len(texts), 256), dtype=np.float32)  # a text with nothing to embed stays zero (never NaN)
    some = [at for at, text in enumerate(texts) if text.strip()]
    for start in range(0, len(some), EMBED_BATCH):
        rows = some[start : start + EMBED_BATCH]
        with np.errstate(invalid="ignore", divide="ignore"):
            vectors = np.asarray(model.embed([texts[at] for at in rows], norm=True), dtype=np.float32)
        out[rows] = np.nan_to_num(vectors, nan=0.0)
    return out


class CodebookEvidence:
    """The codebook's evidence for each category of one question, for any comment."""

    def __init__(self, codebook: Codebook) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        from practitioner_survey.coding.patterns import PatternMatcher

        self.n_classes = len(codebook.categories)
        self._order = {c.id: at for at, c in enumerate(codebook.categories)}
        self._patterns = PatternMatcher(codebook)
        documents = [
            "\n".join(
                [text, *category.patterns, *(t for sub in category.subcategories for t in sub.patterns + sub.examples)]
            )
            for text, category in zip(category_documents(codebook), codebook.categories, strict=True)
        ]  # the keyword baseline's documents, with every pattern and the subcategories' examples (sentences too)
        self._vectoriser = TfidfVectorizer(preprocessor=normalise_text, sublinear_tf=True, stop_words="english")
        self._documents = self._vectoriser.fit_transform(documents)
        texts = category_texts(codebook)
        texts.sort(key=lambda owned: owned[0])  # each category's texts side by side (they are already)
        owner = np.array([at for at, _ in texts], dtype=np.int64)
        self._starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else owner
        self._owners = owner[self._starts]  # the category of each run of texts starting at _starts
        self._texts = embed([t for _, t in texts]).astype(np.float64)
        self._known: dict[str, np.ndarray] = {}

    def patterns(self, texts: Sequence[str]) -> np.ndarray:
        """Position-weighted pattern hits per category (len(texts) x categories)."""
        out = np.zeros((len(texts), self.n_classes))
        for row, hits in enumerate(self._patterns.find_placed(texts)):
            for hit, where in hits:
                out[row, self._order[hit.category_id]] += 1.0 / (1.0 + PATTERN_TAIL * where)
        return out

    def keywords(self, texts: Sequence[str]) -> np.ndarray:
        """TF-IDF cosine similarity to each category's codebook text."""
        return np.asarray((self._vectoriser.transform(texts) @ self._documents.T).todense())

    def meaning(self, texts: Sequence[str]) -> np.ndarray:
        """The highest embedding similarity between each text and any of a category's codebook texts."""
        # in float64 and rounded, so that a text's figure is the same whatever the batch (matrix products sum in
        # an order that depends on the batch's shape; undo must give back exactly the suggestions shown before);
        # rounding the maxima equals taking the maxima of the rounded figures (rounding keeps the order)
        out = np.full((len(texts), self.n_classes), -1.0)
        if len(texts) and len(self._starts):
            sims = embed(texts).astype(np.float64) @ self._texts.T
            out[:, self._owners] = np.round(np.maximum.reduceat(sims, self._starts, axis=1), 9)
        return out

    def logits(self, texts: Sequence[str], remember: bool = True) -> np.ndarray:
        """The codebook's log-scale evidence per category (len(texts) x categories). A text's evidence never
        changes, so with `remember` it is kept for next time (the loop rescores the waiting comments after every
        decision); a one-off batch (suggest_many) passes False and keeps nothing."""
        out = np.zeros((len(texts), self.n_classes))
        known = self._known if remember else {}
        fresh = list(dict.fromkeys(text for text in texts if text not in known))
        if len(known) + len(fresh) > KNOWN:
            known.clear()
        for start in range(0, len(fresh), EMBED_BATCH):  # in parts: the embeddings of 100,000 texts need 100 MB
            part = fresh[start : start + EMBED_BATCH]
            found = (
                np.log1p(self.patterns(part))
                + KEYWORD_WEIGHT * self.keywords(part)
                + MEANING_WEIGHT * self.meaning(part)
            )
            known.update(zip(part, found, strict=True))
        for at, text in enumerate(texts):
            out[at] = known[text]
        return out
