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

from practitioner_survey.coding.suggest import State, Suggester, Suggestion

RESCORE_CHUNK = 16  # comments rescored per hold of the model's lock, so a suggestion never waits long
RESCORE_LIMIT = 64  # comments rescored after each decision, at most (the least sure half, and others in turn)
QUIET_SECONDS = 0.03  # the learning waits until the screen has left the session alone this long (drawing)...
QUIET_MAX_SECONDS = 0.5  # ...but never longer than this per step, so that keys held down cannot starve it
UNDO_DEPTH = 3  # learning steps whose model before is kept, so that undo takes them out exactly (each holds one
# copy of the linear model's coefficients: categories x 2^19 floats, about 4 MB per category)

_Decision = tuple[int, str, str, str]  # the decision's id in the log (for undo), text, category id, subcategory id


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

    Undo (`unlearn`) takes a decision out exactly: dropped from the queue if not learnt yet, else the model goes
    back to the snapshot taken before the step that learnt it (one of the last UNDO_DEPTH) and relearns the other
    decisions of that step and later ones, as they were learnt.
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
        self._pending: list[_Decision] = []
        self._history: list[tuple[list[_Decision], State]] = []  # the last learning steps and the model before each
        self._hurry = False  # an undo waits for the learning: it no longer waits for the screen
        self._turn = 0  # where the rotating part of the rescoring has got to
        self._stopping = False
        self._last: Future[None] | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"learn-{question}")
        self._index = getattr(suggester, "index", None)
        if self._index is not None:
            self._index.auto = False  # rebuilt by the learning thread, outside the lock

    def suggest(self, texts: list[str], k: int = 3) -> tuple[list[list[Suggestion]], str]:
        """Suggestions and the model version they came from; texts are prepared before taking the lock."""
        suggest_features = getattr(self.suggester, "suggest_features", None)
        if suggest_features is None:
            with self._lock:
                return self.suggester.suggest_many(texts, k), f"{self.question}:{self.suggester.version}"
        x = self.suggester.prepare(texts)
        with self._lock:
            return suggest_features(x, k), f"{self.question}:{self.suggester.version}"

    def _first_confidences(self, texts: list[str]) -> list[float]:
        """Each text's first suggestion's confidence (without the subcategories, when the model can)."""
        first_confidences = getattr(self.suggester, "first_confidences", None)
        if first_confidences is None:
            ranked, _ = self.suggest(texts, k=1)
            return [r[0].confidence for r in ranked]
        x = self.suggester.prepare(texts)
        with self._lock:
            return [float(c) for c in first_confidences(x)]

    def score(self, waiting: dict[int, str]) -> dict[int, float]:
        """First-suggestion confidences of the waiting comments, computing those not scored yet."""
        missing = [i for i in waiting if i not in self.confidence]
        if missing:
            found = self._first_confidences([waiting[i] for i in missing])
            self.confidence = {**self.confidence, **dict(zip(missing, found, strict=True))}
        return self.confidence

    def learn(
        self, text: str, category_id: str, subcategory_id: str, waiting: dict[int, str], decision_id: int = 0
    ) -> None:
        """Queue a decision (decision_id: its id in the log, for `unlearn`); once learnt (and no other is
        queued), the waiting comments are rescored."""
        with self._queue_lock:
            self._queued += 1
            self._pending.append((decision_id, text, category_id, subcategory_id))
        self._last = self._worker.submit(self._learn, dict(waiting))

    def unlearn(self, decision_id: int) -> bool:
        """Take a decision out of the model exactly, as if it had never been made; False when it was learnt too
        many steps ago for that (the caller then starts the model again from the log)."""
        with self._queue_lock:
            for at, decision in enumerate(self._pending):
                if decision[0] == decision_id:
                    del self._pending[at]
                    return True
        self._hurry = True
        try:
            self.wait()  # the learning thread is idle from here until the next `learn`
        finally:
            self._hurry = False
        step = next((i for i, (batch, _) in enumerate(self._history) if any(d[0] == decision_id for d in batch)), None)
        if step is None:
            return False
        steps, self._history = self._history[step:], self._history[:step]
        with self._lock:
            self.suggester.restore(steps[0][1])
        batches = [[d for d in steps[0][0] if d[0] != decision_id]] + [batch for batch, _ in steps[1:]]
        for batch in batches:
            if batch:
                self._step(batch)
        return True

    def _learn(self, waiting: dict[int, str]) -> None:
        self._wait_quiet()
        with self._queue_lock:
            self._queued -= 1
            batch, self._pending = self._pending, []
        if batch:
            self._step(batch)
        ids, fresh = self._to_rescore(waiting), dict[int, float]()
        for start in range(0, len(ids), RESCORE_CHUNK):
            if self._queued or self._stopping or self._hurry:  # a newer decision will rescore, or closing, or undo
                break
            self._wait_quiet()
            chunk = ids[start : start + RESCORE_CHUNK]
            fresh.update(zip(chunk, self._first_confidences([waiting[i] for i in chunk]), strict=True))
        self.confidence = {**self.confidence, **fresh}

    def _step(self, batch: list[_Decision]) -> None:
        """Learn a batch of decisions, keeping the model as it was before (for undo) when the model can."""
        fit = getattr(self.suggester, "fit", None)
        if fit is not None:  # the slow half without the lock: suggestions meanwhile use the model as it was
            before = self.suggester.snapshot()
            learnt = fit([d[1:] for d in batch])
            with self._lock:
                self.suggester.install(learnt)
                self._history.append((batch, before))
                if len(self._history) > UNDO_DEPTH:
                    self.suggester.release(self._history.pop(0)[1])
        else:
            with self._lock:
                for decision in batch:
                    self.suggester.learn(*decision[1:])
        if self._index is not None and self._index.stale():
            self._wait_quiet()
            built = self._index.build()
            with self._lock:
                self._index.install(built)

    def _wait_quiet(self) -> None:
        if not self._hurry:
            self._quiet.wait()

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
