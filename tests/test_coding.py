"""The coding loop's core: claims across sessions, resume, order, undo (across sessions too), auto-accept, double
coding, quotes; merge back, later, review and recode, and progress equal to the log's count."""

from __future__ import annotations

import csv
import json
import random
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from practitioner_survey.codebook import Codebook
from practitioner_survey.coding import worklist
from practitioner_survey.coding.session import CodingSession
from practitioner_survey.coding.suggest import Example, Suggestion
from practitioner_survey.coding.worklist import Item
from practitioner_survey.errors import SurveyError
from practitioner_survey.loading.importing import import_year
from practitioner_survey.store import core as store_module
from practitioner_survey.store.coding import Decision, NewComment
from practitioner_survey.store.core import Store
from practitioner_survey.store.schema import MIGRATIONS

YEAR = 2017
Q = "biggest_difference"
SERVICES = [  # service_id, name, biggest_difference, survivor_challenges
    ("S1", "Matlock Women's Aid", "More Idvas in Derbyshire. Also, refuge spaces in Matlock for older boys.",
     "Waiting lists for counselling. Also, housing is scarce."),
    ("S2", "Buxton Idva Service", "Funding that lasts longer than a year; training for magistrates", ""),
    ("S3", "Chesterfield Outreach", "Better housing options for survivors.", ""),
]  # fmt: skip
#: The fake model's first suggestion and its confidence, by a word of the comment.
FAKE = {
    "refuge": ("housing-options", "refuge", 0.30),
    "magistrates": ("awareness-training", "training", 0.45),
    "Idvas": ("increased-capacity", "idva", 0.60),
    "Funding": ("funding", "sustainability", 0.80),
    "housing options": ("housing-options", "general", 0.97),
}
LEARNT: list[tuple[str, str]] = []


class FakeSuggester:
    """Stands in for the Suggester: fixed suggestions by keyword, and a record of what it learnt."""

    def __init__(self, codebook: Codebook, prior: Sequence[Example] = (), seed: int = 0) -> None:
        self.codebook, self.version = codebook, 0

    def suggest_many(self, texts: Sequence[str], k: int = 3) -> list[list[Suggestion]]:
        out = []
        for text in texts:
            category, sub, confidence = next((v for w, v in FAKE.items() if w in text), ("other", "", 0.5))
            rest = [c.id for c in self.codebook.categories if c.id != category][: k - 1]
            ranked = [(category, sub, confidence)] + [(c, "", (1 - confidence) / len(rest)) for c in rest]
            labels = {c.id: c.label for c in self.codebook.categories}
            out.append([Suggestion(c, labels[c], p, s) for c, s, p in ranked])
        return out

    def learn(self, text: str, category_id: str, subcategory_id: str = "") -> None:
        LEARNT.append((category_id, subcategory_id))
        self.version += 1


