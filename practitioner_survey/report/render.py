"""Render a built Report as one self-contained HTML file (CSS, SVG and PNG inline), and write a year's build."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup

from practitioner_survey.errors import SurveyError
from practitioner_survey.report import environment, templates_dir
from practitioner_survey.report.build import Figure, Report, build_report
from practitioner_survey.report.charts import category_bars, coverage_bars, tile_map
from practitioner_survey.report.pdf import render_pdf
from practitioner_survey.report.wordclouds import frequencies, identifying_words, stopwords, wordcloud_uri
from practitioner_survey.store import Store
from practitioner_survey.tables import write_tables

#: The section templates, in the report's order (each renders on its own given `report`).
SECTIONS = ("glance", "method", "idva", "practitioners", "questions", "appendix")


def add_figures(report: Report, store: Store, folder: Path) -> Report:
    """Draw the charts, tile map and word clouds into the report."""
    cov = report.tables["idva_coverage_by_region"]
    svg, alt = coverage_bars(list(cov["region"]), [float(v) for v in cov["coverage_pct"]])
    report.figures["coverage_bars"] = Figure("coverage_bars", "Idva coverage by region against the 100 % level", alt,
                                             svg=Markup(svg))  # fmt: skip
    svg, alt = tile_map(report.tiles)
    report.figures["tile_map"] = Figure("tile_map", "Idva coverage by police force area", alt, svg=Markup(svg))
    if report.questions:
        stop = stopwords(folder)
        services = store.services(report.year)
        banned = identifying_words(services["service_name"], report.tables["coverage_by_police_force_area"]
                                   ["police_force_area"])  # fmt: skip
        questions = []
        for q in report.questions:
            cats = report.tables[f"comment_categories_{q.id}"]
            n = int(cats["comments"].sum())
            svg, alt = category_bars(list(cats["category"]), [float(v) for v in cats["pct"]], n)
            chart = Figure(f"chart_{q.id}", f"{q.question} Share of comments by category (n = {n:,})", alt,
                           svg=Markup(svg))  # fmt: skip
            freqs = frequencies(store.comments(report.year, q.id)["text"], stop, banned)
            top = sorted(freqs, key=lambda w: (-freqs[w], w))[:10]
            cloud = Figure(f"wordcloud_{q.id}", f"Word cloud: {q.question}",
                           "Word cloud of the words used most often in the comments; the largest are: "
                           + ", ".join(top) + ".", png_uri=wordcloud_uri(freqs))  # fmt: skip
            questions.append(replace(q, chart=chart, wordcloud=cloud))
        report.questions = questions
    return report


def render_section(report: Report, section: str, folder: Path | None = None) -> str:
    """One section's HTML on its own (for tests and for editing a template)."""
    return environment(folder).get_template(f"{section}.html.j2").render(report=report)


def render_report(report: Report, folder: Path | None = None) -> str:
    """The whole report as one HTML document."""
    env = environment(folder)
    sections = [Markup(env.get_template(f"{s}.html.j2").render(report=report)) for s in SECTIONS]
    return env.get_template("base.html.j2").render(report=report, sections=sections)


@dataclass(frozen=True)
class Built:
    html: Path | None
    tables: list[Path]
    pdf: Path | None = None
    pages: int = 0


FORMATS = ("html", "pdf")


def build_year(
    store: Store, year: int, out: Path, folder: Path | None = None, formats: Sequence[str] = FORMATS
) -> Built:
    """Write `out`/tables/ (every table as CSV and one workbook) and, as asked, `out`/report.html and
    `out`/report.pdf (laid out from the same HTML by WeasyPrint) for `year`."""
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise SurveyError(f"unknown format(s) {', '.join(sorted(unknown)) or '(none)'}; choose from html, pdf")
    folder = folder or templates_dir()
    report = add_figures(build_report(store, year), store, folder)
    written = write_tables(report.tables, out / "tables")
    html = render_report(report, folder)
    page = pdf = None
    pages = 0
    if "html" in formats:
        page = out / "report.html"
        page.write_text(html, encoding="utf-8", newline="\n")
    if "pdf" in formats:
        rendered = render_pdf(html)
        pdf = out / "report.pdf"
        pdf.write_bytes(rendered.data)
        pages = rendered.pages
    return Built(page, written, pdf, pages)
