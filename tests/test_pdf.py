"""report/pdf.py: HTML to PDF with WeasyPrint, page counts, identical bytes for identical HTML, a clear error."""

from __future__ import annotations

import builtins
import os
import re
import subprocess
import sys
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from practitioner_survey.errors import SurveyError
from practitioner_survey.report.pdf import html_to_pdf, page_count, render_pdf

#: A small page in the report's manner: a heading, a table, an inline SVG bar chart, then a section on a new page.
SAMPLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sample report</title>
<style>
  body { font-family: "DejaVu Sans", sans-serif; margin: 40px; background: #fff; }
  table { border-collapse: collapse; margin-bottom: 16px; }
  th, td { border: 1px solid #333; padding: 4px 8px; }
  section + section { break-before: page; }
</style></head>
<body>
<section>
  <h1>Idva coverage by region</h1>
  <table>
    <caption>Coverage of recommended Idva FTE, % (n = 3 regions)</caption>
    <thead><tr><th>Region</th><th>Coverage %</th></tr></thead>
    <tbody><tr><td>North East</td><td>72</td></tr><tr><td>London</td><td>55</td></tr>
      <tr><td>Wales</td><td>91</td></tr></tbody>
  </table>
  <svg xmlns="http://www.w3.org/2000/svg" width="500" height="200" role="img"
       aria-label="Coverage by region against the 100 % line">
    <rect x="0" y="10" width="360" height="40" fill="#1f4e79"/>
    <rect x="0" y="70" width="275" height="40" fill="#1f4e79"/>
    <rect x="0" y="130" width="455" height="40" fill="#1f4e79"/>
    <line x1="496" y1="0" x2="496" y2="200" stroke="#c00000" stroke-width="6"/>
  </svg>
</section>
<section><h2>About the survey</h2><p>The second page.</p></section>
</body></html>
"""
SAMPLE_PAGES = 2


def test_renders_a_pdf_with_one_page_per_section() -> None:
    rendered = render_pdf(SAMPLE_HTML)
    assert rendered.data.startswith(b"%PDF-")
    assert rendered.data.rstrip().endswith(b"%%EOF")
    assert rendered.pages == SAMPLE_PAGES
    assert page_count(rendered.data) == SAMPLE_PAGES


def test_page_count_agrees_with_weasyprint_for_longer_documents() -> None:
    body = "".join(f"<section><h2>Part {n}</h2><p>Text.</p></section>" for n in range(7))
    html = SAMPLE_HTML.replace("</body>", body + "</body>")
    rendered = render_pdf(html)
    assert rendered.pages == page_count(rendered.data) == SAMPLE_PAGES + 7


def test_html_to_pdf_is_byte_identical_when_rendered_twice() -> None:
    assert html_to_pdf(SAMPLE_HTML) == html_to_pdf(SAMPLE_HTML)


#: Renders SAMPLE_HTML to stdout, its fonts subset by HarfBuzz (argv[1] "harfbuzz") or by fontTools ("fonttools":
#: WeasyPrint falls back to fontTools when its `harfbuzz_subset` library handle is None, as on a machine without
#: libharfbuzz-subset0); prints to stderr which subsetter WeasyPrint used.
RENDER_IN_A_FRESH_PROCESS = """
import logging, sys
import test_pdf as t
import weasyprint.pdf.fonts as fonts
if sys.argv[1] == "fonttools":
    fonts.harfbuzz_subset = None
used = []
class Seen(logging.Handler):
    def emit(self, record):
        used.append("fonttools" if "Using fontTools" in record.getMessage() else "")
logging.getLogger("weasyprint").addHandler(Seen())
data = t.html_to_pdf(t.SAMPLE_HTML)
sys.stderr.write(f"harfbuzz-subset loaded: {fonts.harfbuzz_subset is not None}; subset by: "
                 + ("fonttools" if "fonttools" in used else "harfbuzz"))
sys.stdout.buffer.write(data)
"""


def render_in_a_fresh_process(subsetter: str, *, hash_seed: int, clock: int) -> bytes:
    """SAMPLE_HTML's PDF made by a new Python process with that hash seed, its fonts subset by `subsetter`.

    `clock` is the process's SOURCE_DATE_EPOCH, which fontTools takes for "now": two builds at different times."""
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed), "SOURCE_DATE_EPOCH": str(clock)}
    done = subprocess.run([sys.executable, "-c", RENDER_IN_A_FRESH_PROCESS, subsetter], cwd=Path(__file__).parent,
                          env=env, capture_output=True, timeout=300, check=False)  # fmt: skip
    report = done.stderr.decode(errors="replace").strip().splitlines()
    assert done.returncode == 0, "\n".join(report[-20:])
    if subsetter == "harfbuzz":
        assert "harfbuzz-subset loaded: True" in report[-1], (
            "WeasyPrint cannot load HarfBuzz-subset: install Debian's libharfbuzz-subset0 "
            "(`bash scripts/setup --test` does)"
        )
    assert report[-1].endswith(f"subset by: {subsetter}"), report[-1]
    return done.stdout


