"""Corrections to a year after its import: services rolled over from an earlier year, and revised figures.

Mixed into store.core.Store. Each checks everything first, reports every problem at once and writes nothing then;
the writes are one transaction, and running the same correction again changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from practitioner_survey.errors import StoreError, did_you_mean
from practitioner_survey.returns import schema
from practitioner_survey.returns.provenance import Revision, near_ids, plan_revisions
from practitioner_survey.store.db import SQL
from practitioner_survey.store.rows import NUMBERS, REVISION_COLUMNS, figure, insert_rows, now_seconds

_ROW = "year = ? AND service_id = ? AND police_force_area = ?"


@dataclass(frozen=True)
class RolloverOutcome:
    """status 'rolled_over', or 'unchanged' when every service was already rolled over from that year."""

    status: str
    rolled_over: list[str] = field(default_factory=list)
    already_rolled_over: list[str] = field(default_factory=list)
    staffing_rows: int = 0


@dataclass(frozen=True)
class RevisionOutcome:
    """status 'revised', or 'unchanged' when every figure already held its new value."""

    status: str
    revised: int = 0
    unchanged: int = 0
    rows_added: int = 0


class CorrectionsStore:
    """Rollovers and revisions; needs the host's _transaction(), _rows() and its years."""

    def _transaction(self) -> AbstractContextManager[SQL]:
        raise NotImplementedError

    def _rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def years(self) -> list[int]:
        raise NotImplementedError

    def _years_text(self) -> str:
        raise NotImplementedError

    def _require_year(self, year: int) -> None:
        raise NotImplementedError

    def _service_ids(self, year: int) -> list[str]:
        raise NotImplementedError

    def rollover(
        self, year: int, from_year: int, service_ids: Sequence[str], source_note: str | None = None
    ) -> RolloverOutcome:
        """Carry services that sent no return into the year from an earlier year's results, free text blanked.

        Every problem is reported at once and nothing is written; re-running a rollover changes nothing.
        """
        note = source_note or f"{from_year} Survey Results"
        ids = list(dict.fromkeys(s.strip() for s in service_ids if s.strip()))
        years = self.years()
        errors = [] if ids else ["no service ids given"]
        errors += [f"{y} has no returns" for y in dict.fromkeys((year, from_year)) if y not in years]
        if year == from_year:
            errors.append("a service cannot be rolled over into the year it came from")
        sql = (
            "SELECT s.service_id, r.from_year FROM services s LEFT JOIN rollovers r "
            "ON r.year = s.year AND r.service_id = s.service_id WHERE s.year = ?"
        )
        present = dict(self._rows(sql, year))
        available = self._service_ids(from_year)
        to_copy, done = [], []
        for sid in ids:
            if from_year in years and sid not in available:
                near = did_you_mean(near_ids(sid, available))
                errors.append(f"service {sid} is not in {from_year}'s returns{near}")
            elif sid in present and present[sid] == from_year:
                done.append(sid)
            elif sid in present:
                how = f"rolled over from {present[sid]}" if present[sid] else "from its return"
                errors.append(f"service {sid} is already in {year} ({how})")
            else:
                to_copy.append(sid)
        if errors:
            raise StoreError(f"rollover refused, nothing was written: {'; '.join(errors)} ({self._years_text()})")
        copied = [*schema.SERVICES_COLUMNS]
        copied[copied.index("response_mode")] = "'rolled_over'"
        copied[copied.index("source_note")] = "?"
        for question in schema.FREE_TEXT_QUESTIONS:
            copied[copied.index(question)] = "''"
        staffing_rows, now = 0, now_seconds()
        with self._transaction() as conn:
            for sid in to_copy:
                conn.execute(
                    f"INSERT INTO services (year, {', '.join(schema.SERVICES_COLUMNS)}, origin, provenance) "
                    f"SELECT ?, {', '.join(copied)}, 'rollover', ? FROM services "
                    "WHERE year = ? AND service_id = ?",
                    (year, note, f"rolled over from {from_year}: {note}", from_year, sid),
                )
                staffing_rows += conn.execute(
                    f"INSERT INTO staffing (year, {', '.join(schema.STAFFING_COLUMNS)}, origin) "
                    f"SELECT ?, {', '.join(schema.STAFFING_COLUMNS)}, 'rollover' FROM staffing "
                    "WHERE year = ? AND service_id = ?",
                    (year, from_year, sid),
                ).rowcount
                columns = ("year", "service_id", "from_year", "source_note", "at")
                insert_rows(conn, "rollovers", columns, [(year, sid, from_year, note, now)])
        return RolloverOutcome("rolled_over" if to_copy else "unchanged", to_copy, done, staffing_rows)

    def _figures(self, year: int, service_id: str, area: str) -> dict[str, float] | None:
        rows = self._rows(f"SELECT {', '.join(NUMBERS)} FROM staffing WHERE {_ROW}", year, service_id, area)
        return dict(zip(NUMBERS, rows[0], strict=True)) if rows else None

    def revise(self, year: int, revisions: Sequence[Revision]) -> RevisionOutcome:
        """Apply corrected staffing figures, keeping each old value and who reported the new one.

        All revisions are checked first (see provenance.plan_revisions) and applied in one transaction; a row
        for an area the return did not list is created with zeros. Applying a file twice changes nothing.
        """
        self._require_year(year)
        plan = plan_revisions(year, revisions, self._service_ids(year), lambda s, a: self._figures(year, s, a))
        now = now_seconds()
        with self._transaction() as conn:
            zeros = [0] * len(NUMBERS)
            rows = [(year, *key, *zeros, "revision") for key in plan.new_rows]
            insert_rows(conn, "staffing", ("year", *schema.STAFFING_COLUMNS, "origin"), rows)
            for rev, old in plan.changes:
                value = figure(rev.field, rev.new_value)
                key = (rev.service_id, rev.police_force_area)
                conn.execute(f"UPDATE staffing SET {rev.field} = ? WHERE {_ROW}", (value, year, *key))
                row = (year, *key, rev.field, old, value, rev.source, rev.file, rev.file_sha256, rev.row, now)
                insert_rows(conn, "revisions", ("year", *REVISION_COLUMNS), [row])
        status = "revised" if plan.changes else "unchanged"
        return RevisionOutcome(status, len(plan.changes), plan.unchanged, len(plan.new_rows))
