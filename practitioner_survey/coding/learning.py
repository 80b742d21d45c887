"""Each question's suggestion model in the coding loop: it learns from the analyst's decisions in a background
thread and rescores the comments waiting, without ever making the screen wait for it.

The thread starts each step only once the screen has left the session alone for QUIET_SECONDS (a key served and
the next comment drawn: see Quiet), and holds the model's lock only to install what it has learnt.
"""

from __future__ import annotations

import heapq
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from practitioner_survey.coding.suggest import Suggester, Suggestion

RESCORE_CHUNK = 16  # comments rescored per hold of the model's lock, so a suggestion never waits long
RESCORE_LIMIT = 64  # comments rescored after each decision, at most (the least sure half, and others in turn)
QUIET_SECONDS = 0.03  # the learning waits until the screen has left the session alone this long (drawing)...
QUIET_MAX_SECONDS = 0.5  # ...but never longer than this per step, so that keys held down cannot starve it


class Quiet:
    """When the screen last used the session. The learning threads run their steps only once the screen has been
    quiet for QUIET_SECONDS (a key served and the next comment drawn), so that they never take the processor or
    the interpreter from a key being served; each wait is capped at QUIET_MAX_SECONDS."""

    def __init__(self, seconds: float = QUIET_SECONDS) -> None:
        self._last = 0.0
        self._seconds = seconds
        self.stopping = False

    def touch(self) -> None:
        self._last = time.monotonic()

    def wait(self) -> None:
        """Return once the screen has been quiet long enough, at most QUIET_MAX_SECONDS from now."""
        deadline = time.monotonic() + QUIET_MAX_SECONDS
        while not self.stopping:
            now = time.monotonic()
            pause = min(self._last + self._seconds, deadline) - now
            if pause <= 0:
                return
            time.sleep(pause)


class QuestionModel:
    """One question's Suggester; it learns in a single background thread and every use holds its lock.

    Decisions queued while the thread is busy are learnt together. The thread holds the lock only to install what it
    learnt (Suggester.fit runs outside it, Suggester.install inside, well under a millisecond); rebuilding the
    neighbour index and rescoring the waiting comments happen outside it too, rescoring at most RESCORE_LIMIT
    comments per decision (the least sure first, then a few others in turn), so that a suggestion for the screen
    never waits long whatever the number of comments.
    """

    def __init__(self, question: str, suggester: Suggester, quiet: Quiet | None = None) -> None:
        self.question = question
        self.suggester = suggester
        # the real model's learning waits for the screen to be quiet; a stand-in's (tests') learns at once
        self._quiet = (quiet or Quiet()) if hasattr(suggester, "fit") else Quiet(0.0)
        self.confidence: dict[int, float] = {}  # comment id -> the first suggestion's confidence, for the order
        self._lock = threading.Lock()  # held while the model is used or changed
        self._queue_lock = threading.Lock()  # held while decisions are queued or taken from the queue
        self._queued = 0
        self._pending: list[tuple[str, str, str]] = []
        self._turn = 0  # where the rotating part of the rescoring has got to
        self._stopping = False
        self._last: Future[None] | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"learn-{question}")
        self._index = getattr(suggester, "index", None)
        if self._index is not None:
            self._index.auto = False  # rebuilt by the learning thread, outside the lock

    def suggest(self, texts: list[str], k: int = 3) -> tuple[list[list[Suggestion]], str]:
        """Suggestions and the model version they came from; texts are featurised before taking the lock."""
        suggest_features = getattr(self.suggester, "suggest_features", None)
        if suggest_features is None:
            with self._lock:
                return self.suggester.suggest_many(texts, k), f"{self.question}:{self.suggester.version}"
        x = self.suggester.featurise(texts)
        with self._lock:
            return suggest_features(x, k), f"{self.question}:{self.suggester.version}"

    def _first_confidences(self, texts: list[str]) -> list[float]:
        """Each text's first suggestion's confidence (without the subcategories, when the model can)."""
        first_confidences = getattr(self.suggester, "first_confidences", None)
        if first_confidences is None:
            ranked, _ = self.suggest(texts, k=1)
            return [r[0].confidence for r in ranked]
        x = self.suggester.featurise(texts)
        with self._lock:
            return [float(c) for c in first_confidences(x)]

    def score(self, waiting: dict[int, str]) -> dict[int, float]:
        """First-suggestion confidences of the waiting comments, computing those not scored yet."""
        missing = [i for i in waiting if i not in self.confidence]
        if missing:
            found = self._first_confidences([waiting[i] for i in missing])
            self.confidence = {**self.confidence, **dict(zip(missing, found, strict=True))}
        return self.confidence

    def learn(self, text: str, category_id: str, subcategory_id: str, waiting: dict[int, str]) -> None:
        """Queue a decision; once learnt (and no other is queued), the waiting comments are rescored."""
        with self._queue_lock:
            self._queued += 1
            self._pending.append((text, category_id, subcategory_id))
        self._last = self._worker.submit(self._learn, dict(waiting))

    def _learn(self, waiting: dict[int, str]) -> None:
        self._quiet.wait()
        with self._queue_lock:
            self._queued -= 1
            batch, self._pending = self._pending, []
        if batch:
            fit = getattr(self.suggester, "fit", None)
            if fit is not None:  # the slow half without the lock: suggestions meanwhile use the model as it was
                learnt = fit(batch)
                with self._lock:
                    self.suggester.install(learnt)
            else:
                with self._lock:
                    for decision in batch:
                        self.suggester.learn(*decision)
        if self._index is not None and self._index.stale():
            self._quiet.wait()
            built = self._index.build()
            with self._lock:
                self._index.install(built)
        ids, fresh = self._to_rescore(waiting), dict[int, float]()
        for start in range(0, len(ids), RESCORE_CHUNK):
            if self._queued or self._stopping:  # a newer decision is waiting (it will rescore), or closing
                break
            self._quiet.wait()
            chunk = ids[start : start + RESCORE_CHUNK]
            fresh.update(zip(chunk, self._first_confidences([waiting[i] for i in chunk]), strict=True))
        self.confidence = {**self.confidence, **fresh}

    def _to_rescore(self, waiting: dict[int, str]) -> list[int]:
        """The waiting comments to rescore after a decision: all when few, else the least sure and the next few
        others in turn."""
        if len(waiting) <= RESCORE_LIMIT:
            return list(waiting)
        confidence = self.confidence
        unsure = heapq.nsmallest(RESCORE_LIMIT // 2, waiting, key=lambda i: (confidence.get(i, 0.0), i))
        ids = list(waiting)
        start = self._turn % len(ids)
        self._turn = start + RESCORE_LIMIT // 2
        taken = set(unsure)
        return unsure + [i for i in (ids[start:] + ids[:start])[: RESCORE_LIMIT // 2] if i not in taken]

    def wait(self) -> None:
        """Block until every queued decision is learnt (raising what learning raised)."""
        if self._last is not None:
            self._last.result()

    def close(self) -> None:
        self._stopping = self._quiet.stopping = True
        self._worker.shutdown(wait=True, cancel_futures=True)
