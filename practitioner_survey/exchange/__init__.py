"""Handing a year to other tools and back: a REFI-QDA project for NVivo, MAXQDA or ATLAS.ti (`qdpx`,
read back by `qdpx_import`), the codebook as a `.qdc` (`codebook_qdc`) and plain CSV files (`export`).

Imports `counting`, `store`, `returns`, `codebook` and `errors`; never report or cli.
"""

from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_exports

if TYPE_CHECKING:
    from practitioner_survey.exchange.codebook_qdc import export_qdc, import_qdc
    from practitioner_survey.exchange.export import ExportOutcome, export_year
    from practitioner_survey.exchange.qdpx import write_qdpx
    from practitioner_survey.exchange.qdpx_import import import_qdpx

__all__ = ["ExportOutcome", "export_qdc", "export_year", "import_qdc", "import_qdpx", "write_qdpx"]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "export_year": "export",
        "ExportOutcome": "export",
        "write_qdpx": "qdpx",
        "import_qdpx": "qdpx_import",
        "export_qdc": "codebook_qdc",
        "import_qdc": "codebook_qdc",
    },
)
