"""Text measured in terminal columns for `survey code`'s screen: widths, clipping and word-wrapping; and where the
split cursor stops in a comment.

Widths come from prompt_toolkit's get_cwidth (wcwidth), the same count the terminal emulators that follow wcwidth
use, so Bengali (zero-width vowel signs), Chinese (two columns a character), Welsh, Polish and emoji line up. A word
wider than a line (Chinese has no spaces, a long link) is broken between characters.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence

from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.utils import get_cwidth

CURSOR = ("[SetCursorPosition]", "")
_TOKEN = re.compile(r"[^\S\n]*\S+[^\S\n]*")
_WORD = re.compile(r"\S+")
_CLAUSE_END = tuple('.!?;:,…)"”’—–')


def columns(text: str) -> int:
    """How many terminal columns `text` takes."""
    return len(text) if text.isascii() else get_cwidth(text)  # prompt_toolkit caches short strings' widths


def clip(text: str, width: int) -> str:
    """`text` cut to `width` columns, ending in … when cut."""
    if columns(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = get_cwidth(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def text_line(text: str, style: str = "") -> StyleAndTextTuples:
    """One line of one style."""
    return [(style, text)]


def line_columns(line: StyleAndTextTuples) -> int:
    """The columns a line of fragments takes (the cursor marker takes none)."""
    return sum(columns(text) for style, text, *_ in line if "[SetCursorPosition]" not in style)


def clip_line(line: StyleAndTextTuples, width: int) -> StyleAndTextTuples:
    """A line of fragments cut to `width` columns."""
    out: StyleAndTextTuples = []
    used = 0
    for fragment in line:
        style, text = fragment[0], fragment[1]
        if "[SetCursorPosition]" in style:
            out.append(fragment)
            continue
        w = columns(text)
        if used + w > width:
            out.append((style, clip(text, width - used) if width - used > 0 else ""))
            break
        out.append((style, text))
        used += w
    return out


def pad(line: StyleAndTextTuples, width: int, style: str = "") -> StyleAndTextTuples:
    """A line of fragments clipped and filled with spaces to exactly `width` columns (for the bars)."""
    line = clip_line(line, width)
    return [*line, (style, " " * max(width - line_columns(line), 0))]


@functools.lru_cache(maxsize=16)
def wrap_spans(text: str, width: int) -> tuple[tuple[int, int, bool], ...]:
    """Lines of `text` word-wrapped to `width` columns, as (start, end, ends_a_line_of_the_text) offsets into it
    (kept for the last few texts: the screen is drawn again after every key)."""
    width = max(width, 2)
    spans: list[tuple[int, int, bool]] = []
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        begin, used = line_start, 0
        for token in _TOKEN.finditer(line):
            at = line_start + token.start()
            word = token.group()
            w = columns(word.rstrip())
            if at > begin and used + w > width:
                spans.append((begin, at, False))
                begin, used = at, 0
            if w <= width - used:
                used += columns(word)
                continue
            for offset, char in enumerate(word):  # wider than a line: broken between characters
                cw = get_cwidth(char)
                if used + cw > width and at + offset > begin and not char.isspace():
                    spans.append((begin, at + offset, False))
                    begin, used = at + offset, 0
                used += cw
        spans.append((begin, line_end, True))
        line_start = line_end + 1
    return tuple(spans)


def wrapped_lines(
    text: str, width: int, *, indent: int = 2, cursor: int | None = None, mark: tuple[int, int] | None = None,
    style: str = "", lines: slice = slice(None),
) -> list[StyleAndTextTuples]:  # fmt: skip
    """`text` word-wrapped and indented (the `lines` of it asked for), one list of fragments per line: the `mark`
    span highlighted (class:comment) and the terminal's cursor placed at `cursor`."""
    out: list[StyleAndTextTuples] = []
    start, end = mark if mark is not None else (0, 0)
    for line_start, line_end, last in wrap_spans(text, max(width - indent - 1, 10))[lines]:  # a column for the cursor
        line: StyleAndTextTuples = [("", " " * indent)]
        points = {line_start, line_end, *(p for p in (start, end) if line_start < p < line_end)}
        if cursor is not None and line_start <= cursor < line_end:
            points |= {cursor, cursor + 1}
        for a, b in itertools.pairwise(sorted(points)):
            piece = style + (" class:comment" if start <= a < end else "")
            if a == cursor:
                line.append(CURSOR)
                line.append((piece + " class:cursor", text[a]))
                a += 1
            if a < b:
                line.append((piece, text[a:b]))
        if last and cursor == line_end:
            line += [CURSOR, (style + " class:cursor", " ")]
        out.append(line)
    return out


def line_of(spans: Sequence[tuple[int, int, bool]], offset: int) -> int:
    """The index of the wrapped line holding `offset` (the last line for the text's end)."""
    for n, (start, end, last) in enumerate(spans):
        if start <= offset < end or (offset == end and last):
            return n
    return max(len(spans) - 1, 0)


def flow(entries: list[tuple[str, str]], width: int, indent: int = 1, sep: str = "  ") -> list[StyleAndTextTuples]:
    """Short (style, text) entries side by side, `sep` between them, wrapped at `width` columns, never broken
    inside one."""
    lines: list[StyleAndTextTuples] = []
    line: StyleAndTextTuples = [("", " " * indent)]
    used = indent
    for style, text in entries:
        text = clip(text, width - indent - 1)
        w = columns(text)
        if used > indent and used + len(sep) + w > width:
            lines.append(line)
            line, used = [("", " " * indent)], indent
        if used > indent:
            line.append(("", sep))
            used += len(sep)
        line.append((style, text))
        used += w
    lines.append(line)
    return lines


def stops(text: str, by_clause: bool) -> list[int]:
    """Where the cursor stops in `text`: each word's start, or (by_clause) each word that follows the end of a
    sentence or clause (. ! ? ; : , and the like) or begins a line."""
    words = list(_WORD.finditer(text))
    if not by_clause:
        return [w.start() for w in words]
    return [w.start() for n, w in enumerate(words) if n and (
        words[n - 1].group().endswith(_CLAUSE_END) or "\n" in text[words[n - 1].end() : w.start()])]  # fmt: skip
