"""Run the benchmarks and print a table: python bench/run.py [all] [--runs N] [--quick] [--only NAME] [--sizes N ...]

Each benchmark is an entry in BENCHMARKS: a name, the sizes it runs at, a function run once per run, and optional
targets per size. A size meets its target when the median run is within it. Each benchmark and size runs in a
child process of its own (so its peak memory, with any `survey` command it starts, is its own); inputs come from
`Inputs`, built once per size in a shared work folder before anything is timed. `startup` (bench/startup.py) is
the exception: many short commands timed side by side with a bare `import typer, rich`. Every command runs in a
scratch folder holding copies of responses/, codebook/ and templates/, never in the checkout. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
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

# the checkout beside this file is what is measured, whichever copy of the package is installed
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale
import startup
from procmem import PeakTreeMemory
from scale import BenchmarkError
from synthetic_returns import make_returns

from practitioner_survey.returns.validate import read_returns

ROOT = Path(__file__).resolve().parents[1]
YEAR = scale.YEAR
SITE_FOLDERS = ("responses", "codebook", "templates")  # what `survey` reads from its working folder


# --- inputs, built once per size and shared by the benchmarks -----------------------------------------------


@dataclass
class Inputs:
    """Synthetic inputs in a work folder, made on first use."""

    folder: Path
    seed: int = 1
    _made: dict[tuple[str, int], Path] = field(default_factory=dict)

    def returns(self, size: int) -> Path:
        """A returns workbook with `size` services."""
        key = ("returns", size)
        if key not in self._made:
            path = self.folder / f"returns-{size}" / "returns.xlsx"
            self._made[key] = path if path.exists() else make_returns(size, self.seed, path.parent)
        return self._made[key]

    def imported(self, size: int) -> Path:
        """A store with the `size`-service returns imported (for tables)."""
        db = self.folder / f"imported-{size}.db"
        if not db.exists():
            survey("--db", str(db), "import", str(self.returns(size)), "--year", str(YEAR))
            survey("--db", str(db), "reference", "import", str(self.reference()), "--year", str(YEAR))
        return db

    def reference(self) -> Path:
        return scale.comments_path(self.folder, 100, self.seed) / "reference.csv"

    def year(self, n_comments: int) -> Path:
        """A store with a synthetic year of `n_comments` coded comments (for build)."""
        return scale.loaded_store(self.folder, n_comments, self.seed, survey)

    def bundled(self) -> Path:
        """A store with the bundled 2016 and 2017 loaded (for build 2017 and survey status)."""
        db = self.folder / "bundled.db"
        if not db.exists():
            survey("--db", str(db), "load", str(self.site() / "responses" / "2017"))
        return db

    def site(self) -> Path:
        """A working folder like the project's: copies of responses/, codebook/ and templates/."""
        return make_site(self.folder / "site")


def make_site(folder: Path) -> Path:
    """Copy responses/, codebook/ and templates/ into `folder` (once), so that no command runs in the checkout."""
    for name in SITE_FOLDERS:
        if not (folder / name).exists():
            shutil.copytree(ROOT / name, folder / name)
    return folder


# --- how to run the `survey` command -------------------------------------------------------------------------


