"""Render a built Report as one self-contained HTML file (CSS, SVG and PNG inline), and write a year's build."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup

from practitioner_survey.counting.tables import write_tables
from practitioner_survey.errors import SurveyError
from practitioner_survey.report.build import Figure, Report, build_report
from practitioner_survey.report.charts import category_bars, coverage_bars, tile_map
from practitioner_survey.report.jobs import Jobs
from practitioner_survey.report.pdf import PartCache, RenderedPdf, merge_pdfs, require_weasyprint
from practitioner_survey.report.templating import environment, templates_dir
from practitioner_survey.report.tilemap import Tile
from practitioner_survey.report.wordclouds import cloud_uris, frequencies, identifying_words, stopwords
from practitioner_survey.store.core import Store

#: The section templates, in the report's order (each renders on its own given `report`).
SECTIONS = ("glance", "method", "idva", "practitioners", "questions", "appendix")
#: The PDF is laid out in parts side by side and joined (each section starts a page, so they join seamlessly):
#: parts without the questions need none of their figures, so a worker lays them out while those are drawn.
PDF_PARTS = (SECTIONS[:4], SECTIONS[4:5], SECTIONS[5:])
QUESTIONS = "questions"
#: Where a build keeps its laid-out PDF parts, inside the output folder, so a rebuild re-lays only what changed.
PART_CACHE = ".pdf-parts"


def draw_charts(regions: list[str], coverage: list[float], tiles: list[Tile]) -> dict[str, Figure]:
    """The coverage chart and the tile map (a job that can run in a worker process)."""
    svg, alt = coverage_bars(regions, coverage)
    bars = Figure("coverage_bars", "Idva coverage by region against the 100 % level", alt, svg=Markup(svg))
    svg, alt = tile_map(tiles)
    return {"coverage_bars": bars, "tile_map": Figure("tile_map", "Idva coverage by police force area", alt,
                                                      svg=Markup(svg))}  # fmt: skip


def chart_inputs(report: Report) -> tuple[list[str], list[float], list[Tile]]:
    """What `draw_charts` draws from: each region's coverage, and the tiles."""
    cov = report.tables["idva_coverage_by_region"]
    return list(cov["region"]), [float(v) for v in cov["coverage_pct"]], list(report.tiles)


@dataclass(frozen=True)
class QuestionFigures:
    """What a question's chart and word cloud are drawn from, and (once drawn) the drawings."""

    categories: list[str]
    pct: list[float]
    n: int
    words: dict[str, int]
    svg: str = ""
    alt: str = ""
    cloud_uri: str = ""  # PNG, for the page
    cloud_print_uri: str = ""  # JPEG, for the PDF (WeasyPrint re-encodes a PNG, which costs time)


def question_figures(report: Report, store: Store, folder: Path) -> list[QuestionFigures]:
    """Each question's category shares and word counts (stop words from `folder`, identifying words left out)."""
    if not report.questions:
        return []
    stop = stopwords(folder)
    banned = identifying_words(store.services(report.year)["service_name"],
                               report.tables["coverage_by_police_force_area"]["police_force_area"])  # fmt: skip
    out = []
    for q in report.questions:
        cats = report.tables[f"comment_categories_{q.id}"]
        words = frequencies(store.comments(report.year, q.id)["text"], stop, banned)
        out.append(QuestionFigures(list(cats["category"]), [float(v) for v in cats["pct"]],
                                   int(cats["comments"].sum()), words))  # fmt: skip
    return out


def draw_question_figures(figures: list[QuestionFigures]) -> list[QuestionFigures]:
    """Draw each question's bar chart and word cloud (a job that can run in a worker process)."""
    drawn = []
    for f in figures:
        svg, alt = category_bars(f.categories, f.pct, f.n)
        png, jpeg = cloud_uris(f.words)
        drawn.append(replace(f, svg=svg, alt=alt, cloud_uri=png, cloud_print_uri=jpeg))
    return drawn


