"""A tile map of the 43 police force areas: one square per area on a rough geographic grid (no map files)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from practitioner_survey.counting.figures import round_half_up


@dataclass(frozen=True)
class Tile:
    """One police force area's square: where it sits, its short label, coverage and band."""

    area: str
    short: str
    row: int
    col: int
    coverage_pct: int
    band: str


#: police force area -> (row, column, short label); row 0 is the north, column 0 the west.
GRID: dict[str, tuple[int, int, str]] = {
    "Northumbria": (0, 4, "Nbria"),
    "Cumbria": (1, 3, "Cumb"),
    "Durham": (1, 4, "Durh"),
    "Cleveland": (1, 5, "Clev"),
    "Lancashire": (2, 3, "Lancs"),
    "North Yorkshire": (2, 4, "N Yks"),
    "Merseyside": (3, 2, "Mers"),
    "Greater Manchester": (3, 3, "G Man"),
    "West Yorkshire": (3, 4, "W Yks"),
    "Humberside": (3, 5, "Humb"),
    "North Wales": (4, 1, "N Wal"),
    "Cheshire": (4, 2, "Ches"),
    "Derbyshire": (4, 3, "Derbs"),
    "South Yorkshire": (4, 4, "S Yks"),
    "Lincolnshire": (4, 5, "Lincs"),
    "Dyfed-Powys": (5, 0, "D-P"),
    "West Mercia": (5, 1, "W Mer"),
    "Staffordshire": (5, 2, "Staffs"),
    "Leicestershire": (5, 3, "Leics"),
    "Nottinghamshire": (5, 4, "Notts"),
    "Cambridgeshire": (5, 5, "Cambs"),
    "Norfolk": (5, 6, "Norf"),
    "South Wales": (6, 0, "S Wal"),
    "Gwent": (6, 1, "Gwent"),
    "West Midlands": (6, 2, "W Mid"),
    "Warwickshire": (6, 3, "Warks"),
    "Northamptonshire": (6, 4, "Nhants"),
    "Bedfordshire": (6, 5, "Beds"),
    "Suffolk": (6, 6, "Suff"),
    "Avon and Somerset": (7, 1, "A&S"),
    "Gloucestershire": (7, 2, "Glos"),
    "Thames Valley": (7, 3, "TV"),
    "Hertfordshire": (7, 4, "Herts"),
    "Essex": (7, 5, "Essex"),
    "Devon and Cornwall": (8, 0, "D&C"),
    "Wiltshire": (8, 2, "Wilts"),
    "Metropolitan Police": (8, 4, "Met"),
    "City of London": (8, 5, "City"),
    "Dorset": (9, 1, "Dorset"),
    "Hampshire": (9, 2, "Hants"),
    "Surrey": (9, 3, "Surrey"),
    "Sussex": (9, 4, "Sussex"),
    "Kent": (9, 5, "Kent"),
}

#: Coverage bands, lowest first: (label, lower bound in %).
BANDS: tuple[tuple[str, int], ...] = (("below 50%", 0), ("50–74%", 50), ("75–99%", 75), ("100% or more", 100))


def band(coverage_pct: float) -> str:
    """The coverage band a (rounded) percentage falls in."""
    label = BANDS[0][0]
    for name, lower in BANDS:
        if coverage_pct >= lower:
            label = name
    return label


def tiles(coverage: pd.DataFrame) -> list[Tile]:
    """One tile per police force area in `coverage` (police_force_area, coverage_pct); areas missing from the grid
    are placed on an extra row so none is dropped."""
    out = []
    spare = 0
    for area, pct in zip(coverage["police_force_area"], coverage["coverage_pct"], strict=True):
        if area in GRID:
            row, col, short = GRID[area]
        else:
            row, col, short = 10, spare, str(area)[:6]
            spare += 1
        rounded = int(round_half_up(float(pct)))
        out.append(Tile(str(area), short, row, col, rounded, band(rounded)))
    return out
