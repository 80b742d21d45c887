"""`--auto-accept T` earns its threshold: refused unless this year's hand codes found first suggestions shown at T
or more right at least a share T of the time, over at least MINIMUM_DECISIONS of them."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from test_coding import YEAR, FakeSuggester, Q, earn, write_year
from typer.testing import CliRunner

from practitioner_survey.cli import app, code_cmd, code_screen
from practitioner_survey.coding import worklist
from practitioner_survey.coding.earning import MINIMUM_DECISIONS, require_earned, track_record
from practitioner_survey.coding.session import CodingSession
from practitioner_survey.errors import SurveyError
from practitioner_survey.loading.importing import import_year
from practitioner_survey.store.coding import Decision
from practitioner_survey.store.core import Store


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(worklist, "Suggester", FakeSuggester)
    monkeypatch.setattr(worklist, "bundled_examples", lambda *args, **kwargs: [])
    path = tmp_path / "survey.db"
    with Store(path) as store:
        import_year(store, write_year(tmp_path / "returns"), YEAR)
    return path


def written(db: Path) -> tuple[int, int]:
    """How many decisions and claims the store holds."""
    with Store(db) as store:
        return len(store.decisions(YEAR)), len(store.claims(YEAR))


def test_the_record_counts_only_analysts_live_decisions_shown_at_the_threshold_or_more(db: Path) -> None:
    earn(db, shown=10, right=7, confidence=0.95)
    earn(db, shown=5, right=0, confidence=0.80)  # shown below the threshold: not counted
    with Store(db) as store:
        [target] = store.decisions(YEAR)["comment_id"].unique().tolist()
        shown = [{"category_id": "funding", "label": "Funding", "confidence": 0.99}]
        machine = Decision(YEAR, target, Q, "model:bob", "auto", "funding", suggestion=shown)
        blind = Decision(YEAR, target, Q, "bob", "code", "other", payload={"double": True})  # shown nothing
        [wrong] = store.log([Decision(YEAR, target, Q, "bob", "code", "other", suggestion=shown)])
        store.log([machine, blind, Decision(YEAR, target, Q, "bob", "undo", payload={"undoes": wrong})])
        record = track_record(store, YEAR, Q, 0.9)
        assert (record.shown, record.right, record.earned) == (10, 7, False)
        assert not track_record(store, YEAR, Q, 0.9, minimum=10).earned  # enough decisions, right too seldom
        low = track_record(store, YEAR, Q, 0.45, minimum=10)
        assert (low.shown, low.right, low.earned) == (15, 7, True)


def test_auto_accept_is_refused_with_too_few_decisions_and_nothing_is_coded_or_claimed(db: Path) -> None:
    earn(db, shown=MINIMUM_DECISIONS - 1, right=MINIMUM_DECISIONS - 1)
    before = written(db)
    with Store(db) as store, pytest.raises(SurveyError) as refused:
        CodingSession(store, YEAR, "ann", Q, auto_accept=0.9)
    assert f"{Q}: 49 of 49 (100%) right" in str(refused.value) and "at least 50 such decisions" in str(refused.value)
    assert written(db) == before


def test_auto_accept_is_refused_when_the_suggestions_were_right_less_often_than_the_threshold(db: Path) -> None:
    earn(db, shown=60, right=53)  # 88% right: earns 0.85, not 0.9
    before = written(db)
    with Store(db) as store:
        with pytest.raises(SurveyError, match=r"53 of 60 \(88%\) right.*right at least 90% of the time"):
            CodingSession(store, YEAR, "ann", Q, auto_accept=0.9)
        assert written(db) == before
        [record] = require_earned(store, YEAR, (Q,), 0.85)
        assert record.earned and (record.shown, record.right) == (60, 53)


def test_auto_accept_when_earned_precodes_and_counts(db: Path) -> None:
    earn(db, shown=60, right=57)
    with Store(db) as store, CodingSession(store, YEAR, "ann", Q, auto_accept=0.9) as session:
        assert session.auto_coded == 1 and [(r.shown, r.right) for r in session.auto_records] == [(60, 57)]
        assert len(session.machine_coded()) == 1


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """`survey code` as if run in a terminal, its screen quitting at once."""
    tty = SimpleNamespace(isatty=lambda: True)
    monkeypatch.setattr(code_cmd, "sys", SimpleNamespace(stdin=tty, stdout=tty))
    monkeypatch.setattr(
        code_screen, "run_screen", lambda session, title, review=False: SimpleNamespace(item=None, coded=0)
    )


def test_survey_code_refuses_an_unearned_threshold_in_one_line_writing_nothing(db: Path, terminal: None) -> None:
    earn(db, shown=60, right=50)
    before = written(db)
    result = CliRunner().invoke(app, ["--db", str(db), "code", str(YEAR), "--question", Q, "--auto-accept", "0.9",
                                      "--analyst", "ann"])  # fmt: skip
    assert result.exit_code == 1
    assert "error: --auto-accept 0.9 is not earned yet" in result.output and "50 of 60 (83%) right" in result.output
    assert "pre-coded" not in result.output and written(db) == before


def test_survey_code_says_how_many_comments_an_earned_threshold_precoded(db: Path, terminal: None) -> None:
    earn(db, shown=60, right=60)
    result = CliRunner().invoke(app, ["--db", str(db), "code", str(YEAR), "--question", Q, "--auto-accept", "0.9",
                                      "--analyst", "ann"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"pre-coded 1 comment as machine-coded (earned by this year's hand codes: {Q} 60 of 60 right)" in (
        result.output
    )
