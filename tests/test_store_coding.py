"""store/coding.py and store/claims.py through Store: comments as offsets into stored answers, the append-only log
of decisions, and the coding loop's claims and progress."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BACKENDS, backend_url
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practitioner_survey.errors import StoreError
from practitioner_survey.loading.importing import import_year
from practitioner_survey.store.check import check_store
from practitioner_survey.store.claims import CLAIM_BATCH, Progress
from practitioner_survey.store.coding import CodedComment, Decision, NewComment
from practitioner_survey.store.core import Store
from practitioner_survey.store.schema import MIGRATIONS

YEAR = 2017
Q = "biggest_difference"
ANSWER_1 = "More Idvas. Also, refuge spaces for women with older boys."
ANSWER_2 = "Funding that lasts longer than a year; training for magistrates"
SERVICES_CSV = (
    "service_id,service_name,employs_practitioners,response_mode,idva_cases,biggest_difference,other_comments\n"
    f'S1,Matlock Women\'s Aid,yes,online,marac,"{ANSWER_1}",\n'
    f'S2,Buxton Idva Service,yes,phone,both,"{ANSWER_2}",Thanks for asking\n'
)
STAFFING_CSV = "service_id,police_force_area,idva_headcount,idva_fte\nS1,Derbyshire,2,1.5\nS2,Derbyshire,1,1\n"


def write_year(folder: Path) -> Path:
    folder.mkdir()
    (folder / "services.csv").write_text(SERVICES_CSV, encoding="utf-8")
    (folder / "staffing.csv").write_text(STAFFING_CSV, encoding="utf-8")
    return folder


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every test runs on a SQLite file and on a fresh PostgreSQL database."""
    with backend_url(request, request.param, tmp_path) as url:
        yield url


@pytest.fixture
def coding_store(store_url: str, tmp_path: Path) -> Iterator[Store]:
    """A store holding a tiny 2017: two services with free text in biggest_difference."""
    with Store(store_url) as store:
        import_year(store, write_year(tmp_path / "returns"), YEAR)
        yield store


def code(comment_id: int, category: str, action: str = "code", **payload: object) -> Decision:
    return Decision(YEAR, comment_id, Q, "analyst-a", action, category, payload=dict(payload))


def undo(comment_id: int, decision_id: int) -> Decision:
    return Decision(YEAR, comment_id, Q, "analyst-a", "undo", payload={"undoes": decision_id})


# -- comments ------------------------------------------------------------------------------------------------


def test_add_comments_returns_new_ids_and_comments_slices_their_text_from_the_stored_answer(
    coding_store: Store,
) -> None:
    ids = coding_store.add_comments(
        YEAR, [NewComment("S1", Q, 0, 11), NewComment("S1", Q, 12, 58), NewComment("S2", Q, 0, 37)]
    )
    assert len(ids) == 3 and ids == sorted(ids) and len(set(ids)) == 3
    frame = coding_store.comments(YEAR, Q)
    assert frame["id"].tolist() == ids
    assert frame["text"].tolist() == [
        "More Idvas.",
        "Also, refuge spaces for women with older boys.",
        "Funding that lasts longer than a year",
    ]
    assert frame["answer"].tolist() == [ANSWER_1, ANSWER_1, ANSWER_2]
    assert set(frame["origin"]) == {"splitter"}
    assert coding_store.has_comments(YEAR) and not coding_store.has_comments(2016)


def test_comments_of_another_question_read_that_questions_answer(coding_store: Store) -> None:
    coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 11), NewComment("S2", "other_comments", 0, 6)])
    other = coding_store.comments(YEAR, "other_comments")
    assert other["text"].tolist() == ["Thanks"]
    assert len(coding_store.comments(YEAR)) == 2


def test_a_split_retires_the_comment_it_replaces_so_only_the_new_ones_are_listed(coding_store: Store) -> None:
    [whole] = coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 58)])
    halves = coding_store.add_comments(
        YEAR, [NewComment("S1", Q, 0, 11, "split"), NewComment("S1", Q, 12, 58, "split")], replaces=[whole]
    )
    active = coding_store.comments(YEAR, Q)
    assert active["id"].tolist() == halves
    assert active["text"].tolist() == ["More Idvas.", "Also, refuge spaces for women with older boys."]
    everything = coding_store.comments(YEAR, Q, active_only=False)
    assert everything["id"].tolist() == [whole, *halves]
    assert everything["active"].tolist() == [0, 1, 1]


