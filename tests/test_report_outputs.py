"""The built 2017 report as a reader gets it: the PDF (pages, first page rendered) and the HTML in Chromium."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pypdf
import pytest
from test_visual import CHROMIUM, CHROMIUM_FLAGS, read_png, render_page, tool
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.report.pdf import page_count
from practitioner_survey.report.render import PART_CACHE, SECTIONS, build_year
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
    assert len(kept) == len(SECTIONS)
    with Store(built.parent / "survey.db", create=False) as store:
        again = build_year(store, 2017, out, templates)
        assert again.pdf is not None and again.pdf.read_bytes() == (built / "report.pdf").read_bytes()
        assert {p.name: p.stat().st_mtime_ns for p in (out / PART_CACHE).glob("*.pdf")} == kept  # none laid out

        appendix = templates / "appendix.html.j2"
        appendix.write_text(appendix.read_text(encoding="utf-8").replace("<h2>", "<h2>Edited: ", 1), encoding="utf-8")
        edited = build_year(store, 2017, out, templates)
    now = {p.name for p in (out / PART_CACHE).glob("*.pdf")}
    assert len(now) == len(SECTIONS) and len(now & set(kept)) == len(SECTIONS) - 1  # the appendix's part only
    assert edited.pdf is not None and edited.pdf.read_bytes() != (built / "report.pdf").read_bytes()
    assert edited.html is not None and b"Edited: " in edited.html.read_bytes()
