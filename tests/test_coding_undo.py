"""Undo un-teaches: after an undo the model suggests for the comment exactly what it did before the decision."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_coding import YEAR, Q, text, write_year

from practitioner_survey.coding import learning, worklist
from practitioner_survey.coding.learning import QuestionModel
from practitioner_survey.coding.session import CodingSession
from practitioner_survey.coding.suggest import Suggester, Suggestion
from practitioner_survey.coding.worklist import Item
from practitioner_survey.loading.importing import import_year
from practitioner_survey.store.core import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "survey.db"
    with Store(path) as store:
        import_year(store, write_year(tmp_path / "returns"), YEAR)
    return path


@pytest.fixture
def codebook_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worklist, "bundled_examples", lambda *args, **kwargs: [])  # codebook only: a fast start


def every(session: CodingSession, item: Item) -> list[Suggestion]:
    """The model's suggestions for the comment over every category (not only the three shown)."""
    model = session._models[Q]
    ranked, _ = model.suggest([text(item)], k=len(session.codebooks[Q].categories))
    return ranked[0]


def other_key(session: CodingSession, item: Item) -> int:
    """A category's key other than the first suggestion's (an override)."""
    return next(c.key for c in session.codebooks[Q].categories if c.id != item.suggestions[0].category_id)


@pytest.mark.parametrize("override", [False, True])
def test_undo_of_a_learnt_code_gives_the_comment_its_suggestions_from_before_exactly(
    db: Path, codebook_only: None, override: bool
) -> None:
    with Store(db) as store, CodingSession(store, YEAR, "ann", Q) as session:
        item = session.next_item()
        assert item is not None
        before = every(session, item)
        if override:
            session.code(item, other_key(session, item))
        else:
            session.accept(item)
        session.wait_for_model()  # the learning really runs
        assert every(session, item) != before
        assert session.undo() is not None
        again = session.next_item()
        assert again is not None and again.comment_id == item.comment_id
        assert again.suggestions == item.suggestions
        assert every(session, again) == before


def test_undoing_two_codes_in_turn_gives_each_comment_its_suggestions_from_before(
    db: Path, codebook_only: None
) -> None:
    with Store(db) as store, CodingSession(store, YEAR, "ann", Q) as session:
        first = session.next_item()
        assert first is not None
        first_before = every(session, first)
        session.code(first, other_key(session, first))
        session.wait_for_model()
        second = session.next_item()
        assert second is not None
        second_before = every(session, second)
        session.accept(second)
        session.wait_for_model()
        session.undo()
        again = session.next_item()
        assert again is not None and again.comment_id == second.comment_id
        # the comment shown again has the model's suggestions from just before its decision (those shown first
        # were made ahead, as the analyst read the first comment, before the model took in the first decision)
        assert every(session, again) == second_before and again.suggestions == second_before[:3]
        session.undo()
        assert session.next_item() == first
        assert every(session, first) == first_before


def test_undo_further_back_than_the_snapshots_starts_the_model_again_from_the_log(
    db: Path, codebook_only: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(learning, "UNDO_DEPTH", 1)
    with Store(db) as store, CodingSession(store, YEAR, "ann", Q) as session:
        first = session.next_item()
        assert first is not None
        before = every(session, first)
        session.accept(first)
        session.wait_for_model()
        second = session.next_item()
        assert second is not None
        session.accept(second)
        session.wait_for_model()
        session.undo()
        model = session._models[Q]
        session.undo()  # learnt two steps ago: beyond the one snapshot kept
        assert Q not in session._models or session._models[Q] is not model
        assert session.next_item() == first
        assert every(session, first) == before  # nothing coded this year: the model as it started


def test_unlearning_one_of_two_decisions_learnt_together_leaves_the_model_as_if_only_the_other_was_learnt(
    db: Path,
) -> None:
    with Store(db) as store:
        codebook = CodingSession(store, YEAR, "ann", Q).codebooks[Q]
    ids = [c.id for c in codebook.categories]
    together, alone = (QuestionModel(Q, Suggester(codebook, seed=3)) for _ in range(2))
    probes = ["refuge spaces for older boys", "training for magistrates", "longer funding"]
    start = together.suggest(probes)
    try:
        together._step([(1, "more refuge spaces please", ids[0], ""), (2, "courts need training", ids[1], "")])
        assert together.suggest(probes) != start
        assert together.unlearn(2)
        alone._step([(1, "more refuge spaces please", ids[0], "")])
        assert together.suggest(probes)[0] == alone.suggest(probes)[0]
        assert together.unlearn(1)
        assert together.suggest(probes)[0] == start[0]
    finally:
        together.close()
        alone.close()


def test_undo_of_a_decision_not_yet_learnt_drops_it_from_the_queue(db: Path) -> None:
    with Store(db) as store:
        codebook = CodingSession(store, YEAR, "ann", Q).codebooks[Q]
    model = QuestionModel(Q, Suggester(codebook, seed=3))
    try:
        model._pending.append((7, "more refuge spaces please", codebook.categories[0].id, ""))  # queued, not begun
        assert model.unlearn(7) and model._pending == []
        assert model.suggester.version == 0
    finally:
        model.close()


def test_after_an_undo_the_model_learns_on_as_if_the_undone_decision_had_never_been_made(db: Path) -> None:
    with Store(db) as store:
        codebook = CodingSession(store, YEAR, "ann", Q).codebooks[Q]
    ids = [c.id for c in codebook.categories]
    undone, straight = (QuestionModel(Q, Suggester(codebook, seed=3)) for _ in range(2))
    probes = ["refuge spaces for older boys", "training for magistrates", "longer funding"]
    try:
        undone._step([(1, "more refuge spaces please", ids[0], "")])
        assert undone.unlearn(1)
        for model in (undone, straight):
            model._step([(2, "more refuge spaces please", ids[2], "")])
            model._step([(3, "courts need training", ids[1], "")])
        assert undone.suggest(probes)[0] == straight.suggest(probes)[0]
        assert undone.suggester.linear.t_ == straight.suggester.linear.t_
    finally:
        undone.close()
        straight.close()
