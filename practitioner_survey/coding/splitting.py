"""Answer -> candidate comments, as character offsets into the untouched answer.

spaCy's blank English pipeline with rule-based components only: the sentencizer finds sentences, then
`topic_boundaries` starts a new comment at a list item, a semicolon between clauses, a numbered point, or a sentence
that opens with a marker of a new topic ("Also", "Secondly", "Another issue"). Consecutive sentences with no such
marker stay together: they usually elaborate one point. The analyst merges or splits further in the coding loop.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from practitioner_survey.coding import forked

# Words that, opening a sentence or clause, usually start a new topic.
TOPIC_MARKERS = (
    "also",
    "additionally",
    "secondly",
    "thirdly",
    "finally",
    "furthermore",
    "moreover",
    "plus",
    "another",
    "lastly",
    "besides",
)
_MARKER_PHRASES = ("in addition", "as well as this", "on top of that", "on another note", "other issues", "and also")
_LIST_ITEM = re.compile(r"(?m)^[ \t]*(?:[-*•·]|\d{1,2}[.)]|[a-h][.)])[ \t]+")
_NEW_LINE = re.compile(r"(?<=\n)[ \t]*(?=\S)")
_NUMBERED_INLINE = re.compile(r"(?<=\s)(?:\d{1,2}|[ivx]{1,3})\)\s+")
_ANY_MARKER = (*TOPIC_MARKERS, *_MARKER_PHRASES)  # a boundary from the tokens needs one of these (or ';')
MIN_WORDS = 3  # a piece shorter than this stays with its neighbour
PARALLEL_MIN = 2_000  # answers from which split_many shares the work with forked helpers (else not worth a fork)


@dataclass(frozen=True)
class Span:
    """One candidate comment: answer[start:end]."""

    start: int
    end: int

    def text(self, answer: str) -> str:
        return answer[self.start : self.end]


def _rule_boundaries(text: str) -> tuple[set[int], set[int]]:
    """(starts, strong starts) that need no tokens: list items, numbered points and new lines."""
    strong: set[int] = {m.start() for m in _LIST_ITEM.finditer(text)}
    strong |= {m.start() for m in _NUMBERED_INLINE.finditer(text)}
    starts: set[int] = {m.start() for m in _NEW_LINE.finditer(text)}  # a new line is a new point
    return starts, strong


def _needs_tokens(text: str) -> bool:
    """Whether the tokens can add a boundary: only with a semicolon or a topic marker somewhere in the text."""
    if ";" in text:
        return True
    lowered = text.lower()
    return any(marker in lowered for marker in _ANY_MARKER)


@Language.component("topic_boundaries")
def topic_boundaries(doc: Doc) -> Doc:
    """Mark where new comments start in doc.user_data['boundaries'] (character offsets); 'strong' ones (list items,
    semicolons, numbered points) start a comment however short it is."""
    text = doc.text
    starts, strong = _rule_boundaries(text)
    whole = text.lower()  # each loop below can only find something when its words are in the text
    if any(marker in whole for marker in _ANY_MARKER):
        for sent in doc.sents:
            first = next((t for t in sent if not t.is_punct and not t.is_space), None)
            if first is None:
                continue
            lowered = text[first.idx : first.idx + 20].lower()
            if first.lower_ in TOPIC_MARKERS or lowered.startswith(_MARKER_PHRASES):
                starts.add(first.idx)
    if ";" in text or "also" in whole:
        for token in doc:
            if token.text == ";" and token.i + 1 < len(doc):
                strong.add(doc[token.i + 1].idx)
            if token.lower_ == "and" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "also":
                starts.add(token.idx)
    doc.user_data["boundaries"] = sorted(starts | strong)
    doc.user_data["strong"] = strong
    return doc


@cache
def pipeline() -> Language:
    """spacy.blank('en') with the sentencizer and the topic-boundary rules; nothing downloaded."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("topic_boundaries")
    return nlp


def split_answer(answer: str) -> list[Span]:
    """Candidate comments of one answer, in order, without leading/trailing space or bullets."""
    return split_many([answer])[0]


class _Splitter:
    """What forked helpers run: split_many's work on their share of the answers."""

    def split_here(self, answers: list[str], batch_size: int) -> list[list[Span]]:
        return _split_here(answers, batch_size)


_SPLITTER = _Splitter()


def split_many(answers: list[str], batch_size: int = 256) -> list[list[Span]]:
    """Split many answers at once (spaCy's nlp.pipe). Answers with no semicolon and no topic marker, where the
    tokens could add no boundary, are cut by the rules alone, without tokenising (the same cuts, faster). Many
    answers are shared with forked helpers where that is possible (see forked.py): each answer is split alone,
    so the cuts are the same."""
    answers = list(answers)
    helpers = None
    if len(answers) >= PARALLEL_MIN:
        pipeline()  # made before forking, so that the helpers have it too
        helpers = forked.helpers(_SPLITTER, batch_size)
    if helpers is None:
        return _split_here(answers, batch_size)
    try:
        return forked.share(helpers, _split_here, "split_here", answers, batch_size)
    finally:
        forked.shutdown()  # answers are split once per question: no helpers are left waiting


def _split_here(answers: list[str], batch_size: int) -> list[list[Span]]:
    texts = [a or "" for a in answers]
    tokenised = [i for i, text in enumerate(texts) if text.strip() and _needs_tokens(text)]
    docs = pipeline().pipe([texts[i] for i in tokenised], batch_size=batch_size)
    found: dict[int, tuple[list[int], set[int]]] = {
        i: (doc.user_data["boundaries"], doc.user_data["strong"]) for i, doc in zip(tokenised, docs, strict=True)
    }
    out = []
    for i, text in enumerate(texts):
        if i not in found and text.strip():
            starts, strong = _rule_boundaries(text)
            found[i] = (sorted(starts | strong), strong)
        out.append(_spans(text, *found[i]) if i in found else [])
    return out


def _spans(answer: str, boundaries: list[int], strong: set[int]) -> list[Span]:
    if not answer.strip():
        return []
    cuts = [0, *[b for b in boundaries if 0 < b < len(answer)], len(answer)]
    pieces = []
    for start, end in itertools.pairwise(cuts):
        span = _trim(answer, start, end)
        if span is not None:
            pieces.append((span, start in strong))
    return _merge_short(answer, pieces)


def _trim(answer: str, start: int, end: int) -> Span | None:
    piece = answer[start:end]
    bullet = _LIST_ITEM.match(piece)
    lead = bullet.end() if bullet else 0
    lead += len(piece[lead:]) - len(piece[lead:].lstrip())
    stripped = piece.rstrip().rstrip(";,").rstrip()
    if lead >= len(stripped):
        return None
    return Span(start + lead, start + len(stripped))


def _merge_short(answer: str, pieces: list[tuple[Span, bool]]) -> list[Span]:
    """Join a piece of fewer than MIN_WORDS words, cut off by a weak boundary, to the piece before it."""
    merged: list[Span] = []
    for span, strong in pieces:
        if merged and not strong and len(span.text(answer).split()) < MIN_WORDS:
            merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    return merged
