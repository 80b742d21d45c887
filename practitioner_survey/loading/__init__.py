"""Putting a year into the store: importing a return (`importing`) and loading a prepared folder as its
`load.toml` says (`bundled`: import, rollovers, revisions, coded comments).

Above `returns` and `store`, which it joins; imports nothing from counting, coding, report, exchange or cli.
"""

from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_exports

if TYPE_CHECKING:
    from practitioner_survey.loading.bundled import LoadReport, bundled_folder, load_year
    from practitioner_survey.loading.importing import ImportResult, import_year

__all__ = ["ImportResult", "LoadReport", "bundled_folder", "import_year", "load_year"]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "import_year": "importing",
        "ImportResult": "importing",
        "load_year": "bundled",
        "bundled_folder": "bundled",
        "LoadReport": "bundled",
    },
)
