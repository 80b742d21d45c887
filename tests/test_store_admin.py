"""survey check / backup / restore: what check verifies and names, backups made while others write, restores refused
when they should be. The log's independent replay (log_replay) is tested on its own first."""

from __future__ import annotations

import contextlib
import json
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import BACKENDS, SECRET, backend_url
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.errors import NotFoundError, StoreError
from practitioner_survey.returns.validate import Returns
from practitioner_survey.store.admin import backup_store, restore_store
from practitioner_survey.store.check import check_file, check_store, rebuild_live_codes
from practitioner_survey.store.coding import Decision, NewComment
from practitioner_survey.store.core import Store
from practitioner_survey.store.log_replay import LogComment, LogEntry, replay_log

Q = "other_comments"


def entry(i: int, comment: int, action: str, category: str = "", **payload: object) -> LogEntry:
    return LogEntry(i, 2017, comment, Q, "ana", action, category, "", json.dumps(payload))


def test_replay_follows_codes_undos_splits_merges_and_their_undos() -> None:
    comments = [LogComment(1, 2017, "S1", Q, "splitter", ()), LogComment(2, 2017, "S1", Q, "splitter", ()),
                LogComment(3, 2017, "S1", Q, "split", (1,)), LogComment(4, 2017, "S1", Q, "split", (1,)),
                LogComment(5, 2017, "S1", Q, "merge", (3, 2))]  # fmt: skip
    log = [entry(1, 1, "code", "funding"), entry(2, 1, "undo", undoes=1), entry(3, 1, "split", at=5, new=[3, 4]),
           entry(4, 3, "merge", of=[3, 2], new=[5]), entry(5, 5, "code", "policy"), entry(6, 4, "code", "x"),
           entry(7, 4, "code", "other", double=True), entry(8, 3, "undo", undoes=4)]  # fmt: skip
    replayed = replay_log(comments, log)
    assert replayed.problems == []
    assert replayed.active == {2, 3, 4}  # the merge was undone: 3 and 2 are back, 5 is gone with its code
    assert {cid: c.category_id for cid, c in replayed.codes.items()} == {4: "x"}  # a double coding never counts


def test_replay_names_each_broken_rule() -> None:
    comments = [LogComment(1, 2017, "S1", Q, "splitter", ()), LogComment(2, 2017, "S1", Q, "split", (9,))]
    log = [
        entry(1, 1, "undo", undoes=5),
        entry(2, 1, "split", new=[2]),
        entry(3, 1, "code"),
        entry(4, 1, "undo", undoes=3),
        entry(5, 1, "undo", undoes=3),
        LogEntry(6, 2017, 1, Q, "a", "note", "", "", "[]"),
    ]
    problems = "\n".join(replay_log(comments, log).problems)  # fmt: skip
    for words in ("decision 1 (undo of comment 1): undoes a later decision",
                  "decision 2 (split of comment 1): its payload does not name the 2 comment(s)",
                  "decision 3 (code of comment 1): a code without a category",
                  "decision 5 (undo of comment 1): undoes decision 3 a second time",
                  "decision 6 (note of comment 1): its payload is not a JSON object"):  # fmt: skip
        assert words in problems


# ------------------------------------------------------------------------------------------------ check


def coded(store: Store, make_returns: Callable[..., Returns]) -> Store:
    """Two years, a rollover, and 2017's coding history: codes, an undo, a split (and its parts coded), a note."""
    store.import_returns(2016, make_returns([("S1", "Kent", {"idva_fte": 1}), ("S2", "Surrey", {})]), {})
    store.import_returns(2017, make_returns([("S1", "Kent", {"idva_fte": 2})], content=b"2017"), {})
    store.rollover(2017, 2016, ["S2"])
    store.ensure_comments(2017, Q, [NewComment("S1", Q, 0, 8), NewComment("S1", Q, 9, len(SECRET))])
    first, second = (int(i) for i in store.comments(2017, Q)["id"])
    [code] = store.record([Decision(2017, first, Q, "ana", "code", "funding-commissioning")], "ana")
    store.record([Decision(2017, first, Q, "ana", "undo", payload={"undoes": code})], "ana")
    halves = [NewComment("S1", Q, 0, 3, "split"), NewComment("S1", Q, 4, 8, "split")]
    _, parts = store.restructure(Decision(2017, first, Q, "ana", "split", payload={"at": 4}), halves, [first])
    store.record([Decision(2017, p, Q, "ana", "code", "policy") for p in parts], "ana")
    store.record([Decision(2017, second, Q, "ana", "note", payload={"text": SECRET})], "ana")
    return store


