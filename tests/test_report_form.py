"""The report's form, piece by piece: the tile map's palette and tooltips, chart titles, word-cloud words, the table
filters of the templates, the contents, and joining tagged PDF parts."""

from __future__ import annotations

import io
import itertools
import re

import pikepdf
import pytest
from test_pdf import SAMPLE_HTML

from practitioner_survey.report import charts
from practitioner_survey.report.contents import contents, page_numbers, with_pages
from practitioner_survey.report.pdf import render_pdf
from practitioner_survey.report.pdfjoin import anchors, merge_pdfs
from practitioner_survey.report.printed import Column, Table
from practitioner_survey.report.templating import by_size, minus, ranges, sentence_case, spelled, without_empty
from practitioner_survey.report.tilemap import BANDS, GRID, Tile
from practitioner_survey.report.wordclouds import frequencies, lemma, lemma_table


def lightness(colour: str) -> float:
    """CIE L* (0 black to 100 white) of a #RRGGBB colour: how light it prints in greyscale."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 116 * (y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116) - 16


def test_tile_map_bands_run_light_to_dark_in_greyscale_with_coverage() -> None:
    levels = [lightness(c) for c in charts.BAND_COLOURS]
    assert len(levels) == len(BANDS)
    assert all(a - b >= 10 for a, b in itertools.pairwise(levels)), levels  # apart, lowest lightest
    # the label on each band stands out from it: dark text on the light bands, white on the darkest
    for band, text in zip(charts.BAND_COLOURS, charts.BAND_TEXT, strict=True):
        assert abs(lightness(band) - lightness(text)) >= 45, (band, text)


def test_tile_map_names_every_area_in_full_on_hover_and_keeps_hatching_off_the_labels() -> None:
    tiles = [Tile(area, short, row, col, 30 + 3 * i, "below 50%" if i % 3 == 0 else "75–99%")
             for i, (area, (row, col, short)) in enumerate(sorted(GRID.items()))]  # fmt: skip
    svg, alt, title = charts.tile_map(tiles)
    assert title.endswith("police force areas had less than half the recommended coverage")
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    for t in tiles:
        assert f"{t.area.replace('&', '&amp;')}: {t.coverage_pct}% ({t.band})" in titles
    assert "areas below 50%" in alt and " %" not in alt
    # the hatched strip stops below the lower label (the coverage), whose 8 pt text is centred LABEL_Y up the tile
    half_text = 8 / 72 / charts.TILE_INCHES / 2
    assert charts.LABEL_Y[1] - half_text > charts.HATCH_STRIP


def test_chart_titles_state_the_finding() -> None:
    assert charts.coverage_finding(["North", "London", "Total"], [80, 105, 90]) == (
        "Only London reached the recommended level; coverage was 90% overall"
    )
    assert charts.coverage_finding(["North", "South", "Total"], [80, 70, 75]).startswith("No region reached")
    svg, alt, title = charts.category_bars(["Funding", "Housing", "Other"], [60.0, 40.0, 0.0], 20)
    assert title == "Funding was the most common theme (60% of comments)"
    assert "most common theme" not in svg  # printed above the chart as text, so it does not scroll away on a phone
    assert "Other" not in svg and "Other" not in alt  # an empty category is not drawn


def test_word_cloud_merges_by_lemma_and_case_and_drops_filler() -> None:
    texts = [
        "We need more IDVAs and refuges; can't wait for Marac.",
        "Idvas and the refuge aren't enough, we've nothing rather good at MARAC.",
        "An idva, a refuge space and marac referrals.",
        "idva refuges marac",
    ]
    words = frequencies(texts, stop={"and", "the", "for", "more", "need", "enough", "good"}, banned=set())
    assert words["Idva"] == 4 and words["Marac"] == 4
    assert words["refuge"] == 4 or words.get("refuges") == 4  # one entry, shown in its most used form
    assert len([w for w in words if w.lower().startswith("refuge")]) == 1
    for filler in ("can't", "aren't", "we've", "ca", "n't"):
        assert filler not in words
    assert not {w for w in words if w.lower() in ("idva", "idvas", "marac")} - {"Idva", "Marac"}


def test_lemmas_are_those_of_spacys_lookup_lemmatizer() -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    words = ["refuges", "children", "services", "women", "needed", "funding", "workers", "programmes", "cases"]
    assert lemma_table()
    assert [lemma(w) for w in words] == [nlp(w)[0].lemma_ for w in words]
    assert lemma("idvas") == "idva" and lemma("maracs") == "marac"


def small(rows: list[list[str]]) -> Table:
    columns = [Column("subcategory", "Subcategory", False), Column("comments", "Comments"), Column("pct", "Share (%)")]
    return Table("t", "Caption", "comments", "9 comments", columns, rows)


def test_breakdowns_are_in_sentence_case_largest_first_without_empty_rows() -> None:
    table = small([["other", "2", "10"], ["mental health", "3", "15"], ["IDVAs at court", "12", "60"],
                   ["bme", "0", "0"], ["maracs", "3", "15"], ["housing", "1,000", "5"]])  # fmt: skip
    rows = by_size(table).rows
    assert [r[0] for r in rows] == ["Housing", "Idvas at court", "Mental health", "Maracs", "Other"]
    assert without_empty(table).rows == [r for r in table.rows if r[1] != "0"]
    assert without_empty(table).note.endswith("because of rounding.")  # 10 + 15 + 60 + 15 + 5 = 105
    exact = small([["housing", "3", "75"], ["other", "1", "25"]])
    assert without_empty(exact).note == ""
    assert sentence_case("idva and MASH referrals") == "Idva and MASH referrals"
    assert (ranges("1-2"), ranges("Dyfed-Powys"), minus("-51"), minus("-"), minus("a-b")) == (
        "1–2",
        "Dyfed-Powys",
        "−51",
        "-",
        "a-b",
    )
    assert spelled(small([["IDVAs - all risk levels", "897", "34"]])).rows == [["Idvas – all risk levels", "897", "34"]]


def test_contents_lists_sections_and_their_subsections_with_pages() -> None:
    bodies = [
        '<section id="glance"><h2>At a glance</h2><p>x</p></section>',
        '<section id="idva"><h2>Idva provision</h2><h3 id="by-region">Coverage &amp; <em>region</em></h3>'
        '<section id="q1"><h3>What would help?</h3></section><h4>Not listed</h4></section>',
    ]
    entries = contents(bodies)
    assert [(e.id, e.title) for e in entries] == [("glance", "At a glance"), ("idva", "Idva provision")]
    assert [(c.id, c.title) for c in entries[1].children] == [
        ("by-region", "Coverage & region"),
        ("q1", "What would help?"),
    ]
    pages = page_numbers(1, [(2, {"glance": 0}), (3, {"idva": 0, "by-region": 1, "q1": 2})])
    assert pages == {"glance": 2, "idva": 4, "by-region": 5, "q1": 6}
    numbered = with_pages(entries, pages)
    assert [e.page for e in numbered] == [2, 4] and [c.page for c in numbered[1].children] == [5, 6]


def test_joined_tagged_parts_keep_both_structure_trees_language_and_anchors() -> None:
    first = render_pdf(SAMPLE_HTML)
    second = render_pdf(SAMPLE_HTML.replace("<h1>Idva coverage by region</h1>", '<h1 id="later">Later part</h1>'))
    assert first.anchors == {}  # the sample has no ids
    assert second.anchors == {"later": 0}
    joined = merge_pdfs([first, second])
    assert anchors(joined.data) == {"later": 2}
    with pikepdf.open(io.BytesIO(joined.data)) as pdf:
        assert str(pdf.Root.Lang) == "en" and bool(pdf.Root.MarkInfo.Marked)
        document = pdf.Root.StructTreeRoot.K[0]
        assert document.S == "/Document"
        page_of = {page.objgen: i for i, page in enumerate(pdf.pages)}
        pages_tagged = set()

        def walk(element: pikepdf.Object) -> None:
            if isinstance(element, pikepdf.Dictionary):
                if "/Pg" in element:
                    pages_tagged.add(page_of[element.Pg.objgen])
                for kid in element.get("/K", []) if isinstance(element.get("/K"), pikepdf.Array) else []:
                    walk(kid)

        walk(document)
        assert pages_tagged == {0, 1, 2, 3}  # each page's content hangs in the one tree
        keys = [int(k) for k in pdf.Root.StructTreeRoot.ParentTree.Nums[::2]]
        own = [int(p.obj.StructParents) for p in pdf.pages]
        assert len(keys) == len(set(keys)) and len(set(own)) == 4 and set(own) <= set(keys)
        assert b"pdfuaid" in bytes(pdf.Root.Metadata.read_bytes())


@pytest.mark.parametrize("parts", [1, 2])
def test_page_numbers_are_artifacts_in_an_embedded_font(parts: int) -> None:
    joined = merge_pdfs([render_pdf(SAMPLE_HTML)] * parts)
    with pikepdf.open(io.BytesIO(joined.data)) as pdf:
        for page in pdf.pages:
            font = page.obj.Resources.Font.PageNumberFont
            assert font.Subtype == "/Type3" and len(font.CharProcs.keys()) == 10  # drawn from the PDF itself
            stamp = page.obj.Contents[-1].read_bytes()
            assert stamp.count(b"/Artifact") == 1 and b"/Pagination" in stamp
