"""The built 2017 report as a reader gets it: the PDF (pages, first page rendered) and the HTML in Chromium."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pikepdf
import pypdf
import pytest
from test_visual import CHROMIUM, CHROMIUM_FLAGS, read_png, render_page, tool
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.report.pdf import page_count
from practitioner_survey.report.pdfjoin import anchors
from practitioner_survey.report.render import FRONT, PART_CACHE, SECTIONS, build_year
from practitioner_survey.returns.validate import Returns
from practitioner_survey.store.core import Store

ROOT = Path(__file__).resolve().parents[1]
PAGES = range(20, 61)  # the 2017 report prints 40 pages; ours is laid out differently but of that order


OUTPUT: dict[str, str] = {}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("report")
    for folder in ("responses", "templates", "codebook"):
        shutil.copytree(ROOT / folder, work / folder)
    result = CliRunner().invoke(app, ["--db", str(work / "survey.db"), "build", "2017", "--out", str(work / "out")])
    assert result.exit_code == 0, result.output
    OUTPUT["build"] = result.output
    return work / "out"


def test_build_shows_each_stage_as_it_goes(built: Path) -> None:
    for stage in ("counting the tables", "drawing the coverage chart", "writing the tables", "charts and word clouds",
                  "rendering the HTML", "laying out the PDF", "finishing the PDF"):  # fmt: skip
        assert stage in OUTPUT["build"]
    assert "report.pdf (" in OUTPUT["build"] and "pages)" in OUTPUT["build"]


def test_the_pdf_made_in_two_parts_side_by_side_equals_one_made_in_turn(built: Path, tmp_path: Path) -> None:
    with Store(built.parent / "survey.db", create=False) as store:
        serial = build_year(store, 2017, tmp_path, built.parent / "templates", parallel=False)
    assert serial.pdf is not None and serial.html is not None
    assert serial.pdf.read_bytes() == (built / "report.pdf").read_bytes()
    assert serial.html.read_bytes() == (built / "report.html").read_bytes()


def test_the_joined_pdf_keeps_every_sections_bookmark(built: Path) -> None:
    reader = pypdf.PdfReader(built / "report.pdf")
    titles = [item.title for item in reader.outline if not isinstance(item, list)]  # the top level
    for title in ("At a glance", "About the survey and method", "Idva provision", "All practitioner types",
                  "What practitioners told us", "Appendix"):  # fmt: skip
        assert any(t.startswith(title) for t in titles), (title, titles)
    assert reader.metadata is not None and reader.metadata.title and "2017" in reader.metadata.title
    assert len(reader.pages) == page_count((built / "report.pdf").read_bytes())


def test_build_writes_html_pdf_and_tables(built: Path) -> None:
    assert (built / "report.html").stat().st_size > 100_000
    assert (built / "tables" / "idva_coverage_by_region.csv").is_file()
    pdf = (built / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) in PAGES


def test_first_pdf_page_renders_with_the_title(built: Path) -> None:
    image = render_page((built / "report.pdf").read_bytes(), 50)
    dark = (image.max(axis=2) < 90).mean()
    assert 0.005 < dark < 0.3, "page 1 should be mostly paper with some text"


def test_report_html_in_chromium_shows_a_page_with_charts(built: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    profile = tmp_path / "profile"
    profile.mkdir()
    command = [tool(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}"]
    command += ["--window-size=1200,2400", (built / "report.html").as_uri()]
    run = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    assert struct.unpack(">II", shot.read_bytes()[16:24]) == (1200, 2400)
    image = read_png(shot)[:, :, :3].astype(int)
    white = (image.min(axis=2) > 235).mean()
    coloured = (np.ptp(image, axis=2) > 60).mean()  # chart bars and tiles are saturated colours
    assert 0.4 < white < 0.995 and coloured > 0.002


def test_a_rebuild_lays_out_again_only_the_pdf_parts_whose_html_changed(built: Path, tmp_path: Path) -> None:
    out, templates = tmp_path / "out", tmp_path / "templates"
    shutil.copytree(built, out)
    shutil.copytree(built.parent / "templates", templates)
    kept = {p.name: p.stat().st_mtime_ns for p in (out / PART_CACHE).glob("*.pdf")}
    assert len(kept) == len(SECTIONS) + 1  # and the front: title and contents
    with Store(built.parent / "survey.db", create=False) as store:
        again = build_year(store, 2017, out, templates)
        assert again.pdf is not None and again.pdf.read_bytes() == (built / "report.pdf").read_bytes()
        assert {p.name: p.stat().st_mtime_ns for p in (out / PART_CACHE).glob("*.pdf")} == kept  # none laid out

        appendix = templates / "appendix.html.j2"
        appendix.write_text(appendix.read_text(encoding="utf-8").replace("<h2>", "<h2>Edited: ", 1), encoding="utf-8")
        edited = build_year(store, 2017, out, templates)
    now = {p.name for p in (out / PART_CACHE).glob("*.pdf")}
    # the appendix's part, and the front's, whose contents lists the appendix's heading
    assert len(now) == len(SECTIONS) + 1 and len(now & set(kept)) == len(SECTIONS) - 1
    assert set(edited.laid_out) == {"appendix", FRONT}
    assert edited.pdf is not None and edited.pdf.read_bytes() != (built / "report.pdf").read_bytes()
    assert edited.html is not None and b"Edited: " in edited.html.read_bytes()


# -- the PDF as an accessible document ------------------------------------------------------------------------


def _fonts(resources: pikepdf.Object, seen: set[tuple[int, int]]) -> Iterator[pikepdf.Object]:
    """Every font a page's resources use, its form XObjects' (charts) included."""
    yield from (resources.get("/Font") or {}).values()
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.objgen in seen or xobject.get("/Subtype") != "/Form" or "/Resources" not in xobject:
            continue
        seen.add(xobject.objgen)
        yield from _fonts(xobject.Resources, seen)


def test_the_pdf_is_tagged_pdf_ua_with_its_language_and_every_font_embedded(built: Path) -> None:
    with pikepdf.open(built / "report.pdf") as pdf:
        assert bool(pdf.Root.MarkInfo.Marked) and str(pdf.Root.Lang) == "en-GB"
        assert b'pdfuaid:part="1"' in pdf.Root.Metadata.read_bytes() or b"<pdfuaid:part>1<" in (
            pdf.Root.Metadata.read_bytes()
        )
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        document = pdf.Root.StructTreeRoot.K[0]
        kinds: set[str] = set()

        def walk(element: pikepdf.Object) -> None:
            if isinstance(element, pikepdf.Dictionary) and "/S" in element:
                kinds.add(str(element.S))
                kids = element.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                    walk(kid)

        walk(document)
        assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure", "/L", "/P"} <= kinds, kinds
        keys = set(int(k) for k in pdf.Root.StructTreeRoot.ParentTree.Nums[::2])
        assert all(int(page.obj.StructParents) in keys for page in pdf.pages)  # every page's content is tagged
        names = set()
        for page in pdf.pages:
            for font in _fonts(page.obj.Resources, set()):
                names.add(str(font.get("/BaseFont", font.get("/Subtype"))))
                if font.Subtype == "/Type3":
                    continue  # its glyphs are drawn by the PDF itself
                descriptor = (font.DescendantFonts[0] if font.Subtype == "/Type0" else font).FontDescriptor
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font.get("/BaseFont")
        assert any("DejaVu" in n for n in names)


def _contents_page(pdf: bytes) -> list[tuple[str, int]]:
    """The printed contents (first page): each line's title and page number."""
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split("\nContents\n", 1)[1]
    return [(m.group(1).strip(), int(m.group(2))) for m in re.finditer(r"^(.*\S)[ \t]+(\d+)$", text, re.MULTILINE)]


