"""The report's charts as inline SVG (matplotlib), byte-identical from run to run, readable in greyscale.

Colours are the Okabe-Ito palette (safe for colour-blind readers); the tile map's coverage bands are ColorBrewer's
sequential Blues, one hue running light to dark as coverage rises, so they stay in order in greyscale and for every
kind of colour blindness, and the 100% line is drawn dashed and labelled, not told by colour alone. Each chart's
title states its finding and is returned beside the drawing, to be printed above it as text (on a phone a wide
chart scrolls in its box, and its title must not scroll with it); percentages are printed as "74%", as the
report and ONS print them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.patches import Patch, Rectangle

from practitioner_survey.report.tilemap import BANDS, Tile

BLUE = "#0072B2"  # Okabe-Ito
ORANGE = "#E69F00"
INK = "#222222"
#: Coverage band colours, lowest band first: ColorBrewer Blues (4 classes), lightness falling as coverage rises;
#: the lowest band is also hatched, in a strip along the tile's foot that no label crosses.
BAND_COLOURS = ("#EFF3FF", "#BDD7E7", "#6BAED6", "#2171B5")
BAND_HATCH = ("////", "", "", "")
BAND_TEXT = (INK, INK, INK, "#FFFFFF")
HATCH_STRIP = 0.16  # of the tile's height
#: The tile map: a tile's side in inches, and where its two labels (short name, coverage) sit, as parts of its height.
TILE_INCHES = 0.64
LABEL_Y = (0.68, 0.38)

STYLE: dict[Any, Any] = {
    "svg.hashsalt": "practitioner-survey",  # stable element ids
    "svg.fonttype": "none",  # text as <text>: selectable, read by screen readers, light for WeasyPrint to draw
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.6,
}


def _svg(fig: plt.Figure, alt: str) -> str:
    """The figure as an <svg> element for inlining, with role and alt text; no XML prolog, no date."""
    buffer = io.StringIO()
    with plt.rc_context(STYLE):  # the salt must be set while saving, for stable ids
        # padded so that labels drawn a little wider than matplotlib measured them stay inside the picture
        fig.savefig(
            buffer, format="svg", bbox_inches="tight", pad_inches=0.15, metadata={"Date": None, "Creator": None}
        )
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    # an inline <svg> in HTML needs no namespace declarations (and the file then holds no URLs at all)
    text = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", text)
    label = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def _percent(value: float) -> str:
    return f"{value:.0f}%"


def coverage_finding(regions: Sequence[str], coverage: Sequence[float]) -> str:
    """What the coverage chart shows, in a sentence: which regions reached the recommended level, and the total."""
    by_region = {r: v for r, v in zip(regions, coverage, strict=True) if r != "Total"}
    full = [r for r, v in by_region.items() if round(v) >= 100]
    total = dict(zip(regions, coverage, strict=True)).get("Total")
    overall = f"; coverage was {_percent(total)} overall" if total is not None else ""
    if not full:
        return f"No region reached the recommended level{overall}"
    if len(full) == 1:
        return f"Only {full[0]} reached the recommended level{overall}"
    return f"{len(full)} of {len(by_region)} regions reached the recommended level{overall}"


def coverage_bars(regions: Sequence[str], coverage: Sequence[float]) -> tuple[str, str, str]:
    """Horizontal bars of coverage per region against a dashed 100% line; (svg, alt text, title)."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(5.6, 0.2 * len(regions) + 0.9))
        ys = list(range(len(regions)))[::-1]
        colours = [BLUE if r != "Total" else INK for r in regions]
        ax.barh(ys, coverage, color=colours, height=0.65)
        for y, value in zip(ys, coverage, strict=True):
            ax.text(value + 1.5, y, _percent(value), va="center", fontsize=9, color=INK)
        ax.axvline(100, color=INK, linestyle=(0, (4, 2)), linewidth=1.2)
        low = min(range(len(regions)), key=lambda i: (coverage[i], i))  # label the line beside the shortest bar
        ax.text(101, ys[low], "recommended\nlevel (100%)", fontsize=9, va="center", ha="left", color=INK)
        ax.set_yticks(ys, list(regions))
        ax.set_xlim(0, max(120.0, max(coverage) + 15))
        ax.set_xlabel("Idva coverage, % of the recommended FTE for victims at high risk")
    below = [f"{r} {_percent(v)}" for r, v in zip(regions, coverage, strict=True)]
    alt = "Bar chart of Idva coverage by region against the 100% recommended level: " + "; ".join(below) + "."
    return _svg(fig, alt), alt, coverage_finding(regions, coverage)


