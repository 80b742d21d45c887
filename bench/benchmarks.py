"""The benchmarks bench/run.py runs: their inputs (built once per size), how `survey` of this checkout is run, and
one function per benchmark, listed with its sizes and targets in BENCHMARKS. See bench/README.md."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# the checkout beside this file is what is measured, whichever copy of the package is installed
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale
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
