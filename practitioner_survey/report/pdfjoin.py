"""The report's PDF parts joined into one tagged PDF (pikepdf): every part's pages, bookmarks, links, named
destinations and structure tree (its tags, for screen readers) kept, the document language and PDF/UA metadata of
the first part, and each page's number at its foot; the same parts always give the same bytes.

The parts are laid out separately (side by side), so WeasyPrint's page counter would restart in each: the numbers are
written here instead, once the pages are joined, in a small embedded font (`pagefont`) and marked as artifacts
(pagination, not content) as PDF/UA asks.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from typing import Any

from practitioner_survey.report.pagefont import DIGITS, NAMES, UNITS
from practitioner_survey.report.pdf import RenderedPdf

#: The page number: 8 pt, dark grey, centred 10 mm above the page's foot.
NUMBER_SIZE = 8.0
NUMBER_FROM_FOOT = 10 / 25.4 * 72
DIGIT_WIDTH = DIGITS["0"][0] / UNITS  # every digit is as wide (tabular figures), so a number centres exactly
NUMBER_FONT = "/PageNumberFont"
#: Catalog entries made here rather than taken from the first part.
JOINED_KEYS = {"/Type", "/Pages", "/Names", "/Outlines", "/StructTreeRoot"}


def anchors(data: bytes) -> dict[str, int]:
    """Each named destination of a PDF (WeasyPrint makes one per element id) and the index of its page."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages: dict[Any, int] = {page.objgen: i for i, page in enumerate(pdf.pages)}
        names = pdf.Root.get("/Names")
        if names is None or "/Dests" not in names:
            return {}
        out: dict[str, int] = {}
        for name, dest in pikepdf.NameTree(names.Dests).items():
            target = dest.get("/D") if isinstance(dest, pikepdf.Dictionary) else dest
            if isinstance(target, pikepdf.Array) and len(target) and target[0].objgen in pages:
                out[str(name)] = pages[target[0].objgen]
        return out


