"""The suggestion model: one per question, learning from every decision the analyst makes.

What is learnt: two parts, blended: a linear classifier (hashed word and character n-grams, see features.py; SGD
with logistic loss, updated with `partial_fit` after each decision) and a nearest-neighbour vote over every coded
comment so far (which adapts at once). Cold start comes from the codebook (labels, descriptions, example phrases)
and earlier years' coded comments. Their blend is temperature-scaled so that, on earlier years' comments held
out in turn, it matches how often its first suggestion was right.

What the codebook says (evidence.py: its patterns, keywords and meaning, which carry across wording that no coded
comment used) is added to the learnt model's log-probabilities, LEARNT_WEIGHT x log p + codebook evidence, and the
sum scaled by FINAL_TEMPERATURE into the confidences shown. Both constants were chosen by replaying the bundled
synthetic 2017 comments after the 2016 ones (log loss for the temperature); bench/README "Real comments" gives what
they give on real practitioners' words.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

import numpy as np
from scipy.sparse import csr_matrix
from scipy.special import expit

from practitioner_survey.codebook import Codebook
from practitioner_survey.coding import forked
from practitioner_survey.coding.evidence import CodebookEvidence
from practitioner_survey.coding.features import Featuriser, NeighbourIndex

KNN_K = 7
PARALLEL_MIN = 1_000  # texts from which suggest_many shares the work with forked helpers (else not worth a fork)
SHARE_PART = 1_000  # texts each process suggests for at a time in a shared batch (memory stays flat)
BLEND = 0.7  # weight of the linear model; the rest is the neighbour vote (chosen on the 2016->2017 dev replay)
CODEBOOK_WEIGHT = 0.6  # codebook phrases count for less than a person's decision
LEARNT_WEIGHT = 0.1  # the learnt model's log-probabilities beside the codebook evidence (see the docstring)
FINAL_TEMPERATURE = 0.35
NEAR_FROM = 0.7  # a coded comment this similar (cosine of n-grams) or more is a near-copy of the one suggested for
NEAR_WEIGHT = 5.0  # what an exact copy's code adds to the evidence: a decision on the same words wins over the prior


@dataclass(frozen=True)
class Suggestion:
    """One suggested code with its confidence (0-1)."""

    category_id: str
    label: str
    confidence: float
    subcategory_id: str = ""
    subcategory_label: str = ""


@dataclass(frozen=True)
class Prepared:
    """Comments made ready to suggest for: their n-gram features and the codebook's evidence (both stateless, so
    made without the model's lock)."""

    rows: csr_matrix
    prior: np.ndarray

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    def part(self, rows: slice) -> Prepared:
        return Prepared(self.rows[rows], self.prior[rows])


@dataclass(frozen=True)
class Learnt:
    """Decisions a Suggester has fitted and not yet installed (see Suggester.fit)."""

    examples: list[Example]
    rows: csr_matrix
    coef_t: np.ndarray
    intercept: np.ndarray


@dataclass(frozen=True)
class State:
    """What a Suggester's suggestions and learning depend on, as it stood before some decisions were installed
    (see Suggester.snapshot): restoring it takes those decisions out of the model exactly."""

    version: int
    n_examples: int
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray]
    sub_names: dict[int, dict[str, int]]
    coef_t: np.ndarray
    intercept: np.ndarray
    t: float
    index: tuple[int, csr_matrix | None, int]


@dataclass(frozen=True)
class Example:
    """A coded comment the model learns from."""

    text: str
    category_id: str
    subcategory_id: str = ""
    weight: float = 1.0


