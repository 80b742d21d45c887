"""A large batch shared between this process and forked copies of it, each doing its part as this process would.

Used by Suggester.suggest_many: a forked helper starts with the model as it stands (copy-on-write, nothing to
send but the texts), so that both cores work and the suggestions are the same as in one process. Only where
fork is the natural start method (Linux), with two processors or more, and from a process without other
threads (forking a process whose threads hold locks can hang the copy): otherwise the caller works alone.
One set of helpers at most, for one owner at one state; they are shut down when the owner changes, at exit,
and die with this process (even killed); Ctrl-C is left to this process, which then stops them.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
import weakref
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
_OWNER: list[Any] = []  # in a helper: the object it was forked with
_CURRENT: dict[str, Any] = {}  # in this process: the "helpers" running, their "owner" (a weak reference), "state"


def usable_cpus() -> int:
    """Processors this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def available() -> bool:
    """Whether work can be shared with forked helpers here and now (no helpers running: they start a thread)."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and usable_cpus() >= 2
        and threading.active_count() == 1
    )


@dataclass(frozen=True)
class Helpers:
    """`count` processes forked with an owner, each running its methods on request."""

    pool: ProcessPoolExecutor
    count: int

    def call(self, method: str, *args: Any) -> Future[Any]:
        """Run owner.method(*args) in a helper."""
        return self.pool.submit(_call, method, args)


def helpers(owner: object, state: Hashable) -> Helpers | None:
    """Helpers forked with `owner` at `state` (made now, replacing any others, unless they exist); None when
    work cannot be shared here."""
    if "helpers" in _CURRENT and _CURRENT["owner"]() is owner and _CURRENT["state"] == state:
        return _CURRENT["helpers"]  # type: ignore[no-any-return]
    shutdown()
    if not available():
        return None
    count = usable_cpus() - 1
    pool = ProcessPoolExecutor(
        count, mp_context=multiprocessing.get_context("fork"), initializer=_adopt, initargs=(owner, os.getpid())
    )
    _CURRENT.update(owner=weakref.ref(owner), state=state, helpers=Helpers(pool, count))
    return _CURRENT["helpers"]  # type: ignore[no-any-return]


def share(helpers: Helpers, here: Callable[..., list[T]], method: str, items: list[Any], *args: Any) -> list[T]:
    """here(items, *args) with the work shared: the items cut into helpers.count + 1 parts in order, the first
    done by `here` in this process while the helpers run owner.method on the others; the results in order. A
    part whose helper failed (killed, say) is done here instead."""
    size = -(-len(items) // (helpers.count + 1))
    parts = [items[i : i + size] for i in range(0, len(items), size)]
    theirs = [helpers.call(method, part, *args) for part in parts[1:]]
    try:
        out = here(parts[0], *args) if parts else []
        for part, future in zip(parts[1:], theirs, strict=True):
            try:
                out += future.result()
            except BrokenProcessPool:
                shutdown()
                out += here(part, *args)
    except BaseException:
        for future in theirs:
            future.cancel()
        raise
    return out


def shutdown() -> None:
    """Stop the helpers, if any."""
    running = _CURRENT.pop("helpers", None)
    _CURRENT.clear()
    if running is not None:
        running.pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)


def _adopt(owner: object, parent: int) -> None:
    """In a new helper: keep the owner, leave Ctrl-C to the parent, and die with the parent."""
    _OWNER[:] = [owner]
    _CURRENT.clear()  # the parent's helpers are not this helper's
    gc.freeze()  # what it shares with the parent is never walked by its collections (which would copy the pages)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)


def _call(method: str, args: tuple[Any, ...]) -> Any:
    return getattr(_OWNER[0], method)(*args)
