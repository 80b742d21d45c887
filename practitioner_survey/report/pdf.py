"""The report as PDF: the self-contained HTML laid out for print by WeasyPrint, the same bytes for the same HTML.

WeasyPrint needs Pango from the operating system (Debian: libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0,
and the fonts fonts-dejavu-core and fonts-dejavu-extra); when they are missing the functions here raise `SurveyError`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from practitioner_survey.errors import SurveyError
from practitioner_survey.report.kept import source_hash, version, write_whole

#: The system libraries and fonts WeasyPrint needs, as scripts/setup installs them on Debian or Ubuntu.
SYSTEM_HINT = (
    "`bash scripts/setup` in the project's folder installs them, or on Debian or Ubuntu "
    "`apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra`"
)
#: WeasyPrint's accessible PDF: a structure tree (tags), the document language and title, PDF/UA-1 metadata.
PDF_VARIANT = "pdf/ua-1"
INSTALL_HINT = f"install it with `python -m pip install weasyprint`; it also needs Pango and fonts: {SYSTEM_HINT}"


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered PDF, its number of pages and the page (from 0) each element id is on, as WeasyPrint laid
    them out."""

    data: bytes
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)


def render_pdf(html: str, base_url: str | None = None, *, created: date | None = None) -> RenderedPdf:
    """Lay out `html` for print and return the PDF with its page count.

    The output depends only on the HTML, `base_url`, `created` and the installed WeasyPrint and fonts: the PDF has
    no timestamp unless `created` (or a `dcterms.created` meta tag) gives one, and its identifier is a hash of the
    HTML, so building the same report twice gives identical files.
    """
    weasyprint = _weasyprint()
    try:
        document = weasyprint.HTML(string=html, base_url=base_url).render()
        if created is not None:
            document.metadata.created = document.metadata.modified = created.isoformat()
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
        anchors: dict[str, int] = {}
        for i, page in enumerate(document.pages):  # an element spanning pages is anchored on each: keep its first
            for name in sorted(page.anchors):
                anchors.setdefault(name, i)
        elsewhere = _hold_links_out(document, anchors)
        # PDF/UA-1: tagged (headings, tables, lists, figures with their alt text), the language from <html lang>
        data = document.write_pdf(pdf_identifier=identifier, pdf_variant=PDF_VARIANT)
    except (OSError, ValueError) as error:  # an unreadable image or stylesheet, a malformed value
        raise SurveyError(f"could not make the PDF: {error}") from None
    assert isinstance(data, bytes)
    if elsewhere:
        data = _without_destinations(data, elsewhere)
    return RenderedPdf(data, len(document.pages), anchors)


def _hold_links_out(document: Any, anchors: dict[str, int]) -> set[str]:
    """The ids this part links to but does not hold (the printed contents' headings, laid out in later parts), each
    given a stand-in anchor so that WeasyPrint keeps, and tags, the link to its named destination."""
    wanted = {target for page in document.pages for kind, target, *_ in page.links if kind == "internal"}
    elsewhere = wanted - set(anchors)
    for name in sorted(elsewhere):
        document.pages[0].anchors[name] = (0, 0, 0, 0)
    return elsewhere


