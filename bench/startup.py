"""The start-up benchmark, for bench/run.py: how long `survey` takes to answer before it does any work.

Times, in one run and side by side, a bare `python -c "import typer, rich"` (the least a Typer command with rich
output can cost), `survey --help`, `survey COMMAND --help` for every command and sub-command, and `survey status` on
a store holding 2016 and 2017. Every command runs as a fresh process from the same Python, in turn, round after
round (so that a slow moment of the machine falls on all of them alike), after one untimed round that warms the
disk cache and compiles the package's bytecode. The figures are the median of the rounds, their min-max spread and
the ratio of the median to the baseline's.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HELP_TARGET = 0.2  # seconds, median: `survey --help` and every `survey COMMAND --help`
STATUS_TARGET = 0.4  # seconds, median: `survey status` on a store holding two years
BASELINE_CODE = "import typer, rich"
#: what Typer itself imports beyond the baseline, timed for reference (no target): its rich help formatter for any
#: --help, and its pydantic-based coercion for any command given a parameter (the root's --db counts, so every
#: `survey COMMAND --help` and `survey status` pay it). Private modules of Typer 0.29: left out if not there.
TYPER_FLOORS = {
    "typer's help formatter": "import typer, rich, typer.rich_utils",
    "... and its parameter coercion": "import typer, rich, typer.rich_utils, typer._adapters",
}


@dataclass
class Timing:
    label: str
    argv: list[str]
    target: float | None
    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def verdict(self) -> str:
        if self.target is None:
            return "-"
        return "pass" if self.median <= self.target else "FAIL"


def command_paths(survey: Sequence[str], env: dict[str, str], cwd: Path) -> list[list[str]]:
    """Every command and sub-command, read from the app itself (in a child process, as run.py imports no cli)."""
    code = (
        "import typer\nfrom practitioner_survey.cli import app\n"
        "def walk(group, prefix):\n"
        "    for name, command in sorted(getattr(group, 'commands', {}).items()):\n"
        "        print(' '.join([*prefix, name])); walk(command, [*prefix, name])\n"
        "walk(typer.main.get_command(app), [])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, check=True)
    return [line.split() for line in done.stdout.splitlines() if line.strip()]


def _time(argv: Sequence[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[-3:])} exited {done.returncode}: {done.stderr.decode()[-1000:]}")
    return took


def measure(survey: Sequence[str], env: dict[str, str], cwd: Path, store: Path, rounds: int = 10) -> list[Timing]:
    """Time the baseline, every `--help` and `survey status` (on `store`), `rounds` times each, interleaved."""
    timings = [Timing('python -c "import typer, rich"', [sys.executable, "-c", BASELINE_CODE], None, [])]
    for label, code in TYPER_FLOORS.items():
        if subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True).returncode == 0:
            timings.append(Timing(f"  {label}", [sys.executable, "-c", code], None, []))
    helps = [["--help"], *([*path, "--help"] for path in command_paths(survey, env, cwd))]
    timings += [Timing("survey " + " ".join(argv), [*survey, *argv], HELP_TARGET, []) for argv in helps]
    timings.append(Timing("survey status (2016, 2017)", [*survey, "--db", str(store), "status"], STATUS_TARGET, []))
    for timing in timings:  # warm-up: disk cache and bytecode
        _time(timing.argv, env, cwd)
    for _ in range(rounds):
        for timing in timings:
            timing.values.append(_time(timing.argv, env, cwd))
    return timings


def table(timings: list[Timing]) -> tuple[list[str], bool]:
    """The start-up table, and whether every target was met."""
    base = timings[0].median
    rows = [["start-up", "median s", "min-max s", "x baseline", "target", "result"]]
    for t in timings:
        spread = f"{min(t.values):.3f}-{max(t.values):.3f}"
        target = "-" if t.target is None else f"≤ {t.target:g}"
        rows.append([t.label, f"{t.median:.3f}", spread, f"{t.median / base:.1f}", target, t.verdict()])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row: list[str]) -> str:
        cells = (c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        return "  ".join(cells).rstrip()

    helps = [t for t in timings if t.argv[-1] == "--help"]
    slowest = max(helps, key=lambda t: t.median)
    summary = (
        f"start-up: {len(timings[0].values)} rounds; baseline {base:.3f} s; {len(helps)} --help medians "
        f"{min(t.median for t in helps):.3f}-{slowest.median:.3f} s (slowest: {slowest.label})"
    )
    ok = all(t.verdict() != "FAIL" for t in timings)
    return [line(rows[0]), "  ".join("-" * w for w in widths), *(line(r) for r in rows[1:]), "", summary], ok