@pytest.fixture
def history(store: Store, make_returns: Callable[..., Returns]) -> Store:
    return coded(store, make_returns)


def test_check_passes_a_store_with_returns_rollovers_and_a_coding_history(history: Store, db_path: Path) -> None:
    assert check_store(history).problems == []
    result = CliRunner().invoke(app, ["--db", str(db_path), "check"])
    assert result.exit_code == 0, result.output
    assert "OK:" in result.stdout and "2 year(s), 4 services, 4 comments (3 active), 6 decisions" in result.stdout


def test_check_names_every_problem_without_free_text_and_exits_1(history: Store, db_path: Path) -> None:
    history.close()
    conn = sqlite3.connect(db_path, isolation_level=None)  # foreign keys off: damage as a crash or a hand could
    conn.execute("UPDATE source_files SET bytes = ? WHERE year = 2016", (b"tampered",))
    conn.execute("INSERT INTO decisions (year, comment_id, question, analyst, action, at) "
                 "VALUES (2017, 999, ?, 'ana', 'note', 'now')", (Q,))  # fmt: skip
    conn.execute("UPDATE comments SET active = 0 WHERE id = (SELECT MAX(id) FROM comments)")
    conn.execute("INSERT INTO staffing SELECT 2017, 'S9', police_force_area, idva_headcount, idva_fte, "
                 "idva_fte_high_risk, outreach_fte, refuge_fte, isva_fte, ypva_fte, children_fte, perpetrator_fte, "
                 "other_fte, volunteers, origin FROM staffing LIMIT 1")  # fmt: skip
    conn.execute("UPDATE decisions SET payload = '{\"undoes\": 100}' WHERE action = 'undo'")
    conn.close()
    result = CliRunner().invoke(app, ["--db", str(db_path), "check"])
    assert result.exit_code == 1
    for words in ("2016's original file 'returns.xlsx' no longer matches its SHA-256 checksum",
                  "1 × a decision for a comment not in the store (decision id): 7",
                  "1 × a staffing row without its service (year, service, police force area): 2017/S9/Kent",
                  "SQLite foreign key check: 1 row(s) of staffing point to missing services rows",
                  "undoes a later decision", "is stored as inactive, but the log leaves it active",
                  "comment 4 (2017): its current code, none, differs from the log replayed, policy"):  # fmt: skip
        assert words in result.stderr
    assert "problem(s), listed above" in result.stderr.splitlines()[-1]
    assert SECRET not in result.output


def test_check_refuses_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "none.db"), "check"])
    assert result.exit_code == 1 and "no store at" in result.stderr
    assert not (tmp_path / "none.db").exists()


# ------------------------------------------------------------------------------------------- backup, restore


@pytest.fixture(params=BACKENDS)
def any_store(request: pytest.FixtureRequest, tmp_path: Path, make_returns: Callable[..., Returns]) -> Iterator[Store]:
    """The coded store on a SQLite file and on PostgreSQL."""
    with backend_url(request, request.param, tmp_path / "live") as url, Store(url) as store:
        yield coded(store, make_returns)


@pytest.fixture(autouse=True)
def _live_folder(tmp_path: Path) -> None:
    (tmp_path / "live").mkdir()


def rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    tables = ("imports", "source_files", "services", "staffing", "rollovers", "revisions", "acknowledgements",
              "reference", "comments", "decisions", "claims", "store_meta")  # fmt: skip
    return {t: sorted(map(repr, store._rows(f"SELECT * FROM {t}"))) for t in tables}  # type: ignore[misc]