def survey_command() -> tuple[list[str], dict[str, str]]:
    """(argv prefix, environment) for `survey` of this checkout: the console script installed beside this Python
    (run by it, never through a wrapper such as pyenv's shim, which adds 0.1 s), else the package via python.

    The checkout goes first on PYTHONPATH, so that it is what is measured, and runs as an installed package does,
    with its modules' bytecode cached (a machine that sets PYTHONDONTWRITEBYTECODE would have each start compile
    them again, about 10 ms of every `--help`: the first, warm-up run writes the bytecode)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    script = Path(sys.executable).with_name("survey")
    if script.is_file():
        return [sys.executable, str(script)], env
    code = "import sys; from practitioner_survey.cli import app; sys.exit(app(prog_name='survey'))"
    return [sys.executable, "-c", code], env


SURVEY, SURVEY_ENV = survey_command()


def survey(*args: str, cwd: Path | None = None) -> str:
    """Run `survey ARGS` as a subprocess in `cwd` (default: the current folder, a scratch site in a benchmark's
    process), without a terminal; its stdout, or BenchmarkError if it failed."""
    done = subprocess.run(
        [*SURVEY, *args], env=SURVEY_ENV, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise BenchmarkError(f"survey {' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return done.stdout


# --- the benchmarks: each returns None (its wall time is the figure) or its own figures -----------------------

Figures = dict[str, float] | None


def import_returns(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """The whole `survey import` into a fresh store, as a user runs it (process start included)."""
    out = survey("--db", str(scratch / "bench.db"), "import", str(inputs.returns(size)), "--year", str(YEAR))
    if f"{size} services" not in out:
        raise BenchmarkError(f"survey import did not report {size} services: {out.strip()}")
    return None


def read_only(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """read_returns in this process: reading and validating, no store."""
    returns = read_returns(inputs.returns(size))
    if len(returns.services) != size or returns.warnings:
        raise BenchmarkError(f"read_returns gave {len(returns.services)} services, {len(returns.warnings)} warnings")
    return None


def pandas_baseline(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """pandas.read_excel(sheet_name=None) of the same workbook: what a plain read costs."""
    sheets = pd.read_excel(inputs.returns(size), sheet_name=None)
    if len(sheets["services"]) != size:
        raise BenchmarkError(f"pandas read {len(sheets['services'])} services")
    return None


def tables(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """`survey tables` of an imported year: every published table counted from the store and written."""
    survey("--db", str(inputs.imported(size)), "tables", str(YEAR), "--out", str(scratch / "tables"))
    if not (scratch / "tables" / "tables.xlsx").exists():
        raise BenchmarkError("survey tables wrote no tables.xlsx")
    return None


def tables_pandas(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """The plain alternative, in a fresh process: pandas read_excel of the workbook and one groupby by region
    (bench/plain_tables.py, which imports pandas and the reference data only, and checks that it did)."""
    script = ROOT / "bench" / "plain_tables.py"
    done = subprocess.run([sys.executable, str(script), str(inputs.returns(size))],
                          env=SURVEY_ENV, capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode:
        raise BenchmarkError(done.stderr.strip()[-2000:])
    return None


def split(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """Every answer of a synthetic year of `size` comments split into comments (splitting.split_many)."""
    found = scale.split_all(scale.answers(inputs.folder, size, inputs.seed))
    return {"comments": found}


def suggest(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """Three suggestions for each of `size` comments, each question's model started from the codebook and the
    bundled comments first (start included)."""
    comments = scale.read_comments(scale.comments_path(inputs.folder, size, inputs.seed))
    return {"suggested": scale.suggest_all(comments)}


def loop(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """The coding loop with `size` comments already coded: key -> next comment and progress (ms, 95th pct)."""
    db = scale.loop_store(inputs.folder, inputs.seed, waiting=2_000) if size == scale.LOOP_CODED else None
    if db is None:
        raise BenchmarkError(f"the loop benchmark runs at {scale.LOOP_CODED} coded comments only")
    figures = scale.loop_latency(db, scratch)
    return {"value": figures["p95_ms"], **figures}


def replay_ours(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """Replay of `size` synthetic comments by our model: top-1 (and top-3, ms per decision)."""
    figures = scale.replay_year(inputs.folder, size, inputs.seed)
    return {"value": figures["top1"], **figures}


def replay_baseline(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """The same replay by TF-IDF + logistic regression refitted after every decision."""
    figures = scale.baseline_replay(inputs.folder, size, inputs.seed)
    return {"value": figures["top1"], **figures}


def build_2017(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """`survey build 2017` (HTML and PDF) on a store with the bundled years loaded, with no build/ folder yet."""
    db = _site_with_store(inputs, scratch)
    survey("--db", str(db), "build", "2017", cwd=scratch)
    if not (scratch / "build" / "2017" / "report.pdf").exists():
        raise BenchmarkError("survey build 2017 wrote no report.pdf")
    return None


def build_2017_warm(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """`survey build 2017` again, nothing changed since the last build (the first build is not timed)."""
    db = _site_with_store(inputs, scratch)
    survey("--db", str(db), "build", "2017", cwd=scratch)
    start = time.perf_counter()
    survey("--db", str(db), "build", "2017", cwd=scratch)
    return {"value": time.perf_counter() - start}


#: the section whose template the rebuild benchmark edits, and the visible text it adds to it
EDITED_TEMPLATE, EDIT_MARK = "glance.html.j2", "Edited for the benchmark"


def build_2017_edited(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """`survey build 2017` after editing one section's template (in the scratch copy of templates/); the first
    build is not timed. Checks that the edit reached the report."""
    db = _site_with_store(inputs, scratch)
    survey("--db", str(db), "build", "2017", cwd=scratch)
    template = scratch / "templates" / EDITED_TEMPLATE
    text = template.read_text(encoding="utf-8")
    if "</h2>" not in text:
        raise BenchmarkError(f"templates/{EDITED_TEMPLATE} has no </h2> to add a line after")
    template.write_text(text.replace("</h2>", f"</h2>\n<p>{EDIT_MARK}.</p>", 1), encoding="utf-8")
    start = time.perf_counter()
    survey("--db", str(db), "build", "2017", cwd=scratch)
    took = time.perf_counter() - start
    if EDIT_MARK not in (scratch / "build" / "2017" / "report.html").read_text(encoding="utf-8"):
        raise BenchmarkError(f"the edit of templates/{EDITED_TEMPLATE} did not reach report.html")
    return {"value": took}


def _site_with_store(inputs: Inputs, scratch: Path) -> Path:
    """Make `scratch` a working folder (responses/, codebook/, templates/) with a copy of the bundled store."""
    make_site(scratch)
    db = scratch / "survey.db"
    shutil.copy(inputs.bundled(), db)
    return db


def build_year(inputs: Inputs, size: int, scratch: Path) -> Figures:
    """`survey build` (HTML and PDF) of a synthetic year with `size` coded comments, already loaded."""
    db = scratch / "year.db"
    shutil.copy(inputs.year(size), db)
    survey("--db", str(db), "build", str(YEAR), "--out", str(scratch / "build"))
    return None


@dataclass(frozen=True)
class Benchmark:
    name: str
    run: Callable[[Inputs, int, Path], Figures]  # gets a fresh empty scratch folder each run
    sizes: tuple[int, ...]
    quick_sizes: tuple[int, ...]
    targets: Mapping[int, float] = field(default_factory=dict)  # size -> most the median may be
    unit: str = "s"  # "s" (wall time), or the unit of the figure `run` returns as "value"
    max_runs: int = 99  # heavy benchmarks run fewer times
    size_is: str = "services"
    prepare: Callable[[Inputs, int], object] | None = None  # makes the inputs before anything is timed
    command: bool = False  # the work is a command run as a subprocess: its processes' memory is what counts


def _answers(inputs: Inputs, size: int) -> object:
    return scale.answers(inputs.folder, size, inputs.seed)


BENCHMARKS: list[Benchmark] = [
    Benchmark("import", import_returns, (1_000, 10_000), (100, 1_000), {10_000: 10.0},
              prepare=lambda i, n: i.returns(n), command=True),
    Benchmark("read only", read_only, (1_000, 10_000), (100, 1_000), prepare=lambda i, n: i.returns(n)),
    Benchmark("pandas read_excel", pandas_baseline, (1_000, 10_000), (100, 1_000), prepare=lambda i, n: i.returns(n)),
    Benchmark("tables", tables, (10_000,), (1_000,), prepare=lambda i, n: i.imported(n), command=True),
    Benchmark("tables: pandas baseline", tables_pandas, (10_000,), (1_000,), prepare=lambda i, n: i.returns(n),
              command=True),
    Benchmark("split", split, (100_000,), (10_000,), size_is="comments", prepare=_answers),
    Benchmark("suggest", suggest, (100_000,), (10_000,), max_runs=2, size_is="comments", prepare=_answers),
    Benchmark("loop: key to next comment", loop, (10_000,), (10_000,), {10_000: 30.0}, unit="ms p95",
              max_runs=2, size_is="coded", prepare=lambda i, n: scale.loop_store(i.folder, i.seed, 2_000)),
    Benchmark("replay top-1: ours", replay_ours, (300, 2_500), (100, 300), unit="top-1", max_runs=1,
              size_is="comments", prepare=lambda i, n: scale.comments_path(i.folder, max(n, 1000), i.seed)),
    Benchmark("replay top-1: baseline", replay_baseline, (300,), (100,), unit="top-1", max_runs=1,
              size_is="comments", prepare=lambda i, n: scale.comments_path(i.folder, 1000, i.seed)),
    Benchmark("build 2017", build_2017, (0,), (0,), {0: 5.0}, max_runs=3, size_is="bundled",
              prepare=lambda i, n: i.bundled(), command=True),
    Benchmark("build 2017: unchanged", build_2017_warm, (0,), (0,), {0: 1.5}, max_runs=3, size_is="bundled",
              prepare=lambda i, n: i.bundled(), command=True),
    Benchmark("build 2017: one template edited", build_2017_edited, (0,), (0,), {0: 2.0}, max_runs=3,
              size_is="bundled", prepare=lambda i, n: i.bundled(), command=True),
    Benchmark("build", build_year, (100_000,), (10_000,), {100_000: 60.0}, max_runs=1, size_is="comments",
              prepare=lambda i, n: i.year(n), command=True),
]  # fmt: skip
MEMORY_LIMIT_MIB = 1024
GAP_TOLERANCE = 1e-6  # points: 0.900 - 0.920 is -2.0000000000000018 points in floating point, and meets "≥ -2"
SPLIT_SUGGEST_TARGET = {100_000: 30.0}  # seconds for split + suggest together (the sum of the two medians)


# --- running each benchmark in a child process, and reporting ------------------------------------------------


@dataclass
class Result:
    name: str
    size: int
    values: list[float]
    target: float | None
    unit: str = "s"
    peak_mib: float = 0.0
    extras: list[dict[str, float]] = field(default_factory=list)
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        if self.peak_mib > MEMORY_LIMIT_MIB:
            return "FAIL (memory)"
        if self.target is None:
            return "-"
        return "pass" if self.median <= self.target else "FAIL"

    def cells(self) -> list[str]:
        size = "bundled" if self.size == 0 else f"{self.size:,}"
        if self.error or not self.values:
            return [self.name, size, str(len(self.values)), "", "", "", self.unit, _target(self.target), "", "ERROR"]
        digits = 3 if self.unit == "top-1" else 1 if self.unit.startswith("ms") else 2
        spread = [f"{v:.{digits}f}" for v in (min(self.values), self.median, max(self.values))]
        return [self.name, size, str(len(self.values)), *spread, self.unit, _target(self.target),
                f"{self.peak_mib:,.0f}", self.verdict()]  # fmt: skip


def _target(value: float | None) -> str:
    return "-" if value is None else f"≤ {value:g}"


def child(name: str, size: int, runs: int, work: Path, seed: int, prepare_only: bool) -> dict[str, object]:
    """Run one benchmark at one size in this process: its figures and this process's peak memory."""
    bench = next(b for b in BENCHMARKS if b.name == name)
    inputs = Inputs(work / "inputs", seed)
    inputs.folder.mkdir(parents=True, exist_ok=True)
    os.chdir(inputs.site())  # every command runs in a copy of the project's folders, never in the checkout
    if prepare_only:
        if bench.prepare is not None:
            bench.prepare(inputs, size)
        return {}
    values: list[float] = []
    extras: list[dict[str, float]] = []
    error = ""
    for i in range(runs):
        scratch = Path(tempfile.mkdtemp(prefix="run-", dir=work))
        try:
            start = time.perf_counter()
            figures = bench.run(inputs, size, scratch)
            took = time.perf_counter() - start
        except BenchmarkError as exc:
            error = str(exc)
            break
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        figures = figures or {}
        values.append(figures.get("value", took))
        extras.append({**figures, "seconds": took})
        scale.progress(f"{name} {size:,}: run {i + 1}/{runs} {values[-1]:.3g} {bench.unit} ({took:.1f} s)")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peak = children if bench.command else max(own, children)  # MiB, the largest single process
    return {"values": values, "extras": extras, "error": error, "peak_mib": peak}


