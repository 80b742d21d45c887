"""Shared fixtures: small returns built straight from DataFrames, a store in a temporary folder, and (for the
modules that test both kinds of store) a PostgreSQL server, see pgserver.py; and, at the start of a session, one line
naming any program the tests need that this machine lacks."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import sqlite3
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pandas as pd
import pgserver
import pytest

from practitioner_survey.errors import Problem
from practitioner_survey.returns import schema
from practitioner_survey.returns.table import SourceFile
from practitioner_survey.returns.validate import Returns
from practitioner_survey.store.core import Store

if TYPE_CHECKING:
    from practitioner_survey.coding.anonymise import Anonymiser

#: Planted in every free-text answer so tests can prove it is never printed and is blanked on rollover.
SECRET = "survivor told us about her ex-partner"


def bench_script(name: str) -> ModuleType:
    """bench/NAME.py loaded as a module (bench/ is not a package), for the tests of the benchmarks' own logic."""
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", Path(__file__).resolve().parents[1] / "bench" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def books(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped codebooks that commands find through SURVEY_CODEBOOKS."""
    folder = tmp_path / "codebook"
    shutil.copytree(Path(__file__).resolve().parents[1] / "codebook", folder)
    monkeypatch.setenv("SURVEY_CODEBOOKS", str(folder))
    return folder


Staff = tuple[str, str, dict[str, float]]  # (service_id, police force area, figures)


def missing_system_programs() -> list[str]:
    """What this machine lacks that some tests need, each with the Debian package(s) that provide it."""
    missing = []
    if shutil.which("chromium") is None:
        missing.append("Chromium (chromium)")
    if shutil.which("soffice") is None:
        missing.append("LibreOffice Calc (libreoffice-calc-nogui)")
    if not os.environ.get(pgserver.ENV, "").strip():
        try:
            pgserver.bin_dir()
        except pgserver.Unavailable:
            missing.append("PostgreSQL's server programs (postgresql)")
    try:
        with redirect_stdout(io.StringIO()), warnings.catch_warnings():  # its banner and warning: the line says it
            warnings.simplefilter("ignore", DeprecationWarning)
            from weasyprint.text import ffi
    except OSError:  # WeasyPrint is installed with the package, but Pango comes from the system
        missing.append("Pango for WeasyPrint (libpango-1.0-0 libpangoft2-1.0-0)")
    else:
        if ffi.harfbuzz_subset is None:
            missing.append("HarfBuzz-subset (libharfbuzz-subset0)")
    return missing


def pytest_sessionstart(session: pytest.Session) -> None:
    """Say at once, in one line, what is missing: the tests needing it fail (never skip) with their own message."""
    missing = missing_system_programs()
    if missing:
        line = (f"this machine lacks {', '.join(missing)}: the tests that need these will fail; "
                "`bash scripts/setup --test` installs them (Debian packages, as root or with sudo)")  # fmt: skip
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(line, red=True, bold=True)
        else:
            sys.stderr.write(line + "\n")


def build_returns(staff: list[Staff], *, content: bytes = b"version 1", warnings: tuple[Problem, ...] = ()) -> Returns:
    """A validated year's returns: one service per distinct service_id, one file holding `content`."""
    ids = list(dict.fromkeys(sid for sid, _, _ in staff))
    services = pd.DataFrame(
        [
            {
                **dict.fromkeys(schema.SERVICES_COLUMNS, ""),
                "service_id": sid,
                "service_name": f"Service {sid}",
                "employs_practitioners": True,
                "response_mode": "online",
                "idva_cases": "marac",
                **dict.fromkeys(schema.FREE_TEXT_QUESTIONS, SECRET),
            }
            for sid in ids
        ],
        columns=list(schema.SERVICES_COLUMNS),
    )
    rows = [{**dict.fromkeys(schema.STAFFING_COLUMNS[2:], 0), **f, "service_id": s, "police_force_area": a}
            for s, a, f in staff]  # fmt: skip
    staffing = pd.DataFrame(rows, columns=list(schema.STAFFING_COLUMNS))
    return Returns(services, staffing, [SourceFile("returns.xlsx", content)], list(warnings))


@pytest.fixture
def make_returns() -> Callable[..., Returns]:
    return build_returns


@pytest.fixture(scope="module")
def store_with_2016(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store already holding a small 2016, made once per module: tests import into their own copy."""
    path = tmp_path_factory.mktemp("base") / "survey.db"
    with Store(path) as store:
        store.import_returns(2016, build_returns([("S1", "Cumbria", {"idva_fte": 2, "idva_headcount": 2})]), {})
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "survey.db"


#: The kinds of store that modules testing both parametrize their `store_url` fixture with.
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres() -> Iterator[pgserver.Server]:
    """A PostgreSQL server for the session; the tests FAIL (never skip) when none can be had."""
    try:
        server = pgserver.server()
    except pgserver.Unavailable as exc:
        pytest.fail(f"no PostgreSQL server for the PostgreSQL tests: {exc}", pytrace=False)
    yield server
    server.stop()


@contextmanager
def backend_url(request: pytest.FixtureRequest, backend: str, folder: Path) -> Iterator[str]:
    """A fresh, empty store of that kind: a SQLite file in `folder`, or a new PostgreSQL database."""
    if backend == "sqlite":
        yield str(folder / "survey.db")
    else:
        server: pgserver.Server = request.getfixturevalue("postgres")
        with server.database() as url:
            yield url


@pytest.fixture
def store_url(db_path: Path) -> str:
    """Where the `store` fixture opens its store: here a SQLite file; test_store.py and test_store_coding.py
    override it with one parametrized over BACKENDS."""
    return str(db_path)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened


@pytest.fixture
def dump() -> Callable[[Path | str], list[str]]:
    """Every table's full contents as text, read through a fresh connection: equal dumps, equal stores."""

    def read(location: Path | str) -> list[str]:
        if str(location).startswith(("postgresql://", "postgres://")):
            return _dump_postgres(str(location))
        conn = sqlite3.connect(location)
        try:
            return list(conn.iterdump())
        finally:
            conn.close()

    return read


def _dump_postgres(url: str) -> list[str]:
    import psycopg

    lines = []
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
        ).fetchall()
        for (table,) in tables:
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()  # type: ignore[arg-type]
            lines += sorted(f"{table}: {row!r}" for row in rows)
    return lines


@pytest.fixture(scope="session")
def anonymiser() -> Anonymiser:
    """The quote anonymiser with its lists and rules alone (no year's services or areas), built once."""
    from practitioner_survey.coding.anonymise import Anonymiser

    return Anonymiser()
