"""Run independent build stages side by side: forked worker processes where the system has them, else in turn.

The report's slow stages (word clouds, laying out the PDF) are CPU-bound Python, so threads would not overlap them.
Forked workers start at once with everything already imported; where fork is missing (Windows, macOS's default)
or there is one CPU, each job simply runs when submitted, and the output is the same either way.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

from practitioner_survey.coding.forked import usable_cpus

T = TypeVar("T")


def can_fork() -> bool:
    """Whether jobs can run in forked worker processes here (Linux with more than one CPU)."""
    return "fork" in multiprocessing.get_all_start_methods() and usable_cpus() > 1


class Jobs:
    """A small pool of forked workers used as a context manager; `submit` returns a Future."""

    def __init__(self, workers: int = 2, *, parallel: bool | None = None) -> None:
        use = can_fork() if parallel is None else parallel and can_fork()
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) if use else None

    @property
    def forks(self) -> bool:
        """Whether jobs run in worker processes (else each runs when submitted)."""
        return self._pool is not None

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
