"""The store: schema versions, atomic imports, original files, rollovers, revisions, reference."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import BACKENDS, SECRET, backend_url
from typer.testing import CliRunner

from practitioner_survey import reference
from practitioner_survey.cli import app
from practitioner_survey.errors import NotFoundError, Problem, ReferenceError_, ReturnsError, StoreError
from practitioner_survey.returns import schema
from practitioner_survey.returns.provenance import Revision
from practitioner_survey.returns.validate import Returns, ack_key
from practitioner_survey.store import core as store_module
from practitioner_survey.store.core import MIGRATIONS, Store
from practitioner_survey.store.db import SQL

Dump = Callable[[Path | str], list[str]]

CUMBRIA = "Cumbria"
GWENT = "Gwent"
STAFF = [("S1", CUMBRIA, {"idva_fte": 3, "idva_fte_high_risk": 2, "idva_headcount": 4}),
         ("S1", GWENT, {"idva_fte": 1}),
         ("S2", GWENT, {"outreach_fte": 2.5, "volunteers": 3})]  # fmt: skip
HIGH_FTE = Problem("warning", "fte-implausible", "idva_fte is 70, implausible", "returns.xlsx", "staffing", 3,
                   "idva_fte", "S1", CUMBRIA)  # fmt: skip

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every test of the store runs on a SQLite file and on a fresh PostgreSQL database."""
    with backend_url(request, request.param, tmp_path) as url:
        yield url


@pytest.fixture
def year_2016(store: Store, make_returns: Callable[..., Returns]) -> Store:
    store.import_returns(2016, make_returns(STAFF, content=b"2016 return"), {})
    return store


@pytest.fixture
def years_2016_2017(year_2016: Store, make_returns: Callable[..., Returns]) -> Store:
    year_2016.import_returns(2017, make_returns([("S1", CUMBRIA, {"idva_fte": 4})], content=b"2017"), {})
    return year_2016


def revision(field: str, value: float, sid: str = "S1", area: str = CUMBRIA, row: int = 2) -> Revision:
    return Revision(sid, area, field, value, "Cumbria OPCC", "revisions.csv", "abc", row)


# -- opening and migrating ----------------------------------------------------------------------------------


def test_new_store_is_at_the_latest_schema_version(store: Store) -> None:
    assert store.schema_version == len(MIGRATIONS) >= 1


def test_each_migration_runs_once_however_often_the_store_is_opened(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def add_notes_table(conn: SQL) -> None:
        calls.append(1)
        conn.execute("CREATE TABLE notes (text TEXT)")

    Store(store_url).close()
    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, add_notes_table])
    for _ in range(3):
        with Store(store_url) as opened:
            assert opened.schema_version == len(MIGRATIONS) + 1
    assert calls == [1]


def test_store_written_by_a_newer_version_is_refused(store_url: str) -> None:
    with Store(store_url) as opened, opened._transaction() as conn:
        conn.execute("UPDATE store_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer practitioner_survey"):
        Store(store_url)


def test_an_unknown_kind_of_url_is_refused_naming_both_kinds_of_store() -> None:
    with pytest.raises(StoreError, match=r"unknown kind of store 'mysql://u:\*\*\*@h/s'.*postgresql://"):
        Store("mysql://u:secret@h/s")