def damage_live_codes(store: Store) -> None:
    """live_codes out of step with the log three ways: a live code missing, one the log undid, one altered."""
    with store._transaction() as conn:
        live = [r[0] for r in conn.execute("SELECT decision_id FROM live_codes ORDER BY decision_id").fetchall()]
        undone = conn.execute("SELECT MIN(id) FROM decisions WHERE action = 'code'").fetchone()[0]
        conn.execute("DELETE FROM live_codes WHERE decision_id = ?", (live[0],))
        conn.execute("UPDATE live_codes SET category_id = 'housing' WHERE decision_id = ?", (live[1],))
        conn.execute("INSERT INTO live_codes SELECT id, comment_id, year, question, analyst, action, category_id, "
                     "subcategory_id, 'primary' FROM decisions WHERE id = ?", (undone,))  # fmt: skip


def test_repair_rebuilds_live_codes_from_the_log_on_either_backend(any_store: Store) -> None:
    log = any_store._rows("SELECT * FROM decisions ORDER BY id")
    right = any_store._rows("SELECT * FROM live_codes ORDER BY decision_id")
    damage_live_codes(any_store)
    problems = " ".join(check_store(any_store).problems)
    for what in ("missing from live_codes", "the log has not left live", "differs from its decision"):
        assert what in problems
    assert rebuild_live_codes(any_store) == (2, 2)
    assert any_store._rows("SELECT * FROM live_codes ORDER BY decision_id") == right
    assert any_store._rows("SELECT * FROM decisions ORDER BY id") == log  # the log is never touched
    assert check_store(any_store).ok