def write_year(folder: Path) -> Path:
    folder.mkdir()
    with (folder / "services.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["service_id", "service_name", "employs_practitioners", "response_mode", "idva_cases",
                      "biggest_difference", "survivor_challenges", "other_comments"])  # fmt: skip
        out.writerows([sid, name, "yes", "online", "marac", bd, sc, ""] for sid, name, bd, sc in SERVICES)
    (folder / "staffing.csv").write_text(
        "service_id,police_force_area,idva_headcount,idva_fte\n"
        "S1,Derbyshire,2,1.5\nS2,Derbyshire,1,1\nS3,Nottinghamshire,1,1\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worklist, "Suggester", FakeSuggester)
    monkeypatch.setattr(worklist, "bundled_examples", lambda *args, **kwargs: [])
    LEARNT.clear()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "survey.db"
    with Store(path) as store:
        import_year(store, write_year(tmp_path / "returns"), YEAR)
    return path


Opener = Callable[..., CodingSession]


@pytest.fixture
def open_session(db: Path, fake_model: None) -> Iterator[Opener]:
    """Opens a session on a connection of its own, as a second analyst's terminal would."""
    stores: list[Store] = []

    def opener(analyst: str = "ann", **options: object) -> CodingSession:
        stores.append(Store(db))
        return CodingSession(stores[-1], YEAR, analyst, options.pop("question", Q), **options)  # type: ignore[arg-type]

    yield opener
    for store in stores:
        store.close()


def text(item: Item) -> str:
    return item.answer[item.start : item.end]


def frames(db: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    with Store(db) as store:
        return store.comments(YEAR), store.current_codes(YEAR)


def snapshot(db: Path) -> tuple[list[dict[Hashable, Any]], list[dict[Hashable, Any]]]:
    """Every active comment and every current code, as plain records (so that empty and full compare alike)."""
    with Store(db) as store:
        return store.comments(YEAR).to_dict("records"), store.current_codes(YEAR).to_dict("records")


def earn(db: Path, shown: int, right: int, confidence: float = 0.95, question: str = Q) -> None:
    """Log `shown` hand codes by another analyst (bob) whose first suggestion was shown at `confidence`, `right`
    of them (the last) choosing it: the record --auto-accept needs, all on one comment of the question."""
    with Store(db) as store:
        if not store.question_has_comments(YEAR, question):
            CodingSession(store, YEAR, "bob", question).close()  # splits the answers into comments
        comments = store.comments(YEAR, question)
        target = int(comments.loc[comments["text"].str.contains("Funding|Waiting"), "id"].iloc[0])
        first = {"category_id": "funding", "label": "Funding", "confidence": confidence,
                 "subcategory_id": "", "subcategory_label": ""}  # fmt: skip
        store.log([Decision(YEAR, target, question, "bob", "code", "other" if i < shown - right else "funding",
                            suggestion=[first]) for i in range(shown)])  # fmt: skip


def code_all(session: CodingSession, key: int = 1) -> list[Item]:
    done = []
    while (item := session.next_item()) is not None:
        session.code(item, key)
        done.append(item)
    return done


# -- comments, claims, resume --------------------------------------------------------------------------------


def test_two_sessions_opening_a_question_at_once_split_its_answers_into_comments_only_once(
    db: Path, fake_model: None
) -> None:
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def open_one(analyst: str) -> None:
        try:
            with Store(db) as store:
                start.wait()
                CodingSession(store, YEAR, analyst, Q).close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one, args=(name,)) for name in ("ann", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    comments, _ = frames(db)
    assert comments["text"].tolist() == [
        "More Idvas in Derbyshire.",
        "Also, refuge spaces in Matlock for older boys.",
        "Funding that lasts longer than a year",
        "training for magistrates",
        "Better housing options for survivors.",
    ]
    assert set(comments["origin"]) == {"splitter"}


def test_two_analysts_on_two_connections_never_get_the_same_comment(open_session: Opener) -> None:
    ann, bob = open_session("ann"), open_session("bob")
    seen: dict[str, list[int]] = {"ann": [], "bob": []}
    for _ in range(5):
        for name, session in (("ann", ann), ("bob", bob)):
            item = session.next_item()
            if item is not None:
                seen[name].append(item.comment_id)
                session.code(item, 1)
    assert not set(seen["ann"]) & set(seen["bob"])
    assert len(seen["ann"]) + len(seen["bob"]) == 5
    assert ann.next_item() is None and bob.next_item() is None


def test_a_claimed_comment_is_not_offered_to_another_analyst_even_before_it_is_coded(open_session: Opener) -> None:
    ann, bob = open_session("ann"), open_session("bob")
    first = ann.next_item()
    second = bob.next_item()
    assert first is not None and second is not None and first.comment_id != second.comment_id
    assert ann.next_item() == first  # asking again, before coding, shows the same comment


def test_a_session_killed_without_close_resumes_on_the_same_comment_for_the_same_analyst(
    open_session: Opener,
) -> None:
    killed = open_session("ann")
    item = killed.next_item()
    assert item is not None
    del killed  # no close(): as after kill -9
    assert open_session("bob").next_item().comment_id != item.comment_id  # type: ignore[union-attr]
    resumed = open_session("ann")
    again = resumed.next_item()
    assert again is not None and again.comment_id == item.comment_id and again.suggestions == item.suggestions


def test_an_abandoned_claim_goes_to_another_analyst_after_the_timeout(open_session: Opener) -> None:
    item = open_session("ann").next_item()
    assert item is not None
    taken = open_session("bob", claim_timeout=0).next_item()
    assert taken is not None and taken.comment_id == item.comment_id
    back = open_session("ann").next_item()  # bob holds it now; ann moves on
    assert back is not None and back.comment_id != item.comment_id


def test_close_releases_the_analysts_unfinished_claim(open_session: Opener) -> None:
    ann = open_session("ann")
    item = ann.next_item()
    assert item is not None
    ann.close()
    assert open_session("bob").next_item().comment_id == item.comment_id  # type: ignore[union-attr]
    with pytest.raises(SurveyError, match="closed"):
        ann.next_item()


# -- order, decisions, the model -----------------------------------------------------------------------------


def test_the_answer_the_model_is_least_sure_of_comes_first_and_its_pieces_in_reading_order(
    open_session: Opener,
) -> None:
    session = open_session("ann")
    order = []
    while (item := session.next_item()) is not None:
        order.append(text(item))
        session.accept(item)
    assert order == [
        "More Idvas in Derbyshire.",  # S1's answer holds the least sure piece (0.30, its second): read from its start
        "Also, refuge spaces in Matlock for older boys.",
        "Funding that lasts longer than a year",  # S2's holds the next (0.45, its second)
        "training for magistrates",
        "Better housing options for survivors.",
    ]


def test_a_second_analyst_is_given_another_answer_than_the_one_the_first_is_reading(open_session: Opener) -> None:
    ann, bob = open_session("ann"), open_session("bob")
    first = ann.next_item()
    assert first is not None and text(first) == "More Idvas in Derbyshire."
    other = bob.next_item()  # S1 holds the least sure piece, but ann is reading it
    assert other is not None and text(other) == "Funding that lasts longer than a year"
    ann.accept(first)
    following = ann.next_item()
    assert following is not None and text(following) == "Also, refuge spaces in Matlock for older boys."
    bob.accept(other)
    assert text(bob.next_item()) == "training for magistrates"  # type: ignore[arg-type]


def test_each_decision_logs_the_suggestions_shown_and_the_model_version_and_the_model_learns_it(
    open_session: Opener, db: Path
) -> None:
    session = open_session("ann")
    first = session.next_item()
    assert first is not None and first.suggestions[0].confidence == 0.60
    session.accept(first)
    second = session.next_item()
    assert second is not None and second.suggestions[0].confidence == 0.30
    session.code(second, 6, 2)
    session.wait_for_model()
    assert LEARNT == [("increased-capacity", "idva"), ("increased-capacity", "idva")]
    with Store(db) as store:
        log = store.decisions(YEAR, Q)
    assert log["action"].tolist() == ["code", "code"]
    assert log[["category_id", "subcategory_id"]].values.tolist() == [
        ["increased-capacity", "idva"],
        ["increased-capacity", "idva"],
    ]
    assert log["analyst"].tolist() == ["ann", "ann"]
    shown = json.loads(log["suggestion"].iloc[0])
    assert [s["category_id"] for s in shown] == [s.category_id for s in first.suggestions]
    assert shown[0]["confidence"] == 0.60 and len(shown) == 3
    assert log["model_version"].iloc[0] == f"{Q}:0"
    assert all(v.startswith(f"{Q}:") for v in log["model_version"])
    assert set(log["codebook_version"]) == {"1"}


def test_a_key_with_no_category_or_subcategory_is_refused_with_the_keys_there_are(open_session: Opener) -> None:
    session = open_session("ann")
    item = session.next_item()
    assert item is not None
    with pytest.raises(SurveyError, match="no category has key 42"):
        session.code(item, 42)
    with pytest.raises(SurveyError, match="no subcategory with key 9"):
        session.code(item, 3, 9)


def test_progress_counts_the_whole_teams_coded_and_to_do(open_session: Opener) -> None:
    ann, bob = open_session("ann"), open_session("bob")
    assert ann.progress() == {Q: (0, 5)}
    for session in (ann, bob):
        item = session.next_item()
        assert item is not None
        session.code(item, 1)
    assert ann.progress() == bob.progress() == {Q: (2, 3)}


def test_a_session_for_every_question_makes_each_questions_comments_and_works_through_them_in_turn(
    open_session: Opener,
) -> None:
    session = open_session("ann", question=None)
    assert session.progress() == {"biggest_difference": (0, 5), "survivor_challenges": (0, 2), "other_comments": (0, 0)}
    questions = [item.question for item in code_all(session)]
    assert questions == ["biggest_difference"] * 5 + ["survivor_challenges"] * 2


def test_the_real_model_suggests_three_with_calibrated_confidence_and_versions_the_decisions(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worklist, "bundled_examples", lambda *args, **kwargs: [])  # codebook only: a fast start
    with Store(db) as store, CodingSession(store, YEAR, "ann", Q) as session:
        item = session.next_item()
        assert item is not None and len(item.suggestions) == 3
        confidences = [s.confidence for s in item.suggestions]
        assert confidences == sorted(confidences, reverse=True) and 0 < sum(confidences) <= 1 + 1e-9
        session.accept(item)
        session.wait_for_model()
        assert session._models[Q].suggester.version == 1
        assert store.decisions(YEAR)["model_version"].tolist() == [f"{Q}:0"]


def test_the_real_model_learns_from_the_decisions_made_in_the_loop(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worklist, "bundled_examples", lambda *args, **kwargs: [])  # codebook only: a fast start
    with Store(db) as store, CodingSession(store, YEAR, "ann", Q) as session:
        item = session.next_item()
        assert item is not None
        model = session._models[Q].suggester
        every = len(session.codebooks[Q].categories)
        before = model.suggest(text(item), k=every)
        chosen = session.codebooks[Q].categories[-1]  # a code the model did not put first
        assert before[0].category_id != chosen.id
        session.code(item, chosen.key)
        session.wait_for_model()  # learnt in the background, as the analyst reads the next comment
        after = model.suggest(text(item), k=every)
    assert after[0].category_id == chosen.id
    assert after[0].confidence > next(s.confidence for s in before if s.category_id == chosen.id)


# -- split, merge, undo --------------------------------------------------------------------------------------


def test_split_makes_two_comments_replacing_the_old_and_offers_the_first_half_next(
    open_session: Opener, db: Path
) -> None:
    session = open_session("ann")
    item = session.next_item()
    assert item is not None and text(item) == "More Idvas in Derbyshire."
    session.split(item, item.answer.index(" in Derbyshire"))
    first, _ = frames(db)
    assert first.loc[first["origin"] == "split", "text"].tolist() == ["More Idvas", "in Derbyshire."]
    assert item.comment_id not in set(first["id"])
    following = session.next_item()
    assert following is not None and text(following) == "More Idvas"
    with pytest.raises(SurveyError, match="split or merged since"):
        session.code(item, 1)


def test_merge_joins_the_comment_with_the_next_of_its_answer(
    open_session: Opener, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(FAKE, "Idvas", ("increased-capacity", "idva", 0.01))  # the answer's first comment first
    session = open_session("ann")
    item = session.next_item()
    assert item is not None and text(item) == "More Idvas in Derbyshire."
    session.merge_next(item)
    comments, _ = frames(db)
    merged = comments[comments["origin"] == "merge"]
    assert merged["text"].tolist() == [SERVICES[0][2]]
    assert text(session.next_item()) == SERVICES[0][2]  # type: ignore[arg-type]


def test_split_outside_the_comment_and_merge_after_the_last_comment_are_refused(
    open_session: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(FAKE, "housing options", ("housing-options", "general", 0.01))  # S3's answer first
    session = open_session("ann")
    item = session.next_item()
    assert item is not None and text(item) == SERVICES[2][2]  # its answer's last (and only) comment
    for at in (item.start, item.end, item.end + 3):
        with pytest.raises(SurveyError, match="split inside the comment"):
            session.split(item, at)
    with pytest.raises(SurveyError, match="last comment of its answer"):
        session.merge_next(item)


def test_merging_into_a_comment_another_analyst_is_coding_is_refused(
    open_session: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = open_session("ann")
    item = ann.next_item()
    assert item is not None and text(item) == "More Idvas in Derbyshire."
    bob = open_session("bob")
    while (held := bob.next_item()) is not None and held.service_id != "S1":  # an answer ann reads comes last
        bob.accept(held)
    assert held is not None and text(held) == "Also, refuge spaces in Matlock for older boys."
    with pytest.raises(SurveyError, match="being coded by bob"):
        ann.merge_next(item)


def test_after_undo_the_undone_comment_is_offered_first_and_is_uncoded(open_session: Opener, db: Path) -> None:
    session = open_session("ann")
    first = session.next_item()
    assert first is not None
    session.code(first, 3, 1)
    second = session.next_item()
    assert second is not None and second.comment_id != first.comment_id
    assert session.undo() == "undid the code Housing options of comment " + str(first.comment_id)
    _, codes = frames(db)
    assert codes.empty
    assert session.next_item() == first
    assert session.undo() is None


def test_undo_of_a_split_restores_the_comments_and_offers_the_old_one_again(open_session: Opener, db: Path) -> None:
    session = open_session("ann")
    comments_before, _ = snapshot(db)
    item = session.next_item()
    assert item is not None
    session.split(item, item.answer.index(" in Derbyshire"))
    half = session.next_item()
    assert half is not None
    session.code(half, 3)
    assert session.undo() == f"undid the code Housing options of comment {half.comment_id}"
    assert session.undo() == f"undid the split of comment {item.comment_id}"
    assert snapshot(db)[0] == comments_before
    assert session.next_item() == item


def test_undo_of_a_merge_restores_both_comments_and_offers_the_first_again(
    open_session: Opener, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(FAKE, "Idvas", ("increased-capacity", "idva", 0.01))
    session = open_session("ann")
    comments_before, _ = snapshot(db)
    item = session.next_item()
    assert item is not None
    session.merge_next(item)
    assert session.undo() == f"undid the merge of comments {item.comment_id} and {item.comment_id + 1}"
    assert snapshot(db)[0] == comments_before
    assert session.next_item() == item


@pytest.mark.parametrize("seed", range(12))
def test_undoing_every_action_in_any_order_restores_comments_and_codes_exactly(
    open_session: Opener, db: Path, seed: int
) -> None:
    session = open_session("ann")
    comments_before, codes_before = snapshot(db)
    rng = random.Random(seed)
    item = session.next_item()
    for _ in range(14):
        if item is None:
            break
        action = rng.choice(["code", "code", "split", "merge", "quote", "note", "undo"])
        try:
            if action == "code":
                session.code(item, rng.choice([0, 1, 2, 3]))
            elif action == "split":
                spaces = [i for i in range(item.start + 1, item.end) if item.answer[i] == " "]
                if not spaces:
                    continue
                session.split(item, rng.choice(spaces))
            elif action == "merge":
                session.merge_next(item)
            elif action == "quote":
                session.confirm_quote(item, session.quote_draft(item).suggested)
            elif action == "note":
                session.note(item, "ask the team")
            else:
                session.undo()
        except SurveyError:
            continue  # a merge at an answer's last comment
        item = session.next_item()
    while session.undo() is not None:
        pass
    comments_after, codes_after = snapshot(db)
    assert comments_after == comments_before
    assert codes_after == codes_before


# -- auto-accept, double coding ------------------------------------------------------------------------------


def test_auto_accept_precodes_the_confident_as_machine_coded_lists_them_and_never_queues_them(
    open_session: Opener, db: Path
) -> None:
    earn(db, shown=50, right=48)
    session = open_session("ann", auto_accept=0.9)
    assert session.auto_coded == 1
    _, codes = frames(db)
    assert codes[["category_id", "subcategory_id", "analyst", "action"]].values.tolist() == [
        ["funding", "", "bob", "code"],
        ["housing-options", "general", "model:ann", "auto"],
    ]
    [listed] = session.machine_coded()
    assert text(listed) == "Better housing options for survivors." and listed.suggestions[0].confidence == 0.97
    assert listed.comment_id not in {i.comment_id for i in code_all(session)}
    assert session.progress() == {Q: (5, 0)}
    session.code(listed, 3, 2)  # a spot check corrects it: a person's code replaces the machine's
    assert session.machine_coded() == []


def test_double_coding_is_blind_and_never_changes_the_current_code(open_session: Opener, db: Path) -> None:
    code_all(open_session("ann"), key=1)
    _, codes_before = frames(db)
    bob = open_session("bob", double_code=1.0)
    first = bob.next_item()
    assert first is not None
    bob.code(first, 2)
    assert bob.undo() is not None and bob.next_item() == first  # an undone double coding comes back, still blind
    seen = []
    while (item := bob.next_item()) is not None:
        assert item.double and item.suggestions == []  # neither ann's code nor a model that learnt it
        with pytest.raises(SurveyError, match="double coding"):
            bob.accept(item)
        with pytest.raises(SurveyError, match="double coding"):
            bob.split(item, item.start + 1)
        bob.code(item, 2)
        seen.append(item.comment_id)
    _, codes_after = frames(db)
    pd.testing.assert_frame_equal(codes_after, codes_before)
    assert sorted(seen) == sorted(codes_before["comment_id"])
    with Store(db) as store:
        doubles = store.decisions(YEAR).query("analyst == 'bob'")
    assert (
        doubles["payload"].tolist()
        == [{"double": True}, {"undoes": int(doubles["id"].iloc[0])}] + [{"double": True}] * 5
    )
    assert open_session("carol", double_code=1.0).next_item() is None  # each comment is double-coded once


def test_a_double_coding_share_samples_that_share_of_another_analysts_comments(open_session: Opener) -> None:
    code_all(open_session("ann"))
    assert open_session("bob", double_code=0.0).next_item() is None
    doubled = code_all(open_session("carol", double_code=0.5))
    assert all(i.double for i in doubled) and 0 < len(doubled) < 5


def test_current_codes_ignore_double_decisions(db: Path) -> None:
    with Store(db) as store:
        [c1] = store.add_comments(YEAR, [NewComment("S1", Q, 0, 25)])
        store.log([Decision(YEAR, c1, Q, "ann", "code", "funding")])
        store.log([Decision(YEAR, c1, Q, "bob", "code", "housing-options", payload={"double": True})])
        codes = store.current_codes(YEAR, Q)
    assert codes[["category_id", "analyst"]].values.tolist() == [["funding", "ann"]]


# -- quotes, notes, nothing printed --------------------------------------------------------------------------


def test_a_quote_draft_masks_places_services_and_forces_and_the_confirmed_text_is_logged(
    open_session: Opener, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(FAKE, "Idvas", ("increased-capacity", "idva", 0.01))
    session = open_session("ann")
    idvas = session.next_item()
    assert idvas is not None
    draft = session.quote_draft(idvas)
    assert draft.original == "More Idvas in Derbyshire." and draft.suggested == "More Idvas in ***."
    session.confirm_quote(idvas, "More Idvas in our county.")
    session.note(idvas, "good quote")
    session.code(idvas, 6)
    refuge = session.next_item()
    assert refuge is not None and session.quote_draft(refuge).suggested == "Also, refuge spaces in *** for older boys."
    with pytest.raises(SurveyError):
        session.confirm_quote(refuge, "  ")
    with Store(db) as store:
        log = store.decisions(YEAR, Q)
    assert log["payload"].tolist()[:2] == [{"anonymised": "More Idvas in our county.", "confirmed": True},
                                           {"text": "good quote"}]  # fmt: skip
    assert session.undo() == f"undid the code Increased capacity of comment {idvas.comment_id}"
    assert session.undo() == f"undid the note of comment {idvas.comment_id}"
    assert session.undo() == f"undid the quote of comment {idvas.comment_id}"


def test_a_session_prints_nothing(open_session: Opener, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    earn(db, shown=50, right=50)
    session = open_session("ann", auto_accept=0.9)
    item = session.next_item()
    assert item is not None
    session.note(item, "x")
    session.accept(item)
    session.undo()
    session.close()
    assert capsys.readouterr() == ("", "")


# -- schema 3 ------------------------------------------------------------------------------------------------


def test_schema_3_rebuilds_the_log_keeping_every_row_and_id_and_allows_split_and_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v2.db"
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:2])
    with Store(path) as v2:
        import_year(v2, write_year(tmp_path / "returns"), YEAR)
        [c1] = v2.add_comments(YEAR, [NewComment("S1", Q, 0, 25)])
        insert = "INSERT INTO decisions (year, comment_id, question, analyst, action, category_id, at) VALUES (?, ?, ?, 'ann', ?, ?, 'then')"  # noqa: E501 # fmt: skip
        with v2._transaction() as conn:  # as version 2 wrote them (today's code also keeps live_codes)
            for action, category in [("code", "funding"), ("note", "")] * 2:
                conn.execute(insert, (YEAR, c1, Q, action, category))
        with pytest.raises(Exception, match="CHECK"), v2._transaction() as conn:
            conn.execute(insert, (YEAR, c1, Q, "split", ""))
        v2._conn.execute("DELETE FROM decisions WHERE id = 4")  # the highest id, gone: never to be reused
        before = v2.decisions(YEAR)
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(path) as v3:
        assert v3.schema_version == len(MIGRATIONS)
        pd.testing.assert_frame_equal(v3.decisions(YEAR), before)
        assert v3.log([Decision(YEAR, c1, Q, "ann", "split"), Decision(YEAR, c1, Q, "ann", "merge")]) == [5, 6]
        assert v3.claims(YEAR).empty
    conn = sqlite3.connect(path)
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    assert {"decisions_by_comment", "decisions_by_year", "claims_open"} <= indexes


# -- the loop's newer keys: undo across sessions from the log, merge back, later, review and recode, marks ------


def counted(db: Path) -> tuple[int, int]:
    """The question's coded comments as the log stands (current_codes), and its active comments."""
    comments, codes = frames(db)
    return int((codes["question"] == Q).sum()), int((comments["question"] == Q).sum())


def test_undo_in_a_new_session_takes_back_the_earlier_sessions_note_split_and_code_in_turn(
    open_session: Opener, db: Path
) -> None:
    first = open_session("ann")
    before = snapshot(db)
    coded = first.next_item()
    assert coded is not None
    first.code(coded, 3)
    whole = first.next_item()
    assert whole is not None
    first.split(whole, whole.start + text(whole).index(" "))
    piece = first.next_item()
    assert piece is not None
    first.note(piece, "ask the team")
    first.close()

    again = open_session("ann")
    assert again.undo() == f"undid the note of comment {piece.comment_id}"
    assert again.undo() == f"undid the split of comment {whole.comment_id}"
    assert snapshot(db)[0] == before[0]  # the comments as they were
    assert again.undo() == f"undid the code Housing options of comment {coded.comment_id}"
    assert again.undo() is None
    assert snapshot(db) == before
    assert again.next_item() == coded  # the comment whose code was undone comes back first


def test_undo_from_the_log_reaches_only_this_analysts_decisions(open_session: Opener, db: Path) -> None:
    bob = open_session("bob")
    item = bob.next_item()
    assert item is not None
    bob.code(item, 1)
    bob.close()
    ann = open_session("ann")
    assert ann.undo() is None
    assert counted(db)[0] == 1


def test_p_merges_with_the_previous_piece_in_reading_order_and_is_refused_at_the_first(
    open_session: Opener, db: Path
) -> None:
    session = open_session("ann")
    first = session.next_item()
    assert first is not None and text(first) == "More Idvas in Derbyshire."
    with pytest.raises(SurveyError, match="first comment of its answer"):
        session.merge_previous(first)
    session.skip(first)
    item = session.next_item()
    assert item is not None and text(item) == "Also, refuge spaces in Matlock for older boys."  # its answer's next
    session.merge_previous(item)
    comments, _ = frames(db)
    assert comments.loc[comments["origin"] == "merge", "text"].tolist() == [SERVICES[0][2]]
    merged = session.next_item()
    assert merged is not None and text(merged) == SERVICES[0][2]
    with pytest.raises(SurveyError, match="first comment of its answer"):
        session.merge_previous(merged)
    assert session.undo() == f"undid the merge of comments {item.comment_id - 1} and {item.comment_id}"
    assert text(session.next_item()) == "More Idvas in Derbyshire."  # type: ignore[arg-type] # reading order


def test_later_puts_a_comment_after_the_others_and_releases_it_for_another_analyst(open_session: Opener) -> None:
    ann = open_session("ann")
    first = ann.next_item()
    assert first is not None
    ann.skip(first)
    following = ann.next_item()
    assert following is not None and following.comment_id != first.comment_id
    ann.code(following, 1)
    assert (moved_on := ann.next_item()) is not None and moved_on.service_id != first.service_id
    bob = open_session("bob")
    assert bob.next_item() == first  # released: free for another analyst
    seen = []
    while (item := ann.next_item()) is not None:
        seen.append(item.comment_id)
        ann.code(item, 1)
    assert first.comment_id not in seen  # bob holds it now


def test_review_lists_my_codes_newest_first_and_a_recode_is_a_new_decision_that_keeps_progress(
    open_session: Opener, db: Path
) -> None:
    session = open_session("ann")
    done = []
    for key in (3, 1):
        item = session.next_item()
        assert item is not None
        session.code(item, key)
        done.append(item.comment_id)
    assert [cid for cid, _ in session.coded_by_me()] == done[::-1]
    shown = session.coded_item(done[0], Q)
    assert shown.coded_as == "Housing options" and shown.suggestions
    progress = session.progress()[Q]
    session.code(shown, 2)  # recode as Funding
    with Store(db) as store:
        log = store.decisions(YEAR, Q)
        codes = store.current_codes(YEAR, Q).set_index("comment_id")
    assert (log["comment_id"] == done[0]).sum() == 2 and codes.loc[done[0], "category_id"] == "funding"
    assert session.progress()[Q] == progress == (counted(db)[0], counted(db)[1] - counted(db)[0])
    assert session.coded_item(done[0], Q).coded_as == "Funding"
    assert [cid for cid, _ in session.coded_under(Q, "funding")] == [done[0]]
    assert session.undo() is not None and session.coded_item(done[0], Q).coded_as == "Housing options"


def test_marks_show_a_note_and_a_quote_until_undone(open_session: Opener) -> None:
    session = open_session("ann")
    item = session.next_item()
    assert item is not None and session.marks(item) == frozenset()
    session.note(item, "ask the team")
    session.confirm_quote(item, "refuge spaces in *** for older boys")
    assert session.marks(item) == {"note", "quote"}
    session.undo()
    assert session.marks(item) == {"note"}


def test_progress_equals_the_logs_count_through_splits_merges_codes_and_undos(open_session: Opener, db: Path) -> None:
    session: CodingSession = open_session("ann")
    steps = 0
    while (item := session.next_item()) is not None and steps < 12:
        steps += 1
        if steps % 4 == 1 and " " in text(item).strip():
            session.split(item, item.start + text(item).index(" ", 1))
        elif steps % 4 == 2:
            try:
                session.merge_next(item)
            except SurveyError:
                session.code(item, 2)
        elif steps % 4 == 3:
            session.code(item, 1)
        else:
            session.undo()
        coded, to_do = session.progress()[Q]
        assert (coded, coded + to_do) == counted(db)


@pytest.mark.parametrize("keep", [True, False])
def test_merging_with_a_coded_piece_keeps_its_code_only_when_asked_and_progress_follows_the_log(
    open_session: Opener, db: Path, keep: bool
) -> None:
    session = open_session("ann")
    earlier = session.next_item()
    assert earlier is not None and text(earlier) == "More Idvas in Derbyshire."
    session.code(earlier, 6)  # Increased capacity
    again = session.next_item()
    assert again is not None and text(again) == "Also, refuge spaces in Matlock for older boys."
    assert session.merge_code(again, forward=False) == "Increased capacity"
    session.merge_previous(again, keep=keep)
    comments, codes = frames(db)
    whole = int(comments.loc[comments["origin"] == "merge", "id"].iloc[0])
    assert (whole in set(codes["comment_id"])) is keep
    if keep:
        assert codes.set_index("comment_id").loc[whole, "category_id"] == "increased-capacity"
    coded, to_do = session.progress()[Q]
    assert (coded, coded + to_do) == counted(db)
