"""store_coding through Store: comments as offsets into stored answers, and the append-only log of decisions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BACKENDS, backend_url

from practitioner_survey.errors import StoreError
from practitioner_survey.importing import import_year
from practitioner_survey.store import Store
from practitioner_survey.store_coding import CodedComment, Decision, NewComment
from practitioner_survey.store_schema import MIGRATIONS

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
            for statement in ("DROP TABLE claims", "DROP TABLE decisions", "DROP TABLE comments",
                              "UPDATE store_meta SET value = '1' WHERE key = 'schema_version'"):  # fmt: skip
                conn.execute(statement)

    with Store(store_url) as store:
        assert store.schema_version == len(MIGRATIONS) == 3
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
            conn.execute("DROP TABLE claims")
            conn.execute("UPDATE store_meta SET value = '2' WHERE key = 'schema_version'")
    with Store(store_url) as store:
        assert store.decisions(YEAR)["id"].tolist() == first
        [later] = store.log([code(c1, "housing")])
    assert later > max(first)
