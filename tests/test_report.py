"""The annual report: every section present, every published figure in its table, quotes safe, bytes stable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from practitioner_survey.loading.bundled import load_year
from practitioner_survey.report.build import build_report, change
from practitioner_survey.report.render import SECTIONS, build_year, render_section
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.store.coding import Decision
from practitioner_survey.store.core import Store
from practitioner_survey.synthetic.targets import published

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = published()  # the package's copy; test_backtest_2017 checks it equals shared/reference's
TEMPLATES = ROOT / "templates"
SCRIPT_QUOTE = "Nothing changes <script>alert('x')</script> unless we shout"
DRAFT_QUOTE = "an unconfirmed draft quote that must never be printed"


class _Tables(HTMLParser):
    """Every <table id=...> as {id: (column keys, {row header: [cell texts]})}."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, tuple[list[str], dict[str, list[str]]]] = {}
        self._id: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self._id = str(a["id"])
            self.tables[self._id] = ([], {})
        elif self._id and tag == "th" and a.get("scope") == "col":
            self.tables[self._id][0].append(a.get("data-key") or "")
        elif self._id and tag == "tr":
            self._row = []
        elif self._id and self._row is not None and tag in ("th", "td") and a.get("scope") != "col":
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._id and self._row:
            label = re.sub(r" \[notes? [\d, ]+\]$", "", self._row[0])  # a row's comparability notes
            self.tables[self._id][1][label] = self._row[1:]
            self._row = None
        elif tag == "table":
            self._id = None