def category_bars(labels: Sequence[str], shares: Sequence[float], n: int) -> tuple[str, str, str]:
    """Horizontal bars of each category's share of comments, largest at the top, empty categories left out;
    (svg, alt text, title)."""
    kept = [(label, share) for label, share in zip(labels, shares, strict=True) if share > 0]
    labels, shares = [label for label, _ in kept], [share for _, share in kept]
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(5.6, 0.24 * len(labels) + 1.1))
        ys = list(range(len(labels)))[::-1]
        ax.barh(ys, shares, color=ORANGE, edgecolor=INK, linewidth=0.4, height=0.65)
        for y, value in zip(ys, shares, strict=True):
            ax.text(value + 0.5, y, _percent(value), va="center", fontsize=9, color=INK)
        ax.set_yticks(ys, list(labels))
        ax.set_xlim(0, max(shares, default=0) + 8)
        ax.set_xlabel(f"% of coded comments (n = {n:,})")
    parts = [f"{label} {_percent(value)}" for label, value in zip(labels, shares, strict=True)]
    alt = f"Bar chart of the share of {n:,} comments in each category: " + "; ".join(parts) + "."
    title = f"{labels[0]} was the most common theme ({_percent(shares[0])} of comments)" if labels else ""
    return _svg(fig, alt), alt, title


def tile_map(tiles: Sequence[Tile]) -> tuple[str, str, str]:
    """One square per police force area on a rough grid of England and Wales, shaded by coverage band, each with
    the area's full name and coverage as its tooltip (an SVG <title>); (svg, alt text, title)."""
    names = [name for name, _ in BANDS]
    titles = {}
    with plt.rc_context(STYLE):
        rows = max(t.row for t in tiles) + 1
        cols = max(t.col for t in tiles) + 1
        fig, ax = plt.subplots(figsize=(TILE_INCHES * cols + 0.4, TILE_INCHES * rows + 1.3))
        for k, t in enumerate(tiles):
            i = names.index(t.band)
            tile = Rectangle((t.col, -t.row), 0.94, 0.94, facecolor=BAND_COLOURS[i], edgecolor=INK, linewidth=0.5)
            tile.set_gid(f"tile-{k}")
            titles[f"tile-{k}"] = f"{t.area}: {t.coverage_pct}% ({t.band})"
            ax.add_patch(tile)
            if BAND_HATCH[i]:  # the pattern keeps to a strip along the foot, below the labels
                ax.add_patch(Rectangle((t.col, -t.row), 0.94, HATCH_STRIP, facecolor="none", hatch=BAND_HATCH[i],
                                       edgecolor=INK, linewidth=0))  # fmt: skip
            ax.text(
                t.col + 0.47, -t.row + LABEL_Y[0], t.short, ha="center", va="center", fontsize=8, color=BAND_TEXT[i]
            )
            ax.text(t.col + 0.47, -t.row + LABEL_Y[1], f"{t.coverage_pct}%", ha="center", va="center", fontsize=8,
                    color=BAND_TEXT[i], fontweight="bold")  # fmt: skip
        ax.set_xlim(-0.1, cols)
        ax.set_ylim(-rows + 0.9, 1.0)
        ax.set_aspect("equal")
        ax.axis("off")
        handles = [Patch(facecolor=c, hatch=h, edgecolor=INK, label=n)
                   for c, h, n in zip(BAND_COLOURS, BAND_HATCH, names, strict=True)]  # fmt: skip
        ax.legend(handles=handles, title="Idva coverage", loc="upper left", bbox_to_anchor=(0.0, 0.0), ncol=2,
                  frameon=False, fontsize=9, title_fontsize=9)  # fmt: skip
        counts = {n: sum(t.band == n for t in tiles) for n in names}
        low = sum(counts[n] for n in names[:1])
    alt = (
        f"Tile map of {len(tiles)} police force areas, one square each placed roughly where the area lies, shaded by "
        "Idva coverage: "
        + "; ".join(f"{k} areas {n}" for n, k in counts.items())
        + ". The table below lists every area."
    )
    svg = _svg(fig, alt)
    for gid, title in titles.items():
        label = title.replace("&", "&amp;").replace("<", "&lt;")
        svg = svg.replace(f'<g id="{gid}">', f'<g id="{gid}">\n   <title>{label}</title>', 1)
    return svg, alt, f"{low} of {len(tiles)} police force areas had less than half the recommended coverage"
