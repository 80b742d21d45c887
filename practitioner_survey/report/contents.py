"""The report's contents: every section and subsection heading, read from the rendered sections (so a heading the
survey team adds to a template is listed), with the page each starts on in the PDF."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser


@dataclass(frozen=True)
class Entry:
    """One line of the contents: the id linked to, the heading's text, its page in the PDF (0 when not printed)
    and the subsections below it."""

    id: str
    title: str
    page: int = 0
    children: list[Entry] = field(default_factory=list)


class _Headings(HTMLParser):
    """Collects (level, id, text) of each h2 and h3; a heading without an id takes its section's."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []
        self.sections: list[str | None] = []
        self.open: tuple[int, str] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ids = dict(attrs).get("id")
        if tag == "section":
            self.sections.append(ids)
        elif tag in ("h2", "h3") and self.open is None:
            own = ids or next((s for s in reversed(self.sections) if s), "")
            self.open, self.text = (int(tag[1]), own), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.sections:
            self.sections.pop()
        elif tag in ("h2", "h3") and self.open is not None:
            level, own = self.open
            self.found.append((level, own, " ".join("".join(self.text).split())))
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.text.append(data)


def contents(bodies: Sequence[str]) -> list[Entry]:
    """The sections (h2) of the rendered section bodies, each with its subsections (h3) that have an id."""
    out: list[Entry] = []
    for body in bodies:
        parser = _Headings()
        parser.feed(body)
        parser.close()
        for level, own, text in parser.found:
            if not own:
                continue
            if level == 2 or not out:
                out.append(Entry(own, text))
            elif own not in {c.id for c in out[-1].children} and own != out[-1].id:
                out[-1].children.append(Entry(own, text))
    return out


def with_pages(entries: Sequence[Entry], pages: Mapping[str, int]) -> list[Entry]:
    """The entries with the (1-based) page each id is on, from `pages`."""
    return [
        replace(e, page=pages.get(e.id, 0), children=[replace(c, page=pages.get(c.id, 0)) for c in e.children])
        for e in entries
    ]


def page_numbers(front_pages: int, parts: Sequence[tuple[int, Mapping[str, int]]]) -> dict[str, int]:
    """The page of the joined PDF (counting from 1) on which each id starts, given the front matter's page count
    and each later part's (pages, anchors from 0) in order."""
    out: dict[str, int] = {}
    before = front_pages
    for pages, anchors in parts:
        for name, index in anchors.items():
            out.setdefault(name, before + index + 1)
        before += pages
    return out