def measure(bench: Benchmark, size: int, runs: int, work: Path, seed: int) -> Result:
    """Prepare the inputs in one child process, then time the runs in another (for its peak memory)."""
    result = Result(bench.name, size, [], bench.targets.get(size), bench.unit)
    base = [sys.executable, str(Path(__file__).resolve()), "--child", bench.name, "--size", str(size),
            "--work", str(work), "--seed", str(seed)]  # fmt: skip
    for extra in (["--prepare"], ["--runs", str(min(runs, bench.max_runs))]):
        with (
            subprocess.Popen([*base, *extra], stdout=subprocess.PIPE, text=True) as process,
            PeakTreeMemory(process.pid, include_root=not bench.command) as peak,
        ):
            stdout, _ = process.communicate()
        if process.returncode != 0:
            result.error = f"the benchmark's process exited {process.returncode} (see above)"
            return result
    report = json.loads(stdout.strip().splitlines()[-1])
    result.values, result.extras, result.error = report["values"], report["extras"], report["error"]
    # the summed peak of the benchmark's processes (a command's: the child that runs it left out), workers and
    # helpers included; getrusage's largest single process where sampling missed a short peak or /proc is unreadable
    result.peak_mib = max(peak.mib, report["peak_mib"])
    return result


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("model name", "Hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load() -> str:
    """The 1-minute load average: above the number of CPUs, the timings are slowed by other work."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def header(seed: int, load_before: str) -> list[str]:
    bytecode = "; bytecode cached" if "PYTHONDONTWRITEBYTECODE" not in SURVEY_ENV else ""
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("pandas", "numpy", "openpyxl", "scikit-learn", "spacy"))
    return [
        f"practitioner_survey benchmarks, {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"machine: {nproc} CPU(s) (nproc), {cpu_model()}, {platform.system()} {platform.machine()}",
        f"load average (1 min): {load_before} at the start, {load()} at the end (above {nproc}: noisy timings)",
        f"python {platform.python_version()}; {versions}",
        f"survey command: {' '.join(SURVEY[:2])}{' …' if len(SURVEY) > 2 else ''} (this checkout first on "
        f"PYTHONPATH{bytecode})",
        f"inputs: bench/synthetic_returns.py and bench/synthetic_year.py, seed {seed}",
    ]


def table(results: list[Result]) -> list[str]:
    titles = ["benchmark", "size", "runs", "min", "median", "max", "unit", "target", "peak MiB", "result"]
    rows = [titles, *(r.cells() for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(titles))]
    right = {1, 2, 3, 4, 5, 8}

    def line(row: list[str]) -> str:
        cells = (c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        return "  ".join(cells).rstrip()

    return [line(titles), "  ".join("-" * w for w in widths), *(line(r) for r in rows[1:])]


def comparisons(results: list[Result]) -> tuple[list[str], bool]:
    """Ratios against the baselines, split + suggest, the loop's breakdown and replay quality at scale, where they
    ran; and whether every target among them was met."""
    by = {(r.name, r.size): r for r in results if r.values and not r.error}
    first = {r.name: r for r in reversed(results) if r.values and not r.error}
    out, ok = [], True
    for size, target in SPLIT_SUGGEST_TARGET.items():
        if ("split", size) in by and ("suggest", size) in by:
            total = by[("split", size)].median + by[("suggest", size)].median
            verdict = "pass" if total <= target else "FAIL"
            ok = ok and verdict == "pass"
            parts = f"{by[('split', size)].median:.1f} + {by[('suggest', size)].median:.1f}"
            out.append(f"split + suggest of {size:,} comments: {parts} = {total:.1f} s (≤ {target:g} s) {verdict}")
    if "tables" in first and "tables: pandas baseline" in first:
        ours, plain = first["tables"].median, first["tables: pandas baseline"].median
        out.append(f"tables: survey tables {ours:.2f} s vs pandas read_excel + groupby {plain:.2f} s "
                   f"(ratio {ours / plain:.2f}; ours also checks every cell and writes every table)")  # fmt: skip
    if "replay top-1: ours" in first and "replay top-1: baseline" in first:
        base = first["replay top-1: baseline"]
        ours = by.get(("replay top-1: ours", base.size), first["replay top-1: ours"])
        b, o = base.extras[0], ours.extras[0]
        out.append(f"suggestions: ours {o['per_decision_ms']:.0f} ms per decision (top-1 {o['top1']:.3f}, "
                   f"n={o['n']:.0f}) vs TF-IDF + LR refit per decision {b['per_decision_ms']:.0f} ms "
                   f"(top-1 {b['top1']:.3f}, n={b['n']:.0f}): {b['per_decision_ms'] / o['per_decision_ms']:.0f}x "
                   f"faster")  # fmt: skip
    replays = sorted((r for r in results if r.name == "replay top-1: ours" and r.values), key=lambda r: r.size)
    for small in replays[:-1]:
        large = replays[-1]
        gap = (large.median - small.median) * 100
        verdict = "pass" if gap >= -2 - GAP_TOLERANCE else "FAIL"
        ok = ok and verdict == "pass"
        out.append(f"replay at scale: top-1 {large.median:.3f} at {large.size:,} comments vs {small.median:.3f} at "
                   f"{small.size:,}: {gap:+.1f} points (target: no more than 2 points lower) {verdict}")  # fmt: skip
    if "loop: key to next comment" in first:
        e = first["loop: key to next comment"].extras
        out.append("loop: per key (median of runs) p50 {:.1f} ms, p95 {:.1f} ms; in the store p95 {:.1f} ms, in the "
                   "session p95 {:.1f} ms; session start {:.1f} s".format(
                       *(statistics.median(x[k] for x in e)
                         for k in ("p50_ms", "p95_ms", "store_p95_ms", "session_p95_ms", "open_s"))))  # fmt: skip
    return out, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the practitioner_survey benchmarks and print a table.")
    parser.add_argument("what", nargs="?", choices=["all"], default="all", help="every benchmark (the default)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per benchmark and size (default 3)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a check that everything runs")
    parser.add_argument("--sizes", type=int, nargs="+", help="run at these sizes instead")
    parser.add_argument("--only", action="append", help="run only this benchmark (repeatable)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic inputs (default 1)")
    parser.add_argument("--keep", type=Path, help="make and keep the inputs in this folder (reused next time)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.size, args.runs, args.work, args.seed, args.prepare)))
        return 0
    names = [STARTUP, *(b.name for b in BENCHMARKS)]
    unknown = set(args.only or ()) - set(names)
    if unknown:
        parser.error(f"unknown benchmark(s) {sorted(unknown)}; choose from {names}")
    chosen = [b for b in BENCHMARKS if not args.only or b.name in args.only]

    load_before = load()
    results: list[Result] = []
    started: list[str] = []
    ok = True
    with tempfile.TemporaryDirectory(prefix="survey-bench-") as tmp:
        work = (args.keep or Path(tmp)).resolve()
        if not args.only or STARTUP in args.only:
            started, ok = run_startup(work, args.seed, rounds=5 if args.quick else STARTUP_ROUNDS)
        for bench in chosen:
            for size in args.sizes or (bench.quick_sizes if args.quick else bench.sizes):
                results.append(measure(bench, size, args.runs, work, args.seed))
    lines, compared_ok = comparisons(results)
    out = header(args.seed, load_before)
    if started:
        out += ["", *started]
    if results:
        out += ["", *table(results), "", *lines]
    print("\n".join(out))
    for r in results:
        if r.error:
            print(f"\n{r.name} {r.size:,}: {r.error}")
    return 1 if not (ok and compared_ok) or any(r.verdict() not in ("pass", "-") for r in results) else 0


STARTUP = "startup"
STARTUP_ROUNDS = 10


def run_startup(work: Path, seed: int, rounds: int) -> tuple[list[str], bool]:
    """bench/startup.py's table (every command's start beside the bare import), in a scratch site; and whether
    every target was met."""
    inputs = Inputs(work / "inputs", seed)
    inputs.folder.mkdir(parents=True, exist_ok=True)
    site = inputs.site()
    store = inputs.bundled()  # 2016 and 2017, for survey status
    scale.progress(f"startup: {rounds} rounds of every command's start")
    timings = startup.measure(SURVEY, SURVEY_ENV, site, store, rounds)
    return startup.table(timings)


if __name__ == "__main__":
    sys.exit(main())