def test_the_printed_contents_gives_the_page_of_every_section_and_subsection(built: Path) -> None:
    pdf = (built / "report.pdf").read_bytes()
    html = (built / "report.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="contents"') : html.index("</nav>")]
    listed = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav)
    assert len(listed) >= 6 + 4 + 3  # the sections, Idva provision's subsections, each question
    printed = _contents_page(pdf)
    assert [title for title, _ in printed] == [unescape(title) for _, title in listed]
    where = anchors(pdf)  # each id's page, from 0
    for (id_, _), (title, page) in zip(listed, printed, strict=True):
        assert page == where[id_] + 1, (title, page, where[id_] + 1)
    assert [page for _, page in printed] == sorted(page for _, page in printed)


def _filled(image: np.ndarray) -> float:
    """How far down its text area a page is drawn on (0 to 1), the page number at its foot left out."""
    height = image.shape[0]
    top, bottom = round(height * 18 / 297), round(height * (297 - 18) / 297)  # the page's margins
    rows = np.where((image[top:bottom].min(axis=2) < 200).any(axis=1))[0]
    return 0.0 if not len(rows) else (rows[-1] + 1) / (bottom - top)


def test_no_page_is_more_than_half_empty_except_before_a_new_section(built: Path) -> None:
    pdf = (built / "report.pdf").read_bytes()
    where = anchors(pdf)
    starts = {where[s] for s in SECTIONS}
    assert starts == set(sorted(starts)) and len(starts) == len(SECTIONS)
    short = []
    for index in range(page_count(pdf)):
        if index + 1 in starts or index + 1 == page_count(pdf) or index == 0:
            continue  # a section's last page, the last page, and the title page with the contents
        if _filled(render_page(pdf, 30, index)) < 0.5:
            short.append(index + 1)
    assert not short, f"pages half empty in mid-section: {short}"


