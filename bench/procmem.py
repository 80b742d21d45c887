"""Peak memory of a process and everything it starts, for bench/run.py: the summed memory of the tree.

`getrusage` gives only the largest single process, but `survey build` forks workers and the coding loop forks
helpers, which hold memory at the same time. A thread samples the process tree from /proc every 20 ms (children
found by their parent id) and keeps the largest sum of each process's proportional set size (PSS, from
/proc/PID/smaps_rollup): a page that forked processes still share is counted once, split between them, where their
resident sizes would count it in each. Where smaps_rollup cannot be read, the resident size stands in (an upper
bound). Linux only; elsewhere it reports nothing and run.py falls back on `getrusage`.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType

PROC = Path("/proc")
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
INTERVAL = 0.02  # seconds between samples


def _parents_and_rss() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, resident bytes) of every process readable in /proc."""
    found: dict[int, tuple[int, int]] = {}
    for entry in os.scandir(PROC):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"{entry.path}/stat", "rb") as f:
                stat = f.read()
        except OSError:  # it ended meanwhile
            continue
        # fields after "(comm)", which may itself hold spaces and parentheses: state, ppid, ... rss is field 24
        fields = stat[stat.rindex(b")") + 2 :].split()
        found[int(entry.name)] = (int(fields[1]), int(fields[21]) * PAGE)
    return found


def _pss(pid: int) -> int | None:
    """Proportional set size of `pid` in bytes, or None where /proc/PID/smaps_rollup cannot be read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def tree_rss(root: int, include_root: bool = True) -> int:
    """Memory of `root`'s descendants, and of `root` itself if `include_root`, summed, now: each process's
    proportional set size where it can be read, else its resident size."""
    table = _parents_and_rss()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            if pid != root or include_root:
                pss = _pss(pid)
                total += table[pid][1] if pss is None else pss
            todo.extend(children.get(pid, ()))
    return total


class PeakTreeMemory:
    """`with PeakTreeMemory(pid) as peak:` samples pid's tree until the block ends; `peak.mib` is the largest sum.
    Without `include_root`, pid itself is left out: the processes it starts are what is measured."""

    def __init__(self, pid: int, include_root: bool = True) -> None:
        self.pid = pid
        self.include_root = include_root
        self.peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-tree-memory", daemon=True)

    @staticmethod
    def available() -> bool:
        return (PROC / "self" / "stat").exists()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid, self.include_root))
            self.samples += 1
            self._stop.wait(INTERVAL)

    def __enter__(self) -> PeakTreeMemory:
        if self.available():
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    @property
    def mib(self) -> float:
        return self.peak / 2**20
