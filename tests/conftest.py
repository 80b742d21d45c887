"""Shared fixtures: small returns built straight from DataFrames, and a store in a temporary folder."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from practitioner_survey import schema
from practitioner_survey.errors import Problem
from practitioner_survey.returns import Returns, SourceFile
from practitioner_survey.store import Store

#: Planted in every free-text answer so tests can prove it is never printed and is blanked on rollover.
SECRET = "survivor told us about her ex-partner"

Staff = tuple[str, str, dict[str, float]]  # (service_id, police force area, figures)


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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "survey.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as opened:
        yield opened


@pytest.fixture
def dump() -> Callable[[Path], list[str]]:
    """Every table's full contents as SQL text, read through a fresh connection: equal dumps, equal stores."""

    def read(path: Path) -> list[str]:
        conn = sqlite3.connect(path)
        try:
            return list(conn.iterdump())
        finally:
            conn.close()

    return read