def test_check_repair_says_what_it_rebuilt_then_passes(history: Store, db_path: Path) -> None:
    damage_live_codes(history)
    history.close()
    plain = CliRunner().invoke(app, ["--db", str(db_path), "check"])
    assert plain.exit_code == 1 and "live_codes" in plain.stderr
    repaired = CliRunner().invoke(app, ["--db", str(db_path), "check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert "rebuilt live_codes from the coding log: 2 rows before, 2 now" in repaired.stdout
    assert "OK:" in repaired.stdout


@pytest.mark.parametrize("backend", BACKENDS)
def test_check_and_backup_read_one_moment_while_a_writer_goes_on(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, make_returns: Callable[..., Returns]
) -> None:
    """Reading in a snapshot holds no writer off: another analyst's decision commits during the read (it would
    wait for the reader's end under a write transaction), and the read still sees the store as it stood."""
    import threading

    with backend_url(request, backend, tmp_path / "live") as url, Store(url) as reader:
        coded(reader, make_returns)
        comment = int(reader.comments(2017, Q)["id"].iloc[-1])
        with reader._snapshot():
            before = reader._rows("SELECT COUNT(*) FROM decisions")[0][0]
            done = threading.Event()

            def write() -> None:  # another analyst's process, as far as the database can tell
                with Store(url) as writer:
                    writer.record([Decision(2017, comment, Q, "bo", "note", payload={"text": "later"})], "bo")
                done.set()

            thread = threading.Thread(target=write, daemon=True)
            thread.start()
            assert done.wait(20), "the writer waited for the reader"
            assert reader._rows("SELECT COUNT(*) FROM decisions")[0][0] == before  # still the moment it began
        thread.join()
        assert reader._rows("SELECT COUNT(*) FROM decisions")[0][0] == before + 1
        assert backup_store(reader, tmp_path / "copy.db").report.decisions == before + 1
        with pytest.MonkeyPatch.context() as patch:  # check takes no write transaction, which would hold writers
            patch.setattr(reader, "_transaction", lambda: pytest.fail("check took a write transaction"))
            assert check_store(reader).decisions == before + 1


def test_backup_and_restore_round_trip_every_row_from_either_backend(any_store: Store, tmp_path: Path) -> None:
    outcome = backup_store(any_store, tmp_path / "backup.db")
    assert outcome.report.ok and outcome.report.decisions == 6
    assert not (tmp_path / "backup.db-wal").exists()  # one self-contained file
    restored = restore_store(tmp_path / "backup.db", tmp_path / "restored.db")
    assert restored.kept is None and restored.report.ok
    with Store(tmp_path / "restored.db", create=False) as copy:
        assert rows(copy) == rows(any_store)
        assert check_store(copy).ok


def test_backup_refuses_to_overwrite_a_file_or_the_store_itself(history: Store, db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "there.db").write_bytes(b"keep me")
    with pytest.raises(StoreError, match="already exists; give a new file name, or --force"):
        backup_store(history, tmp_path / "there.db")
    assert (tmp_path / "there.db").read_bytes() == b"keep me"
    with pytest.raises(StoreError, match="is the store itself"):
        backup_store(history, db_path, force=True)
    assert backup_store(history, tmp_path / "there.db", force=True).report.ok


def test_restore_refuses_a_damaged_backup_a_non_store_and_an_existing_store_without_force(
    history: Store, tmp_path: Path
) -> None:
    backup = backup_store(history, tmp_path / "backup.db").path
    target = tmp_path / "target.db"
    (tmp_path / "notes.txt").write_text("not a store")
    with pytest.raises(StoreError, match="is not a survey store backup"):
        restore_store(tmp_path / "notes.txt", target)
    with pytest.raises(NotFoundError, match="no backup at"):
        restore_store(tmp_path / "missing.db", target)
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(backup.read_bytes())
    with contextlib.closing(sqlite3.connect(damaged)) as conn:
        conn.execute("UPDATE source_files SET sha256 = 'x'")
        conn.commit()
    with pytest.raises(StoreError, match=r"fails its check .* nothing was restored"):
        restore_store(damaged, target)
    assert not target.exists() and not list(tmp_path.glob(".target.db*"))
    restore_store(backup, target)
    result = CliRunner().invoke(app, ["--db", str(target), "restore", str(backup)])
    assert result.exit_code == 1 and "already exists; restoring would replace it: give --force" in result.stderr
    result = CliRunner().invoke(app, ["--db", str(target), "restore", str(backup), "--force"])
    assert result.exit_code == 0, result.output
    assert "the store it replaced is kept as" in result.stdout and len(list(tmp_path.glob("target.db.replaced-*")))


def test_restore_refuses_while_another_command_has_the_store_open(history: Store, tmp_path: Path) -> None:
    backup = backup_store(history, tmp_path / "backup.db").path
    before = Path(history.path).read_bytes()
    with pytest.raises(StoreError, match="is in use"):
        restore_store(backup, history.path, force=True)
    assert check_store(history).ok and Path(history.path).read_bytes() == before


WRITER = """
import sys
from practitioner_survey.store.core import Store
from practitioner_survey.store.coding import Decision, NewComment
Q = "other_comments"
with Store(sys.argv[1]) as store:
    ids = [int(i) for i in store.comments(2017, Q)["id"]]
    for n in range(int(sys.argv[2])):
        cid = ids[n % len(ids)]
        store.claim(2017, Q, "writer", "primary", [cid], "")
        [done] = store.record([Decision(2017, cid, Q, "writer", "code", "policy")], "writer", release=[cid])
        if n % 3 == 0:
            store.record([Decision(2017, cid, Q, "writer", "undo", payload={"undoes": done})], "writer")
        if n % 10 == 0:
            _, new = store.restructure(Decision(2017, cid, Q, "writer", "split", payload={"at": 4}),
                                       [NewComment("S1", Q, 0, 3, "split"), NewComment("S1", Q, 4, 8, "split")], [cid])
            store.restructure(Decision(2017, cid, Q, "writer", "undo", payload={"undoes": _}), [], new, [cid])
        print(n, flush=True)
"""


def test_backups_and_checks_made_while_another_process_codes_and_imports_pass_and_restore(
    history: Store, db_path: Path, tmp_path: Path, make_returns: Callable[..., Returns]
) -> None:
    returns = tmp_path / "2018"
    returns.mkdir()
    (returns / "services.csv").write_text("service_id,service_name,employs_practitioners,response_mode,idva_cases\n"
                                          + "".join(f"T{n},T {n},yes,online,marac\n" for n in range(300)))  # fmt: skip
    (returns / "staffing.csv").write_text("service_id,police_force_area,idva_headcount,idva_fte\n"
                                          + "".join(f"T{n},Kent,1,1\n" for n in range(300)))  # fmt: skip
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), "150"], stdout=subprocess.PIPE, text=True)
    survey = [sys.executable, "-c", "from practitioner_survey.cli import app; app()", "--db", str(db_path)]
    importer = subprocess.Popen([*survey, "import", str(returns), "--year", "2018"], stdout=subprocess.DEVNULL)
    assert writer.stdout is not None
    writer.stdout.readline()  # the writer has begun
    taken, decisions = 0, []
    while writer.poll() is None or importer.poll() is None or taken < 2:
        outcome = backup_store(history, tmp_path / f"backup{taken}.db")  # checked before it is kept
        decisions.append(outcome.report.decisions)
        live = check_store(history)  # the live store, checked as it stands at one moment
        assert live.ok, live.problems
        taken += 1
    assert writer.wait() == 0 and importer.wait() == 0
    assert len(set(decisions)) > 1, "the backups did not overlap the writing"
    with Store(db_path) as store:
        final = store.decisions(2017)
    for n in range(taken):
        report = check_file(tmp_path / f"backup{n}.db")
        assert report.ok, report.problems
        with Store(tmp_path / f"backup{n}.db") as copy:  # a prefix of the log: a snapshot, not a mixture
            log = copy.decisions(2017)
        assert log["id"].tolist() == final["id"].tolist()[: len(log)]
    restored = restore_store(tmp_path / f"backup{taken - 1}.db", tmp_path / "restored.db")
    assert restored.report.ok and restored.report.decisions == decisions[-1]