def test_sqlite_url_opens_that_file_in_wal_mode(tmp_path: Path) -> None:
    Store(f"sqlite:///{tmp_path / 'via-url.db'}").close()
    conn = sqlite3.connect(tmp_path / "via-url.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_a_file_that_is_not_a_store_is_refused_clearly(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_bytes(b"these are not the droids" * 100)
    with pytest.raises(StoreError, match="is not a survey store: it is not a SQLite database"):
        Store(notes)
    assert notes.read_bytes() == b"these are not the droids" * 100


def test_reading_a_missing_store_without_create_names_it(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no store at"):
        Store(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()


# -- importing ----------------------------------------------------------------------------------------------


def test_import_stores_services_and_staffing_with_origin_and_provenance(year_2016: Store) -> None:
    services, staffing = year_2016.services(2016), year_2016.staffing(2016)
    assert year_2016.years() == [2016]
    assert list(services.columns) == [*schema.SERVICES_COLUMNS, "origin", "provenance"]
    assert services["service_id"].tolist() == ["S1", "S2"]
    assert services["employs_practitioners"].dtype == bool
    assert set(services["provenance"]) == {"return returns.xlsx"}
    assert list(staffing.columns) == [*schema.STAFFING_COLUMNS, "provenance"]
    assert staffing["idva_fte"].sum() == 4 and staffing["volunteers"].dtype == "int64"
    assert set(staffing["provenance"]) == {"return"}


def test_failed_import_leaves_the_store_exactly_as_it_was(
    year_2016: Store,
    store_url: str,
    dump: Dump,
    make_returns: Callable[..., Returns],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = dump(store_url)
    real_insert = store_module.insert_rows

    def insert_then_fail_on_acknowledgements(conn: Any, table: str, *args: Any) -> None:
        if table == "acknowledgements":  # files, services and staffing have been written by now
            raise RuntimeError("disk unplugged")
        real_insert(conn, table, *args)

    monkeypatch.setattr(store_module, "insert_rows", insert_then_fail_on_acknowledgements)
    with pytest.raises(RuntimeError):
        year_2016.import_returns(2017, make_returns(STAFF, content=b"2017"), {})
    with pytest.raises(RuntimeError):  # a failed replace keeps the old return too
        year_2016.import_returns(2016, make_returns(STAFF, content=b"2016 again"), {}, replace=True)
    assert dump(store_url) == before
    assert year_2016.years() == [2016]


def test_importing_the_same_files_twice_is_unchanged_and_writes_nothing(
    year_2016: Store, store_url: str, dump: Dump, make_returns: Callable[..., Returns]
) -> None:
    before = dump(store_url)
    outcome = year_2016.import_returns(2016, make_returns(STAFF, content=b"2016 return"), {})
    assert outcome.status == "unchanged"
    assert dump(store_url) == before


def test_a_different_return_for_a_year_is_refused_without_replace(
    year_2016: Store, store_url: str, dump: Dump, make_returns: Callable[..., Returns]
) -> None:
    before = dump(store_url)
    with pytest.raises(StoreError, match="--replace"):
        year_2016.import_returns(2016, make_returns(STAFF[:1], content=b"corrected"), {})
    assert dump(store_url) == before


def test_replace_swaps_the_return_and_reports_the_dropped_rollovers_and_revisions(
    years_2016_2017: Store, make_returns: Callable[..., Returns]
) -> None:
    years_2016_2017.rollover(2017, 2016, ["S2"])
    years_2016_2017.revise(2017, [revision("idva_fte", 5)])
    outcome = years_2016_2017.import_returns(2017, make_returns(STAFF, content=b"2017 v2"), {}, replace=True)
    assert (outcome.status, outcome.replaced) == ("imported", True)
    assert (outcome.rollovers_dropped, outcome.revisions_dropped) == (1, 1)
    assert years_2016_2017.rollovers(2017).empty and years_2016_2017.revisions(2017).empty
    assert years_2016_2017.files(2017)["sha256"].tolist() == [hashlib.sha256(b"2017 v2").hexdigest()]
    assert set(years_2016_2017.services(2017)["origin"]) == {"return"}


def test_unacknowledged_warning_is_refused_and_nothing_is_written(
    store: Store, store_url: str, dump: Dump, make_returns: Callable[..., Returns]
) -> None:
    before = dump(store_url)
    with pytest.raises(ReturnsError) as refused:
        store.import_returns(2016, make_returns(STAFF, warnings=(HIGH_FTE,)), {})
    assert refused.value.problems == [HIGH_FTE]
    assert "1 warning(s) not acknowledged; nothing was written" in refused.value.summary
    assert "--accept-warnings FILE (columns code, service_id, police_force_area, reason)" in refused.value.summary
    assert dump(store_url) == before


def test_acknowledged_warning_is_stored_with_its_reason_and_message(
    store: Store, make_returns: Callable[..., Returns]
) -> None:
    reasons = {ack_key(HIGH_FTE): "confirmed by phone: 7.0 typed as 70"}
    outcome = store.import_returns(2016, make_returns(STAFF, warnings=(HIGH_FTE,)), reasons)
    acks = store.acknowledgements(2016)
    assert outcome.warnings_acknowledged == 1
    assert acks[["code", "service_id", "police_force_area", "reason"]].values.tolist() == [
        ["fte-implausible", "S1", CUMBRIA, "confirmed by phone: 7.0 typed as 70"]
    ]
    message = str(acks.at[0, "message"])
    assert "implausible" in message and "row 3" in message


def test_original_files_are_kept_byte_for_byte_with_their_checksum(year_2016: Store) -> None:
    files = year_2016.files(2016)
    assert files.values.tolist() == [["returns.xlsx", hashlib.sha256(b"2016 return").hexdigest(), 11]]
    assert year_2016.file_bytes(2016, "returns.xlsx") == b"2016 return"
    with pytest.raises(NotFoundError, match=r"its files: returns\.xlsx"):
        year_2016.file_bytes(2016, "other.xlsx")


def test_staffing_for_a_service_not_in_the_return_is_refused_by_the_store(
    store: Store, make_returns: Callable[..., Returns]
) -> None:
    returns = make_returns(STAFF)
    returns.staffing.loc[0, "service_id"] = "S9"
    with pytest.raises(StoreError, match="nothing was changed"):
        store.import_returns(2016, returns, {})
    assert store.years() == []


def test_reading_a_year_not_in_the_store_names_the_years_that_are(year_2016: Store) -> None:
    for read in (year_2016.services, year_2016.staffing, year_2016.files, year_2016.revisions):
        with pytest.raises(NotFoundError, match=r"no returns for 2015.*years in the store: 2016"):
            read(2015)


# -- rollover -----------------------------------------------------------------------------------------------


def test_rollover_copies_service_and_staffing_with_provenance_and_blank_free_text(
    years_2016_2017: Store,
) -> None:
    outcome = years_2016_2017.rollover(2017, 2016, ["S2"])
    services = years_2016_2017.services(2017).set_index("service_id")
    staffing = years_2016_2017.staffing(2017).set_index("service_id")
    assert (outcome.status, outcome.rolled_over, outcome.staffing_rows) == ("rolled_over", ["S2"], 1)
    assert services.loc["S2", "provenance"] == "rolled over from 2016: 2016 Survey Results"
    assert list(services.loc["S2", ["origin", "response_mode", "source_note"]]) == [
        "rollover", "rolled_over", "2016 Survey Results"
    ]  # fmt: skip
    assert SECRET not in list(services.loc["S2", list(schema.FREE_TEXT_QUESTIONS)])
    assert staffing.loc["S2", "outreach_fte"] == 2.5 and staffing.loc["S2", "provenance"] == "rolled over from 2016"
    assert years_2016_2017.rollovers(2017)[["service_id", "from_year"]].values.tolist() == [["S2", 2016]]


def test_rollover_lists_every_problem_at_once_and_writes_nothing(
    years_2016_2017: Store, store_url: str, dump: Dump
) -> None:
    before = dump(store_url)
    with pytest.raises(StoreError) as refused:
        years_2016_2017.rollover(2017, 2016, ["S1", "S3", "S2"])
    message = str(refused.value)
    assert "service S1 is already in 2017 (from its return)" in message
    assert "service S3 is not in 2016's returns (did you mean S" in message
    with pytest.raises(StoreError, match="2015 has no returns"):
        years_2016_2017.rollover(2017, 2015, ["S2"])
    assert dump(store_url) == before


def test_rerunning_a_rollover_changes_nothing(years_2016_2017: Store, store_url: str, dump: Dump) -> None:
    years_2016_2017.rollover(2017, 2016, ["S2"])
    before = dump(store_url)
    outcome = years_2016_2017.rollover(2017, 2016, ["S2"])
    assert (outcome.status, outcome.already_rolled_over) == ("unchanged", ["S2"])
    assert dump(store_url) == before


# -- revise -------------------------------------------------------------------------------------------------


def test_revision_records_old_and_new_values_and_shows_in_provenance(year_2016: Store) -> None:
    outcome = year_2016.revise(2016, [revision("idva_fte", 4)])
    staffing = year_2016.staffing(2016).set_index(["service_id", "police_force_area"])
    assert (outcome.status, outcome.revised) == ("revised", 1)
    assert staffing.loc[("S1", CUMBRIA), "idva_fte"] == 4
    assert staffing.loc[("S1", CUMBRIA), "provenance"] == "return; revised idva_fte 3→4 (Cumbria OPCC)"
    assert year_2016.revisions(2016)[["field", "old_value", "new_value", "file", "file_row"]].values.tolist() == [
        ["idva_fte", 3.0, 4.0, "revisions.csv", 2]
    ]


def test_applying_the_same_revisions_twice_changes_nothing_the_second_time(
    year_2016: Store, store_url: str, dump: Dump
) -> None:
    revisions = [revision("idva_fte", 4), revision("volunteers", 2, area=GWENT, row=3)]
    year_2016.revise(2016, revisions)
    before = dump(store_url)
    outcome = year_2016.revise(2016, revisions)
    assert (outcome.status, outcome.unchanged) == ("unchanged", 2)
    assert dump(store_url) == before


def test_revision_leaving_high_risk_fte_above_fte_is_refused(year_2016: Store, store_url: str, dump: Dump) -> None:
    before = dump(store_url)
    with pytest.raises(ReturnsError) as refused:
        year_2016.revise(2016, [revision("idva_fte", 1.5)])
    [problem] = refused.value.problems
    assert problem.code == "high-risk-above-fte" and problem.row == 2 and "above idva_fte 1.5" in problem.message
    assert dump(store_url) == before


def test_revision_for_an_area_the_return_did_not_list_adds_the_row(year_2016: Store) -> None:
    outcome = year_2016.revise(2016, [revision("isva_fte", 1, sid="S2", area="Cumbria")])
    staffing = year_2016.staffing(2016).set_index(["service_id", "police_force_area"])
    assert outcome.rows_added == 1
    assert list(staffing.loc[("S2", CUMBRIA), ["isva_fte", "idva_fte"]]) == [1, 0]
    assert staffing.loc[("S2", CUMBRIA), "provenance"] == "added by revision; revised isva_fte 0→1 (Cumbria OPCC)"


def test_revisions_report_every_problem_at_once_and_write_nothing(year_2016: Store, store_url: str, dump: Dump) -> None:
    before = dump(store_url)
    bad = [
        revision("idva_fte", 4, sid="S3", row=2),
        revision("idva_headcount", 2.5, row=3),
        revision("idva_fte", -1, row=4),
        revision("idva_fte", 5, row=5),  # also row 4's figure, with another value
    ]
    with pytest.raises(ReturnsError) as refused:
        year_2016.revise(2016, bad)
    messages = {p.row: p.message for p in refused.value.problems}
    assert "service S3 is not in 2016's returns (did you mean S" in messages[2]
    assert "whole number" in messages[3] and "negative" in messages[4] and "row 4" in messages[5]
    assert dump(store_url) == before


def test_revising_a_year_with_no_returns_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="the store holds no returns yet"):
        store.revise(2016, [revision("idva_fte", 4)])


# -- reference ----------------------------------------------------------------------------------------------


def reference_frame(marac: float = 100.0) -> pd.DataFrame:
    areas = reference.police_force_areas()["police_force_area"]
    text = "police_force_area,marac_cases,adult_female_population\n" + "".join(f"{a},{marac},50000\n" for a in areas)
    return reference.parse_reference(text, "ref.csv")


def test_set_reference_replaces_the_years_reference_and_names_its_source(store: Store) -> None:
    store.set_reference(2016, reference_frame(100), "first.csv")
    store.set_reference(2016, reference_frame(300), "second.csv")
    stored = store.reference(2016)
    assert list(stored.columns) == list(reference.REFERENCE_COLUMNS)
    assert len(stored) == len(reference.police_force_areas())
    assert set(stored["marac_cases"]) == {300.0} and set(stored["recommended_fte"]) == {3.0}
    assert store.reference_source(2016).startswith("second.csv (imported ")


def test_reference_with_none_stored_or_bundled_is_a_reference_error(store: Store) -> None:
    if 1990 in reference.reference_years():
        pytest.skip("a reference for 1990 ships with the package")
    with pytest.raises(ReferenceError_, match="survey reference import FILE --year 1990"):
        store.reference(1990)


def test_reference_falls_back_to_the_bundled_one(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = reference_frame(200)
    monkeypatch.setattr(reference, "bundled_reference", lambda year: bundled)
    pd.testing.assert_frame_equal(store.reference(2017), bundled)
    assert store.reference_source(2017) == "bundled with practitioner_survey (recommended_idvas_2017.csv)"


# -- opening a file that is not (yet) a store, or one that cannot be written -------------------------------------


def untouched(path: Path) -> tuple[bytes, int, list[str]]:
    """A file's bytes, modification time and the files beside it: equal before and after, nothing was written."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


def test_another_programs_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "other-program.sqlite"
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('someone')")
        conn.commit()
    before = untouched(other)
    for create in (True, False):
        with pytest.raises(StoreError, match=r"another program's SQLite database \(tables contacts\).*untouched"):
            Store(other, create=create)
    result = CliRunner().invoke(app, ["--db", str(other), "status"])
    assert result.exit_code == 1 and "not a survey store" in result.stderr
    assert untouched(other) == before  # no table added, no write-ahead log beside it
    with contextlib.closing(sqlite3.connect(other)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["contacts"]


def test_random_bytes_are_refused_untouched_as_not_a_sqlite_database(tmp_path: Path) -> None:
    noise = tmp_path / "survey.db"
    noise.write_bytes(random.Random(7).randbytes(8192))
    before = untouched(noise)
    for command in (["status"], ["check"], ["import", str(tmp_path), "--year", "2017"]):
        result = CliRunner().invoke(app, ["--db", str(noise), *command])
        assert result.exit_code == 1 and "is not a survey store: it is not a SQLite database" in result.stderr
    assert untouched(noise) == before


def test_an_empty_file_is_no_store_for_reading_and_becomes_one_when_a_command_creates_one(tmp_path: Path) -> None:
    empty = tmp_path / "survey.db"
    empty.touch()
    for command in ("status", "check"):
        result = CliRunner().invoke(app, ["--db", str(empty), command])
        assert (
            result.exit_code == 1 and "no store at" in result.stderr and "the file is empty, 0 bytes" in result.stderr
        )
    assert empty.stat().st_size == 0  # reading made nothing
    with Store(empty) as made:  # as `survey import` opens it: an empty file is a store not made yet
        assert made.schema_version == len(MIGRATIONS)


def test_a_sqlite_file_with_no_tables_is_no_store_for_reading(tmp_path: Path) -> None:
    blank = tmp_path / "blank.db"
    with contextlib.closing(sqlite3.connect(blank)) as conn:
        conn.execute("PRAGMA user_version = 1")  # a valid SQLite file of one page, no tables
    before = untouched(blank)
    with pytest.raises(NotFoundError, match="holds no tables"):
        Store(blank, create=False)
    assert untouched(blank) == before


def as_reader_who_cannot_write(work: Callable[[], Any], cwd: Path | None = None) -> Any:
    """work() in a forked child that cannot write the store's folder: as root (who writes anywhere) the child drops
    to the user nobody, first moving to `cwd` if given; pickled back to the parent."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        os.close(read)
        try:
            if cwd is not None:
                os.chdir(cwd)
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            payload = pickle.dumps(("done", work()))
        except BaseException as exc:
            payload = pickle.dumps(("raised", f"{type(exc).__name__}: {exc}"))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        outcome, value = pickle.loads(pipe.read())
    os.waitpid(pid, 0)
    assert outcome == "done", value
    return value


@contextlib.contextmanager
def software_readable_by_others() -> Iterator[None]:
    """The folders above this checkout made searchable by other users while the block runs (a reader who cannot
    write the store can still read the software and its data; CI's clone sits in root's home, mode 0700)."""
    changed = []
    for folder in ROOT.parents:
        mode = folder.stat().st_mode
        if os.geteuid() == 0 and not mode & 0o001:
            folder.chmod(mode | 0o001)
            changed.append((folder, mode))
    try:
        yield
    finally:
        for folder, mode in changed:
            folder.chmod(mode)


@pytest.fixture
def read_only_store(make_returns: Callable[..., Returns]) -> Iterator[Path]:
    """A store holding 2017 in a folder nobody may write (outside pytest's own private temporary folders)."""
    folder = Path(tempfile.mkdtemp(prefix="survey-read-only-"))
    path = folder / "survey.db"
    with Store(path) as made:
        made.import_returns(2017, make_returns(STAFF), {})
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield path
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_a_store_in_a_read_only_folder_can_be_read_by_status_check_tables_and_backup(read_only_store: Path) -> None:
    runner, db = CliRunner(), ["--db", str(read_only_store)]

    def commands(out: Path) -> list[list[str]]:
        return [["status"], ["check"], ["tables", "2017", "--out", str(out / "tables")], ["backup", str(out / "b.db")]]

    with tempfile.TemporaryDirectory() as warm:  # the same commands on a writable copy first: every import is made
        shutil.copy(read_only_store, Path(warm) / "survey.db")
        for command in commands(Path(warm) / "out"):
            warmed = runner.invoke(app, ["--db", str(Path(warm) / "survey.db"), *command])
            assert warmed.exit_code == 0, warmed.output
    before = untouched(read_only_store)
    out = Path(tempfile.mkdtemp(prefix="survey-out-"))
    out.chmod(0o777)  # where the reader who cannot write the store's folder writes tables and the backup
    # the report's settings and templates where this reader can read them (a clone in root's home, as in CI, is not)
    shutil.copy(ROOT / "report.toml", out / "report.toml")
    shutil.copytree(ROOT / "templates", out / "templates")
    settings = {"SURVEY_REPORT_TOML": str(out / "report.toml"), "SURVEY_TEMPLATES": str(out / "templates")}

    def read() -> list[tuple[int, str, str]]:
        results = [runner.invoke(app, [*db, *command], env=settings) for command in commands(out)]
        refused = runner.invoke(app, [*db, "check", "--repair"])  # a command that writes
        return [(r.exit_code, r.stdout, r.stderr) for r in [*results, refused]]

    private = Path(tempfile.mkdtemp(prefix="survey-private-"))  # mode 0700: as a clone in root's home, which the
    try:  # reader cannot look into for a report.toml or templates/ (found by CI, where the clone is in /root)
        with software_readable_by_others():
            (status, check, tables, backup, repair) = as_reader_who_cannot_write(read, cwd=private)
    finally:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(private, ignore_errors=True)
    assert status[0] == 0 and "2017" in status[1], status
    assert check[0] == 0 and "OK:" in check[1], check
    assert tables[0] == 0 and "wrote" in tables[1], tables
    assert backup[0] == 0 and "Backed up" in backup[1], backup
    assert repair[0] == 1 and "is read-only here" in repair[2], repair
    assert untouched(read_only_store) == before


def test_a_read_only_store_file_in_a_writable_folder_is_read_and_left_as_it_was(
    make_returns: Callable[..., Returns],
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="survey-read-only-file-"))
    path = folder / "survey.db"
    with Store(path) as made:
        made.import_returns(2017, make_returns(STAFF), {})
    path.chmod(0o444)
    folder.chmod(0o777)  # the folder may be written, the store's file may not
    before = path.read_bytes(), path.stat().st_mtime_ns
    runner = CliRunner()

    def read() -> list[tuple[int, str, str]]:
        results = [runner.invoke(app, ["--db", str(path), *command]) for command in (["status"], ["check"])]
        with Store(path, create=False) as store:
            services = len(store.services(2017))
        return [*((r.exit_code, r.stdout, r.stderr) for r in results), (services, "", "")]

    try:
        status, check, services = as_reader_who_cannot_write(read)
        after = path.read_bytes(), path.stat().st_mtime_ns
    finally:
        shutil.rmtree(folder)
    assert status[0] == 0 and "2017" in status[1], status
    assert check[0] == 0 and "OK:" in check[1], check
    assert services[0] == 2
    assert after == before