def _softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of (texts x categories) logits."""
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    out: np.ndarray = p / p.sum(axis=1, keepdims=True)
    return out


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

    CHUNK_CELLS = 4_000_000  # similarities held at once (rows x coded comments): about 32 MB
    TEMPERATURE_SAMPLE = 2_000  # earlier years' comments the temperature is fitted on, at most

    def __init__(self, codebook: Codebook, prior: Sequence[Example] = (), seed: int = 0) -> None:
        self.codebook = codebook
        self.classes = [c.id for c in codebook.categories]
        self.labels = {c.id: c.label for c in codebook.categories}
        self.sub_labels = {(c.id, s.id): s.label for c in codebook.categories for s in c.subcategories}
        self.featurise = Featuriser()
        self.evidence = CodebookEvidence(codebook)
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
        self._kept = False  # whether a snapshot holds the coefficients' copy in use (so `install` must not reuse it)
        self._behind: State | None = None  # restored, and not yet copied into the linear model (see `fit`)
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

    def _scores(self, x: csr_matrix, exclude: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Blend of the linear model's probabilities and a similarity-weighted vote of the nearest coded comments,
        the similarities themselves (for the subcategories), and per category the similarity of its nearest coded
        comment among those KNN_K (0 if none).

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
        near = np.zeros_like(vote)
        np.maximum.at(
            near, (np.repeat(rows, k), class_index[top].ravel()), np.take_along_axis(sims, top, axis=1).ravel()
        )
        blended: np.ndarray = BLEND * linear + (1 - BLEND) * vote
        return blended, sims, near

    def _calibrated(self, scores: np.ndarray) -> np.ndarray:
        return _softmax(np.log(np.clip(scores, 1e-9, 1)) / self.temperature)

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
        this process where that is possible (see forked.py): the same suggestions, sooner. The batch is worked
        through in parts (SHARE_PART texts a process at a time), and the helpers stop at the end: left waiting,
        each would keep its copy of this model after the caller has moved on to another."""
        texts = list(texts)
        helpers = forked.helpers(self, self.version) if len(texts) >= PARALLEL_MIN else None
        if helpers is None:
            return self.suggest_here(texts, k)
        step = SHARE_PART * (helpers.count + 1)
        out: list[list[Suggestion]] = []
        try:
            for start in range(0, len(texts), step):
                out += forked.share(helpers, self.suggest_here, "suggest_here", texts[start : start + step], k)
        finally:
            forked.shutdown()
        return out

    def suggest_here(self, texts: list[str], k: int = 3) -> list[list[Suggestion]]:
        """suggest_many in this process alone."""
        if not texts:
            return []
        return self.suggest_features(self.prepare(texts, remember=False), k)

    def prepare(self, texts: Sequence[str], remember: bool = True) -> Prepared:
        """What suggestions need of the texts that does not depend on what the model has learnt (no lock needed);
        `remember`: keep the texts' codebook evidence for next time (the loop's comments, not a one-off batch)."""
        return Prepared(self.featurise(texts), self.evidence.logits(texts, remember))

    def _combined(self, learnt: np.ndarray, prior: np.ndarray, near: np.ndarray) -> np.ndarray:
        """The confidences shown: the learnt model's calibrated probabilities, the codebook's evidence, and the
        codes of near-copies already coded."""
        copies = NEAR_WEIGHT * np.clip((near - NEAR_FROM) / (1 - NEAR_FROM), 0, 1)
        return _softmax((LEARNT_WEIGHT * np.log(learnt + 1e-3) + prior + copies) / FINAL_TEMPERATURE)

    def _probabilities(self, prepared: Prepared, part: slice) -> tuple[np.ndarray, np.ndarray]:
        """The confidences shown for one chunk of the texts prepared, and its similarities (for subcategories)."""
        scores, sims, near = self._scores(prepared.rows[part])
        return self._combined(self._calibrated(scores), prepared.prior[part], near), sims

    def suggest_features(self, prepared: Prepared, k: int = 3) -> list[list[Suggestion]]:
        """suggest_many for texts already prepared (by self.prepare, which needs no lock: it is stateless)."""
        out: list[list[Suggestion]] = []
        for part in self._chunks(len(prepared)):
            probabilities, sims = self._probabilities(prepared, part)
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

    def first_confidences(self, prepared: Prepared) -> np.ndarray:
        """The first suggestion's confidence for each text prepared: what suggest_features would give as
        [0].confidence, without the subcategories."""
        parts = [self._probabilities(prepared, part)[0].max(axis=1) for part in self._chunks(len(prepared))]
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
        if self._behind is not None:  # after a restore: the linear model takes back the coefficients restored
            np.copyto(self.linear.coef_, self._behind.coef_t.T)
            self.linear.intercept_[:] = self._behind.intercept
            self.linear.t_, self._behind = self._behind.t, None
        examples = [Example(t, c, s) for t, c, s in decisions]
        x = self.featurise([e.text for e in examples])
        repeat = np.repeat(np.arange(x.shape[0]), 3)  # three SGD steps on each decision, in order
        with _one_blas_thread():
            self.linear.partial_fit(x[repeat], np.array([c for _, c, _ in decisions])[repeat])
        return Learnt(examples, x, *self._linear_copy())

    def install(self, learnt: Learnt) -> None:
        """The quick half of learn_many: suggestions from now on use what `fit` learnt."""
        self._add(learnt.examples, learnt.rows)
        spare = None if self._kept else self._coef_t
        self._spare, self._coef_t, self._intercept, self._kept = spare, learnt.coef_t, learnt.intercept, False
        self.version += len(learnt.examples)

    def snapshot(self) -> State:
        """The model as it stands, to `restore` later (undo): it shares the arrays that learning replaces rather
        than mutates, so it costs no copy of the coefficients. Take it with no `fit` under way (the learning
        thread takes it just before each fit)."""
        self._kept = True
        t = self._behind.t if self._behind is not None else float(self.linear.t_)
        return State(self.version, len(self.examples), self._arrays,
                     {c: dict(names) for c, names in self._sub_names.items()}, self._coef_t, self._intercept, t,
                     self.index.mark())  # fmt: skip

    def restore(self, state: State) -> None:
        """Back to a snapshot: every decision installed since is taken out (the linear model itself catches up at
        the next `fit`, so that this is quick enough for the screen's key)."""
        self.version = state.version
        del self.examples[state.n_examples :]
        self._arrays, self._sub_tables = state.arrays, None
        self._sub_names = {c: dict(names) for c, names in state.sub_names.items()}
        self._coef_t, self._intercept, self._kept, self._spare = state.coef_t, state.intercept, True, None
        self._behind = state
        self.index.back_to(state.index)

    def release(self, state: State) -> None:
        """A snapshot no longer kept: its copy of the coefficients may be written over by the next `fit`."""
        if state.coef_t is not self._coef_t and state.coef_t.shape == self._coef_t.shape:
            self._spare = state.coef_t

    def _linear_copy(self) -> tuple[np.ndarray, np.ndarray]:
        """The linear model's coefficients transposed (C-contiguous) and intercepts, as suggestions use them."""
        spare, self._spare = self._spare, None  # the copy `install` last replaced, which nothing uses now
        if spare is None or spare.shape != self.linear.coef_.T.shape:
            spare = np.empty(self.linear.coef_.T.shape)  # new memory is slow to touch the first time
        np.copyto(spare, self.linear.coef_.T)
        return spare, self.linear.intercept_.copy()