def add_question_figures(report: Report, figures: list[QuestionFigures]) -> Report:
    """Put each question's drawn chart and cloud (with alt text naming the largest words) into the report."""
    questions = []
    for q, f in zip(report.questions, figures, strict=True):
        chart = Figure(f"chart_{q.id}", f"{q.question} Share of comments by category (n = {f.n:,})", f.alt,
                       svg=Markup(f.svg))  # fmt: skip
        top = sorted(f.words, key=lambda w: (-f.words[w], w))[:10]
        cloud = Figure(f"wordcloud_{q.id}", f"Word cloud: {q.question}",
                       "Word cloud of the words used most often in the comments; the largest are: "
                       + ", ".join(top) + ".", image_uri=f.cloud_uri)  # fmt: skip
        questions.append(replace(q, chart=chart, wordcloud=cloud))
    report.questions = questions
    return report


def for_print(report: Report, figures: list[QuestionFigures]) -> Report:
    """A copy of the report whose word clouds are the JPEG versions, for laying out the PDF."""
    questions = [q if q.wordcloud is None else replace(q, wordcloud=replace(q.wordcloud, image_uri=f.cloud_print_uri))
                 for q, f in zip(report.questions, figures, strict=True)]  # fmt: skip
    return replace(report, questions=questions)


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

    `on_stage` is told each stage's name as it starts. The charts, the word clouds and the PDF parts without the
    questions are made in worker processes beside the rest where the system allows (`parallel=None`), while this
    process writes the tables and lays out the questions' part; the files are the same either way.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise SurveyError(f"unknown format(s) {', '.join(sorted(unknown)) or '(none)'}; choose from html, pdf")
    stage = on_stage or (lambda name: None)
    folder = folder or templates_dir()
    stage("counting the tables")
    report = build_report(store, year)
    figures = question_figures(report, store, folder)
    if "pdf" in formats:
        require_weasyprint()  # imported before the workers fork, and a clear error before any work
    with Jobs(parallel=parallel) as jobs:
        charts = jobs.submit(draw_charts, *chart_inputs(report))
        drawn = jobs.submit(draw_question_figures, figures)
        stage("writing the tables (CSV, Excel)")
        written = write_tables(report.tables, out / "tables")
        stage("drawing the coverage chart and tile map")
        report.figures.update(charts.result())
        cache = PartCache(out / PART_CACHE)
        htmls: dict[int, str] = {}
        early: dict[int, Future[RenderedPdf]] = {}
        if "pdf" in formats:
            stage("laying out the PDF")
            htmls = {i: render_report(report, folder, p) for i, p in enumerate(PDF_PARTS) if QUESTIONS not in p}
            early = {i: jobs.submit(cache.render, html) for i, html in htmls.items()}
        stage("drawing the questions' charts and word clouds")
        figures = drawn.result()
        report = add_question_figures(report, figures)
        stage("rendering the HTML")
        html = render_report(report, folder)
        page = pdf = None
        pages = 0
        if "html" in formats:
            page = out / "report.html"
            page.write_text(html, encoding="utf-8", newline="\n")
        if "pdf" in formats:
            stage("finishing the PDF")
            printed = for_print(report, figures)
            htmls |= {i: render_report(printed, folder, part) for i, part in enumerate(PDF_PARTS) if i not in early}
            # this process lays out its parts while the workers finish theirs, then collects those
            mine = {i: cache.render(htmls[i]) for i in range(len(PDF_PARTS)) if i not in early}
            parts = [mine[i] if i in mine else early[i].result() for i in range(len(PDF_PARTS))]
            cache.keep_only(list(htmls.values()))
            merged = merge_pdfs(parts)
            pdf = out / "report.pdf"
            pdf.write_bytes(merged.data)
            pages = merged.pages
    return Built(page, written, pdf, pages)