def _without_destinations(data: bytes, names: set[str]) -> bytes:
    """The PDF without the stand-in destinations `names`, so that the PDF joined from the parts takes each from
    the part that holds it, and the links resolve there."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pikepdf.NameTree(pdf.Root.Names.Dests)
        for name in names:
            del tree[name]
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


class PartCache:
    """Laid-out PDF parts kept in a folder by a hash of their HTML (and WeasyPrint's version, and the code that lays
    them out), so a rebuild lays out again only the parts whose HTML changed; a hit gives exactly the bytes laying
    it out would. It also
    remembers the PDF last joined from its parts, so a rebuild whose parts are all kept need not join them again.
    Finding a part never imports WeasyPrint."""

    JOINED = "joined.json"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, html: str) -> Path:
        code = "\0".join(source_hash(Path(__file__).with_name(m)) for m in ("pdf.py", "pagefont.py"))
        key = hashlib.sha256(f"{_weasyprint_version()}\0{PDF_VARIANT}\0{code}\0{html}".encode()).hexdigest()
        return self.folder / f"{key}.pdf"

    def holds(self, html: str) -> bool:
        """Whether the part laid out from this very HTML is kept (a PDF file, at least as far as it begins, and
        where its ids are)."""
        try:
            with self._path(html).open("rb") as kept:
                return kept.read(5) == b"%PDF-" and self._path(html).with_suffix(".json").is_file()
        except OSError:
            return False

    def layout(self, html: str) -> tuple[int, dict[str, int]] | None:
        """The page count and anchors (id -> page) of the part kept for this very HTML, without reading the PDF."""
        try:
            kept = json.loads(self._path(html).with_suffix(".json").read_text(encoding="utf-8"))
            return int(kept["pages"]), {str(k): int(v) for k, v in kept["anchors"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def get(self, html: str) -> RenderedPdf | None:
        """The part laid out before from this very HTML, if kept."""
        layout = self.layout(html)
        try:
            data = self._path(html).read_bytes()
        except OSError:
            return None
        return RenderedPdf(data, layout[0], layout[1]) if layout and data.startswith(b"%PDF-") else None

    def render(self, html: str) -> RenderedPdf:
        """The part from the cache, or laid out now and kept (only the newest build's parts are kept)."""
        found = self.get(html)
        if found is not None:
            return found
        rendered = render_pdf(html)
        layout = {"pages": rendered.pages, "anchors": rendered.anchors}
        write_whole(self._path(html).with_suffix(".json"), json.dumps(layout, sort_keys=True).encode())
        write_whole(self._path(html), rendered.data)
        return rendered

    def keep_only(self, htmls: Sequence[str]) -> None:
        """Drop kept parts that no longer belong to the report."""
        wanted = {self._path(h).stem for h in htmls}
        for path in self.folder.iterdir() if self.folder.is_dir() else []:
            if path.suffix in (".pdf", ".json") and path.name != self.JOINED and path.stem not in wanted:
                path.unlink(missing_ok=True)

    def _joining(self, htmls: Sequence[str]) -> list[str]:
        """What a join of these parts depends on: the parts, and the code and pikepdf that join them."""
        joiner = [source_hash(Path(__file__).with_name(m)) for m in ("pdf.py", "pdfjoin.py", "pagefont.py")]
        return [f"pikepdf {version('pikepdf')}", *joiner, *(self._path(h).name for h in htmls)]

    def joined(self, htmls: Sequence[str], pdf: Path) -> int | None:
        """The page count of `pdf` if it is, byte for byte, the join of the parts of `htmls` that `remember` was
        told of (so joining them again would give the same file), else None."""
        try:
            kept = json.loads((self.folder / self.JOINED).read_text(encoding="utf-8"))
            same = kept["of"] == self._joining(htmls) and kept["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
            return int(kept["pages"]) if same else None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def remember(self, htmls: Sequence[str], joined: RenderedPdf) -> None:
        """Note that `joined` (as written to the report's PDF) is the join of the parts of `htmls`."""
        record = {"of": self._joining(htmls), "sha256": hashlib.sha256(joined.data).hexdigest(), "pages": joined.pages}
        write_whole(self.folder / self.JOINED, json.dumps(record).encode())


def _weasyprint_version() -> str:
    """The installed WeasyPrint's version, read without importing it (which takes half a second)."""
    try:
        return version("weasyprint")
    except metadata.PackageNotFoundError:
        raise SurveyError(f"making the PDF needs WeasyPrint, which is not installed: {INSTALL_HINT}") from None


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    """The PDF of `html` (see `render_pdf`); `base_url` resolves relative links, if the page has any."""
    return render_pdf(html, base_url).data


_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF, counted from its page objects (also inside compressed object streams).

    Meant for PDFs this package writes; `render_pdf` gives the count directly while rendering.
    """
    if not pdf.startswith(b"%PDF-"):
        raise SurveyError("not a PDF file: it does not start with %PDF-")
    count = len(_PAGE.findall(_STREAM.sub(b"stream endstream", pdf)))
    for match in _STREAM.finditer(pdf):
        try:
            count += len(_PAGE.findall(zlib.decompress(match.group(1))))
        except zlib.error:
            continue  # not a Flate stream (an image, say): holds no page objects
    return count


def require_weasyprint() -> None:
    """Raise a SurveyError saying what to install unless WeasyPrint and its system libraries load."""
    _weasyprint()


def _weasyprint() -> Any:
    """The weasyprint module, or a SurveyError saying what to install."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints a banner when a library is missing
            import weasyprint
    except ImportError:
        raise SurveyError(f"making the PDF needs WeasyPrint, which is not installed: {INSTALL_HINT}") from None
    except OSError as error:  # cffi could not load Pango, HarfBuzz or fontconfig
        raise SurveyError(
            f"WeasyPrint is installed but cannot load a system library it needs ({error}): {SYSTEM_HINT}"
        ) from None
    _keep_fonts_dates()
    return weasyprint


def _keep_fonts_dates() -> None:
    """Make the fonts WeasyPrint rewrites with fontTools keep their own `head.modified` date, as HarfBuzz does.

    fontTools stamps a font it saves with the clock, so where WeasyPrint saves one through it (subsetting when
    HarfBuzz-subset is missing, instancing a variable font, blanking an emoji font) two builds a second apart
    would embed different bytes. WeasyPrint makes those fonts with the `TTFont` its `pdf.fonts` module imported."""
    from fontTools.ttLib import TTFont
    from weasyprint.pdf import fonts

    if not getattr(fonts.TTFont, "keeps_font_date", False):

        class DatedTTFont(TTFont):
            keeps_font_date = True

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                kwargs.setdefault("recalcTimestamp", False)
                super().__init__(*args, **kwargs)

        fonts.TTFont = DatedTTFont
