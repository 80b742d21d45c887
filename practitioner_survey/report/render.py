"""Render a built Report as one self-contained HTML file (CSS, SVG and PNG inline), and write a year's build."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup

from practitioner_survey.errors import SurveyError
from practitioner_survey.report import environment, templates_dir
from practitioner_survey.report.build import Figure, Report, build_report
from practitioner_survey.report.charts import category_bars, coverage_bars, tile_map
from practitioner_survey.report.jobs import Jobs
from practitioner_survey.report.pdf import merge_pdfs, render_pdf, require_weasyprint
from practitioner_survey.report.wordclouds import frequencies, identifying_words, stopwords, wordcloud_uri
from practitioner_survey.store import Store
from practitioner_survey.tables import write_tables

#: The section templates, in the report's order (each renders on its own given `report`).
SECTIONS = ("glance", "method", "idva", "practitioners", "questions", "appendix")
#: The PDF is laid out in two parts side by side (each section starts a page, so the parts join seamlessly); the
#: first part needs no word clouds, so it starts while they are drawn.
PDF_PARTS = (SECTIONS[:4], SECTIONS[4:])


def add_charts(report: Report) -> Report:
    """Draw the coverage chart, the tile map and each question's category bars into the report."""
    cov = report.tables["idva_coverage_by_region"]
    svg, alt = coverage_bars(list(cov["region"]), [float(v) for v in cov["coverage_pct"]])
    report.figures["coverage_bars"] = Figure("coverage_bars", "Idva coverage by region against the 100 % level", alt,
                                             svg=Markup(svg))  # fmt: skip
    svg, alt = tile_map(report.tiles)
    report.figures["tile_map"] = Figure("tile_map", "Idva coverage by police force area", alt, svg=Markup(svg))
    questions = []
    for q in report.questions:
        cats = report.tables[f"comment_categories_{q.id}"]
        n = int(cats["comments"].sum())
        svg, alt = category_bars(list(cats["category"]), [float(v) for v in cats["pct"]], n)
        chart = Figure(f"chart_{q.id}", f"{q.question} Share of comments by category (n = {n:,})", alt,
                       svg=Markup(svg))  # fmt: skip
        questions.append(replace(q, chart=chart))
    report.questions = questions
    return report


def cloud_words(report: Report, store: Store, folder: Path) -> list[dict[str, int]]:
    """Each question's word counts for its cloud: stop words from `folder`, identifying words left out."""
    if not report.questions:
        return []
    stop = stopwords(folder)
    banned = identifying_words(store.services(report.year)["service_name"],
                               report.tables["coverage_by_police_force_area"]["police_force_area"])  # fmt: skip
    return [frequencies(store.comments(report.year, q.id)["text"], stop, banned) for q in report.questions]


def draw_clouds(words: list[dict[str, int]]) -> list[str]:
    """The clouds as PNG data URIs (a job that can run in a worker process)."""
    return [wordcloud_uri(freqs) for freqs in words]


def add_clouds(report: Report, words: list[dict[str, int]], uris: list[str]) -> Report:
    """Put the drawn clouds, with alt text naming the largest words, into the report."""
    questions = []
    for q, freqs, uri in zip(report.questions, words, uris, strict=True):
        top = sorted(freqs, key=lambda w: (-freqs[w], w))[:10]
        cloud = Figure(f"wordcloud_{q.id}", f"Word cloud: {q.question}",
                       "Word cloud of the words used most often in the comments; the largest are: "
                       + ", ".join(top) + ".", png_uri=uri)  # fmt: skip
        questions.append(replace(q, wordcloud=cloud))
    report.questions = questions
    return report


def add_figures(report: Report, store: Store, folder: Path) -> Report:
    """Draw the charts, tile map and word clouds into the report."""
    words = cloud_words(report, store, folder)
    return add_clouds(add_charts(report), words, draw_clouds(words))


def render_section(report: Report, section: str, folder: Path | None = None) -> str:
    """One section's HTML on its own (for tests and for editing a template)."""
    return environment(folder).get_template(f"{section}.html.j2").render(report=report)


def render_report(report: Report, folder: Path | None = None, sections: Sequence[str] = SECTIONS) -> str:
    """The whole report as one HTML document, or a document of some of its sections (without the title page
    header and contents unless the first section is among them)."""
    env = environment(folder)
    body = [Markup(env.get_template(f"{s}.html.j2").render(report=report)) for s in sections]
    return env.get_template("base.html.j2").render(report=report, sections=body, front=sections[0] == SECTIONS[0])


@dataclass(frozen=True)
class Built:
    html: Path | None
    tables: list[Path]
    pdf: Path | None = None
    pages: int = 0


FORMATS = ("html", "pdf")


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

    `on_stage` is told each stage's name as it starts. Word clouds and the first half of the PDF are made in
    worker processes beside the rest where the system allows (`parallel=None`); the files are the same either way.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise SurveyError(f"unknown format(s) {', '.join(sorted(unknown)) or '(none)'}; choose from html, pdf")
    stage = on_stage or (lambda name: None)
    folder = folder or templates_dir()
    stage("counting the tables")
    report = build_report(store, year)
    words = cloud_words(report, store, folder)
    if "pdf" in formats:
        require_weasyprint()  # imported before the workers fork, and a clear error before any work
    with Jobs(parallel=parallel) as jobs:
        clouds = jobs.submit(draw_clouds, words)
        stage("drawing the charts and tile map")
        report = add_charts(report)
        stage("writing the tables (CSV, Excel)")
        written = write_tables(report.tables, out / "tables")
        first = None
        if "pdf" in formats:
            stage("laying out the PDF")
            first = jobs.submit(render_pdf, render_report(report, folder, PDF_PARTS[0]))
        stage("drawing the word clouds")
        report = add_clouds(report, words, clouds.result())
        stage("rendering the HTML")
        html = render_report(report, folder)
        page = pdf = None
        pages = 0
        if "html" in formats:
            page = out / "report.html"
            page.write_text(html, encoding="utf-8", newline="\n")
        if first is not None:
            stage("finishing the PDF")
            rest = render_pdf(render_report(report, folder, PDF_PARTS[1]))
            merged = merge_pdfs([first.result(), rest])
            pdf = out / "report.pdf"
            pdf.write_bytes(merged.data)
            pages = merged.pages
    return Built(page, written, pdf, pages)