def test_a_merge_retires_both_comments_it_joins(coding_store: Store) -> None:
    parts = coding_store.add_comments(YEAR, [NewComment("S2", Q, 0, 37), NewComment("S2", Q, 39, 63)])
    [merged] = coding_store.add_comments(YEAR, [NewComment("S2", Q, 0, 63, "merge")], replaces=parts)
    active = coding_store.comments(YEAR, Q)
    assert active["id"].tolist() == [merged]
    assert active["text"].tolist() == [ANSWER_2]


def test_a_comment_for_a_service_not_in_the_year_is_refused_and_nothing_is_added(coding_store: Store) -> None:
    with pytest.raises(StoreError):
        coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 11), NewComment("S999", Q, 0, 5)])
    assert coding_store.comments(YEAR, active_only=False).empty


# -- the log -------------------------------------------------------------------------------------------------


def test_log_appends_with_increasing_ids_and_decisions_come_back_oldest_first(coding_store: Store) -> None:
    [c1, c2] = coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 11), NewComment("S1", Q, 12, 58)])
    first = coding_store.log([code(c1, "capacity", note="clear")])
    second = coding_store.log([code(c2, "housing"), code(c1, "funding")])
    assert len(first) == 1 and len(second) == 2
    assert first[0] < second[0] < second[1]
    log = coding_store.decisions(YEAR, Q)
    assert log["id"].tolist() == [*first, *second]
    assert log["category_id"].tolist() == ["capacity", "housing", "funding"]
    assert log["payload"].tolist() == [{"note": "clear"}, {}, {}]
    assert all(isinstance(p, dict) for p in log["payload"])


def test_logging_again_keeps_every_earlier_decision_unchanged(coding_store: Store) -> None:
    [c1] = coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 11)])
    coding_store.log([code(c1, "capacity")])
    before = coding_store.decisions(YEAR)
    coding_store.log([code(c1, "funding"), undo(c1, int(before["id"].iloc[0]))])
    after = coding_store.decisions(YEAR)
    assert len(after) == 3
    assert after.iloc[:1].equals(before)


def test_decisions_of_another_question_or_year_are_not_listed(coding_store: Store) -> None:
    [c1, c2] = coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 11), NewComment("S2", "other_comments", 0, 6)])
    coding_store.log([code(c1, "capacity"), Decision(YEAR, c2, "other_comments", "analyst-a", "code", "other")])
    assert coding_store.decisions(YEAR, Q)["comment_id"].tolist() == [c1]
    assert len(coding_store.decisions(YEAR)) == 2
    assert coding_store.decisions(2016).empty


# -- current codes -------------------------------------------------------------------------------------------


def test_current_code_is_the_latest_code_of_each_comment(coding_store: Store) -> None:
    [c1, c2] = coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 11), NewComment("S1", Q, 12, 58)])
    coding_store.log([code(c1, "capacity"), code(c2, "housing"), code(c1, "funding")])
    coding_store.log([Decision(YEAR, c2, Q, "analyst-a", "note", payload={"text": "check"})])
    codes = coding_store.current_codes(YEAR, Q).set_index("comment_id")
    assert codes.loc[c1, "category_id"] == "funding"
    assert codes.loc[c2, "category_id"] == "housing"
    assert len(codes) == 2


def test_undoing_the_latest_code_restores_the_one_before(coding_store: Store) -> None:
    [c1] = coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 11)])
    [_, latest] = coding_store.log([code(c1, "capacity"), code(c1, "funding")])
    coding_store.log([undo(c1, latest)])
    codes = coding_store.current_codes(YEAR, Q)
    assert codes["category_id"].tolist() == ["capacity"]


def test_undoing_a_comments_only_code_leaves_it_uncoded(coding_store: Store) -> None:
    [c1, c2] = coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 11), NewComment("S1", Q, 12, 58)])
    [only, _] = coding_store.log([code(c1, "capacity"), code(c2, "housing")])
    coding_store.log([undo(c1, only)])
    codes = coding_store.current_codes(YEAR, Q)
    assert codes["comment_id"].tolist() == [c2]
    assert codes["category_id"].tolist() == ["housing"]
    assert len(coding_store.decisions(YEAR)) == 3  # the undone code is still in the log


def test_a_retired_comments_code_is_not_current(coding_store: Store) -> None:
    [whole] = coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 58)])
    coding_store.log([code(whole, "capacity")])
    [half, _] = coding_store.add_comments(
        YEAR, [NewComment("S1", Q, 0, 11, "split"), NewComment("S1", Q, 12, 58, "split")], replaces=[whole]
    )
    coding_store.log([code(half, "funding", action="adjudicate")])
    codes = coding_store.current_codes(YEAR, Q)
    assert codes["comment_id"].tolist() == [half]
    assert codes[["category_id", "action"]].values.tolist() == [["funding", "adjudicate"]]


