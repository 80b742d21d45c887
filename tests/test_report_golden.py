"""Golden files for small rendered fragments: a table, a figure, a question with its quotes, the headline table.

A fragment that changes on purpose is rewritten with `python tests/test_report_golden.py --write` and reviewed in
the diff; a missing golden file fails the test, it is never written by the test itself.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from markupsafe import Markup

from practitioner_survey.report import environment
from practitioner_survey.report.printed import Column, Figure, Table
from practitioner_survey.report.questions import CategorySection, QuestionSection, Quote
from practitioner_survey.report.years import GLANCE, glance_table

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
TEMPLATES = ROOT / "templates"

SMALL = Table(
    "idva_coverage_by_region",
    "Idva coverage by region",
    "FTE; coverage as % of the recommended level",
    "3 Idva services",
    [Column("region", "Region", False), Column("fte_idvas", "FTE Idvas"), Column("coverage_pct", "Coverage (%)")],
    [["North East", "41", "75"], ['London & <the> "south"', "1,204", "105"], ["Total", "1,245", "104"]],
    note="Services in two regions count in each & once in the total.",
)


def _macro(call: str, **values: object) -> str:
    template = environment(TEMPLATES).from_string('{% import "_macros.html.j2" as m %}' + call)
    return template.render(**values)


def fragments() -> dict[str, str]:
    """Each golden fragment's name and its rendering now."""
    figure_png = Figure("wordcloud_q", "Word cloud: a question?", 'Largest words: "funding", <cuts>.',
                        image_uri="data:image/png;base64,iVBORw0KGgo=")  # fmt: skip
    figure_svg = Figure("chart_q", "Share of comments (n = 12)", "Bars",
                        svg=Markup('<svg role="img" aria-label="Bars"><rect width="1" height="1"/></svg>'))  # fmt: skip
    question = QuestionSection(
        "biggest_difference", "What would make the biggest difference?", answers=3, comments=5, coded=5,
        categories=SMALL, chart=None, wordcloud=None,
        details=[CategorySection("Funding & resources", 3, 60, None,
                                 [Quote("Nothing changes <script>alert('x')</script> unless we shout")]),
                 CategorySection("Nothing said", 0, 0, None, [])],
    )  # fmt: skip
    facts = {key: 100 + i for i, (key, _) in enumerate(GLANCE)}
    before = {2016: {key: 90.0 + i for i, (key, _) in enumerate(GLANCE)},
              2015: {key: 80.4 + i for i, (key, _) in enumerate(GLANCE)}}  # fmt: skip
    questions = environment(TEMPLATES).get_template("questions.html.j2")
    return {
        "table.html": _macro("{{ m.table(t) }}", t=SMALL),
        "figure-png.html": _macro("{{ m.figure(f) }}", f=figure_png),
        "figure-svg.html": _macro("{{ m.figure(f) }}", f=figure_svg),
        "question.html": questions.render(report=SimpleNamespace(questions=[question])),
        "headline-three-years.html": _macro("{{ m.table(t) }}", t=glance_table(facts, before, 2017)),  # type: ignore[arg-type]
        "table-with-source.html": _macro("{{ m.table(t) }}", t=replace(SMALL, source="A survey & <its> returns")),
    }


@pytest.mark.parametrize("name", sorted(fragments()))
def test_rendered_fragment_matches_its_golden_file(name: str) -> None:
    path = GOLDEN / name
    assert path.is_file(), f"missing golden file {path}; write it with: python tests/test_report_golden.py --write"
    assert fragments()[name] == path.read_text(encoding="utf-8")


def test_golden_fragments_escape_markup_from_the_data() -> None:
    rendered = fragments()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in rendered["question.html"]
    assert "<script>" not in rendered["question.html"]
    assert "London &amp; &lt;the&gt; &#34;south&#34;" in rendered["table.html"]
    assert 'alt="Largest words: &#34;funding&#34;, &lt;cuts&gt;."' in rendered["figure-png.html"]
    assert '<p class="source">Source: A survey &amp; &lt;its&gt; returns</p>' in rendered["table-with-source.html"]
    assert "not comparable" in rendered["headline-three-years.html"]  # all types' FTE: 2016 counted fewer types


if __name__ == "__main__" and "--write" in sys.argv:
    GOLDEN.mkdir(exist_ok=True)
    for name, text in fragments().items():
        (GOLDEN / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {GOLDEN / name}")
