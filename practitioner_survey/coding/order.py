"""The order in which an analyst meets a question's comments: whole answers, the least sure answer first, and each
answer's pieces in reading order. No store or terminal code here.

The machine's confidence still chooses what comes first, but per answer (its least sure piece) rather than per
piece, so that an analyst reads an answer from its start and codes its pieces one after another, as the text runs.
The answer the analyst is part-way through is finished before another is started; pieces put back for later come
after everything else, in the same order among themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Answers:
    """Which answer each of a question's comments belongs to, and each answer's comments in reading order."""

    of: dict[int, str]
    pieces: dict[str, list[int]]

    @classmethod
    def from_places(cls, places: Iterable[tuple[int, str, int]]) -> Answers:
        """From (comment id, its answer, where in the answer it starts) of every comment."""
        of: dict[int, str] = {}
        pieces: dict[str, list[tuple[int, int]]] = {}
        for comment_id, answer, start in places:
            of[comment_id] = answer
            pieces.setdefault(answer, []).append((start, comment_id))
        return cls(of, {a: [i for _, i in sorted(found)] for a, found in pieces.items()})

    def answer(self, comment_id: int) -> str:
        """The comment's answer (a comment not known here stands alone, as its own answer)."""
        return self.of.get(comment_id, f"#{comment_id}")


def reading_order(
    waiting: Collection[int],
    confidence: Mapping[int, float],
    answers: Answers,
    later: Collection[int] = (),
    current: str | None = None,
) -> Iterator[int]:
    """The `waiting` comments in the order to offer them: first the rest of the `current` answer, then answer
    by answer, least sure first (an answer is as sure as its least sure waiting piece), each answer's pieces in
    reading order; comments put back for `later` after all others, in the same way among themselves. Lazily:
    the answers after the first few are laid out only if asked for."""
    ranked = sorted(waiting, key=_least_sure_first(confidence, later))
    done: set[tuple[str, bool]] = set()
    if current is not None:
        yield from _pieces(current, False, waiting, answers, later)
        done.add((current, False))
    for i in ranked:
        part = (answers.answer(i), i in later)
        if part not in done:
            done.add(part)
            yield from _pieces(*part, waiting, answers, later) if part[0] in answers.pieces else [i]


def first_in_order(
    waiting: Collection[int],
    confidence: Mapping[int, float],
    answers: Answers,
    later: Collection[int] = (),
    current: str | None = None,
) -> int | None:
    """The comment reading_order would offer first (None when nothing waits), without sorting them all."""
    if current is not None and (rest := _pieces(current, False, waiting, answers, later)):
        return rest[0]
    least = min(waiting, key=_least_sure_first(confidence, later), default=None)
    if least is None or answers.answer(least) not in answers.pieces:
        return least
    return _pieces(answers.answer(least), least in later, waiting, answers, later)[0]


def _least_sure_first(
    confidence: Mapping[int, float], later: Collection[int]
) -> Callable[[int], tuple[bool, float, int]]:
    """The comments' ranking before answers are laid out: put back for later last, then least sure first."""
    return lambda i: (i in later, confidence.get(i, 0.0), i)


def _pieces(
    answer: str, put_back: bool, waiting: Collection[int], answers: Answers, later: Collection[int]
) -> list[int]:
    """The answer's waiting pieces in reading order: those put back for later, or the others."""
    return [i for i in answers.pieces.get(answer, ()) if i in waiting and (i in later) == put_back]