# -- already-coded comments ----------------------------------------------------------------------------------


def test_load_coded_stores_comments_codes_and_confirmed_quotes_at_once(coding_store: Store) -> None:
    items = [
        CodedComment("S1", Q, 0, 11, "capacity", "more-idvas"),
        CodedComment("S2", Q, 0, 37, "funding", "", quote="Funding that lasts longer than a year"),
    ]
    assert coding_store.load_coded(YEAR, items, "bundled") == 2
    comments = coding_store.comments(YEAR, Q)
    assert comments["text"].tolist() == ["More Idvas.", "Funding that lasts longer than a year"]
    assert set(comments["origin"]) == {"bundled"}
    codes = coding_store.current_codes(YEAR, Q)
    assert codes[["service_id", "category_id", "subcategory_id", "analyst"]].values.tolist() == [
        ["S1", "capacity", "more-idvas", "bundled"],
        ["S2", "funding", "", "bundled"],
    ]
    quotes = coding_store.decisions(YEAR, Q).query("action == 'quote'")
    assert quotes["comment_id"].tolist() == [comments["id"].iloc[1]]
    assert quotes["payload"].tolist() == [{"anonymised": "Funding that lasts longer than a year", "confirmed": True}]


def test_load_coded_is_all_or_nothing(coding_store: Store) -> None:
    items = [CodedComment("S1", Q, 0, 11, "capacity"), CodedComment("S404", Q, 0, 5, "funding")]
    with pytest.raises(StoreError):
        coding_store.load_coded(YEAR, items, "bundled")
    assert coding_store.comments(YEAR, active_only=False).empty
    assert coding_store.decisions(YEAR).empty


# -- schema --------------------------------------------------------------------------------------------------


def test_a_version_1_store_is_migrated_on_open_and_gets_comments_and_decisions(store_url: str, tmp_path: Path) -> None:
    with Store(store_url) as store:
        import_year(store, write_year(tmp_path / "returns"), YEAR)
        with store._transaction() as conn:
            for statement in ("DROP TABLE live_codes", "DROP TABLE claims", "DROP TABLE decisions",
                              "DROP TABLE comments",
                              "UPDATE store_meta SET value = '1' WHERE key = 'schema_version'"):  # fmt: skip
                conn.execute(statement)

    with Store(store_url) as store:
        assert store.schema_version == len(MIGRATIONS) == 5
        assert store.years() == [YEAR]  # the returns survived the migration
        [c1] = store.add_comments(YEAR, [NewComment("S1", Q, 0, 11)])
        store.log([code(c1, "capacity")])
        assert store.current_codes(YEAR)["category_id"].tolist() == ["capacity"]
        assert all(store._db.has_table(t) for t in ("comments", "decisions", "claims"))
        version = store._rows("SELECT value FROM store_meta WHERE key = 'schema_version'")
    assert version == [(str(len(MIGRATIONS)),)]


def test_decision_ids_keep_increasing_after_a_migration_copies_the_log(store_url: str, tmp_path: Path) -> None:
    with Store(store_url) as store:
        import_year(store, write_year(tmp_path / "returns"), YEAR)
        [c1] = store.add_comments(YEAR, [NewComment("S1", Q, 0, 11)])
        first = store.log([code(c1, "capacity"), code(c1, "funding")])
        with store._transaction() as conn:  # back to version 2: migration 3 rebuilds the log, ids and all
            conn.execute("DROP TABLE live_codes")
            conn.execute("DROP TABLE claims")
            conn.execute("UPDATE store_meta SET value = '2' WHERE key = 'schema_version'")
    with Store(store_url) as store:
        assert store.decisions(YEAR)["id"].tolist() == first
        [later] = store.log([code(c1, "housing")])
    assert later > max(first)


# -- live codes: the coding loop's copy of where the log stands ------------------------------------------------

ANSWERS = {"S1": len(ANSWER_1), "S2": len(ANSWER_2)}