def tables_in(html: str) -> dict[str, tuple[list[str], dict[str, list[str]]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _value(text: str) -> float:
    return float(text.replace(",", "").replace("%", "").replace("\u2212", "-"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path, str]]:
    """The bundled 2017 (and 2016) loaded once, plus a <script> quote and an unconfirmed one, built once."""
    folder = tmp_path_factory.mktemp("report")
    store = Store(folder / "survey.db")
    load_year(store, ROOT / "responses" / "2017")
    comments = store.comments(2017, "biggest_difference")
    first, second = (int(i) for i in comments["id"].iloc[:2])
    question = "biggest_difference"
    confirmed = {"anonymised": SCRIPT_QUOTE, "confirmed": True}
    draft = {"anonymised": DRAFT_QUOTE, "confirmed": False}
    store.log([Decision(2017, first, question, "tester", "quote", payload=confirmed),
               Decision(2017, second, question, "tester", "quote", payload=draft)])  # fmt: skip
    result = build_year(store, 2017, folder / "build", TEMPLATES)
    yield store, folder / "build", result.html.read_text(encoding="utf-8")
    store.close()


def test_every_section_is_present(built: tuple[Store, Path, str]) -> None:
    html = built[2]
    for section in SECTIONS:
        assert f'<section class="report-section" id="{section}">' in html
    for question in FREE_TEXT_QUESTIONS:
        assert f'id="question-{question}"' in html and f'id="wordcloud_{question}"' in html
    assert 'id="coverage_bars"' in html and 'id="tile_map"' in html and 'role="img" aria-label="' in html


@pytest.mark.parametrize(
    ("table_id", "published"),
    [
        ("idva_coverage_by_region", "idva_coverage_by_region"),
        ("idva_services_by_size", "idva_services_by_size_pct"),
        ("idva_fte_by_service_size", "idva_fte_by_service_size_pct"),
        ("practitioner_fte_by_region", "practitioner_fte_by_region"),
        ("services_by_type_by_region", "services_by_type_by_region"),
        ("volunteers_by_region", "volunteers_by_region"),
    ],
)
def test_every_published_figure_is_in_its_table(built: tuple[Store, Path, str], table_id: str, published: str) -> None:
    keys, rows = tables_in(built[2])[table_id]
    expected = PUBLISHED[published]
    assert set(rows) == set(expected["rows"])
    for region, values in expected["rows"].items():
        for column, value in zip(expected["columns"], values, strict=True):
            assert _value(rows[region][keys.index(column) - 1]) == value, (table_id, region, column)


def test_the_headline_table_and_sentences_carry_last_years_figures(built: tuple[Store, Path, str]) -> None:
    html = built[2]
    keys, rows = tables_in(html)["headline"]
    assert "year_2016" in keys and "change" in keys
    assert _value(rows["Coverage (% of recommended)"][0]) == PUBLISHED["headline"]["coverage_pct"]
    assert "coverage_pct_2016" in tables_in(html)["idva_coverage_by_region"][0]
    assert (
        f"{PUBLISHED['headline']['fte_idvas_increase_vs_2016_pct']}%) since 2016 [note 1]" in html and "rose by" in html
    )


def test_rises_and_falls_are_worded_from_the_sign() -> None:
    assert change(74, 67) == "rose by 7%"
    assert change(60, 67, " points") == "fell by 7 points"
    assert change(5, 5) == "was unchanged"


def test_comment_category_shares_match_the_csvs(built: tuple[Store, Path, str]) -> None:
    _, out, html = built
    found = tables_in(html)
    for question in FREE_TEXT_QUESTIONS:
        csv = pd.read_csv(out / "tables" / f"comment_categories_{question}.csv")
        keys, rows = found[f"categories_{question}"]
        shown = {label: _value(cells[keys.index("pct") - 1]) for label, cells in rows.items()}
        counted = zip(csv["category"], csv["comments"], csv["pct"], strict=True)
        assert shown == {str(c): float(p) for c, n, p in counted if n > 0}  # an empty category is not printed


def test_a_quote_with_a_script_tag_is_shown_as_text(built: tuple[Store, Path, str]) -> None:
    html = built[2]
    assert "<script>alert" not in html
    assert "Nothing changes &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; unless we shout" in html


def test_an_unconfirmed_quote_never_appears(built: tuple[Store, Path, str]) -> None:
    assert DRAFT_QUOTE not in built[2]


def test_the_page_is_self_contained(built: tuple[Store, Path, str]) -> None:
    html = built[2]
    assert not re.search(r"https?://", html)
    assert "<link" not in html and re.search(r'src="(?!data:)', html) is None
    assert "thead { display: table-header-group; }" in html and "break-before: page" in html


def test_building_twice_gives_identical_bytes(built: tuple[Store, Path, str], tmp_path: Path) -> None:
    store, out, _ = built
    again = build_year(store, 2017, tmp_path, TEMPLATES)
    assert again.html.read_bytes() == (out / "report.html").read_bytes()


def test_each_section_renders_on_its_own(built: tuple[Store, Path, str]) -> None:
    report = build_report(built[0], 2017)
    for section in ("glance", "method", "practitioners", "appendix"):
        assert f'id="{section}"' in render_section(report, section, TEMPLATES)


def test_agreement_not_compared_is_one_sentence_not_an_empty_table(built: tuple[Store, Path, str]) -> None:
    html = built[2]
    assert 'id="agreement"' not in html and "not measured" not in html
    assert '<p id="agreement-note">Agreement between coders is not reported this year' in html


def test_only_short_tables_are_kept_whole_on_a_printed_page(built: tuple[Store, Path, str]) -> None:
    _, _, html = built
    classes = dict(re.findall(r'<table id="([^"]+)"( class="short")?>', html))
    assert classes["idva_locations"] == ' class="short"'  # 7 rows
    assert classes["idva_coverage_by_region"] == ' class="short"'  # 11 rows: up to 12 stay on one page
    assert classes["coverage_by_police_force_area"] == ""  # 43 rows: breaks across pages, its header repeated
    assert "table.short, .table-scroll.short { break-inside: avoid" in html  # short tables stay whole
    assert "tbody tr:last-child, tbody tr:nth-last-child(2) { break-before: avoid" in html
