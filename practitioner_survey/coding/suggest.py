"""The suggestion model: one per question, learning from every decision the analyst makes.

Two parts, blended: a linear classifier (hashed word and character n-grams, SGD with logistic loss, updated with
`partial_fit` after each decision) and a nearest-neighbour vote over every coded comment so far (which adapts at
once). Cold start comes from the codebook (labels, descriptions, example phrases) and earlier years' coded comments.
Confidences are temperature-scaled so that, on earlier years' comments held out in turn, they match how often the
first suggestion was right.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix, hstack
from scipy.special import expit

from practitioner_survey.codebook import Codebook
from practitioner_survey.coding import forked

N_FEATURES = 2**18
KNN_K = 7
PARALLEL_MIN = 1_000  # texts from which suggest_many shares the work with forked helpers (else not worth a fork)
BLEND = 0.7  # weight of the linear model; the rest is the neighbour vote (chosen on the 2016->2017 dev replay)
CODEBOOK_WEIGHT = 0.6  # codebook phrases count for less than a person's decision
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"(?u)\b\w+\b")


@dataclass(frozen=True)
class Suggestion:
    """One suggested code with its confidence (0-1)."""

    category_id: str
    label: str
    confidence: float
    subcategory_id: str = ""
    subcategory_label: str = ""


@dataclass(frozen=True)
class Learnt:
    """Decisions a Suggester has fitted and not yet installed (see Suggester.fit)."""

    examples: list[Example]
    rows: csr_matrix
    coef_t: np.ndarray
    intercept: np.ndarray


@dataclass(frozen=True)
class Example:
    """A coded comment the model learns from."""

    text: str
    category_id: str
    subcategory_id: str = ""
    weight: float = 1.0


_THREADPOOLS: list[object] = []  # threadpoolctl's controller, made once (finding the libraries takes a few ms)


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """BLAS on one thread while the linear model learns: its calls there are short vector operations (2^19 long),
    which two threads make several times slower on a busy two-core machine, with the same results."""
    from threadpoolctl import ThreadpoolController  # a dependency of scikit-learn

    if not _THREADPOOLS:
        _THREADPOOLS.append(ThreadpoolController())
    controller = cast(ThreadpoolController, _THREADPOOLS[0])
    with controller.limit(limits=1, user_api="blas"):
        yield


def normalise_text(text: str) -> str:
    text = text.lower().replace("’", "'").replace("&", " and ")
    return _SPACE.sub(" ", text).strip()


class Featuriser:
    """Hashed word 1-2-grams and character 3-5-grams (within words), l2-normalised; stateless, so new words need no
    refit. The same features as scikit-learn's HashingVectorizer (word and char_wb analysers, murmurhash3) would
    give, made faster by remembering each word's hashed character n-grams: a word's n-grams never change."""

    WORD_CACHE = 200_000  # words whose n-gram indices are remembered (about 200 MB at most; far fewer in practice)

    def __init__(self) -> None:
        from sklearn.utils import murmurhash3_32  # loaded when a model is first made

        self._hash = murmurhash3_32
        self._chars: dict[str, np.ndarray] = {}
        self._words: dict[str, int] = {}

    def _index(self, feature: str) -> int:
        """The column scikit-learn's FeatureHasher gives a feature."""
        h = int(self._hash(feature, seed=0))
        return (2147483647 - (N_FEATURES - 1)) % N_FEATURES if h == -2147483648 else abs(h) % N_FEATURES

    def _char_indices(self, word: str) -> np.ndarray:
        found = self._chars.get(word)
        if found is None:
            if len(self._chars) >= self.WORD_CACHE:
                self._chars.clear()
            padded = f" {word} "
            grams = []
            for n in range(3, 6):  # as scikit-learn's _char_wb_ngrams, short words included once
                grams += [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
                if len(padded) <= n:
                    break
            found = self._chars[word] = np.array([self._index(g) for g in grams], dtype=np.int32)
        return found

    def _word_index(self, gram: str) -> int:
        found = self._words.get(gram)
        if found is None:
            if len(self._words) >= self.WORD_CACHE:
                self._words.clear()
            found = self._words[gram] = self._index(gram)
        return found

    def __call__(self, texts: Sequence[str]) -> csr_matrix:
        word_cols: list[int] = []
        word_lengths: list[int] = []
        char_cols: list[np.ndarray] = []
        char_lengths: list[int] = []
        words_get, chars_get = self._words.get, self._chars.get  # the hot loop: look-ups first, misses rarely
        for text in texts:
            normal = normalise_text(text)
            tokens = _TOKEN.findall(normal)
            grams = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
            found = [words_get(g) for g in grams]
            word_cols += [self._word_index(g) for g in grams] if None in found else cast(list[int], found)
            word_lengths.append(len(grams))
            known = [chars_get(w) for w in normal.split()]
            if any(c is None for c in known):
                known = [self._char_indices(w) for w in normal.split()]
            per_word = cast(list[np.ndarray], known)
            char_cols += per_word
            char_lengths.append(sum(len(c) for c in per_word))
        n = len(texts)
        rows = np.repeat(np.arange(n), word_lengths)
        words = _counts(rows, np.array(word_cols, dtype=np.int64), n)
        chars_cols = np.concatenate(char_cols) if char_cols else np.zeros(0, dtype=np.int64)
        chars = _counts(np.repeat(np.arange(n), char_lengths), chars_cols.astype(np.int64), n)
        chars.data *= 0.7
        from sklearn.preprocessing import normalize

        return normalize(hstack([words, chars], format="csr"))


def _counts(rows: np.ndarray, cols: np.ndarray, n_rows: int) -> csr_matrix:
    """Sublinear counts (1 + log count) of hashed features per row."""
    matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_rows, N_FEATURES)).tocsr()
    matrix.sum_duplicates()
    matrix.data = 1 + np.log(matrix.data)
    return matrix


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


