"""The report's PDF made of parts: one per section (each starts a page, so they join seamlessly), laid out side by
side in worker processes as each section's HTML is ready, then the front (the title and the contents, with the page
each heading is on) and their join. Parts are kept by `PartCache`, so a rebuild lays out only what changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path

from practitioner_survey.errors import SurveyError
from practitioner_survey.report.contents import page_numbers
from practitioner_survey.report.jobs import Jobs, settle
from practitioner_survey.report.pdf import PartCache, RenderedPdf, require_weasyprint
from practitioner_survey.report.pdfjoin import merge_pdfs

#: The PDF's first part, laid out last: the title and the contents, with the page numbers of the parts after it.
FRONT = "contents"
#: The front's HTML given the page (from 1) each id starts on.
Front = Callable[[dict[str, int]], str]


def warm_worker() -> None:
    """Import WeasyPrint in a worker before its first part (if it cannot load, laying out a part says why), and
    collect garbage less often there (`jobs.settle`)."""
    with contextlib.suppress(SurveyError):
        require_weasyprint()
    settle()


def likely_laid_out(pdf: Path, templates: Path) -> bool:
    """Whether a build will probably lay out a part of `pdf`: there is none yet, or a template changed since it was
    written. A guess, to start the workers before counting; the build is the same either way."""
    try:
        made = pdf.stat().st_mtime_ns
        return any(path.stat().st_mtime_ns > made for path in templates.iterdir())
    except OSError:
        return True


def work(html: str) -> int:
    """Roughly how long a part takes to lay out: its number of tags (laid out first, the longest finish sooner)."""
    return html.count("<")


class PdfParts:
    """The parts of one PDF, in `sections` order, each handed over (`add`) once its HTML is rendered."""

    def __init__(self, jobs: Jobs, cache: PartCache, sections: Sequence[str]) -> None:
        self.jobs, self.cache, self.sections = jobs, cache, tuple(sections)
        self.htmls: dict[str, str] = {}
        self.laying: dict[str, Future[RenderedPdf]] = {}

    @property
    def laying_out(self) -> bool:
        """Whether any part is being laid out (rather than kept from the last build)."""
        return bool(self.laying)

    def add(self, htmls: Mapping[str, str]) -> None:
        """Sections' part HTML; those not kept are laid out now by the workers, the longest first."""
        self.htmls.update(htmls)
        for section in sorted(htmls, key=lambda s: -work(htmls[s])):
            if not self.cache.holds(htmls[section]):
                self.laying[section] = self.jobs.submit(self.cache.render, htmls[section])

    def finish(self, pdf: Path, front: Front) -> tuple[int, bool, tuple[str, ...]]:
        """Wait for the parts, lay out the front (`front` made from the page each id is on) and write their join to
        `pdf`, unless it already is that join; (pages, whether joined, the parts laid out: sections and the front)."""
        htmls = [self.htmls[s] for s in self.sections]
        laid = tuple(s for s in self.sections if s in self.laying)
        if not laid:
            layouts = [self.cache.layout(h) for h in htmls]
            if all(layouts):
                kept = _front_html(front, [layout for layout in layouts if layout], self.cache)
                pages = self.cache.joined([kept, *htmls], pdf) if kept else None
                if pages is not None:
                    return pages, False, ()
        import pikepdf  # noqa: F401  (loads, to join the parts, while the workers finish them)

        parts = [self.laying[s].result() if s in self.laying else self.cache.render(h)
                 for s, h in zip(self.sections, htmls, strict=True)]  # fmt: skip
        numbered = [(part.pages, part.anchors) for part in parts]
        html = _front_html(front, numbered, self.cache)
        if html:
            front_part = self.cache.render(html)
        else:  # laid out as if on one page, and again if the contents ran longer
            first = self.jobs.submit(self.cache.render, front(page_numbers(1, numbered))).result()
            html = front(page_numbers(first.pages, numbered))
            front_part = self.jobs.submit(self.cache.render, html).result()
            laid += (FRONT,)
        self.cache.keep_only([html, *htmls])
        merged = merge_pdfs([front_part, *parts])
        pdf.write_bytes(merged.data)
        self.cache.remember([html, *htmls], merged)
        return merged.pages, True, laid


def _front_html(front: Front, layouts: Sequence[tuple[int, Mapping[str, int]]], cache: PartCache) -> str:
    """The front's HTML if a front laid out from it is kept with the page count it assumes, else ''."""
    for pages in (1, 2):
        html = front(page_numbers(pages, layouts))
        kept = cache.layout(html)
        if kept and kept[0] == pages:
            return html
    return ""
