"""What the suggestion model sees of a comment: hashed word and character n-grams, and an index of every coded
comment's features for finding the nearest ones.

Both are stateless in what they compute (a text's features never change), so new words need no refit and a learning
thread can featurise while another suggests; suggest.Suggester blends a linear model with the neighbours' vote.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import cast

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix, hstack

N_FEATURES = 2**18
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"(?u)\b\w+\b")


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

    def mark(self) -> tuple[int, csr_matrix | None, int]:
        """Where the index stands, for `back_to`: rows added later are forgotten, the inverted copy is kept."""
        return self.n, self._inverted, self._indexed

    def back_to(self, mark: tuple[int, csr_matrix | None, int]) -> None:
        """Forget the rows added since `mark` (their memory is written over by the next `add`)."""
        self.n, self._inverted, self._indexed = mark

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