class NeighbourIndex:
    """Every coded comment's features, for finding the most similar: rows are appended in amortised constant time,
    and an inverted copy (features x comments) answers look-ups; the newest rows are compared directly until the
    copy is rebuilt, which `add` does once REINDEX rows have come since (unless `auto` is off: the coding loop
    rebuilds it with `build` and `install` in its learning thread, without holding the model's lock)."""

    REINDEX = 256

    def __init__(self) -> None:
        self.n = 0
        self._data = np.zeros(0, dtype=np.float32)  # half the memory of float64; similarities need no more
        self._indices = np.zeros(0, dtype=np.int32)
        self._indptr = np.zeros(1, dtype=np.int32)
        self._inverted: csr_matrix | None = None
        self._indexed = 0
        self.auto = True

    def add(self, rows: csr_matrix) -> None:
        nnz, new_nnz = int(self._indptr[self.n]), int(rows.nnz)
        if nnz + new_nnz > len(self._data):
            size = max(2 * len(self._data), nnz + new_nnz, 4096)
            self._data = np.resize(self._data, size)
            self._indices = np.resize(self._indices, size)
        if self.n + rows.shape[0] + 1 > len(self._indptr):
            self._indptr = np.resize(self._indptr, max(2 * len(self._indptr), self.n + rows.shape[0] + 1))
        self._data[nnz : nnz + new_nnz] = rows.data
        self._indices[nnz : nnz + new_nnz] = rows.indices
        self._indptr[self.n + 1 : self.n + rows.shape[0] + 1] = nnz + rows.indptr[1:]
        self.n += rows.shape[0]
        if self.auto and self.stale():
            self.reindex()

    def stale(self) -> bool:
        """Whether enough rows have come since the inverted copy was made to make it again."""
        return self.n - self._indexed > self.REINDEX

    def rows(self, start: int = 0) -> csr_matrix:
        """The rows from `start` on, as a matrix sharing this index's memory."""
        first, last = int(self._indptr[start]), int(self._indptr[self.n])
        indptr = self._indptr[start : self.n + 1] - first
        return csr_matrix(
            (self._data[first:last], self._indices[first:last], indptr), shape=(self.n - start, 2 * N_FEATURES)
        )

    def build(self) -> tuple[csr_matrix, int]:
        """A new inverted copy of the rows so far, and how many rows it covers (for `install`)."""
        n = self.n
        return self.rows().T.tocsr().astype(np.float64), n  # float64 as the products need, not cast each time

    def install(self, built: tuple[csr_matrix, int]) -> None:
        self._inverted, self._indexed = built

    def reindex(self) -> None:
        self.install(self.build())

    def similarities(self, x: csr_matrix) -> np.ndarray:
        """Cosine similarity of each row of x to every row so far (rows are l2-normalised): len(x) x n."""
        parts = []
        if self._inverted is not None and self._indexed:
            parts.append((x @ self._inverted).toarray())
        if self.n > self._indexed:
            parts.append((x @ self.rows(self._indexed).T).toarray())
        return np.hstack(parts) if len(parts) > 1 else parts[0]


