"""The coding loop's latency in a real terminal, once: python bench/terminal.py [--keys 40] [--keep DIR]

Runs `survey code 2030 --question biggest_difference` in a pseudo-terminal (pexpect) on a copy of the loop
benchmark's store (10,000 comments coded, 2,000 to code; made as `bench/run.py` makes it, or reused from the
`--keep` folder), keeps the screen with pyte, and for each key (Enter: accept the first suggestion) measures the
time until the progress line shows one more comment coded and the highlighted comment has changed: the next
comment on screen. Keys are 0.25 s apart after each redraw. Prints the median and 95th percentile in ms. The
figures include pexpect's and pyte's own reading of the screen (polled every millisecond), but not pexpect's
default 50 ms pause before each key sent, which is turned off.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

if importlib.util.find_spec("practitioner_survey") is None:  # run from a checkout without `pip install -e`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pexpect
import pyte
import scale

ROWS, COLUMNS = 40, 120
PROGRESS = re.compile(r"biggest_difference (\d[\d,]*) / (\d[\d,]*)")


class Screen:
    """`survey code` in a pseudo-terminal and the screen it draws."""

    def __init__(self, db: Path) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "LINES": str(ROWS), "COLUMNS": str(COLUMNS)}
        command = ["-c", "from practitioner_survey.cli import app; app()", "--db", str(db), "code", str(scale.YEAR),
                   "--question", scale.LOOP_QUESTION, "--analyst", "bench"]  # fmt: skip
        self.child = pexpect.spawn(sys.executable, command, env=env, dimensions=(ROWS, COLUMNS), cwd=str(db.parent))
        self.child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default: not the screen's time
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)

    def read(self, wait: float) -> None:
        with contextlib.suppress(pexpect.TIMEOUT):
            self.stream.feed(self.child.read_nonblocking(65536, timeout=wait))

    def coded(self) -> int | None:
        found = PROGRESS.search("\n".join(self.screen.display))
        return int(found.group(1).replace(",", "")) if found else None

    def comment(self) -> str:
        rows = (self.screen.buffer[y] for y in range(1, ROWS - 3))
        return " ".join("".join(r[x].data for x in range(COLUMNS) if r[x].reverse) for r in rows).strip()

    def until(self, done: object, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not done():  # type: ignore[operator]
            if time.monotonic() > deadline:
                raise RuntimeError("the screen did not change in time:\n" + "\n".join(self.screen.display))
            self.read(0.001)


def measure(db: Path, keys: int) -> list[float]:
    screen = Screen(db)
    try:
        screen.until(lambda: screen.coded() is not None and screen.comment(), 600)
        times = []
        for _ in range(keys):
            time.sleep(scale.THINK)
            screen.read(0.001)
            before, shown = screen.coded(), screen.comment()
            assert before is not None
            start = time.perf_counter()
            screen.child.send("\r")
            screen.until(lambda b=before, s=shown: screen.coded() == b + 1 and screen.comment() != s, 60)
            times.append(time.perf_counter() - start)
        screen.child.send("xx")  # quit, and yes (the loop asks once)
        screen.child.expect(pexpect.EOF, timeout=120)
        return times
    finally:
        if screen.child.isalive():
            screen.child.terminate(force=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=40, help="keys to time (default 40)")
    parser.add_argument("--keep", type=Path, help="the inputs folder of `bench/run.py --keep DIR` to reuse")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="survey-terminal-") as tmp:
        inputs = (args.keep / "inputs") if args.keep else Path(tmp) / "inputs"
        inputs.mkdir(parents=True, exist_ok=True)
        db = Path(tmp) / "loop.db"
        shutil.copy(scale.loop_store(inputs, args.seed, waiting=2_000), db)
        times = sorted(t * 1000 for t in measure(db, args.keys))
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"survey code in a terminal, {scale.LOOP_CODED:,} coded: {len(times)} keys, key to next comment drawn: "
          f"median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, max {times[-1]:.0f} ms "
          f"(load average {os.getloadavg()[0]:.1f})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
