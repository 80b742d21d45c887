"""The report: build, then render.

`build` computes every figure of a year's report into plain data objects (`build.Report`, with `years` for the
year-on-year columns, `comparisons` for their notes, `glance`, `idva` and `method` for sections' figures,
`provenance` for report.toml and `printed` for rounding); `render` lays them out with the Jinja2 templates in
`templates/` (`templating`) as HTML, lays out the PDF (`pdf`, with `jobs` running parts in forked workers) and
writes the tables; `charts`, `tilemap` and `wordclouds` draw the figures. Imports counting, coding, store,
returns, codebook and reference; never exchange or cli.
"""

from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_exports

if TYPE_CHECKING:
    from practitioner_survey.report.templating import TITLES, TableView, environment, render_tables_page, templates_dir

__all__ = ["TITLES", "TableView", "environment", "render_tables_page", "templates_dir"]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {name: "templating" for name in __all__},
)
