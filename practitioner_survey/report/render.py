"""Render a built Report as one self-contained HTML file (CSS, SVG and PNG inline), and write a year's build.

A build keeps what is slow to make inside its output folder: the drawn figures in `.figures/` by a hash of what
they are drawn from, the PDF's parts (one per section) in `.pdf-parts/` by a hash of their HTML, and which parts the
report's PDF was joined from. A rebuild then draws, lays out and joins only what changed, and imports matplotlib,
wordcloud and WeasyPrint only when it has something for them to do; the files are byte for byte a fresh build's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jinja2 import Environment, UndefinedError
from markupsafe import Markup

from practitioner_survey.coding.quote_guard import HeldQuote
from practitioner_survey.counting.tables import read_free_text
from practitioner_survey.errors import SurveyError
from practitioner_survey.report.build import Report, build_report
from practitioner_survey.report.contents import Entry, contents, with_pages
from practitioner_survey.report.figures import Drawing, Drawn, FigureCache, add_figures, draw, drawings
from practitioner_survey.report.jobs import Jobs, fewer_collections
from practitioner_survey.report.pdf import PartCache
from practitioner_survey.report.pdfparts import FRONT as FRONT  # re-exported: the front part's name in Built
from practitioner_survey.report.pdfparts import PdfParts, likely_laid_out, warm_worker
from practitioner_survey.report.tables import write_report_tables
from practitioner_survey.report.templating import environment, templates_dir
from practitioner_survey.store.core import Store

#: The section templates, in the report's order (each renders on its own given `report`).
SECTIONS = ("glance", "method", "idva", "practitioners", "questions", "appendix")
#: Sections showing drawn figures, with the kinds of figure each shows: each is rendered once those are drawn (the
#: others at once, unless a template was edited to show a figure: then once every figure is drawn).
FIGURE_SECTIONS = {"idva": ("coverage_bars", "tile_map"), "questions": ("category_bars", "wordcloud")}
#: The section holding the word clouds, rendered for print again with their JPEG versions.
QUESTIONS = "questions"
#: Where a build keeps its laid-out PDF parts (one per section: each starts a page, so they join seamlessly) and its
#: drawn figures, inside the output folder, so a rebuild lays out and draws only what changed.
PART_CACHE = ".pdf-parts"
FIGURE_CACHE = ".figures"
#: Beside the tables' folder: what the workbook was last written from, and its checksum.
WORKBOOK_RECORD = ".tables-xlsx.json"


def render_section(report: Report, section: str, folder: Path | None = None) -> str:
    """One section's HTML on its own (for tests and for editing a template)."""
    return environment(folder).get_template(f"{section}.html.j2").render(report=report)


def render_report(report: Report, folder: Path | None = None, sections: Sequence[str] = SECTIONS) -> str:
    """The whole report as one HTML document, or a document of some of its sections (without the title page
    header and contents unless the first section is among them)."""
    env = environment(folder)
    bodies = [env.get_template(f"{s}.html.j2").render(report=report) for s in sections]
    return _document(env, report, bodies, sections[0] == SECTIONS[0])


def _document(
    env: Environment, report: Report, bodies: Sequence[str], front: bool, entries: Sequence[Entry] | None = None
) -> str:
    """The page of `bodies`, with the title and contents (`entries`, else read from `bodies`) when `front`."""
    return env.get_template("base.html.j2").render(
        report=report,
        sections=[Markup(b) for b in bodies],
        front=front,
        contents=list(entries) if entries is not None else contents(bodies) if front else [],
    )


@dataclass(frozen=True)
class Built:
    """What a build wrote, and what it had to make rather than find kept: the figures it drew and the sections
    whose PDF part it laid out (by name), and whether it joined the PDF's parts again."""

    html: Path | None
    tables: list[Path]
    pdf: Path | None = None
    pages: int = 0
    drawn: tuple[str, ...] = ()
    laid_out: tuple[str, ...] = ()
    joined: bool = False
    held_quotes: tuple[HeldQuote, ...] = ()  # confirmed quotes left out by the guard before publication


FORMATS = ("html", "pdf")


class _Pages:
    """The report's section bodies, each rendered once, and the documents made of them (one environment, so each
    template is compiled once)."""

    def __init__(self, folder: Path) -> None:
        self.env = environment(folder)
        self.page: dict[str, str] = {}  # section -> body, as the HTML page shows it
        self.printed: dict[str, str] = {}  # section -> body, as the PDF shows it
        self.headings: list[Entry] | None = None  # the contents, without page numbers

    def render(self, report: Report, printed: Report, section: str) -> None:
        template = self.env.get_template(f"{section}.html.j2")
        self.page[section] = template.render(report=report)
        self.printed[section] = template.render(report=printed) if section == QUESTIONS else self.page[section]

    def part(self, report: Report, section: str) -> str:
        """The HTML the PDF part of `section` is laid out from."""
        return _document(self.env, report, [self.printed[section]], False)

    def front(self, report: Report, pages: dict[str, int]) -> str:
        """The HTML of the PDF's first part: the title and the contents, with the page each heading is on (the
        headings read once, when every section is rendered)."""
        if self.headings is None:
            self.headings = contents([self.printed[s] for s in SECTIONS])
        return _document(self.env, report, [], True, with_pages(self.headings, pages))

    def document(self, report: Report) -> str:
        return _document(self.env, report, [self.page[s] for s in SECTIONS], True)


