"""The published tables: one pure pandas function per table (`figures`, and `provision` for settings, densities
and Marac rates) and the tables rounded as printed and written as CSV files and one workbook (`tables`).

Reads a year from the store; imports `store`, `returns`, `codebook` and `reference`, never coding or report.
"""

from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_exports

if TYPE_CHECKING:
    from practitioner_survey.counting.figures import YearData
    from practitioner_survey.counting.tables import printed_tables, tables_for, write_tables, year_data

__all__ = ["YearData", "printed_tables", "tables_for", "write_tables", "year_data"]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "YearData": "figures",
        "printed_tables": "tables",
        "write_tables": "tables",
        "year_data": "tables",
        "tables_for": "tables",
    },
)