def state_from_the_log(store: Store) -> tuple[dict[int, tuple[str, str]], dict[int, set[str]]]:
    """What the coding loop read before live_codes: the whole log of the question replayed (the old live_state)."""
    log = store.decisions(YEAR, Q)
    undone = {int(p["undoes"]) for p in log.loc[log["action"] == "undo", "payload"] if "undoes" in p}
    coded: dict[int, tuple[str, str]] = {}
    doubled: dict[int, set[str]] = {}
    for row in log.itertuples(index=False):
        if row.action not in ("code", "auto", "adjudicate") or row.id in undone:
            continue
        if row.payload.get("double"):
            doubled.setdefault(int(row.comment_id), set()).add(str(row.analyst))
        else:
            coded[int(row.comment_id)] = (str(row.analyst), str(row.action))
    return coded, doubled


def assert_live_codes_match_the_log(store: Store, earlier: Progress | None = None) -> Progress:
    """The live codes as the log has them, and the progress counts (in full, and brought up to date from the
    `earlier` counts) as the log's state has them; returns the counts."""
    coded, doubled = state_from_the_log(store)
    state = store.coding_state(YEAR, Q)
    assert (state.coded, state.doubled) == (coded, doubled)
    active = set(store.comments(YEAR, Q)["id"])
    counted = store.coding_progress(YEAR, Q)
    assert (counted.coded, counted.active) == (len(active & set(coded)), len(active))
    assert store.coding_progress(YEAR, Q, earlier) == counted
    assert check_store(store).problems == []
    return counted


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_live_codes_stay_what_the_log_replays_to_after_any_codes_undos_splits_and_merges(
    coding_store: Store, data: st.DataObject
) -> None:
    store = coding_store
    mine = store.add_comments(YEAR, [NewComment("S1", Q, 0, 11), NewComment("S1", Q, 12, 58),
                                     NewComment("S2", Q, 0, 37), NewComment("S2", Q, 39, 63)])  # fmt: skip
    codings: list[tuple[int, int]] = []  # (decision id, comment id) of codes not undone
    restructures: list[tuple[int, int, list[int], list[int]]] = []  # (decision id, comment id, new, old)
    counted = store.coding_progress(YEAR, Q)
    for _ in range(data.draw(st.integers(1, 25), label="steps")):
        frame = store.comments(YEAR, Q)  # this example's comments only: earlier examples' stay in the store
        frame = frame[frame["id"] >= min(mine)]
        active = [(int(r.id), str(r.service_id), int(r.start_offset), int(r.end_offset)) for r in frame.itertuples()]
        analyst = data.draw(st.sampled_from(["ann", "bob", "cat"]), label="analyst")
        step = data.draw(st.sampled_from(["code", "double", "undo", "split", "merge", "undo split or merge"]))
        if step in ("code", "double") and active:
            cid = data.draw(st.sampled_from(active))[0]
            action = "code" if step == "double" else data.draw(st.sampled_from(["code", "auto", "adjudicate"]))
            payload = {"double": True} if step == "double" else {}
            category = data.draw(st.sampled_from(["capacity", "funding", "housing"]))
            [did] = store.record([Decision(YEAR, cid, Q, analyst, action, category, payload=payload)], analyst, [cid])
            codings.append((did, cid))
        elif step == "undo" and codings:
            did, cid = codings.pop(data.draw(st.integers(0, len(codings) - 1)))
            store.record([Decision(YEAR, cid, Q, analyst, "undo", payload={"undoes": did})], analyst)
        elif step == "split" and (long := [c for c in active if c[3] - c[2] >= 2]):
            cid, sid, start, end = data.draw(st.sampled_from(long))
            at = start + (end - start) // 2
            new = [NewComment(sid, Q, start, at, "split"), NewComment(sid, Q, at, end, "split")]
            did, ids = store.restructure(Decision(YEAR, cid, Q, analyst, "split", payload={"at": at}), new, [cid])
            restructures.append((did, cid, ids, [cid]))
        elif step == "merge" and (pairs := [(a, b) for a in active for b in active if a[1] == b[1] and a[0] < b[0]]):
            a, b = data.draw(st.sampled_from(pairs))
            new = [NewComment(a[1], Q, min(a[2], b[2]), max(a[3], b[3]), "merge")]
            decision = Decision(YEAR, a[0], Q, analyst, "merge", payload={"of": [a[0], b[0]]})
            did, ids = store.restructure(decision, new, [a[0], b[0]])
            restructures.append((did, a[0], ids, [a[0], b[0]]))
        elif step == "undo split or merge" and restructures:
            ids_active = {c[0] for c in active}
            undoable = [r for r in restructures if set(r[2]) <= ids_active]
            if undoable:
                did, cid, new_ids, old = data.draw(st.sampled_from(undoable))
                restructures.remove((did, cid, new_ids, old))
                undo_it = Decision(YEAR, cid, Q, analyst, "undo", payload={"undoes": did})
                store.restructure(undo_it, [], new_ids, reactivate=old)
        counted = assert_live_codes_match_the_log(store, counted)