def build_year(
    store: Store,
    year: int,
    out: Path,
    folder: Path | None = None,
    formats: Sequence[str] = FORMATS,
    on_stage: Callable[[str], None] | None = None,
    *,
    parallel: bool | None = None,
) -> Built:
    """Write `out`/tables/ (every table as CSV and one workbook) and, as asked, `out`/report.html and
    `out`/report.pdf (laid out from the same HTML by WeasyPrint) for `year`.

    `on_stage` is told each stage's name as it starts. This process counts, draws the figures not kept, renders and
    writes the tables; each PDF part not kept is laid out by a worker process (`jobs`, where the system allows:
    `parallel=None`) as soon as its section is rendered, the longest first. The files are the same either way.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise SurveyError(f"unknown format(s) {', '.join(sorted(unknown)) or '(none)'}; choose from html, pdf")
    stage = on_stage or (lambda name: None)
    folder = folder or templates_dir()
    figure_cache = FigureCache(out / FIGURE_CACHE)
    with fewer_collections(), Jobs(parallel=parallel, warm=warm_worker) as jobs:
        parts = PdfParts(jobs, PartCache(out / PART_CACHE), SECTIONS) if "pdf" in formats else None
        if parts is not None and likely_laid_out(out / "report.pdf", folder):
            jobs.start()  # the workers import WeasyPrint while this process counts
        stage("counting the tables")
        free_text = read_free_text(store, year)
        report = build_report(store, year, free_text)
        figures = drawings(report, store.services(year)["service_name"], free_text, folder)
        drawn = {d.name: found for d in figures if (found := figure_cache.get(d)) is not None}
        missing = [d for d in figures if d.name not in drawn]
        pages = _Pages(folder)
        waiting = _render_ready(pages, report, figures, drawn, list(SECTIONS), parts)
        if parts is not None and (missing or parts.laying_out):
            stage("laying out the PDF")
        for first, name in ((True, "drawing the coverage chart and tile map"),
                            (False, "drawing the questions' charts and word clouds")):  # fmt: skip
            stage(name)  # the coverage chart and tile map first: the idva section's part waits for them alone
            for d in missing:
                if d.name not in drawn and (d.kind in FIGURE_SECTIONS["idva"] or not first):
                    drawn[d.name] = draw(d)
                    figure_cache.put(d, drawn[d.name])
            waiting = _render_ready(pages, report, figures, drawn, waiting, parts)
        stage("writing the tables (CSV, Excel)")
        written = write_report_tables(report, out / "tables", out / WORKBOOK_RECORD)
        stage("rendering the HTML")
        report = add_figures(report, figures, drawn)
        page = pdf = None
        if "html" in formats:
            page = out / "report.html"
            page.write_text(pages.document(report), encoding="utf-8", newline="\n")
        number, joined, laid_out = 0, False, tuple[str, ...]()
        if parts is not None:
            stage("finishing the PDF")
            pdf = out / "report.pdf"
            number, joined, laid_out = parts.finish(pdf, partial(pages.front, report))
    figure_cache.keep_only(figures)
    return Built(page, written, pdf, number, tuple(d.name for d in missing), laid_out, joined,
                 tuple(report.held_quotes))  # fmt: skip


def _render_ready(
    pages: _Pages,
    report: Report,
    figures: list[Drawing],
    drawn: dict[str, Drawn],
    sections: list[str],
    parts: PdfParts | None,
) -> list[str]:
    """Render those of `sections` that the figures drawn so far allow (a section showing figures once all of its
    own are drawn, any other once its template renders), and hand each to `parts` to be laid out; returns the
    sections left waiting for figures."""
    ready, printed = add_figures(report, figures, drawn), add_figures(report, figures, drawn, printed=True)
    everything = all(d.name in drawn for d in figures)
    waiting, rendered = [], {}
    for section in sections:
        shows = FIGURE_SECTIONS.get(section, ())
        if not everything and any(d.kind in shows and d.name not in drawn for d in figures):
            waiting.append(section)
            continue
        try:
            pages.render(ready, printed, section)
        except UndefinedError:  # a template edited to show a figure in another section: it waits for the drawing
            if everything:
                raise
            waiting.append(section)
            continue
        rendered[section] = pages.part(ready, section)
    if parts is not None:
        parts.add(rendered)
    return waiting
