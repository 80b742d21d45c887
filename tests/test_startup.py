"""`survey` starts without the heavy libraries it does not need: checked by the modules each command imports.

Each command runs in a fresh Python process (as a user runs it) through a small wrapper that writes the names of
the top-level packages in `sys.modules` to a file when the command ends. How long the start takes is measured in
bench/ (`python bench/run.py --only startup`), never here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from practitioner_survey.cli import app
from practitioner_survey.store.core import Store
from practitioner_survey.store.overview import year_counts

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "responses" / "2017"

#: what `--help` of any command must not import: every one of them costs a tenth of a second or more (pydantic
#: about 60 ms: Typer 0.29 coerces every parameter through it, which is why pyproject.toml keeps Typer below 0.29)
NOT_FOR_HELP = {"pandas", "numpy", "openpyxl", "matplotlib", "weasyprint", "spacy", "sklearn", "scipy", "pydantic"}
#: what counting tables and importing returns must not import: the report's and the coding model's libraries
NOT_FOR_WORK = {"matplotlib", "weasyprint", "spacy", "sklearn", "scipy"}

#: Runs `survey` once per argv in its first argument (a JSON list of argv lists), in order, in this one process,
#: and writes to its second argument, per argv, the exit code and the top-level packages it imported first
#: (the first run's include what importing the command line itself imports).
WRAPPER = """
import json, sys
runs, out = json.loads(sys.argv[1]), sys.argv[2]
report, seen = [], {m.split(".")[0] for m in sys.modules}
for argv in runs:
    from practitioner_survey.cli import app  # imported during the first run, which counts what it imports
    try:
        app(args=argv, prog_name="survey")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    now = {m.split(".")[0] for m in sys.modules}
    report.append({"argv": argv, "code": code, "new": sorted(now - seen)})
    seen |= now
with open(out, "w", encoding="utf-8") as f:
    json.dump({"runs": report, "modules": sorted(seen)}, f)
"""


def run_survey(runs: list[list[str]], tmp_path: Path) -> dict[str, object]:
    """Run the argv lists through WRAPPER in a fresh process in tmp_path; its report."""
    out = tmp_path / "modules.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("SURVEY_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, json.dumps(runs), str(out)],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and out.exists(), done.stderr[-3000:]
    report: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    report["stdout"] = done.stdout
    return report


def command_paths(group: object = None, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    """Every command and sub-command of the app, as the argv that names it (typer's groups have `commands`)."""
    group = typer.main.get_command(app) if group is None else group
    paths: list[list[str]] = []
    for name, command in sorted(getattr(group, "commands", {}).items()):
        paths.append([*prefix, name])
        paths.extend(command_paths(command, (*prefix, name)))
    return paths


def test_every_command_is_found_for_the_help_test() -> None:
    """The list the next test walks holds the commands README.md names, sub-commands included."""
    paths = {" ".join(p) for p in command_paths()}
    assert {"import", "status", "tables", "build", "code", "replay", "codebook show", "reference import"} <= paths
    assert len(paths) >= 20


def test_help_of_every_command_imports_no_heavy_library(tmp_path: Path) -> None:
    """`survey --help` and `survey COMMAND --help`, one after another in one process: none of them imports pandas,
    numpy, openpyxl, matplotlib, WeasyPrint, spaCy, scikit-learn or scipy (each would be named at the first
    command that imported it)."""
    runs = [["--help"], *([*path, "--help"] for path in command_paths())]
    report = run_survey(runs, tmp_path)
    results = report["runs"]
    assert isinstance(results, list) and len(results) == len(runs)
    assert all(r["code"] == 0 for r in results), [r["argv"] for r in results if r["code"]]
    assert "Usage: survey status" in str(report["stdout"])  # the help really was printed
    heavy = {" ".join(r["argv"]): sorted(NOT_FOR_HELP & set(r["new"])) for r in results}
    assert not {argv: found for argv, found in heavy.items() if found}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """`survey import` of the bundled 2017 returns into a new store, in a process of its own: (folder, report)."""
    folder = tmp_path_factory.mktemp("startup")
    argv = ["import", str(BUNDLED / "returns-2017.xlsx"), "--year", "2017",
            "--accept-warnings", str(BUNDLED / "acknowledged-warnings.csv")]  # fmt: skip
    return folder, run_survey([argv], folder)


def test_survey_import_imports_neither_the_report_nor_the_model(imported: tuple[Path, dict[str, object]]) -> None:
    folder, report = imported
    (run,) = report["runs"]  # type: ignore[misc]
    assert run["code"] == 0 and "Imported 2017" in str(report["stdout"])
    assert (folder / "survey.db").exists()
    assert {"pandas", "openpyxl"} <= set(run["new"])  # it did read the workbook
    assert not NOT_FOR_WORK & set(run["new"])


def test_survey_tables_imports_neither_the_report_nor_the_model(imported: tuple[Path, dict[str, object]]) -> None:
    folder, _ = imported
    report = run_survey([["tables", "2017", "--out", "counted"]], folder)
    (run,) = report["runs"]  # type: ignore[misc]
    assert run["code"] == 0 and (folder / "counted" / "tables.xlsx").exists()
    assert not NOT_FOR_WORK & set(run["new"])


def test_survey_status_needs_no_pandas(imported: tuple[Path, dict[str, object]]) -> None:
    """`survey status` counts the years with plain SQL rows: no pandas, numpy or openpyxl."""
    folder, _ = imported
    report = run_survey([["status"]], folder)
    (run,) = report["runs"]  # type: ignore[misc]
    assert run["code"] == 0 and "2017" in str(report["stdout"])
    assert not NOT_FOR_HELP & set(run["new"])


def test_status_counts_are_the_stores_summary(imported: tuple[Path, dict[str, object]]) -> None:
    """year_counts (what `survey status` prints) gives the same figures as Store.summary."""
    folder, _ = imported
    with Store(folder / "survey.db", create=False) as store:
        counts, summary = year_counts(store), store.summary()
    assert [c.year for c in counts] == [2017]
    assert [list(vars(c).values()) for c in counts] == summary.values.tolist()
    assert list(vars(counts[0])) == list(summary.columns)
