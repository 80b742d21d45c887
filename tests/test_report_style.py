"""House style of the rendered report (GSS): one number of decimals per measure across every table, en dashes in
ranges, true minus signs, and "74%" with no space, checked over the HTML that `survey build` writes."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from lxml import html as lxml_html

from practitioner_survey.loading.bundled import load_year
from practitioner_survey.report.render import build_year
from practitioner_survey.report.templating import TITLES, views
from practitioner_survey.store.core import Store

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
#: Tables of a police force area or a single service, whose FTE columns print one decimal (whole numbers would hide
#: part-time posts); FTE summed over a region or nationally prints whole, as the 2017 report prints it.
SMALL_AREA_TABLES = {"coverage_by_police_force_area", "not_direct_responses"}
NUMBER = re.compile(r"[+\u2212]?\d[\d,]*(?:\.(\d+))?%?")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[lxml_html.HtmlElement]:
    folder = tmp_path_factory.mktemp("style")
    with Store(folder / "survey.db") as store:
        load_year(store, ROOT / "responses" / "2017")
        built = build_year(store, 2017, folder / "build", TEMPLATES, formats=("html",))
    assert built.html is not None
    yield lxml_html.fromstring(built.html.read_text(encoding="utf-8"))


def tables(page: lxml_html.HtmlElement) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Each table's id (its own or its wrapper's), header labels and body rows as text."""
    out = {}
    for table in page.iter("table"):
        name = table.get("id") or next(a.get("id") for a in table.iterancestors() if a.get("id"))
        heads = [" ".join(th.text_content().split()) for th in table.xpath("./thead/tr[last()]/th")]
        rows = [[" ".join(c.text_content().split()) for c in tr] for tr in table.xpath("./tbody/tr")]
        out[name] = (heads, rows)
    return out


def decimals(cell: str) -> int | None:
    """The number of decimals a printed figure has, or None when the cell is not a figure."""
    found = NUMBER.fullmatch(cell)
    return None if found is None else len(found.group(1) or "")


def measure(table: str, header: str) -> str:
    """What a column measures, for the one-decimals rule: its label, FTE of a small area told from FTE in a total."""
    header = re.sub(r"\s*\[note \d+\]", "", header)
    fte = "FTE" in header or header in ("Idvas", "Outreach workers", "Refuge workers", "Isvas", "Ypvas")
    return f"{header} ({'one area or service' if table in SMALL_AREA_TABLES else 'total'})" if fte else header


def test_every_measure_prints_one_number_of_decimals_in_every_table(page: lxml_html.HtmlElement) -> None:
    seen: dict[str, set[int]] = defaultdict(set)
    where: dict[str, set[str]] = defaultdict(set)
    for name, (heads, rows) in tables(page).items():
        if name == "revisions":  # one figure per row: checked by its row's measure below
            continue
        for row in rows:
            for header, cell in zip(heads, row, strict=False):
                places = decimals(cell)
                if places is not None and not re.fullmatch(r"(19|20)\d\d", header):  # year columns: by their row
                    seen[measure(name, header)].add(places)
                    where[measure(name, header)].add(name)
    mixed = {m: (sorted(p), sorted(where[m])) for m, p in seen.items() if len(p) > 1}
    assert not mixed, f"measures printed with more than one number of decimals: {mixed}"
    assert seen["FTE Idvas (all risk levels) (total)"] == {0}
    assert seen["FTE Idvas (all risk levels) (one area or service)"] == {1}
    assert seen["Coverage (%)"] == {0}


def test_revisions_print_fte_to_one_decimal_and_people_whole(page: lxml_html.HtmlElement) -> None:
    heads, rows = tables(page)["revisions"]
    figure, before, after = heads.index("Figure"), heads.index("Before"), heads.index("After")
    assert rows
    for row in rows:
        want = 0 if "(people)" in row[figure] else 1
        assert decimals(row[before]) == want and decimals(row[after]) == want, row
        assert row[before] != row[after], f"a revision that rounding hides: {row}"


def test_idva_share_key_figure_prints_as_the_table_of_fte_by_type(page: lxml_html.HtmlElement) -> None:
    heads, rows = tables(page)["fte_by_type"]
    share = next(r[heads.index("Share of FTE (%)")] for r in rows if r[0].startswith("Idvas"))
    assert decimals(share) == 1
    key = " ".join(page.get_element_by_id("key-idva_share").text_content().split())
    assert key.startswith(f"{share} of every 100 FTE domestic abuse practitioners are Idvas")


def printed_text(page: lxml_html.HtmlElement) -> str:
    """Every word a reader sees in our own voice: body, tables and chart text, without the respondents' quotes (kept
    as they wrote them) and without dates (2026-12-05)."""
    copy = lxml_html.fromstring(lxml_html.tostring(page))
    for element in copy.xpath("//blockquote|//script|//style"):
        element.drop_tree()
    return re.sub(r"\b\d{4}-\d\d-\d\d\b", "", copy.text_content())


def test_ranges_take_an_en_dash_negatives_a_minus_and_percent_no_space(page: lxml_html.HtmlElement) -> None:
    text = printed_text(page)
    assert "74%" in text and "1\u20132" in text and "\u2212" in text  # the checks below look at real figures
    assert not re.findall(r".{0,30}\d-\d.{0,10}", text), "a range with a hyphen"
    assert not re.findall(r".{0,30}(?<![\w.])-\d.{0,10}", text), "a negative figure with a hyphen"
    assert not re.findall(r".{0,30}\d %.{0,10}", text), "a space before %"
    assert not re.findall(r".{0,30}\d\s+per cent", text), "per cent in words beside a figure"


def test_quotes_begin_with_a_capital_and_short_labels_do_not_wrap(page: lxml_html.HtmlElement) -> None:
    quotes = [" ".join(q.text_content().split()) for q in page.iter("blockquote")]
    assert len(quotes) > 20 and all(q[:1].isupper() or not q[:1].isalpha() for q in quotes), quotes
    ranges = [th for th in page.xpath("//thead//th") if "\u2013" in th.text_content()]
    assert ranges and all(th.xpath("./span[@class='nw']") for th in ranges)  # "1–2" never breaks at its dash


def test_the_tables_page_prints_each_column_with_one_number_of_decimals() -> None:
    frame = pd.DataFrame({"service": ["A", "B"], "fte_idvas": [0.8, 4.0], "services": [3.0, 12.0]})
    view = views(dict.fromkeys(TITLES, frame))[0]
    assert view.rows == [["A", "0.8", "3"], ["B", "4.0", "12"]]
