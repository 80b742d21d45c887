"""Run independent build stages side by side: forked worker processes where the system has them, else in turn.

The report's slow stages (laying out the PDF's parts) are CPU-bound Python, so threads would not overlap them.
Forked workers start with what this process had imported; `start` forks them early, so that they import what their
jobs need (`warm`, WeasyPrint) while this process counts. Where fork is missing (Windows, macOS's default) or there
is one CPU, each job simply runs when submitted, and the output is the same either way.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
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

    `warm` runs first in each worker (an import its jobs need: it must not raise, or the pool breaks)."""

    def __init__(
        self, workers: int = 2, *, parallel: bool | None = None, warm: Callable[[], None] | None = None
    ) -> None:
        use = can_fork() if parallel is None else parallel and can_fork()
        context = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=warm) if use else None

    @property
    def forks(self) -> bool:
        """Whether jobs run in worker processes (else each runs when submitted)."""
        return self._pool is not None

    def start(self) -> None:
        """Fork the workers now (else at the first job), so that they get ready while this process works on."""
        if self._pool is not None:
            self._pool.submit(_nothing)

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run `fn(*args)` in a worker, or now when there are no workers (its error then waits in the Future)."""
        if self._pool is not None:
            return self._pool.submit(fn, *args)
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args))
        except Exception as error:  # handed back by .result(), as a worker's would be
            future.set_exception(error)
        return future

    def __enter__(self) -> Jobs:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=exc is None, cancel_futures=True)