# -- phone width --------------------------------------------------------------------------------------------------

PHONE = 390
#: Added to a copy of the report shown in a frame 390 px wide (headless Chromium's window is at least 500 px): it
#: tells the page holding the frame how wide the report is and which elements stick out of it unclipped.
PROBE = """<script>addEventListener("load", () => { const out = [];
document.querySelectorAll("body *").forEach(e => { const r = e.getBoundingClientRect();
  if (r.right <= innerWidth + 1) return; let p = e.parentElement;
  while (p && getComputedStyle(p).overflowX === "visible") p = p.parentElement;
  if (!p || p === document.body || p === document.documentElement) out.push(e.tagName + "#" + e.id); });
parent.postMessage(`viewport=${innerWidth} scroll=${document.documentElement.scrollWidth} out=${out.join(",")}`, "*");
});</script>"""


def test_on_a_phone_390_px_wide_nothing_scrolls_the_page_sideways(built: Path, tmp_path: Path) -> None:
    html = (built / "report.html").read_text(encoding="utf-8")
    (tmp_path / "report.html").write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    frame = f'<iframe src="report.html" style="width:{PHONE}px;height:2400px;border:0"></iframe>'
    listen = "<script>addEventListener('message', e => { document.title = e.data; });</script>"
    (tmp_path / "phone.html").write_text(f"<title>waiting</title><body style='margin:0'>{frame}{listen}", "utf-8")
    profile = tmp_path / "profile"
    profile.mkdir()
    command = [tool(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=15000"]
    shot = tmp_path / "phone.png"
    run = subprocess.run([*command, "--window-size=500,2400", "--dump-dom", (tmp_path / "phone.html").as_uri()],
                         capture_output=True, text=True, timeout=180)  # fmt: skip
    found = re.search(r"<title>viewport=(\d+) scroll=(\d+) out=([^<]*)</title>", run.stdout)
    assert found, run.stderr[-2000:]
    viewport, scroll, out = int(found.group(1)), int(found.group(2)), found.group(3)
    assert viewport == PHONE and scroll <= PHONE and not out, (viewport, scroll, out)
    page = (tmp_path / "phone.html").as_uri()
    run = subprocess.run([*command, "--window-size=500,2400", f"--screenshot={shot}", page],
                         capture_output=True, text=True, timeout=180)  # fmt: skip
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    image = read_png(shot)[:, :PHONE, :3].astype(int)
    assert (image.min(axis=2) < 100).mean() > 0.01  # text drawn in the phone's width


def test_wide_tables_and_charts_scroll_in_their_own_box(built: Path) -> None:
    html = (built / "report.html").read_text(encoding="utf-8")
    tables = re.findall(r'<table id="([^"]+)"', html)
    boxed = re.findall(r'<div class="table-scroll[^"]*"[^>]*>\s*<table id="([^"]+)"', html)
    assert tables and set(tables) == set(boxed)
    assert ".table-scroll { overflow-x: auto;" in html and "figure.chart .chart-box { overflow-x: auto; }" in html


# -- what the report prints, and its downloads ---------------------------------------------------------------------


def test_empty_categories_and_one_row_breakdowns_are_not_printed(built: Path) -> None:
    html = (built / "report.html").read_text(encoding="utf-8")
    for table in re.findall(r'<table id="(?:categories|subcategories)_[^"]+".*?</table>', html, re.DOTALL):
        rows = re.findall(r'<tr[^>]*><th scope="row">([^<]*)</th>(.*?)</tr>', table)
        assert all(re.search(r'class="num">[1-9]', cells) for _, cells in rows), table[:80]
        if "subcategories_" in table[:40]:
            assert len(rows) > 1
            counts = [int(re.findall(r'class="num">([\d,]+)<', cells)[0].replace(",", "")) for _, cells in rows]
            labels = [label for label, _ in rows]
            ranked = [c for label, c in zip(labels, counts, strict=True) if label != "Other"]
            assert ranked == sorted(ranked, reverse=True) and all(label[:1].isupper() for label in labels)
    assert not re.search(
        r"\d %", re.sub(r"<(script|style)>.*?</\1>", "", html, flags=re.DOTALL).split("At a glance")[0]
    )


def test_the_report_links_its_csv_files_and_workbook(built: Path) -> None:
    html = (built / "report.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="(tables/[^"]+)"', html))
    assert "tables/tables.xlsx" in links
    assert {f"tables/{p.name}" for p in (built / "tables").glob("*.csv")} <= links
    assert all((built / link).is_file() for link in links)


def test_the_workbook_has_cover_contents_notes_and_one_titled_table_a_sheet(built: Path) -> None:
    book = openpyxl.load_workbook(built / "tables" / "tables.xlsx")
    assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    tables = book.sheetnames[3:]
    assert len(tables) >= 12 and all(len(n) <= 31 and "_" not in n for n in tables)
    listed = [row[0] for row in book["Contents"].iter_rows(min_row=1, values_only=True) if row[0] in tables]
    assert listed == tables  # the contents names every table sheet, in order
    notes = [row for row in book["Notes"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert len(notes) >= 4 and all(text for _, text in notes)
    for name in tables:
        cells = list(book[name].iter_rows(values_only=True))
        assert cells[0][0] and str(cells[0][0])[:1].isupper()  # a title first
        assert any(str(row[0]).startswith("Source:") for row in cells[:4])
    headline = list(book["Headline figures"].iter_rows(values_only=True))
    header = next(row for row in headline if row[0] == "Figure")
    assert list(header[1:3]) == ["2017", "2016"]  # the years side by side
    coverage = {row[0]: row[1] for row in headline if row[0] == "Coverage (% of recommended)"}
    assert coverage == {"Coverage (% of recommended)": 74}
    sizes = list(book["Idva services by size"].iter_rows(values_only=True))
    assert any(row[1] == "1–2 Idvas\n(%)" for row in sizes)  # the unit under a readable heading
    csv = pd.read_csv(built / "tables" / "coverage_by_police_force_area.csv")
    rows = list(book["Coverage by police force area"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Police force area") + 1
    assert [r[0] for r in rows[start:]] == list(csv["police_force_area"])
    assert [r[-1] for r in rows[start:]] == list(csv["coverage_pct"])


def test_a_year_without_rollovers_revisions_or_comments_writes_a_workbook_without_those_sheets(
    store: Store, make_returns: Callable[..., Returns], tmp_path: Path
) -> None:
    from practitioner_survey.report.build import build_report
    from practitioner_survey.report.workbook import write_workbook

    store.import_returns(2017, make_returns([("S1", "Kent", {"idva_fte": 2}), ("S2", "Essex", {"idva_fte": 1})]), {})
    book = openpyxl.load_workbook(write_workbook(build_report(store, 2017), tmp_path / "tables.xlsx"))
    tables = book.sheetnames[3:]
    assert "Headline figures" in tables and "Marac cases by police force" in tables
    for empty in ("Figures not from a return", "Revised figures", "Comments by category", "Comments by subcategory"):
        assert empty not in tables, empty
    listed = [row[0] for row in book["Contents"].iter_rows(values_only=True) if row[0] in book.sheetnames]
    assert listed == tables


def test_each_charts_finding_is_printed_above_it_outside_the_box_that_scrolls_on_a_phone(built: Path) -> None:
    html = (built / "report.html").read_text(encoding="utf-8")
    charts = re.findall(r'<figure id="([^"]+)" class="chart">\s*(.*?)</figure>', html, flags=re.DOTALL)
    assert {"coverage_bars", "tile_map"} <= {name for name, _ in charts}
    for name, body in charts:
        title = re.match(r'<p class="chart-title">([^<]+)</p>\s*<div class="chart-box"><svg ', body)
        assert title is not None, name
        assert title.group(1) not in body[title.end() :], name  # not drawn again inside the chart
