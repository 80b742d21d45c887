"""A synthetic year as the two tables of the returns format, as finally counted or as first returned."""

from __future__ import annotations

import pandas as pd

from practitioner_survey.counting.figures import YearData
from practitioner_survey.returns.schema import FTE_COLUMNS, SERVICES_COLUMNS, STAFFING_COLUMNS
from practitioner_survey.synthetic.model import Service


def services_frame(services: list[Service]) -> pd.DataFrame:
    rows = [
        {
            "service_id": s.service_id,
            "service_name": s.name,
            "employs_practitioners": s.employs,
            "response_mode": s.response_mode,
            "source_note": s.source_note,
            "idva_cases": s.idva_cases,
            "idva_locations": "; ".join(s.idva_locations),
            "biggest_difference": s.answers.get("biggest_difference", ""),
            "survivor_challenges": s.answers.get("survivor_challenges", ""),
            "other_comments": s.answers.get("other_comments", ""),
        }
        for s in sorted(services, key=lambda s: s.service_id)
    ]
    return pd.DataFrame(rows, columns=list(SERVICES_COLUMNS))


def staffing_frame(services: list[Service]) -> pd.DataFrame:
    rows = []
    for s in sorted(services, key=lambda s: s.service_id):
        for row in s.rows:
            record: dict[str, object] = {"service_id": s.service_id, "police_force_area": row.pfa}
            record["idva_headcount"] = row.idva_headcount
            record.update({c: round(max(0.0, row.fte[c]), 2) for c in FTE_COLUMNS})
            record["volunteers"] = row.volunteers
            rows.append(record)
    frame = pd.DataFrame(rows, columns=list(STAFFING_COLUMNS))
    return frame.astype({"idva_headcount": int, "volunteers": int})


def year_data(year: int, services: list[Service], reference: pd.DataFrame) -> YearData:
    """The year as counting sees it (final figures)."""
    return YearData(year, services_frame(services), staffing_frame(services), reference)