def test_a_migrated_store_gets_live_codes_filled_from_its_log(store_url: str, tmp_path: Path) -> None:
    with Store(store_url) as store:
        import_year(store, write_year(tmp_path / "returns"), YEAR)
        [c1, c2, c3] = store.add_comments(YEAR, [NewComment("S1", Q, 0, 11), NewComment("S1", Q, 12, 58),
                                                 NewComment("S2", Q, 0, 37)])  # fmt: skip
        [first, second, third, fourth, double] = store.log([
            code(c1, "capacity"), code(c1, "funding"), code(c2, "housing"), code(c3, "funding"),
            code(c3, "funding", double=True)])  # fmt: skip
        store.log([undo(c1, second), undo(c2, first)])  # the second names another comment's decision: still undone
        expected = store.coding_state(YEAR, Q)
        with store._transaction() as conn:  # as a version 3 store has it
            conn.execute("DROP TABLE live_codes")
            conn.execute("DROP INDEX claims_by_comment")
            conn.execute("ALTER TABLE claims DROP COLUMN session")
            conn.execute("UPDATE store_meta SET value = '3' WHERE key = 'schema_version'")
    with Store(store_url) as store:
        assert store.schema_version == len(MIGRATIONS)
        state = store.coding_state(YEAR, Q)
        assert state == expected
        assert set(state.coded) == {c2, c3} and state.doubled == {c3: {"analyst-a"}}
        live = store._rows("SELECT decision_id FROM live_codes ORDER BY decision_id")
        assert live == [(third,), (fourth,), (double,)]


def test_check_names_live_codes_that_disagree_with_the_log(coding_store: Store) -> None:
    [c1, c2] = coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 11), NewComment("S1", Q, 12, 58)])
    [d1, d2, d3] = coding_store.log([code(c1, "capacity"), code(c2, "housing"), code(c2, "funding")])
    [d4] = coding_store.log([undo(c2, d3)])
    assert check_store(coding_store).problems == []
    with coding_store._transaction() as conn:  # damage as a hand could
        conn.execute("DELETE FROM live_codes WHERE decision_id = ?", (d1,))
        conn.execute("UPDATE live_codes SET category_id = 'refuge' WHERE decision_id = ?", (d2,))
        conn.execute("INSERT INTO live_codes SELECT ?, comment_id, year, question, analyst, action, category_id,"
                     " subcategory_id, kind FROM live_codes WHERE decision_id = ?", (d3, d2))  # fmt: skip
    problems = "\n".join(check_store(coding_store).problems)
    assert f"1 × a live coding decision of the log missing from live_codes (decision id): {d1}" in problems
    assert f"1 × a row of live_codes that differs from its decision (decision id): {d2}" in problems
    assert f"1 × a row of live_codes for a decision the log has not left live (decision id): {d3}" in problems
    assert str(d4) not in problems


def test_a_claim_looks_past_the_first_batch_when_none_of_it_is_free(coding_store: Store) -> None:
    ids = coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 11) for _ in range(CLAIM_BATCH * 3)])
    coding_store.log([code(cid, "capacity") for cid in ids[: CLAIM_BATCH * 2 + 5]])
    picked = coding_store.claim(YEAR, Q, "bob", "primary", ids, "")
    assert picked == ids[CLAIM_BATCH * 2 + 5]
    assert coding_store.claim(YEAR, Q, "bob", "primary", ids[: CLAIM_BATCH * 2 + 5], "") == 0
    assert coding_store.claim(YEAR, Q, "cat", "double", [ids[-1], ids[3]], "") == ids[3]


def test_new_codes_lists_only_the_live_codes_logged_since(coding_store: Store) -> None:
    [c1, c2] = coding_store.add_comments(YEAR, [NewComment("S1", Q, 0, 11), NewComment("S1", Q, 12, 58)])
    [d1] = coding_store.log([code(c1, "capacity")])
    seen = coding_store.coding_state(YEAR, Q).last
    assert seen == d1 and coding_store.new_codes(YEAR, Q, seen) == []
    [d2, d3] = coding_store.log([code(c2, "housing"), code(c2, "funding", double=True)])
    coding_store.log([undo(c2, d2)])
    since = coding_store.new_codes(YEAR, Q, seen)
    assert [(c.decision_id, c.comment_id, c.kind) for c in since] == [(d3, c2, "double")]