@pytest.mark.parametrize("subsetter", ["harfbuzz", "fonttools"])
def test_fresh_processes_at_different_times_render_the_same_bytes(subsetter: str) -> None:
    """Nothing random or time-dependent (font subset tags, set order, identifiers, dates in the embedded fonts)
    creeps in between runs, whichever library subsets the fonts. The two subsetters write different (equally
    valid) font programs, so the bytes are the same for one subsetter, not between them."""
    first = render_in_a_fresh_process(subsetter, hash_seed=1, clock=1_000_000_000)
    second = render_in_a_fresh_process(subsetter, hash_seed=2, clock=1_700_000_000)
    assert first.startswith(b"%PDF-") and page_count(first) == SAMPLE_PAGES
    assert first == second
    if subsetter == "harfbuzz":  # as this process renders, HarfBuzz-subset being loaded (checked above)
        assert first == html_to_pdf(SAMPLE_HTML)


def inflated(pdf: bytes) -> bytes:
    """The PDF with its Flate streams decompressed: WeasyPrint keeps the info dictionary in an object stream."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_pdf_carries_no_timestamp_unless_given_one() -> None:
    undated = inflated(html_to_pdf(SAMPLE_HTML))
    assert b"/Producer (WeasyPrint" in undated and b"/CreationDate" not in undated and b"/ModDate" not in undated
    dated = render_pdf(SAMPLE_HTML, created=date(2017, 3, 31)).data
    assert b"/CreationDate (D:20170331)" in inflated(dated)
    assert dated == render_pdf(SAMPLE_HTML, created=date(2017, 3, 31)).data


def test_different_html_gives_a_different_identifier() -> None:
    assert html_to_pdf(SAMPLE_HTML) != html_to_pdf(SAMPLE_HTML.replace("Wales", "Cymru"))


def test_page_count_refuses_what_is_not_a_pdf() -> None:
    with pytest.raises(SurveyError, match="not a PDF"):
        page_count(b"<html></html>")


def _failing_import(monkeypatch: pytest.MonkeyPatch, error: Exception, banner: str = "") -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint" or name.startswith("weasyprint."):
            if banner:
                print(banner)  # as WeasyPrint does on its way to an OSError
            raise error
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_missing_weasyprint_is_a_survey_error_saying_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    _failing_import(monkeypatch, ModuleNotFoundError("No module named 'weasyprint'"))
    with pytest.raises(SurveyError, match="needs WeasyPrint, which is not installed") as caught:
        html_to_pdf(SAMPLE_HTML)
    assert "pip install weasyprint" in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_missing_pango_is_a_survey_error_naming_the_system_packages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _failing_import(monkeypatch, OSError("cannot load library 'libpango-1.0-0'"), banner="WeasyPrint could not import")
    with pytest.raises(SurveyError, match="cannot load a system library") as caught:
        html_to_pdf(SAMPLE_HTML)
    assert "libpango-1.0-0" in str(caught.value) and "apt-get install" in str(caught.value)
    assert "bash scripts/setup" in str(caught.value) and "pip install" not in str(caught.value)
    assert capsys.readouterr().out == ""  # the banner WeasyPrint prints: the error is the one line a command shows


def _page_texts(pdf: bytes) -> list[list[tuple[str, float, float]]]:
    """Each page's text pieces with where they start (x, y in points from the lower left)."""
    import io

    import pypdf

    pages = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        pieces: list[tuple[str, float, float]] = []

        def keep(text: str, cm: Any, tm: Any, font: Any, size: Any, pieces: list = pieces) -> None:
            if text.strip():
                pieces.append((text.strip(), cm[4] + tm[4], cm[5] + tm[5]))

        page.extract_text(visitor_text=keep)
        pages.append(pieces)
    return pages


def test_joined_parts_are_numbered_in_one_sequence_centred_at_each_pages_foot() -> None:
    from practitioner_survey.report.pdfjoin import merge_pdfs

    first = render_pdf(SAMPLE_HTML)  # two pages
    second = render_pdf(SAMPLE_HTML.replace("The second page.", "The fourth page."))
    joined = merge_pdfs([first, second])
    assert joined.pages == page_count(joined.data) == 4
    pages = _page_texts(joined.data)
    numbers = [[(t, x, y) for t, x, y in page if t.isdigit() and y < 40] for page in pages]
    assert [[t for t, _, _ in found] for found in numbers] == [["1"], ["2"], ["3"], ["4"]]
    for ((_, x, y),) in numbers:
        assert 595.28 / 2 - 10 < x < 595.28 / 2  # centred on A4 (a digit is about 5.1 pt wide at 8 pt)
        assert 25 < y < 32  # 10 mm above the foot
    # each part's own text is still drawn where it was, after the number's graphics state is restored
    assert any(t.startswith("The fourth page") for t, _, _ in pages[3])
    assert merge_pdfs([first, second]).data == joined.data


def test_joining_without_numbers_leaves_the_pages_unnumbered() -> None:
    from practitioner_survey.report.pdfjoin import merge_pdfs

    joined = merge_pdfs([render_pdf(SAMPLE_HTML)], number_pages=False)
    assert not [t for page in _page_texts(joined.data) for t, _, y in page if t.isdigit() and y < 40]
