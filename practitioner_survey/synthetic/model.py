"""Plain objects for a synthetic year: services and their staffing rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from practitioner_survey.reference import region_of
from practitioner_survey.returns.schema import FTE_COLUMNS


@dataclass
class Row:
    """One staffing row: a service's practitioners in one police force area."""

    pfa: str
    fte: dict[str, float] = field(default_factory=lambda: dict.fromkeys(FTE_COLUMNS, 0.0))
    idva_headcount: int = 0
    volunteers: int = 0

    @property
    def region(self) -> str:
        return region_of()[self.pfa]


@dataclass
class Service:
    """One service of a synthetic year."""

    service_id: str
    name: str
    rows: list[Row]
    employs: bool = True
    band: str = ""  # Idva size band, '' when not an Idva service
    headcount: int = 0  # Idva headcount, for services in the 1-2 band fixed up front
    fixed: tuple[float, float] | None = None  # (idva FTE, high-risk FTE) when taken as given
    response_mode: str = "online"
    source_note: str = ""
    idva_cases: str = ""
    idva_locations: list[str] = field(default_factory=list)
    quirk: str = ""  # why this service's figures would make a careful checker look twice
    answers: dict[str, str] = field(default_factory=dict)  # free-text answers by question

    @property
    def regions(self) -> list[str]:
        return sorted({row.region for row in self.rows})

    @property
    def is_idva(self) -> bool:
        return bool(self.band)

    def total(self, column: str) -> float:
        return sum(row.fte[column] for row in self.rows)
