"""Run independent build stages side by side: forked worker processes where the system has them, else in turn.

The report's slow stages (laying out the PDF's parts) are CPU-bound Python, so threads would not overlap them.
The workers are forked from one helper process, forked from this one, that first imports what their jobs need
(`warm`: WeasyPrint), so that the import is made once for all of them, while this process counts; jobs and their
results go through the helper. Where fork is missing (Windows, macOS's default) or there is one CPU, each job simply
runs when submitted, and the output is the same either way.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, TypeVar

from practitioner_survey.coding.forked import usable_cpus

T = TypeVar("T")
#: The collector's thresholds while a build works (Python's default is 700, 10, 10): laying out a PDF part or drawing a
#: chart makes many short-lived objects, and a collection every 700 of them took a tenth of WeasyPrint's time.
THRESHOLDS = (10_000, 20, 50)


def can_fork() -> bool:
    """Whether jobs can run in forked worker processes here (Linux with more than one CPU)."""
    return "fork" in multiprocessing.get_all_start_methods() and usable_cpus() > 1


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """While inside: what is already allocated is frozen out of the garbage collector's passes (workers forked
    meanwhile inherit that, and copy fewer pages), and collections come less often; both restored after."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def settle() -> None:
    """In a worker, once its libraries are imported: freeze them out of the collector's passes, as above."""
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def _nothing() -> None:
    """A job that does nothing: submitting it forks the workers."""


class Jobs:
    """A small pool of forked workers used as a context manager; `submit` returns a Future.

    `warm` runs once, in the helper process the workers are forked from, before they are (an import their jobs need:
    what it imports they share)."""

    def __init__(
        self, workers: int = 2, *, parallel: bool | None = None, warm: Callable[[], None] | None = None
    ) -> None:
        self._use = can_fork() if parallel is None else parallel and can_fork()
        self._workers, self._warm = workers, warm
        self._helper: _Helper | None = None

    @property
    def forks(self) -> bool:
        """Whether jobs run in worker processes (else each runs when submitted)."""
        return self._use

    def start(self) -> None:
        """Fork the helper now (else at the first job), so that the workers get ready while this process works on."""
        if self._use and self._helper is None:
            self._helper = _Helper(self._workers, self._warm)

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run `fn(*args)` in a worker, or now when there are no workers (its error then waits in the Future)."""
        if self._use:
            self.start()
            assert self._helper is not None
            return self._helper.submit(fn, *args)
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args))
        except Exception as error:  # handed back by .result(), as a worker's would be
            future.set_exception(error)
        return future

    def __enter__(self) -> Jobs:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._helper is not None:
            self._helper.close(cancel=exc is not None)


class _Helper:
    """The helper process and, in this one, a thread taking the results it sends back into the jobs' Futures."""

    def __init__(self, workers: int, warm: Callable[[], None] | None) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, theirs = context.Pipe()
        serve = (theirs, self._conn, workers, warm)
        self._process = context.Process(target=_serve, args=serve, name="survey-build-helper")
        self._process.start()
        theirs.close()
        self._futures: dict[int, Future[Any]] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count()
        self._reader = threading.Thread(target=self._read, name="survey-build-results", daemon=True)
        self._reader.start()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            job = next(self._ids)
            self._futures[job] = future
            self._conn.send((job, fn, args))
        return future

    def _read(self) -> None:
        while True:
            try:
                job, ok, value = self._conn.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                future = self._futures.pop(job)
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        with self._lock:  # the helper is gone: what it had not answered never will be
            left, self._futures = list(self._futures.values()), {}
        for future in left:
            future.set_exception(BrokenProcessPool("the build's worker processes stopped before finishing"))

    def close(self, cancel: bool) -> None:
        """Tell the helper to stop (dropping jobs not started when `cancel`), and wait for it and its workers."""
        with self._lock, contextlib.suppress(OSError):
            self._conn.send(cancel)
        self._process.join()
        self._reader.join()
        self._conn.close()


def _serve(conn: Connection, theirs: Connection, workers: int, warm: Callable[[], None] | None) -> None:
    """The helper: ready itself, fork the workers (before any thread starts here, as forking safely needs), then pass
    each job on to them and its result back, until told to stop or the other end of the pipe closes (`theirs`, the
    build's end, is closed here, and `conn` in the workers, so that either side sees the other go)."""
    theirs.close()
    if warm is not None:
        warm()
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=conn.close)
    pool.submit(_nothing).result()
    sending = threading.Lock()

    def reply(job: int, future: Future[Any]) -> None:
        try:
            answer: tuple[int, bool, Any] = (job, True, future.result())
        except BaseException as error:  # handed back, to be raised where the job was submitted
            answer = (job, False, error)
        with sending, contextlib.suppress(OSError):
            conn.send(answer)

    cancel = False
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            cancel = True
            break
        if isinstance(message, bool):
            cancel = message
            break
        job, fn, args = message
        pool.submit(fn, *args).add_done_callback(partial(reply, job))
    pool.shutdown(wait=not cancel, cancel_futures=cancel)
    conn.close()
