"""The report's drawn figures: the coverage chart and tile map, and per question a bar chart and a word cloud.

Each figure is a `Drawing`: its name in the report, its kind and what it is drawn from. `FigureCache` keeps what was
drawn in a folder by a hash of the drawing and of the code and libraries that draw it, so a rebuild draws only the
figures whose inputs changed. matplotlib and wordcloud are imported only when a figure must actually be drawn.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from practitioner_survey.counting.tables import FreeText
from practitioner_survey.report.build import Report
from practitioner_survey.report.kept import source_hash, version, write_whole
from practitioner_survey.report.printed import Figure
from practitioner_survey.report.tilemap import Tile
from practitioner_survey.report.wordclouds import frequencies, identifying_words, stopwords

#: What a figure of each kind is drawn with: its drawing changes when these libraries or modules do.
LIBRARIES = {"chart": ("matplotlib", "numpy"), "wordcloud": ("wordcloud", "pillow", "numpy", "matplotlib")}
MODULES = {"chart": ("charts.py", "tilemap.py", "figures.py"), "wordcloud": ("wordclouds.py", "figures.py")}
#: A drawn figure: {"svg", "alt", "title"} for a chart, {"png", "jpeg"} (data URIs) for a word cloud.
Drawn = dict[str, str]


@dataclass(frozen=True)
class Drawing:
    """One figure to draw: `name` as the report knows it, `kind` (coverage_bars, tile_map, category_bars,
    wordcloud) and `inputs`, plain JSON-able values that are all it is drawn from."""

    name: str
    kind: str
    inputs: tuple[Any, ...]

    @property
    def family(self) -> str:
        return "wordcloud" if self.kind == "wordcloud" else "chart"


def drawings(report: Report, service_names: Iterable[str], free_text: FreeText | None, folder: Path) -> list[Drawing]:
    """Every figure of the report with what it is drawn from; word clouds leave out `folder`'s stop words and
    words that could identify a respondent (`service_names`, places, police force areas, first names)."""
    coverage = report.tables["idva_coverage_by_region"]
    regions = (list(coverage["region"]), [float(v) for v in coverage["coverage_pct"]])
    out = [
        Drawing("coverage_bars", "coverage_bars", regions),
        Drawing("tile_map", "tile_map", ([asdict(t) for t in report.tiles],)),
    ]
    if not report.questions or free_text is None:
        return out
    stop = stopwords(folder)
    banned = identifying_words(service_names, report.tables["coverage_by_police_force_area"]["police_force_area"])
    for q in report.questions:
        cats = report.tables[f"comment_categories_{q.id}"]
        shares = (list(cats["category"]), [float(v) for v in cats["pct"]], int(cats["comments"].sum()))
        words = frequencies(free_text.comments[q.id]["text"], stop, banned)
        out += [Drawing(f"chart_{q.id}", "category_bars", shares),
                Drawing(f"wordcloud_{q.id}", "wordcloud", (list(words.items()),))]  # fmt: skip
    return out


def draw(drawing: Drawing) -> Drawn:
    """Draw one figure (a job that can run in a worker process)."""
    if drawing.kind == "wordcloud":
        from practitioner_survey.report.wordclouds import cloud_uris

        png, jpeg = cloud_uris(dict(drawing.inputs[0]))
        return {"png": png, "jpeg": jpeg}
    from practitioner_survey.report import charts

    if drawing.kind == "coverage_bars":
        svg, alt, title = charts.coverage_bars(*drawing.inputs)
    elif drawing.kind == "tile_map":
        svg, alt, title = charts.tile_map([Tile(**t) for t in drawing.inputs[0]])
    else:
        svg, alt, title = charts.category_bars(*drawing.inputs)
    return {"svg": svg, "alt": alt, "title": title}


def add_figures(report: Report, figures: Sequence[Drawing], drawn: dict[str, Drawn], printed: bool = False) -> Report:
    """A copy of the report with its figures drawn in; `printed` puts in the word clouds' JPEG versions (for the
    PDF: WeasyPrint would re-encode a PNG, which costs time) instead of their PNGs. A figure not in `drawn` yet is
    left out (a question's two figures go in together), so that sections showing none of those can be rendered."""
    by_name = {d.name: d for d in figures}
    p = report.provenance
    both = f"{p.source}; {p.reference_source}"  # coverage is counted against the reference's recommended levels
    charts = {name: Figure(name, caption, drawn[name]["alt"], svg=Markup(drawn[name]["svg"]), source=both,
                           title=drawn[name]["title"])
              for name, caption in (("coverage_bars", "Idva coverage by region against the 100% level"),
                                    ("tile_map", "Idva coverage by police force area")) if name in drawn}  # fmt: skip
    questions = []
    for q in report.questions:
        if f"chart_{q.id}" not in drawn or f"wordcloud_{q.id}" not in drawn:
            questions.append(q)
            continue
        bars, cloud = drawn[f"chart_{q.id}"], drawn[f"wordcloud_{q.id}"]
        n = by_name[f"chart_{q.id}"].inputs[2]
        words = dict(by_name[f"wordcloud_{q.id}"].inputs[0])
        chart = Figure(f"chart_{q.id}", f"{q.question} Share of comments by category (n = {n:,})", bars["alt"],
                       svg=Markup(bars["svg"]), source=p.source, title=bars["title"])  # fmt: skip
        top = sorted(words, key=lambda w: (-words[w], w))[:10]
        wordcloud = Figure(f"wordcloud_{q.id}", f"Word cloud: {q.question}",
                           "Word cloud of the words used most often in the comments; the largest are: "
                           + ", ".join(top) + ".", image_uri=cloud["jpeg" if printed else "png"],
                           source=p.source)  # fmt: skip
        questions.append(replace(q, chart=chart, wordcloud=wordcloud))
    return replace(report, figures={**report.figures, **charts}, questions=questions)


class FigureCache:
    """Drawn figures kept in a folder, one JSON file each, named by a hash of the drawing and of the modules and
    library versions that draw it; a hit gives exactly what drawing it again would."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _stamp(self, family: str) -> str:
        here = Path(__file__).parent
        versions = [f"{name} {version(name)}" for name in LIBRARIES[family]]
        return "\0".join(versions + [source_hash(here / module) for module in MODULES[family]])

    def path(self, drawing: Drawing) -> Path:
        """Where `drawing` is kept, drawn or not."""
        text = json.dumps([self._stamp(drawing.family), drawing.kind, drawing.inputs], ensure_ascii=False)
        return self.folder / f"{hashlib.sha256(text.encode()).hexdigest()}.json"

    def get(self, drawing: Drawing) -> Drawn | None:
        """The figure drawn before from this very drawing, if kept."""
        try:
            found = json.loads(self.path(drawing).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return found if isinstance(found, dict) and all(isinstance(v, str) for v in found.values()) else None

    def put(self, drawing: Drawing, drawn: Drawn) -> None:
        """Keep a figure just drawn."""
        write_whole(self.path(drawing), json.dumps(drawn, ensure_ascii=False).encode())

    def keep_only(self, figures: Sequence[Drawing]) -> None:
        """Drop kept figures that no longer belong to the report."""
        wanted = {self.path(d).name for d in figures}
        for path in self.folder.glob("*.json") if self.folder.is_dir() else []:
            if path.name not in wanted:
                path.unlink(missing_ok=True)
