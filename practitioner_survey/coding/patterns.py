"""The codebook's patterns found in a comment: which categories (and subcategories) they point to, and which patterns.

Each category and subcategory may list `patterns` (words and phrases the survey team edits). Both the patterns and
the comment are lower-cased and lemmatised by spaCy's English lookup lemmatizer on a blank pipeline (rule-based, no
trained model; its tables come from the `spacy-lookups-data` package), then spaCy's `PhraseMatcher` finds the
patterns on the lemmas, so "perpetrator programmes" and "refuges" match the patterns "perpetrator programme" and
"refuge". Nothing here logs or keeps the text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from practitioner_survey.codebook import Codebook, load_codebook
from practitioner_survey.errors import SurveyError


@dataclass(frozen=True)
class PatternHit:
    """One pattern found in a comment: its category, its subcategory (None: given on the category) and the pattern."""

    category_id: str
    subcategory_id: str | None
    pattern: str


@lru_cache(maxsize=1)
def _nlp() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    try:
        nlp.initialize()
    except ValueError as exc:  # the lookup tables are missing
        raise SurveyError(
            "matching codebook patterns needs the spacy-lookups-data package: pip install spacy-lookups-data"
        ) from exc
    return nlp


_LEMMAS: dict[int, int] = {}  # a word's hash -> its lemma's hash, as the lookup lemmatizer gives it


def _docs(texts: Iterable[str]) -> Iterable[Any]:
    """The texts lower-cased, tokenised and lemmatised: the lookup lemmatizer's lemmas, set from a cache of each
    word's lemma in one array per text (twice as fast as running the lemmatizer on every token)."""
    import numpy as np
    from spacy.attrs import LEMMA, ORTH

    nlp = _nlp()
    strings = nlp.vocab.strings
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    for doc in nlp.tokenizer.pipe(t.lower() for t in texts):
        words = doc.to_array([ORTH])
        if len(words):
            lemmas = [_LEMMAS.get(h) for h in words.tolist()]
            if None in lemmas:
                for at, h in enumerate(words.tolist()):
                    if lemmas[at] is None:
                        word = strings[h]
                        lemmas[at] = _LEMMAS[h] = strings.add(table.get(word, word))
            doc.from_array([LEMMA], np.array(lemmas, dtype=words.dtype).reshape(-1, 1))
        yield doc


class PatternMatcher:
    """The patterns of one codebook, ready to be looked for in comments."""

    def __init__(self, codebook: Codebook) -> None:
        from spacy.matcher import PhraseMatcher

        self.codebook = codebook
        self._matcher = PhraseMatcher(_nlp().vocab, attr="LEMMA")
        self._hits: dict[str, PatternHit] = {}
        #: patterns whose lemmas are those of an earlier pattern ("refuges" after "refuge"), each with that one
        self.repeats: list[tuple[PatternHit, PatternHit]] = []
        first: dict[tuple[str, ...], PatternHit] = {}
        owners = [
            PatternHit(cat.id, sub.id if sub is not None else None, pattern)
            for cat in codebook.categories
            for sub in (None, *cat.subcategories)
            for pattern in (sub.patterns if sub is not None else cat.patterns)
        ]
        for at, (hit, doc) in enumerate(zip(owners, _docs(h.pattern for h in owners), strict=True)):
            lemmas = tuple(token.lemma_ for token in doc)
            if lemmas in first:  # matched once, under the first pattern
                self.repeats.append((hit, first[lemmas]))
                continue
            first[lemmas] = hit
            key = f"pattern-{at}"
            self._hits[key] = hit
            self._matcher.add(key, [doc])

    @property
    def size(self) -> int:
        """How many patterns the codebook has."""
        return len(self._hits)

    def find(self, text: str) -> list[PatternHit]:
        """Every pattern occurrence in `text`, in the order they occur."""
        return self.find_many([text])[0]

    def find_many(self, texts: Iterable[str]) -> list[list[PatternHit]]:
        """`find` for many texts at once (spaCy pipes them)."""
        return [[hit for hit, _ in hits] for hits in self.find_placed(texts)]

    def find_placed(self, texts: Iterable[str]) -> list[list[tuple[PatternHit, float]]]:
        """`find_many` with where each hit starts, as a share of the comment's length in tokens (0: its start)."""
        vocab = _nlp().vocab
        return [
            [
                (self._hits[vocab.strings[match_id]], start / max(1, len(doc)))
                for match_id, start, _ in self._matcher(doc)
            ]
            for doc in _docs(texts)
        ]

    def categories(self, text: str) -> dict[str, list[PatternHit]]:
        """The categories whose patterns (their own or their subcategories') occur in `text`, with the hits."""
        out: dict[str, list[PatternHit]] = {}
        for hit in self.find(text):
            out.setdefault(hit.category_id, []).append(hit)
        return out


def check_patterns(results: dict[Path, list[str]]) -> dict[Path, list[str]]:
    """`codebook.check_all`'s problems per file, with `lemma_repeats` added for each file that has no other."""
    out = {}
    for path, problems in results.items():
        if not problems and path.suffix == ".yaml" and path.parent.name.isdigit():
            problems = lemma_repeats(load_codebook(path.stem, int(path.parent.name), path.parent.parent))
        out[path] = problems
    return out


def lemma_repeats(codebook: Codebook) -> list[str]:
    """Patterns that repeat an earlier one once lemmatised ("refuges" after "refuge"), as `survey codebook check`
    lists problems: under the same category they are redundant, under another they make the pattern ambiguous."""
    out = []
    for hit, was in PatternMatcher(codebook).repeats:
        where = _where(codebook, hit)
        if hit.category_id == was.category_id:
            out.append(f"{where}: pattern {hit.pattern!r} repeats {was.pattern!r} ({_where(codebook, was)}) once "
                       "words are reduced to their base forms")  # fmt: skip
        else:
            out.append(f"{where}: pattern {hit.pattern!r} reads as {was.pattern!r} under {_where(codebook, was)} "
                       "once words are reduced to their base forms: a pattern may point to one category")  # fmt: skip
    return out


def _where(codebook: Codebook, hit: PatternHit) -> str:
    cat = codebook.by_id(hit.category_id)
    sub = cat.by_id(hit.subcategory_id) if cat is not None and hit.subcategory_id is not None else None
    name = f"category {(cat.label if cat is not None else hit.category_id)!r}"
    return f"{name}, subcategory {sub.label!r}" if sub is not None else name


def classify(hits: list[PatternHit], codebook: Codebook) -> str:
    """The category with most pattern hits; ties and comments with no hit go to the earliest in codebook order."""
    counts = Counter(hit.category_id for hit in hits)
    order = [c.id for c in codebook.categories]
    return max(order, key=lambda cat_id: (counts[cat_id], -order.index(cat_id)))
