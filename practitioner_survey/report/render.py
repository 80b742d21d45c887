"""Render a built Report as one self-contained HTML file (CSS, SVG and PNG inline), and write a year's build.

A build keeps what is slow to make inside its output folder: the drawn figures in `.figures/` by a hash of what
they are drawn from, the PDF's parts (one per section) in `.pdf-parts/` by a hash of their HTML, and which parts the
report's PDF was joined from. A rebuild then draws, lays out and joins only what changed, and imports matplotlib,
wordcloud and WeasyPrint only when it has something for them to do; the files are byte for byte a fresh build's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jinja2 import Environment, UndefinedError
from markupsafe import Markup

from practitioner_survey.coding.quote_guard import HeldQuote
from practitioner_survey.counting.tables import read_free_text, write_tables
from practitioner_survey.errors import SurveyError
from practitioner_survey.report import workbook
from practitioner_survey.report.build import Report, build_report
from practitioner_survey.report.contents import Entry, contents, page_numbers, with_pages
from practitioner_survey.report.figures import Drawing, Drawn, FigureCache, add_figures, draw, drawings, prepare
from practitioner_survey.report.jobs import Jobs
from practitioner_survey.report.kept import source_hash, version, write_whole
from practitioner_survey.report.pdf import PartCache, RenderedPdf, require_weasyprint
from practitioner_survey.report.pdfjoin import merge_pdfs
from practitioner_survey.report.templating import environment, templates_dir
from practitioner_survey.store.core import Store

#: The section templates, in the report's order (each renders on its own given `report`).
SECTIONS = ("glance", "method", "idva", "practitioners", "questions", "appendix")
#: Sections showing drawn figures; the others are rendered (and their PDF parts laid out) while figures are drawn.
FIGURE_SECTIONS = ("idva", "questions")
#: The section holding the word clouds, rendered for print again with their JPEG versions.
QUESTIONS = "questions"
#: The PDF's first part, laid out last: the title and the contents, with the page numbers of the parts after it.
FRONT = "contents"
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

    def render(self, report: Report, printed: Report, section: str) -> None:
        template = self.env.get_template(f"{section}.html.j2")
        self.page[section] = template.render(report=report)
        self.printed[section] = template.render(report=printed) if section == QUESTIONS else self.page[section]

    def part(self, report: Report, section: str) -> str:
        """The HTML the PDF part of `section` is laid out from."""
        return _document(self.env, report, [self.printed[section]], False)

    def front(self, report: Report, pages: dict[str, int]) -> str:
        """The HTML of the PDF's first part: the title and the contents, with the page each heading is on."""
        entries = with_pages(contents([self.printed[s] for s in SECTIONS]), pages)
        return _document(self.env, report, [], True, entries)

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

    `on_stage` is told each stage's name as it starts. Figures and PDF parts not kept from an earlier build are made
    in worker processes beside the rest where the system allows (`parallel=None`), while this process writes the
    tables and lays out the questions' part; the files are the same either way.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise SurveyError(f"unknown format(s) {', '.join(sorted(unknown)) or '(none)'}; choose from html, pdf")
    stage = on_stage or (lambda name: None)
    folder = folder or templates_dir()
    pdf_wanted = "pdf" in formats
    stage("counting the tables")
    free_text = read_free_text(store, year)
    report = build_report(store, year, free_text)
    figures = drawings(report, store.services(year)["service_name"], free_text, folder)
    figure_cache, part_cache = FigureCache(out / FIGURE_CACHE), PartCache(out / PART_CACHE)
    drawn: dict[str, Drawn] = {}
    for d in figures:
        if (found := figure_cache.get(d)) is not None:
            drawn[d.name] = found
    missing = [d for d in figures if d.name not in drawn]
    pages = _Pages(folder)
    later = _render_ready(pages, report, figures, drawn, missing)
    htmls = {s: pages.part(report, s) for s in pages.printed} if pdf_wanted else {}
    to_lay_out = [s for s in htmls if not part_cache.holds(htmls[s])]  # those of sections still to render: later
    laying_out = bool(to_lay_out or (pdf_wanted and later))  # a section whose figures are drawn now surely is
    prepare(missing)
    with Jobs(parallel=parallel) as jobs:
        # with figures to draw, WeasyPrint is imported here, before the workers fork, for them and this process to
        # share (and a clear error before any work); with none, the workers import it while this process gets on
        workers_only = jobs.forks and not missing
        if laying_out and not workers_only:
            require_weasyprint()
        drawing = {d.name: jobs.submit(draw, d) for d in missing}
        early = {s: jobs.submit(part_cache.render, htmls[s]) for s in to_lay_out if s != QUESTIONS or workers_only}
        stage("writing the tables (CSV, Excel)")
        written = write_tables_kept(report, out / "tables")
        stage("drawing the coverage chart and tile map")
        _collect(drawing, drawn, figure_cache, figures, ("coverage_bars", "tile_map"))
        if laying_out:
            stage("laying out the PDF")
        stage("drawing the questions' charts and word clouds")
        _collect(drawing, drawn, figure_cache, figures, list(drawing))
        report = add_figures(report, figures, drawn)
        printed = add_figures(report, figures, drawn, printed=True)
        for section in later:
            pages.render(report, printed, section)
        stage("rendering the HTML")
        html = pages.document(report)
        page = pdf = None
        if "html" in formats:
            page = out / "report.html"
            page.write_text(html, encoding="utf-8", newline="\n")
        number = 0
        joined = False
        if pdf_wanted:
            stage("finishing the PDF")
            htmls |= {s: pages.part(report, s) for s in later}
            to_lay_out = [s for s in SECTIONS if s in to_lay_out or (s in later and not part_cache.holds(htmls[s]))]
            if early:  # pikepdf, to join the parts, loads while the workers lay them out
                import pikepdf  # noqa: F401
            pdf = out / "report.pdf"
            front = partial(pages.front, report)
            number, joined, front_laid = _finish_pdf(
                jobs, part_cache, [htmls[s] for s in SECTIONS], early, to_lay_out, pdf, front
            )
            to_lay_out += [FRONT] if front_laid else []
    figure_cache.keep_only(figures)
    return Built(page, written, pdf, number, tuple(d.name for d in missing), tuple(to_lay_out), joined,
                 tuple(report.held_quotes))  # fmt: skip