# ------------------------------------------------------------------- check: figures, damaged pages, damaged text


def test_check_names_stored_figures_that_break_the_import_rules_on_either_backend(any_store: Store) -> None:
    with any_store._transaction() as conn:  # as a hand editing the file, or damage, could leave them
        conn.execute("UPDATE staffing SET idva_fte_high_risk = 5 WHERE year = 2017 AND service_id = 'S1'")
        conn.execute("UPDATE staffing SET police_force_area = 'Surrey ' WHERE year = 2016 AND service_id = 'S2'")
        conn.execute("UPDATE staffing SET outreach_fte = -0.5, volunteers = 3 WHERE year = 2016 AND service_id = 'S1'")
        conn.execute("UPDATE services SET response_mode = 'by pigeon' WHERE year = 2016 AND service_id = 'S2'")
        conn.execute("UPDATE services SET idva_locations = 'Police; Moon base' WHERE year = 2017 AND service_id = 'S1'")
    problems = check_store(any_store).problems
    assert problems == [
        "table staffing, row 2016/S1/Kent: outreach_fte cannot be negative ('-0.5')",
        "table staffing, row 2016/S2/Surrey : police force area 'Surrey ' is not written as the reference list has it "
        "('Surrey')",
        "table staffing, row 2017/S1/Kent: idva_fte_high_risk (5) is more than idva_fte (2)",
        "table services, row 2016/S2: response_mode is not one of online, phone, rolled_over, other_source (or blank)",
        "table services, row 2017/S1: idva_locations is not a '; '-separated list of the known Idva locations",
    ]


def test_check_lists_the_warnings_an_import_would_give_unaccepted_and_passes(
    store: Store, make_returns: Callable[..., Returns], db_path: Path
) -> None:
    figures = {"idva_headcount": 2, "idva_fte": 1.5}
    store.import_returns(2017, make_returns([("S1", "Kent", figures), ("S2", "Surrey", {}), ("S3", "Essex", figures)]),
                         {})  # fmt: skip
    with store._transaction() as conn:  # as revisions, or a hand, could leave them; S2 has been blank all along
        conn.execute("UPDATE staffing SET idva_fte = 37.5, idva_headcount = 10 WHERE service_id = 'S1'")
        conn.execute("UPDATE staffing SET idva_fte = 37.5, idva_headcount = 1 WHERE service_id = 'S3'")
        conn.execute(
            "INSERT INTO acknowledgements (year, code, service_id, police_force_area, message, reason, at) "
            "VALUES (2017, 'blank-staffing', 'S2', '', '', 'a new service: it staffs up next year', '')"
        )
    store.close()
    result = CliRunner().invoke(app, ["--db", str(db_path), "check"])
    assert result.exit_code == 1  # S3's 37.5 FTE for one person: hours typed as FTE, which an import refuses
    assert (
        "problem: table staffing, row 2017/S3/Essex: idva_fte is 37.5 for an Idva headcount of 1, more than "
        "anyone works; if 37.5 is hours a week, it is 1 FTE (FTE = hours / 37.5) (fte-per-person)" in result.stderr
    )
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE staffing SET idva_fte = 1.5, idva_headcount = 2 WHERE service_id = 'S3'")
        conn.commit()
    result = CliRunner().invoke(app, ["--db", str(db_path), "check"])
    assert result.exit_code == 0, result.output
    warnings = [line.strip() for line in result.stderr.splitlines() if line.strip().startswith("warning:")]
    assert warnings == [
        "warning: table staffing, row 2017/S1/Kent: service 'S1' reports 37.5 Idva FTE but an Idva headcount of 10; "
        "if 37.5 is hours a week, it is 1 FTE (FTE = hours / 37.5) (fte-above-headcount)"
    ]  # S2's blank staffing was accepted with a reason
    assert "1 warning(s) an import would give, accepted by no one, listed above" in " ".join(result.stdout.split())
    assert SECRET not in result.output
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("DELETE FROM acknowledgements")
        conn.commit()
    result = CliRunner().invoke(app, ["--db", str(db_path), "check"])
    assert result.exit_code == 0
    assert (
        "warning: table services, row 2017/S2: service 'S2' says it employs practitioners but every figure of "
        "its staffing rows is blank (read as 0 FTE): fill them in, or say no (blank-staffing)" in result.stderr
    )