class Suggester:
    """Suggests categories (and subcategories) for one question's comments; learns from each decision."""

    CHUNK_CELLS = 4_000_000  # similarities held at once (rows x coded comments): about 32 MB
    TEMPERATURE_SAMPLE = 2_000  # earlier years' comments the temperature is fitted on, at most

    def __init__(self, codebook: Codebook, prior: Sequence[Example] = (), seed: int = 0) -> None:
        self.codebook = codebook
        self.classes = [c.id for c in codebook.categories]
        self.labels = {c.id: c.label for c in codebook.categories}
        self.sub_labels = {(c.id, s.id): s.label for c in codebook.categories for s in c.subcategories}
        self.featurise = Featuriser()
        self.version = 0
        self.temperature = 1.0
        self.examples: list[Example] = []
        self.index = NeighbourIndex()
        # per example: its category's index, its weight, its subcategory's number in _sub_names (-1: none)
        self._arrays = (np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64))
        self._sub_names: dict[int, dict[str, int]] = {c: {} for c in range(len(self.classes))}
        self._sub_tables: dict[int, tuple[np.ndarray, list[str], np.ndarray]] | None = None
        from sklearn.linear_model import SGDClassifier

        self.linear = SGDClassifier(loss="log_loss", alpha=2e-5, random_state=seed)
        start = codebook_examples(codebook) + list(prior)
        x = self._add(start)
        y = np.array([e.category_id for e in start])
        w = np.array([e.weight for e in start])
        with _one_blas_thread():
            for _ in range(8):  # a few passes over the cold-start documents
                self.linear.partial_fit(x, y, classes=np.array(self.classes), sample_weight=w)
        self._spare: np.ndarray | None = None
        self._coef_t, self._intercept = self._linear_copy()  # what suggestions use (`install` replaces them)
        self.index.reindex()
        if len(prior) >= 30:
            self.temperature = self._fit_temperature(list(prior), seed, x[len(start) - len(prior) :])

    def _add(self, examples: Sequence[Example], rows: csr_matrix | None = None) -> csr_matrix:
        if rows is None:
            rows = self.featurise([e.text for e in examples])
        self.index.add(rows)
        self.examples += list(examples)
        codes = []
        for e in examples:  # each subcategory's number within its category, first seen first
            names = self._sub_names[self.classes.index(e.category_id)]
            if e.subcategory_id and e.subcategory_id not in names:
                names[e.subcategory_id] = len(names)
            codes.append(names[e.subcategory_id] if e.subcategory_id else -1)
        class_index, weights, sub_code = self._arrays
        self._arrays = (
            np.concatenate([class_index, [self.classes.index(e.category_id) for e in examples]]).astype(np.int64),
            np.concatenate([weights, [e.weight for e in examples]]).astype(np.float64),
            np.concatenate([sub_code, codes]).astype(np.int64),
        )
        self._sub_tables = None
        return rows

    def _subcategory_tables(self) -> dict[int, tuple[np.ndarray, list[str], np.ndarray]]:
        """Per category index: its coded comments that name a subcategory, the subcategory ids in the order first
        seen, and each of those comments' position in that list."""
        if self._sub_tables is None:
            class_index, _, sub_code = self._arrays
            tables = {}
            for c, names in self._sub_names.items():
                members = np.flatnonzero((class_index == c) & (sub_code >= 0))
                tables[c] = (members, list(names), sub_code[members])
            self._sub_tables = tables
        return self._sub_tables

    def _linear_proba(self, x: csr_matrix) -> np.ndarray:
        """The linear model's predict_proba (one-vs-rest logistic, normalised), computed as scikit-learn does but
        from a copy of its coefficients kept transposed: scikit-learn copies the (classes x 2^19) array on every
        call, and a learning thread may change the model's own meanwhile."""
        prob: np.ndarray = x @ self._coef_t + self._intercept
        expit(prob, out=prob)
        total = prob.sum(axis=1)
        zero = total == 0
        if zero.any():  # as scikit-learn: uniform where every class scored 0
            prob[zero, :] = 1
            total[zero] = prob.shape[1]
        prob /= total.reshape((prob.shape[0], -1))
        return prob

    def _chunks(self, n_rows: int) -> list[slice]:
        step = max(1, self.CHUNK_CELLS // max(1, self.index.n))
        return [slice(i, min(i + step, n_rows)) for i in range(0, n_rows, step)]

    def _scores(self, x: csr_matrix, exclude: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Blend of the linear model's probabilities and a similarity-weighted vote of the nearest coded comments,
        and the similarities themselves (for the subcategories).

        `exclude` gives, per row, the index of an example to leave out (the row's own, when scoring it).
        """
        linear = self._linear_proba(x)
        order = {c: i for i, c in enumerate(self.linear.classes_)}
        linear = linear[:, [order[c] for c in self.classes]]
        sims = self.index.similarities(x)
        rows = np.arange(x.shape[0])
        if exclude is not None:
            sims[rows, exclude] = -1.0
        k = min(KNN_K, sims.shape[1])
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        class_index, weights, _ = self._arrays
        votes = np.take_along_axis(sims, top, axis=1).clip(min=0) * weights[top]
        vote = np.full((x.shape[0], len(self.classes)), 1e-3)
        np.add.at(vote, (np.repeat(rows, k), class_index[top].ravel()), votes.ravel())
        vote /= vote.sum(axis=1, keepdims=True)
        blended: np.ndarray = BLEND * linear + (1 - BLEND) * vote
        return blended, sims

    def _calibrated(self, scores: np.ndarray) -> np.ndarray:
        logits = np.log(np.clip(scores, 1e-9, 1)) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        calibrated: np.ndarray = p / p.sum(axis=1, keepdims=True)
        return calibrated

    def _fit_temperature(self, prior: list[Example], seed: int, x: csr_matrix) -> float:
        """Temperature minimising log loss on earlier years' comments (a sample of at most TEMPERATURE_SAMPLE),
        each scored leaving itself out."""
        offset = len(self.examples) - len(prior)
        chosen = np.arange(len(prior))
        if len(prior) > self.TEMPERATURE_SAMPLE:
            chosen = np.sort(np.random.default_rng(seed).choice(len(prior), self.TEMPERATURE_SAMPLE, replace=False))
        parts = []
        for part in self._chunks(len(chosen)):
            rows = chosen[part]
            parts.append(self._scores(x[rows], exclude=offset + rows)[0])
        scores = np.vstack(parts)
        truth = np.array([self.classes.index(prior[i].category_id) for i in chosen])
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
        """The top k suggestions for each text, most likely first. A large batch is shared with forked copies of
        this process where that is possible (see forked.py): the same suggestions, sooner."""
        texts = list(texts)
        helpers = forked.helpers(self, self.version) if len(texts) >= PARALLEL_MIN else None
        if helpers is None:
            return self.suggest_here(texts, k)
        return forked.share(helpers, self.suggest_here, "suggest_here", texts, k)

    def suggest_here(self, texts: list[str], k: int = 3) -> list[list[Suggestion]]:
        """suggest_many in this process alone."""
        if not texts:
            return []
        return self.suggest_features(self.featurise(texts), k)

    def suggest_features(self, x: csr_matrix, k: int = 3) -> list[list[Suggestion]]:
        """suggest_many for texts already featurised (by self.featurise, which needs no lock: it is stateless)."""
        out: list[list[Suggestion]] = []
        for part in self._chunks(x.shape[0]):
            scores, sims = self._scores(x[part])
            probabilities = self._calibrated(scores)
            ranked = np.argsort(-probabilities, axis=1, kind="stable")[:, :k]
            subs = self._subcategories(sims, ranked)
            for row in range(len(ranked)):
                out.append(
                    [
                        Suggestion(self.classes[i], self.labels[self.classes[i]], float(probabilities[row, i]),
                                   *subs[row][j])
                        for j, i in enumerate(ranked[row])
                    ]
                )  # fmt: skip
        return out

    def first_confidences(self, x: csr_matrix) -> np.ndarray:
        """The first suggestion's calibrated confidence for each row of x (texts already featurised): what
        suggest_features would give as [0].confidence, without the subcategories."""
        parts = [self._calibrated(self._scores(x[part])[0]).max(axis=1) for part in self._chunks(x.shape[0])]
        return np.concatenate(parts) if parts else np.zeros(0)

    def suggest(self, text: str, k: int = 3) -> list[Suggestion]:
        return self.suggest_many([text], k)[0]

    def _subcategories(self, sims: np.ndarray, ranked: np.ndarray) -> list[list[tuple[str, str]]]:
        """Per row and ranked category, the subcategory (id, label) voted by the KNN_K most similar coded comments
        of that category that name one; ("", "") where none does."""
        _, weights, _ = self._arrays
        tables = self._subcategory_tables()
        out = [[("", "")] * ranked.shape[1] for _ in range(ranked.shape[0])]
        for c, category in enumerate(self.classes):
            members, names, code = tables[c]
            rows, slots = np.nonzero(ranked == c)
            if not len(members) or not len(rows):
                continue
            near = sims[np.ix_(rows, members)]
            k = min(KNN_K, len(members))
            top = np.argpartition(-near, k - 1, axis=1)[:, :k]
            votes = np.take_along_axis(near, top, axis=1).clip(min=0) * weights[members][top]
            totals = np.zeros((len(rows), len(names)))
            np.add.at(totals, (np.repeat(np.arange(len(rows)), k), code[top].ravel()), votes.ravel())
            for r, slot, best in zip(rows, slots, totals.argmax(axis=1), strict=True):
                out[r][slot] = (names[best], self.sub_labels.get((category, names[best]), ""))
        return out

    def learn(self, text: str, category_id: str, subcategory_id: str = "") -> None:
        """Take one decision into the model (fast: an SGD step and one more neighbour)."""
        self.learn_many([(text, category_id, subcategory_id)])

    def learn_many(self, decisions: Sequence[tuple[str, str, str]]) -> None:
        """Take decisions (text, category id, subcategory id) into the model in order, in one SGD call."""
        if decisions:
            self.install(self.fit(decisions))

    def fit(self, decisions: Sequence[tuple[str, str, str]]) -> Learnt:
        """The slow half of learn_many: featurise the decisions and take them into the linear model, changing
        nothing that suggestions use (they use the copy of the coefficients that `install` replaces), so that a
        learning thread can run it while another suggests. Never run two at once."""
        for _, category_id, _ in decisions:
            if category_id not in self.classes:
                raise ValueError(f"unknown category {category_id!r}")
        if not decisions:
            raise ValueError("no decisions to learn")
        examples = [Example(t, c, s) for t, c, s in decisions]
        x = self.featurise([e.text for e in examples])
        repeat = np.repeat(np.arange(x.shape[0]), 3)  # three SGD steps on each decision, in order
        with _one_blas_thread():
            self.linear.partial_fit(x[repeat], np.array([c for _, c, _ in decisions])[repeat])
        return Learnt(examples, x, *self._linear_copy())

    def install(self, learnt: Learnt) -> None:
        """The quick half of learn_many: suggestions from now on use what `fit` learnt."""
        self._add(learnt.examples, learnt.rows)
        self._spare, self._coef_t, self._intercept = self._coef_t, learnt.coef_t, learnt.intercept
        self.version += len(learnt.examples)

    def _linear_copy(self) -> tuple[np.ndarray, np.ndarray]:
        """The linear model's coefficients transposed (C-contiguous) and intercepts, as suggestions use them."""
        spare, self._spare = self._spare, None  # the copy `install` last replaced, which nothing uses now
        if spare is None or spare.shape != self.linear.coef_.T.shape:
            spare = np.empty(self.linear.coef_.T.shape)  # new memory is slow to touch the first time
        np.copyto(spare, self.linear.coef_.T)
        return spare, self.linear.intercept_.copy()
