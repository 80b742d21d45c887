"""The printed report's layout, read back from the built PDF: the contents page's entries link to their pages, a
table of up to 12 rows is never split across pages, and a longer table repeats its header row on each page."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from practitioner_survey.cli import app

ROOT = Path(__file__).resolve().parents[1]
SHORT = 12  # rows: a table this long or shorter stays on one page


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    work = tmp_path_factory.mktemp("pdf-layout")
    for folder in ("responses", "templates", "codebook"):
        shutil.copytree(ROOT / folder, work / folder)
    result = CliRunner().invoke(app, ["--db", str(work / "survey.db"), "build", "2017", "--out", str(work / "out")])
    assert result.exit_code == 0, result.output
    return (work / "out" / "report.pdf").read_bytes()


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


def _elements(element: Any, kind: str) -> list[Any]:
    """The structure elements of `kind` (e.g. "/Table") under `element`, in reading order, not nested in another."""
    if not isinstance(element, pikepdf.Dictionary):
        return []
    if str(element.get("/S")) == kind:
        return [element]
    return [found for kid in _kids(element) for found in _elements(kid, kind)]


def _pages_of(element: Any, pages: dict[Any, int]) -> set[int]:
    """The pages (from 0) that the marked content of a structure element is drawn on."""
    if not isinstance(element, pikepdf.Dictionary):
        return set()
    found = {pages[element.Pg.objgen]} if "/Pg" in element else set()
    return found.union(*(_pages_of(kid, pages) for kid in _kids(element)))


def test_the_contents_page_links_each_entry_to_the_page_it_prints(pdf: bytes) -> None:
    document = pdfium.PdfDocument(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as reader:
        pages = {page.objgen: i for i, page in enumerate(reader.pages)}
        destinations = {}
        for name, target in pikepdf.NameTree(reader.Root.Names.Dests).items():
            where = target.get("/D") if isinstance(target, pikepdf.Dictionary) else target
            destinations[str(name)] = pages[where[0].objgen]
        text = document[0].get_textpage()
        checked: dict[str, tuple[str, int]] = {}
        for annotation in reader.pages[0].obj.get("/Annots", []):
            if "/Dest" not in annotation:
                continue
            left, bottom, right, top = (float(v) for v in annotation.Rect)
            line = " ".join(text.get_text_bounded(left, bottom, right, top).split())
            printed = re.fullmatch(r"(.*\D) (\d+)", line)
            if printed is None:  # a link's part (its title or page number alone) beside the whole line's
                continue
            target = str(annotation.Dest)
            assert destinations[target] + 1 == int(printed.group(2)), (line, target, destinations[target] + 1)
            checked[target] = (printed.group(1), int(printed.group(2)))
    assert {"glance", "method", "idva", "practitioners", "questions", "appendix"} <= set(checked)
    assert len(checked) >= 6 + 4 + 3  # the sections, Idva provision's subsections, each question
    assert [page for _, page in checked.values()] == sorted(page for _, page in checked.values())


def _tables(pdf: bytes) -> list[tuple[int, list[set[int]], list[bool]]]:
    """Each table as laid out: its body rows, and per fragment (WeasyPrint tags each page's part of a table as a
    table of its own, the first with the caption) its pages and whether it has a header row."""
    with pikepdf.open(io.BytesIO(pdf)) as reader:
        pages = {page.objgen: i for i, page in enumerate(reader.pages)}
        out: list[tuple[int, list[set[int]], list[bool]]] = []
        for table in _elements(reader.Root.StructTreeRoot, "/Table"):
            parts = {str(kid.get("/S")): kid for kid in _kids(table) if isinstance(kid, pikepdf.Dictionary)}
            rows = len(_kids(parts["/TBody"])) if "/TBody" in parts else 0
            fragment = (_pages_of(table, pages), "/THead" in parts)
            if "/Caption" in parts or not out:
                out.append((rows, [fragment[0]], [fragment[1]]))
            else:  # the same table continued on the next page
                before, where, headed = out[-1]
                out[-1] = (before + rows, [*where, fragment[0]], [*headed, fragment[1]])
    return out


def test_a_table_of_up_to_twelve_rows_lies_on_one_page(pdf: bytes) -> None:
    tables = _tables(pdf)
    assert len(tables) > 30 and any(rows > SHORT for rows, _, _ in tables)
    split = [(rows, sorted(set().union(*where))) for rows, where, _ in tables if rows <= SHORT and len(where) > 1]
    assert not split, f"short tables split across pages (rows, pages): {split}"


def test_a_longer_table_repeats_its_header_row_on_each_page(pdf: bytes) -> None:
    continued = [(rows, headed) for rows, where, headed in _tables(pdf) if len(where) > 1]
    assert continued, "no table runs over a page: the check below would check nothing"
    for rows, headed in continued:
        assert all(headed), f"a table of {rows} rows lacks its header row on a later page"