def _render_ready(
    pages: _Pages, report: Report, figures: list[Drawing], drawn: dict[str, Drawn], missing: list[Drawing]
) -> list[str]:
    """Render every section that can be rendered now: all of them when every figure was kept, else those that
    show none; returns the sections left for later, when the figures are drawn."""
    if not missing:
        ready, printed = add_figures(report, figures, drawn), add_figures(report, figures, drawn, printed=True)
        for section in SECTIONS:
            pages.render(ready, printed, section)
        return []
    later = []
    for section in SECTIONS:
        if section in FIGURE_SECTIONS:
            later.append(section)
            continue
        try:
            pages.render(report, report, section)
        except UndefinedError:  # a template edited to show a figure in another section: it waits for the drawing
            later.append(section)
    return later


def _collect(
    drawing: dict[str, Future[Drawn]],
    drawn: dict[str, Drawn],
    cache: FigureCache,
    figures: list[Drawing],
    names: Sequence[str],
) -> None:
    """Wait for the figures `names` being drawn (those not kept), and keep them."""
    by_name = {d.name: d for d in figures}
    for name in names:
        if name in drawing and name not in drawn:
            drawn[name] = drawing[name].result()
            cache.put(by_name[name], drawn[name])


def _finish_pdf(
    jobs: Jobs,
    cache: PartCache,
    htmls: list[str],
    early: dict[str, Future[RenderedPdf]],
    to_lay_out: list[str],
    pdf: Path,
    front: Callable[[dict[str, int]], str],
) -> tuple[int, bool, bool]:
    """Lay out the parts not kept nor under way (this process takes the questions' part, or the last of them, while
    the workers finish theirs), then the front (title and contents, `front` made from the page each id is on), and
    join them into `pdf` unless it already is their join; (pages, whether joined, whether the front was laid out)."""
    if not to_lay_out:
        layouts = [cache.layout(h) for h in htmls]
        if all(layouts):
            kept = _front_html(front, [layout for layout in layouts if layout], cache)
            pages = cache.joined([kept, *htmls], pdf) if kept else None
            if pages is not None:
                return pages, False, False
    late = [s for s in to_lay_out if s not in early]
    mine = QUESTIONS if QUESTIONS in late else (late[-1] if late else None)
    futures = dict(early) | {s: jobs.submit(cache.render, htmls[SECTIONS.index(s)]) for s in late if s != mine}
    made = {mine: cache.render(htmls[SECTIONS.index(mine)])} if mine else {}
    parts = [made[s] if s in made else futures[s].result() if s in futures else cache.render(h)
             for s, h in zip(SECTIONS, htmls, strict=True)]  # fmt: skip
    numbered = [(part.pages, part.anchors) for part in parts]
    html = _front_html(front, numbered, cache)
    laid = not html
    if not html:  # laid out as if on one page, and again if the contents ran longer
        first = cache.render(front(page_numbers(1, numbered)))
        html = front(page_numbers(first.pages, numbered))
    front_part = cache.render(html)
    cache.keep_only([html, *htmls])
    merged = merge_pdfs([front_part, *parts])
    pdf.write_bytes(merged.data)
    cache.remember([html, *htmls], merged)
    return merged.pages, True, laid


def _front_html(
    front: Callable[[dict[str, int]], str], layouts: Sequence[tuple[int, dict[str, int]]], cache: PartCache
) -> str:
    """The front's HTML if a front laid out from it is kept with the page count it assumes, else ''."""
    for pages in (1, 2):
        html = front(page_numbers(pages, layouts))
        kept = cache.layout(html)
        if kept and kept[0] == pages:
            return html
    return ""


def write_tables_kept(report: Report, out: Path) -> list[Path]:
    """The report's tables as CSV files (`counting.tables.write_tables`) and `out`/tables.xlsx, the GSS-style
    workbook of `report.workbook`, which is left as it is when it is the one last written from the same figures by the
    same code and libraries (a workbook written again for unchanged tables would differ in its bytes only by chance).
    """
    written = write_tables(report.tables, out, excel=False)
    book, record = out / "tables.xlsx", out.parent / WORKBOOK_RECORD
    parts = [version("gptables"), version("xlsxwriter"), source_hash(Path(workbook.__file__)), workbook.digest(report)]
    of = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
        same = kept == {"of": of, "sha256": hashlib.sha256(book.read_bytes()).hexdigest()}
    except (OSError, ValueError):
        same = False
    if not same:
        workbook.write_workbook(report, book)
        mark = {"of": of, "sha256": hashlib.sha256(book.read_bytes()).hexdigest()}
        write_whole(record, json.dumps(mark).encode())
    return [*written, book]
