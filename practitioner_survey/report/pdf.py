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
from dataclasses import dataclass
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
INSTALL_HINT = f"install it with `python -m pip install weasyprint`; it also needs Pango and fonts: {SYSTEM_HINT}"


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered PDF and its number of pages, as WeasyPrint laid them out."""

    data: bytes
    pages: int


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
        data = document.write_pdf(pdf_identifier=identifier)
    except (OSError, ValueError) as error:  # an unreadable image or stylesheet, a malformed value
        raise SurveyError(f"could not make the PDF: {error}") from None
    assert isinstance(data, bytes)
    return RenderedPdf(data, len(document.pages))


class PartCache:
    """Laid-out PDF parts kept in a folder by a hash of their HTML (and WeasyPrint's version), so a rebuild lays
    out again only the parts whose HTML changed; a hit gives exactly the bytes laying it out would. It also
    remembers the PDF last joined from its parts, so a rebuild whose parts are all kept need not join them again.
    Finding a part never imports WeasyPrint."""

    JOINED = "joined.json"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, html: str) -> Path:
        key = hashlib.sha256(f"{_weasyprint_version()}\0{html}".encode()).hexdigest()
        return self.folder / f"{key}.pdf"

    def holds(self, html: str) -> bool:
        """Whether the part laid out from this very HTML is kept (a PDF file, at least as far as it begins)."""
        try:
            with self._path(html).open("rb") as kept:
                return kept.read(5) == b"%PDF-"
        except OSError:
            return False

    def get(self, html: str) -> RenderedPdf | None:
        """The part laid out before from this very HTML, if kept."""
        path = self._path(html)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        pages = page_count(data) if data.startswith(b"%PDF-") else 0
        return RenderedPdf(data, pages) if pages else None

    def render(self, html: str) -> RenderedPdf:
        """The part from the cache, or laid out now and kept (only the newest build's parts are kept)."""
        found = self.get(html)
        if found is not None:
            return found
        rendered = render_pdf(html)
        write_whole(self._path(html), rendered.data)
        return rendered

    def keep_only(self, htmls: Sequence[str]) -> None:
        """Drop kept parts that no longer belong to the report."""
        wanted = {self._path(h).name for h in htmls}
        for path in self.folder.glob("*.pdf") if self.folder.is_dir() else []:
            if path.name not in wanted:
                path.unlink(missing_ok=True)

    def _joining(self, htmls: Sequence[str]) -> list[str]:
        """What a join of these parts depends on: the parts, and the code and pypdf that join them."""
        return [f"pypdf {version('pypdf')}", source_hash(Path(__file__)), *(self._path(h).name for h in htmls)]

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


def merge_pdfs(parts: Sequence[RenderedPdf], *, number_pages: bool = True) -> RenderedPdf:
    """One PDF of `parts` in order (pages, bookmarks and links within each part kept), with the first part's
    document information (title, producer) and, unless told not to, each page's number at its foot; the same
    parts always give the same bytes.

    The parts are laid out separately (side by side), so WeasyPrint's page counter would restart in each: the
    numbers are written here instead, once the pages are joined."""
    import pypdf

    writer = pypdf.PdfWriter()
    for part in parts:
        writer.append(pypdf.PdfReader(io.BytesIO(part.data)))
    first = pypdf.PdfReader(io.BytesIO(parts[0].data)).metadata if parts else None
    if first:
        writer.add_metadata({key: str(value) for key, value in first.items()})
    if number_pages:
        _number_pages(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return RenderedPdf(buffer.getvalue(), sum(part.pages for part in parts))


#: The page number: 8 pt, grey, centred 10 mm above the page's foot, in the PDF's built-in Helvetica (every
#: viewer has it, and its digits are all 0.556 em wide, so the number can be centred exactly).
NUMBER_SIZE = 8.0
NUMBER_FROM_FOOT = 10 / 25.4 * 72
DIGIT_WIDTH = 0.556
NUMBER_FONT = "/PageNumberFont"


def _number_pages(writer: Any) -> None:
    """Write each page's number at its foot, as an extra content stream after the page's own (whose graphics
    state is saved and restored around it), leaving the page's own drawing untouched."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    # pypdf has no public call that adds an indirect object; its own page functions use _add_object
    font = writer._add_object(
        DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        })
    )  # fmt: skip
    save = writer._add_object(_stream(b"q\n"))
    for number, page in enumerate(writer.pages, start=1):
        label = str(number)
        left = float(page.mediabox.left) + (float(page.mediabox.width) - len(label) * DIGIT_WIDTH * NUMBER_SIZE) / 2
        bottom = float(page.mediabox.bottom) + NUMBER_FROM_FOOT
        text = f"Q\nq 0.27 g BT {NUMBER_FONT} {NUMBER_SIZE:g} Tf {left:.2f} {bottom:.2f} Td ({label}) Tj ET Q\n"
        stamp = writer._add_object(_stream(text.encode("ascii")))
        contents = page.get("/Contents")  # one stream, an array of them, or (a blank page) none
        body = contents.get_object() if contents is not None else []
        own = list(body) if isinstance(body, list) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *own, stamp])
        # resources are often shared between pages: change them where they are, never copy them into each page
        if "/Resources" not in page:
            page[NameObject("/Resources")] = DictionaryObject()
        resources = page["/Resources"].get_object()
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        resources["/Font"].get_object()[NameObject(NUMBER_FONT)] = font


def _stream(data: bytes) -> Any:
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


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