def merge_pdfs(parts: Sequence[RenderedPdf], *, number_pages: bool = True) -> RenderedPdf:
    """One PDF of `parts` in order, tags, bookmarks and links within and between parts kept, with the first part's
    document information, language and metadata and, unless told not to, each page's number at its foot."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(part.data)) for part in parts]
    tree = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array()))
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array()))
    tree.K.append(document)
    nums = Array()
    dests: dict[str, Any] = {}
    bookmarks: list[Any] = []
    tagged = False
    key = 0
    for src in sources:
        first = len(out.pages)
        with warnings.catch_warnings():  # named destinations are carried over below, so the warning says nothing
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            out.pages.extend(src.pages)  # copied first: what is copied from `src` later points at these pages
        if "/StructTreeRoot" in src.Root:
            tagged = True
            key = _join_structure(out, src, first, document, nums, key)
        names = src.Root.get("/Names")
        if names is not None and "/Dests" in names:
            for name, dest in pikepdf.NameTree(names.Dests).items():
                dests.setdefault(str(name), _copy(out, src, dest))
        outlines = src.Root.get("/Outlines")
        if outlines is not None and "/First" in outlines:
            item: Any = out.copy_foreign(outlines).First
            while item is not None:
                bookmarks.append(item)
                item = item.get("/Next")
    if sources:
        for name, value in sources[0].Root.items():
            if name not in JOINED_KEYS:
                out.Root[name] = _copy(out, sources[0], value)
        if "/Info" in sources[0].trailer:
            out.trailer.Info = _copy(out, sources[0], sources[0].trailer.Info)
    if tagged:
        tree.ParentTree = out.make_indirect(Dictionary(Nums=nums))
        tree.ParentTreeNextKey = key
        out.Root.StructTreeRoot = tree
    if dests:
        dest_tree = pikepdf.NameTree.new(out)
        for name in sorted(dests):
            dest_tree[name] = dests[name]
        out.Root.Names = Dictionary(Dests=dest_tree.obj)
    if bookmarks:
        out.Root.Outlines = _link_bookmarks(out, bookmarks)
    if number_pages:
        _number_pages(out)
    buffer = io.BytesIO()
    version = max((src.pdf_version for src in sources), default="1.7")
    out.save(buffer, deterministic_id=True, min_version=version,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)  # fmt: skip
    pages = len(out.pages)
    for src in sources:
        src.close()
    return RenderedPdf(buffer.getvalue(), pages)


def _copy(out: Any, src: Any, value: Any) -> Any:
    """`value` of `src` as an object of `out`: what it refers to copied (pages already copied are reused)."""
    import pikepdf

    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, pikepdf.Dictionary | pikepdf.Array):
        return out.copy_foreign(src.make_indirect(value))
    return value


def _join_structure(out: Any, src: Any, first: int, document: Any, nums: Any, key: int) -> int:
    """Hang `src`'s structure elements under the joined `document` element and its parent tree's entries (pages'
    and annotations' keys, renumbered from `key`) into `nums`; returns the next free key."""
    struct = out.copy_foreign(src.Root.StructTreeRoot)
    for element in struct.get("/K", []):
        for kid in element.get("/K", []):
            if hasattr(kid, "keys"):
                kid.P = document
            document.K.append(kid)
    entries = struct.ParentTree.get("/Nums", []) if "/ParentTree" in struct else []
    top = 0
    for i in range(0, len(entries), 2):
        nums.append(key + int(entries[i]))
        nums.append(entries[i + 1])
        top = max(top, int(entries[i]) + 1)
    for page in out.pages[first:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = key + int(page.obj.StructParents)
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = key + int(annotation.StructParent)
    return key + top


def _link_bookmarks(out: Any, bookmarks: list[Any]) -> Any:
    """The outline of the joined PDF: every part's top-level bookmarks (with theirs below them) in one chain."""
    from pikepdf import Dictionary, Name

    outlines = out.make_indirect(Dictionary(Type=Name.Outlines))
    visible = 0
    for i, item in enumerate(bookmarks):
        item.Parent = outlines
        for link, neighbour in (("/Prev", i - 1), ("/Next", i + 1)):
            if 0 <= neighbour < len(bookmarks):
                item[link] = bookmarks[neighbour]
            elif link in item:
                del item[link]
        visible += 1 + max(int(item.get("/Count", 0)), 0)
    outlines.First, outlines.Last, outlines.Count = bookmarks[0], bookmarks[-1], visible
    return outlines


def _number_pages(out: Any) -> None:
    """Write each page's number at its foot, as an artifact in an extra content stream after the page's own (whose
    graphics state is saved and restored around it), leaving the page's own drawing untouched."""
    from pikepdf import Name

    font = _digits_font(out)
    save = out.make_stream(b"q\n")
    for number, page in enumerate(out.pages, start=1):
        label = str(number)
        box = page.mediabox
        left = float(box[0]) + (float(box[2]) - float(box[0]) - len(label) * DIGIT_WIDTH * NUMBER_SIZE) / 2
        bottom = float(box[1]) + NUMBER_FROM_FOOT
        text = (
            f"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC q 0.27 g BT {NUMBER_FONT} {NUMBER_SIZE:g} Tf "
            f"{left:.2f} {bottom:.2f} Td ({label}) Tj ET Q EMC\n"
        )
        page.contents_add(save, prepend=True)
        page.contents_add(out.make_stream(text.encode("ascii")))
        page.add_resource(font, Name.Font, Name(NUMBER_FONT))


def _digits_font(out: Any) -> Any:
    """The Type 3 font of the ten digits, with a ToUnicode map so their text reads as digits."""
    from pikepdf import Array, Dictionary, Name

    procs = Dictionary()
    for digit, name in zip("0123456789", NAMES, strict=True):
        width, path = DIGITS[digit]
        procs[Name("/" + name)] = out.make_stream(f"{width} 0 0 -50 {width} 1550 d1 {path} f".encode("ascii"))
    pairs = "\n".join(f"<{48 + i:02X}> <{48 + i:04X}>" for i in range(10))
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Digits def /CMapType 2 def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"10 beginbfchar\n{pairs}\nendbfchar endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )
    scale = 1 / UNITS
    return out.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type3,
            FontBBox=Array([0, -50, DIGITS["0"][0], 1550]),
            FontMatrix=Array([scale, 0, 0, scale, 0, 0]),
            CharProcs=procs,
            Encoding=Dictionary(Type=Name.Encoding, Differences=Array([48, *(Name("/" + n) for n in NAMES)])),
            FirstChar=48,
            LastChar=57,
            Widths=Array([DIGITS[d][0] for d in "0123456789"]),
            Resources=Dictionary(),
            ToUnicode=out.make_stream(cmap.encode("ascii")),
        )
    )