def test_check_names_a_figure_stored_as_text_without_showing_the_text(history: Store, db_path: Path) -> None:
    history.close()
    with contextlib.closing(sqlite3.connect(db_path)) as conn:  # SQLite keeps whatever is written into a REAL column
        conn.execute("UPDATE staffing SET refuge_fte = ? WHERE year = 2017", (SECRET,))
        conn.execute("UPDATE reference SET police_force_area = 'Atlantis'")
        conn.commit()
    result = CliRunner().invoke(app, ["--db", str(db_path), "check"])
    assert result.exit_code == 1
    assert "table staffing, row 2017/S1/Kent: refuge_fte holds text, not a number" in result.stderr
    assert SECRET not in result.output


def plant_bad_byte(path: Path, text: str) -> int:
    """Overwrite one byte in the middle of every copy of `text` in the SQLite file with 0xff (never UTF-8)."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file itself
    data = bytearray(path.read_bytes())
    needle, found, at = text.encode(), 0, data.find(text.encode())
    while at >= 0:
        data[at + len(needle) // 2] = 0xFF
        found += 1
        at = data.find(needle, at + 1)
    path.write_bytes(bytes(data))
    return found


def fragments(text: str, size: int = 10) -> list[str]:
    return [text[i : i + size] for i in range(len(text) - size + 1)]


def test_a_damaged_byte_in_an_answer_is_named_by_check_and_never_printed(
    history: Store, db_path: Path, tmp_path: Path
) -> None:
    history.close()
    assert plant_bad_byte(db_path, SECRET) >= 2  # the answers of 2016 and 2017 (and a note)
    runner, db = CliRunner(), ["--db", str(db_path)]
    checked = runner.invoke(app, [*db, "check"])
    assert checked.exit_code == 1
    for year in (2016, 2017):
        for column in ("biggest_difference", "survivor_challenges", "other_comments"):
            assert f"damaged text (not UTF-8) in table services, row {year}/S1, column {column}" in checked.stderr
    assert "damaged text (not UTF-8) in table decisions, row 6, column payload" in checked.stderr
    tables = runner.invoke(app, [*db, "tables", "2017", "--out", str(tmp_path / "tables")])
    exported = runner.invoke(app, [*db, "export", "2017", "--out", str(tmp_path / "export")])
    assert tables.exit_code == 0, tables.output  # read with U+FFFD in place of the damaged byte
    assert exported.exit_code == 0, exported.output
    for result in (checked, tables, exported):
        assert not [f for f in fragments(SECRET) if f in result.output]
        assert "Could not decode" not in result.output


def test_check_names_a_damaged_page_and_its_table(history: Store, db_path: Path) -> None:
    history.close()
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'services'").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    with db_path.open("r+b") as file:  # the services table's page: its header and cells become noise
        file.seek((page - 1) * size)
        file.write(random.Random(3).randbytes(size))
    result = CliRunner().invoke(app, ["--db", str(db_path), "check"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "SQLite integrity check" in result.stderr
    assert "table services cannot be read" in result.stderr
    assert SECRET not in result.output
