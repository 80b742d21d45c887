"""Run the benchmarks and print a table: python bench/run.py [--runs N] [--quick] [--only NAME] [--sizes N ...]

Each benchmark is an entry in BENCHMARKS: a name, the sizes it runs at (number of services in a synthetic year
from bench/synthetic_returns.py), a function timed once per run, and optional targets in seconds per size. A
size meets its target when the median run is within it. Add a benchmark by appending an entry; inputs it needs
(a returns workbook today; an imported store later) come from `Inputs`, built once per size and not timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pandas as pd

if importlib.util.find_spec("practitioner_survey") is None:  # run from a checkout without `pip install -e`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_returns import make_returns

from practitioner_survey.returns import read_returns

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2030


class BenchmarkError(RuntimeError):
    """A benchmarked command did not do what it should (a timing of a failure would mean nothing)."""


# --- inputs, built once per size and shared by the benchmarks -----------------------------------------------


@dataclass
class Inputs:
    """Synthetic inputs in a work folder, made on first use."""

    folder: Path
    seed: int
    _made: dict[tuple[str, int], Path] = field(default_factory=dict)

    def returns(self, size: int) -> Path:
        """A returns workbook with `size` services."""
        key = ("returns", size)
        if key not in self._made:
            self._made[key] = make_returns(size, self.seed, self.folder / f"returns-{size}")
        return self._made[key]


# --- how to run the `survey` command -------------------------------------------------------------------------


def survey_command() -> tuple[list[str], dict[str, str]]:
    """(argv prefix, environment) for `survey`: the console script if on PATH, else the package via python."""
    env = dict(os.environ)
    if exe := shutil.which("survey"):
        return [exe], env
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    if importlib.util.find_spec("practitioner_survey.cli.__main__") is not None:
        return [sys.executable, "-m", "practitioner_survey.cli"], env
    code = "import sys; from practitioner_survey.cli import app; sys.exit(app(prog_name='survey'))"
    return [sys.executable, "-c", code], env


SURVEY, SURVEY_ENV = survey_command()


def survey(*args: str) -> str:
    """Run `survey ARGS` as a subprocess, without a terminal; its stdout, or BenchmarkError if it failed."""
    done = subprocess.run(
        [*SURVEY, *args], env=SURVEY_ENV, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BenchmarkError(f"survey {' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return done.stdout


# --- the benchmarks ---------------------------------------------------------------------------------------


def import_returns(inputs: Inputs, size: int, scratch: Path) -> None:
    """The whole `survey import` into a fresh store, as a user runs it (process start included)."""
    out = survey("--db", str(scratch / "bench.db"), "import", str(inputs.returns(size)), "--year", str(YEAR))
    if f"{size} services" not in out:
        raise BenchmarkError(f"survey import did not report {size} services: {out.strip()}")


def read_only(inputs: Inputs, size: int, scratch: Path) -> None:
    """read_returns in this process: reading and validating, no store."""
    returns = read_returns(inputs.returns(size))
    if len(returns.services) != size or returns.warnings:
        raise BenchmarkError(f"read_returns gave {len(returns.services)} services, {len(returns.warnings)} warnings")


def pandas_baseline(inputs: Inputs, size: int, scratch: Path) -> None:
    """pandas.read_excel(sheet_name=None) of the same workbook: what a plain read costs."""
    sheets = pd.read_excel(inputs.returns(size), sheet_name=None)
    if len(sheets["services"]) != size:
        raise BenchmarkError(f"pandas read {len(sheets['services'])} services")


@dataclass(frozen=True)
class Benchmark:
    name: str
    run: Callable[[Inputs, int, Path], None]  # timed; gets a fresh empty scratch folder each run
    sizes: tuple[int, ...]
    quick_sizes: tuple[int, ...]
    targets: Mapping[int, float] = field(default_factory=dict)  # size -> seconds the median must not exceed


BENCHMARKS: list[Benchmark] = [
    Benchmark("import", import_returns, (1_000, 10_000), (100, 1_000), {10_000: 10.0}),
    Benchmark("read only", read_only, (1_000, 10_000), (100, 1_000)),
    Benchmark("pandas read_excel", pandas_baseline, (1_000, 10_000), (100, 1_000)),
]


# --- running and reporting ---------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    size: int
    times: list[float]
    target: float | None
    error: str = ""

    def cells(self) -> list[str]:
        if self.error:
            return [self.name, f"{self.size:,}", str(len(self.times)), "", "", "", _target(self.target), "ERROR"]
        median = statistics.median(self.times)
        verdict = "-" if self.target is None else "pass" if median <= self.target else "FAIL"
        spread = [f"{t:.2f}" for t in (min(self.times), median, max(self.times))]
        return [self.name, f"{self.size:,}", str(len(self.times)), *spread, _target(self.target), verdict]


def _target(seconds: float | None) -> str:
    return "-" if seconds is None else f"≤ {seconds:g} s"


def measure(bench: Benchmark, size: int, runs: int, inputs: Inputs, work: Path) -> Result:
    result = Result(bench.name, size, [], bench.targets.get(size))
    inputs.returns(size)  # make the input before timing anything
    for i in range(runs):
        scratch = Path(tempfile.mkdtemp(prefix="run-", dir=work))
        try:
            start = time.perf_counter()
            bench.run(inputs, size, scratch)
            result.times.append(time.perf_counter() - start)
        except BenchmarkError as exc:
            result.error = str(exc)
            return result
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        print(f"  {bench.name} {size:,}: run {i + 1}/{runs} {result.times[-1]:.2f} s", file=sys.stderr, flush=True)
    return result


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("model name", "Hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def header(seed: int) -> list[str]:
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("pandas", "numpy", "openpyxl"))
    return [
        f"practitioner_survey benchmarks, {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"machine: {nproc} CPU(s) (nproc), {cpu_model()}, {platform.system()} {platform.machine()}",
        f"python {platform.python_version()}; {versions}",
        f"survey command: {' '.join(SURVEY[:2])}{' …' if len(SURVEY) > 2 else ''}",
        f"inputs: bench/synthetic_returns.py, seed {seed}; size = services in the year",
    ]


def table(results: list[Result]) -> list[str]:
    titles = ["benchmark", "size", "runs", "min s", "median s", "max s", "target", "result"]
    rows = [titles, *(r.cells() for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(titles))]
    right = {1, 2, 3, 4, 5}

    def line(row: list[str]) -> str:
        cells = (c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        return "  ".join(cells).rstrip()

    return [line(titles), "  ".join("-" * w for w in widths), *(line(r) for r in rows[1:])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the practitioner_survey benchmarks and print a table.")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per benchmark and size (default 3)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a check that everything runs")
    parser.add_argument("--sizes", type=int, nargs="+", help="run at these sizes instead")
    parser.add_argument("--only", action="append", help="run only this benchmark (repeatable)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic inputs (default 1)")
    args = parser.parse_args(argv)
    names = [b.name for b in BENCHMARKS]
    unknown = set(args.only or ()) - set(names)
    if unknown:
        parser.error(f"unknown benchmark(s) {sorted(unknown)}; choose from {names}")
    chosen = [b for b in BENCHMARKS if not args.only or b.name in args.only]

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="survey-bench-") as tmp:
        inputs = Inputs(Path(tmp) / "inputs", args.seed)
        for bench in chosen:
            for size in args.sizes or (bench.quick_sizes if args.quick else bench.sizes):
                results.append(measure(bench, size, args.runs, inputs, Path(tmp)))
    print("\n".join([*header(args.seed), "", *table(results)]))
    for r in results:
        if r.error:
            print(f"\n{r.name} {r.size:,}: {r.error}")
    return 1 if any(r.error or r.cells()[-1] == "FAIL" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
