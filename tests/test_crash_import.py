"""kill -9 `survey import` at random points: the store opens, passes `survey check`, and the year is all there or not.

Real processes, run through tests/traced_survey.py so that each kill can be placed (before the store was written,
inside the import's transaction, while committing or after) and counted. The delays are seeded, so a failing run
can be repeated; SURVEY_CRASH_RUNS sets how many kills (default 16, a couple of seconds each).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.loading.importing import import_year
from practitioner_survey.reference import police_force_areas
from practitioner_survey.store.check import check_store
from practitioner_survey.store.core import Store

HARNESS = Path(__file__).with_name("traced_survey.py")
RUNS = int(os.environ.get("SURVEY_CRASH_RUNS", "16"))
SERVICES = 500  # enough rows that the import's transaction takes a while to write
# (what is in the store, left out: when it was written)
FINGERPRINT = {
    "imports": "year, checksum", "source_files": "year, name, sha256, size, bytes, import_checksum",
    "services": "*", "staffing": "*", "rollovers": "*", "revisions": "*",
}  # fmt: skip


def write_returns(folder: Path, year: int, services: int, seed: int) -> Path:
    """services.csv and staffing.csv for `services` synthetic services, one or two police force areas each."""
    rng = random.Random(seed)
    areas = list(police_force_areas()["police_force_area"])
    folder.mkdir(parents=True)
    rows = ["service_id,service_name,employs_practitioners,response_mode,idva_cases,other_comments"]
    staff = ["service_id,police_force_area,idva_headcount,idva_fte,idva_fte_high_risk,outreach_fte"]
    for n in range(1, services + 1):
        rows.append(f"S{n:05d},Service {n} of {year},yes,online,marac,Comment number {n} for {year}.")
        for area in rng.sample(areas, rng.choice((1, 2))):
            head = rng.randint(1, 6)
            staff.append(f"S{n:05d},{area},{head},{head * 0.5},{head * 0.25},{rng.randint(0, 4)}")
    (folder / "services.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "staffing.csv").write_text("\n".join(staff) + "\n", encoding="utf-8")
    return folder


def fingerprint(db: Path, year: int) -> list[tuple[object, ...]]:
    """Every row the year holds, timestamps aside: equal fingerprints, equal imports."""
    with Store(db, create=False) as store:
        rows: list[tuple[object, ...]] = []
        for table, columns in FINGERPRINT.items():
            rows += [(table, *r) for r in sorted(store._rows(f"SELECT {columns} FROM {table} WHERE year = ?", year))]
        return rows


def marks(trace: Path) -> str:
    return trace.read_text() if trace.exists() else ""


def spawn(db: Path, trace: Path, folder: Path, replace: bool) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(HARNESS), "--db", str(db), "import", str(folder), "--year", "2017"]
    return subprocess.Popen(
        command + (["--replace"] if replace else []), env={**os.environ, "SURVEY_TRACE": str(trace)},
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def wait_for_marks(process: subprocess.Popen[bytes], trace: Path, begins: int, timeout: float = 60) -> None:
    """Until the trace holds `begins` B marks (the import's transaction has begun) or the process has ended."""
    deadline = time.monotonic() + timeout
    while marks(trace).count("B") < begins and process.poll() is None:
        assert time.monotonic() < deadline, "the import never began its transaction"
        time.sleep(0.0005)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Returns for 2016, 2017 and a different 2017, template stores, their fingerprints and the import's timings."""
    root = tmp_path_factory.mktemp("crash-import")
    old = write_returns(root / "2016", 2016, 40, 1)
    first, second = (write_returns(root / name, 2017, SERVICES, seed) for name, seed in (("2017a", 2), ("2017b", 3)))
    with_2016, with_both, with_b = root / "with-2016.db", root / "with-both.db", root / "with-b.db"
    with Store(with_2016) as store:
        import_year(store, old, 2016)
    shutil.copy(with_2016, with_both)
    with Store(with_both) as store:
        import_year(store, first, 2017)
    shutil.copy(with_2016, with_b)
    with Store(with_b) as store:
        import_year(store, second, 2017)
    # one uninterrupted run: how long the whole command takes, and its transaction
    db, trace = root / "timing.db", root / "timing.trace"
    shutil.copy(with_2016, db)
    start = time.monotonic()
    process = spawn(db, trace, first, replace=False)
    wait_for_marks(process, trace, 1)
    begun = time.monotonic()
    while "C" not in marks(trace) and process.poll() is None:
        time.sleep(0.0005)
    committed = time.monotonic()
    assert process.wait(60) == 0
    return {
        "root": root, "returns": {"a": first, "b": second}, "templates": {"2016": with_2016, "both": with_both},
        "fingerprints": {"2016": fingerprint(with_2016, 2016), "a": fingerprint(with_both, 2017),
                         "b": fingerprint(with_b, 2017)},
        "total": time.monotonic() - start, "transaction": max(committed - begun, 0.005),
    }  # fmt: skip


def test_kill_9_at_random_points_of_an_import_leaves_the_year_whole_or_absent(world: dict[str, object]) -> None:
    rng = random.Random(20261123)
    root, returns = world["root"], world["returns"]
    templates, prints = world["templates"], world["fingerprints"]
    assert isinstance(root, Path) and isinstance(returns, dict) and isinstance(templates, dict)
    assert isinstance(prints, dict) and isinstance(world["total"], float) and isinstance(world["transaction"], float)
    tally: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    for run in range(RUNS):
        # a fresh store (migrations run in the killed process too), a first import of 2017, or a replacement
        scenario = ("fresh", "first", "replace")[run % 3]
        db, trace = root / f"run{run}.db", root / f"run{run}.trace"
        if scenario != "fresh":
            shutil.copy(templates["both" if scenario == "replace" else "2016"], db)
        begins = 4 if scenario == "fresh" else 1  # the import's BEGIN comes after three migrations on a fresh store
        process = spawn(db, trace, returns["b" if scenario == "replace" else "a"], replace=scenario == "replace")
        if rng.random() < 0.3:
            time.sleep(rng.uniform(0, world["total"]))  # anywhere: start-up, reading, writing
        else:
            wait_for_marks(process, trace, begins)  # aimed at the transaction and the commit
            time.sleep(rng.uniform(0, world["transaction"]))
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        code = process.wait(60)
        seen = marks(trace)
        if finished:
            where = "after the command ended"
        elif seen.count("B") < begins:
            where = (
                "before the import's transaction" if scenario != "fresh" or not seen.endswith("B") else "mid-migration"
            )
        elif seen.endswith("B"):
            where = "mid-transaction"
        else:
            where = "committing or after the commit"
        tally[where] += 1

        assert db.exists() or scenario == "fresh"
        if not db.exists():
            outcomes["no store yet"] += 1
            continue
        with Store(db, create=False) as store:  # opens (recovering the write-ahead log) and passes its check
            report = check_store(store)
            years = store.years()
        assert report.ok, f"run {run} ({scenario}, killed {where}): {report.problems}"
        result = CliRunner().invoke(app, ["--db", str(db), "check"])
        assert result.exit_code == 0, result.output
        before = {"fresh": [], "first": [], "replace": prints["a"]}[scenario]
        after = prints["b" if scenario == "replace" else "a"]
        now = fingerprint(db, 2017) if 2017 in years else []
        assert now in (before, after), f"run {run} ({scenario}, killed {where}): 2017 is half imported"
        if scenario != "fresh":
            assert fingerprint(db, 2016) == prints["2016"]
        if where in ("mid-transaction", "before the import's transaction", "mid-migration"):
            assert now == before, f"run {run}: an import killed {where} left rows behind"
        if finished:
            assert code == 0 and now == after
        outcomes["imported" if now == after and now != before else "not imported"] += 1
        db.unlink()
        for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm"), trace):
            leftover.unlink(missing_ok=True)
    print(f"\nkill -9 of survey import, {RUNS} runs: {dict(tally)}; outcome: {dict(outcomes)}")
    assert tally["mid-transaction"] >= max(RUNS // 8, 1), f"too few kills landed inside the transaction: {dict(tally)}"
